import type { TimerSettings } from '../../models/types.ts';
import type { World, WorldConfig } from '../../src/world/types.ts';
import type { Invariant } from '../invariant.ts';
import { isSettled } from '../../src/world/view.ts';

/**
 * How long a group may take to settle once faults stop, from what Kafka's timers allow, for the
 * classic protocol. Everything lost before the faults stopped is retried within the longest
 * client request timeout: the JoinGroup's, max(request.timeout.ms, rebalance timeout + 5 s)
 * (ConsumerCoordinator's joinGroupTimeoutMs). A crashed member is found within the session
 * timeout; a join phase waiting for a member that never rejoins ends at the rebalance timeout
 * (= max.poll.interval.ms, DelayedJoin; a member awaiting join is kept alive until then), and
 * the first phase of an empty group lasts at least the initial delay (KIP-134). One of each, in
 * a chain, is the bound; the cooperative follow-up round and the SyncGroups take no timer.
 */
export function classicSettleBoundMs(t: TimerSettings): number {
  const joinRequestTimeout = Math.max(t.requestTimeoutMs, t.maxPollIntervalMs + 5000);
  return joinRequestTimeout + t.maxPollIntervalMs + t.sessionTimeoutMs + t.initialRebalanceDelayMs;
}

/**
 * KIP-848: no join phase and no client-side join timeout. A heartbeat lost before the faults
 * stopped is retried within request.timeout.ms; a crashed (or departed static) member is fenced
 * within the session timeout, which bumps the group epoch and computes a new target at once
 * (GroupMetadataManager); reconciliation then needs a revocation acknowledged on one heartbeat
 * and the freed partitions handed out on the next (the coordinator answers each heartbeat
 * with what is free, ConsumerGroupHeartbeat every heartbeat interval or at once when the
 * member has something to report). The rebalance timeout does not appear: once faults stop the
 * fair schedule finishes every revocation callback at once, so no member is fenced for a slow one.
 */
export function consumerSettleBoundMs(t: TimerSettings): number {
  return t.requestTimeoutMs + t.sessionTimeoutMs + 2 * t.heartbeatIntervalMs;
}

/**
 * Join rounds (classic: join phases completed; KIP-848: target assignments computed) the
 * group may need once faults stop. Each process has at most one thing pending (an expiry, a
 * rejoin, a subscription change) and the brokers one (added partitions); so has each join
 * request still in flight: a JoinGroup, or a KIP-848 heartbeat with epoch 0, that a cut link
 * held while the client retried. Each such retry can make the coordinator admit a member no
 * process answers for, whose expiry is one more round (the coordinator cannot tell a retry
 * from a new consumer). Under cooperative rebalancing each change can take two rounds
 * (KIP-429's follow-up rebalance to hand out what was revoked); a KIP-848 change is one epoch.
 */
export function roundBound(config: WorldConfig, quiet: World): number {
  const joins = quiet.net.filter(
    (m) =>
      m.to === 'coordinator' &&
      (m.body.kind === 'JoinGroup' || (m.body.kind === 'ConsumerGroupHeartbeat' && (m.body as { memberEpoch: number }).memberEpoch === 0)),
  ).length;
  return 2 * (config.members + 1 + joins);
}

export const settleTimeBoundMs = (config: WorldConfig): number =>
  config.protocol === 'consumer' ? consumerSettleBoundMs(config.timers) : classicSettleBoundMs(config.timers);

const rounds = (before: World, after: World): number => after.metrics.rebalances - before.metrics.rebalances;

/**
 * Bounded rebalancing: `eventually-stable` allows four rounds of the longest timer and more
 * (src/world/quiesce.ts), which a group that waits out timers it should not need still meets.
 * This holds the settling to one of each timer that can be pending, and the number of rounds
 * to what the pending changes can cause. A group that never settles is eventually-stable's.
 */
export const boundedRebalance: Invariant = {
  id: 'bounded-rebalance',
  statement:
    'Once faults stop, the group settles within one of each pending timer (join request, rebalance and session timeouts, initial delay; KIP-848: request, session, two heartbeats) and within 2 x (members + 1 + join requests in flight) rounds.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'liveness',
  settleBoundMs: settleTimeBoundMs,
  check(before, _choice, after, config) {
    if (!isSettled(after)) return undefined;
    const took = after.now - before.now;
    const bound = settleTimeBoundMs(config);
    if (took > bound) return `the group took ${took} ms to settle after faults stopped (bound ${bound} ms from the timers)`;
    const n = rounds(before, after);
    const most = roundBound(config, before);
    if (n > most) return `the group took ${n} rounds to settle after faults stopped (bound ${most})`;
    return undefined;
  },
};
