import { expect, test } from 'vitest';
import { noBudgets } from './bounds.ts';
import { exploreParallel } from './parallel.ts';
import { exploreSpec, type ExploreSpec } from './spec.ts';
import { testSpec } from './spec-for-tests.ts';

// Workers split the checking, not the graph: the result must be the one thread's, exactly.

const spec = (o: Partial<ExploreSpec> = {}): ExploreSpec =>
  testSpec({
    liveness: true,
    bounds: { budgets: { ...noBudgets, crash: 1, start: 1 }, maxDepth: 10_000, maxInFlight: 8, maxTimeMs: Infinity, maxDelayMs: 0 },
    ...o,
  });

test('two workers reach the same states, transitions and diameter as one thread, and share the liveness walks', async () => {
  const s = spec({ members: 1 });
  const one = exploreSpec(s);
  const two = await exploreParallel(s, 2);
  expect(two.violation).toBeUndefined();
  expect([two.states, two.transitions, two.diameter]).toEqual([one.states, one.transitions, one.diameter]);
  expect(two.liveness!.walks).toBe(one.liveness!.walks);
});

test.each([
  [
    'a safety violation',
    spec({ protocol: 'eager', assignor: 'range', variant: 'double-assign', bounds: { ...spec().bounds, budgets: noBudgets } }),
  ],
  [
    'a liveness violation',
    spec({
      protocol: 'eager',
      members: 1,
      variant: 'no-session-expiry',
      bounds: { ...spec().bounds, maxDelayMs: Infinity, maxDepth: 12, budgets: { ...noBudgets, crash: 1 } },
    }),
  ],
])('with %s, two workers report the violation one thread finds first', async (_name, s) => {
  const one = exploreSpec(s);
  const two = await exploreParallel(s, 2);
  expect(one.violation).toBeDefined();
  expect(two.violation?.invariant).toBe(one.violation!.invariant);
  expect(two.violation!.path).toEqual(one.violation!.path);
  expect(two.states).toBe(one.states);
});
