import type { Goal } from '../goal.ts';
import type { WorldConfig } from '../../src/world/types.ts';
import { anyProtocolGoals } from './any-protocol.ts';
import { classicGoals } from './classic.ts';
import { consumerGoals } from './consumer.ts';
import { rebalanceModeGoals } from './cooperative.ts';
import { staticGoals } from './static.ts';
import { upgradeGoals } from './upgrade.ts';

export type { Goal } from '../goal.ts';

/** Every reachability goal, in the order they are reported. */
export const goals: Goal[] = [
  ...classicGoals,
  ...rebalanceModeGoals,
  ...anyProtocolGoals,
  ...staticGoals,
  ...consumerGoals,
  ...upgradeGoals,
];

/**
 * The goals a run of this configuration can reach: those of its protocol whose needs it meets.
 * A rolling upgrade starts eager and ends cooperative: the eager goals and the upgrade's own apply.
 */
export const goalsFor = (config: WorldConfig): Goal[] =>
  goals.filter((g) => g.protocols.includes(config.protocol) && (g.needs?.holds(config) ?? true));
