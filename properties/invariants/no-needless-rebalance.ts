import type { JoinGroupRequest } from '../../models/classic/messages.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import type { Choice, World } from '../../src/world/types.ts';
import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { coord, coordState } from '../../src/world/view.ts';
import { groupOf } from '../../src/world/consumer-view.ts';

const formed = ['Stable', 'CompletingRebalance'];

/**
 * Classic: Kafka's GroupCoordinator starts a rebalance (prepareRebalance) for a member joining,
 * leaving or expiring, or changing what it asked for. A known member's JoinGroup that repeats the
 * protocols and subscription the group holds is answered with the current generation
 * (doCurrentMemberJoinGroup: in CompletingRebalance when `member.matches(protocols)`, in Stable
 * too unless it is the leader, whose JoinGroup is how metadata changes it watches take effect).
 * Heartbeats, SyncGroups and commits never start one.
 *
 * In this model the JoinGroup clause is out of reach: the subscription carries the member's
 * generation and owned partitions, so a rejoin after a completed round differs, and a retry of a
 * JoinGroup whose answer was lost comes after max.poll.interval.ms + 5 s, when the pending-sync
 * timer (the rebalance timeout) has already removed the member. It is kept as Kafka's rule.
 */
function classic(before: World, choice: Choice | null, after: World): string | undefined {
  const from = coordState(before);
  if (!formed.includes(from) || coordState(after) !== 'PreparingRebalance' || before.coordinatorEpoch !== after.coordinatorEpoch)
    return undefined;
  if (choice?.kind === 'fire' && choice.target === 'coordinator') return undefined;
  const m = delivered(before, choice);
  if (m?.to !== 'coordinator') return `the group went ${from} -> PreparingRebalance on ${choice?.kind ?? 'nothing'}`;
  if (m.body.kind === 'LeaveGroup') return undefined;
  if (m.body.kind !== 'JoinGroup') return `a ${m.body.kind} from ${m.body.client.client} moved the group ${from} -> PreparingRebalance`;
  const req = m.body as JoinGroupRequest;
  const g = coord(before);
  const known = req.memberId === '' ? undefined : g.members[req.memberId];
  if (!known || (from === 'Stable' && g.leaderId === req.memberId)) return undefined;
  const same = JSON.stringify([known.protocols, known.subscription]) === JSON.stringify([req.protocols, req.subscription]);
  if (same) return `a repeated JoinGroup from ${req.client.client} with unchanged metadata moved the group ${from} -> PreparingRebalance`;
  return undefined;
}

/**
 * KIP-848: the group epoch goes up when a member joins, leaves or is fenced, or when a
 * subscription or the partition counts of subscribed topics change (GroupMetadataManager:
 * hasMemberSubscriptionChanged, subscription metadata refresh). A heartbeat of a known member
 * that repeats its subscription (a full heartbeat after a timeout or a coordinator error) or
 * leaves it out (null: unchanged), and an offset commit, bump nothing.
 */
function consumer(before: World, choice: Choice | null, after: World): string | undefined {
  const g0 = groupOf(before);
  const g1 = groupOf(after);
  if (g1.groupEpoch === g0.groupEpoch || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
  const m = delivered(before, choice);
  if (m?.body.kind === 'OffsetCommit') return `an OffsetCommit from ${m.body.client.client} bumped the group epoch to ${g1.groupEpoch}`;
  if (m?.body.kind !== 'ConsumerGroupHeartbeat') return undefined;
  const req = m.body as ConsumerGroupHeartbeatRequest;
  const known = g0.members[req.memberId];
  if (!known || req.memberEpoch < 0 || JSON.stringify(g1.subscriptionMetadata) !== JSON.stringify(g0.subscriptionMetadata))
    return undefined;
  const sameTopics = req.topics === null || req.topics.join() === known.topics.join();
  const sameAssignor = req.assignor === null || req.assignor === known.assignor;
  if (sameTopics && sameAssignor)
    return `a heartbeat from ${req.client.client} repeating its subscription bumped the group epoch ${g0.groupEpoch} -> ${g1.groupEpoch}`;
  return undefined;
}

export const noNeedlessRebalance: Invariant = {
  id: 'no-needless-rebalance',
  statement:
    'A rebalance starts only for a join, a leave, an expiry or a changed subscription or topic: never on a heartbeat that repeats what the coordinator holds, a SyncGroup or a commit.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after) {
    // A step that converts the group (a migration) is a departure or a join: Kafka's rule allows it.
    if (before.family !== after.family) return undefined;
    return before.family === 'consumer' ? consumer(before, choice, after) : classic(before, choice, after);
  },
};
