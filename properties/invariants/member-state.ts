import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isLive, isProcessOf } from '../../src/world/view.ts';
import type { Choice, World } from '../../src/world/types.ts';

/**
 * The KIP-848 member's state follows Kafka's MemberState transitions (AbstractMembershipManager):
 * - STABLE only in the group: a member leaves JOINING for STABLE in processAssignmentReceived, run
 *   by onHeartbeatSuccess after updateMemberEpoch took the coordinator's epoch (always above 0 for
 *   a member in the group), when the assignment received equals the current one; every later
 *   STABLE comes from ACKNOWLEDGING or RECONCILING, and a fence, a leave or a poll timeout takes
 *   the member out of STABLE before its epoch drops to 0 or below.
 * - close() ends with the leave heartbeat: the leave is sent once, not retried, and the leave in
 *   progress completes when that request completes (maybeCompleteLeaveInProgress on its answer,
 *   onHeartbeatFailure on an error or a timeout), not on the answer to another request.
 */
export const memberState: Invariant = {
  id: 'member-state',
  statement:
    'A KIP-848 member is STABLE only at a member epoch above 0, and close() ends only when its leave heartbeat is answered or times out.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (after.family !== 'consumer') return undefined;
    return stableInGroup(after) ?? leaveEnded(before, choice, after);
  },
  split: {
    state: (after) => (after.family === 'consumer' ? stableInGroup(after) : undefined),
    step: (before, choice, after) => (after.family === 'consumer' ? leaveEnded(before, choice, after) : undefined),
  },
};

/** A STABLE member at epoch 0 or below: a function of the world after the step. */
function stableInGroup(after: World): string | undefined {
  for (const s of after.clients) {
    if (!isLive(s) || clientFamily(s) !== 'consumer' || s.snapshot!.value !== 'stable') continue;
    const c = memberCtxOf(s);
    if (c.memberEpoch <= 0) return `${s.name} is STABLE at member epoch ${c.memberEpoch}, before the coordinator took it into the group`;
  }
  return undefined;
}

/** A close() that ended in the step before its leave heartbeat was answered or timed out. */
function leaveEnded(before: World, choice: Choice | null, after: World): string | undefined {
  for (const b of before.clients) {
    if (!isLive(b) || clientFamily(b) !== 'consumer' || b.snapshot!.value !== 'leaving') continue;
    const leave = memberCtxOf(b).inflight.heartbeat;
    if (!leave) continue;
    const a = after.clients.find((x) => x.name === b.name);
    // Still leaving, or superseded (a restart or a replacement made a new process in the slot).
    if (!a || a.inc !== b.inc || (isLive(a) && a.snapshot!.value !== 'closed')) continue;
    // Ended (closed, or the world already let the closed process go) in this step: how?
    const m = delivered(before, choice);
    const answered = m?.to === 'client' && isProcessOf(m.body.client, b) && m.body.corr === leave.corr;
    const timedOut = choice?.kind === 'fire' && choice.target === b.name && choice.timer === 'req:heartbeat';
    // A crash ends the process, and a rolling restart's bounce closes it at once (CLOSE_NOW).
    const gone = (choice?.kind === 'crash' || choice?.kind === 'bounce') && choice.client === b.name;
    if (!answered && !timedOut && !gone)
      return `${b.name}'s close() ended before its leave heartbeat (correlation ${leave.corr}) was answered or timed out`;
  }
  return undefined;
}
