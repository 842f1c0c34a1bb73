import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UsageError } from '../core/errors.ts';
import type { MutantResult } from './run-mutant.ts';

// The committed record of mutants that are not killed, each with why. `mutate` exits 0 only
// when every mutant it did not kill is recorded here. Kinds:
// - equivalent: no behaviour Kafka's protocol defines can tell it from the model (left out of the score);
// - needs-oracle: a real difference that no invariant looks at yet (counts as a survivor);
// - needs-search: the harness does not reach or exercise the decision deeply enough (counts);
// - needs-budget: killed with a larger budget than the default one (counts; the evidence says which).

export const recordKinds = ['equivalent', 'needs-oracle', 'needs-search', 'needs-budget'] as const;
export type RecordKind = (typeof recordKinds)[number];

const entry = z
  .object({
    kind: z.enum(recordKinds),
    reason: z.string().min(10, 'a reason of at least a sentence'),
    evidence: z.string().min(1).optional(),
  })
  .strict();
const file = z.record(z.string(), entry);

export type SurvivorRecord = z.infer<typeof entry>;
export type SurvivorRecords = Record<string, SurvivorRecord>;

/**
 * The project's own record of the built-in models' survivors (mutants/survivors.json at the
 * package root), found from this module in the sources and in dist/ alike, so that `mutate` run
 * from any directory reads it: the mutants are always the built-in models'.
 */
export const defaultSurvivorsFile = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../mutants/survivors.json'), resolve(here, '../../../mutants/survivors.json')];
  const found = candidates.find((p) => existsSync(p)) ?? candidates[0];
  return relative(process.cwd(), found) || found;
})();

/** The records of a file (none if it does not exist); a malformed file is a usage error naming the problem. */
export function loadSurvivors(path: string): SurvivorRecords {
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`survivors file ${path} is not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = file.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`survivors file ${path}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Mutants not killed and not recorded: each makes `mutate` exit 1. */
export const unrecorded = (results: MutantResult[], records: SurvivorRecords): MutantResult[] =>
  results.filter((r) => r.status !== 'killed' && !records[r.id]);

/** Records of mutants that were killed in this run: no longer needed (reported, not an error). */
export const stale = (results: MutantResult[], records: SurvivorRecords): string[] =>
  results.filter((r) => r.status === 'killed' && records[r.id]).map((r) => r.id);
