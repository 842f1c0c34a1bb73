// KAFKA-10284 (fixed by pull request 9270, October 2020): a static member restarted within its
// session timeout takes its old place under a new member id without a rebalance (KIP-345), but
// the coordinator did not write the changed membership to the log. After a coordinator failover
// the group was loaded with the old member id for the instance: the running member's requests
// carried an id the group no longer knew, and the instance id mapped to a member that was gone.
// Planted: the group record is not written when a static member is replaced in Stable (the only
// JoinGroup that writes it; join completions and SyncGroups still do).
import { builtins, defineVariant, enqueueActions } from '../../src/index.ts';

export default defineVariant({
  name: 'kafka-10284-static-replacement-not-persisted',
  description: 'KAFKA-10284: the replacement of a static member in Stable is not persisted, so a failover loads the old member id.',
  protocols: ['eager', 'cooperative'],
  coordinator: {
    actions: {
      persistGroup: enqueueActions(({ event, enqueue }) => {
        if ((event as { type: string }).type === 'JoinGroup') return;
        enqueue(builtins.classicCoordinator.actions.persistGroup as never);
      }) as never,
    },
  },
});
