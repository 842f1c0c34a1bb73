import type { Choice, Protocol, World, WorldConfig } from '../src/world/types.ts';

/**
 * A named predicate over one step. `check` returns a message naming what went wrong, or
 * nothing. The same list serves the random runner, replay and the command line.
 */
export interface Invariant {
  id: string;
  /** One line, in the terms of Kafka's protocol. */
  statement: string;
  protocols: Protocol[];
  /** Checked only in migration runs (a group of classic and KIP-848 members, converted between types). */
  migrationOnly?: boolean;
  /**
   * `safety` invariants are checked after every step; `liveness` ones once per run, after the
   * faults stop: `before` is the world when they stopped, `after` the world at the end of the
   * fair schedule, `choice` is null.
   */
  kind: 'safety' | 'liveness';
  check(before: World, choice: Choice | null, after: World, config: WorldConfig): string | undefined;
  /**
   * What the verdict of a safety invariant depends on. `state`: the world after the step alone
   * (and the config), up to what the explorer's state key leaves out (src/explore/canonical.ts:
   * absolute time, message and correlation ids, `sent`, `metrics`, ...) and up to renaming the
   * clients: never `before`, `choice`, `after.sent` or the clock's absolute value. `step` (the
   * default, safe for a new invariant): anything about the step. The explorer judges a state
   * invariant once per distinct state, not on every transition into it (docs/speed.md);
   * properties/judges.test.ts holds every declaration to account on random runs.
   */
  judges?: 'state' | 'step';
  /**
   * For a `step` invariant part of whose verdict is a state rule (as `judges: 'state'` means):
   * that part (`state`), and what `check` says on a step into a world that part passes (`step`).
   * `check` must fail whenever `state` does, and equal `step` whenever `state` passes: on a
   * transition into a state already judged the explorer runs `step` alone.
   */
  split?: {
    state(after: World, config: WorldConfig): string | undefined;
    step(before: World, choice: Choice | null, after: World, config: WorldConfig): string | undefined;
  };
  /**
   * Liveness invariants that bound the time to settle once faults stop: the bound, so that the
   * explorer's fair-schedule walks (which remember times, not worlds) can hold states to it.
   */
  settleBoundMs?(config: WorldConfig): number;
}
