import fc from 'fast-check';
import type { Choice, Metrics } from '../world/types.ts';
import { swarmMax } from '../run/pick.ts';
import { ownsRun, type Shard } from '../core/shard.ts';
import { runChoices, runPicks, type RunInput, type RunResult, type Session, type Violation } from '../run/run.ts';

export interface CampaignOptions {
  runs: number;
  seed: number;
  /** Longest random prefix of a run, in steps. */
  maxSteps: number;
  /** fast-check replay path of a failing case (printed by an earlier failure). */
  path?: string;
  /** Shrink a failure (default). Off, the first failing run is reported as found: faster when only finding matters. */
  shrink?: boolean;
  /** Called after every run with the number of runs done. */
  onRun?: (done: number) => void;
  /** Run only this shard's share of the runs (run i goes to shard i mod n); ignored with `path`. */
  shard?: Shard;
  /** A wall-clock cap (ms): no new run or shrink step starts after it; a failure found keeps its shrinking so far. */
  maxTimeMs?: number;
}

export interface CampaignResult {
  runs: number;
  steps: number;
  seed: number;
  failure?: {
    violation: Violation;
    /** The shrunk random prefix, by meaning; replaying it reproduces the violation. */
    choices: Choice[];
    /** Steps of the fair schedule that followed, if the violation is a liveness one or came after. */
    trace: Choice[];
    path: string;
    shrinks: number;
    originalSteps: number;
  };
  /** The `maxTimeMs` cap stopped the campaign (or its shrinking) early. */
  interrupted?: boolean;
  /** Summed over all runs (maxima for the windows). */
  metrics: Metrics & { maxOverlapMs: number; maxZombieMs: number };
}

/** The arbitrary of one run: a long list of picks (fast-check's default size would average ~5). */
export const picksArbitrary = (maxSteps: number) =>
  fc.array(fc.nat({ max: 0x7fffffff }), { minLength: 1, maxLength: maxSteps, size: 'max' });

/** A run with swarm testing: a random subset of fault kinds, and the picks. Shrinks towards fewer kinds. */
export const runArbitrary = (maxSteps: number): fc.Arbitrary<RunInput> =>
  fc.record({ swarm: fc.nat({ max: swarmMax }), picks: picksArbitrary(maxSteps) });

export function campaign(session: Session, opts: CampaignOptions): CampaignResult {
  let runs = 0;
  let steps = 0;
  const metrics = { overlapMs: 0, zombieMs: 0, duplicateRecords: 0, fencedCommits: 0, rebalances: 0, maxOverlapMs: 0, maxZombieMs: 0 };
  let firstFailureSteps = 0;
  const shard = opts.path ? undefined : opts.shard;
  let index = 0;
  const property = fc.property(runArbitrary(opts.maxSteps), (input) => {
    // Other shards' runs pass untried; once a run fails, every call is fast-check shrinking it.
    if (firstFailureSteps === 0 && !ownsRun(shard, index++)) return true;
    const r = runPicks(session, input);
    if (!r.violation) {
      runs++;
      steps += r.trace.length;
      const m = r.world.metrics;
      metrics.overlapMs += m.overlapMs;
      metrics.zombieMs += m.zombieMs;
      metrics.duplicateRecords += m.duplicateRecords;
      metrics.fencedCommits += m.fencedCommits;
      metrics.rebalances += m.rebalances;
      metrics.maxOverlapMs = Math.max(metrics.maxOverlapMs, m.overlapMs);
      metrics.maxZombieMs = Math.max(metrics.maxZombieMs, m.zombieMs);
      opts.onRun?.(runs);
    } else if (firstFailureSteps === 0) {
      firstFailureSteps = r.randomSteps;
    }
    return r.violation === undefined;
  });
  const details = fc.check(property, {
    numRuns: opts.runs,
    seed: opts.seed,
    path: opts.path,
    endOnFailure: opts.shrink === false,
    ...(opts.maxTimeMs !== undefined && { interruptAfterTimeLimit: Math.max(1, Math.round(opts.maxTimeMs)) }),
  });
  const interrupted = details.interrupted ? { interrupted: true } : {};
  if (!details.failed) return { runs, steps, seed: opts.seed, metrics, ...interrupted };
  // A property that threw (a model bug, not a violation) is reported as the error it is.
  if (details.errorInstance && !details.counterexample) throw details.errorInstance;
  const [picks] = details.counterexample!;
  const r: RunResult = runPicks(session, picks);
  const choices = r.trace.slice(0, r.randomSteps);
  // Sanity: the shrunk case replays by meaning, not only by picks.
  const again = runChoices(session, choices);
  if (again.violation?.invariant !== r.violation?.invariant) throw new Error('internal: counterexample does not replay by meaning');
  return {
    runs: details.numRuns,
    steps,
    seed: opts.seed,
    failure: {
      violation: r.violation!,
      choices,
      trace: r.trace,
      path: details.counterexamplePath ?? '',
      shrinks: details.numShrinks,
      originalSteps: firstFailureSteps,
    },
    metrics,
    ...interrupted,
  };
}
