import { expect, test } from 'vitest';
import { noBudgets } from './bounds.ts';
import { exploreSpec, resolveSpec } from './spec.ts';
import { UsageError } from '../core/errors.ts';

// `explore --migration`: a rolling switch of group.protocol explored completely on the smallest
// instance (one consumer restarted once on the other protocol, no faults, messages delivered
// before timers fire): the group is converted between the two types and every migration
// invariant holds in every state, liveness included. The counts are pinned: a change to the
// conversion or to either coordinator that alters the state space shows here.

const complete = { budgets: noBudgets, maxDepth: 10_000, maxDelayMs: 0 };

test.each([
  ['upgrade', 'cooperative', 365],
  ['downgrade', 'cooperative', 400],
] as const)('explore --migration %s (%s, 1 member x 1 partition) is complete at %i states', (migration, protocol, states) => {
  const { spec } = resolveSpec(undefined, { protocol, members: 1, partitions: 1, migration, ...complete });
  const r = exploreSpec(spec);
  expect(r.violation).toBeUndefined();
  // Complete: no depth, in-flight or clock bound cut anything off (the delay bound only holds timers back).
  expect({ ...r.cut, delay: 0 }).toEqual({ depth: 0, inFlight: 0, time: 0, delay: 0 });
  expect(r.states).toBe(states);
});

test('explore --migration refuses what it does not model, in one line', () => {
  expect(() => resolveSpec(undefined, { migration: 'sideways' })).toThrow(UsageError);
  expect(() => resolveSpec(undefined, { migration: 'upgrade', protocol: 'consumer' })).toThrow(/classic side/);
  expect(() => resolveSpec(undefined, { migration: 'upgrade', static: true })).toThrow(/static/);
});
