import { LEAVE_EPOCH, type ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import { memberOfInstance, type GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import type { Choice, World } from '../../src/world/types.ts';

/**
 * How a KIP-848 consumer group loses a member, by apache/kafka's GroupMetadataManager:
 *
 * - A heartbeat with member epoch -1 (consumerGroupLeave) from a member the group knows (by member
 *   id; a static member by its instance id, held by that member id) fences it
 *   (consumerGroupFenceMember): the member is removed and the group epoch goes up by one, and the
 *   answer is NONE at epoch -1 (testLeavingMemberBumpsGroupEpoch,
 *   testLeavingStaticMemberBumpsGroupEpoch). From a member id the group does not know,
 *   getOrMaybeCreateMember(memberId, false) throws UNKNOWN_MEMBER_ID; a static member whose
 *   instance id nobody holds gets UNKNOWN_MEMBER_ID (throwIfStaticMemberIsUnknown), one whose
 *   instance id another member id holds gets FENCED_INSTANCE_ID (throwIfInstanceIdIsFenced;
 *   testShouldThrowUnknownMemberIdExceptionWhenUnknownStaticMemberLeaves,
 *   testShouldThrowFencedInstanceIdExceptionWhenStaticMemberWithDifferentMemberIdLeaves). Such
 *   an answer changes nothing: no member removed, no epoch bump.
 * - Any member the group loses otherwise (its session timeout, its rebalance timeout:
 *   consumerGroupFenceMemberOperation and scheduleConsumerGroupRebalanceTimeout both end in
 *   consumerGroupFenceMember) bumps the group epoch by one in the same batch
 *   (testSessionTimeoutExpiration, testRebalanceTimeoutExpiration: the epoch record after the
 *   tombstones), so that the next heartbeat computes a new target without it and its partitions
 *   go to the members left. A static replacement (a new member id taking the instance of a
 *   member parked at -2) is not a loss: the instance keeps its assignment and the epoch stays.
 *
 * Not judged: a fence that downgrades a mixed group to a classic group (the group is then no
 * longer a consumer group: mixed-group-type), and the unloading coordinator at a failover.
 */
export const kip848MemberRemoval: Invariant = {
  id: 'kip848-member-removal',
  statement:
    'A KIP-848 leave (-1) from a member the group knows removes it and bumps the group epoch by one; one from an unknown member id or fenced instance is refused (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) and changes nothing; any other member the group loses bumps the group epoch by one.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'consumer' || after.family !== 'consumer' || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
    if (before.coordinator.value !== 'active' || after.coordinator.value !== 'active') return undefined;
    const g0 = groupOf(before);
    const g1 = groupOf(after);
    // A refused leave may leave the coordinator's snapshot as it was: its answer is judged anyway.
    return leave(before, choice, after, g0, g1) ?? (before.coordinator === after.coordinator ? undefined : removal(g0, g1));
  },
};

/** The -1 heartbeat delivered in this step, judged by who sent it. */
function leave(before: World, choice: Choice | null, after: World, g0: GroupContext, g1: GroupContext): string | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'coordinator' || m.body.kind !== 'ConsumerGroupHeartbeat') return undefined;
  const req = m.body as ConsumerGroupHeartbeatRequest & { epoch: number };
  if (req.memberEpoch !== LEAVE_EPOCH || req.epoch !== before.coordinatorEpoch) return undefined;
  const answer = after.sent.find((r) => r.to === 'client' && r.body.corr === req.corr && r.body.client.client === req.client.client)
    ?.body as { error: string; memberEpoch?: number } | undefined;
  const holder = req.instanceId === null ? g0.members[req.memberId] : memberOfInstance(g0, req.instanceId);
  const who = `${req.client.client} (member ${req.memberId}${req.instanceId === null ? '' : `, instance ${req.instanceId}`})`;
  if (holder && holder.memberId === req.memberId) {
    if (g1.members[req.memberId]) return `${who} left with epoch -1 but is still a member`;
    if (g1.groupEpoch !== g0.groupEpoch + 1)
      return `${who} left with epoch -1 but the group epoch went ${g0.groupEpoch} -> ${g1.groupEpoch}, not up by one`;
    if (answer && (answer.error !== 'NONE' || answer.memberEpoch !== LEAVE_EPOCH))
      return `${who} left with epoch -1 and was removed, but the answer was ${answer.error} at epoch ${answer.memberEpoch}`;
    return undefined;
  }
  const expected = holder ? 'FENCED_INSTANCE_ID' : 'UNKNOWN_MEMBER_ID';
  if (answer?.error !== expected)
    return `${who} left with epoch -1 unknown to the group, answered ${answer?.error ?? 'nothing'} where Kafka answers ${expected}`;
  const gone = Object.keys(g0.members).filter((id) => !g1.members[id]);
  if (gone.length > 0) return `${who} left with epoch -1 unknown to the group, and ${gone.join(', ')} was removed`;
  if (g1.groupEpoch !== g0.groupEpoch)
    return `${who} left with epoch -1 unknown to the group, and the group epoch moved ${g0.groupEpoch} -> ${g1.groupEpoch}`;
  return undefined;
}

/** A member gone (not replaced by a new member id of its instance) bumps the group epoch by one. */
function removal(g0: GroupContext, g1: GroupContext): string | undefined {
  if (g0.members === g1.members) return undefined;
  const held = new Set(Object.values(g1.members).flatMap((x) => (x.instanceId === null ? [] : [x.instanceId])));
  const lost = Object.values(g0.members).filter((x) => !g1.members[x.memberId] && (x.instanceId === null || !held.has(x.instanceId)));
  if (lost.length === 0 || g1.groupEpoch === g0.groupEpoch + 1) return undefined;
  return `member ${lost.map((x) => x.memberId).join(', ')} left the group but the group epoch went ${g0.groupEpoch} -> ${g1.groupEpoch}, not up by one`;
}
