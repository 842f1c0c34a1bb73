import { invariantsFor } from '../../properties/index.ts';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { defaultTimers } from '../../models/types.ts';
import type { Variant } from '../explore/variant.ts';
import { buildModel } from '../world/model.ts';
import type { FaultSettings, Protocol, WorldConfig } from '../world/types.ts';
import type { Session } from './run.ts';

export const protocols: Protocol[] = ['eager'];

export const allFaults: FaultSettings = { loss: true, crash: true, leave: true, stall: true, addPartitions: 2 };
export const noFaults: FaultSettings = { loss: false, crash: false, leave: false, stall: false, addPartitions: 0 };

export interface CheckConfigInput {
  protocol: Protocol;
  assignor: string;
  members: number;
  partitions: number;
  faults?: FaultSettings;
  variant?: Variant;
}

/** Assignors a protocol can use: the EAGER client runs any assignor that supports EAGER. */
export function assignorsFor(protocol: Protocol, variant?: Variant): string[] {
  const all = { ...builtinAssignors, ...variant?.assignors };
  return Object.values(all)
    .filter((a) => a.supportedProtocols.includes(protocol))
    .map((a) => a.name)
    .sort();
}

export function worldConfig(input: CheckConfigInput): WorldConfig {
  const base: WorldConfig = {
    protocol: input.protocol,
    assignor: input.assignor,
    members: input.members,
    topics: { t0: input.partitions },
    timers: defaultTimers,
    faults: input.faults ?? allFaults,
    autoCommit: true,
  };
  return { ...base, ...input.variant?.settings };
}

export function session(config: WorldConfig, variant?: Variant, liveness = true): Session {
  return { config, model: buildModel(variant), invariants: invariantsFor(config.protocol), liveness };
}
