import type { Invariant } from '../invariant.ts';
import { balancePromise, common, isSettled, liveClients, subscriptionOf } from '../../src/world/view.ts';

const spread = (counts: number[]) => (counts.length === 0 ? 0 : Math.max(...counts) - Math.min(...counts));

/** Section 6: roundrobin and the sticky family balance globally, range per topic (identical subscriptions). */
export const balancedWhenStable: Invariant = {
  id: 'balanced-when-stable',
  statement: 'In a stable group with identical subscriptions, member partition counts differ by at most one (per topic for range).',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(_before, _choice, after) {
    // What the assignor the group actually selected promises.
    const promise = balancePromise(after);
    if (!promise || !isSettled(after)) return undefined;
    const slots = liveClients(after);
    const live = slots.map(common);
    const subscriptions = slots.map((s) => subscriptionOf(after, s));
    const topics = subscriptions[0]?.join(',');
    if (subscriptions.some((t) => t.join(',') !== topics)) return undefined;
    if (promise === 'global') {
      const counts = live.map((c) => c.owned.length);
      if (spread(counts) > 1) return `partition counts ${counts.join('/')} differ by more than one`;
      return undefined;
    }
    for (const t of subscriptions[0] ?? []) {
      const counts = live.map((c) => c.owned.filter((p) => p.startsWith(`${t}-`)).length);
      if (spread(counts) > 1) return `partition counts of ${t} ${counts.join('/')} differ by more than one`;
    }
    return undefined;
  },
};
