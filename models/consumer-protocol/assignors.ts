import { range as clientRange } from '../assignors/range.ts';
import { partitionsOf, type TopicPartition, type Topics } from '../types.ts';

// Server-side assignors of the KIP-848 coordinator (ConsumerGroupPartitionAssignor): the
// coordinator runs them over every member at once, seeded with the previous target.

export interface ServerMember {
  topics: string[];
  instanceId: string | null;
}

export interface ServerAssignInput {
  /** Partition counts of the subscribed topics (the group's subscription metadata). */
  topics: Topics;
  members: Record<string, ServerMember>;
  /** The previous target assignment, member id -> partitions. */
  previous: Record<string, TopicPartition[]>;
}

export interface ServerAssignor {
  /** The name in group.remote.assignor / group.consumer.assignors. */
  name: string;
  /** What it promises with identical subscriptions (checked when the group is stable). */
  balance: 'global' | 'per-topic';
  assign(input: ServerAssignInput): Record<string, TopicPartition[]>;
}

const topicOf = (p: string) => p.slice(0, p.lastIndexOf('-'));
const byPartition = (a: string, b: string) => {
  const ta = topicOf(a);
  const tb = topicOf(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return Number(a.slice(ta.length + 1)) - Number(b.slice(tb.length + 1));
};

/**
 * Sticky balancing of `partitions` over `members` (UniformHomogeneousAssignmentBuilder):
 * quota P div C, the first P mod C members (in order) that already hold more may keep one
 * extra; everybody keeps previous partitions up to its quota, then the free partitions fill
 * members below the minimum quota, then the remaining extras go in member order.
 */
function stickyBalance(
  members: string[],
  partitions: TopicPartition[],
  previous: Record<string, TopicPartition[]>,
  out: Record<string, TopicPartition[]>,
): void {
  if (members.length === 0) return;
  const valid = new Set(partitions);
  const minQuota = Math.floor(partitions.length / members.length);
  let extras = partitions.length % members.length;
  const taken = new Set<string>();
  const kept: Record<string, TopicPartition[]> = {};
  for (const m of members) {
    const prev = (previous[m] ?? []).filter((p) => valid.has(p) && !taken.has(p));
    let quota = minQuota;
    if (prev.length > minQuota && extras > 0) {
      quota++;
      extras--;
    }
    kept[m] = prev.slice(0, quota);
    for (const p of kept[m]) taken.add(p);
  }
  const free = partitions.filter((p) => !taken.has(p)).sort(byPartition);
  for (const m of members) while (kept[m].length < minQuota) kept[m].push(free.shift()!);
  for (const m of members) {
    if (extras === 0) break;
    if (kept[m].length === minQuota) {
      kept[m].push(free.shift()!);
      extras--;
    }
  }
  for (const m of members) out[m].push(...kept[m]);
}

const sameTopics = (members: ServerMember[]) => members.every((m) => m.topics.join() === members[0].topics.join());

/**
 * `uniform` (UniformAssignor). Homogeneous subscriptions: sticky with max - min <= 1 over all
 * partitions. Heterogeneous: Kafka's UniformHeterogeneousAssignmentBuilder balances iteratively
 * per topic among its subscribers; simplified here to a sticky per-topic balance in which the
 * extras of each topic go to the least loaded subscribers first (best effort, like Kafka's).
 */
export const uniform: ServerAssignor = {
  name: 'uniform',
  balance: 'global',
  assign({ topics, members, previous }) {
    const ids = Object.keys(members).sort();
    const out: Record<string, TopicPartition[]> = Object.fromEntries(ids.map((m) => [m, []]));
    const list = ids.map((m) => members[m]);
    if (ids.length === 0) return out;
    if (sameTopics(list)) {
      stickyBalance(ids, partitionsOf(topics, list[0].topics), previous, out);
      return out;
    }
    const allTopics = [...new Set(list.flatMap((m) => m.topics))].sort();
    for (const t of allTopics) {
      if (topics[t] === undefined) continue;
      const subscribers = ids
        .filter((m) => members[m].topics.includes(t))
        .sort((a, b) => out[a].length - out[b].length || (a < b ? -1 : 1));
      stickyBalance(subscribers, partitionsOf(topics, [t]), previous, out);
    }
    return out;
  },
};

/**
 * Server-side `range` (RangeAssignor in group-coordinator): per topic, members sorted (static
 * by instance id, then member id) get contiguous ranges, the first P mod C one extra; the same
 * arithmetic as the client RangeAssignor. Not sticky: it does not read the previous target.
 */
export const serverRange: ServerAssignor = {
  name: 'range',
  balance: 'per-topic',
  assign({ topics, members }) {
    const subscriptions = Object.fromEntries(
      Object.entries(members).map(([id, m]) => [
        id,
        { topics: m.topics, ownedPartitions: [], generationId: -1, groupInstanceId: m.instanceId },
      ]),
    );
    return clientRange.assign({ topics, subscriptions });
  },
};

/** group.consumer.assignors: the first is the default. */
export const serverAssignors: Record<string, ServerAssignor> = { [uniform.name]: uniform, [serverRange.name]: serverRange };
export const defaultServerAssignor = uniform.name;
