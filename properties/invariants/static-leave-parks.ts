import { STATIC_LEAVE_EPOCH, type ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { groupOf } from '../../src/world/consumer-view.ts';

/**
 * KIP-345 in KIP-848: a static member that leaves temporarily (close() of a consumer with
 * group.instance.id: a heartbeat with member epoch -2) is parked, not removed
 * (GroupMetadataManager.consumerGroupHeartbeat -> consumerGroupStaticMemberGroupLeave): its record
 * stays with epoch -2, its assigned partitions kept for it, nothing pending revocation, and the
 * heartbeat is answered with epoch -2; the group epoch is not bumped, so the others keep their
 * partitions while the instance restarts within its session timeout and takes its assignment back.
 */
export const staticLeaveParks: Invariant = {
  id: 'static-leave-parks',
  statement:
    'A KIP-848 static member leaving with epoch -2 is parked: its record stays at epoch -2 with its assignment, and the group epoch does not move.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'consumer' || after.family !== 'consumer' || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
    const m = delivered(before, choice);
    if (m?.to !== 'coordinator' || m.body.kind !== 'ConsumerGroupHeartbeat') return undefined;
    const req = m.body as ConsumerGroupHeartbeatRequest & { epoch: number };
    if (req.memberEpoch !== STATIC_LEAVE_EPOCH || req.instanceId === null || req.epoch !== before.coordinatorEpoch) return undefined;
    if (before.coordinator.value !== 'active' || after.coordinator.value !== 'active') return undefined;
    const g0 = groupOf(before);
    const held = Object.values(g0.members).find((x) => x.instanceId === req.instanceId);
    // Only the instance's current holder parks it (another member id is fenced, FENCED_INSTANCE_ID).
    if (!held || held.memberId !== req.memberId) return undefined;
    const g1 = groupOf(after);
    const parked = g1.members[held.memberId];
    const who = `${req.client.client} (${req.instanceId})`;
    if (!parked) return `${who} left with epoch -2 but its member record was removed, not parked`;
    if (parked.memberEpoch !== STATIC_LEAVE_EPOCH) return `${who} left with epoch -2 but its record has epoch ${parked.memberEpoch}`;
    if ([...parked.assigned].sort().join() !== [...held.assigned].sort().join())
      return `${who} left with epoch -2 but its assignment changed from [${held.assigned.join(', ')}] to [${parked.assigned.join(', ')}]`;
    if (g1.groupEpoch !== g0.groupEpoch) return `${who} left with epoch -2 but the group epoch moved ${g0.groupEpoch} -> ${g1.groupEpoch}`;
    return undefined;
  },
};
