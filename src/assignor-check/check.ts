import fc from 'fast-check';
import type { AssignInput } from '../../models/assignors/types.ts';
import { assignVia, CallFailed } from './guard.ts';
import { runInModel, type InModelResult } from './in-model.ts';
import { assignorProperties, type AssignorProperty, type Failure } from './properties.ts';
import { inThreadCallee, workerCallee } from './sandbox.ts';
import type { AssignorClaims, AssignorMeta, Callee, UserAssignor } from './types.ts';

export interface CheckAssignorOptions {
  /** Generated groups per property (default 200). */
  runs?: number;
  /** Seed: the same seed and options give the same report (default 42). */
  seed?: number;
  /** Per-call time limit of assign, in ms (default 2000). */
  timeoutMs?: number;
  /** Runs of the protocol model campaign for a COOPERATIVE assignor (default 30; 0 skips it). */
  modelRuns?: number;
  /**
   * Time budget of one property, runs and shrinking together, in ms (default 60000): a slow
   * assignor costs a time limit per call, so its counterexample is shrunk as far as this allows.
   */
  budgetMs?: number;
  /** Claims that replace the assignor's own (for an assignor you cannot edit); a key set to undefined withdraws that claim. */
  claims?: Partial<AssignorClaims>;
}

export type PropertyStatus = 'holds' | 'fails' | 'not-claimed' | 'not-checked';

export interface PropertyResult {
  id: string;
  statement: string;
  status: PropertyStatus;
  /** Cases run (groups for a property, runs for the model campaign). */
  runs: number;
  /** Why a property was not checked. */
  reason?: string;
  /** The time budget ran out (fewer runs, or a counterexample shrunk only part of the way). */
  interrupted?: boolean;
  /** The shrunk failing input and what the assignor made of it. */
  counterexample?: { input: AssignInput; failure: Failure; shrinks: number };
  /** The model campaign's finding. */
  inModel?: InModelResult;
}

export interface AssignorReport {
  assignor: AssignorMeta;
  seed: number;
  results: PropertyResult[];
  /** True when every property that applies holds. */
  ok: boolean;
}

/**
 * Property-checks an assignor: a path to a module exporting one (run in a worker thread, with
 * a hard per-call time limit; `assign` may be async), or an assignor object (run in this thread:
 * it must be synchronous, and an endless call cannot be interrupted). Throws AssignorLoadError
 * when the module does not load or exports no valid assignor.
 */
export function checkAssignor(target: string | UserAssignor, options: CheckAssignorOptions = {}): AssignorReport {
  const timeoutMs = options.timeoutMs ?? 2000;
  const callee = typeof target === 'string' ? workerCallee(target, { timeoutMs }) : inThreadCallee(target, { timeoutMs });
  try {
    return checkCallee(callee, options);
  } finally {
    callee.close();
  }
}

export function checkCallee(callee: Callee, options: CheckAssignorOptions = {}): AssignorReport {
  const seed = options.seed ?? 42;
  const runs = options.runs ?? 200;
  const meta: AssignorMeta = { ...callee.meta, ...options.claims };
  const results: PropertyResult[] = [];
  // The other properties need usable outputs: once `well-formed` (checked first) fails, they wait for a fix.
  const illFormed = () => results.some((r) => r.id === 'well-formed' && r.status === 'fails');
  assignorProperties.forEach((p, i) => {
    if (!p.applies(meta)) return results.push({ id: p.id, statement: p.statement, status: 'not-claimed', runs: 0 });
    if (illFormed())
      return results.push({ id: p.id, statement: p.statement, status: 'not-checked', runs: 0, reason: 'assign is not well-formed' });
    results.push(runProperty(p, callee, meta, { runs, seed: seed + i, budgetMs: options.budgetMs ?? 60_000 }));
  });
  results.push(modelResult(callee, meta, illFormed(), options.modelRuns ?? 30, seed));
  return { assignor: meta, seed, results, ok: results.every((r) => r.status !== 'fails') };
}

function runProperty(
  p: AssignorProperty,
  callee: Callee,
  meta: AssignorMeta,
  opts: { runs: number; seed: number; budgetMs: number },
): PropertyResult {
  const assign = assignVia(callee);
  // fast-check ends on the last failing case it shrank to: the last failure recorded is its.
  let failure: Failure | undefined;
  const property = fc.property(p.cases, (input) => {
    let found: Failure | undefined;
    try {
      found = p.check(input, assign, meta);
    } catch (e) {
      if (!(e instanceof CallFailed)) throw e;
      found = { message: `assign ${e.message}`, outputs: [] };
    }
    if (found) failure = found;
    return found === undefined;
  });
  const details = fc.check(property, { numRuns: opts.runs, seed: opts.seed, interruptAfterTimeLimit: opts.budgetMs });
  const base = { id: p.id, statement: p.statement, runs: details.numRuns, ...(details.interrupted ? { interrupted: true } : {}) };
  if (!details.failed) return { ...base, status: 'holds' };
  if (!details.counterexample || !failure)
    throw details.errorInstance ?? new Error(`internal: property ${p.id} failed without a counterexample`);
  return { ...base, status: 'fails', counterexample: { input: details.counterexample[0], failure, shrinks: details.numShrinks } };
}

function modelResult(callee: Callee, meta: AssignorMeta, illFormed: boolean, runs: number, seed: number): PropertyResult {
  const base = {
    id: 'cooperative-in-model',
    statement: 'COOPERATIVE: the protocol model with this assignor keeps every cooperative invariant, faults included',
  };
  if (!meta.supportedProtocols.includes('cooperative')) return { ...base, status: 'not-claimed', runs: 0 };
  if (illFormed) return { ...base, status: 'not-checked', runs: 0, reason: 'assign is not well-formed' };
  if (runs === 0) return { ...base, status: 'not-checked', runs: 0, reason: 'model runs set to 0' };
  const r = runInModel(callee, meta, { runs, seed });
  return { ...base, status: r.violation || r.callFailed ? 'fails' : 'holds', runs: r.runs, inModel: r };
}
