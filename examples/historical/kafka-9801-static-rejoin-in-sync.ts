// KAFKA-9801 (the classic group coordinator; fixed by pull request 8405, Kafka 2.5.1 and 2.6,
// April 2020): "Static member could get empty assignment unexpectedly". A static member that
// restarted (a JoinGroup with its group.instance.id and no member id) while the group was in
// CompletingRebalance got a new member id and was answered at once with the current generation,
// as in Stable, without a rebalance. But the leader's assignment for that generation was being
// computed for the old member id: when its SyncGroup arrived, the new id had no entry, and the
// member was handed an empty assignment (the client failed to parse it), its partitions
// assigned to nobody. The fix triggers a rebalance for a static member that joins in
// CompletingRebalance (updateStaticMemberThenRebalanceOrCompleteJoin).
// Planted: the named decision `staticReplacementRebalancesInSync` answered no, so the coordinator
// takes the Stable branch (replace the member id, answer the JoinGroup with the current
// generation) while the leader's SyncGroup is still to come.
import { defineVariant } from '../../src/index.ts';

export default defineVariant({
  name: 'kafka-9801-static-rejoin-in-sync',
  description: 'KAFKA-9801: a static member that restarts while the group waits for the SyncGroup is replaced without a rebalance.',
  protocols: ['eager', 'cooperative'],
  coordinator: { guards: { staticReplacementRebalancesInSync: () => false } },
});
