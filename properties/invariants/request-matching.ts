import type { Invariant } from '../invariant.ts';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import { responseTo, sameProcesses } from '../step-facts.ts';
import { clientFamily, ctxOf, isClosing, isProcessOf } from '../../src/world/view.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';

// How the classic consumer matches answers to requests (NetworkClient and AbstractCoordinator's
// response handlers). Every request carries a correlation id the client never used before
// (NetworkClient.nextCorrelationId), and a response completes exactly the request with its id:
// it ends that request (its future completes) and no other. A JoinGroup, SyncGroup, Heartbeat
// or OffsetCommit answered NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE marks the coordinator
// unknown (markCoordinatorUnknown in each handler), and heartbeats, LeaveGroups and the
// application's commits wait for a known coordinator (see waitsForCoordinator). A mismatch here shows as
// a request answered twice or never, or a consumer that keeps talking to a broker that said it
// is not the coordinator: slow recovery, needless rediscoveries, answers applied to the wrong
// request.

type Slot = keyof ConsumerContext['inflight'];
const slotOf: Record<string, Slot> = {
  FindCoordinatorResponse: 'find',
  JoinGroupResponse: 'join',
  SyncGroupResponse: 'sync',
  HeartbeatResponse: 'heartbeat',
  OffsetCommitResponse: 'commit',
  LeaveGroupResponse: 'leave',
};
/** Requests that only their own answer or timeout ends (a join or sync is abandoned by a reset or a rejoin). */
const ownedByAnswer: Slot[] = ['find', 'heartbeat', 'commit', 'leave'];
/** Handlers that mark the coordinator unknown on these errors (a LeaveGroup's does not). */
const marksUnknown = new Set<Slot>(['join', 'sync', 'heartbeat', 'commit']);
const coordinatorErrors = new Set(['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);
/**
 * Requests that wait for a known coordinator: a heartbeat (the heartbeat thread skips a round
 * while coordinatorUnknown()), a LeaveGroup (maybeLeaveGroup needs a known coordinator), and the
 * application's commitAsync (queued until the lookup succeeds: pendingAsyncCommits).
 * Left out, where the model simplifies: the onJoinPrepare auto-commit (Kafka's commitOffsetsAsync
 * returns no future while the coordinator is unknown, so onJoinPrepare does not wait for it; the
 * model sends it and retries on the NOT_COORDINATOR answer, or waits for the lookup), and a
 * JoinGroup or SyncGroup answered after the coordinator was marked unknown (Kafka's
 * markCoordinatorUnknown disconnects, failing every request in flight to it; the model still
 * takes such an answer and sends the round's next request to no one, which the world answers
 * NOT_COORDINATOR: the same retry).
 */
const waitsForCoordinator = new Set(['Heartbeat', 'LeaveGroup']);

/** Correlation ids: fresh and increasing; group requests only to a known coordinator. */
function requestsSent(choice: Choice | null, b: ClientSlot, a: ClientSlot, after: World): string | undefined {
  const appCommit = choice?.kind === 'commit' && choice.client === b.name;
  const cb = ctxOf(b);
  const ca = ctxOf(a);
  let seen: Set<number> | undefined;
  for (const m of after.sent) {
    if (m.to !== 'coordinator' || !isProcessOf(m.body.client, b)) continue;
    // Made only for a process that sent something (most steps, most processes send nothing).
    seen ??= new Set<number>();
    const body = m.body as { kind: string; corr: number; epoch?: number };
    if (body.corr < cb.nextCorr || body.corr >= ca.nextCorr || seen.has(body.corr))
      return `${a.name} sent a ${body.kind} with correlation id ${body.corr}, not a fresh one (ids ${cb.nextCorr} to ${ca.nextCorr - 1} were free this step)`;
    seen.add(body.corr);
    // sendOffsetCommitRequest commits only as a member (generationIfStable) and only something:
    // an empty commitAsync completes locally, without a request.
    if (body.kind === 'OffsetCommit') {
      const c = m.body as { generation: number; memberId: string; offsets: Record<string, number> };
      if (c.generation < 0 || c.memberId === '' || Object.keys(c.offsets).length === 0)
        return `${a.name} sent an OffsetCommit ${Object.keys(c.offsets).length === 0 ? 'with no offsets' : `without a generation (generation ${c.generation}, member '${c.memberId}')`}`;
    }
    if ((waitsForCoordinator.has(body.kind) || (appCommit && body.kind === 'OffsetCommit')) && body.epoch === -1)
      return `${a.name} sent a ${body.kind} while it does not know its coordinator (it waits until FindCoordinator finds it)`;
  }
  return undefined;
}

/** The response ends the request it answers, and no other; a coordinator error sends the consumer to look it up. */
function responseMatched(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot): string | undefined {
  const r = responseTo(before, choice, b);
  if (!r) return undefined;
  const cb = ctxOf(b);
  const ca = ctxOf(a);
  const slot = slotOf[r.kind];
  const answers = slot !== undefined && cb.inflight[slot]?.corr === r.corr;
  if (answers && ca.inflight[slot]?.corr === r.corr)
    return `${a.name} got the answer to its ${slot} request (${r.error}) but still waits for it`;
  for (const other of ownedByAnswer) {
    const sent = cb.inflight[other];
    if (sent && sent.corr !== r.corr && ca.inflight[other] === undefined)
      return `${a.name} took a ${r.kind} (${r.error}) as the end of its ${other} request ${sent.corr}`;
  }
  // The heartbeat and commit handlers reset the generation on these errors when the request went
  // out with the generation the consumer still has (resetStateOnResponseError; the member id
  // too for UNKNOWN_MEMBER_ID), and the consumer rejoins.
  const sent = answers && (slot === 'heartbeat' || slot === 'commit') ? cb.inflight[slot] : undefined;
  if (
    sent &&
    (r.error === 'UNKNOWN_MEMBER_ID' || r.error === 'ILLEGAL_GENERATION') &&
    sent.generation === cb.generation &&
    sent.memberId === cb.memberId &&
    (ca.generation !== -1 || (r.error === 'UNKNOWN_MEMBER_ID' && ca.memberId !== ''))
  )
    return `${a.name}'s ${slot} of generation ${sent.generation} was answered ${r.error} but it keeps generation ${ca.generation} and member id '${ca.memberId}'`;
  if (answers && marksUnknown.has(slot) && coordinatorErrors.has(r.error) && ca.coordinator !== null)
    return `${a.name}'s ${slot} request was answered ${r.error} but it goes on with coordinator ${ca.coordinator} instead of looking it up`;
  return undefined;
}

export const requestMatching: Invariant = {
  id: 'request-matching',
  statement:
    'A classic consumer sends every request with a fresh correlation id, heartbeats, LeaveGroups and application commits only to a known coordinator, and commits only as a member with something to commit; a response ends the request it answers and no other, a coordinator error in it makes the consumer look the coordinator up, and UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION for its current generation resets it.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    for (const [b, a] of sameProcesses(before, after)) {
      if (clientFamily(b) !== 'classic' || clientFamily(a) !== 'classic') continue;
      const bad = requestsSent(choice, b, a, after) ?? (isClosing(b) || isClosing(a) ? undefined : responseMatched(before, choice, b, a));
      if (bad) return bad;
    }
    return undefined;
  },
};
