import { serverRange, uniform, uniformBuilders, type ServerAssignInput } from '../models/consumer-protocol/assignors.ts';
import { type FidelityCase, holds, type NotPorted, normal, parts, same } from './case.ts';
import { javaUuidOrder } from './java-order.ts';

// group-coordinator/src/test/java/org/apache/kafka/coordinator/group/assignor/: the server-side
// assignors of KIP-848 (UniformAssignor's two builders, RangeAssignor).

const HOMOGENEOUS = 'UniformHomogeneousAssignmentBuilderTest';
const HETEROGENEOUS = 'UniformHeterogeneousAssignmentBuilderTest';
const RANGE = 'RangeAssignorTest (group-coordinator)';

/** The topic ids those two test classes use (their HashSet order is part of the expected outputs). */
const UUIDS: Record<string, string> = {
  topic1: 'T1-A4s3VTwiI5CTbEp6POw',
  topic2: 'T2-B4s3VTwiI5YHbPp6YUe',
  topic3: 'T3-CU8fVTLCz5YMkLoDQsa',
  topic4: 'T4-Tw9fVTLCz5HbPp6YQsa',
};

interface ServerSpec {
  name: string;
  kafka: string;
  assign: (input: ServerAssignInput) => Record<string, string[]>;
  topics: Record<string, number>;
  /** Member -> [subscribed topics, previous target by topic in Kafka's map order, instance id]. */
  members: Record<string, [string[], Record<string, number[]>?, string?]>;
  expected: Record<string, Record<string, number[]>>;
  /**
   * The homogeneous builder deals unowned partitions topic by topic in the order of a HashSet of
   * topic ids; the model deals them in topic-name order. `hashOrder` renames the topics so that
   * name order is Kafka's iteration order for these ids, and the case then checks the exact output.
   * `previousHashOrder` also reorders each previous target as a HashMap of these ids iterates it
   * (mkAssignment); without it the previous target keeps the test's insertion order (mkOrderedAssignment).
   */
  hashOrder?: boolean;
  previousHashOrder?: boolean;
}

function serverCase(spec: ServerSpec): FidelityCase {
  return {
    name: spec.name,
    kafka: spec.kafka,
    area: 'server assignors',
    check: 'exact',
    run() {
      const used = Object.keys(spec.topics);
      const order = spec.hashOrder ? javaUuidOrder(used.map((t) => UUIDS[t])).map((u) => used.find((t) => UUIDS[t] === u)!) : used;
      const rename = (t: string) => (spec.hashOrder ? `k${order.indexOf(t)}_${t}` : t);
      const back = (p: string) => p.replace(/^k\d+_/, '');
      const byTopic = (prev: Record<string, number[]>) => {
        const ts = Object.keys(prev);
        const ordered = spec.previousHashOrder ? javaUuidOrder(ts.map((t) => UUIDS[t])).map((u) => ts.find((t) => UUIDS[t] === u)!) : ts;
        return parts(Object.fromEntries(ordered.map((t) => [rename(t), prev[t]])));
      };
      const input: ServerAssignInput = {
        topics: Object.fromEntries(used.map((t) => [rename(t), spec.topics[t]])),
        members: Object.fromEntries(
          Object.entries(spec.members).map(([m, [topics, , instanceId]]) => [
            m,
            { topics: topics.map(rename), instanceId: instanceId ?? null },
          ]),
        ),
        previous: Object.fromEntries(Object.entries(spec.members).map(([m, [, prev]]) => [m, byTopic(prev ?? {})])),
      };
      const out = spec.assign(input);
      same(
        normal(Object.fromEntries(Object.entries(out).map(([m, ps]) => [m, ps.map(back)]))),
        normal(Object.fromEntries(Object.entries(spec.expected).map(([m, e]) => [m, parts(e)]))),
        'assignment',
      );
    },
  };
}

const both = ['topic1', 'topic3'];
const t12 = ['topic1', 'topic2'];

export const serverAssignorCases: FidelityCase[] = [
  serverCase({
    name: 'one member, no subscription: nothing assigned',
    kafka: `${HOMOGENEOUS}.testOneMemberNoTopicSubscription`,
    assign: uniform.assign,
    topics: { topic1: 3 },
    members: { A: [[]] },
    expected: {},
  }),
  serverCase({
    name: 'first assignment, two members two topics: unowned partitions dealt in topic-id hash order',
    kafka: `${HOMOGENEOUS}.testFirstAssignmentTwoMembersTwoTopicsNoMemberRacks`,
    assign: uniform.assign,
    hashOrder: true,
    topics: { topic1: 3, topic3: 2 },
    members: { A: [both], B: [both] },
    expected: { A: { topic3: [0, 1] }, B: { topic1: [0, 1, 2] } },
  }),
  serverCase({
    name: 'more members than partitions: the first member gets none (the last ones take the extras)',
    kafka: `${HOMOGENEOUS}.testFirstAssignmentNumMembersGreaterThanTotalNumPartitions`,
    assign: uniform.assign,
    topics: { topic3: 2 },
    members: { A: [['topic3']], B: [['topic3']], C: [['topic3']] },
    expected: { B: { topic3: [0] }, C: { topic3: [1] } },
  }),
  serverCase({
    name: 'unbalanced previous target: the over-quota member gives up its last partition',
    kafka: `${HOMOGENEOUS}.testReassignmentForTwoMembersTwoTopicsGivenUnbalancedPrevAssignment`,
    assign: uniform.assign,
    topics: { topic1: 3, topic2: 3 },
    members: { A: [t12, { topic1: [0, 1], topic2: [0, 1] }], B: [t12, { topic1: [2], topic2: [2] }] },
    expected: { A: { topic1: [0, 1], topic2: [0] }, B: { topic1: [2], topic2: [1, 2] } },
  }),
  serverCase({
    name: 'partitions added: the last member takes the extra one',
    kafka: `${HOMOGENEOUS}.testReassignmentWhenPartitionsAreAddedForTwoMembersTwoTopics`,
    assign: uniform.assign,
    hashOrder: true,
    topics: { topic1: 6, topic2: 5 },
    members: { A: [t12, { topic1: [0, 2], topic2: [0] }], B: [t12, { topic1: [1], topic2: [1, 2] }] },
    expected: { A: { topic1: [0, 2], topic2: [0, 3, 4] }, B: { topic1: [1, 3, 4, 5], topic2: [1, 2] } },
  }),
  serverCase({
    name: 'a member joins: the others give up what exceeds their quota, the newcomer takes it',
    kafka: `${HOMOGENEOUS}.testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics`,
    assign: uniform.assign,
    topics: { topic1: 3, topic2: 3 },
    members: { A: [t12, { topic1: [0, 2], topic2: [0] }], B: [t12, { topic1: [1], topic2: [1, 2] }], C: [t12] },
    expected: { A: { topic1: [0, 2] }, B: { topic1: [1], topic2: [1] }, C: { topic2: [0, 2] } },
  }),
  serverCase({
    name: 'a member leaves: its partitions go to the remaining members in member order',
    kafka: `${HOMOGENEOUS}.testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersTwoTopics`,
    assign: uniform.assign,
    hashOrder: true,
    previousHashOrder: true,
    topics: { topic1: 3, topic2: 3 },
    members: { A: [t12, { topic1: [0], topic2: [0] }], B: [t12, { topic1: [1], topic2: [1] }] },
    expected: { A: { topic1: [0], topic2: [0, 2] }, B: { topic1: [1, 2], topic2: [1] } },
  }),
  serverCase({
    name: 'a topic unsubscribed: its partitions leave every target',
    kafka: `${HOMOGENEOUS}.testReassignmentWhenOneSubscriptionRemovedAfterInitialAssignmentWithTwoMembersTwoTopics`,
    assign: uniform.assign,
    previousHashOrder: true,
    topics: { topic1: 2, topic2: 2 },
    members: { A: [['topic2'], { topic1: [0], topic2: [0] }], B: [['topic2'], { topic1: [1], topic2: [1] }] },
    expected: { A: { topic2: [0] }, B: { topic2: [1] } },
  }),
  serverCase({
    name: 'heterogeneous builder, no subscriptions: nothing assigned',
    kafka: `${HETEROGENEOUS}.testTwoMembersNoTopicSubscription`,
    assign: uniformBuilders.heterogeneous,
    topics: { topic1: 3 },
    members: { A: [[]], B: [[]] },
    expected: {},
  }),
  serverCase({
    name: 'first assignment: a member of two topics is balanced across both',
    kafka: `${HETEROGENEOUS}.testFirstAssignmentTwoMembersTwoTopics`,
    assign: uniform.assign,
    topics: { topic1: 3, topic3: 6 },
    members: { A: [both], B: [['topic3']] },
    expected: { A: { topic1: [0, 1, 2], topic3: [4] }, B: { topic3: [0, 1, 2, 3, 5] } },
  }),
  serverCase({
    name: 'more members than partitions, different subscriptions',
    kafka: `${HETEROGENEOUS}.testFirstAssignmentNumMembersGreaterThanTotalNumPartitions`,
    assign: uniform.assign,
    topics: { topic3: 1, topic1: 2 },
    members: { A: [['topic3']], B: [['topic3']], C: [['topic1']] },
    expected: { A: { topic3: [0] }, C: { topic1: [0, 1] } },
  }),
  serverCase({
    name: 'unbalanced previous target over three topics is rebalanced across topics',
    kafka: `${HETEROGENEOUS}.testReassignmentForTwoMembersThreeTopicsGivenUnbalancedPrevAssignment`,
    assign: uniform.assign,
    topics: { topic1: 6, topic2: 4, topic3: 4 },
    members: {
      A: [['topic1'], { topic1: [0, 1, 2] }],
      B: [t12, { topic1: [3], topic2: [0] }],
      C: [['topic1', 'topic2', 'topic3'], { topic1: [4, 5], topic2: [1, 2, 3], topic3: [0, 1, 2, 3] }],
    },
    expected: {
      A: { topic1: [0, 1, 2, 5] },
      B: { topic1: [3], topic2: [0, 1, 2, 3] },
      C: { topic1: [4], topic3: [0, 1, 2, 3] },
    },
  }),
  serverCase({
    name: 'partitions added to four topics, two members',
    kafka: `${HETEROGENEOUS}.testReassignmentWhenPartitionsAreAddedForTwoMembers`,
    assign: uniform.assign,
    topics: { topic1: 6, topic2: 5, topic3: 3, topic4: 3 },
    members: {
      A: [both, { topic1: [0, 1, 2, 3], topic3: [0, 1] }],
      B: [['topic1', 'topic2', 'topic3', 'topic4'], { topic2: [0, 1, 2], topic4: [0, 1, 2] }],
    },
    expected: { A: { topic1: [0, 1, 2, 3, 4, 5], topic3: [0, 1, 2] }, B: { topic2: [0, 1, 2, 3, 4], topic4: [0, 1, 2] } },
  }),
  serverCase({
    name: 'a member and partitions added; a dropped topic leaves the old target',
    kafka: `${HETEROGENEOUS}.testReassignmentWhenOneMemberAddedAndPartitionsAddedTwoMembersTwoTopics`,
    assign: uniform.assign,
    topics: { topic1: 6, topic2: 7 },
    members: { A: [['topic1'], { topic1: [0, 2], topic2: [0] }], B: [t12, { topic1: [1], topic2: [1, 2] }], C: [t12] },
    expected: { A: { topic1: [0, 2, 3, 4, 5] }, B: { topic1: [1], topic2: [1, 2, 6] }, C: { topic2: [0, 3, 4, 5] } },
  }),
  serverCase({
    name: 'a member leaves: its topics go to the only other subscribers',
    kafka: `${HETEROGENEOUS}.testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersThreeTopics`,
    assign: uniform.assign,
    topics: { topic1: 3, topic2: 8, topic3: 3 },
    members: { A: [both, { topic1: [0, 1, 2], topic3: [0, 1] }], B: [['topic2'], { topic2: [3, 4, 5, 6] }] },
    expected: { A: { topic1: [0, 1, 2], topic3: [0, 1, 2] }, B: { topic2: [0, 1, 2, 3, 4, 5, 6, 7] } },
  }),
  serverCase({
    name: 'a subscription removed: its partitions move to the remaining subscriber',
    kafka: `${HETEROGENEOUS}.testReassignmentWhenOneSubscriptionRemovedAfterInitialAssignmentWithTwoMembersTwoTopics`,
    assign: uniform.assign,
    topics: { topic1: 3, topic2: 5 },
    members: { A: [['topic1'], { topic1: [0, 2], topic2: [1, 3] }], B: [t12, { topic1: [1], topic2: [0, 2, 4] }] },
    expected: { A: { topic1: [0, 1, 2] }, B: { topic2: [0, 1, 2, 3, 4] } },
  }),
  serverCase({
    name: 'heterogeneous builder over identical subscriptions: the newcomer is balanced in',
    kafka: `${HETEROGENEOUS}.testReassignmentWhenTopicPartitionsRunOutAndMembersHaveNoPartitions`,
    assign: uniformBuilders.heterogeneous,
    topics: { topic1: 2, topic2: 2, topic3: 2 },
    members: {
      A: [['topic1', 'topic2', 'topic3'], { topic1: [0, 1], topic2: [0, 1], topic3: [0, 1] }],
      B: [['topic1', 'topic2', 'topic3']],
    },
    expected: { A: { topic2: [0], topic3: [0, 1] }, B: { topic1: [0, 1], topic2: [1] } },
  }),
  serverCase({
    name: 'a member without subscriptions gets nothing',
    kafka: `${HETEROGENEOUS}.testFirstAssignmentWithTwoMembersIncludingOneWithoutSubscriptions`,
    assign: uniform.assign,
    topics: { topic1: 3 },
    members: { A: [['topic1']], B: [[]] },
    expected: { A: { topic1: [0, 1, 2] } },
  }),
  serverCase({
    name: 'range, one member, no topic',
    kafka: `${RANGE}.testOneMemberNoTopic`,
    assign: serverRange.assign,
    topics: { topic1: 3 },
    members: { A: [[]] },
    expected: {},
  }),
  serverCase({
    name: 'range, same subscriptions: co-partitioned ranges',
    kafka: `${RANGE}.testFirstAssignmentTwoMembersTwoTopicsSameSubscriptions`,
    assign: serverRange.assign,
    topics: { topic1: 3, topic3: 2 },
    members: { A: [both], B: [both] },
    expected: { A: { topic1: [0, 1], topic3: [0] }, B: { topic1: [2], topic3: [1] } },
  }),
  serverCase({
    name: 'range, different subscriptions: ranges per topic among its subscribers',
    kafka: `${RANGE}.testFirstAssignmentThreeMembersThreeTopicsDifferentSubscriptions`,
    assign: serverRange.assign,
    topics: { topic1: 3, topic2: 3, topic3: 2 },
    members: { A: [t12], B: [['topic3']], C: [['topic2', 'topic3']] },
    expected: { A: { topic1: [0, 1, 2], topic2: [0, 1] }, B: { topic3: [0] }, C: { topic2: [2], topic3: [1] } },
  }),
  serverCase({
    name: 'range, more members than partitions',
    kafka: `${RANGE}.testFirstAssignmentNumMembersGreaterThanNumPartitions`,
    assign: serverRange.assign,
    topics: { topic1: 3, topic3: 2 },
    members: { A: [both], B: [both], C: [both] },
    expected: { A: { topic1: [0], topic3: [0] }, B: { topic1: [1], topic3: [1] }, C: { topic1: [2] } },
  }),
  serverCase({
    name: 'range, a member added with fewer partitions than members',
    kafka: `${RANGE}.testReassignmentNumMembersGreaterThanNumPartitionsWhenOneMemberAdded`,
    assign: serverRange.assign,
    topics: { topic1: 2, topic2: 2 },
    members: { A: [t12, { topic1: [0], topic2: [0] }], B: [t12, { topic1: [1], topic2: [1] }], C: [t12] },
    expected: { A: { topic1: [0], topic2: [0] }, B: { topic1: [1], topic2: [1] } },
  }),
  serverCase({
    name: 'range, one partition added per topic',
    kafka: `${RANGE}.testReassignmentWhenOnePartitionAddedForTwoMembersTwoTopics`,
    assign: serverRange.assign,
    topics: { topic1: 4, topic2: 4 },
    members: { A: [t12, { topic1: [0, 1], topic2: [0, 1] }], B: [t12, { topic1: [2], topic2: [2] }] },
    expected: { A: { topic1: [0, 1], topic2: [0, 1] }, B: { topic1: [2, 3], topic2: [2, 3] } },
  }),
  serverCase({
    name: 'range, a member added',
    kafka: `${RANGE}.testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics`,
    assign: serverRange.assign,
    topics: { topic1: 3, topic2: 3 },
    members: { A: [t12, { topic1: [0, 1], topic2: [0, 1] }], B: [t12, { topic1: [2], topic2: [2] }], C: [t12] },
    expected: { A: { topic1: [0], topic2: [0] }, B: { topic1: [1], topic2: [1] }, C: { topic1: [2], topic2: [2] } },
  }),
  serverCase({
    name: 'range, a member and a partition added',
    kafka: `${RANGE}.testReassignmentWhenOneMemberAddedAndOnePartitionAfterInitialAssignmentWithTwoMembersTwoTopics`,
    assign: serverRange.assign,
    topics: { topic1: 4, topic2: 3 },
    members: { A: [t12, { topic1: [0, 1], topic2: [0, 1] }], B: [t12, { topic1: [2], topic2: [2] }], C: [['topic1']] },
    expected: { A: { topic1: [0, 1], topic2: [0, 1] }, B: { topic1: [2], topic2: [2] }, C: { topic1: [3] } },
  }),
  serverCase({
    name: 'range, a member removed',
    kafka: `${RANGE}.testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithTwoMembersTwoTopics`,
    assign: serverRange.assign,
    topics: { topic1: 3, topic2: 3 },
    members: { B: [t12, { topic1: [2], topic2: [2] }] },
    expected: { B: { topic1: [0, 1, 2], topic2: [0, 1, 2] } },
  }),
  serverCase({
    name: 'range, several subscriptions removed',
    kafka: `${RANGE}.testReassignmentWhenMultipleSubscriptionsRemovedAfterInitialAssignmentWithThreeMembersTwoTopics`,
    assign: serverRange.assign,
    topics: { topic1: 3, topic2: 3, topic3: 2 },
    members: {
      A: [['topic1'], { topic1: [0, 1, 2], topic2: [0] }],
      B: [['topic1', 'topic2', 'topic3'], { topic2: [1] }],
      C: [['topic2'], { topic2: [2], topic3: [0, 1] }],
    },
    expected: { A: { topic1: [0, 1] }, B: { topic1: [2], topic2: [0, 1], topic3: [0, 1] }, C: { topic2: [2] } },
  }),
  staticRangeCase('testStaticMembership', 3, { A: 'instanceA', B: 'instanceB' }),
  staticRangeCase('testMixedStaticMembership', 5, { A: 'instanceA', C: 'instanceC', B: undefined }),
  {
    name: 'homogeneous: validity and balance, 99 topics x 3 partitions over 49 members',
    kafka: `${HOMOGENEOUS}.testValidityAndBalanceForLargeSampleSet`,
    area: 'server assignors',
    check: 'properties',
    run() {
      const topics = Object.fromEntries(Array.from({ length: 99 }, (_, i) => [`topic-${i + 1}`, 3]));
      const members = Object.fromEntries(
        Array.from({ length: 49 }, (_, i) => [`member${i + 1}`, { topics: Object.keys(topics), instanceId: null }]),
      );
      const out = uniform.assign({ topics, members, previous: {} });
      const all = Object.values(out).flat();
      holds(new Set(all).size === all.length && all.length === 297, 'every partition assigned exactly once');
      const sizes = Object.values(out).map((ps) => ps.length);
      holds(Math.max(...sizes) - Math.min(...sizes) <= 1, `balanced within one (sizes ${Math.min(...sizes)}..${Math.max(...sizes)})`);
    },
  },
];

/**
 * RangeAssignorTest.testStaticMembership / testMixedStaticMembership: a static member that comes
 * back under a new member id (same instance id) gets the same partitions; so do the others.
 */
function staticRangeCase(method: string, partitions: number, instances: Record<string, string | undefined>): FidelityCase {
  return {
    name: `range, static member back under a new member id keeps its partitions (${Object.keys(instances).length} members)`,
    kafka: `${RANGE}.${method}`,
    area: 'server assignors',
    check: 'exact',
    run() {
      const topics = { topic1: partitions };
      const member = (instanceId: string | undefined) => ({ topics: ['topic1'], instanceId: instanceId ?? null });
      const before = Object.fromEntries(Object.entries(instances).map(([m, i]) => [m, member(i)]));
      const first = serverRange.assign({ topics, members: before, previous: {} });
      const { A: _gone, ...rest } = before;
      const second = serverRange.assign({ topics, members: { ...rest, memberA1: member(instances.A) }, previous: first });
      same(second.memberA1, first.A, 'memberA1 (instanceA)');
      for (const m of Object.keys(rest)) same(second[m], first[m], m);
    },
  };
}

export const serverAssignorsNotPorted: NotPorted[] = [
  ...[
    `${HOMOGENEOUS}.testOneMemberSubscribedToNonexistentTopic`,
    `${HETEROGENEOUS}.testTwoMembersSubscribedToNonexistentTopics`,
    `${RANGE}.testOneMemberSubscribedToNonExistentTopic`,
  ].map((kafka) => ({
    kafka,
    area: 'server assignors' as const,
    reason:
      'Kafka throws PartitionAssignorException for a topic id missing from the metadata; the coordinator resolves subscriptions to existing topic ids first (TopicIds), so the model never hands one to an assignor and skips it instead',
  })),
  {
    kafka: 'rack-aware cases of the server assignors',
    area: 'server assignors',
    reason:
      'none exist in Kafka 4.0: KAFKA-16694 removed the rack-aware code from UniformAssignor and RangeAssignor (group-coordinator); they ignore MemberSubscription.rackId and racksForPartition, and so does the model',
  },
];
