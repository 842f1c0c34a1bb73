import type { Choice, FaultSettings, Migration } from '../../world/types.ts';

/**
 * A scripted step: a world choice; letting `ms` of virtual time pass (messages and timers run);
 * or waiting until a closed process's last requests are answered (at most request.timeout.ms):
 * close() blocks on them (AbstractCoordinator.close awaits pending requests; the KIP-848 client
 * awaits its leave heartbeat), so a restart cannot overtake the old process's leave.
 */
export type ScriptStep = Choice | { kind: 'wait'; ms: number } | { kind: 'closed'; client: string };

/** One change to a stable group: its steps run back to back, then the group is left to settle. */
export interface Change {
  label: string;
  steps: ScriptStep[];
}

/**
 * A workload for `compare`: a group of `members` slots (the first `initial` running at time 0)
 * settles, then each change is applied in turn and the group settles again, under a seeded
 * random delivery order. Every design runs the same script.
 */
export interface CompareScenario {
  name: string;
  description: string;
  members: number;
  partitions: number;
  /** Slots running from time 0 (the others start in a change); default: all. */
  initial?: number;
  static?: boolean;
  /** A rolling switch of group.protocol: designs name the classic side (a consumer design runs without one). */
  migration?: Migration;
  /** The fault kinds the script uses (the world's config says so honestly; random choices never inject them). */
  faults: Partial<FaultSettings>;
  changes: Change[];
}

export const client = (kind: 'start' | 'close' | 'crash' | 'cut' | 'heal', name: string): Choice => ({ kind, client: name });
