import { expect, test } from 'vitest';
import { exploreSpec } from './spec.ts';
import { testSpec } from './spec-for-tests.ts';

// explore --max-time: the search stops at the wall-clock deadline and says so; without one it
// runs to its bounds.

test('a deadline already passed stops the search after its first poll, marked timedOut', () => {
  const whole = exploreSpec(testSpec());
  expect(whole.timedOut).toBeUndefined();
  const cut = exploreSpec(testSpec({ deadline: Date.now() - 1 }));
  expect(cut.timedOut).toBe(true);
  expect(cut.transitions).toBeLessThan(whole.transitions);
  expect(cut.violation).toBeUndefined();
});
