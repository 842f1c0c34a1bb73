import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTp, type TopicPartition } from '../types.ts';
import {
  addedAndRevoked,
  anyScenario,
  followUp,
  scenarioArb,
  subscribedPartitions,
  subscription,
} from '../../src/assignor-check/scenarios.ts';
import { cooperativeSticky } from './cooperative-sticky.ts';
import { sticky } from './sticky.ts';
import { stickyAssign } from './sticky-engine.ts';
import type { AssignInput, AssignOutput } from './types.ts';

const sub = subscription;
const sorted = (ps: TopicPartition[] | undefined): TopicPartition[] => [...(ps ?? [])].sort();

/**
 * Java's HashMap<String, _> iteration order for up to 12 keys (capacity 16): by bucket of the
 * spread String.hashCode. Kafka's unit tests pin outputs produced in this order, so the examples
 * below hand it to the engine to reproduce them exactly; the assignors themselves use id order.
 */
function javaHashMapOrder(ids: string[]): string[] {
  const bucket = (s: string): number => {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & 15;
  };
  return [...ids].sort((a, b) => bucket(a) - bucket(b));
}
const kafkaOrder = (input: AssignInput): Record<string, TopicPartition[]> =>
  Object.fromEntries(stickyAssign(input, javaHashMapOrder(Object.keys(input.subscriptions))).assignment);

// ---------------------------------------------------------------------------------------------
// Examples pinned from Kafka's own tests (AbstractStickyAssignorTest unless said otherwise).

describe('examples from Kafka unit tests', () => {
  const [c1, c2, c3, c4] = ['consumer1', 'consumer2', 'consumer3', 'consumer4'];

  it('testTwoConsumersTwoTopicsSixPartitions', () => {
    const input = { topics: { topic1: 3, topic2: 3 }, subscriptions: { [c1]: sub(['topic1', 'topic2']), [c2]: sub(['topic1', 'topic2']) } };
    const expected = { [c1]: ['topic1-0', 'topic1-2', 'topic2-1'], [c2]: ['topic1-1', 'topic2-0', 'topic2-2'] };
    expect(sticky.assign(input)).toEqual(expected);
    expect(cooperativeSticky.assign(input)).toEqual(expected);
  });

  it('testConsumerOwningMinQuotaExpectedMaxQuota', () => {
    const all = ['topic1', 'topic2'];
    const input = {
      topics: { topic1: 2, topic2: 3 },
      subscriptions: { [c1]: sub(all, ['topic1-0', 'topic2-1'], 1), [c2]: sub(all, ['topic1-1', 'topic2-2'], 1) },
    };
    expect(sticky.assign(input)).toEqual({ [c1]: ['topic1-0', 'topic2-1', 'topic2-0'], [c2]: ['topic1-1', 'topic2-2'] });
  });

  it('testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers (Java HashMap member order)', () => {
    const all = ['topic1', 'topic2'];
    const input = {
      topics: { topic1: 2, topic2: 2 },
      subscriptions: { [c1]: sub(all, ['topic1-0', 'topic2-0'], 1), [c2]: sub(all, ['topic1-1', 'topic2-1'], 1), [c3]: sub(all, [], 1) },
    };
    const r = stickyAssign(input, javaHashMapOrder([c1, c2, c3]));
    expect(Object.fromEntries(r.assignment)).toEqual({ [c1]: ['topic1-0'], [c2]: ['topic1-1', 'topic2-1'], [c3]: ['topic2-0'] });
    expect(r.transferring).toEqual(new Map([['topic2-0', c3]]));
    // In id order consumer1 is first to claim maxQuota, so it keeps both and consumer2 gives one up.
    expect(sticky.assign(input)).toEqual({ [c1]: ['topic1-0', 'topic2-0'], [c2]: ['topic1-1'], [c3]: ['topic2-1'] });
    expect(cooperativeSticky.assign(input)).toEqual({ [c1]: ['topic1-0', 'topic2-0'], [c2]: ['topic1-1'], [c3]: [] });
  });

  it('testAllConsumersAreUnderMinQuota', () => {
    const all = ['topic1', 'topic2'];
    const input = {
      topics: { topic1: 2, topic2: 3 },
      subscriptions: { [c1]: sub(all, ['topic1-0'], 1), [c2]: sub(all, ['topic1-1'], 1), [c3]: sub(all, [], 1) },
    };
    expect(sticky.assign(input)).toEqual({ [c1]: ['topic1-0', 'topic2-1'], [c2]: ['topic1-1', 'topic2-2'], [c3]: ['topic2-0'] });
  });

  it('testAddRemoveTwoConsumersTwoTopics (three rounds, Java HashMap member order)', () => {
    const all = ['topic1', 'topic2'];
    const topics = { topic1: 3, topic2: 4 };
    const r1 = kafkaOrder({ topics, subscriptions: { [c1]: sub(all), [c2]: sub(all) } });
    expect(r1).toEqual({ [c1]: ['topic1-0', 'topic1-2', 'topic2-1', 'topic2-3'], [c2]: ['topic1-1', 'topic2-0', 'topic2-2'] });
    const in2 = {
      topics,
      subscriptions: { [c1]: sub(all, r1[c1], 1), [c2]: sub(all, r1[c2], 1), [c3]: sub(all, [], 1), [c4]: sub(all, [], 1) },
    };
    const r2 = stickyAssign(in2, javaHashMapOrder(Object.keys(in2.subscriptions)));
    expect(r2.transferring).toEqual(
      new Map([
        ['topic1-2', c3],
        ['topic2-3', c3],
        ['topic2-2', c4],
      ]),
    );
    const a2 = Object.fromEntries(r2.assignment);
    expect(a2).toEqual({
      [c1]: ['topic1-0', 'topic2-1'],
      [c2]: ['topic2-0', 'topic1-1'],
      [c3]: ['topic1-2', 'topic2-3'],
      [c4]: ['topic2-2'],
    });
    const r3 = kafkaOrder({ topics, subscriptions: { [c3]: sub(all, a2[c3], 1), [c4]: sub(all, a2[c4], 1) } });
    expect(r3).toEqual({ [c3]: ['topic1-2', 'topic2-3', 'topic1-0', 'topic2-1'], [c4]: ['topic2-2', 'topic1-1', 'topic2-0'] });
  });

  it('testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration / CooperativeStickyAssignorTest.testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer', () => {
    const input = {
      topics: { topic: 3 },
      subscriptions: {
        [c1]: sub(['topic'], ['topic-0', 'topic-1'], 1),
        [c2]: sub(['topic'], ['topic-0', 'topic-2'], 1),
        [c3]: sub(['topic'], [], 1),
      },
    };
    expect(stickyAssign(input).transferring).toEqual(new Map([['topic-0', c3]]));
    expect(sticky.assign(input)).toEqual({ [c1]: ['topic-1'], [c2]: ['topic-2'], [c3]: ['topic-0'] });
    expect(cooperativeSticky.assign(input)).toEqual({ [c1]: ['topic-1'], [c2]: ['topic-2'], [c3]: [] });
  });

  it('CooperativeStickyAssignorTest.testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer', () => {
    const input = {
      topics: { topic: 4 },
      subscriptions: {
        [c1]: sub(['topic'], ['topic-0', 'topic-1'], 1),
        [c2]: sub(['topic'], ['topic-0', 'topic-2'], 1),
        [c3]: sub(['topic'], [], 1),
      },
    };
    expect(cooperativeSticky.assign(input)).toEqual({ [c1]: ['topic-1', 'topic-3'], [c2]: ['topic-2'], [c3]: [] });
    expect(sticky.assign(input)).toEqual({ [c1]: ['topic-1', 'topic-3'], [c2]: ['topic-2'], [c3]: ['topic-0'] }); // StickyAssignorTest
  });

  it('testEnsurePartitionsAssignedToHighestGeneration', () => {
    const all = ['topic', 'topic2', 'topic3'];
    const input = {
      topics: { topic: 3, topic2: 3, topic3: 3 },
      subscriptions: {
        [c1]: sub(all, ['topic-0', 'topic2-0', 'topic3-0'], 10),
        [c2]: sub(all, ['topic-1', 'topic2-1', 'topic3-1'], 9),
        [c3]: sub(all, ['topic2-1', 'topic3-0', 'topic3-2'], 8),
      },
    };
    for (const a of [sticky, cooperativeSticky]) {
      const out = a.assign(input);
      expect(sorted(out[c1])).toEqual(['topic-0', 'topic2-0', 'topic3-0']);
      expect(sorted(out[c2])).toEqual(['topic-1', 'topic2-1', 'topic3-1']);
      expect(sorted(out[c3])).toEqual(['topic-2', 'topic2-2', 'topic3-2']);
    }
  });

  it('testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration', () => {
    const all = ['topic', 'topic2'];
    const input = {
      topics: { topic: 3, topic2: 3 },
      subscriptions: { [c1]: sub(all, ['topic-0', 'topic2-1', 'topic-1'], 10), [c2]: sub(all, ['topic-0', 'topic2-1', 'topic2-2'], 8) },
    };
    const out = sticky.assign(input);
    expect(sorted(out[c1])).toEqual(['topic-0', 'topic-1', 'topic2-1']);
    expect(sorted(out[c2])).toEqual(['topic-2', 'topic2-0', 'topic2-2']);
  });

  it('testNoReassignmentOnCurrentMembers', () => {
    const all = ['topic', 'topic2', 'topic3', 'topic1'];
    const input = {
      topics: { topic: 3, topic1: 3, topic2: 3, topic3: 3 },
      subscriptions: {
        [c1]: sub(all, [], -1),
        [c2]: sub(all, ['topic-0', 'topic2-0', 'topic1-0'], 9),
        [c3]: sub(all, ['topic3-2', 'topic2-2', 'topic1-1'], 8),
        [c4]: sub(all, ['topic3-1', 'topic-1', 'topic-2'], 7),
      },
    };
    expect(sorted(kafkaOrder(input)[c1])).toEqual(['topic1-2', 'topic2-1', 'topic3-0']);
    expect(stickyAssign(input, javaHashMapOrder(Object.keys(input.subscriptions))).transferring).toEqual(new Map());
  });

  it('testMultipleConsumersMixedTopicSubscriptions (general builder)', () => {
    const input = {
      topics: { topic1: 3, topic2: 2 },
      subscriptions: { [c1]: sub(['topic1']), [c2]: sub(['topic1', 'topic2']), [c3]: sub(['topic1']) },
    };
    const r = stickyAssign(input, javaHashMapOrder([c1, c2, c3]));
    expect(Object.fromEntries(r.assignment)).toEqual({
      [c1]: ['topic1-0', 'topic1-2'],
      [c2]: ['topic2-0', 'topic2-1'],
      [c3]: ['topic1-1'],
    });
    expect(r.transferring).toBeNull();
  });

  it('StickyAssignorTest.testAssignmentWithConflictingPreviousGenerations (both subscription shapes)', () => {
    for (const equal of [true, false]) {
      const all = ['topic', 'topic2', 'topic3'];
      const s1 = equal ? all : ['topic'];
      const s2 = equal ? all : ['topic', 'topic2'];
      const p1 = equal
        ? ['topic-0', 'topic-1', 'topic-2', 'topic2-2', 'topic2-3', 'topic3-0']
        : ['topic-0', 'topic-1', 'topic-2', 'topic-3'];
      const p2 = ['topic-0', 'topic-1', 'topic2-0', 'topic2-1', 'topic2-2', 'topic2-3'];
      const p3 = ['topic-2', 'topic-3', 'topic3-0', 'topic3-1', 'topic3-2', 'topic3-3'];
      const input = {
        topics: { topic: 4, topic2: 4, topic3: 4 },
        subscriptions: { [c1]: sub(s1, p1, 1), [c2]: sub(s2, p2, 2), [c3]: sub(all, p3, 2) },
      };
      for (const out of [sticky.assign(input), kafkaOrder(input)]) {
        expect([out[c1].length, out[c2].length, out[c3].length]).toEqual([4, 4, 4]);
        expect(p2).toEqual(expect.arrayContaining(out[c2]));
        expect(p3).toEqual(expect.arrayContaining(out[c3]));
      }
    }
  });

  it('quirk kept from Java: a first-iterated member with no topics does not make subscriptions unequal', () => {
    // allSubscriptionsEqual() seeds its reference set from the first non-empty subscription, so
    // this group takes the identical-subscriptions path and the topic-less member gets a partition.
    expect(sticky.assign({ topics: { t: 2 }, subscriptions: { a: sub([]), b: sub(['t']) } })).toEqual({ a: ['t-0'], b: ['t-1'] });
    expect(sticky.assign({ topics: { t: 2 }, subscriptions: { a: sub(['t']), b: sub([]) } })).toEqual({ a: ['t-0', 't-1'], b: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated groups.

const RUNS = { numRuns: 400, seed: 42 };

function checkValid(input: AssignInput, out: AssignOutput): void {
  expect(Object.keys(out).sort()).toEqual(Object.keys(input.subscriptions).sort());
  const all = new Set(subscribedPartitions(input));
  const seen = new Set<TopicPartition>();
  for (const [m, ps] of Object.entries(out)) {
    for (const p of ps) {
      expect(all.has(p), `${p} does not exist`).toBe(true);
      expect(input.subscriptions[m].topics, `${m} got ${p}`).toContain(parseTp(p).topic);
      expect(seen.has(p), `${p} assigned twice`).toBe(false);
      seen.add(p);
    }
  }
}

function checkCompleteAndBalanced(input: AssignInput, out: AssignOutput): void {
  expect(Object.values(out).flat().sort()).toEqual(subscribedPartitions(input).sort());
  const sizes = Object.values(out).map((ps) => ps.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
}

describe('properties', () => {
  it('both assignors: each assigned partition exists, goes to a subscriber, and only once', () => {
    fc.assert(
      fc.property(anyScenario, ({ input }) => {
        checkValid(input, sticky.assign(input));
        checkValid(input, cooperativeSticky.assign(input));
      }),
      RUNS,
    );
  });

  it('sticky: every subscribed partition is assigned, whatever the subscriptions', () => {
    fc.assert(
      fc.property(anyScenario, ({ input }) => {
        expect(Object.values(sticky.assign(input)).flat().sort()).toEqual(subscribedPartitions(input).sort());
      }),
      RUNS,
    );
  });

  it('sticky with identical subscriptions: complete, and max - min <= 1', () => {
    fc.assert(
      fc.property(fc.oneof(scenarioArb(true, false), scenarioArb(true, true)), ({ input }) => {
        checkCompleteAndBalanced(input, sticky.assign(input));
      }),
      RUNS,
    );
  });

  it('identical subscriptions, no conflicting claims: each member keeps min(owned, floor(P/C)) of its partitions', () => {
    fc.assert(
      fc.property(scenarioArb(true, false), ({ input }) => {
        const members = Object.keys(input.subscriptions);
        const floor = Math.floor(subscribedPartitions(input).length / members.length);
        const valid = new Set(subscribedPartitions(input));
        for (const a of [sticky, cooperativeSticky]) {
          const out = a.assign(input);
          for (const m of members) {
            const owned = input.subscriptions[m].ownedPartitions.filter((p) => valid.has(p));
            const kept = owned.filter((p) => out[m].includes(p)).length;
            expect(kept, `${a.name}: ${m}`).toBeGreaterThanOrEqual(Math.min(owned.length, floor));
          }
        }
      }),
      RUNS,
    );
  });

  it("sticky: members whose counts differ by 2+ share no topic (Kafka's verifyValidityAndBalance)", () => {
    fc.assert(
      fc.property(anyScenario, ({ input }) => {
        const out = Object.entries(sticky.assign(input));
        const topicsOf = (ps: TopicPartition[]): Set<string> => new Set(ps.map((p) => parseTp(p).topic));
        for (const [a, pa] of out) {
          for (const [b, pb] of out) {
            if (pa.length < pb.length + 2) continue;
            const shared = [...topicsOf(pa)].filter((t) => topicsOf(pb).has(t));
            expect(shared, `${a} has ${pa.length}, ${b} has ${pb.length}`).toEqual([]);
          }
        }
      }),
      RUNS,
    );
  });

  it('cooperative-sticky, identical subscriptions: a partition two members claim in one generation goes to nobody this round', () => {
    fc.assert(
      fc.property(scenarioArb(true, true), ({ input }) => {
        const claimants = new Map<TopicPartition, number[]>();
        for (const s of Object.values(input.subscriptions))
          s.ownedPartitions.forEach((p) => claimants.set(p, [...(claimants.get(p) ?? []), s.generationId]));
        const tied = [...claimants].filter(([, gens]) => gens.length === 2 && gens[0] === gens[1]).map(([p]) => p);
        const assigned = new Set(Object.values(cooperativeSticky.assign(input)).flat());
        expect(tied.filter((p) => assigned.has(p))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('cooperative-sticky: no partition is added to one member while revoked from another (KIP-429)', () => {
    fc.assert(
      fc.property(anyScenario, ({ input }) => {
        expect(addedAndRevoked(input, cooperativeSticky.assign(input))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('cooperative-sticky gives each member a subset of what sticky gives it', () => {
    fc.assert(
      fc.property(anyScenario, ({ input }) => {
        const eager = sticky.assign(input);
        const coop = cooperativeSticky.assign(input);
        for (const m of Object.keys(input.subscriptions)) expect(eager[m]).toEqual(expect.arrayContaining(coop[m]));
      }),
      RUNS,
    );
  });

  it('cooperative-sticky, identical subscriptions: the follow-up rebalance completes a balanced assignment', () => {
    fc.assert(
      fc.property(fc.oneof(scenarioArb(true, false), scenarioArb(true, true)), ({ input }) => {
        const next = followUp(input, cooperativeSticky.assign(input));
        const second = cooperativeSticky.assign(next);
        expect(addedAndRevoked(next, second)).toEqual([]);
        checkCompleteAndBalanced(next, second);
      }),
      RUNS,
    );
  });

  it('deterministic, and the input is left untouched', () => {
    fc.assert(
      fc.property(anyScenario, ({ input }) => {
        const before = structuredClone(input);
        for (const a of [sticky, cooperativeSticky]) expect(a.assign(input)).toEqual(a.assign(structuredClone(input)));
        expect(input).toEqual(before);
      }),
      RUNS,
    );
  });

  it('the generator does produce conflicting claims and both subscription shapes', () => {
    const samples = fc.sample(anyScenario, { numRuns: 400, seed: 1 });
    expect(samples.some((s) => s.conflicting && s.identical)).toBe(true);
    expect(samples.some((s) => s.conflicting && !s.identical)).toBe(true);
    expect(samples.some((s) => stickyAssign(s.input).transferring === null)).toBe(true);
  });
});
