import { writeFileSync } from 'node:fs';
import { ownsRun, type Shard } from '../core/shard.ts';
import { UsageError } from '../core/errors.ts';
import { allMutants, parseMutant, selectMutants, type Mutant } from './mutants.ts';
import { runPool } from './pool.ts';
import type { Budget, MutantResult } from './run-mutant.ts';

// Mutation analysis: which mutants, run where, and writing one out as a variant file.

export interface MutateOptions {
  only?: string[];
  shard?: Shard;
  budget: Budget;
  jobs: number;
  onResult?: (r: MutantResult, done: number, total: number) => void;
  /** Stops the analysis (Ctrl-C): the results are those of the mutants that finished. */
  signal?: AbortSignal;
}

/** The mutants of a selection and shard (mutant i goes to shard i mod n, over the selection). */
export function chosenMutants(only: string[] | undefined, shard: Shard | undefined): Mutant[] {
  // Exact ids need no enumeration (which runs the field discovery, a few seconds).
  const exact = only?.map(parseMutant);
  const selected =
    exact && exact.length > 0 && exact.every((m) => m !== undefined) ? (exact as Mutant[]) : selectMutants(allMutants(), only);
  return selected.filter((_, i) => ownsRun(shard, i));
}

/** The results of the mutants that finished (all of them unless `signal` stopped the analysis) and how many were chosen. */
export async function runMutation(opts: MutateOptions): Promise<{ results: MutantResult[]; chosen: number }> {
  const mutants = chosenMutants(opts.only, opts.shard);
  const results = await runPool(mutants, opts.budget, opts.jobs, (r, done) => opts.onResult?.(r, done, mutants.length), opts.signal);
  return { results, chosen: mutants.length };
}

/** The text of a variant file that builds mutant `id` (replay it with `check --variant FILE` or `explore --variant FILE`). */
export function mutantVariantFile(id: string): string {
  const m = parseMutant(id);
  if (!m) throw new UsageError(`unknown mutant '${id}' (list them with: rebalance-check mutate --list)`);
  return [
    `// Mutant ${id}: ${m.description}.`,
    '// Written by `rebalance-check mutate --write-variant`; run it with',
    '//   npx rebalance-check check --variant <this file>   (or explore --variant <this file>)',
    "import { mutantVariant } from 'rebalance-check';",
    '',
    `export default mutantVariant(${JSON.stringify(id)});`,
    '',
  ].join('\n');
}

export function writeMutantVariant(id: string, file: string): void {
  writeFileSync(file, mutantVariantFile(id));
}
