import { expect, test } from 'vitest';
import { defaultTimers } from '../models/types.ts';
import { campaign } from '../src/random/campaign.ts';
import { session, worldConfig } from '../src/run/config.ts';

// docs/fidelity.md, "A rebalance timeout below the heartbeat interval": with max.poll.interval.ms
// (the classic rebalance timeout) not above heartbeat.interval.ms, two dynamic classic members can
// take turns missing each other's join phase, as they can in Kafka; the group never settles and
// eventually-stable names the cause. The same runs with the timeout above the interval settle,
// and no safety invariant fails either way (a stalled member's poll timer stays within
// max.poll.interval.ms: the re-check while the heartbeat thread is off follows the shorter one).

const configOf = (protocol: 'eager' | 'cooperative', maxPollIntervalMs: number) => {
  const assignor = protocol === 'eager' ? 'range' : 'cooperative-sticky';
  return { ...worldConfig({ protocol, assignor, members: 2, partitions: 2 }), timers: { ...defaultTimers, maxPollIntervalMs } };
};
const opts = { runs: 200, seed: 7, maxSteps: 60, shrink: false };

test.each(['eager', 'cooperative'] as const)(
  '%s: a rebalance timeout below the heartbeat interval never settles, and says why',
  (protocol) => {
    const r = campaign(session(configOf(protocol, 2_000)), opts);
    expect(r.failure?.violation.invariant).toBe('eventually-stable');
    expect(r.failure?.violation.message).toMatch(
      /max\.poll\.interval\.ms 2000 ms, the classic rebalance timeout, is not above heartbeat\.interval\.ms 3000 ms/,
    );
  },
);

test.each(['eager', 'cooperative'] as const)(
  '%s: the same runs with the timeout above the heartbeat interval hold every invariant',
  (protocol) => {
    const r = campaign(session(configOf(protocol, 3_500)), opts);
    expect(r.failure?.violation).toBeUndefined();
  },
);

test('without liveness, a rebalance timeout below the heartbeat interval breaks no safety invariant', () => {
  for (const protocol of ['eager', 'cooperative'] as const) {
    const r = campaign(session(configOf(protocol, 2_000), undefined, false), { ...opts, runs: 400 });
    expect(r.failure?.violation).toBeUndefined();
  }
});
