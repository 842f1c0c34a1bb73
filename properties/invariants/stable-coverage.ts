import type { Invariant } from '../invariant.ts';
import { parseTp, partitionsOf, type TopicPartition } from '../../models/types.ts';
import type { World } from '../../src/world/types.ts';
import {
  common,
  coord,
  ctxOf,
  driftedTopics,
  isLive,
  strandedPartitions,
  isSettled,
  liveClients,
  processOf,
  subscribedTopics,
} from '../../src/world/view.ts';

/** Once the group has settled, the assignment covers every partition exactly once. */
export const stableCoverage: Invariant = {
  id: 'stable-coverage',
  statement:
    'In a stable group every partition of the subscribed topics has exactly one owner among the members ' +
    '(except a partition added before a static leader returned with SkipAssignment, KIP-814, or of a topic a static ' +
    'replacement subscribed to in Stable, KAFKA-12759, or one a static replacement left unassigned while it was being revoked: Kafka does not notice these).',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  judges: 'state',
  check(_before, _choice, after) {
    if (!isSettled(after)) return undefined;
    const owners = new Map<string, string[]>();
    for (const s of liveClients(after))
      for (const p of common(s).owned) {
        const o = owners.get(p);
        if (o) o.push(s.name);
        else owners.set(p, [s.name]);
      }
    for (const p of partitionsOf(after.topics, subscribedTopics(after))) {
      const o = owners.get(p) ?? [];
      if (o.length === 1 || (o.length === 0 && (unnoticedAfterSkippedAssignment(after, p) || knownGap(after, p)))) continue;
      return o.length === 0 ? `${p} has no owner in the stable group` : `${p} is owned by ${o.join(' and ')}`;
    }
    return undefined;
  },
};

/**
 * Kafka's KIP-814 gap (docs/fidelity.md, "The static leader and SkipAssignment"): the leader of
 * the group came back with SkipAssignment, so the assignment in force was computed by an earlier
 * process; the returning leader's snapshot (ConsumerCoordinator.onLeaderElected:
 * assignmentSnapshot = metadataSnapshot) already holds `p`, so no metadata change is ever seen and
 * nobody rejoins. Recognised only in exactly that shape: the classic protocol, the current
 * leader's process skipped assignment, its snapshot is the brokers' current metadata, and `p` is
 * newer than every partition of its topic in the coordinator's stored assignment (a partition
 * added after that assignment was computed).
 */
function unnoticedAfterSkippedAssignment(w: World, p: TopicPartition): boolean {
  if (w.family !== 'classic') return false;
  const g = coord(w);
  const leader = g.leaderId === null ? undefined : g.members[g.leaderId];
  // The leader's process: a zombie (static replacement) carries its slot's name, so match by processOf.
  const process = leader && processOf(w, leader.client);
  const slot = process && isLive(process) && process.inc === leader.client.inc ? process : undefined;
  if (!slot?.skippedAssignment) return false;
  const c = ctxOf(slot);
  const { topic, partition } = parseTp(p);
  if (!c.isLeader || c.assignedMetadata?.[topic] !== w.topics[topic]) return false;
  const known = Object.values(g.members).flatMap((m) => m.assignment ?? []);
  return known.every((q) => parseTp(q).topic !== topic || parseTp(q).partition < partition);
}

/** Kafka's static-replacement gaps (docs/fidelity.md): KAFKA-12759's topics, and partitions stranded mid-revocation. */
const knownGap = (w: World, p: TopicPartition): boolean => driftedTopics(w).includes(parseTp(p).topic) || strandedPartitions(w).includes(p);
