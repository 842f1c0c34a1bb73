import type { Endpoint } from '../classic/messages.ts';
import { omit } from '../records.ts';
import type { TopicPartition, Topics } from '../types.ts';
import type { CoordinatorContext as ClassicGroupContext } from '../classic/coordinator-state.ts';
import type { ClassicRequest } from '../classic/messages.ts';
import type { ConsumerGroupHeartbeatRequest, ConsumerOffsetCommitRequest } from './messages.ts';
import type { MigrationPolicy } from './migration-policy.ts';

// The KIP-848 group coordinator's data (ConsumerGroup / ConsumerGroupMember in Kafka's
// group-coordinator module) and the pure helpers its named actions are built from.

/** ConsumerGroupMember.state (MemberState on the server). */
export type MemberState = 'stable' | 'unrevoked' | 'unreleased';

export interface ConsumerGroupMember {
  memberId: string;
  client: Endpoint;
  instanceId: string | null;
  /** Epoch of the assignment the member was moved to; 0 joining, -2 static member away. */
  memberEpoch: number;
  previousEpoch: number;
  state: MemberState;
  /** Partitions the member may own now (what the coordinator sends it). */
  assigned: TopicPartition[];
  /** Partitions it still holds but must give up. */
  pendingRevocation: TopicPartition[];
  topics: string[];
  /** SubscribedTopicRegex (KIP-848 server-side regex); absent for a member subscribed by names only. */
  regex?: string;
  assignor: string | null;
  rebalanceTimeoutMs: number;
  /** The member epoch its rebalance (revocation) timer was armed at, if armed. */
  rebalanceEpoch: number | null;
  /**
   * ConsumerGroupMember.classicMemberMetadata: set for a member that speaks the classic protocol
   * (JoinGroup/SyncGroup/Heartbeat) inside this consumer group, null for a KIP-848 member.
   */
  classic: ClassicMemberMetadata | null;
}

/** What a classic member brought in its JoinGroup: its session timeout and its assignor names. */
export interface ClassicMemberMetadata {
  sessionTimeoutMs: number;
  protocols: string[];
}

/**
 * The group is being handed to the other group type (GroupMetadataManager.convertToClassicGroup,
 * or the deletion of an empty consumer group when a classic JoinGroup arrives): `leaving` is the
 * member whose departure triggered it (left out of the classic group), `redeliver` says the
 * request that triggered it is to be handled again by the classic group.
 */
export interface Conversion {
  leaving: string | null;
  redeliver: boolean;
}

export interface CommittedOffset {
  offset: number;
  memberId: string;
  /** The member epoch the commit carried. */
  generation: number;
}

/** Keep this under 20 top-level keys (see the classic context-size test). */
export interface GroupContext {
  groupEpoch: number;
  /** Epoch the current target assignment was computed for; <= groupEpoch. */
  targetEpoch: number;
  /** Insertion order is join order. */
  members: Record<string, ConsumerGroupMember>;
  /** Target assignment, member id -> partitions. */
  target: Record<string, TopicPartition[]>;
  /** ConsumerGroup.partitionEpochs: partition -> epoch of the member holding it (assigned or pending revocation). */
  partitionEpochs: Record<TopicPartition, number>;
  /** Partition counts of the subscribed topics as last computed (subscription metadata). */
  subscriptionMetadata: Topics;
  committed: Record<TopicPartition, CommittedOffset>;
  /** Timer name -> virtual deadline: `session:<id>`, `rebalance:<id>`. */
  timers: Record<string, number>;
  /** group.consumer.session.timeout.ms and group.consumer.heartbeat.interval.ms. */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** group.consumer.migration.policy. */
  policy: MigrationPolicy;
  /** Numbers the member ids handed to classic members (Kafka: a random UUID). */
  nextMemberSeq: number;
  /** Set when the group turns into a classic group (the machine is then `converted`). */
  conversion: Conversion | null;
  /**
   * ConsumerGroup.resolvedRegularExpressions: per subscribed regular expression, the topics it
   * resolved to and the topic names of the metadata image it was resolved against (Kafka: the
   * image's offset). Persisted records (ConsumerGroupRegularExpression), so a failover keeps
   * them. Absent until a member subscribes with a regex.
   */
  resolvedRegexes?: Record<string, ResolvedRegex>;
  /** Set by the request handler for the response of the heartbeat being handled. */
  round: { memberId: string; assignedBefore: TopicPartition[] | null; full: boolean; subscriptionChanged: boolean } | null;
}

/**
 * ResolvedRegularExpression: the matching topics and the image they were resolved against (its
 * time is the coordinator's `regexInterval:group` deadline, models/consumer-protocol/regex.ts).
 */
export interface ResolvedRegex {
  topics: string[];
  image: string;
}

export type ClassicGroupRequest = Exclude<ClassicRequest, { kind: 'OffsetCommit' }>;

export type GroupEvent =
  /** `assignorFails`: the fault world's choice that the server assignor throws if this heartbeat computes a target. */
  | { type: 'ConsumerGroupHeartbeat'; now: number; msg: ConsumerGroupHeartbeatRequest; topics: Topics; assignorFails?: boolean }
  | {
      type: 'OffsetCommit';
      now: number;
      msg: ConsumerOffsetCommitRequest | Extract<ClassicRequest, { kind: 'OffsetCommit' }>;
      topics: Topics;
    }
  | { type: ClassicGroupRequest['kind']; now: number; msg: ClassicGroupRequest; topics: Topics }
  /** ConsumerGroup.fromClassicGroup: this (fresh) group takes over the classic group `group`. */
  | { type: 'CONVERT_FROM_CLASSIC'; now: number; group: ClassicGroupContext; topics: Topics }
  | { type: 'TIMER'; now: number; name: string; topics?: Topics }
  | { type: 'UNLOAD'; now: number }
  /** offsets.retention.minutes passed and the offset cleanup runs (docs/model.md, section 11). */
  | { type: 'EXPIRE_OFFSETS'; now: number; topics?: Topics };

export interface GroupInput {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** group.consumer.migration.policy (Kafka's default: bidirectional). */
  migrationPolicy?: MigrationPolicy;
  /**
   * Failover: every change of a consumer group is written as records before it is answered,
   * so the new coordinator replays the whole state; only the timers are re-armed, at `now`.
   */
  load?: { context: GroupContext; now: number };
}

export function initialGroupContext(input: GroupInput): GroupContext {
  if (input.load) {
    const { context, now } = input.load;
    const timers: Record<string, number> = {};
    for (const m of Object.values(context.members)) {
      timers[`session:${m.memberId}`] = now + (m.classic?.sessionTimeoutMs ?? context.sessionTimeoutMs);
      if (m.state === 'unrevoked' && !m.classic) timers[`rebalance:${m.memberId}`] = now + m.rebalanceTimeoutMs;
    }
    // The policy is the new broker's configuration, not part of the group's records.
    return { ...context, timers, round: null, policy: input.migrationPolicy ?? context.policy };
  }
  return {
    groupEpoch: 0,
    targetEpoch: 0,
    members: {},
    target: {},
    partitionEpochs: {},
    subscriptionMetadata: {},
    committed: {},
    timers: {},
    sessionTimeoutMs: input.sessionTimeoutMs,
    heartbeatIntervalMs: input.heartbeatIntervalMs,
    policy: input.migrationPolicy ?? 'bidirectional',
    nextMemberSeq: 1,
    conversion: null,
    round: null,
  };
}

/** A member record before its first reconciliation: epoch 0, nothing assigned, no subscription yet. */
export const newMember = (
  req: { memberId: string; client: Endpoint; instanceId: string | null },
  rebalanceTimeoutMs: number,
): ConsumerGroupMember => ({
  memberId: req.memberId,
  client: req.client,
  instanceId: req.instanceId,
  memberEpoch: 0,
  previousEpoch: 0,
  state: 'stable',
  assigned: [],
  pendingRevocation: [],
  topics: [],
  assignor: null,
  rebalanceTimeoutMs,
  rebalanceEpoch: null,
  classic: null,
});

/** ConsumerGroup.maybeUpdateGroupState: the group state is a function of the members and epochs. */
export function groupStateOf(ctx: GroupContext): 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' {
  const members = Object.values(ctx.members);
  if (members.length === 0) return 'Empty';
  if (ctx.groupEpoch > ctx.targetEpoch) return 'Assigning';
  if (members.some((m) => m.state !== 'stable' || m.memberEpoch !== ctx.targetEpoch)) return 'Reconciling';
  return 'Stable';
}

/** The member a static instance id maps to. */
export const memberOfInstance = (ctx: GroupContext, instanceId: string | null): ConsumerGroupMember | undefined =>
  instanceId === null ? undefined : Object.values(ctx.members).find((m) => m.instanceId === instanceId);

export const without = <T>(rec: Record<string, T>, ...keys: string[]): Record<string, T> => omit(rec, keys);

/** The partition epochs after a member's holdings change from `before` to `after`. */
export function movePartitionEpochs(
  epochs: Record<TopicPartition, number>,
  before: ConsumerGroupMember | undefined,
  after: ConsumerGroupMember | undefined,
): Record<TopicPartition, number> {
  const out = before ? omit(epochs, [...before.assigned, ...before.pendingRevocation]) : { ...epochs };
  if (after) for (const p of [...after.assigned, ...after.pendingRevocation]) out[p] = after.memberEpoch;
  return out;
}

/** Options of the reconciliation engine; the defaults are Kafka's, variants change them. */
export interface ReconcileRules {
  /** A partition held by another member is withheld until released (Kafka: always). */
  waitForRelease: boolean;
  /** A member keeps its epoch until it stops reporting the partitions it must revoke (Kafka: always). */
  waitForRevocation: boolean;
  /** UNRELEASED_PARTITIONS members pick up partitions as they are freed (Kafka: every heartbeat). */
  retryUnreleased: boolean;
  /**
   * A partition the member itself was revoking, and that the newest target gives back to it, is
   * not "held elsewhere" once the revocation is acknowledged: it is assigned at once (KAFKA-19449,
   * Kafka 4.2 on; 4.0 and 4.1 made the member wait a heartbeat in UNRELEASED_PARTITIONS for it).
   */
  ownRevocationFree: boolean;
  /**
   * A member that acknowledges a revocation while the newest target asks it to revoke more stays
   * at its epoch (KAFKA-19974, Kafka 4.2 on: a partition is owned by one member at any epoch);
   * 4.0 and 4.1 moved it to the next epoch (current + 1) to wait there.
   */
  keepEpochWhileRevoking: boolean;
}

export const kafkaRules: ReconcileRules = {
  waitForRelease: true,
  waitForRevocation: true,
  retryUnreleased: true,
  ownRevocationFree: true,
  keepEpochWhileRevoking: true,
};

/**
 * CurrentAssignmentBuilder.computeNextAssignment for one member: revoke first (the member
 * keeps its epoch until it acknowledges), then take the target partitions that are free; those
 * still held elsewhere wait (UNRELEASED_PARTITIONS). `owned` is what the member reported.
 */
export function computeNext(
  m: ConsumerGroupMember,
  target: TopicPartition[],
  targetEpoch: number,
  epochIfRevoking: number,
  owned: TopicPartition[] | null,
  heldElsewhere: (p: TopicPartition) => boolean,
  rules: ReconcileRules,
): ConsumerGroupMember {
  const keep = m.assigned.filter((p) => target.includes(p));
  const revoke = m.assigned.filter((p) => !target.includes(p));
  const stillOwns = owned === null || owned.some((p) => revoke.includes(p));
  if (revoke.length > 0 && stillOwns && rules.waitForRevocation) {
    return {
      ...m,
      state: 'unrevoked',
      previousEpoch: m.memberEpoch,
      memberEpoch: epochIfRevoking,
      assigned: keep,
      pendingRevocation: revoke,
    };
  }
  const wanted = target.filter((p) => !keep.includes(p));
  const unreleased = rules.waitForRelease ? wanted.filter(heldElsewhere) : [];
  const newly = wanted.filter((p) => !unreleased.includes(p));
  return {
    ...m,
    state: unreleased.length > 0 ? 'unreleased' : 'stable',
    previousEpoch: m.memberEpoch,
    memberEpoch: targetEpoch,
    assigned: [...keep, ...newly].sort(),
    pendingRevocation: [],
  };
}

/**
 * CurrentAssignmentBuilder.build: the per-state step. STABLE at the target epoch and
 * UNREVOKED_PARTITIONS still reporting a pending partition do not change.
 */
export function reconcileStep(
  m: ConsumerGroupMember,
  target: TopicPartition[],
  targetEpoch: number,
  owned: TopicPartition[] | null,
  heldElsewhere: (p: TopicPartition) => boolean,
  rules: ReconcileRules,
): ConsumerGroupMember {
  switch (m.state) {
    case 'stable':
      return m.memberEpoch === targetEpoch ? m : computeNext(m, target, targetEpoch, m.memberEpoch, owned, heldElsewhere, rules);
    case 'unrevoked': {
      const stillOwns = owned === null || owned.some((p) => m.pendingRevocation.includes(p));
      if (stillOwns && rules.waitForRevocation) return m;
      // The acknowledgement: what was pending is released. If the newest target asks it to revoke
      // more, it waits for that at the epoch it has (KAFKA-19974, Kafka 4.2 on; CurrentAssignment-
      // BuilderTest.testUnrevokedPartitionsToUnrevokedPartitions in 4.3.1: epoch 10 stays 10); any
      // other outcome moves it to the target epoch (computeNext). Kafka 4.0 and 4.1 moved it to
      // min(current + 1, target epoch) to wait there (`keepEpochWhileRevoking: false`).
      const next = rules.keepEpochWhileRevoking ? m.memberEpoch : Math.min(m.memberEpoch + 1, targetEpoch);
      // The partitions it was revoking still carry its epoch in the group until this step's
      // update; they are its own, not another member's (KAFKA-19449).
      const held = rules.ownRevocationFree ? (p: TopicPartition) => !m.pendingRevocation.includes(p) && heldElsewhere(p) : heldElsewhere;
      return computeNext({ ...m, pendingRevocation: [] }, target, targetEpoch, next, owned, held, rules);
    }
    case 'unreleased':
      if (!rules.retryUnreleased) return m;
      return computeNext(m, target, targetEpoch, m.memberEpoch, owned, heldElsewhere, rules);
  }
}
