import type { Invariant } from '../invariant.ts';
import { balancePromise, common, isSettled, liveClients } from '../../src/world/view.ts';

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
    const live = liveClients(after).map(common);
    const topics = live[0]?.cfg.topics.join(',');
    if (live.some((c) => c.cfg.topics.join(',') !== topics)) return undefined;
    if (promise === 'global') {
      const counts = live.map((c) => c.owned.length);
      if (spread(counts) > 1) return `partition counts ${counts.join('/')} differ by more than one`;
      return undefined;
    }
    for (const t of live[0]?.cfg.topics ?? []) {
      const counts = live.map((c) => c.owned.filter((p) => p.startsWith(`${t}-`)).length);
      if (spread(counts) > 1) return `partition counts of ${t} ${counts.join('/')} differ by more than one`;
    }
    return undefined;
  },
};
