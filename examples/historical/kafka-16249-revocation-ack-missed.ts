// KAFKA-16249 (the KIP-848 group coordinator, fixed by pull request 15364, Kafka 3.8, February
// 2024): "when a member acknowledges the revocation of partitions (by not reporting them in the
// heartbeat), the current implementation may miss it". Kafka 3.7's CurrentAssignmentBuilder
// recomputed a member's assignment whenever a new target had been installed since it last
// reconciled the member (its targetMemberEpoch), before looking at the owned partitions the
// heartbeat reported. A member that acknowledged its revocation in the first heartbeat after a
// new target had its acknowledgement ignored; and since a consumer reports its owned partitions
// only when they change, it never reported them again: it stayed in the revoking state until
// the rebalance timeout fenced it. The fix (UNREVOKED_PARTITIONS) waits for the revocation
// first, and recomputes only once it is acknowledged.
// Planted: the coordinator remembers, per member, the target epoch it last reconciled it
// against (variantState); a revoking member's heartbeat that comes after a newer target is
// reconciled as if it reported no owned partitions (still owns them all).
import { builtins, defineVariant, enqueueActions, type groupCoordinator, perMember, variantState } from '../../src/index.ts';

type Ctx = groupCoordinator.GroupContext;
type Heartbeat = { msg: { owned: string[] | null } };
const reconcile = builtins.groupCoordinator.actions.reconcileMember;
// The built-in action is xstate's assign; its assignment is the function that computes the patch.
const patch = (reconcile as unknown as { assignment: (args: { context: Ctx; event: Heartbeat }) => Partial<Ctx> }).assignment;
const targetSeen = variantState<Record<string, number>>('targetSeen', {});

export default defineVariant({
  name: 'kafka-16249-revocation-ack-missed',
  description: 'KAFKA-16249: a revocation acknowledged in the first heartbeat after a new target is missed.',
  protocols: ['consumer'],
  coordinator: {
    actions: {
      reconcileMember: enqueueActions(({ context, enqueue }) => {
        const ctx = context as Ctx;
        const id = ctx.round?.memberId ?? '';
        const missed = ctx.members[id]?.state === 'unrevoked' && perMember(targetSeen.get(ctx), id, ctx.targetEpoch) !== ctx.targetEpoch;
        if (missed)
          enqueue.assign(({ context: c, event }: { context: Ctx; event: Heartbeat }) =>
            patch({ context: c, event: { ...event, msg: { ...event.msg, owned: null } } }),
          );
        else enqueue(reconcile as never);
        enqueue(targetSeen.update((seen, { context: c }: { context: Ctx }) => ({ ...seen, [id]: c.targetEpoch })));
      }) as never,
    },
  },
});
