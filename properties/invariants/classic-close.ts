import type { Invariant } from '../invariant.ts';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import { consumedOffsets, responseTo, sameOffsets, sentByProcess } from '../step-facts.ts';
import { clientFamily, ctxOf, isLive } from '../../src/world/view.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';

// The classic consumer's close(), step by step, as KafkaConsumer.close runs it (apache/kafka,
// ConsumerCoordinator.close(timer), AbstractCoordinator.close(timer), onLeavePrepare,
// maybeLeaveGroup; ConsumerCoordinatorTest's gracefulCloseTest, testCloseNoResponseForCommit,
// testCloseNoResponseForLeaveGroup, testLeaveGroupOnClose):
//  1. maybeAutoCommitOffsetsSync: with enable.auto.commit, commitOffsetsSync of every consumed
//     position. It sends a request only with something to commit, and (sendOffsetCommitRequest)
//     only while STABLE (generationIfStable): otherwise it fails locally and sends nothing.
//  2. close() waits for that commit (and any commitAsync still pending) to be answered, or for
//     its timer, before anything else.
//  3. AbstractCoordinator.close: closeHeartbeatThread, then onLeavePrepare: onPartitionsRevoked
//     with a generation, onPartitionsLost without one, for what is assigned, and only if
//     something is (droppedPartitions non-empty); then assignFromSubscribed(empty).
//  4. maybeLeaveGroup: a dynamic member with a member id and a known coordinator sends one
//     LeaveGroup (KIP-345: a static member sends none); awaitPendingRequests then waits for its
//     answer or the close timeout.
// A broken close shows as a commit lost on shutdown (records processed twice by the next owner),
// a member the coordinator waits a session timeout for, a rebalance callback never run, or a
// process that still fetches or heartbeats after it said it left.
//
// Simplified where the model is (and so not judged): close() from `committing` (Kafka's
// onJoinPrepare left its commit pending while still STABLE) sends no second commit and waits for
// the pending one; with the coordinator unknown there is no lookup inside close() (Kafka looks it
// up within the close timeout, then commits and leaves); the close timeout is request.timeout.ms;
// a member that closes while rebalancing runs onPartitionsRevoked where Kafka's onLeavePrepare
// runs onPartitionsLost (rebalanceInProgress()); a generation reset during close (heartbeat or
// commit error) makes Kafka's member UNJOINED, so it sends no LeaveGroup, where the model still
// sends one if it kept its member id (ILLEGAL_GENERATION): the LeaveGroup clause is judged only
// for a member that still has its generation.

type Ctx = ConsumerContext;
const closeStates = new Set(['closing', 'releasing', 'leaving']);
const stateOf = (s: ClientSlot): string => String(s.snapshot!.value);
const hasGeneration = (c: Ctx): boolean => c.generation >= 0 && c.memberId !== '';
const isClassic = (s: ClientSlot): boolean => s.snapshot !== null && clientFamily(s) === 'classic';

/** The step ended this in-flight request: its answer delivered, or its request timer fired. */
function ended(before: World, choice: Choice | null, b: ClientSlot, slot: 'commit' | 'leave'): boolean {
  const sent = ctxOf(b).inflight[slot];
  if (sent === undefined) return true;
  if (choice?.kind === 'fire' && choice.target === b.name && choice.timer === `req:${slot}`) return true;
  return responseTo(before, choice, b)?.corr === sent.corr;
}

/** 1: the close step's commit. */
function closeCommit(choice: Choice | null, b: ClientSlot, after: World): string | undefined {
  if (choice?.kind !== 'close' || choice.client !== b.name) return undefined;
  const c = ctxOf(b);
  const commits = sentByProcess(after, b, 'OffsetCommit');
  const due = stateOf(b) === 'stable' && c.cfg.autoCommit && c.owned.length > 0 && hasGeneration(c) && c.coordinator !== null;
  if (!due) {
    if (commits.length > 0)
      return `${b.name}'s close() sent an OffsetCommit though ${c.cfg.autoCommit ? 'it is not STABLE with a generation and something consumed' : 'auto-commit is off'} (maybeAutoCommitOffsetsSync sends none then)`;
    return undefined;
  }
  if (commits.length !== 1)
    return `${b.name}'s close() with auto-commit on sent ${commits.length} OffsetCommits, not the one of maybeAutoCommitOffsetsSync`;
  const body = commits[0].body as { offsets: Record<string, number>; generation: number };
  const want = consumedOffsets(c.owned, c.positions);
  if (!sameOffsets(body.offsets, want) || body.generation !== c.generation)
    return `${b.name}'s close() committed ${JSON.stringify(body.offsets)} at generation ${body.generation}, not its consumed positions ${JSON.stringify(want)} at generation ${c.generation}`;
  return undefined;
}

/** The step in which close() moved past its commit (into the callback, the leave, or gone). */
function passesCommit(b: ClientSlot, a: ClientSlot | null): boolean {
  if (stateOf(b) === 'releasing' || stateOf(b) === 'leaving') return false;
  return a === null || stateOf(a) === 'releasing' || stateOf(a) === 'leaving';
}

/** 2: nothing after the commit while it is in flight. */
function waitsForCommit(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot | null, after: World): string | undefined {
  if (!passesCommit(b, a)) return undefined;
  const pending = (a !== null && ctxOf(a).inflight.commit !== undefined) || sentByProcess(after, b, 'OffsetCommit').length > 0;
  if (pending || !ended(before, choice, b, 'commit'))
    return `${b.name}'s close() went on to ${a === null ? 'the end' : stateOf(a)} while its OffsetCommit was still in flight (close() waits for the commit's answer or its timeout first)`;
  return undefined;
}

/** 3: heartbeat thread closed; the callback that onLeavePrepare runs, and the release. */
function leavePrepare(b: ClientSlot, a: ClientSlot | null, before: World, choice: Choice | null): string | undefined {
  if (a !== null && (stateOf(a) === 'releasing' || stateOf(a) === 'leaving')) {
    const ca = ctxOf(a);
    if ('heartbeat' in ca.timers || ca.inflight.heartbeat !== undefined)
      return `${a.name} is in close()'s ${stateOf(a)} with its heartbeat thread still running (closeHeartbeatThread comes before onLeavePrepare)`;
    if (stateOf(a) === 'leaving' && (ca.owned.length > 0 || Object.keys(ca.positions).length > 0))
      return `${a.name} is past onLeavePrepare but still owns [${ca.owned.join(',')}] (positions of ${Object.keys(ca.positions).join(',')}): assignFromSubscribed(empty) releases everything`;
  }
  if (stateOf(b) === 'releasing' || stateOf(b) === 'leaving' || !passesCommit(b, a)) return undefined;
  // The state onLeavePrepare ran from: the process before the step, unless the step's answer reset it (then not judged).
  if (a === null && responseTo(before, choice, b) !== undefined) return undefined;
  const c = a === null ? ctxOf(b) : ctxOf(a);
  const owned = ctxOf(b).owned;
  const revoke = hasGeneration(c);
  const slow = revoke ? c.cfg.slowCallbacks : c.cfg.slowAssignLost;
  const callback = revoke ? 'onPartitionsRevoked' : 'onPartitionsLost';
  const entered = a !== null && stateOf(a) === 'releasing';
  if (owned.length === 0 && entered)
    return `${b.name}'s close() runs a rebalance callback with nothing assigned (onLeavePrepare invokes none then)`;
  if (owned.length > 0 && slow && !entered)
    return `${b.name}'s close() released [${owned.join(',')}] without running its ${callback} (configured to take time)`;
  if (owned.length > 0 && !slow && entered)
    return `${b.name}'s close() runs a slow ${callback} though that callback is configured to return at once`;
  return undefined;
}

/** 4: one LeaveGroup from a dynamic member, and close() waits for its answer or timeout. */
function leaveGroup(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot | null, after: World): string | undefined {
  const leaves = sentByProcess(after, b, 'LeaveGroup');
  const intoLeave = stateOf(b) !== 'leaving' && (a === null || stateOf(a) === 'leaving');
  if (intoLeave && (a !== null || responseTo(before, choice, b) === undefined)) {
    const c = a === null ? ctxOf(b) : ctxOf(a);
    const dynamic = c.cfg.instanceId === null;
    if (dynamic && hasGeneration(c) && c.coordinator !== null) {
      if (leaves.length !== 1 || (leaves[0].body as { memberId: string }).memberId !== c.memberId)
        return `${b.name}'s close() sent ${leaves.length} LeaveGroup(s) for member ${c.memberId}, not one (maybeLeaveGroup: a dynamic member leaves)`;
      if (a === null)
        return `${b.name}'s close() ended in the step it sent its LeaveGroup (awaitPendingRequests waits for the answer or the timeout)`;
    }
    if (!dynamic && leaves.length > 0) return `${b.name} is static but its close() sent a LeaveGroup (KIP-345: static members never do)`;
  }
  if (stateOf(b) !== 'leaving') return undefined;
  const answered = ctxOf(b).inflight.leave !== undefined && responseTo(before, choice, b)?.corr === ctxOf(b).inflight.leave!.corr;
  if (a === null && !ended(before, choice, b, 'leave')) return `${b.name}'s close() ended before its LeaveGroup was answered or timed out`;
  if (a !== null && answered) return `${a.name}'s LeaveGroup was answered but its close() did not end`;
  return undefined;
}

export const classicClose: Invariant = {
  id: 'classic-close',
  statement:
    "A classic consumer's close() commits its consumed offsets if auto-commit is on and it is STABLE, waits for that commit, stops heartbeating, runs onPartitionsRevoked (onPartitionsLost without a generation) for what it owns and releases it, then a dynamic member sends one LeaveGroup and waits for its answer or timeout; a static member sends none.",
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    for (const b of before.clients) {
      if (!isLive(b) || !isClassic(b)) continue;
      const slot = after.clients.find((s) => s.name === b.name);
      if (!slot) continue;
      // The process is live after the step, or it ended by closing (a crash or restart is not close()).
      const a = isLive(slot) && slot.inc === b.inc ? slot : null;
      if (a === null && !(slot.status === 'closed' && slot.inc === b.inc)) continue;
      if (a !== null && !isClassic(a)) continue;
      const closeStep = choice?.kind === 'close' && choice.client === b.name;
      // close() of an UNJOINED member: the model drops everything at once (no commit, no callback,
      // no LeaveGroup, nothing awaited; Kafka would wait for requests still in flight): not judged.
      if (closeStep && stateOf(b) === 'unjoined') continue;
      if (!closeStep && !closeStates.has(stateOf(b)) && !(a !== null && closeStates.has(stateOf(a)))) continue;
      const bad =
        closeCommit(choice, b, after) ??
        waitsForCommit(before, choice, b, a, after) ??
        leavePrepare(b, a, before, choice) ??
        leaveGroup(before, choice, b, a, after);
      if (bad) return bad;
    }
    return undefined;
  },
};
