import type { Variant } from '../variants/variant.ts';
import type { WorldConfig } from '../world/types.ts';
import { goals as allGoals } from '../../properties/goals/index.ts';
import { missedGoals, type GoalTracker } from '../run/goals.ts';
import { choiceWeights } from '../run/pick.ts';
import type { ChoiceKind } from '../world/types.ts';
import { findCounterexample, type Found } from './find.ts';
import type { CampaignOptions } from './campaign.ts';

// Steering by the reachability goals. Some goals need a long stretch of virtual time (a
// session that expires while a link is cut, a commit that arrives after its generation was
// replaced): in a 60-step random prefix they are rare. When a campaign ends with goals of its
// configuration unreached, steering rounds follow: runs with three times the prefix length and
// the choice weights one missed goal asks for in `steer` (the missed goals in turn; their
// product could work against each other), seeds seed+1, seed+2, ..., until every goal is
// reached or the rounds run out. Only configurations that missed a goal pay for it. A steering
// run is a function of (config, seed, max steps, weights); its violations are saved as
// counterexample files like any other (replayed by meaning, without the weights).

export const steeringRounds = 12;
export const steeringLength = 3;

export interface Steered {
  /** The found result of the last campaign run (the main one, or the steering round that failed). */
  found: Found;
  /** Seed and prefix length of that campaign (what a replay command needs). */
  seed: number;
  maxSteps: number;
  /** Extra runs made and the goals they reached that the main campaign had not. */
  extraRuns: number;
  newlyReached: string[];
}

type Opts = CampaignOptions & Parameters<typeof findCounterexample>[2] & { goalTracker: GoalTracker };

/** The main campaign, then steering rounds while goals of the configuration remain unreached. */
export function campaignSteeredByGoals(config: WorldConfig, variant: Variant | undefined, opts: Opts): Steered {
  const found = findCounterexample(config, variant, opts);
  const out: Steered = { found, seed: opts.seed, maxSteps: opts.maxSteps, extraRuns: 0, newlyReached: [] };
  if (found.failure || opts.path !== undefined) return out;
  const missed = () => missedGoals(opts.goalTracker.report()).map((g) => g.id);
  const before = missed();
  const runs = Math.max(25, Math.ceil(opts.runs / 20));
  for (let round = 1; round <= steeringRounds && missed().length > 0; round++) {
    const seed = (opts.seed + round) % 2 ** 31;
    const maxSteps = opts.maxSteps * steeringLength;
    // One missed goal per round, in turn: each goal's own factors (their product could work against each other).
    const left = missed();
    const weights = steeredWeights([left[(round - 1) % left.length]]);
    const extra = findCounterexample(config, variant, { ...opts, runs, seed, maxSteps, weights, onRun: undefined });
    out.extraRuns += extra.result.runs;
    if (extra.failure) return { ...out, found: extra, seed, maxSteps, newlyReached: before.filter((g) => !missed().includes(g)) };
  }
  out.newlyReached = before.filter((g) => !missed().includes(g));
  return out;
}

/** The choice weights with every factor the missed goals ask for applied. */
export function steeredWeights(missed: string[]): Record<ChoiceKind, number> {
  const weights = { ...choiceWeights };
  for (const g of allGoals) if (missed.includes(g.id)) for (const [k, f] of Object.entries(g.steer ?? {})) weights[k as ChoiceKind] *= f;
  return weights;
}
