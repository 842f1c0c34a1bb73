import type { JoinGroupResponse } from '../../models/classic/messages.ts';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { defaultServerAssignor, serverAssignors } from '../../models/consumer-protocol/assignors.ts';
import { parseTp, type TopicPartition, type Topics } from '../../models/types.ts';
import type { Choice, World, WorldConfig } from '../../src/world/types.ts';
import { partitionRacksOf, useRackAwareAssignment } from '../../models/assignors/racks.ts';
import type { Invariant } from '../invariant.ts';
import { leaderAssignment } from '../leader-assignment.ts';
import { groupOf } from '../../src/world/consumer-view.ts';

// Stickiness in the protocol runs: what Kafka's sticky assignors promise with identical
// subscriptions, checked on every assignment the group actually computes (the classic leader's
// SyncGroup, the KIP-848 coordinator's new target), not on the assignor alone.

/** Partition counts of the topics everyone subscribes to, and the total. */
function quota(topics: string[], counts: Topics, members: number): { floor: number; extra: number; valid: (p: TopicPartition) => boolean } {
  const total = topics.reduce((a, t) => a + (counts[t] ?? 0), 0);
  const valid = (p: TopicPartition) => {
    const { topic, partition } = parseTp(p);
    return topics.includes(topic) && partition < (counts[topic] ?? 0);
  };
  return { floor: Math.floor(total / members), extra: total % members, valid };
}

const sameTopics = (lists: string[][]): string[] | undefined => {
  const first = [...(lists[0] ?? [])].sort().join(',');
  return lists.every((l) => [...l].sort().join(',') === first) ? [...(lists[0] ?? [])].sort() : undefined;
};

/**
 * Each member's valid claims (partitions of a subscribed, existing topic), and those it claims
 * alone. A partition two members claim counts towards neither's bound: Kafka settles such
 * conflicts by generation (KIP-792), drops same-generation ones (KAFKA-12984), and the order of
 * claimants decides some three-way cases. A contested partition a member keeps still counts as
 * kept: the bound from sole claims is below what Kafka's builder keeps of the resolved claims.
 */
function readClaims(owned: Record<string, TopicPartition[]>, valid: (p: TopicPartition) => boolean) {
  const claimants = new Map<TopicPartition, number>();
  const all = Object.fromEntries(Object.entries(owned).map(([m, ps]) => [m, [...new Set(ps)].filter(valid)]));
  for (const ps of Object.values(all)) for (const p of ps) claimants.set(p, (claimants.get(p) ?? 0) + 1);
  const sole = Object.fromEntries(Object.entries(all).map(([m, ps]) => [m, ps.filter((p) => claimants.get(p) === 1)]));
  return { all, sole };
}

/**
 * The checks, over each member's claims and its new assignment. Every member keeps its claims up
 * to the balanced floor (Kafka's constrained builders keep `min(owned, minQuota)` of each
 * member's partitions). With `total`, also the total Kafka's ConstrainedAssignmentBuilder keeps:
 * each member up to the floor, and up to `P mod N` members one more (AbstractStickyAssignor:
 * members with owned >= maxQuota keep maxQuota while such slots remain).
 */
function retention(
  claims: { all: Record<string, TopicPartition[]>; sole: Record<string, TopicPartition[]> },
  out: Record<string, TopicPartition[]>,
  q: { floor: number; extra: number },
  total: boolean,
): string | undefined {
  let kept = 0;
  let most = 0;
  let over = 0;
  for (const [m, ps] of Object.entries(claims.all)) {
    const k = ps.filter((p) => (out[m] ?? []).includes(p)).length;
    const sole = claims.sole[m].length;
    const floor = Math.min(sole, q.floor);
    if (k < floor) return `member ${m} kept ${k} of its partitions [${ps.join(', ')}] although balance lets it keep ${floor}`;
    kept += k;
    most += floor;
    if (sole > q.floor) over++;
  }
  most += Math.min(q.extra, over);
  if (total && kept < most) return `the assignment keeps ${kept} of the partitions members owned where balance allows ${most}`;
  return undefined;
}

/**
 * KIP-881: with racks in use, AbstractStickyAssignor gives up owned partitions that are not on the
 * member's rack (RackInfo.racksMismatch) in assignOwnedPartitions, after the claims were settled
 * by generation: those claims are not counted.
 */
function onRackOnly(
  claims: { all: Record<string, TopicPartition[]>; sole: Record<string, TopicPartition[]> },
  r: JoinGroupResponse,
  partitionRacks: Record<string, string[][]> | null,
): { all: Record<string, TopicPartition[]>; sole: Record<string, TopicPartition[]> } {
  if (!partitionRacks) return claims;
  const racksOf = (p: TopicPartition) => {
    const { topic, partition } = parseTp(p);
    return new Set(partitionRacks[topic]?.[partition] ?? []);
  };
  const ids = Object.keys(claims.all);
  const consumerRacks = new Set(ids.map((id) => r.members[id].rackId).filter((x): x is string => !!x));
  const all = Object.entries(partitionRacks).flatMap(([t, ps]) => ps.map((_, i) => [`${t}-${i}`, racksOf(`${t}-${i}`)] as const));
  if (!useRackAwareAssignment(consumerRacks, new Map(all))) return claims;
  const keep = (id: string, ps: TopicPartition[]) => {
    const rack = r.members[id].rackId;
    return rack ? ps.filter((p) => racksOf(p).has(rack)) : ps;
  };
  return {
    all: Object.fromEntries(ids.map((id) => [id, keep(id, claims.all[id])])),
    sole: Object.fromEntries(ids.map((id) => [id, keep(id, claims.sole[id])])),
  };
}

/** Classic: the leader ran a sticky assignor in this step (its JoinGroup response came, its SyncGroup went). */
function classic(before: World, choice: Choice | null, after: World, config: WorldConfig): string | undefined {
  const run = leaderAssignment(before, choice, after);
  if (!run || !builtinAssignors[run.response.protocolName ?? '']?.sticky) return undefined;
  const { response: r, ctx, metadata } = run;
  const ids = Object.keys(r.members);
  const topics = sameTopics(ids.map((id) => r.members[id].topics));
  if (!topics || ids.length === 0) return undefined;
  const q = quota(topics, metadata, ids.length);
  // Only the partitions of subscribed topics count towards the racks Kafka's RackInfo reads.
  const subscribed = Object.fromEntries(topics.filter((t) => metadata[t] !== undefined).map((t) => [t, metadata[t]]));
  const partitionRacks = config.racks ? partitionRacksOf(subscribed, config.racks, ctx.assignedRacks ?? {}) : null;
  const claims = onRackOnly(
    readClaims(Object.fromEntries(ids.map((id) => [id, r.members[id].ownedPartitions])), q.valid),
    r,
    partitionRacks,
  );
  const v = retention(claims, run.assignments, q, true);
  return v && `${r.protocolName} at generation ${r.generation}: ${v}`;
}

/** KIP-848: the coordinator computed a new target with the uniform assignor. */
function consumer(before: World, after: World): string | undefined {
  const g0 = groupOf(before);
  const g1 = groupOf(after);
  if (g1.targetEpoch <= g0.targetEpoch || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
  const members = Object.values(g1.members);
  const name = members[0]?.assignor ?? defaultServerAssignor;
  if (!serverAssignors[name]?.sticky) return undefined;
  const topics = sameTopics(members.map((x) => x.topics));
  if (!topics || members.length === 0) return undefined;
  const q = quota(topics, g1.subscriptionMetadata, members.length);
  const continuing = members.filter((x) => g0.members[x.memberId] !== undefined);
  const claims = readClaims(Object.fromEntries(continuing.map((x) => [x.memberId, g0.target[x.memberId] ?? []])), q.valid);
  // UniformHomogeneousAssignmentBuilder gives the P mod N extra slots by member order, not to
  // the members that held one more: only the per-member floor is Kafka's promise.
  const v = retention(claims, g1.target, q, false);
  return v && `${name} target of epoch ${g1.targetEpoch}: ${v}`;
}

export const stickyAssignment: Invariant = {
  id: 'sticky-assignment',
  statement:
    'With identical subscriptions a sticky assignor (sticky, cooperative-sticky, KIP-848 uniform) lets every member keep its owned partitions up to the balanced quota, so a change moves only what balance needs (with racks, KIP-881: its owned partitions on its own rack).',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after, config) {
    // A step that converts the group (a migration) computes no assignment of either type.
    if (before.family !== after.family) return undefined;
    return before.family === 'consumer' ? consumer(before, after) : classic(before, choice, after, config);
  },
};
