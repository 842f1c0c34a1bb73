import type { TopicPartition } from '../types.ts';
import type { MemberSubscription } from '../assignors/types.ts';

// Wire messages of the classic protocol, reduced to the fields the state machines read.
// `from`/`to` name the client process (slot and incarnation) so that the world can route
// a response back over the connection the request came on, as a broker does.

/** Every error code the model's coordinator and brokers answer with (a runtime list for coverage reports). */
export const errorCodes = [
  'NONE',
  'MEMBER_ID_REQUIRED',
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'REBALANCE_IN_PROGRESS',
  'FENCED_INSTANCE_ID',
  'INCONSISTENT_GROUP_PROTOCOL',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface Endpoint {
  /** Client slot name, e.g. `c1`. */
  client: string;
  /** Process incarnation: responses to an earlier process of the slot are dropped. */
  inc: number;
}

interface Base {
  corr: number;
  client: Endpoint;
}

/** Requests for the group coordinator name the coordinator incarnation the client believes in. */
interface GroupRequest extends Base {
  /** Coordinator epoch (bumped by every failover); a stale one meets NOT_COORDINATOR. */
  epoch: number;
}

/** FindCoordinator: answered by any broker from metadata, not by the group coordinator. */
export interface FindCoordinatorRequest extends Base {
  kind: 'FindCoordinator';
}

export interface FindCoordinatorResponse extends Base {
  kind: 'FindCoordinatorResponse';
  error: ErrorCode;
  epoch: number;
}

export interface JoinGroupRequest extends GroupRequest {
  kind: 'JoinGroup';
  memberId: string;
  instanceId: string | null;
  /** Assignor names in preference order (`partition.assignment.strategy`). */
  protocols: string[];
  subscription: MemberSubscription;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
}

export interface JoinGroupResponse extends Base {
  kind: 'JoinGroupResponse';
  error: ErrorCode;
  memberId: string;
  generation: number;
  protocolName: string | null;
  leaderId: string | null;
  /** Filled only in the leader's response. */
  members: Record<string, MemberSubscription>;
  /** KIP-814: leader told it is leader but must not run the assignor. */
  skipAssignment: boolean;
}

export interface SyncGroupRequest extends GroupRequest {
  kind: 'SyncGroup';
  memberId: string;
  instanceId: string | null;
  generation: number;
  /** Only the leader fills this. */
  assignments: Record<string, TopicPartition[]> | null;
}

export interface SyncGroupResponse extends Base {
  kind: 'SyncGroupResponse';
  error: ErrorCode;
  assignment: TopicPartition[];
  /**
   * Committed offsets of the assigned partitions. Simplification: Kafka's client sends a
   * separate OffsetFetch after SyncGroup; the coordinator's answer to it is the same
   * committed offsets, so the model returns them here and saves a round trip.
   */
  committed: Record<TopicPartition, number>;
}

export interface HeartbeatRequest extends GroupRequest {
  kind: 'Heartbeat';
  memberId: string;
  instanceId: string | null;
  generation: number;
}

export interface HeartbeatResponse extends Base {
  kind: 'HeartbeatResponse';
  error: ErrorCode;
}

export interface LeaveGroupRequest extends GroupRequest {
  kind: 'LeaveGroup';
  memberId: string;
  instanceId: string | null;
}

export interface LeaveGroupResponse extends Base {
  kind: 'LeaveGroupResponse';
  error: ErrorCode;
}

export interface OffsetCommitRequest extends GroupRequest {
  kind: 'OffsetCommit';
  memberId: string;
  instanceId: string | null;
  generation: number;
  offsets: Record<TopicPartition, number>;
}

export interface OffsetCommitResponse extends Base {
  kind: 'OffsetCommitResponse';
  error: ErrorCode;
}

export type ClassicRequest = JoinGroupRequest | SyncGroupRequest | HeartbeatRequest | LeaveGroupRequest | OffsetCommitRequest;
/** Everything a consumer sends. */
export type ClientRequest = ClassicRequest | FindCoordinatorRequest;

export type ClassicResponse =
  | FindCoordinatorResponse
  | JoinGroupResponse
  | SyncGroupResponse
  | HeartbeatResponse
  | LeaveGroupResponse
  | OffsetCommitResponse;
