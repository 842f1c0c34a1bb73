import { stickyAssign } from './sticky-engine.ts';
import type { Assignor, AssignInput, AssignOutput } from './types.ts';

/**
 * Kafka's StickyAssignor (`sticky`, EAGER only): balance first, then keep previous partitions.
 *
 * Java's StickyAssignor ignores the subscription's OwnedPartitions field (eager members revoke
 * everything before joining) and reads the previous assignment and its generation from its own
 * user data. This model has no user data, so `ownedPartitions`/`generationId` stand for that
 * user data here: a harness that wants eager members to be sticky must fill them with the
 * member's last assignment and generation even though the member no longer owns them.
 */
export const sticky: Assignor = {
  name: 'sticky',
  supportedProtocols: ['eager'],
  balance: 'global',
  sticky: true,
  assign(input: AssignInput): AssignOutput {
    return Object.fromEntries(stickyAssign(input).assignment);
  },
};
