import type { TopicPartition } from '../types.ts';
import { type EngineResult, stickyAssign } from './sticky-engine.ts';
import type { Assignor, AssignInput, AssignOutput, MemberSubscription } from './types.ts';

/**
 * CooperativeStickyAssignor.computePartitionsTransferringOwnership, used when the general builder
 * ran: partitions added to one member that some member's raw OwnedPartitions loses.
 */
function transferringFromDiff(
  subs: Record<string, MemberSubscription>,
  assignment: Map<string, TopicPartition[]>,
): Map<TopicPartition, string> {
  const added = new Map<TopicPartition, string>();
  const revoked = new Set<TopicPartition>();
  for (const [m, assigned] of assignment) {
    const owned = subs[m].ownedPartitions;
    assigned.filter((p) => !owned.includes(p)).forEach((p) => added.set(p, m));
    owned.filter((p) => !assigned.includes(p)).forEach((p) => revoked.add(p));
  }
  return new Map([...added].filter(([p]) => revoked.has(p)));
}

/**
 * Kafka's CooperativeStickyAssignor (`cooperative-sticky`): the sticky target minus every
 * partition that would change owner in this round (adjustAssignment). The previous owner sees it
 * revoked, rejoins without it, and the follow-up rebalance hands it over (KIP-429), so no
 * partition is ever owned by two members at once. The same stripping applies when the group runs
 * it with EAGER semantics, which is what makes the mixed-protocol upgrade bounce safe.
 * `generationId` is the KIP-792 subscription field; the user-data fallback for v0/v1
 * subscriptions is not modelled (a missing generation is -1 either way).
 */
export const cooperativeSticky: Assignor = {
  name: 'cooperative-sticky',
  supportedProtocols: ['cooperative', 'eager'],
  balance: 'global',
  sticky: true,
  assign(input: AssignInput): AssignOutput {
    return cooperativeAdjust(input, stickyAssign(input));
  },
};

/** CooperativeStickyAssignor.adjustAssignment over a sticky engine result. */
export function cooperativeAdjust(input: AssignInput, { assignment, transferring }: EngineResult): AssignOutput {
  for (const [p, m] of transferring ?? transferringFromDiff(input.subscriptions, assignment)) {
    const list = assignment.get(m)!;
    if (list.includes(p)) list.splice(list.indexOf(p), 1);
  }
  return Object.fromEntries(assignment);
}
