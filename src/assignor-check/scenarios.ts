import fc from 'fast-check';
import { parseTp, partitionsOf, tp, type TopicPartition } from '../../models/types.ts';
import type { AssignInput, AssignOutput, MemberSubscription } from '../../models/assignors/types.ts';

// Generated groups for assignor properties: shared by the built-in assignors' tests and the
// bring-your-own-assignor checker.

export const subscription = (topics: string[], ownedPartitions: TopicPartition[] = [], generationId = -1): MemberSubscription => ({
  topics,
  ownedPartitions,
  generationId,
  groupInstanceId: null,
});

export interface Scenario {
  input: AssignInput;
  identical: boolean;
  /** Whether some partition is claimed by two members. */
  conflicting: boolean;
}

/**
 * 1-6 members, 1-3 topics of 0-12 partitions, non-empty subscriptions (identical or not). Each
 * partition of a topic is claimed by at most one subscriber, plus, when `conflicts`, sometimes by
 * a second subscriber; generations are drawn from -1..4 so conflicts tie or differ. Members may
 * claim a partition of a topic the metadata no longer has, and, with `stale`, partitions of
 * topics they no longer subscribe to (as after a subscription change). Shrinks towards fewer
 * members, topics, partitions and claims.
 */
export function scenarioArb(identical: boolean, conflicts: boolean): fc.Arbitrary<Scenario> {
  return fc
    .record({
      counts: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }),
      members: fc.integer({ min: 1, max: 6 }),
      masks: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 6, maxLength: 6 }),
      // Drawn from 0 up and shifted down by one, so that they shrink to -1: no claim, no generation.
      owners: fc.array(
        fc.integer({ min: 0, max: 6 }).map((n) => n - 1),
        { minLength: 36, maxLength: 36 },
      ),
      second: fc.array(
        fc.integer({ min: 0, max: 6 }).map((n) => n - 1),
        { minLength: 36, maxLength: 36 },
      ),
      generations: fc.array(
        fc.integer({ min: 0, max: 5 }).map((n) => n - 1),
        { minLength: 6, maxLength: 6 },
      ),
      ghostClaim: fc.boolean(),
      stale: fc.boolean(),
    })
    .map(({ counts, members, masks, owners, second, generations, ghostClaim, stale }) => {
      const topicNames = counts.map((_, i) => `t${i}`);
      const ids = Array.from({ length: members }, (_, i) => `m${i}`);
      const topicsOf = (i: number): string[] => {
        const mask = (identical ? masks[0] : masks[i]) & ((1 << counts.length) - 1) || 1;
        return topicNames.filter((_, k) => mask & (1 << k));
      };
      const owned: TopicPartition[][] = ids.map(() => []);
      let conflicting = false;
      partitionsOf(Object.fromEntries(topicNames.map((t, i) => [t, counts[i]])), topicNames).forEach((p, j) => {
        const { topic } = parseTp(p);
        const first = owners[j];
        if (first < 0 || first >= members || !(stale || topicsOf(first).includes(topic))) return;
        owned[first].push(p);
        const other = second[j];
        if (conflicts && other >= 0 && other < members && other !== first && topicsOf(other).includes(topic)) {
          owned[other].push(p);
          conflicting = true;
        }
      });
      if (ghostClaim) owned[0].push(tp('gone', 0));
      const subscriptions = Object.fromEntries(ids.map((m, i) => [m, subscription(topicsOf(i), owned[i], generations[i])]));
      const topics = Object.fromEntries(topicNames.map((t, i) => [t, counts[i]]));
      return { input: { topics, subscriptions }, identical, conflicting };
    });
}

/** Any of the four shapes: identical subscriptions or not, conflicting claims or not. */
export const anyScenario = fc.oneof(scenarioArb(true, false), scenarioArb(true, true), scenarioArb(false, false), scenarioArb(false, true));

/** Every partition of every subscribed topic the metadata has, sorted. */
export function subscribedPartitions({ topics, subscriptions }: AssignInput): TopicPartition[] {
  return partitionsOf(topics, [...new Set(Object.values(subscriptions).flatMap((s) => s.topics))]);
}

/**
 * KIP-429 / ConsumerCoordinator.validateCooperativeAssignment over the raw OwnedPartitions:
 * partitions added to one member in the same round another member has them revoked.
 */
export function addedAndRevoked(input: AssignInput, out: AssignOutput): TopicPartition[] {
  const added = new Set<TopicPartition>();
  const revoked = new Set<TopicPartition>();
  for (const [m, s] of Object.entries(input.subscriptions)) {
    const got = out[m] ?? [];
    got.filter((p) => !s.ownedPartitions.includes(p)).forEach((p) => added.add(p));
    s.ownedPartitions.filter((p) => !got.includes(p)).forEach((p) => revoked.add(p));
  }
  return [...added].filter((p) => revoked.has(p));
}

/** The next rebalance with nothing changed: every member owns what it was given, one generation on. */
export function followUp(input: AssignInput, out: AssignOutput): AssignInput {
  const generation = Math.max(-1, ...Object.values(input.subscriptions).map((s) => s.generationId)) + 1;
  const subscriptions = Object.fromEntries(
    Object.entries(input.subscriptions).map(([m, s]) => [m, { ...s, ownedPartitions: [...(out[m] ?? [])], generationId: generation }]),
  );
  return { topics: input.topics, subscriptions };
}
