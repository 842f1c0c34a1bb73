import type { ConsumerOffsetCommitRequest } from '../../models/consumer-protocol/messages.ts';
import type { Goal } from '../goal.ts';
import type { World } from '../../src/world/types.ts';
import { common, isLive, processOf } from '../../src/world/view.ts';
import { groupOf, memberCtxOf } from '../../src/world/consumer-view.ts';
import { delivered } from '../step-facts.ts';
import { deliveredRequest, needs } from './facts.ts';

// Goals of the KIP-848 consumer protocol (ConsumerGroupHeartbeat, epochs, reconciliation).

const consumer: Goal['protocols'] = ['consumer'];

/** A live member is between receiving a new target and acknowledging it. */
const reconciling = (w: World): boolean => w.clients.some((s) => isLive(s) && memberCtxOf(s).reconciling !== null);

export const fencedWithRevocationsPending: Goal = {
  id: 'kip848-fenced-with-revocations-pending',
  statement: 'A KIP-848 member is fenced (session or rebalance timeout) while partitions are pending its revocation.',
  protocols: consumer,
  reached(before, choice, after) {
    if (choice.kind !== 'fire' || choice.target !== 'coordinator') return false;
    const g0 = groupOf(before);
    const g1 = groupOf(after);
    return Object.values(g0.members).some((m) => m.pendingRevocation.length > 0 && g1.members[m.memberId] === undefined);
  },
};

export const releasedToWaitingMember: Goal = {
  id: 'kip848-released-to-waiting-member',
  statement:
    'A KIP-848 member acknowledges the revocation of a partition that the target assignment gives to another member, which waits for it.',
  protocols: consumer,
  needs: needs.twoMembers,
  reached(before, _choice, after) {
    const g0 = groupOf(before);
    const g1 = groupOf(after);
    for (const a of Object.values(g0.members)) {
      const still = g1.members[a.memberId];
      if (!still) continue;
      for (const p of a.pendingRevocation) {
        if (still.pendingRevocation.includes(p)) continue;
        if (Object.entries(g1.target).some(([id, ps]) => id !== a.memberId && ps.includes(p))) return true;
      }
    }
    return false;
  },
};

export const staleEpochCommit: Goal = {
  id: 'kip848-stale-epoch-commit',
  statement: 'An offset commit reaches the KIP-848 coordinator with a member epoch older than the member has.',
  protocols: consumer,
  reached(before, choice) {
    const c = deliveredRequest(before, choice, 'OffsetCommit') as ConsumerOffsetCommitRequest | undefined;
    const m = c && groupOf(before).members[c.memberId];
    return m !== undefined && c!.memberEpoch < m.memberEpoch;
  },
};

export const failoverWhileReconciling: Goal = {
  id: 'kip848-failover-while-reconciling',
  statement: 'The KIP-848 coordinator fails over while a member is reconciling a new target assignment.',
  protocols: consumer,
  needs: needs.failover,
  reached: (before, choice) => choice.kind === 'failover' && reconciling(before),
};

export const partitionAddedWhileReconciling: Goal = {
  id: 'kip848-partition-added-while-reconciling',
  statement: 'A partition is added while a KIP-848 member has revocations or assignments outstanding.',
  protocols: consumer,
  needs: needs.addPartitions,
  reached: (before, choice) =>
    choice.kind === 'addPartition' && Object.values(groupOf(before).members).some((m) => m.memberEpoch > 0 && m.state !== 'stable'),
};

export const fencedHoldingPartitions: Goal = {
  id: 'kip848-fenced-holding-partitions',
  statement: 'A KIP-848 member still holding partitions is told FENCED_MEMBER_EPOCH or UNKNOWN_MEMBER_ID.',
  protocols: consumer,
  reached(before, choice) {
    const m = delivered(before, choice);
    if (m?.to !== 'client' || m.body.kind !== 'ConsumerGroupHeartbeatResponse') return false;
    if (m.body.error !== 'FENCED_MEMBER_EPOCH' && m.body.error !== 'UNKNOWN_MEMBER_ID') return false;
    const s = processOf(before, m.body.client)!;
    return isLive(s) && s.inc === m.body.client.inc && common(s).owned.length > 0;
  },
};

export const consumerGoals: Goal[] = [
  fencedWithRevocationsPending,
  releasedToWaitingMember,
  staleEpochCommit,
  failoverWhileReconciling,
  partitionAddedWhileReconciling,
  fencedHoldingPartitions,
];
