import type { TopicPartition, Topics } from '../types.ts';

/** EAGER or COOPERATIVE, as `ConsumerPartitionAssignor.supportedProtocols()`. */
export type RebalanceProtocol = 'eager' | 'cooperative';

/** One member's `Subscription` as the leader sees it (ConsumerProtocolSubscription v2+). */
export interface MemberSubscription {
  topics: string[];
  /** KIP-429: partitions the member owns when it joins (empty for eager members). */
  ownedPartitions: TopicPartition[];
  /** KIP-792: the generation in which ownedPartitions were obtained, -1 if none. */
  generationId: number;
  /** group.instance.id for static members (KIP-345), null for dynamic ones. */
  groupInstanceId: string | null;
  /** KIP-881: the member's client.rack (ConsumerProtocolSubscription v3), absent when not set. */
  rackId?: string | null;
}

/** The input of `ConsumerPartitionAssignor.assign(metadata, groupSubscription)`. */
export interface AssignInput {
  /** Partition counts from the leader's metadata. */
  topics: Topics;
  /** Member id -> subscription. */
  subscriptions: Record<string, MemberSubscription>;
  /**
   * KIP-881: the racks of each partition's replicas from the leader's metadata
   * (`PartitionInfo.replicas()[i].rack()`), topic -> one list per partition. Absent when the
   * brokers have no racks; assignors that are not rack-aware ignore it.
   */
  partitionRacks?: Record<string, string[][]>;
}

/** Member id -> assigned partitions. */
export type AssignOutput = Record<string, TopicPartition[]>;

export interface Assignor {
  /** The protocol name the member advertises in JoinGroup (e.g. `range`). */
  name: string;
  supportedProtocols: RebalanceProtocol[];
  /**
   * What the assignor promises with identical subscriptions: `global` balance (member counts
   * differ by at most one), `per-topic` balance (range), or none. Checked when the group is stable.
   */
  balance?: 'global' | 'per-topic';
  /** Whether it promises to keep members' valid owned partitions as far as balance allows. */
  sticky?: boolean;
  assign(input: AssignInput): AssignOutput;
}

/**
 * Member ids in Kafka's assignor order: static members by group.instance.id first,
 * then dynamic members by member id (AbstractPartitionAssignor.MemberInfo compareTo).
 */
export function sortedMembers(subscriptions: Record<string, MemberSubscription>): string[] {
  return Object.keys(subscriptions).sort((a, b) => {
    const ia = subscriptions[a].groupInstanceId;
    const ib = subscriptions[b].groupInstanceId;
    if (ia !== null && ib !== null) return ia < ib ? -1 : ia > ib ? 1 : a < b ? -1 : a > b ? 1 : 0;
    if (ia !== null) return -1;
    if (ib !== null) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
