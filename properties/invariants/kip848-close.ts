import type { Invariant } from '../invariant.ts';
import { LEAVE_EPOCH, STATIC_LEAVE_EPOCH, type ConsumerResponse } from '../../models/consumer-protocol/messages.ts';
import { consumedOffsets, delivered, memberFencedNow, sameOffsets, sentByProcess } from '../step-facts.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isLive, isProcessOf } from '../../src/world/view.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';

// The KIP-848 consumer's close(), step by step, as apache/kafka's AsyncKafkaConsumer and
// AbstractMembershipManager / ConsumerMembershipManager run it (AsyncKafkaConsumer.close,
// releaseAssignmentAndLeaveGroup, commitSyncAllConsumed; AbstractMembershipManager.leaveGroup,
// transitionToSendingLeaveGroup, transitionToFenced from PREPARE_LEAVING, onHeartbeatRequestSkipped;
// ConsumerMembershipManager.invokeOnPartitionsRevokedOrLostToReleaseAssignment; the unit tests
// ConsumerMembershipManagerTest testLeaveGroupWhenStateIsStable, testLeaveGroupWhenMemberOwnsAssignment,
// testFencedWhenLeaving..., testOnPartitionsLostNoError / testOnPartitionsRevoked...):
//  1. releaseAssignmentAndLeaveGroup: with enable.auto.commit, commitSyncAllConsumed first: one
//     OffsetCommit of the consumed position of every owned partition, at the member epoch.
//  2. The rest waits for that commit (commitSync returns on its answer or its timeout).
//  3. leaveGroup: PREPARE_LEAVING runs onPartitionsRevoked (member epoch > 0) or onPartitionsLost
//     (epoch <= 0) for what is assigned, and no callback when nothing is (droppedPartitions.isEmpty()).
//     A reconciliation in progress is abandoned (maybeAbortReconciliation: no longer RECONCILING).
//  4. When the callback completes: unsubscribe, clearAssignment (nothing owned, no positions, no
//     target), transitionToSendingLeaveGroup: member epoch -1 (-2 static), LEAVING; one leave
//     heartbeat goes out if the member is in the group and its coordinator known (else
//     onHeartbeatRequestSkipped ends the leave at once), and close() waits for it (member-state
//     judges how it ends).
// Bug class: a shutdown that loses work (the next owner reprocesses what was consumed since the
// last commit), a member the coordinator keeps for a session timeout, a rebalance callback that
// never runs, a process that still holds partitions after it said it left.
//
// Simplified where the model is (and so not judged): the model's LEAVING member keeps epoch 0,
// not -1/-2 (it is out of the group either way; the leave heartbeat carries -1/-2); close()'s
// commit is judged only for a member in the group with its coordinator known and no commit in
// flight (Kafka looks the coordinator up within the close timeout, and sends the commit with
// epoch -1 outside the group; the model sends none then, and waits for a commit in flight instead
// of sending another); the model drops a reconciliation at the close() call, where Kafka lets it
// run on the background thread until PREPARE_LEAVING; the close timeout is request.timeout.ms.

const closeStates = new Set(['closing', 'releasing', 'leaving']);
const stateOf = (s: ClientSlot): string => String(s.snapshot!.value);
const isMember = (s: ClientSlot): boolean => s.snapshot !== null && clientFamily(s) === 'consumer';

/** The answer delivered to this process in the step, if any. */
function answerTo(before: World, choice: Choice | null, b: ClientSlot): ConsumerResponse | undefined {
  const m = delivered(before, choice);
  return m && m.to === 'client' && isProcessOf(m.body.client, b) ? (m.body as ConsumerResponse) : undefined;
}

/** 1: the close step's commit. */
function closeCommit(b: ClientSlot, after: World): string | undefined {
  const c = memberCtxOf(b);
  const commits = sentByProcess(after, b, 'OffsetCommit');
  if (!c.cfg.autoCommit) {
    if (commits.length > 0) return `${b.name}'s close() sent an OffsetCommit though auto-commit is off`;
    return undefined;
  }
  if (c.owned.length === 0) {
    if (commits.length > 0) return `${b.name}'s close() sent an OffsetCommit with nothing consumed (commitSync of no offsets sends none)`;
    return undefined;
  }
  // Judged only where the model commits: in the group, coordinator known, no commit in flight.
  if (c.memberEpoch <= 0 || c.coordinator === null || c.inflight.commit !== undefined) return undefined;
  if (commits.length !== 1)
    return `${b.name}'s close() with auto-commit on sent ${commits.length} OffsetCommits, not the one of commitSyncAllConsumed`;
  const body = commits[0].body as { offsets: Record<string, number>; memberEpoch: number };
  const want = consumedOffsets(c.owned, c.positions);
  if (!sameOffsets(body.offsets, want) || body.memberEpoch !== c.memberEpoch)
    return `${b.name}'s close() committed ${JSON.stringify(body.offsets)} at epoch ${body.memberEpoch}, not its consumed positions ${JSON.stringify(want)} at epoch ${c.memberEpoch}`;
  return undefined;
}

/** The request of this slot ended in the step: answered, or its request timer fired. */
function ended(before: World, choice: Choice | null, b: ClientSlot, slot: 'commit'): boolean {
  const sent = memberCtxOf(b).inflight[slot];
  if (sent === undefined) return true;
  if (choice?.kind === 'fire' && choice.target === b.name && choice.timer === `req:${slot}`) return true;
  return answerTo(before, choice, b)?.corr === sent.corr;
}

/** 2 and 3: the step that leaves the commit phase (closing) for the callback or the leave. */
function leavesCommitPhase(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot | null, after: World): string | undefined {
  const pending = (a !== null && memberCtxOf(a).inflight.commit !== undefined) || sentByProcess(after, b, 'OffsetCommit').length > 0;
  if (pending || !ended(before, choice, b, 'commit'))
    return `${b.name}'s close() went on to ${a === null ? 'the end' : stateOf(a)} while its OffsetCommit was still in flight (commitSyncAllConsumed returns on its answer or timeout first)`;
  // The callback of PREPARE_LEAVING: decided by what is assigned and the epoch when leaveGroup runs.
  const c = memberCtxOf(b);
  const inGroup = c.memberEpoch > 0 && !memberFencedNow(before, choice, b);
  const slow = inGroup ? c.cfg.slowCallbacks : c.cfg.slowAssignLost;
  const callback = inGroup ? 'onPartitionsRevoked' : 'onPartitionsLost';
  const entered = a !== null && stateOf(a) === 'releasing';
  if (c.owned.length === 0 && entered)
    return `${b.name}'s close() runs a rebalance callback with nothing assigned (leaveGroup invokes none then)`;
  if (c.owned.length > 0 && slow && !entered)
    return `${b.name}'s close() released [${c.owned.join(',')}] without running its ${callback} (configured to take time)`;
  if (c.owned.length > 0 && !slow && entered)
    return `${b.name}'s close() runs a slow ${callback} though that callback is configured to return at once`;
  return undefined;
}

/** 4: LEAVING: everything released, out of the group, one leave heartbeat if in the group. */
function leaving(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot | null, after: World): string | undefined {
  if (a !== null && stateOf(a) === 'leaving') {
    const c = memberCtxOf(a);
    if (c.owned.length > 0 || Object.keys(c.positions).length > 0)
      return `${a.name} is LEAVING but still owns [${c.owned.join(',')}] (positions of ${Object.keys(c.positions).join(',')}): clearAssignment comes first`;
    if (c.target !== null || c.reconciling !== null)
      return `${a.name} is LEAVING with an assignment still to install (${JSON.stringify(c.target ?? c.reconciling)}): clearAssignment drops the pending target`;
    if (c.memberEpoch > 0)
      return `${a.name} is LEAVING at member epoch ${c.memberEpoch} (transitionToSendingLeaveGroup sets the leave epoch first)`;
    if ('heartbeat' in c.timers) return `${a.name} is LEAVING with an interval heartbeat still scheduled (the leave heartbeat is its last)`;
  }
  if (stateOf(b) === 'leaving' || !(a === null || stateOf(a) === 'leaving')) return undefined;
  // The step entered LEAVING (or went through it to the end): the leave heartbeat.
  const c = memberCtxOf(b);
  // The coordinator as LEAVING found it: a commit's timeout or coordinator error in this very step
  // marks it unknown (a FindCoordinator goes out), and then the leave heartbeat is skipped.
  const known =
    a !== null ? memberCtxOf(a).coordinator !== null : c.coordinator !== null && sentByProcess(after, b, 'FindCoordinator').length === 0;
  const inGroup = c.memberEpoch > 0 && !memberFencedNow(before, choice, b) && known;
  const leaves = sentByProcess(after, b, 'ConsumerGroupHeartbeat').filter((m) => (m.body as { memberEpoch: number }).memberEpoch < 0);
  const epoch = c.cfg.instanceId === null ? LEAVE_EPOCH : STATIC_LEAVE_EPOCH;
  if (!inGroup) {
    if (leaves.length > 0) return `${b.name}'s close() sent a leave heartbeat though it is not in the group or its coordinator is unknown`;
    return undefined;
  }
  const body = leaves[0]?.body as { memberEpoch: number; memberId: string; corr: number } | undefined;
  if (leaves.length !== 1 || body!.memberEpoch !== epoch || body!.memberId !== c.memberId)
    return `${b.name}'s close() sent ${leaves.length} leave heartbeat(s)${body ? ` (epoch ${body.memberEpoch})` : ''}, not one at epoch ${epoch} for member ${c.memberId}`;
  if (a === null) return `${b.name}'s close() ended in the step it sent its leave heartbeat (the leave completes on its answer or timeout)`;
  if (memberCtxOf(a).inflight.heartbeat?.corr !== body!.corr) return `${a.name} is LEAVING without waiting for its leave heartbeat`;
  return undefined;
}

export const kip848Close: Invariant = {
  id: 'kip848-close',
  statement:
    "A KIP-848 consumer's close() commits its consumed offsets if auto-commit is on, waits for that commit, runs onPartitionsRevoked (onPartitionsLost outside the group) only for what it owns, then releases everything and, if in the group, sends one leave heartbeat at epoch -1 (-2 static) and waits for it.",
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (after.family !== 'consumer') return undefined;
    for (const b of before.clients) {
      if (!isLive(b) || !isMember(b)) continue;
      // Only a close() step or a process inside close() (most are neither: decided first).
      const closeStep = choice?.kind === 'close' && choice.client === b.name;
      if (!closeStep && !closeStates.has(stateOf(b))) continue;
      const slot = after.clients.find((s) => s.name === b.name);
      if (!slot) continue;
      const a = isLive(slot) && slot.inc === b.inc ? slot : null;
      // Only close() ends a process here (a crash, a restart or a rolling restart's bounce, which
      // closes at once with CLOSE_NOW, is not judged).
      if (a === null && !(slot.status === 'closed' && slot.inc === b.inc)) continue;
      if (choice?.kind === 'bounce' && choice.client === b.name) continue;
      if (a !== null && !isMember(a)) continue;
      // close() from STALE: out of the group, nothing assigned (transitionToStale released it): leaveGroup returns at once.
      if (closeStep && stateOf(b) === 'stale') continue;
      const passesCommit = (closeStep || stateOf(b) === 'closing') && (a === null || stateOf(a) !== 'closing');
      const bad =
        (closeStep ? closeCommit(b, after) : undefined) ??
        (passesCommit ? leavesCommitPhase(before, choice, b, a, after) : undefined) ??
        leaving(before, choice, b, a, after);
      if (bad) return bad;
    }
    return undefined;
  },
};
