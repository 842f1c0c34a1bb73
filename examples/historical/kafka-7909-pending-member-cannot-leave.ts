// KAFKA-7909 (fixed by pull request 6251, Kafka 2.2, February 2019): with KIP-394 a new member
// first gets a member id (MEMBER_ID_REQUIRED) and is "pending" until it rejoins with it; a
// rebalance completes early only once no member is pending. A pending member that left (a
// consumer closed before its second JoinGroup) was answered UNKNOWN_MEMBER_ID and stayed pending:
// the group's rebalance waited for it until its session timeout removed it. The fix lets a
// pending member leave (GroupCoordinator.handleLeaveGroup removes it and re-checks the join).
// Planted: the coordinator does not recognise a pending member in a LeaveGroup, so the leave
// falls through to the unknown-member answer, as before the fix.
import { type classicCoordinator, defineVariant } from '../../src/index.ts';

type Args = { context: classicCoordinator.CoordinatorContext; event: { msg: { kind: string; memberId: string } } };

export default defineVariant({
  name: 'kafka-7909-pending-member-cannot-leave',
  description: 'KAFKA-7909: a KIP-394 pending member that leaves is answered UNKNOWN_MEMBER_ID and stays pending.',
  protocols: ['eager', 'cooperative'],
  coordinator: {
    guards: {
      // The built-in guard is `context.pending.includes(memberId)`, for JoinGroup and LeaveGroup.
      isPendingMember: ({ context, event }: Args) => event.msg.kind !== 'LeaveGroup' && context.pending.includes(event.msg.memberId),
    },
  },
});
