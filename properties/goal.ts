import type { Choice, ChoiceKind, Protocol, World, WorldConfig } from '../src/world/types.ts';

/**
 * A reachability goal ("sometimes" property): a named situation where bugs live. An invariant
 * must hold after every step; a goal must be *reached* by some step of a campaign, or the
 * campaign did not test what it claims to. Declared like an invariant: an id, one line in
 * Kafka's terms, the protocols it belongs to, and a predicate over one step.
 */
export interface Goal {
  id: string;
  /** One line, in the terms of Kafka's protocol. */
  statement: string;
  protocols: Protocol[];
  /**
   * What a campaign must allow for the goal to be reachable at all (static membership, slow
   * callbacks, a failover...), in words and as a test on the run's configuration. A goal whose
   * `needs` does not hold does not apply: `--require-goals` does not ask for it.
   */
  needs?: { text: string; holds(config: WorldConfig): boolean };
  /**
   * How to make it likelier, for the steering rounds that follow a campaign that missed it:
   * factors on the weights of kinds of choice (see src/run/pick.ts), e.g. `{ crash: 10, callback: 0.1 }`.
   */
  steer?: Partial<Record<ChoiceKind, number>>;
  /** True when this step is an instance of the situation. */
  reached(before: World, choice: Choice, after: World, config: WorldConfig): boolean;
}
