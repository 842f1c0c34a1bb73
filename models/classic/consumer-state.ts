import type { OffsetReset } from '../offset-reset.ts';
import type { RackMoves } from '../assignors/racks.ts';
import type { RebalanceProtocol } from '../assignors/types.ts';
import type { TimerSettings, TopicPartition, Topics } from '../types.ts';
import { matchingTopics } from '../types.ts';
import type { ClassicResponse, ClientRequest } from './messages.ts';

// The classic consumer's group client (AbstractCoordinator + ConsumerCoordinator +
// the heartbeat thread), reduced to what decides group membership and ownership.

/** What a request was sent with, to judge its response later (`sentGeneration` in Kafka). */
export interface Sent {
  corr: number;
  generation: number;
  memberId: string;
}

/** What the consumer was constructed with; never changes during a process's life. */
export interface ConsumerConfig {
  client: string;
  /** Process incarnation of this client slot. */
  inc: number;
  instanceId: string | null;
  /** partition.assignment.strategy, in preference order. */
  assignors: string[];
  /** EAGER or COOPERATIVE: fixed at construction from the assignors. */
  protocol: RebalanceProtocol;
  /** Subscribed topics (with a pattern: the topics of the metadata that match it). */
  topics: string[];
  /**
   * subscribe(Pattern): the regular expression, matched against every metadata update
   * (ConsumerCoordinator.updatePatternSubscription). Absent: subscribed by topic names.
   */
  pattern?: string;
  settings: TimerSettings;
  autoCommit: boolean;
  /** auto.offset.reset (models/offset-reset.ts). Absent: earliest. */
  offsetReset?: OffsetReset;
  /** onPartitionsRevoked takes time: it ends with a CALLBACK_DONE event. */
  slowCallbacks: boolean;
  /** onPartitionsAssigned and onPartitionsLost take time too (each ends with a CALLBACK_DONE event). */
  slowAssignLost: boolean;
  /** KIP-881: client.rack, or null. */
  rack: string | null;
  /** The number of broker racks of the world's layout (models/assignors/racks.ts); 0 without racks. */
  racks: number;
}

/**
 * Keep this under 20 top-level keys: xstate's assign copies the context with Object.assign,
 * which V8 runs some 15x slower from 20 keys on (a test pins the count).
 */
export interface ConsumerContext {
  cfg: ConsumerConfig;
  /** This client's view of topic metadata. */
  metadata: Topics;
  /** The topics of the subscription sent in the last JoinGroup (Kafka's joinedSubscription). */
  joinedTopics: string[];
  /** Leader only: the metadata its last assignment was computed from. */
  assignedMetadata: Topics | null;
  /**
   * KIP-881, only with racks: the replica moves this client's metadata knows ("t-p" -> moves,
   * see `layoutRack`), and the leader's snapshot of them at its last assignment.
   */
  metadataRacks?: RackMoves;
  assignedRacks?: RackMoves | null;
  /** The coordinator epoch this client talks to; null while it is looking it up. */
  coordinator: number | null;
  memberId: string;
  generation: number;
  protocolName: string | null;
  isLeader: boolean;
  rejoinNeeded: boolean;
  /** The partitions this process believes it owns and fetches from. */
  owned: TopicPartition[];
  /**
   * The last assignment received (what the eager sticky assignor keeps in its user data); while
   * a slow cooperative onPartitionsRevoked runs, the assignment that takes effect after it.
   */
  lastAssignment: TopicPartition[];
  /** Next offset to process, per owned partition. */
  positions: Record<TopicPartition, number>;
  /** The application stopped calling poll() (long processing, GC pause). */
  stalled: boolean;
  nextCorr: number;
  /**
   * `assignment`: while a slow assignor runs (state `computing`), what it will return: the
   * assignments, or null when it throws. Computed from the JoinGroupResponse and the metadata of
   * that moment, as Kafka's onLeaderElected reads them when it starts; sent when it returns.
   */
  inflight: {
    join?: Sent;
    sync?: Sent;
    heartbeat?: Sent;
    commit?: Sent;
    find?: Sent;
    leave?: Sent;
    assignment?: { corr: number; assignments: Record<string, TopicPartition[]> | null };
  };
  /** Timer name -> virtual deadline: `heartbeat`, `poll`, `retry`, `req:<kind>`. */
  timers: Record<string, number>;
}

export type ConsumerEvent =
  /**
   * `assignorFails`: the fault world's choice that the leader's assignor throws in the round this
   * JoinGroupResponse completes (a bug in a custom assignor, a metadata inconsistency).
   * `assignorSlow`: the fault world's choice that the leader's assignor takes time in that round
   * (state `computing`, ended by CALLBACK_DONE).
   */
  | { type: 'RESPONSE'; now: number; msg: ClassicResponse; assignorFails?: boolean; assignorSlow?: boolean }
  | { type: 'TIMER'; now: number; name: string }
  | { type: 'PROCESS'; now: number }
  | { type: 'COMMIT'; now: number }
  | { type: 'STALL'; now: number }
  | { type: 'RESUME'; now: number }
  | { type: 'CLOSE'; now: number }
  /** close() cut short: the process ends at once (the rolling upgrade's bounce). */
  | { type: 'CLOSE_NOW'; now: number }
  | { type: 'METADATA'; now: number; topics: Topics; racks?: RackMoves }
  | { type: 'SUBSCRIBE'; now: number; topics: string[] }
  /**
   * A callback returned. `committed` (KIP-848 only): the group's committed offsets, the answer of
   * the OffsetFetch the consumer sends once onPartitionsAssigned returned (modelled as immediate).
   */
  | { type: 'CALLBACK_DONE'; now: number; committed?: Record<string, number> };

export interface ConsumerInput {
  client: string;
  inc: number;
  now: number;
  instanceId?: string | null;
  assignors: string[];
  protocol: RebalanceProtocol;
  topics: string[];
  /** subscribe(Pattern): `topics` is then ignored, the subscription is the metadata's matching topics. */
  pattern?: string;
  metadata: Topics;
  settings: TimerSettings;
  autoCommit?: boolean;
  offsetReset?: OffsetReset;
  /** The coordinator epoch found at start (the first FindCoordinator round trip is folded in). */
  coordinator?: number;
  slowCallbacks?: boolean;
  slowAssignLost?: boolean;
  /** KIP-881: client.rack, the number of broker racks, and the replica moves the metadata shows. */
  rack?: string | null;
  racks?: number;
  metadataRacks?: RackMoves;
}

export function initialConsumerContext(input: ConsumerInput): ConsumerContext {
  return {
    cfg: {
      client: input.client,
      inc: input.inc,
      instanceId: input.instanceId ?? null,
      assignors: input.assignors,
      protocol: input.protocol,
      // With a pattern, the first subscription is matched against the metadata at start (Kafka
      // matches it before the first JoinGroup: ConsumerCoordinator.poll refreshes the metadata first).
      topics: input.pattern ? matchingTopics(input.pattern, input.metadata) : input.topics,
      ...(input.pattern ? { pattern: input.pattern } : {}),
      ...(input.offsetReset === 'latest' ? { offsetReset: input.offsetReset } : {}),
      settings: input.settings,
      autoCommit: input.autoCommit ?? true,
      slowCallbacks: input.slowCallbacks ?? false,
      slowAssignLost: input.slowAssignLost ?? false,
      rack: input.rack ?? null,
      racks: input.racks ?? 0,
    },
    metadata: input.metadata,
    assignedMetadata: null,
    // Only with racks: the keys stay absent otherwise, so states without racks are unchanged.
    ...(input.metadataRacks ? { metadataRacks: input.metadataRacks, assignedRacks: null } : {}),
    joinedTopics: [],
    coordinator: input.coordinator ?? 0,
    memberId: '',
    generation: -1,
    protocolName: null,
    isLeader: false,
    rejoinNeeded: true,
    owned: [],
    lastAssignment: [],
    positions: {},
    stalled: false,
    nextCorr: 1,
    inflight: {},
    timers: {},
  };
}

export type Outgoing = ClientRequest;
