import type { Invariant } from '../invariant.ts';
import { dropped, responseTo, changedProcesses } from '../step-facts.ts';
import { ctxOf, isClosing } from '../../src/world/view.ts';

/**
 * CO5 (KIP-429): a cooperative member gives up a partition only when the assignment it
 * receives no longer contains it, when it unsubscribes from the topic, or when it finds its
 * generation reset (onPartitionsLost). Everything else keeps being consumed through the rebalance.
 * close() gives everything up (onLeavePrepare): that is leaving, not a rebalance.
 */
export const cooperativeKeepsUnmoved: Invariant = {
  id: 'cooperative-keeps-unmoved',
  statement: 'Cooperative rebalancing never revokes a partition that stays with its owner.',
  protocols: ['cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    for (const [b, a] of changedProcesses(before, after)) {
      const c = ctxOf(a);
      if (c.cfg.protocol !== 'cooperative') continue;
      const gone = dropped(b, a);
      if (gone.length === 0) continue;
      if (c.generation < 0 || c.memberId === '') continue; // lost, not revoked
      if (isClosing(a)) continue;
      const r = responseTo(before, choice, a);
      // The assignment that takes effect now: from SyncGroup, or after a slow revocation callback.
      const assignment =
        r?.kind === 'SyncGroupResponse' && r.error === 'NONE'
          ? r.assignment
          : choice?.kind === 'callback' && choice.client === a.name
            ? c.lastAssignment
            : null;
      const kept = gone.filter((p) => (assignment ? assignment.includes(p) : c.cfg.topics.includes(p.slice(0, p.lastIndexOf('-')))));
      if (kept.length > 0)
        return `${a.name} revoked ${kept.join(', ')} although ${assignment ? 'its new assignment keeps them' : 'it is still subscribed and its generation is valid'}`;
    }
    return undefined;
  },
};
