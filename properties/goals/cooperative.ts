import type { Goal } from '../goal.ts';
import type { ClientSlot, World, WorldConfig } from '../../src/world/types.ts';
import { partitionsOf } from '../../models/types.ts';
import { coord, coordState, ctxOf, isLive, processOf } from '../../src/world/view.ts';
import { delivered } from '../step-facts.ts';
import { liveIn, needs } from './facts.ts';

// Goals of the cooperative (incremental, KIP-429) and eager rebalance modes.

/**
 * A cooperative member whose last SyncGroup revoked partitions and that has not yet rejoined:
 * the follow-up rebalance that hands the revoked partitions on is pending.
 */
const followUpPending = (s: ClientSlot): boolean =>
  isLive(s) &&
  ctxOf(s).cfg.protocol === 'cooperative' &&
  ctxOf(s).rejoinNeeded &&
  ctxOf(s).generation > 0 &&
  (s.snapshot!.value === 'stable' || s.snapshot!.value === 'revoking');

export const cooperativeRevocation: Goal = {
  id: 'cooperative-revocation',
  statement: 'A cooperative member learns from SyncGroup that partitions it owns move away, and a follow-up rebalance is due.',
  protocols: ['cooperative'],
  needs: needs.twoMembers,
  reached(before, choice, after) {
    const m = delivered(before, choice);
    if (m?.to !== 'client' || m.body.kind !== 'SyncGroupResponse') return false;
    const b = processOf(before, m.body.client)!;
    const a = after.clients.find((s) => s.name === b.name)!;
    return !followUpPending(b) && followUpPending(a);
  },
};

/**
 * Partitions of the current cooperative generation that the leader assigned to nobody: revoked
 * from their owner and waiting for the follow-up rebalance (KIP-429's second round), or left by
 * a member that is gone. Only partitions the topics had from the start count, so a partition
 * added since (which the leader may not know yet) does not.
 */
function unassignedInGeneration(w: World, config: WorldConfig): boolean {
  if (w.family !== 'classic') return false;
  const g = coord(w);
  const ms = Object.values(g.members);
  if (g.generation <= 0 || ms.length < 2 || ms.some((m) => m.assignment === null)) return false;
  const assigned = new Set(ms.flatMap((m) => m.assignment!));
  const topics = [...new Set(ms.flatMap((m) => m.subscription.topics))];
  return partitionsOf(config.topics, topics).some((p) => !assigned.has(p));
}

export const partitionAddedDuringFollowUp: Goal = {
  id: 'partition-added-during-follow-up',
  statement:
    'A partition is added while partitions of the current cooperative generation are assigned to nobody, awaiting the follow-up rebalance.',
  protocols: ['cooperative'],
  needs: needs.and(needs.twoMembers, needs.addPartitions),
  steer: { addPartition: 6, deliver: 3, start: 3, crash: 2, drop: 0.2, cut: 0.2, stall: 0.2 },
  reached: (before, choice, _after, config) => choice.kind === 'addPartition' && unassignedInGeneration(before, config),
};

export const rebalanceDuringRevocationCallback: Goal = {
  id: 'rebalance-during-revocation-callback',
  statement: 'A new rebalance begins while a cooperative member is still inside onPartitionsRevoked.',
  protocols: ['cooperative'],
  needs: needs.and(needs.twoMembers, needs.slowCallbacks),
  steer: { callback: 0.2 },
  reached: (before, _choice, after) =>
    coordState(before) !== 'PreparingRebalance' &&
    coordState(after) === 'PreparingRebalance' &&
    liveIn(before, 'revoking').some((s) => ctxOf(s).cfg.protocol === 'cooperative'),
};

export const eagerJoinEndsDuringRevocation: Goal = {
  id: 'eager-join-ends-during-revocation',
  statement: 'An eager join phase ends while a member is still in onPartitionsRevoked and has not sent its JoinGroup.',
  protocols: ['eager'],
  needs: needs.and(needs.twoMembers, needs.slowCallbacks),
  steer: { callback: 0.1, fire: 3 },
  reached: (before, choice, after) =>
    choice.kind === 'fire' &&
    choice.target === 'coordinator' &&
    coordState(before) === 'PreparingRebalance' &&
    coordState(after) !== 'PreparingRebalance' &&
    liveIn(before, 'revoking').some((s) => ctxOf(s).cfg.protocol === 'eager'),
};

export const rebalanceModeGoals: Goal[] = [
  cooperativeRevocation,
  partitionAddedDuringFollowUp,
  rebalanceDuringRevocationCallback,
  eagerJoinEndsDuringRevocation,
];
