import type { Invariant } from '../invariant.ts';
import { balancePromise, common, driftedTopics, isSettled, liveClients, strandedTopics, subscriptionOf } from '../../src/world/view.ts';

const spread = (counts: number[]) => (counts.length === 0 ? 0 : Math.max(...counts) - Math.min(...counts));

/** Section 6: roundrobin and the sticky family balance globally, range per topic (identical subscriptions). */
export const balancedWhenStable: Invariant = {
  id: 'balanced-when-stable',
  statement:
    'In a stable group with identical subscriptions, member partition counts differ by at most one (per topic for range; ' +
    'topics a static replacement resubscribed in Stable are exempt, KAFKA-12759: Kafka keeps the older assignment).',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  judges: 'state',
  check(_before, _choice, after) {
    // What the assignor the group actually selected promises.
    const promise = balancePromise(after);
    if (!promise || !isSettled(after)) return undefined;
    const slots = liveClients(after);
    const live = slots.map(common);
    const subscriptions = slots.map((s) => subscriptionOf(after, s));
    const topics = subscriptions[0]?.join(',');
    if (subscriptions.some((t) => t.join(',') !== topics)) return undefined;
    // Kafka's KAFKA-12759: the assignment was computed from subscriptions a static replacement
    // has since changed, and nothing rebalances (docs/fidelity.md).
    // And partitions a static replacement stranded mid-revocation, which Kafka leaves unassigned.
    const drifted = [...driftedTopics(after), ...strandedTopics(after)];
    if (promise === 'global') {
      if (drifted.length > 0) return undefined;
      const counts = live.map((c) => c.owned.length);
      if (spread(counts) > 1) return `partition counts ${counts.join('/')} differ by more than one`;
      return undefined;
    }
    for (const t of subscriptions[0] ?? []) {
      if (drifted.includes(t)) continue;
      const counts = live.map((c) => c.owned.filter((p) => p.startsWith(`${t}-`)).length);
      if (spread(counts) > 1) return `partition counts of ${t} ${counts.join('/')} differ by more than one`;
    }
    return undefined;
  },
};
