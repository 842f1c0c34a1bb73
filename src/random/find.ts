import type { Variant } from '../variants/variant.ts';
import type { WorldConfig } from '../world/types.ts';
import { FORMAT, TOOL_VERSION, sizeOf, violationOf, type Counterexample } from '../replay/counterexample.ts';
import { storeChoices } from '../replay/replay.ts';
import { campaign, type CampaignOptions, type CampaignResult } from './campaign.ts';
import { session } from '../run/config.ts';
import type { Coverage } from '../run/coverage.ts';
import { observeBoth, type GoalTracker } from '../run/goals.ts';
import type { Session } from '../run/run.ts';
import { shrinkInstance, type Failure } from './shrink-instance.ts';

export interface Found {
  result: CampaignResult;
  /** Present when an invariant failed: the smallest case found, as a file and as a run. */
  counterexample?: Counterexample;
  failure?: Failure;
  /** The session of the (possibly smaller) instance the counterexample runs in. */
  session: Session;
}

/** A campaign, then, on failure, instance shrinking and the counterexample file's content. */
export function findCounterexample(
  config: WorldConfig,
  variant: Variant | undefined,
  opts: CampaignOptions & {
    liveness?: boolean;
    shrinkInstance?: boolean;
    coverage?: Coverage;
    goalTracker?: GoalTracker;
    weights?: Session['weights'];
  },
): Found {
  const plain = session(config, variant, opts.liveness ?? true);
  const covered = opts.coverage ? { ...plain, model: opts.coverage.wrap(plain.model) } : plain;
  const observe = observeBoth(opts.coverage?.observe, opts.goalTracker?.observe);
  const watched = observe ? { ...covered, observe } : covered;
  const s = opts.weights ? { ...watched, weights: opts.weights } : watched;
  const result = campaign(s, opts);
  if (!result.failure) return { result, session: s };
  const found =
    opts.shrinkInstance !== false && !opts.path
      ? shrinkInstance(config, variant, result.failure, s.invariants, opts)
      : { config, failure: result.failure };
  const final = session(found.config, variant, opts.liveness ?? true);
  const f = found.failure;
  const counterexample: Counterexample = {
    format: FORMAT,
    tool: { name: 'rebalance-check', version: TOOL_VERSION },
    protocol: config.protocol,
    assignor: config.assignor,
    // A user's variant file is stored by path, so that replay can load it again.
    variant: variant?.source ?? variant?.name ?? null,
    config: found.config,
    seed: opts.seed,
    choices: storeChoices(final, f.choices),
    violation: violationOf(f.violation),
    shrink: { before: sizeOf(config, result.failure.originalSteps), after: sizeOf(found.config, f.choices.length) },
  };
  return { result: { ...result, failure: f }, counterexample, failure: f, session: final };
}
