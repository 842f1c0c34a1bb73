import type { Invariant } from '../invariant.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import { memberHeartbeatFailedNow, sameProcesses } from '../step-facts.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isProcessOf } from '../../src/world/view.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';
import { describeChoice } from '../../src/world/describe.ts';

// What a KIP-848 consumer puts on the wire, as apache/kafka's client builds it:
//  1. Heartbeats and offset commits go only to a known coordinator: AbstractHeartbeatRequestManager.poll
//     skips the heartbeat (onHeartbeatRequestSkipped) and CommitRequestManager.poll sends nothing
//     ("poll only when the coordinator node is known") until FindCoordinator is answered.
//  2. ConsumerHeartbeatRequestManager.HeartbeatState.buildRequestData: every field when joining
//     (epoch 0) or after its SentFields were reset (a failed heartbeat: onFailure /
//     onErrorResponse call resetHeartbeatState); otherwise RebalanceTimeoutMs and ServerAssignor
//     only when changed (they never change here), SubscribedTopicNames only when it differs from
//     the names last sent, TopicPartitions only when the local assignment differs from the one last
//     sent (a reconciled assignment, even an equal one, is sent once: its local epoch changed).
//  3. SentFields records what each heartbeat carried: after a heartbeat goes out, the member's
//     record of the subscription and owned partitions last sent is what the coordinator now holds,
//     and the next heartbeat is not full unless a failure resets it again.
//  4. Only a failed heartbeat resets SentFields, and every one does: resetHeartbeatState runs in
//     onErrorResponse (any error) and onFailure (no answer: here the request timeout), and on the
//     poll-timeout leave; not when an OffsetCommit or a FindCoordinator fails, though those mark
//     the coordinator unknown too (CoordinatorRequestManager.markCoordinatorUnknown does not touch
//     HeartbeatState). The member's flag for "the next heartbeat is full" is checked for that
//     while it is in the group (epoch > 0: at epoch 0 the join is full whatever the flag says).
// A client that drops its record sends every field in every heartbeat (more bytes, and a full
// heartbeat asks the coordinator to send the whole assignment back); one that keeps a stale record
// omits a changed subscription or owned set, which the coordinator then never learns.
// The leave heartbeats (epoch -1, -2) are kip848-close's and left-holds-nothing's.

const isMember = (s: ClientSlot): boolean => clientFamily(s) === 'consumer' && memberCtxOf(s).cfg.protocol === 'consumer';
const same = (xs: readonly string[] | null, ys: readonly string[] | null) =>
  xs === null ? ys === null : ys !== null && xs.join() === ys.join();

export const kip848Requests: Invariant = {
  id: 'kip848-requests',
  statement:
    'A KIP-848 consumer sends heartbeats and commits only to a known coordinator, and builds each heartbeat as HeartbeatState does: every field when joining or after a failed heartbeat (and only then), otherwise the subscription and owned partitions only when changed since the last heartbeat, whose record it keeps.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (after.family !== 'consumer') return undefined;
    for (const [b, a] of sameProcesses(before, after)) {
      if (a.snapshot === b.snapshot || !isMember(b) || !isMember(a)) continue;
      const problem = checkMember(before, choice, after, b, a);
      if (problem) return problem;
    }
    return undefined;
  },
};

function checkMember(before: World, choice: Choice | null, after: World, b: ClientSlot, a: ClientSlot): string | undefined {
  const mine = after.sent.filter((m) => m.to === 'coordinator' && isProcessOf(m.body.client, b));
  for (const m of mine) {
    const kind = m.body.kind;
    if ((kind === 'ConsumerGroupHeartbeat' || kind === 'OffsetCommit') && (m.body as { epoch: number }).epoch < 0)
      return `${b.name} sent a ${kind} while its coordinator is unknown (requests wait for FindCoordinator)`;
  }
  const cb = memberCtxOf(b);
  const ca = memberCtxOf(a);
  // A failed heartbeat (a fence included) resets SentFields before any heartbeat the step sends.
  const failed = memberHeartbeatFailedNow(before, choice, b);
  const hb = mine.find((m) => m.body.kind === 'ConsumerGroupHeartbeat' && (m.body as ConsumerGroupHeartbeatRequest).memberEpoch >= 0);
  if (!hb) {
    if (ca.memberEpoch <= 0) return undefined;
    if (failed && !ca.sendFull)
      return `${b.name}'s heartbeat failed but its next one is not marked full (HeartbeatState.reset after onErrorResponse / onFailure)`;
    if (!failed && !cb.sendFull && ca.sendFull)
      return `${b.name} marks its next heartbeat full though no heartbeat failed (only a failed heartbeat resets SentFields; ${describeChoice(choice, before)})`;
    return undefined;
  }
  const msg = hb.body as ConsumerGroupHeartbeatRequest;
  const full = msg.memberEpoch === 0 || cb.sendFull || failed;
  if (full && (msg.rebalanceTimeoutMs === null || msg.topics === null || msg.owned === null))
    return `${b.name}'s ${msg.memberEpoch === 0 ? 'join' : 'first heartbeat after a failure'} left out ${msg.rebalanceTimeoutMs === null ? 'RebalanceTimeoutMs' : msg.topics === null ? 'SubscribedTopicNames' : 'TopicPartitions'} (HeartbeatState sends every field then)`;
  if (!full) {
    if (msg.rebalanceTimeoutMs !== null || msg.assignor !== null)
      return `${b.name}'s heartbeat at epoch ${msg.memberEpoch} repeats its ${msg.rebalanceTimeoutMs !== null ? 'RebalanceTimeoutMs' : 'ServerAssignor'}, unchanged since the last one (sent only when joining or after a failure)`;
    const topicsChanged = !same(cb.sent.topics, ca.cfg.topics);
    if ((msg.topics !== null) !== topicsChanged)
      return `${b.name}'s heartbeat ${topicsChanged ? 'left out its changed' : 'repeats its unchanged'} SubscribedTopicNames [${ca.cfg.topics.join(',')}] (last sent: ${JSON.stringify(cb.sent.topics)})`;
    if (msg.owned === null && cb.sent.owned === null)
      return `${b.name}'s heartbeat left out TopicPartitions though none was recorded as sent since the last reset or reconciliation`;
  }
  // SentFields after the step: what this heartbeat told the coordinator.
  if (ca.sendFull) return `${a.name} still marks its next heartbeat full after sending one (SentFields are filled by every heartbeat)`;
  if (!same(ca.sent.topics, msg.topics ?? cb.sent.topics))
    return `${a.name} records ${JSON.stringify(ca.sent.topics)} as the subscription last sent, not ${JSON.stringify(msg.topics ?? cb.sent.topics)}`;
  const owned = msg.owned ?? cb.sent.owned;
  // A reconciliation finished later in the same step resets the record (its local epoch changed).
  if (!same(ca.sent.owned, owned) && !(ca.sent.owned === null && ca.ackPending))
    return `${a.name} records ${JSON.stringify(ca.sent.owned)} as the owned partitions last sent, not ${JSON.stringify(owned)}`;
  return undefined;
}
