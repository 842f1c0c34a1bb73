import type { Invariant } from '../invariant.ts';
import { settleBoundMs } from '../../src/world/quiesce.ts';
import type { World, WorldConfig } from '../../src/world/types.ts';
import { clientFamily, coord, coordState, ctxOf, groupStateName, isSettled, liveClients, subscribedTopics } from '../../src/world/view.ts';

/**
 * Known Kafka behaviour, exempted (docs/migration.md, "A downgrade reloaded before its
 * rebalance"). GroupMetadataManager.convertToClassicGroup writes the classic group's record
 * (ClassicGroup.fromConsumerGroup: Stable, generation = the group epoch, each remaining member's
 * target assignment, the leaver left out) and only then prepares a rebalance, in memory: a
 * PreparingRebalance group is never written. A coordinator failover before that rebalance
 * completes reloads the record as a Stable group (the replay of GroupMetadataValue:
 * `loadedMembers.isEmpty() ? EMPTY : STABLE`; onLoaded starts no rebalance), the members'
 * heartbeats at that generation succeed, and the leaver's partitions (and any added since)
 * belong to nobody until something else starts a rebalance.
 *
 * True only in exactly that state: a classic group, Stable at the formation the last downgrade
 * wrote, restored by a failover since the downgrade, every live process a classic member of it
 * at its generation, stable, with fresh metadata and nothing to rejoin for. Anything else that
 * keeps a group from settling is still a violation.
 */
export function downgradeReloadedBeforeRebalance(w: World): boolean {
  const d = w.downgrade;
  if (w.family !== 'classic' || d === null || w.formation !== d.formation || w.coordinatorEpoch <= d.coordinatorEpoch) return false;
  if (coordState(w) !== 'Stable') return false;
  const g = coord(w);
  const live = liveClients(w);
  if (live.length === 0 || Object.keys(g.members).length !== live.length) return false;
  const topics = subscribedTopics(w);
  return live.every((s) => {
    if (clientFamily(s) !== 'classic') return false;
    const c = ctxOf(s);
    return (
      g.members[c.memberId] !== undefined &&
      s.snapshot!.value === 'stable' &&
      c.generation === g.generation &&
      !c.rejoinNeeded &&
      !c.stalled &&
      c.joinedTopics.join() === c.cfg.topics.join() &&
      topics.every((t) => c.metadata[t] === w.topics[t])
    );
  });
}

/**
 * CL1/CL2: after the faults stop (links heal, stalled applications resume, nothing crashes
 * or leaves any more) a fair schedule brings the group to Stable with full coverage.
 */
export const eventuallyStable: Invariant = {
  id: 'eventually-stable',
  statement: 'Once faults stop, the group becomes stable again within a bounded virtual time.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'liveness',
  settleBoundMs,
  check(before, _choice, after, config) {
    if (isSettled(after) || downgradeReloadedBeforeRebalance(after)) return undefined;
    return `group not stable ${after.now - before.now} ms after faults stopped (bound ${settleBoundMs(config)} ms); coordinator is ${groupStateName(after)}${shortRebalanceTimeout(config)}`;
  },
};

/**
 * Kafka's own liveness hazard, named in the message (docs/fidelity.md, "A rebalance timeout
 * below the heartbeat interval"): a classic member hears of a rebalance only from its next
 * heartbeat, and the join phase waits at most the rebalance timeout (max.poll.interval.ms) for
 * it. At or below the heartbeat interval it can miss each join phase, be removed, rejoin and so
 * start the next one, in which the other member misses it: Kafka's Java consumer accepts the
 * setting (only heartbeat.interval.ms < session.timeout.ms is checked); librdkafka refuses
 * max.poll.interval.ms < session.timeout.ms. Not exempted: the group really does not settle.
 */
function shortRebalanceTimeout(config: WorldConfig): string {
  const t = config.timers;
  const classic = config.protocol !== 'consumer' || (config.migration ?? null) !== null;
  return classic && t.maxPollIntervalMs <= t.heartbeatIntervalMs
    ? ` (max.poll.interval.ms ${t.maxPollIntervalMs} ms, the classic rebalance timeout, is not above heartbeat.interval.ms ${t.heartbeatIntervalMs} ms: a member that hears of a rebalance only from its next heartbeat can miss every join phase)`
    : '';
}
