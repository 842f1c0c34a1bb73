import type { Invariant } from '../invariant.ts';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import { gained, responseTo, sameProcesses } from '../step-facts.ts';
import { clientFamily, ctxOf, isProcessOf } from '../../src/world/view.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';

// The classic consumer's rebalance callbacks, its leader's assignor and onJoinPrepare's commit
// retries, as ConsumerCoordinator runs them (apache/kafka: onJoinPrepare, onJoinComplete,
// onLeaderElected; ConsumerRebalanceListenerInvoker):
// - onPartitionsLost is invoked when onJoinPrepare finds the generation or member id reset and
//   something assigned, and that gives everything up: a JoinGroup after a reset never goes out
//   holding partitions (every rejoin after a reset runs onJoinPrepare since KAFKA-12983's fix); onPartitionsRevoked (EAGER) for everything assigned otherwise; after
//   SyncGroup, COOPERATIVE onPartitionsRevoked for owned - assigned when that is not empty, and
//   onPartitionsAssigned for assigned - owned. A callback runs on the application thread, where
//   the model shows it as a state of its own (`losing`, `revoking`, `assigning`) when the world
//   makes it take time (slowCallbacks: onPartitionsRevoked; slowAssignLost: onPartitionsAssigned
//   and onPartitionsLost): with that setting, partitions lost, revoked or added without passing
//   through the state are a callback never invoked, the harm of a client that forgets the
//   application (no commit before a handover, no cleanup of lost state, nothing initialised for
//   new partitions). onPartitionsLost and COOPERATIVE's onPartitionsRevoked are invoked only with
//   partitions (`if (!revokedPartitions.isEmpty())`): none runs with nothing to hand. EAGER's
//   onPartitionsRevoked and onPartitionsAssigned are invoked with empty sets too, and may take
//   time then: not judged.
// - Only the leader runs the assignor (onLeaderElected, and not when KIP-814 tells a returning
//   static leader SkipAssignment); while a slow one runs (`computing`) its result is fixed, and
//   when it returns the SyncGroup goes out (or the round fails): a member in COMPLETING_REBALANCE
//   (`syncing`) always has its SyncGroup in flight or the failed round's deadline armed.
// - onJoinPrepare's auto-commit (enable.auto.commit) is retried after a retriable failure until
//   the rebalance timeout (joinPrepareTimer): while the member waits, a retry is due within
//   retry.backoff.ms, and a retry that finds the coordinator known sends the commit again, one
//   that finds it unknown sends nothing (commitOffsetsAsync waits for the lookup).
// Simplified in the model, so not judged: COOPERATIVE's onPartitionsRevoked for topics no longer
// subscribed (onJoinPrepare) returns at once whatever the setting.

type Ctx = ConsumerContext;
const hasGeneration = (c: Ctx): boolean => c.generation >= 0 && c.memberId !== '';
const stateOf = (s: ClientSlot): string => String(s.snapshot!.value);

/** Partitions lost or revoked in onJoinPrepare without their callback. */
function joinPrepare(b: ClientSlot, a: ClientSlot): string | undefined {
  if (stateOf(a) !== 'joining' || ['joining', 'losing', 'revoking'].includes(stateOf(b))) return undefined;
  const owned = ctxOf(b).owned;
  const c = ctxOf(a);
  if (owned.length === 0) return undefined;
  // After a reset onJoinPrepare gives up everything as lost, however fast the callback: every
  // JoinGroup after a reset runs it (resetStateAndRejoin sets needsJoinPrepare, KAFKA-12983).
  if (!hasGeneration(c) && c.owned.length > 0)
    return `${a.name} rejoins after its member id or generation was reset still holding [${c.owned.join(',')}]: onJoinPrepare gives up everything as lost after a reset, with onPartitionsLost`;
  if (!hasGeneration(c) && c.cfg.slowAssignLost)
    return `${a.name} gave up [${owned.join(',')}] as lost in onJoinPrepare without invoking onPartitionsLost (configured to take time)`;
  if (hasGeneration(c) && c.cfg.protocol === 'eager' && c.cfg.slowCallbacks)
    return `${a.name} revoked [${owned.join(',')}] in onJoinPrepare without invoking onPartitionsRevoked (configured to take time)`;
  return undefined;
}

/** After SyncGroup: revoked and added partitions go through their callbacks; no callback with nothing to hand. */
function joinComplete(b: ClientSlot, a: ClientSlot): string | undefined {
  const c = ctxOf(a);
  const sb = stateOf(b);
  const sa = stateOf(a);
  if (sb === 'syncing' && (sa === 'stable' || sa === 'assigning') && c.cfg.protocol === 'cooperative' && c.cfg.slowCallbacks) {
    const revoked = ctxOf(b).owned.filter((p) => !c.owned.includes(p));
    if (revoked.length > 0)
      return `${a.name} revoked [${revoked.join(',')}] without invoking onPartitionsRevoked (configured to take time)`;
  }
  if ((sb === 'syncing' || sb === 'revoking') && sa !== 'assigning' && c.cfg.slowAssignLost) {
    const added = gained(b, a);
    if (added.length > 0)
      return `${a.name} was assigned [${added.join(',')}] without invoking onPartitionsAssigned (configured to take time)`;
  }
  if (sa === 'losing' && sb !== 'losing' && c.owned.length === 0) return `${a.name} invokes onPartitionsLost with nothing assigned`;
  if (sa === 'revoking' && sb === 'syncing' && c.cfg.protocol === 'cooperative' && c.owned.every((p) => c.lastAssignment.includes(p)))
    return `${a.name} invokes COOPERATIVE onPartitionsRevoked though its new assignment revokes nothing`;
  return undefined;
}

/** The leader's assignor: only the leader runs it, its result fixed; COMPLETING_REBALANCE has its SyncGroup or deadline. */
function assignor(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot): string | undefined {
  const c = ctxOf(a);
  if (stateOf(a) === 'computing' && stateOf(b) !== 'computing') {
    const r = responseTo(before, choice, b) as { kind: string; leaderId?: string; memberId?: string; skipAssignment?: boolean } | undefined;
    if (!c.isLeader || r?.kind !== 'JoinGroupResponse' || r.leaderId !== r.memberId)
      return `${a.name} runs the assignor though it is not the leader of its generation (onJoinFollower runs none)`;
    if (r.skipAssignment) return `${a.name} runs the assignor though the coordinator told it SkipAssignment (KIP-814)`;
    if (c.inflight.assignment === undefined) return `${a.name} is inside its assignor with no assignment under way`;
  }
  if (stateOf(a) === 'syncing' && !('req:sync' in c.timers))
    return `${a.name} is in COMPLETING_REBALANCE with neither a SyncGroup in flight nor a failed round's deadline`;
  return undefined;
}

/** onJoinPrepare's commit: a retry is pending while it waits, and a due retry commits if it can. */
function commitRetry(choice: Choice | null, b: ClientSlot, a: ClientSlot, after: World): string | undefined {
  if (stateOf(a) !== 'committing') return undefined;
  const c = ctxOf(a);
  if (c.inflight.commit === undefined && 'joinPrepare' in c.timers && !(c.timers.retry <= after.now + c.cfg.settings.retryBackoffMs))
    return `${a.name} waits in onJoinPrepare with no commit in flight and no retry due within retry.backoff.ms`;
  if (stateOf(b) !== 'committing' || choice?.kind !== 'fire' || choice.target !== b.name || choice.timer !== 'retry') return undefined;
  const cb = ctxOf(b);
  const sent = after.sent.some((m) => m.to === 'coordinator' && m.body.kind === 'OffsetCommit' && isProcessOf(m.body.client, b));
  const can = cb.cfg.autoCommit && cb.owned.length > 0 && hasGeneration(cb);
  if (can && cb.coordinator !== null && !sent)
    return `${a.name}'s onJoinPrepare commit retry found the coordinator known but sent no OffsetCommit`;
  if (cb.coordinator === null && sent)
    return `${a.name}'s onJoinPrepare commit retry sent an OffsetCommit with the coordinator unknown (it waits for the lookup)`;
  return undefined;
}

export const classicCallbacks: Invariant = {
  id: 'classic-callbacks',
  statement:
    'A classic consumer invokes onPartitionsLost, onPartitionsRevoked and onPartitionsAssigned for what it loses, revokes and gains (and onPartitionsLost or COOPERATIVE onPartitionsRevoked only with partitions), and holds nothing when it rejoins after its member id or generation was reset; only the leader runs the assignor, and its SyncGroup follows; onJoinPrepare retries its commit every retry.backoff.ms while the coordinator is known.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    for (const [b, a] of sameProcesses(before, after)) {
      if (clientFamily(b) !== 'classic' || clientFamily(a) !== 'classic') continue;
      const bad = joinPrepare(b, a) ?? joinComplete(b, a) ?? assignor(before, choice, b, a) ?? commitRetry(choice, b, a, after);
      if (bad) return bad;
    }
    return undefined;
  },
};
