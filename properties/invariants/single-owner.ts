import type { Invariant } from '../invariant.ts';
import { staleInstall } from '../../src/world/consumer-view.ts';
import { common, epochOf, isCurrentMember } from '../../src/world/view.ts';

/**
 * CO1: the leader's assignment and the members' view of it never share a partition.
 *
 * One exception, Kafka's own behaviour (docs/model.md, "Slow onPartitionsAssigned and
 * single-owner"): a KIP-848 member whose heartbeat, sent while a reconciliation was adding a
 * partition, reported its assignment without it (ConsumerHeartbeatRequestManager sends
 * `currentAssignment`, which AbstractMembershipManager.revokeAndAssign sets only after
 * onPartitionsAssigned returned), so that the coordinator (CurrentAssignmentBuilder,
 * UNREVOKED_PARTITIONS: "not anymore reported in the owned partitions") freed it and gave it to
 * another member, and that then installed it anyway. The world records the partitions such a
 * heartbeat left out (`unreported`) until the member revokes them.
 */
export const singleOwner: Invariant = {
  id: 'single-owner',
  statement:
    'At most one member of the current generation owns each partition (except a partition a KIP-848 member installed after reporting it as not owned while its onPartitionsAssigned ran: Kafka does that).',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  judges: 'state',
  check(_before, _choice, after) {
    const seen = new Map<string, string>();
    for (const s of after.clients) {
      if (!isCurrentMember(after, s)) continue;
      for (const p of common(s).owned) {
        if (staleInstall(after, s, p)) continue;
        const other = seen.get(p);
        if (other !== undefined) return `${p} is owned by both ${other} and ${s.name} in generation (epoch) ${epochOf(s)}`;
        seen.set(p, s.name);
      }
    }
    return undefined;
  },
};
