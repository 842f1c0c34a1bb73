import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { coord, coordState } from '../../src/world/view.ts';
import { sameMetadata, type CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { ClassicRequest, JoinGroupRequest, ClassicResponse } from '../../models/classic/messages.ts';
import type { World } from '../../src/world/types.ts';

// What the classic group coordinator answers a request with, decided from the group as the
// request found it, by the rules of Kafka's GroupMetadataManager (group-coordinator module):
//
// - Every request is answered in the step it arrives, or parked (a JoinGroup until the join
//   phase completes, a SyncGroup until the leader's assignment): never dropped.
// - SyncGroup and Heartbeat: ClassicGroup.validateMember (a group.instance.id mapped to another
//   member id is FENCED_INSTANCE_ID; an unknown one, or an unknown member id, UNKNOWN_MEMBER_ID),
//   then a generation other than the group's is ILLEGAL_GENERATION (validateSyncGroup,
//   validateClassicGroupHeartbeat). Past that: Heartbeat gets REBALANCE_IN_PROGRESS in
//   PreparingRebalance and NONE in CompletingRebalance and Stable (classicGroupHeartbeatToClassicGroup);
//   SyncGroup gets REBALANCE_IN_PROGRESS in PreparingRebalance, waits in CompletingRebalance
//   until the leader's, and gets its assignment (NONE) in Stable. An Empty group answers
//   UNKNOWN_MEMBER_ID.
// - JoinGroup from a known member (classicGroupJoinExistingMember): in CompletingRebalance,
//   unchanged metadata gets the current generation at once and anything else starts a
//   rebalance; in Stable, the leader's JoinGroup or changed metadata starts a rebalance, and a
//   follower's unchanged one gets the current generation at once. A rebalance means the answer
//   is not the current generation.
// - LeaveGroup from a known dynamic member: NONE, and the member is gone at once; from a pending
//   member id (KIP-394), NONE, and it is no longer pending.
// - OffsetCommit (ClassicGroup.validateOffsetCommit): generation -1 without identity stores
//   offsets in an Empty group; otherwise validateMember, the generation (ILLEGAL_GENERATION, a
//   newer one included), and REBALANCE_IN_PROGRESS in CompletingRebalance.
// - JoinGroup: INCONSISTENT_GROUP_PROTOCOL exactly when the group is not Empty and no protocol
//   of the request is supported by every member (ClassicGroup.supportsProtocols, checked before
//   anything else: a rolling upgrade or a zombie of the previous configuration meets it); else
//   from a pending member id (KIP-394's second JoinGroup) it adds the member: never an error.
//   FENCED_INSTANCE_ID answers only a request whose group.instance.id another member id holds,
//   and UNKNOWN_MEMBER_ID never a member of the group (validateMember).
// Simplified: the consumers send their own protocol type, which is not modelled.

type Request = ClassicRequest;

/** Kafka's validateMember, then the generation check (SyncGroup, Heartbeat). */
function validation(g: CoordinatorContext, msg: Request & { generation: number }): string | undefined {
  if (msg.instanceId !== null) {
    const mapped = Object.values(g.members).find((m) => m.instanceId === msg.instanceId)?.memberId;
    if (mapped === undefined) return 'UNKNOWN_MEMBER_ID';
    if (mapped !== msg.memberId) return 'FENCED_INSTANCE_ID';
  }
  if (!g.members[msg.memberId]) return 'UNKNOWN_MEMBER_ID';
  if (msg.generation !== g.generation) return 'ILLEGAL_GENERATION';
  return undefined;
}

/** The expected error for a SyncGroup or Heartbeat, or 'parked' for a SyncGroup that must wait. */
function expectedSyncOrHeartbeat(g: CoordinatorContext, state: string, msg: Request & { generation: number }): string {
  if (state === 'Empty') return 'UNKNOWN_MEMBER_ID';
  const invalid = validation(g, msg);
  if (invalid) return invalid;
  if (state === 'PreparingRebalance') return 'REBALANCE_IN_PROGRESS';
  if (msg.kind === 'SyncGroup' && state === 'CompletingRebalance' && g.leaderId !== msg.memberId) return 'parked';
  return 'NONE';
}

/**
 * ClassicGroup.validateOffsetCommit (not transactional): generation -1 in an Empty group only
 * stores offsets; otherwise validateMember and the generation, and CompletingRebalance answers
 * REBALANCE_IN_PROGRESS. Undefined: not judged (an empty member id with an instance id, as above;
 * generation -1 with a member id in an Empty group, which Kafka stores and the model refuses:
 * the modelled consumers commit only with a generation, as Kafka's do with auto-assigned
 * partitions, ConsumerCoordinator.generationIfStable).
 */
function expectedCommit(g: CoordinatorContext, state: string, msg: Extract<Request, { kind: 'OffsetCommit' }>): string | undefined {
  const groupless = msg.memberId === '' && msg.instanceId === null;
  if (msg.generation < 0 && state === 'Empty') return groupless ? 'NONE' : undefined;
  if (msg.memberId === '' && !groupless) return undefined;
  if (groupless && msg.generation < 0) return 'UNKNOWN_MEMBER_ID';
  if (state === 'Empty') return 'UNKNOWN_MEMBER_ID';
  const invalid = validation(g, msg);
  if (invalid) return invalid;
  return state === 'CompletingRebalance' ? 'REBALANCE_IN_PROGRESS' : 'NONE';
}

const formedStates = new Set(['PreparingRebalance', 'CompletingRebalance', 'Stable']);

function judge(before: World, after: World, msg: Request): string | undefined {
  const g = coord(before);
  const state = coordState(before);
  const a = coord(after);
  const answer = after.sent.find(
    (m) =>
      m.to === 'client' && m.body.corr === msg.corr && m.body.client.client === msg.client.client && m.body.client.inc === msg.client.inc,
  )?.body as ClassicResponse | undefined;
  const parked = Object.values(a.members).some(
    (m) => (m.joinCorr === msg.corr || m.syncCorr === msg.corr) && m.client.client === msg.client.client && m.client.inc === msg.client.inc,
  );
  const what = `${msg.kind} #${msg.corr} from ${msg.memberId || msg.client.client} (generation ${g.generation}, ${state})`;
  if (!answer && !parked) return `${what} was neither answered nor parked`;
  if (answer && parked) return `${what} was answered and is still parked`;
  const error = answer ? answer.error : 'parked';
  // validateMember is where FENCED_INSTANCE_ID and a known member's UNKNOWN_MEMBER_ID come from.
  const mapped = msg.instanceId === null ? undefined : Object.values(g.members).find((m) => m.instanceId === msg.instanceId)?.memberId;
  if (error === 'FENCED_INSTANCE_ID' && (mapped === undefined || mapped === msg.memberId || msg.memberId === ''))
    return `${what} got FENCED_INSTANCE_ID, but ${msg.instanceId === null ? 'it has no group.instance.id' : `${msg.instanceId} is not held by another member id`}`;
  if (error === 'UNKNOWN_MEMBER_ID' && state !== 'Empty' && g.members[msg.memberId] && (msg.instanceId === null || mapped === msg.memberId))
    return `${what} got UNKNOWN_MEMBER_ID from a member of the group`;
  // supportsProtocols comes first (classicGroupJoinNewMember and classicGroupJoinExistingMember).
  if (msg.kind === 'JoinGroup') {
    const members = Object.values(g.members);
    const protocols = (msg as JoinGroupRequest).protocols;
    const unsupported = state !== 'Empty' && members.length > 0 && !protocols.some((p) => members.every((m) => m.protocols.includes(p)));
    if (error === 'INCONSISTENT_GROUP_PROTOCOL' && !unsupported)
      return `${what} got INCONSISTENT_GROUP_PROTOCOL, but every member supports one of ${protocols.join(', ')}`;
    // A pending member's JoinGroup adds it (classicGroupJoinExistingMember: isPendingMember).
    if (!unsupported && msg.memberId !== '' && g.pending.includes(msg.memberId) && error !== 'parked' && error !== 'NONE')
      return `${what} came from a pending member and got ${error}; Kafka adds the member`;
  }
  // A member id of '' with an instance id: the model answers UNKNOWN_MEMBER_ID where Kafka's
  // validateMember says FENCED_INSTANCE_ID; consumers never send one (they sync and heartbeat
  // only with the id their JoinGroup gave them), so it is not judged.
  if ((msg.kind === 'SyncGroup' || msg.kind === 'Heartbeat') && msg.memberId !== '') {
    const expected = expectedSyncOrHeartbeat(g, state, msg);
    if (error !== expected) return `${what} got ${error}, Kafka answers ${expected}`;
    return undefined;
  }
  if (msg.kind === 'OffsetCommit') {
    const expected = expectedCommit(g, state, msg);
    if (expected !== undefined && error !== expected) return `${what} got ${error}, Kafka answers ${expected}`;
    return undefined;
  }
  // A pending member (KIP-394: it has its member id but has not rejoined with it) may leave:
  // removed from the pending set, answered NONE (classicGroupLeave; KAFKA-7909 before the fix
  // answered UNKNOWN_MEMBER_ID and the join phase waited for it until its session expired).
  if (msg.kind === 'LeaveGroup' && msg.instanceId === null && g.pending.includes(msg.memberId)) {
    if (error !== 'NONE') return `${what} came from a pending member and got ${error}; Kafka removes it and answers NONE`;
    if (a.pending.includes(msg.memberId)) return `${what} was accepted but ${msg.memberId} is still pending`;
    return undefined;
  }
  if (msg.kind === 'LeaveGroup' && formedStates.has(state) && msg.instanceId === null && g.members[msg.memberId]) {
    if (error !== 'NONE') return `${what} got ${error}, Kafka answers NONE`;
    if (a.members[msg.memberId]) return `${what} was accepted but ${msg.memberId} is still a member`;
    return undefined;
  }
  if (msg.kind === 'JoinGroup' && (state === 'CompletingRebalance' || state === 'Stable') && msg.memberId !== '') {
    const m = g.members[msg.memberId];
    if (!m || validation(g, { ...msg, kind: 'SyncGroup', generation: g.generation, assignments: null })) return undefined;
    const current = answer?.kind === 'JoinGroupResponse' && answer.error === 'NONE' && answer.generation === g.generation;
    const rebalances = !sameMetadata(m, msg) || (state === 'Stable' && g.leaderId === msg.memberId);
    if (rebalances && current)
      return `${what} was answered with the current generation; Kafka starts a rebalance (${g.leaderId === msg.memberId ? 'the leader rejoined' : 'its metadata changed'})`;
    if (!rebalances && !(current && coordState(after) === state))
      return `${what} with unchanged metadata got ${answer ? `${answer.error} for generation ${(answer as { generation?: number }).generation}` : 'parked'}; Kafka answers the current generation at once without a rebalance`;
  }
  return undefined;
}

export const classicGroupAnswers: Invariant = {
  id: 'classic-group-answers',
  statement:
    "Every request reaching the classic coordinator is answered or parked, with Kafka's answer for the case: SyncGroup, Heartbeat and OffsetCommit validated by instance id, member id and generation (FENCED_INSTANCE_ID, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION) and then by group state; a known member's unchanged JoinGroup answered with the current generation unless it is the leader's in Stable; a LeaveGroup removing its member (or a pending member id) at once.",
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'classic' || after.family !== 'classic' || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
    const m = delivered(before, choice);
    if (m?.to !== 'coordinator' || m.body.kind === 'FindCoordinator') return undefined;
    const msg = m.body as Request & { epoch: number };
    // A request to an earlier coordinator is answered NOT_COORDINATOR by the world (the old broker).
    if (msg.epoch !== before.coordinatorEpoch) return undefined;
    const state = coordState(before);
    if (state !== 'Empty' && !formedStates.has(state)) return undefined;
    return judge(before, after, msg);
  },
};
