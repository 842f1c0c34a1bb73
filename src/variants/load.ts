import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { isAbsolute, relative, resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { invariants } from '../../properties/index.ts';
import { UsageError } from '../core/errors.ts';
import { offsetResets } from '../../models/offset-reset.ts';
import { budgetedKinds, exploreLimits } from '../core/explore-settings.ts';
import { migrationPolicies } from '../../models/consumer-protocol/migration-policy.ts';
import { migrations } from '../world/types.ts';
import { protocols, type Protocol } from '../world/types.ts';
import { catalogue, findVariant } from './catalogue.ts';
import { overridableNames, type ImplementationKind, type MachineName } from './overrides.ts';
import { defineVariant, isVariant, type Variant, type VariantInput } from './variant.ts';

// Loading a variant named on the command line: a catalogue name, or a user's file (a
// TypeScript or JavaScript module; the CLI runs under tsx, so .ts imports work).

/** A variant that cannot be used: the message is one line naming the problem (exit 2 on the command line). */
export class VariantError extends UsageError {}

/** A spec is a path when it contains a slash or ends in .ts/.js/.mts/.mjs; otherwise a catalogue name. */
export const isVariantPath = (spec: string): boolean => spec.includes('/') || spec.includes('\\') || /\.[mc]?[tj]s$/.test(spec);

/**
 * Resolves `--variant SPEC`: a catalogue name, or a file whose default export (or export
 * named `variant`) is a variant. The file is validated: every override names a guard or
 * action the machine has, every declared break is a known invariant. A loaded file variant
 * carries `source` (the path relative to the working directory) so counterexamples can name it.
 * For the explorer and every other command that takes `--variant`.
 */
export async function loadVariant(spec: string, cwd = process.cwd(), timeoutMs = loadTimeoutMs): Promise<Variant> {
  if (!isVariantPath(spec)) {
    const v = findVariant(spec);
    if (!v)
      throw new VariantError(
        `unknown --variant '${spec}' (a catalogue name: ${catalogue.map((x) => x.name).join(', ')}; or a path to a variant file)`,
      );
    return v;
  }
  const file = resolve(cwd, spec);
  if (!existsSync(file)) throw new VariantError(`variant file ${spec} not found`);
  await finishesLoading(file, spec, timeoutMs);
  let mod: Record<string, unknown>;
  try {
    // tsx's own loader: .ts files load without the CLI's loader, as ES modules or, in a project
    // without "type": "module", as CommonJS (whose exports arrive under `default`).
    mod = (await tsImport(file, import.meta.url)) as Record<string, unknown>;
    if (isRecord(mod.default) && mod.default.__esModule === true) mod = mod.default;
  } catch (e) {
    throw new VariantError(`cannot load variant file ${spec}: ${oneLine(e)}`);
  }
  const raw = mod.default ?? mod.variant;
  if (raw === undefined) throw new VariantError(`variant file ${spec} exports no variant (export default defineVariant({ ... }))`);
  const variant = validate(raw, spec);
  const source = isAbsolute(spec) ? spec : relative(cwd, file).split('\\').join('/');
  return { ...variant, source: source.startsWith('.') || isAbsolute(source) ? source : `./${source}` };
}

/** How long a variant file may take to load (its top-level code) before it is reported as hanging. */
export const loadTimeoutMs = 20_000;

/**
 * Imports the file in a worker thread first: a file whose top-level code never finishes (an
 * endless loop) is reported, and the thread ended, instead of hanging this process.
 */
async function finishesLoading(file: string, spec: string, timeoutMs: number): Promise<void> {
  const worker = new Worker(new URL('./probe.js', import.meta.url), { workerData: { file }, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  let timer: NodeJS.Timeout | undefined;
  const loaded = await Promise.race([
    new Promise<boolean>((done) => {
      worker.once('message', () => done(true));
      worker.once('error', () => done(true));
      worker.once('exit', () => done(true));
    }),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  await worker.terminate();
  if (!loaded)
    throw new VariantError(
      `variant file ${spec} did not finish loading within ${timeoutMs / 1000} s (does its top-level code loop forever?)`,
    );
}

/** The first line that says something of an error thrown while importing user code. */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /ERROR:/.test(l)) ?? lines[0] ?? 'unknown error';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks a user's export field by field; returns the normalised variant. */
export function validate(raw: unknown, where: string): Variant {
  const fail = (what: string): never => {
    throw new VariantError(`variant file ${where}: ${what}`);
  };
  if (!isRecord(raw))
    fail(`the default export is ${raw === null ? 'null' : typeof raw}, not a variant (export default defineVariant({ ... }))`);
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || r.name === '') fail('"name" must be a non-empty string');
  if (typeof r.description !== 'string') fail('"description" must be a string');
  const known = new Set([
    'name',
    'description',
    'protocol',
    'protocols',
    'coordinator',
    'consumer',
    'assignor',
    'assignors',
    'serverAssignors',
    'settings',
    'breaks',
    'explore',
  ]);
  for (const k of Object.keys(r)) if (!known.has(k)) fail(`unknown field "${k}" (known: ${[...known].join(', ')})`);
  const ps = r.protocols ?? r.protocol;
  for (const p of ps === undefined ? [] : Array.isArray(ps) ? ps : [ps])
    if (!protocols.includes(p as never)) fail(`unknown protocol ${JSON.stringify(p)} (known: ${protocols.join(', ')})`);
  const listed = (ps === undefined ? [] : Array.isArray(ps) ? ps : [ps]) as Protocol[];
  // Like variantProtocols: no protocol named means the classic ones.
  const variantProtocolList: Protocol[] = listed.length > 0 ? listed : ['eager'];
  for (const m of ['coordinator', 'consumer'] as MachineName[]) {
    const o = r[m];
    if (o === undefined) continue;
    if (!isRecord(o)) fail(`"${m}" must be an object with "guards" and/or "actions"`);
    for (const k of Object.keys(o as object))
      if (k !== 'guards' && k !== 'actions') fail(`"${m}.${k}": only "guards" and "actions" can be overridden`);
    for (const kind of ['guards', 'actions'] as ImplementationKind[]) {
      const given = (o as Record<string, unknown>)[kind];
      if (given === undefined) continue;
      if (!isRecord(given)) fail(`"${m}.${kind}" must be an object of named ${kind}`);
      for (const [name, impl] of Object.entries(given as object)) {
        // The name must exist in the machines of every protocol the variant applies to.
        for (const p of variantProtocolList) {
          if (!overridableNames(m, p)[kind].includes(name))
            fail(
              `${m} ${p === 'consumer' ? '(consumer protocol) ' : ''}has no ${kind === 'guards' ? 'guard' : 'action'} "${name}" (see docs/overrides.md, or: rebalance-check variants --names)`,
            );
        }
        if (kind === 'guards' && typeof impl !== 'function') fail(`${m} guard "${name}" must be a function`);
        if (kind === 'actions' && typeof impl !== 'function' && !isRecord(impl))
          fail(`${m} action "${name}" must be an action (assign(...), enqueueActions(...) or a function)`);
      }
    }
  }
  const assignorList = [
    ...(r.assignor === undefined ? [] : Array.isArray(r.assignor) ? r.assignor : [r.assignor]),
    ...(isRecord(r.assignors) ? Object.values(r.assignors) : []),
  ];
  if (r.assignors !== undefined && !isRecord(r.assignors)) fail('"assignors" must be an object of assignors by name');
  for (const a of assignorList) {
    if (!isRecord(a) || typeof a.name !== 'string' || typeof a.assign !== 'function' || !Array.isArray(a.supportedProtocols))
      fail('an assignor must be { name: string, supportedProtocols: ("eager" | "cooperative")[], assign(input) }');
  }
  if (r.serverAssignors !== undefined) {
    if (!isRecord(r.serverAssignors)) fail('"serverAssignors" must be an object of KIP-848 server-side assignors by name');
    for (const a of Object.values(r.serverAssignors as object))
      if (!isRecord(a) || typeof a.name !== 'string' || typeof a.assign !== 'function')
        fail('a server-side assignor must be { name: string, balance: "global" | "per-topic", assign(input) }');
  }
  if (r.breaks !== undefined) {
    if (!Array.isArray(r.breaks)) fail('"breaks" must be a list of invariant ids');
    const ids = invariants.map((i) => i.id);
    for (const b of r.breaks as unknown[])
      if (!ids.includes(b as string)) fail(`"breaks" names unknown invariant ${JSON.stringify(b)} (known: ${ids.join(', ')})`);
  }
  if (r.settings !== undefined) {
    if (!isRecord(r.settings)) fail('"settings" must be an object');
    const allowed = ['members', 'topics', 'faults', 'timers', 'autoCommit', 'static', 'migration', 'migrationPolicy', 'offsetReset'];
    for (const k of Object.keys(r.settings as object))
      if (!allowed.includes(k)) fail(`"settings.${k}" cannot be set by a variant (allowed: ${allowed.join(', ')})`);
    const st = r.settings as { migration?: unknown; migrationPolicy?: unknown; offsetReset?: unknown };
    if (st.offsetReset !== undefined && !(offsetResets as readonly unknown[]).includes(st.offsetReset))
      fail(`"settings.offsetReset" must be one of ${offsetResets.join(', ')}`);
    if (st.migration !== undefined && !(migrations as readonly unknown[]).includes(st.migration))
      fail(`"settings.migration" must be one of ${migrations.join(', ')}`);
    if (st.migrationPolicy !== undefined && !(migrationPolicies as readonly unknown[]).includes(st.migrationPolicy))
      fail(`"settings.migrationPolicy" must be one of ${migrationPolicies.join(', ')}`);
  }
  if (r.explore !== undefined) validateExplore(r.explore, listed.length > 0 ? listed : ['eager', 'cooperative'], fail);
  return isVariant(raw) ? raw : defineVariant(raw as unknown as VariantInput);
}

/** The `explore` settings: the instance and bounds within the explorer's ranges. */
function validateExplore(e: unknown, variantProtocols: Protocol[], fail: (what: string) => never): void {
  if (!isRecord(e)) fail('"explore" must be an object ({ members, partitions, maxDepth, maxInFlight, ... })');
  const x = e as Record<string, unknown>;
  const fields = [
    'members',
    'partitions',
    'topics',
    'static',
    'protocol',
    'assignor',
    'budgets',
    'maxDepth',
    'maxInFlight',
    'maxDelayMs',
    'liveness',
  ];
  for (const k of Object.keys(x)) if (!fields.includes(k)) fail(`unknown field "explore.${k}" (known: ${fields.join(', ')})`);
  const int = (v: unknown, what: string, [min, max]: readonly [number, number]) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      fail(`"${what}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  };
  int(x.members, 'explore.members', exploreLimits.members);
  int(x.partitions, 'explore.partitions', exploreLimits.partitions);
  int(x.maxDepth, 'explore.maxDepth', exploreLimits.maxDepth);
  int(x.maxInFlight, 'explore.maxInFlight', exploreLimits.maxInFlight);
  if (x.topics !== undefined) int(x.topics, 'explore.topics', exploreLimits.topics);
  if (x.maxDelayMs !== undefined) int(x.maxDelayMs, 'explore.maxDelayMs', exploreLimits.maxDelayMs);
  for (const k of ['static', 'liveness']) if (x[k] !== undefined && typeof x[k] !== 'boolean') fail(`"explore.${k}" must be true or false`);
  if (x.protocol !== undefined) {
    if (!protocols.includes(x.protocol as Protocol))
      fail(`"explore.protocol": unknown protocol ${JSON.stringify(x.protocol)} (known: ${protocols.join(', ')})`);
    if (!variantProtocols.includes(x.protocol as Protocol))
      fail(`"explore.protocol" is ${x.protocol}, not one the variant applies to (${variantProtocols.join(', ')})`);
  }
  if (x.assignor !== undefined && typeof x.assignor !== 'string') fail('"explore.assignor" must be an assignor name');
  if (x.budgets !== undefined) {
    if (!isRecord(x.budgets)) fail(`"explore.budgets" must be an object of budgets by kind (${budgetedKinds.join(', ')})`);
    for (const [k, v] of Object.entries(x.budgets as object)) {
      if (!(budgetedKinds as readonly string[]).includes(k))
        fail(`"explore.budgets.${k}" is not a budgeted kind (known: ${budgetedKinds.join(', ')})`);
      int(v, `explore.budgets.${k}`, exploreLimits.budget);
    }
  }
}
