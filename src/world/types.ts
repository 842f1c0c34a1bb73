import type { AnyMachineSnapshot } from 'xstate';
import type { RebalanceProtocol } from '../../models/assignors/types.ts';
import type { ClassicResponse, ClientRequest } from '../../models/classic/messages.ts';
import type { ConsumerResponse, MemberRequest } from '../../models/consumer-protocol/messages.ts';
import type { MigrationPolicy } from '../../models/consumer-protocol/migration-policy.ts';
import type { OffsetReset } from '../../models/offset-reset.ts';
import type { TimerSettings, Topics } from '../../models/types.ts';

/** eager and cooperative run the classic protocol; `consumer` is KIP-848 (group.protocol=consumer). */
export type Protocol = RebalanceProtocol | 'consumer';
export const protocols: Protocol[] = ['eager', 'cooperative', 'consumer'];

/** The machines a protocol runs on: the classic ones or the KIP-848 ones. */
export type ProtocolFamily = 'classic' | 'consumer';
export const familyOf = (p: Protocol): ProtocolFamily => (p === 'consumer' ? 'consumer' : 'classic');

/** The family the group and every consumer start on: with a migration, the one it migrates from. */
export const startFamily = (config: { protocol: Protocol; migration?: string | null }): ProtocolFamily =>
  config.migration ? (config.migration === 'upgrade' ? 'classic' : 'consumer') : familyOf(config.protocol);

/** The protocol a client slot's process runs: a migration switches it at the slot's bounce. */
export function slotFamily(config: { protocol: Protocol; migration?: string | null }, phase: number): ProtocolFamily {
  const start = startFamily(config);
  if (!config.migration || phase === 0) return start;
  return start === 'classic' ? 'consumer' : 'classic';
}

/** Which faults the world may inject. */
export interface FaultSettings {
  /** Messages may be lost. (Delay and reordering are always possible.) */
  loss: boolean;
  /** Processes may crash without a word and restart later. */
  crash: boolean;
  /** Processes may close gracefully (LeaveGroup) and start again. */
  leave: boolean;
  /** The application may stop calling poll() past max.poll.interval.ms. */
  stall: boolean;
  /** Partitions may be added to a topic, up to this many per topic. */
  addPartitions: number;
  /** A client's link may be cut (everything it sends or is sent is held) and healed. */
  cut: boolean;
  /** The coordinator may move to another broker, at most this many times per run. */
  failover: number;
  /** With several topics, a consumer may subscribe to fewer or more of them. */
  subscribe: boolean;
  /** onPartitionsRevoked takes time: it finishes with a separate `callback` choice. */
  slowCallbacks: boolean;
  /**
   * onPartitionsAssigned and onPartitionsLost take time too (a KIP-848 member's fencing included):
   * each finishes with a `callback` choice.
   */
  slowAssignLost: boolean;
  /**
   * A process may be left running as a zombie (paused or cut off) while a replacement starts (the
   * `replace` choice): with the same group.instance.id for static members, as a new member for
   * dynamic ones.
   */
  zombie: boolean;
  /**
   * Classic: the leader's assignor may throw in a round (the `assignorFails` choice, made while the
   * leader's JoinGroupResponse is on its way): the leader fails the round instead of syncing.
   */
  assignorFailure: boolean;
  /**
   * Classic: the leader's assignor may take time in a round (the `slowAssignor` choice, made
   * while the leader's JoinGroupResponse is on its way; the `callback` choice ends it), past the
   * rebalance timeout if the run lets time pass. Absent: false.
   */
  slowAssignor?: boolean;
  /**
   * KIP-881, only with `racks`: a partition's replica may move to another rack (the
   * `moveReplica` choice), at most this many times per run. Absent: 0.
   */
  replicaMoves?: number;
  /**
   * A topic may be created during the run (the `createTopic` choice: `t<n>`, one partition), at
   * most this many. It matches the pattern of `WorldConfig.pattern` runs. Absent: 0.
   */
  createTopics?: number;
  /**
   * The group coordinator's offset cleanup may run after offsets.retention.minutes passed (the
   * `expireOffsets` choice), at most this many times per run; it deletes the committed offsets
   * Kafka's expiration condition allows (docs/model.md, section 11). Absent: 0.
   */
  offsetExpiries?: number;
}

/** Everything a run depends on besides its choices: (config, seed) -> run. */
export interface WorldConfig {
  protocol: Protocol;
  assignor: string;
  /** Number of consumer processes (client slots c1..cN). */
  members: number;
  topics: Topics;
  timers: TimerSettings;
  faults: FaultSettings;
  /** Application commits offsets (choices `process` and `commit`). */
  autoCommit: boolean;
  /** Static membership (KIP-345): client slot cN runs with group.instance.id iN. */
  static: boolean;
  /**
   * Rolling upgrade from eager to cooperative (KIP-429's two bounces): consumers start on
   * `range`; a first bounce moves each to [cooperative-sticky, range] (still EAGER), and once
   * every consumer has had it, a second bounce to [cooperative-sticky] (COOPERATIVE).
   */
  upgrade: boolean;
  /**
   * Online migration between the classic and the consumer protocol (a mixed group): every
   * consumer starts on one protocol and may be restarted once (`bounce`) on the other, a rolling
   * switch of group.protocol. `upgrade` starts classic (`protocol` is its rebalance protocol,
   * `assignor` its assignor), `downgrade` starts on the consumer protocol. Absent: no migration.
   */
  migration?: Migration | null;
  /** group.consumer.migration.policy of the coordinator (default bidirectional). */
  migrationPolicy?: MigrationPolicy;
  /**
   * KIP-881: the brokers sit on this many racks (replication factor 1, `layoutRack`) and client
   * slot cK runs with client.rack `r((K-1) mod racks)`. Absent or 0: no racks.
   */
  racks?: number;
  /**
   * Every consumer subscribes by regular expression (models/types.ts SUBSCRIPTION_PATTERN, which
   * every topic matches): classic consumers match it against their metadata, KIP-848 members
   * send it to the coordinator (SubscribedTopicRegex). Absent: subscribed by topic names.
   */
  pattern?: boolean;
  /**
   * auto.offset.reset of every consumer (models/offset-reset.ts): where a consumer starts a
   * partition the group has no committed offset for. Absent: earliest.
   */
  offsetReset?: OffsetReset;
}

export const migrations = ['upgrade', 'downgrade'] as const;
export type Migration = (typeof migrations)[number];

export interface Msg {
  id: number;
  /** Requests go to the coordinator; responses to a client process. */
  to: 'coordinator' | 'client';
  body: ClientRequest | ClassicResponse | MemberRequest | ConsumerResponse;
  /**
   * Observer's tag, not on the wire: the generation formation the sender acted in (see
   * World.formation). Lets invariants tell apart two generations with the same number.
   */
  formation: number | null;
  /** Virtual time it was sent (the explorer's bounded-delay network reads it; nothing else does). */
  sentAt: number;
}

export interface ClientSlot {
  name: string;
  /** Incarnation counter: bumps at every start, so late responses to a dead process are dropped. */
  inc: number;
  status: 'absent' | 'running' | 'crashed' | 'closed';
  snapshot: AnyMachineSnapshot | null;
  /** The link to the brokers is cut: messages to and from this client wait (or are lost). */
  cut: boolean;
  /** Observer's record: the generation formation whose JoinGroup response this process adopted. */
  formation: number | null;
  /** Rolling upgrade step of this slot's configuration (0, 1, 2); with a migration, 1 once switched to the other protocol. */
  phase: number;
  /**
   * Observer's record: the virtual time the rebalance callback the process is inside began, or
   * null (the explorer's bounded-delay network reads it: a callback ends within the bound too).
   */
  callbackSince: number | null;
  /**
   * Observer's record (classic): the JoinGroup response this process adopted said SkipAssignment
   * (KIP-814), so the assignment in force was computed by an earlier process of the group, not by
   * this leader. stable-coverage reads it to recognise Kafka's documented gap (docs/fidelity.md).
   */
  skippedAssignment: boolean;
  /**
   * Observer's record (KIP-848): partitions a reconciliation was adding when a heartbeat sent
   * during it reported them as not owned (the heartbeat carries `currentAssignment`, which
   * AbstractMembershipManager.revokeAndAssign sets only after onPartitionsAssigned returned).
   * Kept while the process is installing or owns them. single-owner and exclusive-holding read
   * it to recognise this Kafka behaviour (docs/model.md, "Slow onPartitionsAssigned").
   */
  unreported: string[];
  /**
   * A zombie: an earlier process of the slot named here, left running when a replacement started
   * with the same group.instance.id (`replace`). Its messages carry that slot's name and its own
   * incarnation; it is never restarted. Null for the slots c1..cN.
   */
  zombieOf: string | null;
  /** The fault world's choice: this process's assignor throws the next time it runs as leader. */
  assignorFails: boolean;
  /** The fault world's choice: this process's assignor is slow the next time it runs as leader (absent: no). */
  assignorSlow?: boolean;
}

/** Figures measured along a run, not part of the protocol state. */
export interface Metrics {
  /** Partition-milliseconds during which two or more live processes believed they owned the same partition. */
  overlapMs: number;
  /** Milliseconds during which a live process held partitions while not a member of the current generation. */
  zombieMs: number;
  /** Records processed again by a later owner (at-least-once duplicates). */
  duplicateRecords: number;
  /** Commits rejected by generation or member-id fencing. */
  fencedCommits: number;
  /** Join phases completed by the coordinator. */
  rebalances: number;
  /**
   * Records nobody processed that a consumer skipped: it started a partition past them (an
   * auto.offset.reset to latest). Absent: none.
   */
  skippedRecords?: number;
}

export interface World {
  /** Which coordinator machine runs (the group's type; it changes when a migration converts the group): views dispatch on it. */
  family: ProtocolFamily;
  now: number;
  coordinator: AnyMachineSnapshot;
  /** Bumps at every coordinator failover; generations are only compared within one. */
  coordinatorEpoch: number;
  /**
   * Observer's bookkeeping, invisible to the machines. Every join completion forms a new
   * generation; across a failover Kafka can issue the same generation number twice (the move
   * to CompletingRebalance is never persisted), so formations get world-unique ids.
   */
  formation: number;
  formations: number;
  /** The formation of the generation in the last persisted group record (what a failover loads). */
  persistedFormation: number;
  /**
   * The last online downgrade (consumer group -> classic group): the formation its group record
   * wrote and the coordinator epoch it happened in; null before any. Read by eventually-stable's
   * known-Kafka exemption (a failover before the downgrade's rebalance, docs/migration.md).
   */
  downgrade: { formation: number; coordinatorEpoch: number } | null;
  /**
   * Observer's record (classic): topics whose subscribers changed while the group stayed Stable in
   * one generation, so the assignment in force was computed from older subscriptions. Only a
   * static member replaced in Stable does that: Kafka's coordinator then rebalances only if the
   * selected protocol changes (updateStaticMemberThenRebalanceOrCompleteJoin), not on a changed
   * subscription (KAFKA-12759, open), and no client notices. Absent otherwise; read by the
   * assignment-shape invariants' known-Kafka exemption (docs/fidelity.md).
   */
  drift?: { formation: number; topics: string[] };
  /**
   * Observer's record (classic): partitions in no member's stored assignment when a static member
   * was replaced in place in Stable. A cooperative member that was revoking them would have
   * triggered the follow-up rebalance that hands them out; its replacement gets the stored
   * assignment (with SkipAssignment if it leads, KIP-814) and has nothing to revoke, so nobody
   * rejoins and Kafka leaves them unassigned until the next rebalance (docs/fidelity.md).
   */
  stranded?: { formation: number; partitions: string[] };
  clients: ClientSlot[];
  net: Msg[];
  nextMsgId: number;
  /** The topics as the brokers know them (members' metadata may lag). */
  topics: Topics;
  /** KIP-881, only with racks: replica moves so far, `"t-p"` -> count (`layoutRack`). */
  rackMoves?: Record<string, number>;
  /**
   * Offset retention runs (`faults.offsetExpiries` or `offsetReset` latest; absent otherwise): the
   * offset cleanups run so far (the budget). Its presence also puts `processed` in the explorer's
   * key, as a `latest` reset reads the log end from it.
   */
  retention?: { expiries: number };
  /** One past the highest offset processed so far per partition, by anyone. */
  processed: Record<string, number>;
  /** Messages sent during the last step, both directions. */
  sent: Msg[];
  metrics: Metrics;
}

/** One nondeterministic decision, described by meaning so that it can be stored and replayed. */
export type Choice =
  | { kind: 'deliver'; id: number }
  | { kind: 'drop'; id: number }
  | { kind: 'fire'; target: string; timer: string }
  | { kind: 'start'; client: string }
  | { kind: 'close'; client: string }
  | { kind: 'crash'; client: string }
  | { kind: 'stall'; client: string }
  | { kind: 'resume'; client: string }
  | { kind: 'process'; client: string }
  | { kind: 'commit'; client: string }
  | { kind: 'metadata'; client: string }
  | { kind: 'addPartition'; topic: string }
  | { kind: 'createTopic'; topic: string }
  | { kind: 'cut'; client: string }
  | { kind: 'heal'; client: string }
  | { kind: 'failover' }
  | { kind: 'expireOffsets' }
  | { kind: 'subscribe'; client: string; topics: string[] }
  | { kind: 'bounce'; client: string }
  | { kind: 'callback'; client: string }
  | { kind: 'replace'; client: string }
  | { kind: 'assignorFails'; client: string }
  | { kind: 'moveReplica'; partition: string }
  | { kind: 'slowAssignor'; client: string };

export type ChoiceKind = Choice['kind'];
