// Messages between the orchestrator and a consumer process (librdkafka: Node IPC; Java: one
// JSON object a line on stdout, commands on stdin).

/** eager: classic protocol with range; cooperative: classic with cooperative-sticky; consumer: KIP-848. */
export type RealProtocol = 'eager' | 'cooperative' | 'consumer';

/** The real consumer library under test. */
export type RealClient = 'librdkafka' | 'java';

export interface ConsumerSpec {
  name: string;
  bootstraps: string;
  group: string;
  /** Broker-side topic names. */
  topics: string[];
  /** The scenario's names of `topics`, in the same order: partitions are reported as `${name}-N`. */
  reportTopics: string[];
  protocol: RealProtocol;
  /** Classic only: partition.assignment.strategy (default range for eager, cooperative-sticky for cooperative). */
  assignor?: string;
  /** Static membership: group.instance.id. */
  instanceId?: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxPollIntervalMs: number;
  /** Java only: also write examples/loggers/RebalanceLog.java's log (the validate format) to this file. */
  logFile?: string;
  /** Java only: onPartitionsRevoked (not onPartitionsLost) with partitions sleeps this long, as a slow application does. */
  revokeDelayMs?: number;
}

export type ParentMessage =
  | { type: 'close' }
  | { type: 'stall'; ms: number }
  /** subscribe() again with these topics (the scenario's names). */
  | { type: 'subscribe'; topics: string[] };

export type ChildMessage =
  | { type: 'ready'; t: number }
  | { type: 'callback'; kind: 'assign' | 'revoke'; seq: number; t: number; partitions: string[]; lost: boolean }
  | { type: 'closed'; t: number }
  | { type: 'error'; message: string }
  | { type: 'log'; message: string };
