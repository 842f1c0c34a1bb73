import fc from 'fast-check';
import type { AssignInput, AssignOutput } from '../../models/assignors/types.ts';
import { parseTp, type TopicPartition } from '../../models/types.ts';
import { addedAndRevoked, anyScenario, followUp, scenarioArb, subscribedPartitions } from './scenarios.ts';
import type { AssignorMeta } from './types.ts';

/** Runs the assignor under check; throws `CallFailed` when it gives no usable assignment. */
export type Assign = (input: AssignInput) => AssignOutput;

/** What went wrong on one input, with the outputs that show it. */
export interface Failure {
  message: string;
  outputs: { label: string; output: AssignOutput }[];
}

export interface AssignorProperty {
  id: string;
  statement: string;
  /** Whether the assignor's claims make this property apply. */
  applies(meta: AssignorMeta): boolean;
  cases: fc.Arbitrary<AssignInput>;
  check(input: AssignInput, assign: Assign, meta: AssignorMeta): Failure | undefined;
}

const inputs = anyScenario.map((s) => s.input);
const identicalInputs = fc.oneof(scenarioArb(true, false), scenarioArb(true, true)).map((s) => s.input);
const cooperative = (meta: AssignorMeta): boolean => meta.supportedProtocols.includes('cooperative');
const sameSets = (a: TopicPartition[], b: TopicPartition[]): boolean =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Partitions a member owns and loses this round: a cooperative assignor hands them over in the follow-up rebalance (KIP-429). */
function revokedNow(input: AssignInput, out: AssignOutput): Set<TopicPartition> {
  return new Set(Object.entries(input.subscriptions).flatMap(([m, s]) => s.ownedPartitions.filter((p) => !out[m].includes(p))));
}

/** Follow-up rebalances Kafka's CooperativeStickyAssignorTest allows before an assignment must settle. */
export const maxFollowUps = 4;

/**
 * The assignment the group settles on. For a cooperative assignor whose round revoked
 * something, the follow-up rebalances (each member owning the last output, one generation on)
 * until a round revokes nothing, as Kafka's CooperativeStickyAssignorTest.verifyValidityAndBalance
 * does; `settles` is false if that takes more than `maxFollowUps`.
 */
function settled(
  input: AssignInput,
  assign: Assign,
  meta: AssignorMeta,
): { input: AssignInput; outputs: Failure['outputs']; settles: boolean } {
  let at = input;
  let out = assign(input);
  const outputs = [{ label: 'output', output: out }];
  if (!cooperative(meta)) return { input, outputs, settles: true };
  for (let round = 1; revokedNow(at, out).size > 0; round++) {
    if (round > maxFollowUps) return { input: at, outputs, settles: false };
    at = followUp(at, out);
    out = assign(at);
    outputs.push({ label: `follow-up rebalance ${round} (each member owning the previous output)`, output: out });
  }
  return { input: at, outputs, settles: true };
}
const last = (outputs: Failure['outputs']): AssignOutput => outputs[outputs.length - 1].output;

/** Every subscribed partition once, for one round (`allowRevoked`: except partitions revoked in it). */
function coverage(input: AssignInput, out: AssignOutput, allowRevoked: boolean): string | undefined {
  const owners = new Map<TopicPartition, string[]>();
  for (const [m, ps] of Object.entries(out)) for (const p of ps) owners.set(p, [...(owners.get(p) ?? []), m]);
  const twice = [...owners].find(([, ms]) => ms.length > 1);
  if (twice)
    return `${twice[0]} is assigned ${twice[1].length === new Set(twice[1]).size ? `to ${twice[1].join(' and ')}` : `twice to ${twice[1][0]}`}`;
  const pending = allowRevoked ? revokedNow(input, out) : new Set<TopicPartition>();
  const missing = subscribedPartitions(input).filter((p) => !owners.has(p) && !pending.has(p));
  if (missing.length > 0) return `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} subscribed but assigned to nobody`;
  return undefined;
}

/**
 * The partitions each member holds once conflicting claims are settled as
 * AbstractStickyAssignor.allSubscriptionsEqual does since KAFKA-13715: a subscribed partition one
 * member claims is its; of several claimants the one with the newest generation keeps it, and a
 * tie for the newest invalidates it for all (partitionsWithMultiplePreviousOwners). Kafka settles
 * three or more claimants pairwise in member order; the generated groups have at most two.
 */
export function validClaims(input: AssignInput): Map<string, TopicPartition[]> {
  const valid = new Set(subscribedPartitions(input));
  const claimants = new Map<TopicPartition, string[]>();
  for (const [m, s] of Object.entries(input.subscriptions))
    for (const p of s.ownedPartitions) if (valid.has(p)) claimants.set(p, [...(claimants.get(p) ?? []), m]);
  const held = new Map<string, TopicPartition[]>();
  for (const [p, ms] of claimants) {
    const gen = (m: string) => input.subscriptions[m].generationId;
    const newest = Math.max(...ms.map(gen));
    const winners = ms.filter((m) => gen(m) === newest);
    if (winners.length === 1) held.set(winners[0], [...(held.get(winners[0]) ?? []), p]);
  }
  return held;
}

/** Stickiness: every member keeps min(|held(m)|, floor(P/C)) of the partitions `held` gives it. */
function keepsUpToFloor(input: AssignInput, out: AssignOutput, held: (m: string) => TopicPartition[], what: string): Failure | undefined {
  const members = Object.keys(input.subscriptions);
  const floor = Math.floor(subscribedPartitions(input).length / members.length);
  for (const m of members) {
    const mine = held(m);
    const kept = mine.filter((p) => out[m].includes(p)).length;
    if (kept < Math.min(mine.length, floor))
      return {
        message: `${m} (generation ${input.subscriptions[m].generationId}) keeps ${kept} of its ${mine.length} ${what}, fewer than ${Math.min(mine.length, floor)}`,
        outputs: [{ label: 'output', output: out }],
      };
  }
  return undefined;
}

const spread = (counts: number[]): number => (counts.length === 0 ? 0 : Math.max(...counts) - Math.min(...counts));

export const assignorProperties: AssignorProperty[] = [
  {
    id: 'well-formed',
    statement: 'assign returns within the time limit, does not throw, and maps known members to partitions that exist',
    applies: () => true,
    cases: inputs,
    check(input, assign) {
      assign(input);
      return undefined;
    },
  },
  {
    id: 'exactly-once',
    statement:
      'every subscribed partition is assigned to exactly one member (a cooperative assignor may hold back partitions it revokes this round)',
    applies: () => true,
    cases: inputs,
    check(input, assign, meta) {
      const out = assign(input);
      const message = coverage(input, out, cooperative(meta));
      return message ? { message, outputs: [{ label: 'output', output: out }] } : undefined;
    },
  },
  {
    id: 'subscribers-only',
    statement: "a topic's partitions go only to members subscribed to it",
    applies: () => true,
    cases: inputs,
    check(input, assign) {
      const out = assign(input);
      for (const [m, ps] of Object.entries(out)) {
        const p = ps.find((q) => !input.subscriptions[m].topics.includes(parseTp(q).topic));
        if (p)
          return {
            message: `${m} is given ${p} but is not subscribed to ${parseTp(p).topic}`,
            outputs: [{ label: 'output', output: out }],
          };
      }
      return undefined;
    },
  },
  {
    id: 'cooperative-no-direct-move',
    statement: 'COOPERATIVE: no partition is given to one member in the round it is revoked from another (KIP-429)',
    applies: cooperative,
    cases: inputs,
    check(input, assign) {
      const out = assign(input);
      const moved = addedAndRevoked(input, out);
      return moved.length > 0
        ? { message: `${moved.join(', ')} moved straight from its owner to another member`, outputs: [{ label: 'output', output: out }] }
        : undefined;
    },
  },
  {
    id: 'cooperative-settles',
    statement: `COOPERATIVE: within ${maxFollowUps} follow-up rebalances a round revokes nothing, and then every subscribed partition is assigned exactly once`,
    applies: cooperative,
    cases: inputs,
    check(input, assign, meta) {
      const { input: at, outputs, settles } = settled(input, assign, meta);
      if (!settles) return { message: `still revoking partitions after ${maxFollowUps} follow-up rebalances`, outputs };
      const message = coverage(at, last(outputs), false);
      return message ? { message: `after ${outputs.length - 1} follow-up rebalance(s): ${message}`, outputs } : undefined;
    },
  },
  {
    id: 'balanced',
    statement: 'claimed balance: with identical subscriptions, partition counts differ by at most one (globally, or per topic)',
    applies: (meta) => meta.balance !== undefined,
    cases: identicalInputs,
    check(input, assign, meta) {
      const { outputs } = settled(input, assign, meta);
      const out = last(outputs);
      const members = Object.keys(input.subscriptions);
      const groups: [string, (p: TopicPartition) => boolean][] =
        meta.balance === 'global' ? [['', () => true]] : Object.keys(input.topics).map((t) => [` of ${t}`, (p) => parseTp(p).topic === t]);
      for (const [what, keep] of groups) {
        const counts = members.map((m) => out[m].filter(keep).length);
        if (spread(counts) > 1) return { message: `partition counts${what} ${counts.join('/')} differ by more than one`, outputs };
      }
      return undefined;
    },
  },
  {
    id: 'sticky-keeps-owned',
    statement:
      'claimed stickiness: with identical subscriptions and no conflicting claims, each member keeps min(valid owned, floor(P/C)) of its partitions',
    applies: (meta) => meta.sticky === true,
    cases: scenarioArb(true, false).map((s) => s.input),
    check(input, assign) {
      const out = assign(input);
      const valid = new Set(subscribedPartitions(input));
      const owned = (m: string) => input.subscriptions[m].ownedPartitions.filter((p) => valid.has(p));
      return keepsUpToFloor(input, out, owned, 'owned partitions');
    },
  },
  {
    id: 'sticky-newest-claim',
    statement:
      'claimed stickiness, conflicting claims (KIP-792): with identical subscriptions, a partition two members claim is held by the claimant of the newer generation (by neither on a tie), never assigned to both, and each member keeps min(partitions it holds, floor(P/C)) of them',
    applies: (meta) => meta.sticky === true,
    cases: scenarioArb(true, true).map((s) => s.input),
    check(input, assign) {
      const out = assign(input);
      const outputs = [{ label: 'output', output: out }];
      const members = Object.keys(input.subscriptions);
      const holders = new Map<TopicPartition, string[]>();
      for (const m of members) for (const p of out[m]) holders.set(p, [...(holders.get(p) ?? []), m]);
      const twice = [...holders].find(([, ms]) => ms.length > 1);
      if (twice) return { message: `${twice[0]} is assigned to ${twice[1].join(' and ')}`, outputs };
      const held = validClaims(input);
      return keepsUpToFloor(input, out, (m) => held.get(m) ?? [], 'partitions it holds once claims are settled by generation');
    },
  },
  {
    id: 'sticky-no-change-no-move',
    statement: 'claimed stickiness: a rebalance in which nothing changed takes no partition from any member',
    applies: (meta) => meta.sticky === true,
    cases: inputs,
    check(input, assign, meta) {
      const { input: at, outputs } = settled(input, assign, meta);
      const again = assign(followUp(at, last(outputs)));
      const all = [...outputs, { label: 'output of the next rebalance, nothing changed', output: again }];
      for (const [m, ps] of Object.entries(last(outputs))) {
        const lost = ps.filter((p) => !again[m].includes(p));
        if (lost.length > 0) return { message: `${m} loses ${lost.join(', ')} although nothing changed`, outputs: all };
      }
      return undefined;
    },
  },
  {
    id: 'deterministic',
    statement: 'the same input gives the same assignment',
    applies: () => true,
    cases: inputs,
    check(input, assign) {
      const a = assign(input);
      const b = assign(input);
      const m = Object.keys(input.subscriptions).find((id) => !sameSets(a[id], b[id]));
      return m
        ? {
            message: `${m} gets different partitions from the same input`,
            outputs: [
              { label: 'first call', output: a },
              { label: 'second call', output: b },
            ],
          }
        : undefined;
    },
  },
  {
    id: 'member-order-irrelevant',
    statement: "the order members are listed in does not change the assignment (the leader sees them in the coordinator's order)",
    applies: () => true,
    cases: inputs,
    check(input, assign) {
      const a = assign(input);
      const reversed = { topics: input.topics, subscriptions: Object.fromEntries(Object.entries(input.subscriptions).reverse()) };
      const b = assign(reversed);
      const m = Object.keys(input.subscriptions).find((id) => !sameSets(a[id], b[id]));
      return m
        ? {
            message: `${m} gets different partitions when the members are listed in reverse`,
            outputs: [
              { label: 'output', output: a },
              { label: 'output with members reversed', output: b },
            ],
          }
        : undefined;
    },
  },
];
