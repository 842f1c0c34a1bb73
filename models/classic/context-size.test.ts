import { expect, test } from 'vitest';
import { initialConsumerContext } from './consumer-state.ts';
import { initialCoordinatorContext } from './coordinator-state.ts';
import { defaultTimers } from '../types.ts';

// xstate's assign copies the whole context with Object.assign; V8 falls off a cliff
// (measured ~15x slower) once an object has 20 or more own properties. Not a timing test:
// it pins the shape that keeps the hot loop on the fast path.
test('machine contexts stay under 20 top-level keys', () => {
  const consumer = initialConsumerContext({
    client: 'c1',
    inc: 1,
    now: 0,
    assignors: ['range'],
    protocol: 'eager',
    topics: ['t0'],
    metadata: { t0: 1 },
    settings: defaultTimers,
  });
  const coordinator = initialCoordinatorContext({ initialRebalanceDelayMs: 0 });
  expect(Object.keys(consumer).length).toBeLessThan(20);
  expect(Object.keys(coordinator).length).toBeLessThan(20);
});
