import type { Invariant } from '../../properties/invariant.ts';
import type { Variant } from '../variants/variant.ts';
import type { WorldConfig } from '../world/types.ts';
import { campaign, type CampaignResult } from './campaign.ts';
import { session } from '../run/config.ts';
import { runChoices } from '../run/run.ts';

export type Failure = NonNullable<CampaignResult['failure']>;

const timerSum = (c: WorldConfig) => Object.values(c.timers).reduce((a, b) => a + b, 0);
const weight = (c: WorldConfig, f: Failure) => [
  c.members,
  Object.values(c.topics).reduce((a, b) => a + b, 0),
  Object.keys(c.topics).length,
  f.choices.length,
  timerSum(c),
];
const smaller = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};

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

/**
 * Shrinks the instance after fast-check has shrunk the steps: tries fewer members,
 * partitions and topics and smaller timer settings, keeps a reduction when a short campaign
 * finds the same invariant violated there (confirmed with every invariant on), and repeats.
 */
export function shrinkInstance(
  config: WorldConfig,
  variant: Variant | undefined,
  failure: Failure,
  invariants: Invariant[],
  opts: { runs: number; seed: number; maxSteps: number },
): { config: WorldConfig; failure: Failure } {
  let best = { config, failure };
  const target = failure.violation.invariant;
  const only = invariants.filter((i) => i.id === target);
  for (let improved = true; improved; ) {
    improved = false;
    for (const candidate of reductions(best.config)) {
      const s = session(candidate, variant);
      const r = campaign({ ...s, invariants: only }, { runs: Math.min(opts.runs, 1000), seed: opts.seed, maxSteps: opts.maxSteps });
      if (!r.failure) continue;
      // The saved file replays with every invariant on: it must still fail on this one.
      const again = runChoices(s, r.failure.choices);
      if (again.violation?.invariant !== target) continue;
      const f: Failure = { ...r.failure, violation: again.violation, trace: again.trace };
      if (!smaller(weight(candidate, f), weight(best.config, best.failure))) continue;
      best = { config: candidate, failure: f };
      improved = true;
      break;
    }
  }
  return best;
}
