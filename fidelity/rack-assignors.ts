import { cooperativeAdjust } from '../models/assignors/cooperative-sticky.ts';
import { rangeAssignor } from '../models/assignors/range.ts';
import { useRackAwareAssignment } from '../models/assignors/racks.ts';
import { stickyAssign } from '../models/assignors/sticky-engine.ts';
import type { AssignInput, AssignOutput } from '../models/assignors/types.ts';
import { type FidelityCase, holds, type NotPorted, same } from './case.ts';
import { javaStringOrder } from './java-order.ts';

// KIP-881 rack-aware cases of the client assignors (clients/src/test/java/.../consumer/):
// RangeAssignorTest, AbstractStickyAssignorTest (run by StickyAssignorTest and
// CooperativeStickyAssignorTest) and AbstractPartitionAssignorTest. Each case carries over one
// test's calls of `verifyRackAssignment`: topics, replication factor, broker racks, consumer racks,
// subscriptions, owned partitions, the expected assignment and the expected number of partitions
// off their consumer's rack (-1: not checked). Partition replicas are placed as Kafka's test
// helper places them: partition i of a topic on brokers (i + j + offset) mod brokers, j below the
// replication factor, the offset growing by each earlier topic's partition count (topics in the
// order the test lists them, as `mkMap` keeps it).

const RANGE = 'RangeAssignorTest (clients)';
const ABSTRACT = 'AbstractStickyAssignorTest';
const RACKS = ['a', 'b', 'c', 'd', 'e', 'f'];
/** AbstractPartitionAssignorTest.racks(n) and nullRacks(n). */
const racks = (n: number): (string | null)[] => Array.from({ length: n }, (_, i) => RACKS[i % RACKS.length]);
const nullRacks = (n: number): (string | null)[] => Array.from({ length: n }, () => null);

interface RackCall {
  topics: [string, number][];
  rf: number;
  brokerRacks: (string | null)[];
  consumerRacks: (string | null)[];
  consumerTopics: string[][];
  owned?: string[] | null;
  expected: string[];
  mismatches: number;
  prefer?: boolean;
}

const list = (s: string): string[] => (s === '' ? [] : s.split(', '));

/** The assignor input of one `verifyRackAssignment` call (consumers consumer0..N-1). */
function rackInput(c: RackCall, ownedCounts = true): AssignInput {
  const partitionRacks: Record<string, string[][]> = {};
  let offset = 0;
  for (const [t, n] of c.topics) {
    partitionRacks[t] = Array.from({ length: n }, (_, i) => {
      const rs = Array.from({ length: c.rf }, (_, j) => c.brokerRacks[(i + j + offset) % c.brokerRacks.length]);
      return [...new Set(rs.filter((r): r is string => r !== null))];
    });
    offset += n;
  }
  const subscriptions = Object.fromEntries(
    c.consumerTopics.map((topics, i) => [
      `consumer${i}`,
      {
        topics,
        ownedPartitions: ownedCounts ? list(c.owned?.[i] ?? '') : [],
        generationId: -1,
        groupInstanceId: null,
        rackId: c.consumerRacks[i],
      },
    ]),
  );
  return { topics: Object.fromEntries(c.topics), subscriptions, partitionRacks };
}

/** Compares an assignment with the call's expectations, the rack mismatches included. */
function verify(c: RackCall, input: AssignInput, out: AssignOutput, what: string): void {
  const members = Object.keys(input.subscriptions);
  same(
    members.map((m) => [...(out[m] ?? [])].sort().join(', ')),
    c.expected,
    what,
  );
  if (c.mismatches < 0) return;
  let off = 0;
  for (const m of members) {
    const rack = input.subscriptions[m].rackId;
    if (!rack) continue;
    for (const p of out[m] ?? []) {
      const i = p.lastIndexOf('-');
      if (!input.partitionRacks![p.slice(0, i)][Number(p.slice(i + 1))].includes(rack)) off++;
    }
  }
  holds(off === c.mismatches, `${what}: ${off} partitions off their consumer's rack, Kafka's test expects ${c.mismatches}`);
}

function rackCase(area: string, method: string, name: string, calls: RackCall[], run: (c: RackCall) => void): FidelityCase {
  return { name, kafka: `${area}.${method}`, area: 'client assignors', check: 'exact', run: () => calls.forEach(run) };
}

const runRange = (c: RackCall): void => {
  const input = rackInput(c);
  verify(c, input, rangeAssignor(c.prefer).assign(input), `range rf=${c.rf} brokers=${c.brokerRacks} consumers=${c.consumerRacks}`);
};

/** The sticky engine in Kafka's HashMap order of consumer0..N-1 (fidelity/java-order.ts). */
const sticky = (input: AssignInput, prefer = false) => stickyAssign(input, javaStringOrder(Object.keys(input.subscriptions)), prefer);
/** StickyAssignor reads owned partitions from user data, which these tests leave null: none. */
const runSticky = (c: RackCall): void => {
  const input = rackInput(c, false);
  verify(c, input, Object.fromEntries(sticky(input, c.prefer).assignment), `sticky rf=${c.rf} consumers=${c.consumerRacks}`);
};
const runCoop = (c: RackCall): void => {
  const input = rackInput(c);
  verify(c, input, cooperativeAdjust(input, sticky(input, c.prefer)), `cooperative-sticky rf=${c.rf} consumers=${c.consumerRacks}`);
};

/** RangeAssignorTest.verifyNonRackAwareAssignment: every combination where racks change nothing. */
function nonRackAware(base: Omit<RackCall, 'rf' | 'brokerRacks' | 'consumerRacks' | 'mismatches'>): RackCall[] {
  return [
    { ...base, rf: 3, brokerRacks: nullRacks(3), consumerRacks: racks(3), mismatches: -1 },
    { ...base, rf: 3, brokerRacks: racks(3), consumerRacks: nullRacks(3), mismatches: -1 },
    { ...base, rf: 3, brokerRacks: racks(3), consumerRacks: racks(3), mismatches: 0 },
    { ...base, rf: 4, brokerRacks: racks(4), consumerRacks: racks(3), mismatches: 0 },
    { ...base, rf: 3, brokerRacks: racks(3), consumerRacks: ['d', 'e', 'f'], mismatches: -1 },
    { ...base, rf: 3, brokerRacks: racks(3), consumerRacks: [null, 'e', 'f'], mismatches: -1 },
    { ...base, rf: 3, brokerRacks: racks(3), consumerRacks: racks(3), mismatches: 0, prefer: true },
  ];
}

const T1T2T3: [string, number][] = [
  ['t1', 6],
  ['t2', 7],
  ['t3', 2],
];
const FIVES: [string, number][] = [
  ['t1', 5],
  ['t2', 5],
  ['t3', 5],
];
const all3 = ['t1', 't2', 't3'];
const uniform3 = [all3, all3, all3];
const nonEqual3 = [all3, all3, ['t1', 't3']];
const r3 = { brokerRacks: racks(3), consumerRacks: racks(3) };

const rangeCases: FidelityCase[] = [
  rackCase(
    RANGE,
    'testRackAwareAssignmentWithUniformSubscription',
    'range, racks: uniform subscriptions',
    [
      ...nonRackAware({
        topics: T1T2T3,
        consumerTopics: uniform3,
        expected: ['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0', 't1-2, t1-3, t2-3, t2-4, t3-1', 't1-4, t1-5, t2-5, t2-6'],
      }),
      {
        topics: T1T2T3,
        rf: 1,
        ...r3,
        consumerTopics: uniform3,
        expected: ['t1-0, t1-3, t2-0, t2-3, t2-6', 't1-1, t1-4, t2-1, t2-4, t3-0', 't1-2, t1-5, t2-2, t2-5, t3-1'],
        mismatches: 0,
      },
      {
        topics: T1T2T3,
        rf: 2,
        ...r3,
        consumerTopics: uniform3,
        expected: ['t1-0, t1-2, t2-0, t2-2, t2-3, t3-1', 't1-1, t1-3, t2-1, t2-4, t3-0', 't1-4, t1-5, t2-5, t2-6'],
        mismatches: 1,
      },
      {
        topics: T1T2T3,
        rf: 3,
        brokerRacks: racks(2),
        consumerRacks: racks(3),
        consumerTopics: uniform3,
        expected: ['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0', 't1-2, t1-3, t2-3, t2-4, t3-1', 't1-4, t1-5, t2-5, t2-6'],
        mismatches: 4,
      },
    ],
    runRange,
  ),
  rackCase(
    RANGE,
    'testRackAwareAssignmentWithNonEqualSubscription',
    'range, racks: different subscriptions',
    [
      ...nonRackAware({
        topics: T1T2T3,
        consumerTopics: nonEqual3,
        expected: ['t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0', 't1-2, t1-3, t2-4, t2-5, t2-6, t3-1', 't1-4, t1-5'],
      }),
      {
        topics: T1T2T3,
        rf: 1,
        ...r3,
        consumerTopics: nonEqual3,
        expected: ['t1-0, t1-3, t2-0, t2-2, t2-3, t2-6', 't1-1, t1-4, t2-1, t2-4, t2-5, t3-0', 't1-2, t1-5, t3-1'],
        mismatches: 2,
      },
      {
        topics: T1T2T3,
        rf: 2,
        ...r3,
        consumerTopics: nonEqual3,
        expected: ['t1-0, t1-2, t2-0, t2-2, t2-3, t2-5, t3-1', 't1-1, t1-3, t2-1, t2-4, t2-6, t3-0', 't1-4, t1-5'],
        mismatches: 0,
      },
      {
        topics: T1T2T3,
        rf: 3,
        brokerRacks: racks(2),
        consumerRacks: racks(3),
        consumerTopics: nonEqual3,
        expected: ['t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0', 't1-2, t1-3, t2-4, t2-5, t2-6, t3-1', 't1-4, t1-5'],
        mismatches: 2,
      },
    ],
    runRange,
  ),
  rackCase(
    RANGE,
    'testRackAwareAssignmentWithUniformPartitions',
    'range, racks: co-partitioning before rack alignment',
    (() => {
      const expected = ['t1-0, t1-1, t2-0, t2-1, t3-0, t3-1', 't1-2, t1-3, t2-2, t2-3, t3-2, t3-3', 't1-4, t2-4, t3-4'];
      return [
        ...nonRackAware({ topics: FIVES, consumerTopics: uniform3, expected }),
        { topics: FIVES, rf: 1, ...r3, consumerTopics: uniform3, expected, mismatches: 10 },
        { topics: FIVES, rf: 2, ...r3, consumerTopics: uniform3, expected, mismatches: 5 },
        { topics: FIVES, rf: 3, brokerRacks: racks(2), consumerRacks: racks(3), consumerTopics: uniform3, expected, mismatches: 3 },
      ];
    })(),
    runRange,
  ),
  rackCase(
    RANGE,
    'testRackAwareAssignmentWithUniformPartitionsNonEqualSubscription',
    'range, racks: co-partitioning among equal subscribers',
    [
      ...nonRackAware({
        topics: FIVES,
        consumerTopics: nonEqual3,
        expected: ['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1', 't1-2, t1-3, t2-3, t2-4, t3-2, t3-3', 't1-4, t3-4'],
      }),
      {
        topics: FIVES,
        rf: 1,
        ...r3,
        consumerTopics: nonEqual3,
        expected: ['t1-0, t1-1, t2-0, t2-1, t2-4, t3-0, t3-1', 't1-2, t1-3, t2-2, t2-3, t3-2, t3-3', 't1-4, t3-4'],
        mismatches: 9,
      },
      {
        topics: FIVES,
        rf: 2,
        ...r3,
        consumerTopics: nonEqual3,
        expected: ['t1-2, t2-0, t2-1, t2-3, t3-2', 't1-0, t1-3, t2-2, t2-4, t3-0, t3-3', 't1-1, t1-4, t3-1, t3-4'],
        mismatches: 0,
      },
      {
        topics: FIVES,
        rf: 3,
        brokerRacks: racks(2),
        consumerRacks: racks(3),
        consumerTopics: nonEqual3,
        expected: ['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1', 't1-2, t1-3, t2-3, t2-4, t3-2, t3-3', 't1-4, t3-4'],
        mismatches: 2,
      },
    ],
    runRange,
  ),
  rackCase(
    RANGE,
    'testRackAwareAssignmentWithCoPartitioning',
    'range, racks: co-partitioned topic groups',
    (() => {
      const topics: [string, number][] = [
        ['t1', 6],
        ['t2', 6],
        ['t3', 2],
        ['t4', 2],
      ];
      const consumerRacks = ['a', 'b', 'b', 'a'];
      const split = [
        ['t1', 't2'],
        ['t1', 't2'],
        ['t3', 't4'],
        ['t3', 't4'],
      ];
      const splitPlain = ['t1-0, t1-1, t1-2, t2-0, t2-1, t2-2', 't1-3, t1-4, t1-5, t2-3, t2-4, t2-5', 't3-0, t4-0', 't3-1, t4-1'];
      const all4 = ['t1', 't2', 't3', 't4'];
      const allT = [all4, all4, all4, all4];
      const allPlain = ['t1-0, t1-1, t2-0, t2-1, t3-0, t4-0', 't1-2, t1-3, t2-2, t2-3, t3-1, t4-1', 't1-4, t2-4', 't1-5, t2-5'];
      const b2 = { brokerRacks: racks(2), consumerRacks };
      return [
        { topics, rf: 3, ...b2, consumerTopics: split, expected: splitPlain, mismatches: -1 },
        { topics, rf: 2, ...b2, consumerTopics: split, expected: splitPlain, mismatches: 0 },
        {
          topics,
          rf: 1,
          ...b2,
          consumerTopics: split,
          expected: ['t1-0, t1-2, t1-4, t2-0, t2-2, t2-4', 't1-1, t1-3, t1-5, t2-1, t2-3, t2-5', 't3-1, t4-1', 't3-0, t4-0'],
          mismatches: 0,
        },
        { topics, rf: 3, ...b2, consumerTopics: allT, expected: allPlain, mismatches: -1 },
        { topics, rf: 2, ...b2, consumerTopics: allT, expected: allPlain, mismatches: 0 },
        {
          topics,
          rf: 1,
          ...b2,
          consumerTopics: allT,
          expected: ['t1-0, t1-2, t2-0, t2-2, t3-0, t4-0', 't1-1, t1-3, t2-1, t2-3, t3-1, t4-1', 't1-5, t2-5', 't1-4, t2-4'],
          mismatches: 0,
        },
        {
          topics,
          rf: 1,
          brokerRacks: racks(3),
          consumerRacks,
          consumerTopics: allT,
          expected: ['t1-0, t1-3, t2-0, t2-3, t3-0, t4-0', 't1-1, t1-4, t2-1, t2-4, t3-1, t4-1', 't1-2, t2-2', 't1-5, t2-5'],
          mismatches: 6,
        },
      ];
    })(),
    runRange,
  ),
  rackCase(
    RANGE,
    'testCoPartitionedAssignmentWithSameSubscription',
    'range, racks: co-partitioned groups of different sizes',
    (() => {
      const topics: [string, number][] = [
        ['t1', 6],
        ['t2', 6],
        ['t3', 2],
        ['t4', 2],
        ['t5', 4],
        ['t6', 4],
      ];
      const subs = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
      const consumerTopics = [subs, subs, subs];
      const plain = [
        't1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1',
        't1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2',
        't1-4, t1-5, t2-4, t2-5, t5-3, t6-3',
      ];
      return [
        { topics, rf: 3, brokerRacks: nullRacks(3), consumerRacks: racks(3), consumerTopics, expected: plain, mismatches: -1 },
        { topics, rf: 3, ...r3, consumerTopics, expected: plain, mismatches: 0, prefer: true },
        {
          topics,
          rf: 2,
          ...r3,
          consumerTopics,
          expected: [
            't1-0, t1-2, t2-0, t2-2, t3-0, t4-0, t5-1, t6-1',
            't1-1, t1-3, t2-1, t2-3, t3-1, t4-1, t5-2, t6-2',
            't1-4, t1-5, t2-4, t2-5, t5-0, t5-3, t6-0, t6-3',
          ],
          mismatches: 0,
          prefer: true,
        },
      ];
    })(),
    runRange,
  ),
  {
    name: 'range, racks: static members keep their ranges when member ids change',
    kafka: `${RANGE}.testRackAwareStaticMemberRangeAssignmentPersistentAfterMemberIdChanges`,
    area: 'client assignors',
    check: 'exact',
    run() {
      // partitionInfos(topic, 5, rf 2, 3 broker racks, 0): six brokers on racks a,b,c,a,b,c.
      const replicas = Array.from({ length: 5 }, (_, i) => [...new Set([0, 1].map((j) => 'abcabc'[(i + j) % 6]))]);
      const partitionRacks = { topic1: replicas, topic2: replicas };
      const sub = (instance: string, rack: string) => ({
        topics: ['topic1', 'topic2'],
        ownedPartitions: [],
        generationId: -1,
        groupInstanceId: instance,
        rackId: rack,
      });
      const byInstance = (ids: Record<string, string>) => {
        const subscriptions = Object.fromEntries(
          Object.entries(ids).map(([m, i]) => [m, sub(i, { instance1: 'a', instance2: 'b', instance3: 'c' }[i]!)]),
        );
        const out = rangeAssignor().assign({ topics: { topic1: 5, topic2: 5 }, subscriptions, partitionRacks });
        return Object.fromEntries(Object.entries(ids).map(([m, i]) => [i, out[m]]));
      };
      const first = byInstance({ consumer1: 'instance1', consumer2: 'instance2', consumer3: 'instance3' });
      same(first, {
        instance1: ['topic1-0', 'topic1-2', 'topic2-0', 'topic2-2'],
        instance2: ['topic1-1', 'topic1-3', 'topic2-1', 'topic2-3'],
        instance3: ['topic1-4', 'topic2-4'],
      });
      same(byInstance({ consumer1: 'instance1', consumer5: 'instance2', consumer4: 'instance3' }), first, 'after the member ids changed');
    },
  },
];

const stickyUniform = (owned: string[] | null) => ({ topics: T1T2T3, consumerTopics: uniform3, owned }) as const;
const ALIGNED = ['t1-0, t1-3, t2-0, t2-3, t2-6', 't1-1, t1-4, t2-1, t2-4, t3-0', 't1-2, t1-5, t2-2, t2-5, t3-1'];
const MISALIGNED_OWNED = ['t1-0, t1-1, t1-2, t1-3, t1-4', 't1-5, t2-0, t2-1, t2-2, t2-3', 't2-4, t2-5, t2-6, t3-0, t3-1'];

/**
 * AbstractStickyAssignorTest.verifyUniformSubscription / verifyNonEqualSubscription: each call
 * twice, once from nothing and once with the expected assignment already owned.
 */
const twice = (c: Omit<RackCall, 'owned'>): RackCall[] => [
  { ...c, owned: null },
  { ...c, owned: c.expected },
];
const sharedCalls = (consumerTopics: string[][], expected: string[]) => {
  const base = { topics: T1T2T3, consumerTopics, expected };
  return [
    ...twice({ ...base, rf: 3, brokerRacks: nullRacks(3), consumerRacks: racks(3), mismatches: -1 }),
    ...twice({ ...base, rf: 3, brokerRacks: racks(3), consumerRacks: nullRacks(3), mismatches: -1 }),
    ...twice({ ...base, rf: 3, ...r3, mismatches: 0, prefer: true }),
    ...twice({ ...base, rf: 4, brokerRacks: racks(4), consumerRacks: racks(3), mismatches: 0, prefer: true }),
    ...twice({ ...base, rf: 3, ...r3, mismatches: 0 }),
    ...twice({ ...base, rf: 3, brokerRacks: racks(3), consumerRacks: ['d', 'e', 'f'], mismatches: -1 }),
    ...twice({ ...base, rf: 3, brokerRacks: racks(3), consumerRacks: [null, 'e', 'f'], mismatches: -1 }),
  ];
};

const uniformCalls: RackCall[] = [
  ...sharedCalls(uniform3, ALIGNED),
  ...twice({ ...stickyUniform(null), rf: 1, ...r3, expected: ALIGNED, mismatches: 0 }),
  ...twice({ ...stickyUniform(null), rf: 2, ...r3, expected: ALIGNED, mismatches: 0 }),
  ...twice({ ...stickyUniform(null), rf: 3, brokerRacks: racks(2), consumerRacks: racks(3), expected: ALIGNED, mismatches: 5 }),
];
const NONEQUAL_PLAIN = ['t1-5, t2-0, t2-2, t2-4, t2-6', 't1-3, t2-1, t2-3, t2-5, t3-0', 't1-0, t1-1, t1-2, t1-4, t3-1'];
const nonEqualCalls: RackCall[] = [
  ...sharedCalls(nonEqual3, NONEQUAL_PLAIN),
  ...twice({
    topics: T1T2T3,
    consumerTopics: nonEqual3,
    rf: 1,
    ...r3,
    expected: ['t1-3, t2-0, t2-2, t2-3, t2-6', 't1-4, t2-1, t2-4, t2-5, t3-0', 't1-0, t1-1, t1-2, t1-5, t3-1'],
    mismatches: 4,
  }),
  ...twice({
    topics: T1T2T3,
    consumerTopics: nonEqual3,
    rf: 2,
    ...r3,
    expected: ['t1-3, t2-0, t2-2, t2-5, t2-6', 't1-0, t2-1, t2-3, t2-4, t3-0', 't1-1, t1-2, t1-4, t1-5, t3-1'],
    mismatches: 0,
  }),
  ...twice({
    topics: T1T2T3,
    consumerTopics: nonEqual3,
    rf: 3,
    brokerRacks: racks(2),
    consumerRacks: racks(3),
    expected: NONEQUAL_PLAIN,
    mismatches: 5,
  }),
];
const NONEQUAL_RACK1 = ['t1-3, t2-0, t2-2, t2-3, t2-6', 't1-4, t2-1, t2-4, t2-5, t3-0', 't1-0, t1-1, t1-2, t1-5, t3-1'];

const stickyCases: FidelityCase[] = [
  rackCase(
    ABSTRACT,
    'testRackAwareAssignmentWithUniformSubscription (StickyAssignorTest)',
    'sticky, racks: uniform subscriptions',
    [
      ...uniformCalls,
      // Owned partitions off their racks: StickyAssignor ignores them (no user data).
      { ...stickyUniform(MISALIGNED_OWNED), rf: 1, ...r3, expected: ALIGNED, mismatches: 0 },
      { ...stickyUniform(ALIGNED), rf: 3, ...r3, expected: ALIGNED, mismatches: 0, prefer: true },
    ],
    runSticky,
  ),
  rackCase(
    ABSTRACT,
    'testRackAwareAssignmentWithUniformSubscription (CooperativeStickyAssignorTest)',
    'cooperative-sticky, racks: uniform subscriptions, misaligned owned partitions given up',
    [
      ...uniformCalls,
      { ...stickyUniform(MISALIGNED_OWNED), rf: 1, ...r3, expected: ['t1-0, t1-3', 't2-1', 't2-5, t3-1'], mismatches: 0 },
      { ...stickyUniform(ALIGNED), rf: 3, ...r3, expected: ALIGNED, mismatches: 0, prefer: true },
    ],
    runCoop,
  ),
  rackCase(
    ABSTRACT,
    'testRackAwareAssignmentWithNonEqualSubscription (StickyAssignorTest)',
    'sticky, racks: different subscriptions',
    [
      ...nonEqualCalls,
      { topics: T1T2T3, consumerTopics: nonEqual3, owned: MISALIGNED_OWNED, rf: 1, ...r3, expected: NONEQUAL_RACK1, mismatches: 4 },
      { topics: T1T2T3, consumerTopics: nonEqual3, owned: MISALIGNED_OWNED, rf: 3, ...r3, expected: NONEQUAL_PLAIN, mismatches: 0 },
      {
        topics: T1T2T3,
        consumerTopics: nonEqual3,
        owned: MISALIGNED_OWNED,
        rf: 3,
        ...r3,
        expected: NONEQUAL_PLAIN,
        mismatches: 0,
        prefer: true,
      },
    ],
    runSticky,
  ),
  rackCase(
    ABSTRACT,
    'testRackAwareAssignmentWithNonEqualSubscription (CooperativeStickyAssignorTest)',
    'cooperative-sticky, racks: different subscriptions, two rounds',
    (() => {
      const intermediate1 = ['t1-3', 't2-1', 't3-1'];
      const intermediate3 = ['t1-2, t1-3, t1-4', 't2-0, t2-1, t2-2, t2-3', 't3-0, t3-1'];
      const final3 = ['t1-2, t1-3, t1-4, t2-4, t2-5', 't2-0, t2-1, t2-2, t2-3, t2-6', 't1-0, t1-1, t1-5, t3-0, t3-1'];
      const base = { topics: T1T2T3, consumerTopics: nonEqual3, ...r3 };
      return [
        ...nonEqualCalls,
        { ...base, owned: MISALIGNED_OWNED, rf: 1, expected: intermediate1, mismatches: 0 },
        { ...base, owned: intermediate1, rf: 1, expected: NONEQUAL_RACK1, mismatches: 4 },
        { ...base, owned: MISALIGNED_OWNED, rf: 3, expected: intermediate3, mismatches: 0 },
        { ...base, owned: intermediate3, rf: 3, expected: final3, mismatches: 0 },
        { ...base, owned: MISALIGNED_OWNED, rf: 3, expected: intermediate3, mismatches: 0, prefer: true },
        { ...base, owned: intermediate3, rf: 3, expected: final3, mismatches: 0, prefer: true },
      ];
    })(),
    runCoop,
  ),
];

export const rackAssignorCases: FidelityCase[] = [
  {
    name: 'useRackAwareAssignment: only when racks overlap and partitions differ in racks',
    kafka: 'AbstractPartitionAssignorTest.testUseRackAwareAssignment',
    area: 'client assignors',
    check: 'exact',
    run() {
      const abc = ['a', 'b', 'c'];
      const onAll = new Map(Array.from({ length: 10 }, (_, i) => [`topic-${i}`, new Set(abc)]));
      const onSubset = new Map(Array.from({ length: 10 }, (_, i) => [`topic-${i}`, new Set([abc[i % 3]])]));
      const cases: [string[], Map<string, Set<string>>, boolean, boolean][] = [
        // consumer racks, partition racks, expected, expected with preferRackAwareLogic
        [[], onAll, false, false],
        [abc, new Map(), false, false],
        [['d'], onAll, false, false],
        [abc, onAll, false, true],
        [['a', 'b'], onAll, false, true],
        [['a', 'd'], onAll, false, true],
        [abc, onSubset, true, true],
        [['a', 'b'], onSubset, true, true],
        [['a', 'd'], onSubset, true, true],
      ];
      for (const [consumers, partitions, plain, preferred] of cases) {
        same(useRackAwareAssignment(new Set(consumers), partitions), plain, `consumers [${consumers}]`);
        same(useRackAwareAssignment(new Set(consumers), partitions, true), preferred, `consumers [${consumers}], preferRackAwareLogic`);
      }
    },
  },
  ...rangeCases,
  ...stickyCases,
];

export const rackAssignorsNotPorted: NotPorted[] = [
  {
    kafka: `${ABSTRACT}, ${RANGE}: the RackConfig-parameterised variants of the non-rack tests`,
    area: 'client assignors',
    reason:
      'they assert the same outputs with and without racks where every partition has replicas on every rack (useRackAwareAssignment is false); the testUseRackAwareAssignment case and the non-rack-aware calls above cover that rule',
  },
];
