import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import type { ConsumerGroupMember, GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import type { ClassicRequest, ClassicResponse, JoinGroupRequest } from '../../models/classic/messages.ts';
import type { Choice, World } from '../../src/world/types.ts';

// What a consumer group (the KIP-848 coordinator) answers the classic members of a mixed group,
// decided from the group as the request found it, by the rules of apache/kafka's
// GroupMetadataManager (group-coordinator module; GroupMetadataManagerTest's
// testClassicGroupSyncToConsumerGroup*, testClassicGroupHeartbeatToConsumerGroup*,
// testJoiningConsumerGroup*):
//
// - Every JoinGroup, SyncGroup, Heartbeat and LeaveGroup is answered in the step it arrives:
//   a consumer group parks nothing (its handlers complete the response future at once).
// - JoinGroup (classicGroupJoinToConsumerGroup; an empty consumer group is handed to a classic
//   group instead, which `mixed-group-type` judges): INCONSISTENT_GROUP_PROTOCOL when no offered
//   protocol is supported by every classic member (throwIfClassicProtocolIsNotSupported,
//   ConsumerGroup.supportsClassicProtocols); a dynamic member without a member id gets
//   MEMBER_ID_REQUIRED with a new id and nothing is recorded (requiresKnownMemberId); otherwise
//   NONE, with the member's own id, the member epoch after its reconciliation as generation and
//   the first offered protocol as protocol name; the member is recorded with the request's
//   subscription, session timeout and protocols; a new member or a changed subscription bumps
//   the group epoch by one; the join timeout is cancelled, the session timeout rescheduled with
//   the request's session timeout and the sync timeout started with its rebalance timeout.
// - SyncGroup (classicGroupSyncToConsumerGroup) and Heartbeat
//   (classicGroupHeartbeatToConsumerGroup): UNKNOWN_MEMBER_ID for a member id the group does not
//   know or that uses the consumer protocol (validateConsumerGroupMember,
//   throwIfMemberDoesNotUseClassicProtocol); ILLEGAL_GENERATION for a generation other than the
//   member epoch (throwIfGenerationIdUnmatched); these change nothing, not even the session.
//   SyncGroup: REBALANCE_IN_PROGRESS when the group epoch is past the member epoch and the
//   member is not revoking (throwIfRebalanceInProgress), which starts the join timeout if absent;
//   otherwise NONE with the member's assigned partitions, the sync timeout cancelled and the
//   session rescheduled. Heartbeat: the session rescheduled, then REBALANCE_IN_PROGRESS (join
//   timeout started if absent) when the member epoch is behind the group epoch, the member is
//   revoking, or it waits for partitions that are all free now (waitingOnUnreleasedPartition);
//   otherwise NONE.
// - LeaveGroup (classicGroupLeaveToConsumerGroup): UNKNOWN_MEMBER_ID for an unknown or
//   consumer-protocol member (nothing changes); otherwise NONE, the member and all its timers
//   gone and the group epoch bumped; the group stays a consumer group.
// - While a classic member is mid-join its join or sync timeout stays as it was armed: no step
//   other than that member's own JoinGroup or SyncGroup (or its removal) cancels or moves it.
//
// Not judged (not modelled in a migration): static members (`group.instance.id`: FENCED_INSTANCE_ID,
// replacement), the protocol type and name of SyncGroup (throwIfClassicProtocolUnmatched), group
// size limits, a LeaveGroup naming several members (the model's carries one, its error the
// response's). Requests to an earlier coordinator are answered NOT_COORDINATOR by the world.

type Request = Exclude<ClassicRequest, { kind: 'OffsetCommit' }>;
const classicKinds = new Set(['JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup']);
const sameSet = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x) => ys.includes(x));
const classicMember = (g: GroupContext, id: string): ConsumerGroupMember | undefined =>
  g.members[id]?.classic ? g.members[id] : undefined;

/** ConsumerGroup.supportsClassicProtocols: some offered name every classic member supports (any, with none yet). */
function supportsProtocols(g: GroupContext, protocols: readonly string[]): boolean {
  const classic = Object.values(g.members).filter((m) => m.classic);
  if (classic.length === 0) return protocols.length > 0;
  return protocols.some((p) => classic.every((m) => m.classic!.protocols.includes(p)));
}

/** ConsumerGroup.waitingOnUnreleasedPartition: some partition of its target it lacks is still held (partition epoch set). */
const waitingOnUnreleased = (g: GroupContext, m: ConsumerGroupMember): boolean =>
  m.state === 'unreleased' && (g.target[m.memberId] ?? []).some((p) => !m.assigned.includes(p) && g.partitionEpochs[p] !== undefined);

/** The timers of member `id` (session, join, sync, rebalance). */
const timersOf = (g: GroupContext, id: string) =>
  [`session:${id}`, `join:${id}`, `sync:${id}`, `rebalance:${id}`].map((k) => `${k}=${g.timers[k] ?? '-'}`).join(' ');

/** The join timeout after REBALANCE_IN_PROGRESS: kept if it ran, else started (scheduleConsumerGroupJoinTimeoutIfAbsent). */
function joinTimerStarted(g: GroupContext, a: GroupContext, m: ConsumerGroupMember, now: number): string | undefined {
  const key = `join:${m.memberId}`;
  const expected = g.timers[key] ?? now + m.rebalanceTimeoutMs;
  return a.timers[key] === expected ? undefined : `its join timeout is ${a.timers[key] ?? 'not running'}, Kafka's ${expected}`;
}

function judgeJoin(g: GroupContext, a: GroupContext, msg: JoinGroupRequest, answer: ClassicResponse, now: number): string | undefined {
  if (!supportsProtocols(g, msg.protocols))
    return answer.error === 'INCONSISTENT_GROUP_PROTOCOL' ? undefined : `got ${answer.error}, Kafka answers INCONSISTENT_GROUP_PROTOCOL`;
  if (msg.memberId === '') {
    if (answer.error !== 'MEMBER_ID_REQUIRED') return `got ${answer.error}, Kafka answers MEMBER_ID_REQUIRED with a new member id`;
    const id = answer.kind === 'JoinGroupResponse' ? answer.memberId : '';
    if (id === '' || g.members[id]) return `got MEMBER_ID_REQUIRED with member id '${id}', not a new one`;
    if (Object.keys(a.members).length !== Object.keys(g.members).length) return 'got MEMBER_ID_REQUIRED, but a member was recorded';
    return undefined;
  }
  if (answer.error !== 'NONE' || answer.kind !== 'JoinGroupResponse') return `got ${answer.error}, Kafka admits the member (NONE)`;
  const m = a.members[msg.memberId];
  if (!m?.classic) return `was answered NONE but ${msg.memberId} is not a classic member of the group after it`;
  if (answer.memberId !== msg.memberId) return `was answered with member id ${answer.memberId}`;
  if (answer.generation !== m.memberEpoch) return `was answered generation ${answer.generation}, the member epoch being ${m.memberEpoch}`;
  if (answer.protocolName !== msg.protocols[0])
    return `was answered protocol ${answer.protocolName}, Kafka the first offered, ${msg.protocols[0]}`;
  if (m.topics.join() !== msg.subscription.topics.join())
    return `recorded the subscription [${m.topics}], the request's is [${msg.subscription.topics}]`;
  if (m.classic.sessionTimeoutMs !== msg.sessionTimeoutMs || m.classic.protocols.join() !== msg.protocols.join())
    return 'did not record the classic metadata (session timeout, protocols) the request carried';
  const before = g.members[msg.memberId];
  const changed = before === undefined || before.topics.join() !== msg.subscription.topics.join();
  if (changed && a.groupEpoch !== g.groupEpoch + 1)
    return `${before ? 'changed the subscription' : 'added the member'} but the group epoch went from ${g.groupEpoch} to ${a.groupEpoch}, Kafka bumps it by one`;
  if (a.groupEpoch < g.groupEpoch || a.groupEpoch > g.groupEpoch + 1)
    return `moved the group epoch from ${g.groupEpoch} to ${a.groupEpoch}`;
  const id = msg.memberId;
  if (a.timers[`join:${id}`] !== undefined) return 'left its join timeout running (cancelConsumerGroupJoinTimeout)';
  if (a.timers[`session:${id}`] !== now + msg.sessionTimeoutMs || a.timers[`sync:${id}`] !== now + msg.rebalanceTimeoutMs)
    return `left its timers at ${timersOf(a, id)}; Kafka: session at ${now + msg.sessionTimeoutMs}, sync at ${now + msg.rebalanceTimeoutMs}`;
  return undefined;
}

function judgeSyncOrHeartbeat(
  g: GroupContext,
  a: GroupContext,
  msg: Extract<Request, { kind: 'SyncGroup' | 'Heartbeat' }>,
  answer: ClassicResponse,
  now: number,
): string | undefined {
  const m = classicMember(g, msg.memberId);
  const unchanged = () => JSON.stringify(a.members) === JSON.stringify(g.members) && JSON.stringify(a.timers) === JSON.stringify(g.timers);
  if (!m || msg.generation !== m.memberEpoch) {
    const expected = !m ? 'UNKNOWN_MEMBER_ID' : 'ILLEGAL_GENERATION';
    if (answer.error !== expected)
      return `got ${answer.error}, Kafka answers ${expected} (${!m ? 'not a classic member' : `member epoch ${m.memberEpoch}`})`;
    return unchanged() ? undefined : `was refused ${expected} but changed the group's members or timers`;
  }
  const id = m.memberId;
  const session = now + m.classic!.sessionTimeoutMs;
  if (msg.kind === 'SyncGroup') {
    if (g.groupEpoch > m.memberEpoch && m.state !== 'unrevoked') {
      if (answer.error !== 'REBALANCE_IN_PROGRESS')
        return `got ${answer.error}, Kafka answers REBALANCE_IN_PROGRESS (group epoch ${g.groupEpoch} past member epoch ${m.memberEpoch})`;
      return joinTimerStarted(g, a, m, now);
    }
    if (answer.error !== 'NONE' || answer.kind !== 'SyncGroupResponse') return `got ${answer.error}, Kafka answers NONE`;
    if (!sameSet(answer.assignment, m.assigned))
      return `handed out [${answer.assignment}], the member's assigned partitions being [${m.assigned}]`;
    if (a.timers[`sync:${id}`] !== undefined || a.timers[`session:${id}`] !== session)
      return `left its timers at ${timersOf(a, id)}; Kafka cancels the sync timeout and reschedules the session at ${session}`;
    return undefined;
  }
  if (a.timers[`session:${id}`] !== session) return `did not reschedule the session (${timersOf(a, id)}; Kafka: ${session})`;
  const rejoin = m.memberEpoch < g.groupEpoch || m.state === 'unrevoked' || (m.state === 'unreleased' && !waitingOnUnreleased(g, m));
  const expected = rejoin ? 'REBALANCE_IN_PROGRESS' : 'NONE';
  if (answer.error !== expected)
    return `got ${answer.error}, Kafka answers ${expected} (member epoch ${m.memberEpoch}, group epoch ${g.groupEpoch}, ${m.state})`;
  if (rejoin) return joinTimerStarted(g, a, m, now);
  return a.timers[`join:${id}`] === g.timers[`join:${id}`] ? undefined : `moved its join timeout (${timersOf(a, id)})`;
}

function judgeLeave(g: GroupContext, a: GroupContext, msg: Request, answer: ClassicResponse): string | undefined {
  const m = classicMember(g, msg.memberId);
  if (!m) {
    if (answer.error !== 'UNKNOWN_MEMBER_ID') return `got ${answer.error}, Kafka answers UNKNOWN_MEMBER_ID (not a classic member)`;
    return JSON.stringify(a.members) === JSON.stringify(g.members) ? undefined : 'was refused but changed the members';
  }
  if (answer.error !== 'NONE') return `got ${answer.error}, Kafka answers NONE`;
  if (a.members[m.memberId]) return `was answered NONE but ${m.memberId} is still a member`;
  const left = Object.keys(a.timers).filter((k) => k.endsWith(`:${m.memberId}`));
  if (left.length > 0) return `removed the member but left its timers ${left.join(', ')} (cancelTimers)`;
  if (a.groupEpoch !== g.groupEpoch + 1)
    return `removed the member but the group epoch went from ${g.groupEpoch} to ${a.groupEpoch}, Kafka bumps it by one`;
  return undefined;
}

/** A classic member's join or sync timeout that a step it did not send cancelled or moved. */
function midJoinTimers(before: World, choice: Choice, after: World): string | undefined {
  const g = groupOf(before);
  const a = groupOf(after);
  if (g.timers === a.timers) return undefined;
  const m = delivered(before, choice);
  const own = m?.to === 'coordinator' && classicKinds.has(m.body.kind) ? (m.body as Request).memberId : null;
  for (const key of Object.keys(g.timers)) {
    if (!key.startsWith('join:') && !key.startsWith('sync:')) continue;
    const id = key.slice(key.indexOf(':') + 1);
    if (id === own || !a.members[id] || a.timers[key] === g.timers[key]) continue;
    // The timer fired: handled by the member's removal (a member whose own timer fired is gone).
    if (choice.kind === 'fire' && choice.target === 'coordinator' && choice.timer === key) continue;
    return `${key} (classic member ${id} mid-join) went from ${g.timers[key]} to ${a.timers[key] ?? 'cancelled'} in a step it did not send`;
  }
  return undefined;
}

/** The answers to request `msg` among the messages the step sent. */
const answersTo = (after: World, msg: { corr: number; client: { client: string; inc: number } }) =>
  after.sent.filter(
    (x) =>
      x.to === 'client' && x.body.corr === msg.corr && x.body.client.client === msg.client.client && x.body.client.inc === msg.client.inc,
  );

/**
 * A consumer-protocol member's heartbeat is answered once, also the leave (-1) whose departure
 * converts the group to a classic group: consumerGroupFenceMember returns the leave response with
 * the conversion records (convertToClassicGroup), so the leaver's close() ends on it.
 */
function leaveAnswered(before: World, choice: Choice, after: World): string | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'coordinator' || m.body.kind !== 'ConsumerGroupHeartbeat' || m.body.epoch !== before.coordinatorEpoch) return undefined;
  const n = answersTo(after, m.body).length;
  return n === 1
    ? undefined
    : `ConsumerGroupHeartbeat #${m.body.corr} from ${m.body.client.client} to the consumer group was answered ${n} times`;
}

export const mixedGroupAnswers: Invariant = {
  id: 'mixed-group-answers',
  statement:
    "Every JoinGroup, SyncGroup, Heartbeat and LeaveGroup a consumer group receives from a classic member is answered at once with Kafka's answer for the case (INCONSISTENT_GROUP_PROTOCOL, MEMBER_ID_REQUIRED, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION against the member epoch, REBALANCE_IN_PROGRESS when the member must rejoin, else its generation or assignment), with the member's session, join and sync timeouts set as Kafka sets them and kept while it is mid-join; every ConsumerGroupHeartbeat, the leave that converts the group included, is answered once.",
  protocols: ['eager', 'cooperative', 'consumer'],
  migrationOnly: true,
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'consumer' || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
    if (before.coordinator.value !== 'active' || choice === null) return undefined;
    const hb = leaveAnswered(before, choice, after);
    if (hb) return hb;
    if (after.family !== 'consumer') return undefined;
    const timers = midJoinTimers(before, choice, after);
    if (timers) return timers;
    const m = delivered(before, choice);
    if (m?.to !== 'coordinator' || !classicKinds.has(m.body.kind)) return undefined;
    const msg = m.body as Request;
    // A request to an earlier coordinator is answered NOT_COORDINATOR by the world (the old broker);
    // static members are not modelled in a migration.
    if (msg.epoch !== before.coordinatorEpoch || msg.instanceId !== null) return undefined;
    const g = groupOf(before);
    const a = groupOf(after);
    const answers = answersTo(after, msg);
    const what = `${msg.kind} #${msg.corr} from ${msg.memberId || msg.client.client} to the consumer group (epoch ${g.groupEpoch})`;
    if (answers.length !== 1) return `${what} was answered ${answers.length} times; a consumer group answers it at once, once`;
    const answer = answers[0].body as ClassicResponse;
    const verdict =
      msg.kind === 'JoinGroup'
        ? judgeJoin(g, a, msg, answer, after.now)
        : msg.kind === 'LeaveGroup'
          ? judgeLeave(g, a, msg, answer)
          : judgeSyncOrHeartbeat(g, a, msg, answer, after.now);
    return verdict && `${what} ${verdict}`;
  },
};
