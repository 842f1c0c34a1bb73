import type { Invariant } from '../invariant.ts';
import { delivered, Passed, timerKey } from '../step-facts.ts';
import { coord, coordState } from '../../src/world/view.ts';
import { groupRebalanceTimeout, keptAliveByParkedRequest } from '../../models/classic/coordinator-state.ts';
import type { World, WorldConfig } from '../../src/world/types.ts';

// Every wait of the classic coordinator has its delayed operation armed, due within the timeout
// Kafka gives it (GroupCoordinator's purgatories): a join phase ends by DelayedJoin (the group's
// rebalance timeout, or the KIP-134 initial delay), a missing SyncGroup by the pending-sync
// timeout (the rebalance timeout, KAFKA-13365's DelayedSync), and a silent member by
// DelayedHeartbeat (its session timeout; a member added in this join phase: the new-member
// timeout, KIP-394). An accepted heartbeat or commit reschedules the member's expiry a full
// session timeout ahead (completeAndScheduleNextHeartbeatExpiration). A wait without its timer
// makes the group hang on a member that is gone, or settle late (bounded-rebalance allows a
// whole chain of timers, so a missing one can hide inside it); a deadline not pushed back by a
// heartbeat expires a live member (a needless rebalance).

const formed = new Set(['PreparingRebalance', 'CompletingRebalance', 'Stable']);

function waitsTimed(w: World, config: WorldConfig): string | undefined {
  const state = coordState(w);
  if (w.family !== 'classic' || !formed.has(state)) return undefined;
  const g = coord(w);
  // DelayedJoin and DelayedSync keep the delay they were created with: members that left since
  // may have had the longest rebalance timeout, so the bound is the configured one.
  const rebalance = Math.max(groupRebalanceTimeout(g), config.timers.maxPollIntervalMs);
  if (state === 'PreparingRebalance') {
    const join = g.timers.join;
    const most = Math.max(rebalance, g.initialRebalanceDelayMs);
    if (join === undefined || join - w.now > most)
      return `the coordinator is in PreparingRebalance with ${join === undefined ? 'no join timer' : `its join timer due in ${join - w.now} ms`} (at most ${most} ms)`;
  }
  if (state !== 'PreparingRebalance' && g.pendingSync.length > 0) {
    const sync = g.timers.sync;
    if (sync === undefined || g.syncGeneration !== g.generation || sync - w.now > rebalance)
      return `the coordinator waits for SyncGroup from ${g.pendingSync.join(', ')} in ${state} without a pending-sync timer of generation ${g.generation} due within ${rebalance} ms`;
  }
  for (const m of Object.values(g.members)) {
    if (keptAliveByParkedRequest(m)) continue;
    const session = g.timers[timerKey('session:', m.memberId)];
    const most = m.isNew ? Math.max(m.sessionTimeoutMs, g.newMemberJoinTimeoutMs) : m.sessionTimeoutMs;
    if (session === undefined || session - w.now > most)
      return `member ${m.memberId} has ${session === undefined ? 'no session timer' : `its session timer due in ${session - w.now} ms`} (at most ${most} ms) in ${state}`;
  }
  return undefined;
}

/**
 * A Heartbeat or OffsetCommit the coordinator accepted from a member, or a SyncGroup it answered
 * with the assignment (propagateAssignment and the Stable case of doSyncGroup reset the session
 * after answering), pushed the member's session a full timeout ahead.
 */
function heartbeatReschedules(before: World, choice: Parameters<Invariant['check']>[1], after: World): string | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'coordinator' || after.family !== 'classic' || before.family !== 'classic') return undefined;
  const body = m.body as { kind: string; memberId?: string; corr: number; client: { client: string } };
  if (body.kind !== 'Heartbeat' && body.kind !== 'OffsetCommit' && body.kind !== 'SyncGroup') return undefined;
  const answer = after.sent.find((r) => r.to === 'client' && r.body.corr === body.corr && r.body.client.client === body.client.client);
  const error = answer && (answer.body as { error?: string }).error;
  const accepted = error === 'NONE' || (body.kind === 'Heartbeat' && error === 'REBALANCE_IN_PROGRESS');
  const member = coord(after).members[body.memberId ?? ''];
  if (!accepted || !member) return undefined;
  const session = coord(after).timers[timerKey('session:', member.memberId)];
  if (session !== after.now + member.sessionTimeoutMs)
    return `the coordinator accepted a ${body.kind} from ${member.memberId} but its session ends ${session === undefined ? 'never' : `in ${session - after.now} ms`}, not ${member.sessionTimeoutMs} ms from now`;
  return undefined;
}

const passed = new Passed();

export const coordinatorDeadlines: Invariant = {
  id: 'coordinator-deadlines',
  statement:
    'Every wait of the classic coordinator has its timer armed within the timeout Kafka gives it (join phase, pending SyncGroup, each member session), and an accepted heartbeat or commit pushes the session a full timeout ahead.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after, config) {
    // `waitsTimed` reads the coordinator, the time and the group's type alone: unchanged since a
    // world this invariant passed, it finds nothing again.
    const same =
      passed.passed(before, config) &&
      before.coordinator === after.coordinator &&
      before.now === after.now &&
      before.family === after.family;
    return passed.note(after, config, (same ? undefined : waitsTimed(after, config)) ?? heartbeatReschedules(before, choice, after));
  },
  // `check` is waitsTimed (skipped only where it is known to pass), then heartbeatReschedules.
  split: { state: waitsTimed, step: heartbeatReschedules },
};
