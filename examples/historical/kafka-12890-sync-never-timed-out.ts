// KAFKA-12890 (fixed by pull requests 10863 and 10895, 2021): a group stuck in CompletingRebalance.
// Since pull request 8834 members may heartbeat while the group is CompletingRebalance; each heartbeat
// completed the DelayedHeartbeat that was the only watch on a member that never sends its
// SyncGroup, so when one never came the group waited for it forever. The fix added a pending-sync
// timer: every member must send SyncGroup within the rebalance timeout of the group entering
// CompletingRebalance, or it is removed and the group rebalances.
// Planted: the pending-sync timer is never started.
import { assign } from 'xstate';
import { defineVariant } from '../../src/index.ts';

export default defineVariant({
  name: 'kafka-12890-sync-never-timed-out',
  description: 'KAFKA-12890: no pending-sync timer, so a member that never sends SyncGroup holds the group in CompletingRebalance.',
  protocols: ['eager', 'cooperative'],
  coordinator: { actions: { armSyncTimer: assign({}) } },
});
