// KAFKA-12983 (the classic consumer, AbstractCoordinator; fixed by pull request 10986, Kafka 3.0
// and 2.8.1, July 2021): "onJoinPrepare is not always invoked before joining the group".
// joinGroupIfNeeded ran onJoinPrepare only while its `needsJoinPrepare` flag was set, cleared it
// before the call and set it again only after a join completed. A member whose JoinGroup or
// SyncGroup failed with UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION (its member id or generation reset
// by resetStateAndRejoin) looped back to JoinGroup without onJoinPrepare: in COOPERATIVE it kept
// the partitions it owned, never called onPartitionsLost for them, went on consuming them and
// claimed them in its next JoinGroup, while the group handed them to others. The fix sets
// `needsJoinPrepare` again in resetStateAndRejoin, so every rejoin after a reset runs
// onJoinPrepare, which gives up everything as lost after a generation reset.
// Planted: the consumer remembers (variantState) that it ran onJoinPrepare in this rebalance and,
// until a join completes (the SyncGroup's assignment taken), skips it: no slow onPartitionsLost on
// the way back to JoinGroup, and the owned partitions kept.
import { builtins, defineVariant, enqueueActions, variantState } from '../../src/index.ts';

const prepared = variantState('join-prepared', false);
const { actions, guards } = builtins.classicConsumer;

/** The built-in action, then the flag: a join completed, the next rebalance prepares again. */
const completesJoin = (action: keyof typeof actions) =>
  enqueueActions(({ enqueue }) => {
    enqueue(actions[action] as never);
    enqueue(prepared.update(() => false));
  });

export default defineVariant({
  name: 'kafka-12983-join-prepare-once',
  description:
    'KAFKA-12983: onJoinPrepare runs once per rebalance, not again after a reset during the join: a cooperative member keeps what it lost.',
  protocols: ['cooperative'],
  consumer: {
    actions: {
      revokeLostOrUnsubscribed: enqueueActions(({ context, enqueue }) => {
        if (prepared.get(context)) return;
        enqueue(actions.revokeLostOrUnsubscribed as never);
        enqueue(prepared.update(() => true));
      }),
      installAssignment: completesJoin('installAssignment'),
      awaitRevocation: completesJoin('awaitRevocation'),
    },
    guards: {
      slowLoss: (args: { context: object }) => !prepared.get(args.context) && (guards.slowLoss as (a: object) => boolean)(args),
    },
  },
});
