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

/**
 * A campaign, then, on failure, instance shrinking and the counterexample file's content. The
 * campaign only finds; the steps are shrunk once, on the smallest instance that still fails.
 */
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
  const reduce = opts.shrinkInstance !== false && !opts.path && opts.shrink !== false;
  const result = campaign(s, { ...opts, shrink: reduce ? false : opts.shrink });
  if (!result.failure) return { result, session: s };
  const reduced = reduce ? shrinkInstance(config, variant, result.failure, s.invariants, opts) : undefined;
  const found = reduced?.reduced
    ? reduced
    : reduce
      ? { config, failure: campaign(s, { ...opts, path: String(result.failure.runIndex), onFound: undefined }).failure! }
      : { config, failure: result.failure };
  const final = session(found.config, variant, opts.liveness ?? true);
  const f = { ...found.failure, runIndex: result.failure.runIndex };
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
