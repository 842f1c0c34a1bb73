// `mutate(options)`: mutation analysis of the models as a library call (what `rebalance-check
// mutate` prints).
import type { Shard } from '../core/shard.ts';
import { runMutation } from '../mutate/mutate.ts';
import { defaultBudget, type Budget, type MutantResult } from '../mutate/run-mutant.ts';
import { figures, type Figures } from '../mutate/score.ts';
import { defaultSurvivorsFile, loadSurvivors, stale, unrecorded, type SurvivorRecords } from '../mutate/survivors.ts';

export interface MutateOptions {
  /** Only the mutants whose id contains one of these. */
  only?: string[];
  shard?: Shard;
  /** Runs, steps, seed, explore states and time cap per mutant (defaults: `defaultBudget`). */
  budget?: Partial<Budget>;
  /** Mutants run at once, each on a worker thread (default 1). */
  jobs?: number;
  /** The record of mutants known to survive, with why (default mutants/survivors.json). */
  survivors?: string;
  onResult?: (r: MutantResult, done: number, total: number) => void;
  /** Stops the analysis: no mutant starts after it, the running ones are dropped (the report says `interrupted`). */
  signal?: AbortSignal;
}

export interface MutateReport {
  /** Every mutant killed or recorded as a known survivor. */
  ok: boolean;
  results: MutantResult[];
  figures: Figures;
  /** Survivors (or mutants not reached) the record does not explain, by id. */
  unrecorded: string[];
  /** Recorded survivors that are killed now (the record can go). */
  stale: string[];
  /** The survivors file as read (what `ok`, `figures` and `unrecorded` were judged against). */
  records: SurvivorRecords;
  /** Mutants chosen (after `only` and `shard`); `results` has fewer when `signal` stopped the analysis. */
  chosen: number;
  /** `signal` stopped the analysis before every chosen mutant ran. */
  interrupted?: boolean;
}

export async function mutate(options: MutateOptions = {}): Promise<MutateReport> {
  const records = loadSurvivors(options.survivors ?? defaultSurvivorsFile);
  const { results, chosen } = await runMutation({
    only: options.only,
    shard: options.shard,
    budget: { ...defaultBudget, ...options.budget },
    jobs: options.jobs ?? 1,
    onResult: options.onResult,
    signal: options.signal,
  });
  const missing = unrecorded(results, records).map((r) => r.id);
  return {
    ok: missing.length === 0 && results.length === chosen,
    results,
    figures: figures(results, records),
    unrecorded: missing,
    stale: stale(results, records),
    records,
    chosen,
    ...(results.length < chosen && { interrupted: true }),
  };
}
