import type { Invariant } from '../invariant.ts';
import { groupOf, memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isLive } from '../../src/world/view.ts';

/** States in which a KIP-848 member heartbeats: in the group, including while it reconciles or closes. */
const heartbeating = new Set(['joining', 'stable', 'reconciling', 'revoking', 'assigning', 'closing', 'releasing']);
/** States in which the poll timer runs (close() stops it). */
const polling = new Set(['joining', 'stable', 'reconciling', 'revoking', 'assigning', 'losing']);

/**
 * The KIP-848 heartbeat schedule (ConsumerHeartbeatRequestManager, AbstractMembershipManager):
 * - a member in the group (epoch > 0) that knows its coordinator always has a heartbeat in
 *   flight or one due within group.consumer.heartbeat.interval.ms (the interval the coordinator
 *   returns; the heartbeat timer is reset on every response);
 * - a member that has finished revoking what the coordinator asked (ACKNOWLEDGING: partitions
 *   it had reported as owned) tells it at once: `shouldHeartbeatNow` sends the heartbeat without waiting for the interval, or as soon
 *   as the one in flight is answered. So while the coordinator still waits for the revocation of
 *   a member that no longer owns those partitions, that member has a heartbeat in flight.
 * - a member that stops polling (stalled) leaves the group within max.poll.interval.ms: the
 *   poll timer, checked by the heartbeat manager (maybeLeaveGroupOnExpiredPollTimer), is due by
 *   then (while the coordinator is unknown the check is repeated every heartbeat interval).
 * Once the member's epoch or the coordinator is unknown (a rejoin, a lookup) other clauses apply.
 */
export const heartbeatCadence: Invariant = {
  id: 'heartbeat-cadence',
  statement:
    'A member in the group always has a heartbeat in flight or due within the heartbeat interval, one in flight as soon as it has finished a revocation the coordinator waits for, and, stalled, a poll timeout due within max.poll.interval.ms.',
  protocols: ['consumer'],
  kind: 'safety',
  check(_before, _choice, after, config) {
    if (after.family !== 'consumer') return undefined;
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
        r.pendingRevocation.every((p) => !c.owned.includes(p)) &&
        // It revoked them: its last heartbeat reported one as owned (or the full report is owed).
        // A partition it was assigned but never installed (its topic did not resolve) is not
        // revoked: Kafka's maybeReconcile ignores an assignment equal to the current one and
        // sends nothing early, and the owned partitions go out only when they change.
        (c.sent.owned === null || c.sent.owned.some((p) => r.pendingRevocation.includes(p)))
      )
        return `${s.name} has revoked ${r.pendingRevocation.join(',')} but sends no heartbeat to acknowledge it (next at ${due} ms)`;
    }
    return undefined;
  },
};
