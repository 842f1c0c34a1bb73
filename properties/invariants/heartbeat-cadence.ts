import type { Invariant } from '../invariant.ts';
import { groupOf, memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isLive } from '../../src/world/view.ts';
import type { Choice, World, WorldConfig } from '../../src/world/types.ts';

/** States in which a KIP-848 member heartbeats: in the group, including while it reconciles or closes. */
const heartbeating = new Set(['joining', 'stable', 'reconciling', 'revoking', 'assigning', 'closing', 'releasing']);
/** States in which the poll timer runs (close() stops it). */
const polling = new Set(['joining', 'stable', 'reconciling', 'revoking', 'assigning', 'losing']);

/**
 * The KIP-848 heartbeat schedule (ConsumerHeartbeatRequestManager, AbstractMembershipManager):
 * - a member in the group (epoch > 0) that knows its coordinator always has a heartbeat in
 *   flight or one due within group.consumer.heartbeat.interval.ms (the interval the coordinator
 *   returns; the heartbeat timer is reset on every response);
 * - a member that has finished revoking what the coordinator asked (ACKNOWLEDGING) tells it at
 *   once: `shouldHeartbeatNow` sends the heartbeat without waiting for the interval, or as soon
 *   as the one in flight is answered. So while the coordinator still waits for the revocation of
 *   a member that no longer owns those partitions, that member has a heartbeat in flight.
 * - a member that stops polling (stalled) leaves the group within max.poll.interval.ms: the
 *   poll timer, checked by the heartbeat manager (maybeLeaveGroupOnExpiredPollTimer), is due by
 *   then (while the coordinator is unknown the check is repeated every heartbeat interval).
 * - a timer of the member that fires is cleared or moved later, never left due at the instant it
 *   fired: the poll-timer check that finds the coordinator unknown waits for the heartbeat
 *   manager's next poll (Kafka skips it until FindCoordinator is answered; the model re-checks a
 *   heartbeat interval on, recheckPollLater). A timer left due would fire again and again at one
 *   instant: the world's clock, which moves to the earliest deadline, stops for every process,
 *   so no request of anyone times out and no session expires until something else clears it.
 * Once the member's epoch or the coordinator is unknown (a rejoin, a lookup) other clauses apply.
 */
export const heartbeatCadence: Invariant = {
  id: 'heartbeat-cadence',
  statement:
    'A member in the group always has a heartbeat in flight or due within the heartbeat interval, one in flight as soon as it has finished a revocation the coordinator waits for, and, stalled, a poll timeout due within max.poll.interval.ms; a timer that fires is cleared or moved later (the poll-timer check waits while the coordinator is unknown).',
  protocols: ['consumer'],
  kind: 'safety',
  check(_before, choice, after, config) {
    if (after.family !== 'consumer') return undefined;
    return firedAgain(choice, after) ?? schedule(after, config);
  },
  split: {
    state: (after, config) => (after.family === 'consumer' ? schedule(after, config) : undefined),
    step: (_before, choice, after) => (after.family === 'consumer' ? firedAgain(choice, after) : undefined),
  },
};

/** A timer of a member that fired in the step and is still due: the step's rule. */
function firedAgain(choice: Choice | null, after: World): string | undefined {
  if (choice?.kind === 'fire' && choice.target !== 'coordinator') {
    const s = after.clients.find((x) => x.name === choice.target);
    const due = s && isLive(s) && clientFamily(s) === 'consumer' ? memberCtxOf(s).timers[choice.timer] : undefined;
    if (due !== undefined && due <= after.now)
      return `${choice.target}'s ${choice.timer} timer fired at ${after.now} ms and is still due then: it fires again without time passing (${choice.timer === 'poll' ? 'the poll-timer check must wait for a later poll while the coordinator is unknown' : 'a fired timer is cleared or moved later'})`;
  }
  return undefined;
}

/** Every member's heartbeat and poll schedule: a function of the world after the step. */
function schedule(after: World, config: WorldConfig): string | undefined {
  const g = groupOf(after);
  for (const s of after.clients) {
    if (!isLive(s) || clientFamily(s) !== 'consumer') continue;
    const c = memberCtxOf(s);
    const state = String(s.snapshot!.value);
    if (c.memberEpoch > 0 && c.stalled && polling.has(state)) {
      const poll = c.timers.poll;
      if (poll === undefined || poll > after.now + Math.max(config.timers.maxPollIntervalMs, config.timers.heartbeatIntervalMs))
        return `${s.name} has stopped polling but ${poll === undefined ? 'no poll timeout is due' : `its poll timeout is only at ${poll} ms`}`;
    }
    if (c.memberEpoch <= 0 || c.coordinator === null || !heartbeating.has(state)) continue;
    if (c.inflight.heartbeat !== undefined) continue;
    const due = c.timers.heartbeat;
    if (due === undefined || due > after.now + config.timers.heartbeatIntervalMs)
      return `${s.name} is in the group at epoch ${c.memberEpoch} with no heartbeat in flight and ${due === undefined ? 'none scheduled' : `the next one only at ${due} ms`}`;
    const r = g.members[c.memberId];
    if (
      s.snapshot!.value === 'stable' &&
      r !== undefined &&
      r.memberEpoch === c.memberEpoch &&
      r.pendingRevocation.length > 0 &&
      r.pendingRevocation.every((p) => !c.owned.includes(p))
    )
      return `${s.name} has revoked ${r.pendingRevocation.join(',')} but sends no heartbeat to acknowledge it (next at ${due} ms)`;
  }
  return undefined;
}
