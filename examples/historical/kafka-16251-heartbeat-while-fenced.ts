// KAFKA-16251 (the KIP-848 consumer, fixed by pull request 15392, February 2024): a member fenced by the
// coordinator (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID) must release its partitions first: it runs
// onPartitionsLost, and only once that returns does it move to JOINING and heartbeat again, with
// epoch 0. The member kept heartbeating while still in FENCED, waiting for the callback: its
// join heartbeat went out while the application still held the partitions it was losing.
// Planted: when the fence starts a slow onPartitionsLost, the member heartbeats at once (a join,
// epoch 0, as the fence has reset it), while it still owns everything until the callback returns.
import { builtins, defineVariant, enqueueActions } from '../../src/index.ts';

export default defineVariant({
  name: 'kafka-16251-heartbeat-while-fenced',
  description: 'KAFKA-16251: a fenced KIP-848 member heartbeats (rejoins) before its onPartitionsLost has returned.',
  protocols: ['consumer'],
  consumer: {
    actions: {
      beginLoss: enqueueActions(({ enqueue }) => {
        enqueue(builtins.groupMember.actions.beginLoss as never);
        enqueue(builtins.groupMember.actions.sendHeartbeat as never);
      }) as never,
    },
  },
});
