import { cooperativeSticky } from '../models/assignors/cooperative-sticky.ts';
import { range } from '../models/assignors/range.ts';
import { roundrobin } from '../models/assignors/roundrobin.ts';
import { stickyAssign } from '../models/assignors/sticky-engine.ts';
import { sticky } from '../models/assignors/sticky.ts';
import type { AssignInput, Assignor, MemberSubscription } from '../models/assignors/types.ts';
import { type FidelityCase, holds, type NotPorted, normal, same } from './case.ts';
import { javaStringOrder } from './java-order.ts';

// clients/src/test/java/org/apache/kafka/clients/consumer/: the client-side assignors that the
// classic protocol's leader runs (RangeAssignor, RoundRobinAssignor, StickyAssignor,
// CooperativeStickyAssignor and their shared AbstractStickyAssignor).

const RANGE = 'RangeAssignorTest (clients)';
const RR = 'RoundRobinAssignorTest';
const ABSTRACT = 'AbstractStickyAssignorTest';
const STICKY = 'StickyAssignorTest';
const COOP = 'CooperativeStickyAssignorTest';

const sub = (topics: string[], owned: string[] = [], generation = -1, instance: string | null = null): MemberSubscription => ({
  topics,
  ownedPartitions: owned,
  generationId: generation,
  groupInstanceId: instance,
});
const t12 = ['topic1', 'topic2'];
const [c1, c2, c3, c4] = ['consumer1', 'consumer2', 'consumer3', 'consumer4'];

function clientCase(
  area: string,
  method: string,
  name: string,
  assignors: Assignor[],
  input: AssignInput,
  expected: Record<string, string[]>,
): FidelityCase {
  return {
    name,
    kafka: `${area}.${method}`,
    area: 'client assignors',
    check: 'exact',
    run() {
      for (const a of assignors) same(normal(a.assign(input)), normal(expected), a.name);
    },
  };
}

/**
 * The sticky engine in Kafka's member iteration order: AbstractStickyAssignor walks a
 * HashMap<String, Subscription>, so its exact outputs depend on the String hash order of the
 * member ids. The model's assignors walk members in id order; these cases hand the engine Java's
 * order to reproduce Kafka's exact output, and the properties cases below check the model's order.
 */
const kafkaOrder = (input: AssignInput) => stickyAssign(input, javaStringOrder(Object.keys(input.subscriptions)));
const assignmentOf = (r: ReturnType<typeof stickyAssign>) => normal(Object.fromEntries(r.assignment));

const mixed = { topics: { topic1: 3, topic2: 2 }, subscriptions: { [c1]: sub(['topic1']), [c2]: sub(t12), [c3]: sub(['topic1']) } };
const sixPartitions = { topics: { topic1: 3, topic2: 3 }, subscriptions: { [c1]: sub(t12), [c2]: sub(t12) } };
const staticPair = (dynamicHigh: boolean) => ({
  topics: { topic1: 3, topic2: 3 },
  subscriptions: { 'consumer-b': sub(t12, [], -1, 'instance1'), 'consumer-a': sub(t12, [], -1, dynamicHigh ? null : 'instance2') },
});

export const clientAssignorCases: FidelityCase[] = [
  ...[range, roundrobin].flatMap((a) => {
    const area = a === range ? RANGE : RR;
    return [
      clientCase(
        area,
        'testOneConsumerNoTopic',
        `${a.name}: no subscription, nothing assigned`,
        [a],
        { topics: {}, subscriptions: { [c1]: sub([]) } },
        {},
      ),
      clientCase(
        area,
        'testOneConsumerNonexistentTopic',
        `${a.name}: a topic missing from metadata is skipped`,
        [a],
        { topics: {}, subscriptions: { [c1]: sub(['topic1']) } },
        {},
      ),
      clientCase(
        area,
        'testOneConsumerOneTopic',
        `${a.name}: one consumer takes the whole topic`,
        [a],
        { topics: { topic1: 3 }, subscriptions: { [c1]: sub(['topic1']) } },
        { [c1]: ['topic1-0', 'topic1-1', 'topic1-2'] },
      ),
      clientCase(
        area,
        'testOnlyAssignsPartitionsFromSubscribedTopics',
        `${a.name}: only subscribed topics`,
        [a],
        { topics: { topic1: 3, other: 3 }, subscriptions: { [c1]: sub(['topic1']) } },
        { [c1]: ['topic1-0', 'topic1-1', 'topic1-2'] },
      ),
      clientCase(
        area,
        'testOneConsumerMultipleTopics',
        `${a.name}: one consumer, two topics`,
        [a],
        { topics: { topic1: 1, topic2: 2 }, subscriptions: { [c1]: sub(t12) } },
        { [c1]: ['topic1-0', 'topic2-0', 'topic2-1'] },
      ),
      clientCase(
        area,
        'testTwoConsumersOneTopicOnePartition',
        `${a.name}: two consumers, one partition`,
        [a],
        { topics: { topic1: 1 }, subscriptions: { [c1]: sub(['topic1']), [c2]: sub(['topic1']) } },
        { [c1]: ['topic1-0'] },
      ),
      clientCase(
        area,
        'testTwoConsumersOneTopicTwoPartitions',
        `${a.name}: two consumers, two partitions`,
        [a],
        { topics: { topic1: 2 }, subscriptions: { [c1]: sub(['topic1']), [c2]: sub(['topic1']) } },
        { [c1]: ['topic1-0'], [c2]: ['topic1-1'] },
      ),
      clientCase(area, 'testMultipleConsumersMixedTopics', `${a.name}: mixed subscriptions`, [a], mixed, {
        [c1]: ['topic1-0'],
        [c2]: ['topic1-1', 'topic2-0', 'topic2-1'],
        [c3]: ['topic1-2'],
      }),
    ];
  }),
  clientCase(
    RANGE,
    'testTwoConsumersTwoTopicsSixPartitions',
    'range: per-topic ranges, the first consumer gets both extras',
    [range],
    sixPartitions,
    {
      [c1]: ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      [c2]: ['topic1-2', 'topic2-2'],
    },
  ),
  clientCase(
    RANGE,
    'testTwoStaticConsumersTwoTopicsSixPartitions',
    'range: static members ordered by instance id, not member id',
    [range],
    staticPair(false),
    {
      'consumer-b': ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      'consumer-a': ['topic1-2', 'topic2-2'],
    },
  ),
  clientCase(
    RANGE,
    'testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions',
    'range: a static member sorts before a dynamic one',
    [range],
    staticPair(true),
    {
      'consumer-b': ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
      'consumer-a': ['topic1-2', 'topic2-2'],
    },
  ),
  clientCase(
    RR,
    'testTwoDynamicConsumersTwoTopicsSixPartitions',
    'roundrobin: dealt in turn over sorted partitions',
    [roundrobin],
    sixPartitions,
    {
      [c1]: ['topic1-0', 'topic1-2', 'topic2-1'],
      [c2]: ['topic1-1', 'topic2-0', 'topic2-2'],
    },
  ),
  clientCase(
    RR,
    'testTwoStaticConsumersTwoTopicsSixPartitions',
    'roundrobin: static members ordered by instance id',
    [roundrobin],
    staticPair(false),
    {
      'consumer-b': ['topic1-0', 'topic1-2', 'topic2-1'],
      'consumer-a': ['topic1-1', 'topic2-0', 'topic2-2'],
    },
  ),
  clientCase(
    RR,
    'testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions',
    'roundrobin: a static member sorts before a dynamic one',
    [roundrobin],
    staticPair(true),
    {
      'consumer-b': ['topic1-0', 'topic1-2', 'topic2-1'],
      'consumer-a': ['topic1-1', 'topic2-0', 'topic2-2'],
    },
  ),
  staticPersistent(
    range,
    RANGE,
    'testStaticMemberRangeAssignmentPersistent',
    { topic1: 5, topic2: 4 },
    {
      [c1]: ['topic1-0', 'topic1-1', 'topic2-0'],
      [c2]: ['topic1-2', 'topic2-1'],
      [c3]: ['topic1-3', 'topic2-2'],
      x: ['topic1-4', 'topic2-3'],
    },
  ),
  staticPersistent(
    roundrobin,
    RR,
    'testStaticMemberRoundRobinAssignmentPersistent',
    { topic1: 3, topic2: 3 },
    {
      [c1]: ['topic1-0', 'topic2-1'],
      [c2]: ['topic1-1', 'topic2-2'],
      [c3]: ['topic1-2'],
      x: ['topic2-0'],
    },
  ),
  ...[range, roundrobin].map((a) => idChange(a, a === range ? RANGE : RR)),
  ...stickyCases(),
];

/** Three static members and one dynamic one; the dynamic one (`x`) is replaced by another: same result. */
function staticPersistent(
  a: Assignor,
  area: string,
  method: string,
  topics: Record<string, number>,
  expected: Record<string, string[]>,
): FidelityCase {
  return {
    name: `${a.name}: static members keep their partitions when a dynamic member is replaced`,
    kafka: `${area}.${method}`,
    area: 'client assignors',
    check: 'exact',
    run() {
      const statics = { [c1]: sub(t12, [], -1, 'instance1'), [c2]: sub(t12, [], -1, 'instance2'), [c3]: sub(t12, [], -1, 'instance3') };
      const { x, ...rest } = expected;
      same(normal(a.assign({ topics, subscriptions: { ...statics, [c4]: sub(t12) } })), normal({ ...rest, [c4]: x }), 'with consumer4');
      same(
        normal(a.assign({ topics, subscriptions: { ...statics, consumer5: sub(t12) } })),
        normal({ ...rest, consumer5: x }),
        'with consumer5',
      );
    },
  };
}

/** testStatic...AssignmentPersistentAfterMemberIdChanges: instances keep their partitions under new member ids. */
function idChange(a: Assignor, area: string): FidelityCase {
  const method =
    a === range
      ? 'testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges'
      : 'testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges';
  return {
    name: `${a.name}: static instances keep their partitions when their member ids change`,
    kafka: `${area}.${method}`,
    area: 'client assignors',
    check: 'exact',
    run() {
      const topics = { topic1: 5, topic2: 5 };
      const byInstance = (subs: Record<string, MemberSubscription>) => {
        const out = a.assign({ topics, subscriptions: subs });
        return Object.fromEntries(Object.entries(out).map(([m, ps]) => [subs[m].groupInstanceId, [...ps].sort()]));
      };
      const first = byInstance({
        [c1]: sub(t12, [], -1, 'instance1'),
        [c2]: sub(t12, [], -1, 'instance2'),
        [c3]: sub(t12, [], -1, 'instance3'),
      });
      if (a === range)
        same(first, {
          instance1: ['topic1-0', 'topic1-1', 'topic2-0', 'topic2-1'],
          instance2: ['topic1-2', 'topic1-3', 'topic2-2', 'topic2-3'],
          instance3: ['topic1-4', 'topic2-4'],
        });
      const second = byInstance({
        [c1]: sub(t12, [], -1, 'instance1'),
        consumer5: sub(t12, [], -1, 'instance2'),
        consumer4: sub(t12, [], -1, 'instance3'),
      });
      same(second, first, 'after the member ids changed');
    },
  };
}

function stickyCases(): FidelityCase[] {
  const both = [sticky, cooperativeSticky];
  const c = (area: string, method: string, name: string, check: FidelityCase['check'], run: () => void): FidelityCase => ({
    name,
    kafka: `${area}.${method}`,
    area: 'client assignors',
    check,
    run,
  });
  return [
    clientCase(
      ABSTRACT,
      'testOneConsumerNoTopic',
      'sticky: no subscription, nothing assigned',
      both,
      { topics: {}, subscriptions: { [c1]: sub([]) } },
      {},
    ),
    clientCase(
      ABSTRACT,
      'testOneConsumerOneTopic',
      'sticky: one consumer takes the whole topic',
      both,
      { topics: { topic: 3 }, subscriptions: { [c1]: sub(['topic']) } },
      { [c1]: ['topic-0', 'topic-1', 'topic-2'] },
    ),
    clientCase(ABSTRACT, 'testTwoConsumersTwoTopicsSixPartitions', 'sticky: two consumers, two topics', both, sixPartitions, {
      [c1]: ['topic1-0', 'topic1-2', 'topic2-1'],
      [c2]: ['topic1-1', 'topic2-0', 'topic2-2'],
    }),
    clientCase(
      ABSTRACT,
      'testConsumerOwningMinQuotaExpectedMaxQuota',
      'sticky: a consumer at min quota takes the extra partition',
      [sticky],
      {
        topics: { topic1: 2, topic2: 3 },
        subscriptions: { [c1]: sub(t12, ['topic1-0', 'topic2-1'], 1), [c2]: sub(t12, ['topic1-1', 'topic2-2'], 1) },
      },
      { [c1]: ['topic1-0', 'topic2-1', 'topic2-0'], [c2]: ['topic1-1', 'topic2-2'] },
    ),
    c(
      ABSTRACT,
      'testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers',
      'sticky: more members at max quota than may stay there (Java member order)',
      'exact',
      () => {
        const input = {
          topics: { topic1: 2, topic2: 2 },
          subscriptions: {
            [c1]: sub(t12, ['topic1-0', 'topic2-0'], 1),
            [c2]: sub(t12, ['topic1-1', 'topic2-1'], 1),
            [c3]: sub(t12, [], 1),
          },
        };
        const r = kafkaOrder(input);
        same(assignmentOf(r), normal({ [c1]: ['topic1-0'], [c2]: ['topic1-1', 'topic2-1'], [c3]: ['topic2-0'] }));
        same(r.transferring, new Map([['topic2-0', c3]]), 'partitionsTransferringOwnership');
      },
    ),
    clientCase(
      ABSTRACT,
      'testAllConsumersAreUnderMinQuota',
      'sticky: every consumer under min quota',
      [sticky],
      {
        topics: { topic1: 2, topic2: 3 },
        subscriptions: { [c1]: sub(t12, ['topic1-0'], 1), [c2]: sub(t12, ['topic1-1'], 1), [c3]: sub(t12, [], 1) },
      },
      { [c1]: ['topic1-0', 'topic2-1'], [c2]: ['topic1-1', 'topic2-2'], [c3]: ['topic2-0'] },
    ),
    c(
      ABSTRACT,
      'testAddRemoveTwoConsumersTwoTopics',
      'sticky: add two consumers, then remove the first two (three rounds, Java member order)',
      'exact',
      () => {
        const topics = { topic1: 3, topic2: 4 };
        const a1 = Object.fromEntries(kafkaOrder({ topics, subscriptions: { [c1]: sub(t12), [c2]: sub(t12) } }).assignment);
        same(
          normal(a1),
          normal({ [c1]: ['topic1-0', 'topic1-2', 'topic2-1', 'topic2-3'], [c2]: ['topic1-1', 'topic2-0', 'topic2-2'] }),
          'round 1',
        );
        const r2 = kafkaOrder({
          topics,
          subscriptions: { [c1]: sub(t12, a1[c1], 1), [c2]: sub(t12, a1[c2], 1), [c3]: sub(t12, [], 1), [c4]: sub(t12, [], 1) },
        });
        same(
          r2.transferring,
          new Map([
            ['topic1-2', c3],
            ['topic2-3', c3],
            ['topic2-2', c4],
          ]),
          'round 2 partitionsTransferringOwnership',
        );
        const a2 = Object.fromEntries(r2.assignment);
        same(
          normal(a2),
          normal({ [c1]: ['topic1-0', 'topic2-1'], [c2]: ['topic2-0', 'topic1-1'], [c3]: ['topic1-2', 'topic2-3'], [c4]: ['topic2-2'] }),
          'round 2',
        );
        const r3 = kafkaOrder({ topics, subscriptions: { [c3]: sub(t12, a2[c3], 1), [c4]: sub(t12, a2[c4], 1) } });
        same(
          assignmentOf(r3),
          normal({ [c3]: ['topic1-2', 'topic2-3', 'topic1-0', 'topic2-1'], [c4]: ['topic2-2', 'topic1-1', 'topic2-0'] }),
          'round 3',
        );
      },
    ),
    c(
      ABSTRACT,
      'testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration',
      'sticky: a partition two members claim in one generation is taken from both',
      'exact',
      () => {
        const input = {
          topics: { topic: 3 },
          subscriptions: {
            [c1]: sub(['topic'], ['topic-0', 'topic-1'], 1),
            [c2]: sub(['topic'], ['topic-0', 'topic-2'], 1),
            [c3]: sub(['topic'], [], 1),
          },
        };
        same(stickyAssign(input).transferring, new Map([['topic-0', c3]]), 'partitionsTransferringOwnership');
        same(normal(sticky.assign(input)), normal({ [c1]: ['topic-1'], [c2]: ['topic-2'], [c3]: ['topic-0'] }), 'sticky');
      },
    ),
    clientCase(
      COOP,
      'testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer',
      'cooperative-sticky: a doubly claimed partition goes to nobody this round',
      [cooperativeSticky],
      {
        topics: { topic: 3 },
        subscriptions: {
          [c1]: sub(['topic'], ['topic-0', 'topic-1'], 1),
          [c2]: sub(['topic'], ['topic-0', 'topic-2'], 1),
          [c3]: sub(['topic'], [], 1),
        },
      },
      { [c1]: ['topic-1'], [c2]: ['topic-2'] },
    ),
    clientCase(
      COOP,
      'testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer',
      'cooperative-sticky: doubly claimed partition, unequal shares',
      [cooperativeSticky],
      {
        topics: { topic: 4 },
        subscriptions: {
          [c1]: sub(['topic'], ['topic-0', 'topic-1'], 1),
          [c2]: sub(['topic'], ['topic-0', 'topic-2'], 1),
          [c3]: sub(['topic'], [], 1),
        },
      },
      { [c1]: ['topic-1', 'topic-3'], [c2]: ['topic-2'] },
    ),
    clientCase(
      STICKY,
      'testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer',
      'sticky: doubly claimed partition, unequal shares',
      [sticky],
      {
        topics: { topic: 4 },
        subscriptions: {
          [c1]: sub(['topic'], ['topic-0', 'topic-1'], 1),
          [c2]: sub(['topic'], ['topic-0', 'topic-2'], 1),
          [c3]: sub(['topic'], [], 1),
        },
      },
      { [c1]: ['topic-1', 'topic-3'], [c2]: ['topic-2'], [c3]: ['topic-0'] },
    ),
    c(
      ABSTRACT,
      'testEnsurePartitionsAssignedToHighestGeneration',
      'sticky: owned partitions of the highest generation win',
      'exact',
      () => {
        const all = ['topic', 'topic2', 'topic3'];
        const input = {
          topics: { topic: 3, topic2: 3, topic3: 3 },
          subscriptions: {
            [c1]: sub(all, ['topic-0', 'topic2-0', 'topic3-0'], 10),
            [c2]: sub(all, ['topic-1', 'topic2-1', 'topic3-1'], 9),
            [c3]: sub(all, ['topic2-1', 'topic3-0', 'topic3-2'], 8),
          },
        };
        const expected = {
          [c1]: ['topic-0', 'topic2-0', 'topic3-0'],
          [c2]: ['topic-1', 'topic2-1', 'topic3-1'],
          [c3]: ['topic-2', 'topic2-2', 'topic3-2'],
        };
        for (const a of both) same(normal(a.assign(input)), normal(expected), a.name);
      },
    ),
    clientCase(
      ABSTRACT,
      'testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration',
      'sticky: claims from an older generation are dropped',
      [sticky],
      {
        topics: { topic: 3, topic2: 3 },
        subscriptions: {
          [c1]: sub(['topic', 'topic2'], ['topic-0', 'topic2-1', 'topic-1'], 10),
          [c2]: sub(['topic', 'topic2'], ['topic-0', 'topic2-1', 'topic2-2'], 8),
        },
      },
      { [c1]: ['topic-0', 'topic-1', 'topic2-1'], [c2]: ['topic-2', 'topic2-0', 'topic2-2'] },
    ),
    c(
      ABSTRACT,
      'testNoReassignmentOnCurrentMembers',
      'sticky: a new member takes only free partitions (Java member order)',
      'exact',
      () => {
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
        const r = kafkaOrder(input);
        same(assignmentOf(r)[c1], ['topic1-2', 'topic2-1', 'topic3-0'], c1);
        same(r.transferring, new Map(), 'partitionsTransferringOwnership');
      },
    ),
    c(
      ABSTRACT,
      'testMultipleConsumersMixedTopicSubscriptions',
      'sticky: mixed subscriptions use the general builder (Java member order)',
      'exact',
      () => {
        const r = kafkaOrder(mixed);
        same(assignmentOf(r), normal({ [c1]: ['topic1-0', 'topic1-2'], [c2]: ['topic2-0', 'topic2-1'], [c3]: ['topic1-1'] }));
        same(r.transferring, null, 'no transfer list from the general builder');
      },
    ),
    c(
      STICKY,
      'testAssignmentWithConflictingPreviousGenerations',
      'sticky: conflicting generations, both subscription shapes (properties)',
      'properties',
      () => {
        for (const equal of [true, false]) {
          const all = ['topic', 'topic2', 'topic3'];
          const p1 = equal
            ? ['topic-0', 'topic-1', 'topic-2', 'topic2-2', 'topic2-3', 'topic3-0']
            : ['topic-0', 'topic-1', 'topic-2', 'topic-3'];
          const p2 = ['topic-0', 'topic-1', 'topic2-0', 'topic2-1', 'topic2-2', 'topic2-3'];
          const p3 = ['topic-2', 'topic-3', 'topic3-0', 'topic3-1', 'topic3-2', 'topic3-3'];
          const input = {
            topics: { topic: 4, topic2: 4, topic3: 4 },
            subscriptions: {
              [c1]: sub(equal ? all : ['topic'], p1, 1),
              [c2]: sub(equal ? all : ['topic', 'topic2'], p2, 2),
              [c3]: sub(all, p3, 2),
            },
          };
          for (const out of [sticky.assign(input), Object.fromEntries(kafkaOrder(input).assignment)]) {
            same([out[c1].length, out[c2].length, out[c3].length], [4, 4, 4], 'sizes');
            holds(
              out[c2].every((p) => p2.includes(p)) && out[c3].every((p) => p3.includes(p)),
              'the newer generation keeps only what it owned',
            );
          }
        }
      },
    ),
    ...[sticky, cooperativeSticky].map((a) =>
      c(
        ABSTRACT,
        'testAddRemoveConsumerOneTopic / verifyValidityAndBalance',
        `${a.name} in member-id order: valid, balanced and sticky across rounds`,
        'properties',
        () => validityRounds(a),
      ),
    ),
  ];
}

/**
 * What Kafka's verifyValidityAndBalance asserts, over a sequence of rounds in the model's own
 * member order (id order): every subscribed partition assigned once (for cooperative-sticky: once
 * the follow-up round is done), sizes within one, and no partition moves off a member that keeps
 * within its quota (stickiness). Rounds: add consumers one by one, then remove them.
 */
function validityRounds(a: Assignor): void {
  const topics = { topic: 7, other: 5 };
  const all = ['other', 'topic'];
  let owned: Record<string, string[]> = {};
  let generation = 1;
  const rounds = [[c1], [c1, c2], [c1, c2, c3], [c1, c2, c3, c4], [c2, c3, c4], [c3, c4], [c4]];
  for (const members of rounds) {
    for (let pass = 0; pass < 2; pass++) {
      const subscriptions = Object.fromEntries(members.map((m) => [m, sub(all, owned[m] ?? [], owned[m] ? generation : -1)]));
      const out = a.assign({ topics, subscriptions });
      const assigned = Object.values(out).flat();
      holds(new Set(assigned).size === assigned.length, `${members.length} members: a partition assigned twice`);
      const quota = Math.floor(12 / members.length);
      for (const m of members) {
        const kept = (owned[m] ?? []).filter((p) => out[m].includes(p)).length;
        holds(kept >= Math.min((owned[m] ?? []).length, quota), `${m} lost partitions it could keep`);
      }
      owned = out;
      generation++;
    }
    const sizes = members.map((m) => owned[m].length);
    holds(Object.values(owned).flat().length === 12, `${members.length} members: not every partition assigned after the follow-up round`);
    holds(Math.max(...sizes) - Math.min(...sizes) <= 1, `${members.length} members: sizes ${sizes.join(',')}`);
  }
}

export const clientAssignorsNotPorted: NotPorted[] = [
  {
    kafka: `${STICKY}.testSchemaBackwardCompatibility, testMemberDataWithInconsistentData, testMemberDataWillHonorUserData, testAssignorWithOldVersionSubscriptions; ${COOP}.testEncodeAndDecodeGeneration, testDecodeGeneration`,
    area: 'client assignors',
    reason:
      'user-data encoding: the model carries owned partitions and generation as plain fields (MemberSubscription), no serialized user data',
  },
  {
    kafka: `${ABSTRACT}.testLargeAssignment*, testReassignmentWithRandomSubscriptionsAndChanges, testAssignmentAndGroupWithNonEqualSubscriptionNotTimeout`,
    area: 'client assignors',
    reason:
      'scale and timing tests (thousands of partitions): the random generators in models/assignors/sticky.test.ts check the same validity and balance on small groups',
  },
];
