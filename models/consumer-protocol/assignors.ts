import { range as clientRange } from '../assignors/range.ts';
import { parseTp, tp, type TopicPartition, type Topics } from '../types.ts';

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
  /** Whether it promises to keep each member's previous partitions up to the balanced quota. */
  sticky?: boolean;
  assign(input: ServerAssignInput): Record<string, TopicPartition[]>;
}

/**
 * A member's previous target as Kafka's `Map<Uuid, Set<Integer>>`: topics in the order they first
 * appear in the list (Kafka iterates a HashMap of topic ids: an order the model cannot reproduce,
 * so the list's own order stands for it), partitions ascending (a HashSet of small Integers).
 * Partitions the metadata no longer has are dropped.
 */
function previousByTopic(previous: TopicPartition[] | undefined, topics: Topics): [string, number[]][] {
  const byTopic = new Map<string, number[]>();
  for (const p of previous ?? []) {
    const { topic, partition } = parseTp(p);
    if (partition >= (topics[topic] ?? 0)) continue;
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push(partition);
  }
  return [...byTopic].map(([t, ps]) => [t, [...new Set(ps)].sort((a, b) => a - b)]);
}

/**
 * UniformHomogeneousAssignmentBuilder (every member subscribes to the same topics), as of Kafka 4.1
 * (KAFKA-18688, read from the 4.3.1 sources). Quota P div M; P mod M members get one more. In
 * member order, each member is offered the extra while any is left and keeps its previous
 * partitions up to its quota (in previous-assignment order), the rest going back to the pool; if
 * what it held did not fill the extra, it gives the extra up, unless too few members remain after
 * it to take the rest. So members that held one more keep it, and the last members take what is
 * left. Then the unfilled members, in member order, take the pool up to their quota: first the
 * partitions nobody held (topic by topic, ascending), then those taken away above. (Kafka 4.0
 * gave the extras to the first P mod M members whatever they held.)
 * Member order is Kafka's groupSpec.memberIds() (a HashMap's key order): the model uses member-id
 * order, and topics in name order where Kafka iterates a HashSet of topic ids.
 */
function homogeneous(ids: string[], subscribed: string[], topics: Topics, previous: Record<string, TopicPartition[]>) {
  const out: Record<string, TopicPartition[]> = Object.fromEntries(ids.map((m) => [m, []]));
  const subscribedSet = new Set(subscribed);
  const held = new Set<TopicPartition>();
  for (const m of ids)
    for (const [t, ps] of previousByTopic(previous[m], topics)) if (subscribedSet.has(t)) for (const p of ps) held.add(tp(t, p));
  const pool: TopicPartition[] = [];
  let total = 0;
  for (const t of [...subscribed].sort()) {
    const n = topics[t] ?? 0;
    total += n;
    for (let p = 0; p < n; p++) if (!held.has(tp(t, p))) pool.push(tp(t, p));
  }
  const minQuota = Math.floor(total / ids.length);
  let extras = total % ids.length;
  const unfilled: [string, number][] = [];
  for (const [index, m] of ids.entries()) {
    let quota = minQuota;
    let extra = false;
    if (extras > 0) {
      quota++;
      extra = true;
    }
    for (const [t, ps] of previousByTopic(previous[m], topics)) {
      if (!subscribedSet.has(t)) continue;
      for (const p of ps) {
        if (quota > 0) {
          out[m].push(tp(t, p));
          quota--;
        } else pool.push(tp(t, p));
      }
    }
    // KAFKA-18688 (Kafka 4.1 on): a member whose previous partitions did not fill the extra one
    // gives it up to a later member, unless it is one of the last that must take one; so the
    // members that already held one more keep it.
    if (quota > 0 && extra && ids.length - index > extras) {
      quota--;
      extra = false;
    }
    if (quota > 0) unfilled.push([m, quota]);
    if (extra) extras--;
  }
  let next = 0;
  for (const [m, quota] of unfilled) for (let i = 0; i < quota && next < pool.length; i++) out[m].push(pool[next++]);
  return out;
}

/**
 * UniformHeterogeneousAssignmentBuilder (members subscribe to different topics): keep every
 * previous partition of a still-subscribed topic; deal the unowned partitions topic by topic
 * (most partitions per subscriber first, then fewer subscribers, then topic id) each to the
 * least-loaded subscriber (ties: member order); then, up to 16 passes over the topics, move
 * partitions from a topic's most-loaded subscribers to its least-loaded until every topic's
 * subscribers differ by at most one partition in their totals. Balance is across a member's
 * topics, not per topic. Topic ids are the topic names here (Kafka: Uuid order).
 */
function heterogeneous(ids: string[], members: Record<string, ServerMember>, topics: Topics, previous: Record<string, TopicPartition[]>) {
  const index = new Map(ids.map((m, i) => [m, i]));
  const subscribers = new Map<string, number[]>();
  ids.forEach((m, i) => {
    for (const t of members[m].topics) if (topics[t] !== undefined) subscribers.set(t, [...(subscribers.get(t) ?? []), i]);
  });
  const owners = new Map<string, number[]>([...subscribers.keys()].map((t) => [t, new Array(topics[t]).fill(-1)]));
  const size = new Array(ids.length).fill(0);
  for (const m of ids) {
    const i = index.get(m)!;
    for (const [t, ps] of previousByTopic(previous[m], topics)) {
      if (!members[m].topics.includes(t) || !owners.has(t)) continue;
      size[i] += ps.length;
      for (const p of ps) owners.get(t)![p] = i;
    }
  }
  const move = (t: string, p: number, to: number) => {
    const from = owners.get(t)![p];
    if (from !== -1) size[from]--;
    owners.get(t)![p] = to;
    size[to]++;
  };
  const byLoad = (a: number, b: number) => size[a] - size[b] || a - b;
  const topicOrder = (ts: string[]) =>
    [...ts].sort((a, b) => {
      const sa = subscribers.get(a)!.length;
      const sb = subscribers.get(b)!.length;
      return topics[b] / sb - topics[a] / sa || sa - sb || (a < b ? -1 : a > b ? 1 : 0);
    });
  const unowned = [...owners].filter(([, o]) => o.includes(-1)).map(([t]) => t);
  const balancer = new LoadBalancer(size);
  for (const t of topicOrder(unowned)) {
    balancer.initialize(subscribers.get(t)!, byLoad);
    owners.get(t)!.forEach((o, p) => {
      if (o === -1) move(t, p, balancer.nextLeast());
    });
  }
  const movable = topicOrder([...subscribers].filter(([, s]) => s.length >= 2).map(([t]) => t));
  let last = -1;
  for (let pass = 0; pass < MAX_BALANCE_PASSES; pass++) {
    for (let ti = 0; ti < movable.length; ti++) {
      if (ti === last) return collect(ids, owners);
      if (balanceTopic(movable[ti], subscribers.get(movable[ti])!, owners.get(movable[ti])!, balancer, byLoad, move) > 0 || last === -1)
        last = ti;
    }
  }
  return collect(ids, owners);
}

/** UniformHeterogeneousAssignmentBuilder.MAX_ITERATION_COUNT. */
const MAX_BALANCE_PASSES = 16;

function collect(ids: string[], owners: Map<string, number[]>): Record<string, TopicPartition[]> {
  const out: Record<string, TopicPartition[]> = Object.fromEntries(ids.map((m) => [m, []]));
  for (const t of [...owners.keys()].sort()) owners.get(t)!.forEach((o, p) => o !== -1 && out[ids[o]].push(tp(t, p)));
  return out;
}

/** balanceTopic: the topic's partitions, grouped by owner, move from the most-loaded end to the least-loaded. */
function balanceTopic(
  t: string,
  subs: number[],
  owner: number[],
  balancer: LoadBalancer,
  byLoad: (a: number, b: number) => number,
  move: (t: string, p: number, to: number) => void,
): number {
  if (balancer.initialize(subs, byLoad) <= 1) return 0;
  const parts = owner.map((_, p) => p).sort((a, b) => owner[a] - owner[b] || a - b);
  const start = new Map<number, number>();
  const end = new Map<number, number>();
  parts.forEach((p, i) => {
    if (!start.has(owner[p])) start.set(owner[p], i);
    end.set(owner[p], i + 1);
  });
  let moved = 0;
  while (!balancer.isBalanced()) {
    let from = -1;
    for (;;) {
      from = balancer.nextMost();
      if (from === -1) break;
      if (!end.has(from) || end.get(from)! - start.get(from)! <= 0) {
        balancer.excludeMost();
        continue;
      }
      break;
    }
    if (from === -1) break;
    const p = parts[end.get(from)! - 1];
    end.set(from, end.get(from)! - 1);
    const to = balancer.nextLeast();
    if (balancer.isBalanced()) break;
    move(t, p, to);
    moved++;
  }
  return moved;
}

/**
 * MemberAssignmentBalancer: over members sorted by load, a least-loaded range that grows
 * rightwards as it fills and a most-loaded range that grows leftwards as it drains; balanced when
 * the two levels differ by at most one.
 */
class LoadBalancer {
  private sorted: number[] = [];
  private leastEnd = 0;
  private leastLevel = -1;
  private nextLeastAt = 0;
  private mostStart = 0;
  private mostEnd = 0;
  private mostLevel = 1;
  private nextMostAt = -1;
  constructor(private readonly size: number[]) {}
  initialize(members: number[], byLoad: (a: number, b: number) => number): number {
    this.sorted = [...members].sort(byLoad);
    const n = this.sorted.length;
    this.leastEnd = 0;
    this.leastLevel = this.size[this.sorted[0]] - 1;
    this.nextLeastAt = 0;
    this.mostStart = n;
    this.mostEnd = n;
    this.mostLevel = this.size[this.sorted[n - 1]] + 1;
    this.nextMostAt = n - 1;
    return this.size[this.sorted[n - 1]] - this.size[this.sorted[0]];
  }
  nextLeast(): number {
    if (this.nextLeastAt >= this.leastEnd) {
      this.leastLevel++;
      while (this.leastEnd < this.sorted.length && this.size[this.sorted[this.leastEnd]] === this.leastLevel) this.leastEnd++;
      this.nextLeastAt = 0;
    }
    return this.sorted[this.nextLeastAt++];
  }
  nextMost(): number {
    if (this.nextMostAt < this.mostStart) {
      if (this.mostEnd <= this.mostStart && this.mostStart > 0) this.mostLevel = this.size[this.sorted[this.mostStart - 1]];
      else this.mostLevel--;
      while (this.mostStart > 0 && this.size[this.sorted[this.mostStart - 1]] === this.mostLevel) this.mostStart--;
      this.nextMostAt = this.mostEnd - 1;
    }
    if (this.nextMostAt < 0) return -1;
    return this.sorted[this.nextMostAt--];
  }
  /** Swaps the member nextMost last returned out of the most-loaded range. */
  excludeMost(): void {
    const i = this.nextMostAt + 1;
    const m = this.sorted[i];
    this.sorted[i] = this.sorted[this.mostEnd - 1];
    this.sorted[this.mostEnd - 1] = m;
    this.mostEnd--;
  }
  isBalanced(): boolean {
    return this.mostLevel - this.leastLevel <= 1;
  }
}

const sameTopics = (members: ServerMember[]) => {
  const first = [...members[0].topics].sort().join('\n');
  return members.every((m) => [...m.topics].sort().join('\n') === first);
};

/** The two builders on their own, for Kafka's tests that pick one whatever the subscriptions. */
export const uniformBuilders = {
  homogeneous: ({ topics, members, previous }: ServerAssignInput) => {
    const ids = Object.keys(members).sort();
    return ids.length === 0
      ? {}
      : homogeneous(
          ids,
          members[ids[0]].topics.filter((t) => topics[t] !== undefined),
          topics,
          previous,
        );
  },
  heterogeneous: ({ topics, members, previous }: ServerAssignInput) =>
    heterogeneous(Object.keys(members).sort(), members, topics, previous),
};

/**
 * `uniform` (UniformAssignor): the homogeneous builder when every member subscribes to the same
 * topics (GroupSpec.subscriptionType HOMOGENEOUS), the heterogeneous one otherwise. Kafka throws
 * for a topic missing from the metadata; the coordinator resolves subscriptions to topic ids first
 * (TopicIds), so such a topic never reaches the assignor, and the model skips it the same way.
 */
export const uniform: ServerAssignor = {
  name: 'uniform',
  balance: 'global',
  sticky: true,
  assign({ topics, members, previous }) {
    const ids = Object.keys(members).sort();
    if (ids.length === 0) return {};
    const builder = sameTopics(ids.map((m) => members[m])) ? uniformBuilders.homogeneous : uniformBuilders.heterogeneous;
    return builder({ topics, members, previous });
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
