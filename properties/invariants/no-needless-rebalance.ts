import type { JoinGroupRequest } from '../../models/classic/messages.ts';
import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { coord, coordState } from '../../src/world/view.ts';

const formed = ['Stable', 'CompletingRebalance'];

/**
 * Kafka's GroupCoordinator starts a rebalance (prepareRebalance) for a member joining, leaving or
 * expiring, or changing what it asked for. A known member's JoinGroup that repeats the
 * protocols and subscription the group holds (a retry after a lost response or a request
 * timeout) is answered with the current generation (doCurrentMemberJoinGroup: in
 * CompletingRebalance `member.matches(protocols)`, in Stable also unless it is the leader, whose
 * JoinGroup is how metadata changes it watches take effect). Heartbeats, SyncGroups and commits
 * never start one. The static restart case is static-restart-no-rebalance's.
 */
export const noNeedlessRebalance: Invariant = {
  id: 'no-needless-rebalance',
  statement:
    'A formed group starts a rebalance only for a join, a leave, an expiry or changed metadata: never on a heartbeat, a SyncGroup, a commit or a repeated JoinGroup with unchanged metadata.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    const from = coordState(before);
    if (!formed.includes(from) || coordState(after) !== 'PreparingRebalance' || before.coordinatorEpoch !== after.coordinatorEpoch)
      return undefined;
    const m = delivered(before, choice);
    if (choice?.kind === 'fire' && choice.target === 'coordinator') return undefined;
    if (!m || m.to !== 'coordinator') return `the group went ${from} -> PreparingRebalance on ${choice?.kind ?? 'nothing'}`;
    if (m.body.kind === 'LeaveGroup') return undefined;
    if (m.body.kind !== 'JoinGroup') return `a ${m.body.kind} from ${m.body.client.client} moved the group ${from} -> PreparingRebalance`;
    const req = m.body as JoinGroupRequest;
    const g = coord(before);
    const known = req.memberId === '' ? undefined : g.members[req.memberId];
    if (!known || (from === 'Stable' && g.leaderId === req.memberId)) return undefined;
    const same = JSON.stringify([known.protocols, known.subscription]) === JSON.stringify([req.protocols, req.subscription]);
    if (same) return `a repeated JoinGroup from ${req.client.client} with unchanged metadata moved the group ${from} -> PreparingRebalance`;
    return undefined;
  },
};
