import type { AnyStateMachine } from 'xstate';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { coordinatorMachine } from '../../models/classic/coordinator.ts';
import { createConsumerMachine } from '../../models/classic/consumer.ts';
import { createGroupCoordinatorMachine } from '../../models/consumer-protocol/coordinator.ts';
import { createMemberMachine } from '../../models/consumer-protocol/member.ts';
import type { MachineName } from '../variants/overrides.ts';
import type { Protocol } from '../world/types.ts';

// The four machines whose named guards and actions are mutated, and where each one runs.

export const machineIds = ['classic-coordinator', 'classic-consumer', 'kip848-coordinator', 'kip848-member'] as const;
export type MachineId = (typeof machineIds)[number];

export interface MachineInfo {
  machine: AnyStateMachine;
  /** The variant field that overrides it (`consumer` is the KIP-848 member too). */
  slot: MachineName;
  protocols: Protocol[];
}

let cache: Record<MachineId, MachineInfo> | undefined;

export function machineInfo(id: MachineId): MachineInfo {
  cache ??= {
    'classic-coordinator': { machine: coordinatorMachine, slot: 'coordinator', protocols: ['eager', 'cooperative'] },
    'classic-consumer': { machine: createConsumerMachine(builtinAssignors), slot: 'consumer', protocols: ['eager', 'cooperative'] },
    'kip848-coordinator': { machine: createGroupCoordinatorMachine(), slot: 'coordinator', protocols: ['consumer'] },
    'kip848-member': { machine: createMemberMachine(), slot: 'consumer', protocols: ['consumer'] },
  };
  return cache[id];
}

export const implementations = (id: MachineId) =>
  machineInfo(id).machine.implementations as unknown as {
    guards: Record<string, (...a: unknown[]) => boolean>;
    actions: Record<string, unknown>;
  };
