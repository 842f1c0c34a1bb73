// Messages between the orchestrator and a consumer process.

/** eager: classic protocol with range; cooperative: classic with cooperative-sticky; consumer: KIP-848. */
export type RealProtocol = 'eager' | 'cooperative' | 'consumer';

export interface ConsumerSpec {
  name: string;
  bootstraps: string;
  group: string;
  topics: string[];
  protocol: RealProtocol;
  /** Classic only: partition.assignment.strategy (default range for eager, cooperative-sticky for cooperative). */
  assignor?: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxPollIntervalMs: number;
}

export type ParentMessage = { type: 'close' };

export type ChildMessage =
  | { type: 'ready'; t: number }
  | { type: 'callback'; kind: 'assign' | 'revoke'; seq: number; t: number; partitions: string[]; lost: boolean }
  | { type: 'closed'; t: number }
  | { type: 'error'; message: string }
  | { type: 'log'; message: string };
