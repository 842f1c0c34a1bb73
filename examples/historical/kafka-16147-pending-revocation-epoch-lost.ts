// KAFKA-16147 (the KIP-848 group coordinator, fixed by pull request 15212, January 2024): a
// partition assigned to two members at the same time. The coordinator keeps, per partition, the
// epoch of the member holding it (assigned or pending revocation); a new target may not hand a
// partition to another member while it has an epoch. When a member had a partition pending
// revocation and the next target gave that same partition back to it before the revocation was
// done, the bookkeeping lost the partition's epoch: the partition looked free while the member
// still held it, and the next target could give it to someone else too.
// Planted: after the coordinator reconciles a member, the partitions that moved from its
// pending revocation back to its assignment have no partition epoch.
import { builtins, defineVariant, enqueueActions, type groupCoordinator } from '../../src/index.ts';

type Ctx = groupCoordinator.GroupContext;

export default defineVariant({
  name: 'kafka-16147-pending-revocation-epoch-lost',
  description: 'KAFKA-16147: a partition pending revocation that is assigned back to the same member loses its partition epoch.',
  protocols: ['consumer'],
  coordinator: {
    actions: {
      reconcileMember: enqueueActions(({ context, enqueue }) => {
        const before = (context as Ctx).members[(context as Ctx).round?.memberId ?? ''];
        enqueue(builtins.groupCoordinator.actions.reconcileMember as never);
        if (!before) return;
        enqueue.assign(({ context: c }) => {
          const after = (c as Ctx).members[before.memberId];
          const back = before.pendingRevocation.filter((p) => after?.assigned.includes(p));
          if (back.length === 0) return {};
          const partitionEpochs = { ...(c as Ctx).partitionEpochs };
          for (const p of back) delete partitionEpochs[p];
          return { partitionEpochs };
        });
      }) as never,
    },
  },
});
