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

// ---------------------------------------------------------------------------------------------
// Kafka's own test cases are in fidelity/client-assignors.ts (npm run fidelity). Here: what the
// model's member-id order changes where Kafka iterates a HashMap of member ids.

describe('member-id order (the model) where Kafka iterates a HashMap', () => {
  const [c1, c2, c3] = ['consumer1', 'consumer2', 'consumer3'];

  it('testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers in id order: consumer1 keeps both, consumer2 gives one up', () => {
    // Java's order reaches consumer2 first, so there consumer1 gives one up (fidelity suite).
    const all = ['topic1', 'topic2'];
    const input = {
      topics: { topic1: 2, topic2: 2 },
      subscriptions: { [c1]: sub(all, ['topic1-0', 'topic2-0'], 1), [c2]: sub(all, ['topic1-1', 'topic2-1'], 1), [c3]: sub(all, [], 1) },
    };
    expect(sticky.assign(input)).toEqual({ [c1]: ['topic1-0', 'topic2-0'], [c2]: ['topic1-1'], [c3]: ['topic2-1'] });
    expect(cooperativeSticky.assign(input)).toEqual({ [c1]: ['topic1-0', 'topic2-0'], [c2]: ['topic1-1'], [c3]: [] });
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
