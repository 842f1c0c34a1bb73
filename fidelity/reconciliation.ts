import type { ConsumerGroupMember, MemberState } from '../models/consumer-protocol/coordinator-state.ts';
import { kafkaRules, type ReconcileRules, reconcileStep } from '../models/consumer-protocol/coordinator-state.ts';
import { type FidelityCase, type NotPorted, parts, same } from './case.ts';
import { parseTp } from '../models/types.ts';

// group-coordinator/src/test/java/org/apache/kafka/coordinator/group/modern/consumer/
// CurrentAssignmentBuilderTest: the KIP-848 reconciliation engine, one heartbeat at a time.
// The model's reconcileStep is CurrentAssignmentBuilder.build for one member.

const SOURCE = 'CurrentAssignmentBuilderTest';
type Parts = Record<string, number[]>;

interface Side {
  state: MemberState;
  epoch: number;
  previous: number;
  assigned: Parts;
  pending?: Parts;
}

interface ReconcileSpec {
  method: string;
  name: string;
  member: Side;
  target: [number, Parts];
  /** withCurrentPartitionEpoch: the epoch of the member holding a partition, -1 when free. */
  partitionEpoch: (topic: string, partition: number) => number;
  /** withOwnedTopicPartitions: null when the request did not carry them. Several: each must give `expected`. */
  owned: (Parts | null)[];
  /** The member after the step; `same` means unchanged. */
  expected: Side | 'same';
}

function view(m: ConsumerGroupMember): Side {
  return {
    state: m.state,
    epoch: m.memberEpoch,
    previous: m.previousEpoch,
    assigned: byTopic(m.assigned),
    pending: byTopic(m.pendingRevocation),
  };
}

function byTopic(ps: string[]): Parts {
  const out: Parts = {};
  for (const p of [...ps].sort()) {
    const i = p.lastIndexOf('-');
    (out[p.slice(0, i)] ??= []).push(Number(p.slice(i + 1)));
  }
  for (const t of Object.keys(out)) out[t].sort((a, b) => a - b);
  return out;
}

function reconcileCase(spec: ReconcileSpec): FidelityCase {
  return {
    name: spec.name,
    kafka: `${SOURCE}.${spec.method}`,
    area: 'KIP-848 reconciliation',
    check: 'exact',
    // Kafka's rules by default; a test runs the cases under earlier Kafka's rules to show they tell them apart.
    run(rules: ReconcileRules = kafkaRules) {
      const s = spec.member;
      const member: ConsumerGroupMember = {
        memberId: 'member',
        client: { client: 'c1', inc: 1 },
        instanceId: null,
        memberEpoch: s.epoch,
        previousEpoch: s.previous,
        state: s.state,
        assigned: parts(s.assigned),
        pendingRevocation: parts(s.pending ?? {}),
        topics: ['topic1', 'topic2'],
        assignor: null,
        rebalanceTimeoutMs: 30_000,
        rebalanceEpoch: null,
        classic: null,
      };
      const [epoch, target] = spec.target;
      const held = (p: string) => {
        const { topic, partition } = parseTp(p);
        return spec.partitionEpoch(topic, partition) !== -1;
      };
      for (const owned of spec.owned) {
        const next = reconcileStep(member, parts(target), epoch, owned === null ? null : parts(owned), held, rules);
        const expected = spec.expected === 'same' ? view(member) : { pending: {}, ...spec.expected };
        same(view(next), expected, `owned ${owned === null ? 'null' : JSON.stringify(owned)}`);
      }
    },
  };
}

const mine = { topic1: [1, 2, 3], topic2: [4, 5, 6] };
const held = () => 10;
const free = () => -1;
const ownsKept = { topic1: [2, 3], topic2: [5, 6] };

export const reconciliationCases: FidelityCase[] = [
  reconcileCase({
    method: 'testStableToStable',
    name: 'stable, new epoch with the same partitions: moves to the target epoch',
    member: { state: 'stable', epoch: 10, previous: 10, assigned: mine },
    target: [11, mine],
    partitionEpoch: held,
    owned: [null],
    expected: { state: 'stable', epoch: 11, previous: 10, assigned: mine },
  }),
  reconcileCase({
    method: 'testStableToStableWithNewPartitions',
    name: 'stable, new free partitions: assigned at once, target epoch',
    member: { state: 'stable', epoch: 10, previous: 10, assigned: mine },
    target: [11, { topic1: [1, 2, 3, 4], topic2: [4, 5, 6, 7] }],
    partitionEpoch: free,
    owned: [null],
    expected: { state: 'stable', epoch: 11, previous: 10, assigned: { topic1: [1, 2, 3, 4], topic2: [4, 5, 6, 7] } },
  }),
  reconcileCase({
    method: 'testStableToUnrevokedPartitions',
    name: 'stable, partitions to revoke: keeps its epoch and waits (UNREVOKED_PARTITIONS)',
    member: { state: 'stable', epoch: 10, previous: 10, assigned: mine },
    target: [11, { topic1: [2, 3, 4], topic2: [5, 6, 7] }],
    partitionEpoch: free,
    owned: [null],
    expected: { state: 'unrevoked', epoch: 10, previous: 10, assigned: ownsKept, pending: { topic1: [1], topic2: [4] } },
  }),
  reconcileCase({
    method: 'testStableToUnreleasedPartitions',
    name: 'stable, new partitions still held elsewhere: target epoch, UNRELEASED_PARTITIONS',
    member: { state: 'stable', epoch: 10, previous: 10, assigned: mine },
    target: [11, { topic1: [1, 2, 3, 4], topic2: [4, 5, 6, 7] }],
    partitionEpoch: held,
    owned: [null],
    expected: { state: 'unreleased', epoch: 11, previous: 10, assigned: mine },
  }),
  reconcileCase({
    method: 'testStableToUnreleasedPartitionsWithOwnedPartitionsNotHavingRevokedPartitions',
    name: 'stable, revoked partition already not owned: no wait for it; the held one is unreleased',
    member: { state: 'stable', epoch: 10, previous: 10, assigned: mine },
    target: [11, { topic1: [1, 2, 3], topic2: [4, 5, 7] }],
    partitionEpoch: (t) => (t === 'topic2' ? 10 : -1),
    owned: [{}],
    expected: { state: 'unreleased', epoch: 11, previous: 10, assigned: { topic1: [1, 2, 3], topic2: [4, 5] } },
  }),
  reconcileCase({
    method: 'testUnrevokedPartitionsToStable',
    name: 'revocation acknowledged, nothing else to do: stable at the target epoch',
    member: { state: 'unrevoked', epoch: 10, previous: 10, assigned: ownsKept, pending: { topic1: [1], topic2: [4] } },
    target: [11, ownsKept],
    partitionEpoch: free,
    owned: [ownsKept],
    expected: { state: 'stable', epoch: 11, previous: 10, assigned: ownsKept },
  }),
  reconcileCase({
    method: 'testRemainsInUnrevokedPartitions',
    name: 'revocation not acknowledged (owned missing, or still listing a revoked partition): unchanged',
    member: { state: 'unrevoked', epoch: 10, previous: 10, assigned: ownsKept, pending: { topic1: [1], topic2: [4] } },
    target: [12, { topic1: [3], topic2: [6] }],
    partitionEpoch: free,
    owned: [null, { topic1: [1, 2, 3], topic2: [5, 6] }, { topic1: [2, 3], topic2: [4, 5, 6] }],
    expected: 'same',
  }),
  reconcileCase({
    method: 'testUnrevokedPartitionsToUnrevokedPartitions',
    // KAFKA-19974 (Kafka 4.2 on; 4.0 expected epoch 11 here): the member stays at its epoch.
    name: 'revocation acknowledged while the newer target revokes more: same epoch, UNREVOKED_PARTITIONS again',
    member: { state: 'unrevoked', epoch: 10, previous: 10, assigned: ownsKept, pending: { topic1: [1], topic2: [4] } },
    target: [12, { topic1: [3], topic2: [6] }],
    partitionEpoch: free,
    owned: [ownsKept],
    expected: {
      state: 'unrevoked',
      epoch: 10,
      previous: 10,
      assigned: { topic1: [3], topic2: [6] },
      pending: { topic1: [2], topic2: [5] },
    },
  }),
  reconcileCase({
    method: 'testUnrevokedPartitionsToUnreleasedPartitions',
    name: 'revocation acknowledged, new partitions held elsewhere: UNRELEASED_PARTITIONS at the target epoch',
    member: { state: 'unrevoked', epoch: 11, previous: 10, assigned: ownsKept },
    target: [11, { topic1: [2, 3, 4], topic2: [5, 6, 7] }],
    partitionEpoch: held,
    owned: [ownsKept],
    expected: { state: 'unreleased', epoch: 11, previous: 11, assigned: ownsKept },
  }),
  reconcileCase({
    // KAFKA-19449 (Kafka 4.2 on): partition 4, which the member itself was revoking, is back in
    // the target; it still carries the member's epoch, but it is not "unreleased".
    method: 'testUnrevokedPartitionsToStableWithReturnedPartitionsPendingRevocation',
    name: 'revocation acknowledged, a partition it revoked is back in the target: assigned at once, stable',
    member: { state: 'unrevoked', epoch: 10, previous: 10, assigned: ownsKept, pending: { topic1: [4] } },
    target: [12, { topic1: [2, 3, 4], topic2: [5, 6, 7] }],
    partitionEpoch: (topic, partition) => ((topic === 'topic1' ? [2, 3, 4] : [5, 6]).includes(partition) ? 10 : -1),
    owned: [ownsKept],
    expected: { state: 'stable', epoch: 12, previous: 10, assigned: { topic1: [2, 3, 4], topic2: [5, 6, 7] } },
  }),
  reconcileCase({
    method: 'testUnreleasedPartitionsToStable',
    name: 'unreleased, newer target with what it has: stable at the new epoch',
    member: { state: 'unreleased', epoch: 11, previous: 11, assigned: ownsKept },
    target: [12, ownsKept],
    partitionEpoch: held,
    owned: [null],
    expected: { state: 'stable', epoch: 12, previous: 11, assigned: ownsKept },
  }),
  reconcileCase({
    method: 'testUnreleasedPartitionsToStableWithNewPartitions',
    name: 'unreleased partitions freed: assigned, stable',
    member: { state: 'unreleased', epoch: 11, previous: 11, assigned: ownsKept },
    target: [11, { topic1: [2, 3, 4], topic2: [5, 6, 7] }],
    partitionEpoch: free,
    owned: [null],
    expected: { state: 'stable', epoch: 11, previous: 11, assigned: { topic1: [2, 3, 4], topic2: [5, 6, 7] } },
  }),
  reconcileCase({
    method: 'testUnreleasedPartitionsToUnreleasedPartitions',
    name: 'unreleased partitions still held: unchanged',
    member: { state: 'unreleased', epoch: 11, previous: 11, assigned: ownsKept },
    target: [11, { topic1: [2, 3, 4], topic2: [5, 6, 7] }],
    partitionEpoch: held,
    owned: [null],
    expected: 'same',
  }),
  reconcileCase({
    method: 'testUnreleasedPartitionsToUnrevokedPartitions',
    name: 'unreleased, newer target revokes: keeps its epoch, UNREVOKED_PARTITIONS',
    member: { state: 'unreleased', epoch: 11, previous: 11, assigned: ownsKept },
    target: [12, { topic1: [3], topic2: [6] }],
    partitionEpoch: held,
    owned: [null],
    expected: {
      state: 'unrevoked',
      epoch: 11,
      previous: 11,
      assigned: { topic1: [3], topic2: [6] },
      pending: { topic1: [2], topic2: [5] },
    },
  }),
];

export const reconciliationNotPorted: NotPorted[] = [
  {
    kafka: `${SOURCE}.testUnknownState`,
    area: 'KIP-848 reconciliation',
    reason: 'MemberState.UNKNOWN exists only for a coordinator downgraded below a newer state; the model has the three real states',
  },
];
