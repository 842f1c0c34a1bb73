import type { MemberSubscription } from '../assignors/types.ts';
import { omit } from '../records.ts';
import type { TopicPartition } from '../types.ts';
import type { GroupContext as ConsumerGroupContext } from '../consumer-protocol/coordinator-state.ts';
import type { ConsumerGroupHeartbeatRequest } from '../consumer-protocol/messages.ts';
import type { MigrationPolicy } from '../consumer-protocol/migration-policy.ts';
import type { ClassicRequest, ClassicResponse, Endpoint } from './messages.ts';

// The classic group coordinator's data (GroupMetadata / ClassicGroup in Kafka) and the
// pure helpers the machine's named actions are built from.

export interface GroupMember {
  memberId: string;
  client: Endpoint;
  instanceId: string | null;
  protocols: string[];
  subscription: MemberSubscription;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** Assignment stored by the leader's SyncGroup for the current generation. */
  assignment: TopicPartition[] | null;
  /** Correlation id of a parked JoinGroup (awaitingJoin). */
  joinCorr: number | null;
  /** Correlation id of a parked SyncGroup (awaitingSync). */
  syncCorr: number | null;
  /** Added in this join phase and not yet through it: liveness uses the new-member timeout. */
  isNew: boolean;
}

export interface CommittedOffset {
  offset: number;
  memberId: string;
  generation: number;
}

/** What the group metadata record holds (written at Stable and Empty only). */
export interface PersistedGroup {
  generation: number;
  protocolName: string | null;
  leaderId: string | null;
  members: Record<string, Omit<GroupMember, 'joinCorr' | 'syncCorr' | 'isNew'>>;
}

export interface CoordinatorContext {
  generation: number;
  protocolName: string | null;
  leaderId: string | null;
  /** Insertion order is join order; the first key is taken when a new leader is needed. */
  members: Record<string, GroupMember>;
  /** KIP-394: ids handed out with MEMBER_ID_REQUIRED, not yet back. */
  pending: string[];
  /** Members of the current generation that have not sent SyncGroup yet. */
  pendingSync: string[];
  /** The join phase started from Empty: it waits for the initial delay (KIP-134). */
  initialRebalance: boolean;
  newMemberAdded: boolean;
  initialDelayRemainingMs: number;
  /** Generation the pending-sync timer was armed for. */
  syncGeneration: number;
  nextMemberSeq: number;
  committed: Record<TopicPartition, CommittedOffset>;
  persisted: PersistedGroup | null;
  /** Timer name -> virtual deadline: `join`, `sync`, `session:<id>`, `pending:<id>`. */
  timers: Record<string, number>;
  initialRebalanceDelayMs: number;
  newMemberJoinTimeoutMs: number;
  /** group.consumer.migration.policy. */
  migrationPolicy: MigrationPolicy;
  /** Set when the group turns into a consumer group (the machine is then `Converted`): the request is handled again there. */
  conversion: { leaving: null; redeliver: true } | null;
}

export type CoordinatorEvent =
  | { type: 'JoinGroup'; now: number; msg: Extract<ClassicRequest, { kind: 'JoinGroup' }> }
  | { type: 'SyncGroup'; now: number; msg: Extract<ClassicRequest, { kind: 'SyncGroup' }> }
  | { type: 'Heartbeat'; now: number; msg: Extract<ClassicRequest, { kind: 'Heartbeat' }> }
  | { type: 'LeaveGroup'; now: number; msg: Extract<ClassicRequest, { kind: 'LeaveGroup' }> }
  | { type: 'OffsetCommit'; now: number; msg: Extract<ClassicRequest, { kind: 'OffsetCommit' }> }
  | { type: 'TIMER'; now: number; name: string }
  /** offsets.retention.minutes passed and the offset cleanup runs (docs/model.md, section 11). */
  | { type: 'EXPIRE_OFFSETS'; now: number }
  | { type: 'UNLOAD'; now: number }
  /** A KIP-848 member's heartbeat reaching the classic group: the online upgrade, or GROUP_ID_NOT_FOUND. */
  | { type: 'ConsumerGroupHeartbeat'; now: number; msg: ConsumerGroupHeartbeatRequest }
  /** ClassicGroup.fromConsumerGroup: this (fresh) group takes over the consumer group `group` without `leaving`. */
  | { type: 'CONVERT_FROM_CONSUMER'; now: number; group: ConsumerGroupContext; leaving: string | null };

export type RequestEvent = Extract<CoordinatorEvent, { msg: ClassicRequest }>;

export interface CoordinatorInput {
  initialRebalanceDelayMs: number;
  newMemberJoinTimeoutMs?: number;
  /** group.consumer.migration.policy (Kafka's default: bidirectional). */
  migrationPolicy?: MigrationPolicy;
  /**
   * Failover: the group record and offsets read back from __consumer_offsets, at time `now`.
   * `memberSeq` is the next member-id number of the old coordinator: Kafka's member ids end in a
   * random UUID that never repeats on any broker, which the model's counter matches only if it
   * carries across brokers (read from the record alone, the ids handed out in a generation that
   * was never persisted would be handed out again, and stale requests carrying them accepted).
   */
  load?: { persisted: PersistedGroup | null; committed: Record<TopicPartition, CommittedOffset>; now: number; memberSeq: number };
}

export function initialCoordinatorContext(input: CoordinatorInput): CoordinatorContext {
  const fresh = emptyContext(input);
  const p = input.load?.persisted;
  if (!input.load) return fresh;
  if (!p) return { ...fresh, committed: input.load.committed, nextMemberSeq: input.load.memberSeq };
  // onElection: the group comes back as it was last written (Stable or Empty); every member
  // gets a session deadline counted from the load. Any rebalance in progress is gone.
  const members: Record<string, GroupMember> = {};
  const timers: Record<string, number> = {};
  for (const [id, m] of Object.entries(p.members)) {
    members[id] = { ...m, joinCorr: null, syncCorr: null, isNew: false };
    timers[`session:${id}`] = input.load.now + m.sessionTimeoutMs;
  }
  const nextMemberSeq = Math.max(input.load.memberSeq, 1 + Object.keys(members).reduce((n, id) => Math.max(n, memberIdSeq(id)), 0));
  return {
    ...fresh,
    generation: p.generation,
    protocolName: p.protocolName,
    leaderId: p.leaderId,
    members,
    timers,
    nextMemberSeq,
    committed: input.load.committed,
    persisted: p,
  };
}

function emptyContext(input: CoordinatorInput): CoordinatorContext {
  return {
    generation: 0,
    protocolName: null,
    leaderId: null,
    members: {},
    pending: [],
    pendingSync: [],
    initialRebalance: false,
    newMemberAdded: false,
    initialDelayRemainingMs: 0,
    syncGeneration: -1,
    nextMemberSeq: 1,
    committed: {},
    persisted: null,
    timers: {},
    initialRebalanceDelayMs: input.initialRebalanceDelayMs,
    newMemberJoinTimeoutMs: input.newMemberJoinTimeoutMs ?? 300_000,
    migrationPolicy: input.migrationPolicy ?? 'bidirectional',
    conversion: null,
  };
}

type Reply = ClassicResponse;
type Omitted<T> = T extends unknown ? Omit<T, 'corr' | 'client'> : never;

/** A response on the connection of request `msg`. */
export const reply = (msg: { corr: number; client: Endpoint }, body: Omitted<Reply>): Reply =>
  ({ ...body, corr: msg.corr, client: msg.client }) as Reply;

export const joinError = (error: Extract<Reply, { kind: 'JoinGroupResponse' }>['error'], memberId = ''): Omitted<Reply> => ({
  kind: 'JoinGroupResponse',
  error,
  memberId,
  generation: -1,
  protocolName: null,
  leaderId: null,
  members: {},
  skipAssignment: false,
});

export const errorFor = (kind: ClassicRequest['kind'], error: Reply['error']): Omitted<Reply> => {
  switch (kind) {
    case 'JoinGroup':
      return joinError(error);
    case 'SyncGroup':
      return { kind: 'SyncGroupResponse', error, assignment: [], committed: {} };
    case 'Heartbeat':
      return { kind: 'HeartbeatResponse', error };
    case 'LeaveGroup':
      return { kind: 'LeaveGroupResponse', error };
    case 'OffsetCommit':
      return { kind: 'OffsetCommitResponse', error };
  }
};

/** `timers` without `name`: `timers` itself when it has no such timer, so never write into the result. */
export function withoutTimer(timers: Record<string, number>, name: string): Record<string, number> {
  if (!(name in timers)) return timers;
  // omit, not a rest pattern with a computed key (the same object, made several times faster).
  return omit(timers, [name]);
}

/** Max rebalance timeout of the members: the join-phase and pending-sync timeout. */
export const groupRebalanceTimeout = (ctx: CoordinatorContext): number =>
  Object.values(ctx.members).reduce((m, x) => Math.max(m, x.rebalanceTimeoutMs), 0);

/** Protocol names every member supports (the vote's candidates). */
export function candidateProtocols(members: Iterable<{ protocols: string[] }>): Set<string> | null {
  let common: Set<string> | null = null;
  for (const m of members) {
    common = common === null ? new Set(m.protocols) : new Set(m.protocols.filter((p) => common!.has(p)));
  }
  return common;
}

/** Kafka's vote: each member votes for its first supported candidate; most votes win. */
export function selectProtocol(members: GroupMember[]): string | null {
  const candidates = candidateProtocols(members);
  if (!candidates || candidates.size === 0) return null;
  const votes = new Map<string, number>();
  for (const m of members) {
    const choice = m.protocols.find((p) => candidates.has(p))!;
    votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  // Ties: Kafka takes map iteration order (unconfirmed); the model breaks them by name.
  return [...votes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

export const sameMetadata = (m: GroupMember, msg: { protocols: string[]; subscription: MemberSubscription }): boolean =>
  JSON.stringify([m.protocols, m.subscription]) === JSON.stringify([msg.protocols, msg.subscription]);

/** Session-expiry rule of MemberMetadata.hasSatisfiedHeartbeat: parked requests keep a non-new member alive. */
export const keptAliveByParkedRequest = (m: GroupMember): boolean => !m.isNew && (m.joinCorr !== null || m.syncCorr !== null);

/**
 * A dynamic member's id: Kafka's is `client.id-UUID`, ordered by nothing in particular. The
 * model numbers members in the order the coordinator first sees them and puts the number first,
 * so that the id order the assignors sort by (string order) depends on that number alone, not on
 * which client it is. Renaming the clients is then a symmetry of the model, which the explorer's
 * symmetry reduction relies on; the client's name stays in the id for the reader.
 */
export const dynamicMemberId = (seq: number, client: string): string => `m${seq}-${client}`;

/** The number in a member id: `m4-c1` (dynamic) or `i1-4` (static: `group.instance.id-n`). */
export function memberIdSeq(id: string): number {
  const m = /^m(\d+)-|-(\d+)$/.exec(id);
  return m ? Number(m[1] ?? m[2]) : 0;
}
