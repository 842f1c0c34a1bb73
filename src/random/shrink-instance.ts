import type { Invariant } from '../../properties/invariant.ts';
import type { Variant } from '../variants/variant.ts';
import type { WorldConfig } from '../world/types.ts';
import { campaign, type CampaignResult } from './campaign.ts';
import { session } from '../run/config.ts';
import { runChoices } from '../run/run.ts';
import { pastDeadline } from '../core/control.ts';

export type Failure = NonNullable<CampaignResult['failure']>;

/**
 * One-notch-smaller instances: a member, a partition of every topic, or a topic fewer; no
 * initial rebalance delay; every timer halved (their ratios, which the protocol depends on,
 * stay).
 */
function reductions(c: WorldConfig): WorldConfig[] {
  const out: WorldConfig[] = [];
  if (c.members > 1) out.push({ ...c, members: c.members - 1 });
  if (Object.values(c.topics).every((n) => n > 1))
    out.push({ ...c, topics: Object.fromEntries(Object.entries(c.topics).map(([t, n]) => [t, n - 1])) });
  const names = Object.keys(c.topics);
  if (names.length > 1) out.push({ ...c, topics: Object.fromEntries(names.slice(0, -1).map((t) => [t, c.topics[t]])) });
  if (c.timers.initialRebalanceDelayMs > 0) out.push({ ...c, timers: { ...c.timers, initialRebalanceDelayMs: 0 } });
  // Exact halves only, so the numbers in the trace stay round.
  const values = Object.values(c.timers);
  if (c.timers.heartbeatIntervalMs >= 500 && values.every((v) => v % 2 === 0)) {
    const half = { ...c.timers };
    for (const k of Object.keys(half) as Array<keyof typeof half>) half[k] /= 2;
    out.push({ ...c, timers: half });
  }
  return out;
}

/** Runs each smaller instance may take to fail again: fixed, so the result does not depend on --runs. */
export const instanceShrinkRuns = 1000;
/** Runs all the smaller instances together may take: instance shrinking ends when they are spent. */
export const instanceShrinkBudget = 5000;

/**
 * Shrinks the instance: tries fewer members, partitions and topics and smaller timer
 * settings (every reduction is smaller in one of them and equal in the rest), keeps a
 * reduction when a short campaign, finding only, fails on the same invariant there (confirmed
 * with every invariant on), and repeats; then shrinks the steps of the smallest instance once,
 * within the campaign's budget. Each candidate costs at most `instanceShrinkRuns` runs, all of
 * them together `instanceShrinkBudget`, and none starts after the deadline.
 */
export function shrinkInstance(
  config: WorldConfig,
  variant: Variant | undefined,
  failure: Failure,
  invariants: Invariant[],
  opts: { seed: number; maxSteps: number; deadline?: number; shrinkBudget?: number; liveness?: boolean },
): { config: WorldConfig; failure: Failure; reduced: boolean } {
  let best = config;
  const target = failure.violation.invariant;
  const only = invariants.filter((i) => i.id === target);
  const late = () => pastDeadline(opts.deadline);
  let left = instanceShrinkBudget;
  for (let improved = true; improved && !late() && left > 0; ) {
    improved = false;
    for (const candidate of reductions(best)) {
      if (left <= 0) break;
      const s = { ...session(candidate, variant, opts.liveness ?? true), invariants: only };
      const runs = Math.min(instanceShrinkRuns, left);
      const r = campaign(s, { runs, seed: opts.seed, maxSteps: opts.maxSteps, shrink: false, deadline: opts.deadline });
      left -= r.runs;
      if (!r.failure) continue;
      // The saved file replays with every invariant on: it must still fail on this one.
      if (runChoices(session(candidate, variant, opts.liveness ?? true), r.failure.choices).violation?.invariant !== target) continue;
      best = candidate;
      improved = true;
      break;
    }
  }
  if (best === config) return { config, failure, reduced: false };
  // The steps, shrunk on the smaller instance with every invariant on (it fails there: checked above).
  const s = session(best, variant, opts.liveness ?? true);
  const r = campaign(s, {
    runs: instanceShrinkRuns,
    seed: opts.seed,
    maxSteps: opts.maxSteps,
    deadline: opts.deadline,
    shrinkBudget: opts.shrinkBudget,
  });
  if (r.failure?.violation.invariant !== target) return { config, failure, reduced: false };
  return { config: best, failure: r.failure!, reduced: true };
}
