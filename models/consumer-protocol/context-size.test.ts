import { expect, test } from 'vitest';
import { defaultTimers } from '../types.ts';
import { initialGroupContext } from './coordinator-state.ts';
import { initialMemberContext } from './member-state.ts';

// As for the classic machines (models/classic/context-size.test.ts): xstate's assign copies the
// context with Object.assign, which V8 runs far slower from 20 own properties on.
test('consumer-protocol machine contexts stay under 20 top-level keys', () => {
  const member = initialMemberContext({ client: 'c1', inc: 1, now: 0, topics: ['t0'], metadata: { t0: 1 }, settings: defaultTimers });
  const group = initialGroupContext({ sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3000 });
  expect(Object.keys(member).length).toBeLessThan(20);
  expect(Object.keys(group).length).toBeLessThan(20);
});
