import type { Invariant } from '../invariant.ts';
import { partitionsOf } from '../../models/types.ts';
import { common, isSettled, liveClients, subscribedTopics } from '../../src/world/view.ts';

/** Once the group has settled, the assignment covers every partition exactly once. */
export const stableCoverage: Invariant = {
  id: 'stable-coverage',
  statement: 'In a stable group every partition of the subscribed topics has exactly one owner among the members.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(_before, _choice, after) {
    if (!isSettled(after)) return undefined;
    const owners = new Map<string, string[]>();
    for (const s of liveClients(after)) for (const p of common(s).owned) owners.set(p, [...(owners.get(p) ?? []), s.name]);
    for (const p of partitionsOf(after.topics, subscribedTopics(after))) {
      const o = owners.get(p) ?? [];
      if (o.length !== 1) return o.length === 0 ? `${p} has no owner in the stable group` : `${p} is owned by ${o.join(' and ')}`;
    }
    return undefined;
  },
};
