import fc from 'fast-check';
import type { Choice, Metrics } from '../world/types.ts';
import { LONG, longRunFactor, swarmMax } from '../run/pick.ts';
import { ownsRun, type Shard } from '../core/shard.ts';
import { pastDeadline } from '../core/control.ts';
import { runChoices, runPicks, type RunInput, type RunResult, type Session, type Violation } from '../run/run.ts';

/**
 * Shrinking stops after this many candidate runs (each a whole run with its fair schedule): a
 * deterministic bound, so a failure is reported in seconds, never minutes, and the same
 * (config, seed) gives the same counterexample whatever the machine's speed.
 */
export const defaultShrinkBudget = 2000;

export interface CampaignOptions {
  runs: number;
  seed: number;
  /** Longest random prefix of a run, in steps. */
  maxSteps: number;
  /** fast-check replay path of a failing case (printed by an earlier failure). */
  path?: string;
  /** Shrink a failure (default). Off, the first failing run is reported as found: faster when only finding matters. */
  shrink?: boolean;
  /** Most candidate runs shrinking may try (default `defaultShrinkBudget`). */
  shrinkBudget?: number;
  /**
   * Wall-clock deadline, epoch ms (`Date.now()`): no run starts after it, and shrinking stops there, keeping the
   * smallest failing case found so far. Everything before the deadline is as without it.
   */
  deadline?: number;
  /** Called after every run with the number of runs done. */
  onRun?: (done: number) => void;
  /** Called once with the first failing run, as found, before shrinking starts. */
  onFound?: (found: FoundRun) => void;
  /** Run only this shard's share of the runs (run i goes to shard i mod n); ignored with `path`. */
  shard?: Shard;
  /** A wall-clock cap (ms): no new run or shrink step starts after it; a failure found keeps its shrinking so far. */
  maxTimeMs?: number;
}

/** The first failing run of a campaign, unshrunk. */
export interface FoundRun {
  /** Its index in the campaign (0-based; fast-check's path of the unshrunk case). */
  index: number;
  /** Passing runs before it (in this shard). */
  runsBefore: number;
  violation: Violation;
  /** The random prefix, by meaning. */
  choices: Choice[];
  trace: Choice[];
}

export interface CampaignResult {
  runs: number;
  steps: number;
  seed: number;
  /** Set when the deadline stopped the campaign before its last run (runs says how many ran). */
  stopped?: 'deadline';
  failure?: {
    violation: Violation;
    /** The shrunk random prefix, by meaning; replaying it reproduces the violation. */
    choices: Choice[];
    /** Steps of the fair schedule that followed, if the violation is a liveness one or came after. */
    trace: Choice[];
    path: string;
    shrinks: number;
    originalSteps: number;
    /** Index of the failing run in the campaign (run i of a seed is the same whatever --runs is). */
    runIndex: number;
    /** Why shrinking ended: it found no smaller failing case, its budget ran out, or the deadline came. */
    shrunk: 'done' | 'budget' | 'deadline' | 'off';
  };
  /** The `maxTimeMs` cap stopped the campaign (or its shrinking) early. */
  interrupted?: boolean;
  /** Summed over all runs (maxima for the windows). */
  metrics: Metrics & { maxOverlapMs: number; maxZombieMs: number };
}

/** The arbitrary of one run: a long list of picks (fast-check's default size would average ~5). */
export const picksArbitrary = (maxSteps: number) =>
  fc.array(fc.nat({ max: 0x7fffffff }), { minLength: 1, maxLength: maxSteps, size: 'max' });

/**
 * A run with swarm testing: a random subset of fault kinds and modes, and the picks. One run
 * in four is LONG: up to `longRunFactor` x maxSteps picks (fewer faults, see pick.ts). The two
 * shapes are separate arbitraries, so shrinking never spends its budget on picks a run does not
 * use. Shrinks towards fewer kinds, no modes, fewer steps.
 */
export const runArbitrary = (maxSteps: number): fc.Arbitrary<RunInput> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ swarm: fc.nat({ max: swarmMax }).map((x) => x & ~LONG), picks: picksArbitrary(maxSteps) }) },
    {
      weight: 1,
      arbitrary: fc.record({ swarm: fc.nat({ max: swarmMax }).map((x) => x | LONG), picks: picksArbitrary(maxSteps * longRunFactor) }),
    },
  );

/** Thrown inside the property to end fast-check's loop at the deadline (endOnFailure: no shrinking). */
const DEADLINE = new Error('deadline');

/**
 * Random runs until one fails, then shrinking. Two fast-check passes: the first finds (run i is
 * generated from (seed, i) alone, so it is the same whatever `runs` is: more runs never lose a
 * failure fewer runs found), the second replays the failing run by its path and shrinks it
 * within a budget. The unshrunk failure is handed to `onFound` in between.
 */
export function campaign(session: Session, opts: CampaignOptions): CampaignResult {
  let runs = 0;
  let steps = 0;
  const metrics: CampaignResult['metrics'] = {
    overlapMs: 0,
    zombieMs: 0,
    duplicateRecords: 0,
    fencedCommits: 0,
    rebalances: 0,
    maxOverlapMs: 0,
    maxZombieMs: 0,
  };
  // `maxTimeMs` (a cap from now, as mutate uses it) is the same as a deadline that much later.
  if (opts.maxTimeMs !== undefined) {
    const cap = Date.now() + opts.maxTimeMs;
    opts = { ...opts, deadline: opts.deadline === undefined ? cap : Math.min(opts.deadline, cap) };
  }
  // Ctrl-C under the supervisor (src/cli/supervise.ts) stops the campaign as the deadline does.
  const late = () => pastDeadline(opts.deadline);
  let found: { input: RunInput; r: RunResult; index: number } | undefined;
  let stopped: 'deadline' | undefined;
  if (opts.path === undefined) {
    let index = 0;
    const property = fc.property(runArbitrary(opts.maxSteps), (input) => {
      const i = index++;
      // Other shards' runs pass untried.
      if (!ownsRun(opts.shard, i)) return true;
      if (late()) throw DEADLINE;
      const r = runPicks(session, input);
      if (r.violation) {
        found = { input, r, index: i };
        return false;
      }
      runs++;
      steps += r.trace.length;
      const m = r.world.metrics;
      metrics.overlapMs += m.overlapMs;
      metrics.zombieMs += m.zombieMs;
      metrics.duplicateRecords += m.duplicateRecords;
      metrics.fencedCommits += m.fencedCommits;
      metrics.rebalances += m.rebalances;
      // Only in offset retention runs with auto.offset.reset=latest (absent otherwise).
      if (m.skippedRecords) metrics.skippedRecords = (metrics.skippedRecords ?? 0) + m.skippedRecords;
      metrics.maxOverlapMs = Math.max(metrics.maxOverlapMs, m.overlapMs);
      metrics.maxZombieMs = Math.max(metrics.maxZombieMs, m.zombieMs);
      opts.onRun?.(runs);
      return true;
    });
    const details = fc.check(property, { numRuns: opts.runs, seed: opts.seed, endOnFailure: true });
    if (details.errorInstance === DEADLINE) stopped = 'deadline';
    // A property that threw (a model bug, not a violation) is reported as the error it is.
    else if (details.failed && !found) throw details.errorInstance;
    if (!found) return { runs, steps, seed: opts.seed, metrics, ...(stopped && { stopped, interrupted: true }) };
    const r = found.r;
    opts.onFound?.({
      index: found.index,
      runsBefore: runs,
      violation: r.violation!,
      choices: r.trace.slice(0, r.randomSteps),
      trace: r.trace,
    });
  }
  const shrunk = opts.shrink === false && found ? undefined : shrink(session, opts, found ? String(found.index) : opts.path!, late);
  const best = shrunk?.best ?? found;
  if (!best) return { runs, steps, seed: opts.seed, metrics };
  const r = best.r;
  const choices = r.trace.slice(0, r.randomSteps);
  // Sanity: the shrunk case replays by meaning, not only by picks.
  const again = runChoices(session, choices);
  if (again.violation?.invariant !== r.violation?.invariant) throw new Error('internal: counterexample does not replay by meaning');
  const index = Number((shrunk?.path ?? String(found!.index)).split(':')[0]);
  return {
    runs: runs + 1,
    steps,
    seed: opts.seed,
    failure: {
      violation: r.violation!,
      choices,
      trace: r.trace,
      path: shrunk?.path ?? String(found!.index),
      shrinks: shrunk?.shrinks ?? 0,
      originalSteps: found?.r.randomSteps ?? shrunk?.firstSteps ?? choices.length,
      runIndex: index,
      shrunk: shrunk?.why ?? 'off',
    },
    metrics,
    ...((stopped !== undefined || late()) && { interrupted: true }),
  };
}

/** Replays the run at `path` and shrinks it, trying at most the budget's candidates, and none after the deadline. */
function shrink(session: Session, opts: CampaignOptions, path: string, late: () => boolean) {
  const budget = opts.shrinkBudget ?? defaultShrinkBudget;
  let best: { input: RunInput; r: RunResult } | undefined;
  let firstSteps: number | undefined;
  let tries = 0;
  let why: 'done' | 'budget' | 'deadline' = 'done';
  const property = fc.property(runArbitrary(opts.maxSteps), (input) => {
    // Out of budget: every further candidate passes untried, which ends fast-check's shrinking at once.
    if (why !== 'done') return true;
    if (best && tries >= budget) {
      why = 'budget';
      return true;
    }
    if (best && late()) {
      why = 'deadline';
      return true;
    }
    tries++;
    const r = runPicks(session, input);
    if (!r.violation) return true;
    best = { input, r };
    firstSteps ??= r.randomSteps;
    return false;
  });
  const details = fc.check(property, { numRuns: 1, seed: opts.seed, path });
  if (!best) return undefined;
  if (details.errorInstance && !details.counterexample) throw details.errorInstance;
  return { best, path: details.counterexamplePath ?? path, shrinks: details.numShrinks, why, firstSteps };
}
