import type { OffsetCommitRequest, SyncGroupRequest } from '../../models/classic/messages.ts';
import type { Goal } from '../goal.ts';
import { coord, coordState } from '../../src/world/view.ts';
import { deliveredRequest, generationFormed, holdsPartitions, liveIn, liveSlot, needs } from './facts.ts';

// Goals of the classic protocol (JoinGroup/SyncGroup), eager and cooperative alike.

const classic: Goal['protocols'] = ['eager', 'cooperative'];
const rebalancing = ['PreparingRebalance', 'CompletingRebalance'];

export const failoverAwaitingSync: Goal = {
  id: 'failover-awaiting-sync',
  statement: 'The coordinator fails over while a member awaits its SyncGroup response.',
  protocols: classic,
  needs: needs.failover,
  reached: (before, choice) => choice.kind === 'failover' && liveIn(before, 'syncing').length > 0,
};

export const failoverCompletingRebalance: Goal = {
  id: 'failover-in-completing-rebalance',
  statement:
    'The coordinator fails over in CompletingRebalance, a step never persisted: the new coordinator reloads the previous generation.',
  protocols: classic,
  needs: needs.failover,
  reached: (before, choice) => choice.kind === 'failover' && coordState(before) === 'CompletingRebalance',
};

export const commitAfterGenerationReplaced: Goal = {
  id: 'commit-after-generation-replaced',
  statement: 'An offset commit reaches the coordinator carrying a generation that has since been replaced.',
  protocols: classic,
  // A member cut off while the group moves on, committing before it hears of it.
  steer: { commit: 4, cut: 4, heal: 0.3, fire: 2 },
  reached(before, choice) {
    const c = deliveredRequest(before, choice, 'OffsetCommit') as OffsetCommitRequest | undefined;
    return c !== undefined && c.generation >= 0 && c.generation < coord(before).generation;
  },
};

export const commitInCompletingRebalance: Goal = {
  id: 'commit-in-completing-rebalance',
  statement: 'An offset commit reaches the coordinator in CompletingRebalance (answered REBALANCE_IN_PROGRESS).',
  protocols: classic,
  steer: { commit: 4, cut: 4, heal: 0.3, fire: 2 },
  reached: (before, choice) =>
    deliveredRequest(before, choice, 'OffsetCommit') !== undefined && coordState(before) === 'CompletingRebalance',
};

export const commitAcceptedPreparing: Goal = {
  id: 'commit-accepted-in-preparing-rebalance',
  statement: 'An offset commit of the old generation is stored while the group is in PreparingRebalance.',
  protocols: classic,
  reached: (before, choice, after) =>
    deliveredRequest(before, choice, 'OffsetCommit') !== undefined &&
    coordState(before) === 'PreparingRebalance' &&
    coord(after).committed !== coord(before).committed,
};

export const staleSyncGroup: Goal = {
  id: 'stale-sync-group',
  statement: 'A SyncGroup of a replaced generation reaches the coordinator (answered ILLEGAL_GENERATION or REBALANCE_IN_PROGRESS).',
  protocols: classic,
  reached(before, choice) {
    const s = deliveredRequest(before, choice, 'SyncGroup') as SyncGroupRequest | undefined;
    return s !== undefined && s.generation < coord(before).generation;
  },
};

export const twoJoinSameRound: Goal = {
  id: 'two-members-join-same-round',
  statement: 'Two members new to the group join in the same join phase, and the generation forms with both.',
  protocols: classic,
  needs: needs.twoMembers,
  reached(before, _choice, after) {
    if (!generationFormed(before, after)) return false;
    const kept = coord(after).members;
    return Object.values(coord(before).members).filter((m) => m.isNew && kept[m.memberId]).length >= 2;
  },
};

export const leaderLostMidRebalance: Goal = {
  id: 'leader-lost-mid-rebalance',
  statement: 'The group leader leaves the group (left, expired or fenced) during a rebalance: a new leader must be chosen.',
  protocols: classic,
  needs: needs.twoMembers,
  reached(before, _choice, after) {
    const leader = coord(before).leaderId;
    return (
      leader !== null &&
      after.coordinatorEpoch === before.coordinatorEpoch &&
      rebalancing.includes(coordState(before)) &&
      coord(after).members[leader] === undefined
    );
  },
};

export const sessionExpiresWhileCut: Goal = {
  id: 'session-expires-while-cut',
  statement: "A member's session expires while its link is cut and it still holds partitions: a zombie.",
  protocols: classic,
  needs: needs.cut,
  steer: { cut: 4, heal: 0.1, fire: 3 },
  reached(before, choice, after) {
    if (choice.kind !== 'fire' || choice.target !== 'coordinator' || !choice.timer.startsWith('session:')) return false;
    const id = choice.timer.slice('session:'.length);
    const m = coord(before).members[id];
    if (!m || coord(after).members[id]) return false;
    const s = liveSlot(before, m.client.client);
    return s !== undefined && s.inc === m.client.inc && s.cut && holdsPartitions(s);
  },
};

export const memberDroppedAtJoinEnd: Goal = {
  id: 'member-dropped-at-join-end',
  statement: 'A join phase ends without a member that did not rejoin in time, and the coordinator removes it.',
  protocols: classic,
  needs: needs.dynamic,
  reached(before, choice, after) {
    if (choice.kind !== 'fire' || choice.target !== 'coordinator' || coordState(before) !== 'PreparingRebalance') return false;
    if (coordState(after) === 'PreparingRebalance' || after.coordinatorEpoch !== before.coordinatorEpoch) return false;
    return Object.keys(coord(before).members).some((id) => coord(after).members[id] === undefined);
  },
};

export const classicGoals: Goal[] = [
  failoverAwaitingSync,
  failoverCompletingRebalance,
  commitAfterGenerationReplaced,
  commitInCompletingRebalance,
  commitAcceptedPreparing,
  staleSyncGroup,
  twoJoinSameRound,
  leaderLostMidRebalance,
  sessionExpiresWhileCut,
  memberDroppedAtJoinEnd,
];
