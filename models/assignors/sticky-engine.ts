import { parseTp, tp, type TopicPartition } from '../types.ts';
import { memberRack, replicaRacks, useRackAwareAssignment } from './racks.ts';
import type { AssignInput, MemberSubscription } from './types.ts';

// Port of Kafka's AbstractStickyAssignor (clients/.../consumer/internals/AbstractStickyAssignor.java,
// trunk after KAFKA-12984, KAFKA-15106 and KIP-881). Shared by `sticky` and `cooperative-sticky`.
//
// Where this port knowingly differs from the Java code:
// * Rack awareness (KIP-881) follows RackInfo: owned partitions off the member's rack are given up,
//   the constrained builder fills members from their racks first (assignRackAwareRoundRobin), the
//   general builder places free partitions on-rack first. The general builder's rack branch in
//   performReassignments is left out: it ends in the same reassignPartition call as the plain
//   branch whenever it fires, so it cannot change the result.
// * Iteration order. Java walks `subscriptions`/`consumerToOwnedPartitions` in HashMap order, which
//   decides (a) who wins a same-partition conflict between three or more claimants, (b) which
//   members keep maxQuota in the constrained builder and (c) tie-breaks in the general builder.
//   We walk `memberOrder`, by default ascending member id, so the result is a function of the input.
// * Claims of partitions that do not exist (index >= partition count) are dropped; Kafka never sees
//   them because partition counts only grow.
// * Java compares a claimant's generation from memberData() (for StickyAssignor, its user data)
//   with the earlier claimant's subscription GenerationId field; both are `generationId` here.
// * Java keeps `maxGeneration` in an assignor field that is never reset between assign() calls;
//   here it is recomputed per call (the functions are pure).
// * General builder: the previous-generation shortcut only moves a partition back to its earlier
//   owner if that owner is still reassignable and subscribed to the topic (Java would throw a
//   NullPointerException or break the subscription); PartitionMovements keeps only what steers
//   moves (the isSticky()/cycle diagnostics are omitted); HashSet picks become "smallest".

export const DEFAULT_GENERATION = -1;

export interface EngineResult {
  /** Member id -> partitions, in the order Kafka builds each list (kept first, then new). */
  assignment: Map<string, TopicPartition[]>;
  /**
   * `partitionsTransferringOwnership` (partition -> new owner) from the constrained builder,
   * or null when the general builder ran and CooperativeSticky must compute it from the diff.
   */
  transferring: Map<TopicPartition, string> | null;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sum = (xs: Iterable<number>): number => [...xs].reduce((a, b) => a + b, 0);

function removeFirst<T>(xs: T[], x: T): void {
  const i = xs.indexOf(x);
  if (i >= 0) xs.splice(i, 1);
}

function allPartitions(perTopic: Map<string, number>, topics: string[]): TopicPartition[] {
  return topics.flatMap((t) => Array.from({ length: perTopic.get(t)! }, (_, i) => tp(t, i)));
}

/**
 * AbstractPartitionAssignor.assign: only topics somebody subscribes to and the leader's metadata
 * knows with at least one partition take part.
 */
function partitionsPerTopic({ topics, subscriptions }: AssignInput): Map<string, number> {
  const subscribed = new Set(Object.values(subscriptions).flatMap((s) => s.topics));
  return new Map(
    [...subscribed]
      .filter((t) => (topics[t] ?? 0) > 0)
      .sort()
      .map((t) => [t, topics[t]]),
  );
}

/** AbstractStickyAssignor.RackInfo. */
interface RackInfo {
  /** Member -> rack, empty unless rack-aware assignment applies. */
  consumerRacks: Map<string, string>;
  partitionRacks: Map<TopicPartition, Set<string>>;
  /** Partition -> members on its replicas' racks (set whenever some member has a rack). */
  consumersByPartition: Map<TopicPartition, number>;
}

function rackInfo(input: AssignInput, perTopic: Map<string, number>, order: string[], prefer: boolean): RackInfo {
  const byRack = new Map<string, string[]>();
  for (const m of order) {
    const r = memberRack(input, m);
    if (r !== null) byRack.set(r, [...(byRack.get(r) ?? []), m]);
  }
  const partitionRacks = new Map<TopicPartition, Set<string>>(
    byRack.size === 0 ? [] : allPartitions(perTopic, [...perTopic.keys()]).map((p) => [p, replicaRacks(input, p)]),
  );
  const aware = useRackAwareAssignment(new Set(byRack.keys()), partitionRacks, prefer);
  // Kafka counts consumers per partition from the racks read, rack-aware or not: the constrained
  // builder's order of free partitions follows it whenever members have racks.
  const consumersByPartition = new Map([...partitionRacks].map(([p, rs]) => [p, sum([...rs].map((r) => byRack.get(r)?.length ?? 0))]));
  return {
    consumerRacks: new Map(aware ? [...byRack].flatMap(([r, ms]) => ms.map((m) => [m, r] as const)) : []),
    partitionRacks: aware ? partitionRacks : new Map(),
    consumersByPartition,
  };
}

/** RackInfo.racksMismatch: the member has a rack and no replica of the partition is on it. */
function racksMismatch(racks: RackInfo, m: string, p: TopicPartition): boolean {
  const r = racks.consumerRacks.get(m);
  return r !== undefined && !(racks.partitionRacks.get(p)?.has(r) ?? false);
}

/** RackInfo.nextRackConsumer: from `first`, circularly, the first member on one of p's racks, or -1. */
function nextRackConsumer(racks: RackInfo, p: TopicPartition, members: string[], first: number): number {
  const rs = racks.partitionRacks.get(p);
  if (!rs || rs.size === 0) return -1;
  for (let i = 0; i < members.length; i++) {
    const index = (first + i) % members.length;
    const r = racks.consumerRacks.get(members[index]);
    if (r !== undefined && rs.has(r)) return index;
  }
  return -1;
}

interface Claims {
  allEqual: boolean;
  maxGeneration: number;
  /** consumerToOwnedPartitions: each member's claims that survived conflict resolution. */
  owned: Map<string, TopicPartition[]>;
  /** Claimed in the same generation by two members: nobody keeps them (KAFKA-12984). */
  multipleOwners: Set<TopicPartition>;
}

/** allSubscriptionsEqual(): also validates ownership claims, as the Java method does. */
function readClaims(perTopic: Map<string, number>, subs: Record<string, MemberSubscription>, order: string[]): Claims {
  let allEqual = true;
  const subscribed = new Set<string>();
  const lastClaimant = new Map<TopicPartition, string>();
  const owned = new Map<string, TopicPartition[]>();
  const multipleOwners = new Set<TopicPartition>();
  let maxGeneration = DEFAULT_GENERATION;
  for (const m of order) {
    const s = subs[m];
    // Java seeds the reference set from the first *non-empty* subscription it meets, so a member
    // with no topics that happens to come first does not make the group "unequal". Kept as is.
    if (subscribed.size === 0) s.topics.forEach((t) => subscribed.add(t));
    else if (allEqual && !(s.topics.length === subscribed.size && s.topics.every((t) => subscribed.has(t)))) allEqual = false;
    const generation = s.generationId;
    maxGeneration = Math.max(maxGeneration, generation);
    const mine: TopicPartition[] = [];
    owned.set(m, mine);
    for (const p of s.ownedPartitions) {
      const { topic, partition } = parseTp(p);
      const n = perTopic.get(topic);
      if (n === undefined || !(partition >= 0 && partition < n)) continue;
      const other = lastClaimant.get(p);
      if (other === undefined) {
        mine.push(p);
        lastClaimant.set(p, m);
        continue;
      }
      const otherGeneration = subs[other].generationId;
      if (generation === otherGeneration) {
        // Two owners in one generation is invalid input: trust neither; the partition is then
        // treated as transferring, so cooperative-sticky holds it back for one round.
        multipleOwners.add(p);
        removeFirst(owned.get(other)!, p);
        lastClaimant.set(p, m);
      } else if (generation > otherGeneration) {
        mine.push(p);
        removeFirst(owned.get(other)!, p);
        lastClaimant.set(p, m);
      } // else the other member's newer claim stands
    }
  }
  return { allEqual, maxGeneration, owned, multipleOwners };
}

/** Kafka's sort of owned partitions in the constrained builder: partition number, then topic. */
function byPartitionThenTopic(a: TopicPartition, b: TopicPartition): number {
  const pa = parseTp(a);
  const pb = parseTp(b);
  return pa.partition - pb.partition || byId(pa.topic, pb.topic);
}

/**
 * ConstrainedAssignmentBuilder (identical subscriptions). Exactly `P mod C` members end with
 * maxQuota: members are first allowed to keep owned partitions up to their quota, and only as
 * many may keep maxQuota as that count allows; the rest is dealt round-robin.
 */
function constrainedAssign(perTopic: Map<string, number>, claims: Claims, order: string[], racks: RackInfo): EngineResult {
  const total = sum(perTopic.values());
  const minQuota = Math.floor(total / order.length);
  const maxQuota = Math.ceil(total / order.length);
  const expectedOverMin = total % order.length;
  let currentOverMin = 0;
  const assignment = new Map(order.map((m) => [m, [] as TopicPartition[]]));
  const assigned = new Set<TopicPartition>();
  // maybeRevokedPartitions: partition -> the member that gave it up.
  const revoked = new Map<TopicPartition, string>();
  const transferring = new Map<TopicPartition, string>();
  const underMin: string[] = [];
  let exactlyMin: string[] = [];

  const keep = (m: string, ps: TopicPartition[], quota: number): void => {
    for (const p of ps.slice(0, quota)) {
      assignment.get(m)!.push(p);
      assigned.add(p);
    }
    ps.slice(quota).forEach((p) => revoked.set(p, m));
  };
  for (const m of order) {
    const owned = claims.owned
      .get(m)!
      .filter((p) => {
        // Rack-aware: an owned partition off the member's rack is given up.
        if (!racksMismatch(racks, m, p)) return true;
        revoked.set(p, m);
        return false;
      })
      .filter((p) => !claims.multipleOwners.has(p))
      .sort(byPartitionThenTopic);
    if (owned.length < minQuota) {
      keep(m, owned, owned.length);
      underMin.push(m);
    } else if (owned.length >= maxQuota && currentOverMin < expectedOverMin) {
      currentOverMin++;
      if (currentOverMin === expectedOverMin) exactlyMin = [];
      keep(m, owned, maxQuota);
    } else {
      keep(m, owned, minQuota);
      if (currentOverMin < expectedOverMin) exactlyMin.push(m);
    }
  }

  underMin.sort(byId);
  exactlyMin.sort(byId);
  const assignNew = (p: TopicPartition, m: string): number => {
    const a = assignment.get(m)!;
    a.push(p);
    // Owned partitions were all placed above, so a revoked or doubly-claimed one moves here
    // (unless it comes back to the member that gave it up, which racks make possible).
    if ((revoked.has(p) && revoked.get(p) !== m) || claims.multipleOwners.has(p)) transferring.set(p, m);
    return a.length;
  };
  let unassigned = allPartitions(perTopic, [...perTopic.keys()]).filter((q) => !assigned.has(q));
  // sortPartitionsByRackConsumers (stable): partitions with fewer members on their racks first.
  if (racks.consumersByPartition.size > 0)
    unassigned = [...unassigned].sort((a, b) => (racks.consumersByPartition.get(a) ?? 0) - (racks.consumersByPartition.get(b) ?? 0));
  // assignRackAwareRoundRobin: fill members from their racks first, within the quotas.
  if (racks.consumerRacks.size > 0) {
    let next = 0;
    unassigned = unassigned.filter((p) => {
      let m: string | null = null;
      let index = nextRackConsumer(racks, p, underMin, next);
      if (index >= 0) {
        m = underMin[index];
        const count = assignment.get(m)!.length + 1;
        if (count >= minQuota) {
          underMin.splice(index, 1);
          if (count < maxQuota && currentOverMin < expectedOverMin) exactlyMin.push(m);
        } else index++;
        next = underMin.length === 0 ? 0 : index % underMin.length;
      } else if (exactlyMin.length > 0) {
        const first = nextRackConsumer(racks, p, exactlyMin, 0);
        if (first >= 0) {
          m = exactlyMin[first];
          if (assignment.get(m)!.length + 1 === maxQuota) {
            exactlyMin.splice(first, 1);
            currentOverMin++;
            if (currentOverMin === expectedOverMin) exactlyMin = [];
          }
        }
      }
      if (m === null) return true;
      assignNew(p, m);
      return false;
    });
  }
  // assignRoundRobin: `cursor` plays the Java iterator over the under-minQuota list.
  let cursor = 0;
  for (const p of unassigned) {
    let m: string;
    let fromUnder = true;
    if (cursor < underMin.length) m = underMin[cursor++];
    else if (underMin.length === 0 && exactlyMin.length === 0) throw new Error('No more unfilled consumers to be assigned.');
    else if (underMin.length === 0) {
      m = exactlyMin.shift()!;
      fromUnder = false;
    } else {
      cursor = 0;
      m = underMin[cursor++];
    }
    const count = assignNew(p, m);
    if (count === minQuota && fromUnder) {
      underMin.splice(--cursor, 1);
      exactlyMin.push(m);
    } else if (count === maxQuota) currentOverMin++;
  }
  // verifyUnfilledMembers
  if (underMin.length > 0 && (currentOverMin !== expectedOverMin || underMin.some((m) => assignment.get(m)!.length !== minQuota)))
    throw new Error('Some consumers are under minQuota but no partitions are left to assign');
  return { assignment, transferring };
}

/** PartitionMovements: steers moves so a partition of a topic does not bounce between two members. */
class PartitionMovements {
  private byPartition = new Map<TopicPartition, { src: string; dst: string }>();
  private byTopic = new Map<string, Map<string, Set<TopicPartition>>>(); // topic -> "src\0dst" -> partitions

  private add(p: TopicPartition, src: string, dst: string): void {
    this.byPartition.set(p, { src, dst });
    const topic = parseTp(p).topic;
    if (!this.byTopic.has(topic)) this.byTopic.set(topic, new Map());
    const pairs = this.byTopic.get(topic)!;
    const key = `${src}\0${dst}`;
    if (!pairs.has(key)) pairs.set(key, new Set());
    pairs.get(key)!.add(p);
  }

  private remove(p: TopicPartition): { src: string; dst: string } {
    const pair = this.byPartition.get(p)!;
    this.byPartition.delete(p);
    const topic = parseTp(p).topic;
    const pairs = this.byTopic.get(topic)!;
    const key = `${pair.src}\0${pair.dst}`;
    pairs.get(key)!.delete(p);
    if (pairs.get(key)!.size === 0) pairs.delete(key);
    if (pairs.size === 0) this.byTopic.delete(topic);
    return pair;
  }

  move(p: TopicPartition, from: string, to: string): void {
    if (!this.byPartition.has(p)) return this.add(p, from, to);
    const earlier = this.remove(p);
    if (earlier.src !== to) this.add(p, earlier.src, to); // moving back home cancels the record
  }

  /** Prefer undoing an earlier opposite move of the same topic over a fresh move. */
  actualPartitionToMove(p: TopicPartition, from: string, to: string): TopicPartition {
    const pairs = this.byTopic.get(parseTp(p).topic);
    if (!pairs) return p;
    const src = this.byPartition.get(p)?.src ?? from;
    const reverse = pairs.get(`${to}\0${src}`);
    return reverse ? [...reverse].sort()[0] : p;
  }
}

/**
 * GeneralAssignmentBuilder (subscriptions differ): keep valid owned partitions, give each free
 * partition to the least-loaded subscriber, then move partitions from members with 2+ more
 * partitions than another subscriber until balanced, reverting if that did not improve the
 * balance score. Balance is best effort.
 */
function generalAssign(
  perTopic: Map<string, number>,
  subs: Record<string, MemberSubscription>,
  claims: Claims,
  order: string[],
  racks: RackInfo,
): EngineResult {
  const topicConsumers = new Map([...perTopic.keys()].map((t) => [t, [] as string[]]));
  const consumerTopics = new Map<string, string[]>();
  for (const m of order) {
    const ts = subs[m].topics.filter((t) => perTopic.has(t));
    consumerTopics.set(m, ts);
    ts.forEach((t) => topicConsumers.get(t)!.push(m));
  }
  let current = new Map(order.map((m) => [m, [...claims.owned.get(m)!]]));
  let owner = new Map<TopicPartition, string>();
  for (const [m, ps] of current) ps.forEach((p) => owner.set(p, m));
  const sortedTopics = [...perTopic.keys()].sort((a, b) => topicConsumers.get(a)!.length - topicConsumers.get(b)!.length || byId(a, b));
  let sortedAllPartitions = allPartitions(perTopic, sortedTopics);

  // prepopulateCurrentAssignments: the newest claim from an *older* generation remembers where a
  // partition came from, so balancing can prefer giving it back there.
  const previous = new Map<TopicPartition, { consumer: string; generation: number }>();
  for (const m of order) {
    const generation = subs[m].generationId;
    if (generation >= claims.maxGeneration) continue;
    for (const p of subs[m].ownedPartitions) {
      const known = previous.get(p);
      if (!known || generation > known.generation) previous.set(p, { consumer: m, generation });
    }
  }

  // assignOwnedPartitions: drop claims on topics the claimant no longer subscribes to, and
  // (rack-aware) claims off its rack.
  let revocationRequired = false;
  const assigned = new Set<TopicPartition>();
  for (const m of order) {
    current.set(
      m,
      current.get(m)!.filter((p) => {
        if (subs[m].topics.includes(parseTp(p).topic) && !racksMismatch(racks, m, p)) {
          assigned.add(p);
          return true;
        }
        revocationRequired = true;
        return false; // Java leaves `owner` stale here; the free-partition pass overwrites it
      }),
    );
  }
  let unassigned = sortedAllPartitions.filter((p) => !assigned.has(p));

  const size = (m: string): number => current.get(m)!.length;
  const active = new Set(order); // sortedCurrentSubscriptions, re-sorted on each read
  const sortedActive = (): string[] => [...active].sort((a, b) => size(a) - size(b) || byId(a, b));
  const subscribes = (m: string, topic: string): boolean => consumerTopics.get(m)!.includes(topic);
  const maxAssignmentSize = (m: string): number => sum(consumerTopics.get(m)!.map((t) => perTopic.get(t)!));
  const canTopicMove = (t: string): boolean => topicConsumers.get(t)!.length >= 2;

  const isBalanced = (): boolean => {
    const sorted = sortedActive();
    if (sorted.length === 0 || size(sorted[0]) >= size(sorted[sorted.length - 1]) - 1) return true;
    const holder = new Map<TopicPartition, string>();
    for (const [m, ps] of current) ps.forEach((p) => holder.set(p, m));
    for (const m of sorted) {
      if (size(m) === maxAssignmentSize(m)) continue;
      for (const t of consumerTopics.get(m)!) {
        for (let i = 0; i < perTopic.get(t)!; i++) {
          const other = holder.get(tp(t, i));
          if (other !== undefined && other !== m && size(m) + 1 < size(other)) return false;
        }
      }
    }
    return true;
  };
  const balanceScore = (a: Map<string, TopicPartition[]>): number => {
    const sizes = [...a.values()].map((ps) => ps.length);
    let score = 0;
    for (let i = 0; i < sizes.length; i++) for (let j = i + 1; j < sizes.length; j++) score += Math.abs(sizes[i] - sizes[j]);
    return score;
  };

  const movements = new PartitionMovements();
  const reassign = (p: TopicPartition, to: string): void => {
    const q = movements.actualPartitionToMove(p, owner.get(p)!, to);
    const from = owner.get(q)!;
    movements.move(q, from, to);
    removeFirst(current.get(from)!, q);
    current.get(to)!.push(q);
    owner.set(q, to);
  };
  const performReassignments = (partitions: TopicPartition[]): boolean => {
    let performed = false;
    let modified: boolean;
    let rounds = 0;
    do {
      if (++rounds > 10_000) throw new Error('sticky general assignment did not converge');
      modified = false;
      for (const p of partitions) {
        if (isBalanced()) break;
        const topic = parseTp(p).topic;
        const m = owner.get(p);
        if (m === undefined || !current.has(m)) continue;
        const prev = previous.get(p);
        if (prev && current.has(prev.consumer) && subscribes(prev.consumer, topic) && size(m) > size(prev.consumer) + 1) {
          reassign(p, prev.consumer);
          performed = modified = true;
          continue;
        }
        if (topicConsumers.get(topic)!.some((o) => current.has(o) && size(m) > size(o) + 1)) {
          reassign(p, sortedActive().find((o) => subscribes(o, topic))!);
          performed = modified = true;
        }
      }
    } while (modified);
    return performed;
  };

  // balance()
  const initializing = size(sortedActive()[order.length - 1]) === 0;
  // maybeAssign: each free partition to the least-loaded subscriber, on its rack first when
  // rack-aware (the partitions that found none go round again without racks).
  const maybeAssign = (ps: TopicPartition[], onRack: boolean): TopicPartition[] =>
    ps.filter((p) => {
      const topic = parseTp(p).topic;
      const m = sortedActive().find((o) => subscribes(o, topic) && !(onRack && racksMismatch(racks, o, p)));
      if (m === undefined) return true;
      current.get(m)!.push(p);
      owner.set(p, m);
      return false;
    });
  maybeAssign(racks.consumerRacks.size > 0 ? maybeAssign(unassigned, true) : unassigned, false);
  // Only topics with 2+ subscribers and members that could still change take part in balancing.
  sortedAllPartitions = sortedAllPartitions.filter((p) => canTopicMove(parseTp(p).topic));
  unassigned = unassigned.filter((p) => canTopicMove(parseTp(p).topic));
  const fixed = new Map<string, TopicPartition[]>();
  for (const m of order) {
    const canMove = size(m) < maxAssignmentSize(m) || current.get(m)!.some((p) => canTopicMove(parseTp(p).topic));
    if (canMove) continue;
    fixed.set(m, current.get(m)!);
    current.delete(m);
    active.delete(m);
  }
  const preBalance = new Map([...current].map(([m, ps]) => [m, [...ps]]));
  const preBalanceOwner = new Map(owner);
  // With no subscription change forcing revocations, first try to balance with new partitions only.
  if (!revocationRequired) performReassignments(unassigned);
  const performed = performReassignments(sortedAllPartitions);
  if (!initializing && performed && balanceScore(current) >= balanceScore(preBalance)) {
    current = preBalance;
    owner = preBalanceOwner;
  }
  for (const [m, ps] of fixed) current.set(m, ps);
  return { assignment: new Map(order.map((m) => [m, current.get(m)!])), transferring: null };
}

/**
 * AbstractStickyAssignor.assignPartitions. `memberOrder` stands in for Java's HashMap iteration
 * order over member ids; it defaults to ascending member id. `preferRackAware` is Kafka's
 * test-only `preferRackAwareLogic` (the fidelity suite sets it).
 */
export function stickyAssign(input: AssignInput, memberOrder?: string[], preferRackAware = false): EngineResult {
  const order = memberOrder ?? Object.keys(input.subscriptions).sort(byId);
  if (order.length === 0) return { assignment: new Map(), transferring: new Map() };
  const perTopic = partitionsPerTopic(input);
  const claims = readClaims(perTopic, input.subscriptions, order);
  const racks = rackInfo(input, perTopic, order, preferRackAware);
  return claims.allEqual
    ? constrainedAssign(perTopic, claims, order, racks)
    : generalAssign(perTopic, input.subscriptions, claims, order, racks);
}
