import { expect, test } from 'vitest';
import { nextDeadline } from '../world/view.ts';
import { noBudgets, type Bounds } from './bounds.ts';
import { explore } from './explore.ts';
import { exploreSpec, specSession, type ExploreSpec } from './explore-spec.ts';

// A bounded-delay network makes small instances finite: these explorations have no depth
// bound that cuts anything, so "no violation" covers every behaviour within the budgets.

const bounds = (o: Partial<Bounds> = {}): Bounds => ({ budgets: noBudgets, maxDepth: 10_000, maxInFlight: 8, maxTimeMs: Infinity, maxDelayMs: 0, ...o });
const spec = (o: Partial<ExploreSpec> = {}): ExploreSpec => ({
  protocol: 'cooperative',
  assignor: 'cooperative-sticky',
  members: 1,
  partitions: 1,
  topics: 1,
  static: false,
  slowCallbacks: false,
  variant: null,
  bounds: bounds(),
  symmetry: true,
  liveness: false,
  coverage: false,
  ...o,
});

test.each([
  // [instance, with symmetry, without]
  ['cooperative 1x1, no faults', spec(), 42, 42],
  ['cooperative 2x1, no faults', spec({ members: 2 }), 378, 755],
  ['cooperative 1x1, 1 crash, 1 restart', spec({ bounds: bounds({ budgets: { ...noBudgets, crash: 1, start: 1 } }) }), 519, 519],
  ['eager/range 2x2, 1 drop', spec({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, bounds: bounds({ budgets: { ...noBudgets, drop: 1 } }) }), 5166, 10331],
  ['consumer/uniform 2x1, 1 crash, 1 restart', spec({ protocol: 'consumer', assignor: 'uniform', members: 2, bounds: bounds({ budgets: { ...noBudgets, crash: 1, start: 1 } }) }), 2042, 3980],
])('complete exploration, pinned state counts: %s', (_name, s, withSymmetry, without) => {
  const a = exploreSpec(s);
  const b = exploreSpec({ ...s, symmetry: false });
  for (const r of [a, b]) {
    expect(r.violation).toBeUndefined();
    expect(r.cut).toMatchObject({ depth: 0, inFlight: 0, time: 0 });
  }
  expect([a.states, b.states]).toEqual([withSymmetry, without]);
});

test('no timer fires while a deliverable message is older than the bound', () => {
  const maxDelayMs = 100;
  const s = spec({ members: 2, bounds: bounds({ maxDelayMs, maxDepth: 40, budgets: { ...noBudgets, crash: 1, start: 1 } }) });
  const { session } = specSession(s);
  let fires = 0;
  const r = explore(session, s.bounds, {
    symmetry: true,
    liveness: false,
    observe: (before, choice) => {
      if (choice.kind !== 'fire') return;
      fires++;
      const due = nextDeadline(before);
      for (const m of before.net) expect(due - m.sentAt).toBeLessThanOrEqual(maxDelayMs);
    },
  });
  expect(fires).toBeGreaterThan(100);
  expect(r.cut.delay).toBeGreaterThan(0);
});

test('without the bound the same instance does not end: 12 steps already reach far more states than the whole bounded space', () => {
  const whole = exploreSpec(spec()).states;
  const r = exploreSpec(spec({ bounds: bounds({ maxDelayMs: Infinity, maxDepth: 12 }) }));
  expect(r.states).toBeGreaterThan(whole * 10);
  expect(r.cut.depth).toBeGreaterThan(0);
});
