import type { Invariant } from '../invariant.ts';
import { LEAVE_EPOCH, STATIC_LEAVE_EPOCH, type ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import { Passed, sameProcesses } from '../step-facts.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isLive, isProcessOf } from '../../src/world/view.ts';

/** onPartitionsLost (fenced), and close() with its commit, callback and leave heartbeat: the assignment goes when they end. */
const releasing = new Set(['losing', 'closing', 'releasing', 'leaving']);

/**
 * A KIP-848 consumer outside the group holds nothing (AbstractMembershipManager):
 * - with member epoch 0 or less (joining after a fence or a leave, stale) it owns no partition,
 *   has no assignment to install and no heartbeat on the interval timer: transitionToFenced and
 *   transitionToStale run onPartitionsLost and clearAssignment before transitionToJoining, and
 *   a joining member heartbeats at once (shouldHeartbeatNow), not on the interval;
 * - a consumer keeps a fetch position only for partitions it owns or is installing
 *   (SubscriptionState drops the state of unassigned partitions);
 * - a member whose poll timer expired (max.poll.interval.ms) while it knew its coordinator leaves
 *   the group (maybeLeaveGroupOnExpiredPollTimer) with a heartbeat at epoch -1 (-2 for a static
 *   member) (transitionToSendingLeaveGroup(true)), and is STALE out of the group.
 * A process inside onPartitionsLost or close() still holds its assignment until they end.
 */
const passed = new Passed();

export const leftHoldsNothing: Invariant = {
  id: 'left-holds-nothing',
  statement:
    'A consumer outside the group (epoch 0 or less, stale) owns nothing, installs nothing and keeps no positions of partitions it does not own; one whose poll timer expired sends a leave heartbeat.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after, config) {
    if (after.family !== 'consumer') return passed.forget();
    // `holds` is a function of the process: one the step left as it was passed on `before` already.
    const same = passed.passed(before, config);
    for (const s of after.clients) {
      if (!isLive(s) || clientFamily(s) !== 'consumer' || (same && before.clients.includes(s))) continue;
      const bad = holds(s);
      if (bad) return passed.note(after, config, bad);
    }
    return passed.note(after, config, leaves(before, choice, after));
  },
  // `check` judges `holds` on every process it does not know passed, then `leaves`.
  split: {
    state: (after) => (after.family === 'consumer' ? everyHolding(after) : undefined),
    step: (before, choice, after) => (after.family === 'consumer' ? leaves(before, choice, after) : undefined),
  },
};

/** `holds` over every live KIP-848 process. */
function everyHolding(after: World): string | undefined {
  for (const s of after.clients) {
    const bad = isLive(s) && clientFamily(s) === 'consumer' ? holds(s) : undefined;
    if (bad) return bad;
  }
  return undefined;
}

/** What a process outside the group still holds, if anything. */
function holds(s: ClientSlot): string | undefined {
  const c = memberCtxOf(s);
  const state = String(s.snapshot!.value);
  const kept = [...c.owned, ...(c.reconciling?.assignment ?? [])];
  const stray = Object.keys(c.positions).filter((p) => !kept.includes(p));
  if (stray.length > 0) return `${s.name} keeps positions of ${stray.join(',')}, which it does not own`;
  if (releasing.has(state)) return undefined;
  if (state === 'stale' && c.memberEpoch > 0) return `${s.name} is stale (left the group) but keeps member epoch ${c.memberEpoch}`;
  if (c.memberEpoch > 0) return undefined;
  if (c.owned.length > 0) return `${s.name} owns ${c.owned.join(',')} at member epoch ${c.memberEpoch}, outside the group`;
  if (c.target !== null || c.reconciling !== null) return `${s.name} has an assignment to install at member epoch ${c.memberEpoch}`;
  if (c.timers.heartbeat !== undefined) return `${s.name} schedules interval heartbeats at member epoch ${c.memberEpoch}`;
  return undefined;
}

/** A member whose poll timer expired leaves with a heartbeat. */
function leaves(before: World, choice: Choice | null, after: World): string | undefined {
  for (const [b, a] of sameProcesses(before, after)) {
    if (clientFamily(a) !== 'consumer') continue;
    const cb = memberCtxOf(b);
    // The poll timer expired while the member was in the group and knew its coordinator: it leaves.
    const expired = choice?.kind === 'fire' && choice.target === a.name && choice.timer === 'poll';
    if (
      expired &&
      cb.memberEpoch > 0 &&
      cb.coordinator !== null &&
      !releasing.has(String(b.snapshot!.value)) &&
      a.snapshot!.value !== 'stale'
    )
      return `${a.name}'s poll timer expired (max.poll.interval.ms) in the group but it did not leave`;
    if (a.snapshot!.value !== 'stale' || b.snapshot!.value === 'stale') continue;
    if (cb.memberEpoch <= 0 || cb.coordinator === null) continue;
    const leaveEpoch = cb.cfg.instanceId === null ? LEAVE_EPOCH : STATIC_LEAVE_EPOCH;
    const left = after.sent.some(
      (m) =>
        m.to === 'coordinator' &&
        m.body.kind === 'ConsumerGroupHeartbeat' &&
        isProcessOf(m.body.client, a) &&
        (m.body as ConsumerGroupHeartbeatRequest).memberEpoch === leaveEpoch,
    );
    if (!left) return `${a.name}'s poll timer expired and it went stale without a leave heartbeat (epoch ${leaveEpoch})`;
  }
  return undefined;
}
