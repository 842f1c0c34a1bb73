import type { MemberSubscription } from '../../models/assignors/types.ts';
import { parseTp, tp, type TopicPartition, type Topics } from '../../models/types.ts';
import type { Choice, World, WorldConfig } from '../../src/world/types.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import type { Invariant } from '../invariant.ts';
import { leaderAssignment } from '../leader-assignment.ts';

// Who gets which share. Kafka's range and round-robin assignors are deterministic functions of the
// member order, and that order is part of their contract: AbstractPartitionAssignor.MemberInfo
// sorts static members by group.instance.id first, then dynamic members by member id (KIP-345), so
// that a static member that restarts with a new member id gets the same partitions back. The
// server-side RangeAssignor of KIP-848 sorts members the same way. Stated here from Kafka's
// source, not by calling the models' assignors.

/** Members in Kafka's MemberInfo order: static by group.instance.id, then dynamic by member id. */
function kafkaOrder(members: Record<string, { instanceId: string | null }>): string[] {
  const key = (id: string) => {
    const i = members[id].instanceId;
    return i === null ? [1, id] : [0, i];
  };
  return Object.keys(members).sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] !== kb[0] ? (ka[0] as number) - (kb[0] as number) : ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0;
  });
}

type Members = Record<string, { instanceId: string | null; topics: string[] }>;

const subscribedTopics = (members: Members, counts: Topics): string[] =>
  [...new Set(Object.values(members).flatMap((m) => m.topics))].filter((t) => (counts[t] ?? 0) > 0).sort();

/**
 * RangeAssignor.assign: per topic, its subscribers in member order; with P partitions and C
 * subscribers the i-th gets P div C partitions, one more for the first P mod C, as contiguous
 * ranges from partition 0.
 */
function rangeShares(members: Members, counts: Topics): Record<string, TopicPartition[]> {
  const order = kafkaOrder(members);
  const out: Record<string, TopicPartition[]> = Object.fromEntries(order.map((m) => [m, []]));
  for (const t of subscribedTopics(members, counts)) {
    const subs = order.filter((m) => members[m].topics.includes(t));
    const per = Math.floor(counts[t] / subs.length);
    const extra = counts[t] % subs.length;
    subs.forEach((m, i) => {
      const start = per * i + Math.min(i, extra);
      for (let p = start; p < start + per + (i < extra ? 1 : 0); p++) out[m].push(tp(t, p));
    });
  }
  return out;
}

/**
 * RoundRobinAssignor.assign: every partition of the subscribed topics (topics by name, then
 * partition number) dealt in turn over the members in member order, a member not subscribed to
 * the partition's topic being passed over.
 */
function roundRobinShares(members: Members, counts: Topics): Record<string, TopicPartition[]> {
  const order = kafkaOrder(members);
  const out: Record<string, TopicPartition[]> = Object.fromEntries(order.map((m) => [m, []]));
  let next = 0;
  for (const t of subscribedTopics(members, counts))
    for (let p = 0; p < counts[t]; p++) {
      while (!members[order[next % order.length]].topics.includes(t)) next++;
      out[order[next % order.length]].push(tp(t, p));
      next++;
    }
  return out;
}

const key = (ps: TopicPartition[] | undefined) => [...(ps ?? [])].sort().join(',');

/** Each member's partition count per topic, as one string. */
const counts = (out: Record<string, TopicPartition[]>, m: string) => {
  const c = new Map<string, number>();
  for (const p of out[m] ?? []) c.set(parseTp(p).topic, (c.get(parseTp(p).topic) ?? 0) + 1);
  return [...c.entries()]
    .sort()
    .map(([t, n]) => `${t}:${n}`)
    .join(',');
};

/**
 * Only the order is judged: when the assignment hands out every partition exactly once and the
 * members' sizes are Kafka's sizes (per topic), each partition must go to the member Kafka gives
 * it to. Assignments that drop, double or unbalance are left to stable-coverage, single-owner and
 * balanced-when-stable, so that this oracle names the order alone.
 */
function misordered(given: Record<string, TopicPartition[]>, kafka: Record<string, TopicPartition[]>): string | undefined {
  const ids = Object.keys(kafka);
  const handed = ids.flatMap((m) => given[m] ?? []);
  if (handed.length !== new Set(handed).size || key(handed) !== key(ids.flatMap((m) => kafka[m]))) return undefined;
  const sizes = (out: Record<string, TopicPartition[]>) =>
    ids
      .map((m) => counts(out, m))
      .sort()
      .join('|');
  if (sizes(given) !== sizes(kafka)) return undefined;
  const wrong = ids.find((m) => key(given[m]) !== key(kafka[m]));
  return wrong && `member ${wrong} got [${key(given[wrong])}] where Kafka's order (${ids.join(', ')}) gives it [${key(kafka[wrong])}]`;
}

/**
 * Two members with one group.instance.id (one-member-per-instance's violation): MemberInfo.compareTo
 * ranks them equal, and Java's sort keeps them in HashMap order, which Kafka does not define.
 */
function sharedInstance(members: Record<string, { instanceId: string | null }>): boolean {
  const ids = Object.values(members).flatMap((m) => (m.instanceId === null ? [] : [m.instanceId]));
  return new Set(ids).size !== ids.length;
}

const shares: Record<string, (members: Members, counts: Topics) => Record<string, TopicPartition[]>> = {
  range: rangeShares,
  roundrobin: roundRobinShares,
};

/** Classic: the leader ran range or roundrobin in this step. */
function classic(before: World, choice: Choice | null, after: World, config: WorldConfig): string | undefined {
  const run = leaderAssignment(before, choice, after);
  const name = run?.response.protocolName ?? '';
  // KIP-881: the rack-aware range pass places partitions by rack first; only the plain order is stated.
  if (!run || !shares[name] || (name === 'range' && config.racks)) return undefined;
  const subs: Record<string, MemberSubscription> = run.response.members;
  const members = Object.fromEntries(Object.entries(subs).map(([id, s]) => [id, { instanceId: s.groupInstanceId, topics: s.topics }]));
  if (sharedInstance(members)) return undefined;
  const v = misordered(run.assignments, shares[name](members, run.metadata));
  return v && `${name} at generation ${run.response.generation}: ${v}`;
}

/** KIP-848: the coordinator computed a new target with the server-side range assignor. */
function consumer(before: World, after: World): string | undefined {
  const g0 = groupOf(before);
  const g1 = groupOf(after);
  if (g1.targetEpoch <= g0.targetEpoch || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
  const members = Object.values(g1.members);
  // The coordinator runs the assignor most members name (ConsumerGroup.preferredServerAssignor).
  const named = members.map((m) => m.assignor).filter((a) => a !== null);
  if (named.length === 0 || named.some((a) => a !== 'range')) return undefined;
  if (sharedInstance(Object.fromEntries(members.map((m) => [m.memberId, m])))) return undefined;
  const v = misordered(g1.target, rangeShares(Object.fromEntries(members.map((m) => [m.memberId, m])), g1.subscriptionMetadata));
  return v && `range target of epoch ${g1.targetEpoch}: ${v}`;
}

export const assignmentOrder: Invariant = {
  id: 'assignment-order',
  statement:
    "Range and round-robin give each share to the member Kafka's order names: static members by group.instance.id first, then dynamic members by member id (the KIP-848 server-side range too).",
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after, config) {
    if (before.family !== after.family) return undefined;
    return before.family === 'consumer' ? consumer(before, after) : classic(before, choice, after, config);
  },
};
