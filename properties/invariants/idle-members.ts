import type { Invariant } from '../invariant.ts';
import { common, isSettled, liveClients, strandedTopics, subscriptionOf } from '../../src/world/view.ts';

/**
 * A member gets nothing only when its topics have fewer partitions than subscribers. Stated
 * per topic because range balances per topic: with several topics a range member can be
 * idle for one topic while others have partitions to spare.
 */
export const idleOnlyWhenOutnumbered: Invariant = {
  id: 'idle-only-when-outnumbered',
  statement: 'In a stable group a member owns no partition only if, for some topic it subscribes to, members outnumber partitions.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  judges: 'state',
  check(_before, _choice, after) {
    if (!isSettled(after)) return undefined;
    const live = liveClients(after);
    // Kafka leaves partitions a static replacement stranded mid-revocation unassigned (docs/fidelity.md).
    const stranded = strandedTopics(after);
    for (const s of live) {
      const c = common(s);
      const topics = subscriptionOf(after, s);
      if (c.owned.length > 0 || topics.some((t) => stranded.has(t))) continue;
      const outnumbered = topics.some((t) => live.filter((o) => subscriptionOf(after, o).includes(t)).length > (after.topics[t] ?? 0));
      if (!outnumbered) {
        const counts = topics.map((t) => `${t}: ${after.topics[t] ?? 0} partitions`).join(', ');
        return `${s.name} is idle with ${live.length} members and ${counts}`;
      }
    }
    return undefined;
  },
};
