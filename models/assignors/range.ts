import { parseTp, tp, type TopicPartition } from '../types.ts';
import { memberRack, replicaRacks, useRackAwareAssignment } from './racks.ts';
import { sortedMembers, type Assignor, type AssignInput, type AssignOutput } from './types.ts';

/** One topic's state in RangeAssignor.assignPartitions (Kafka's TopicAssignmentState). */
interface TopicState {
  topic: string;
  /** Subscribers in assignor order, with their racks. */
  consumers: string[];
  racks: Map<string, string | null>;
  partitionRacks: Map<TopicPartition, Set<string>>;
  unassigned: TopicPartition[];
  assignedBy: Map<string, number>;
  perConsumer: number;
  extraLeft: number;
  rackAware: boolean;
}

function topicState(input: AssignInput, topic: string, n: number, members: string[], prefer: boolean): TopicState {
  const consumers = members.filter((m) => input.subscriptions[m].topics.includes(topic));
  const racks = new Map(consumers.map((c) => [c, memberRack(input, c)]));
  const consumerRacks = new Set([...racks.values()].filter((r): r is string => r !== null));
  const partitions = Array.from({ length: n }, (_, p) => tp(topic, p));
  // Kafka reads partition racks only when some subscriber has a rack.
  const partitionRacks = new Map(consumerRacks.size > 0 ? partitions.map((p) => [p, replicaRacks(input, p)]) : []);
  return {
    topic,
    consumers,
    racks,
    partitionRacks,
    unassigned: partitions,
    assignedBy: new Map(consumers.map((c) => [c, 0])),
    perConsumer: consumers.length === 0 ? 0 : Math.floor(n / consumers.length),
    extraLeft: consumers.length === 0 ? 0 : n % consumers.length,
    rackAware: useRackAwareAssignment(consumerRacks, partitionRacks, prefer),
  };
}

/** A member without a rack matches every partition (TopicAssignmentState.racksMatch). */
function racksMatch(s: TopicState, c: string, p: TopicPartition): boolean {
  const rack = s.racks.get(c) ?? null;
  return rack === null || (s.partitionRacks.get(p)?.has(rack) ?? false);
}

function maxAssignable(s: TopicState, c: string): number {
  return Math.max(0, s.perConsumer + (s.extraLeft > 0 ? 1 : 0) - s.assignedBy.get(c)!);
}

function give(s: TopicState, c: string, ps: TopicPartition[], out: AssignOutput): void {
  out[c].push(...ps);
  const count = s.assignedBy.get(c)! + ps.length;
  s.assignedBy.set(c, count);
  if (count > s.perConsumer) s.extraLeft--;
  s.unassigned = s.unassigned.filter((p) => !ps.includes(p));
}

/** assignRanges: each subscriber in order takes the first partitions it may, up to its quota. */
function assignRanges(s: TopicState, mayAssign: (c: string, p: TopicPartition) => boolean, out: AssignOutput): void {
  for (const c of s.consumers) {
    if (s.unassigned.length === 0) break;
    const ps = s.unassigned.filter((p) => mayAssign(c, p)).slice(0, maxAssignable(s, c));
    if (ps.length > 0) give(s, c, ps, out);
  }
}

/**
 * assignCoPartitionedWithRackMatching: topics with the same subscribers and partition count keep
 * co-partitioning: partition i of all of them goes to the first subscriber whose rack matches
 * partition i of every one of them and that has room in each.
 */
function assignCoPartitioned(states: TopicState[], n: number, out: AssignOutput): void {
  const remaining = [...states[0].consumers];
  for (let p = 0; p < n; p++) {
    const c = remaining.find((m) => states.every((s) => racksMatch(s, m, tp(s.topic, p)) && maxAssignable(s, m) > 0));
    if (c === undefined) continue;
    for (const s of states) give(s, c, [tp(s.topic, p)], out);
    if (states.every((s) => maxAssignable(s, c) === 0)) {
      remaining.splice(remaining.indexOf(c), 1);
      if (remaining.length === 0) break;
    }
  }
}

/** assignWithRackMatching: group topics by subscribers, then by partition count. */
function assignWithRackMatching(states: TopicState[], out: AssignOutput): void {
  const groups = new Map<string, TopicState[]>();
  for (const s of states) {
    // Kafka groups by `partitionRacks.size()`: the partition count, or 0 when no subscriber has a rack.
    const key = `${s.consumers.join('\0')}\u0001${s.partitionRacks.size}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const group of groups.values()) {
    if (group.length > 1) assignCoPartitioned(group, group[0].partitionRacks.size, out);
    else if (group[0].rackAware) assignRanges(group[0], (c, p) => racksMatch(group[0], c, p), out);
  }
}

const byTopicThenPartition = (a: TopicPartition, b: TopicPartition): number => {
  const x = parseTp(a);
  const y = parseTp(b);
  return x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : x.partition - y.partition;
};

/**
 * Kafka's RangeAssignor: per topic, the sorted subscribers get contiguous ranges; the first
 * `P mod C` get one extra partition. Balanced per topic, not across topics; ignores owned
 * partitions. KIP-881: when members have racks and partitions' replicas are on a subset of them,
 * a first pass gives each member the partitions on its rack within the same per-topic quotas
 * (co-partitioned topics together), then plain ranges place the rest, and each member's list is
 * sorted. Kafka iterates topics in HashMap order; the model sorts them, which only orders each
 * member's list (quotas are per topic).
 */
export const range: Assignor = rangeAssignor();

/** RangeAssignor; `preferRackAware` is Kafka's test-only `preferRackAwareLogic` (the fidelity suite sets it). */
export function rangeAssignor(preferRackAware = false): Assignor {
  return {
    name: 'range',
    supportedProtocols: ['eager'],
    balance: 'per-topic',
    assign(input: AssignInput): AssignOutput {
      const { topics, subscriptions } = input;
      const members = sortedMembers(subscriptions);
      const out: AssignOutput = {};
      for (const m of members) out[m] = [];
      const allTopics = [...new Set(members.flatMap((m) => subscriptions[m].topics))].sort();
      // Topics unknown to the leader's metadata, or with no partitions, are skipped.
      const states = allTopics.filter((t) => (topics[t] ?? 0) > 0).map((t) => topicState(input, t, topics[t], members, preferRackAware));
      const rackAware = states.some((s) => s.rackAware);
      if (rackAware) assignWithRackMatching(states, out);
      for (const s of states) assignRanges(s, () => true, out);
      if (rackAware) for (const m of members) out[m].sort(byTopicThenPartition);
      return out;
    },
  };
}

export type { TopicPartition };
