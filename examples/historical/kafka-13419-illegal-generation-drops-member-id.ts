// KAFKA-13419 (fixed by pull request 11451, Kafka 3.1, November 2021): the classic consumer
// answered ILLEGAL_GENERATION (to a heartbeat, SyncGroup or OffsetCommit) by resetting its whole
// Generation, member id included, as for UNKNOWN_MEMBER_ID. But ILLEGAL_GENERATION means the
// coordinator still knows the member id: the consumer rejoined as a new member (KIP-394's
// MEMBER_ID_REQUIRED first), and the next join phase waited for the old member id, which would
// never rejoin, until the rebalance timeout removed it; cooperative members also lost their
// partitions with the generation. The fix resets only the generation and keeps the member id
// (AbstractCoordinator.resetStateAndGeneration with shouldResetMemberId false: "keep member id
// since it might be still valid, to avoid to wait for the old member id leaving group until
// rebalance timeout in next rebalance").
// Planted: the built-in resetGeneration, which the ILLEGAL_GENERATION answers run, forgets the
// member id too, as before the fix.
import { assign, defineVariant } from '../../src/index.ts';

export default defineVariant({
  name: 'kafka-13419-illegal-generation-drops-member-id',
  description: 'KAFKA-13419: an ILLEGAL_GENERATION answer makes the classic consumer forget its member id as well as its generation.',
  protocols: ['cooperative', 'eager'],
  consumer: {
    actions: {
      // The built-in action keeps memberId (it is resetGenerationAndMemberId that clears it).
      resetGeneration: assign({ generation: -1, memberId: '', protocolName: null, isLeader: false }) as never,
    },
  },
});
