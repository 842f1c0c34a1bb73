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
   * Liveness invariants that bound the time to settle once faults stop: the bound, so that the
   * explorer's fair-schedule walks (which remember times, not worlds) can hold states to it.
   */
  settleBoundMs?(config: WorldConfig): number;
}
