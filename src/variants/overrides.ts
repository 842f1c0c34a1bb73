import type { AnyStateMachine } from 'xstate';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { coordinatorMachine } from '../../models/classic/coordinator.ts';
import { createConsumerMachine } from '../../models/classic/consumer.ts';
import { createGroupCoordinatorMachine } from '../../models/consumer-protocol/coordinator.ts';
import { createMemberMachine } from '../../models/consumer-protocol/member.ts';
import type { Protocol } from '../world/types.ts';

// The names a variant may override, read from the machines themselves (never a hand-kept
// list): every guard and action in `machine.implementations`.

export type MachineName = 'coordinator' | 'consumer';
export type ImplementationKind = 'guards' | 'actions';

export const machines: Record<MachineName, AnyStateMachine> = {
  coordinator: coordinatorMachine,
  consumer: createConsumerMachine(builtinAssignors),
};

/** The KIP-848 machines: a variant for `consumer` overrides the group coordinator and the member. */
const consumerProtocolMachines: Record<MachineName, AnyStateMachine> = {
  coordinator: createGroupCoordinatorMachine(),
  consumer: createMemberMachine(),
};

/** Guard and action names of a machine, in the order the machine declares them. */
export function overridableNames(machine: MachineName, protocol: Protocol = 'eager'): Record<ImplementationKind, string[]> {
  const impl = (protocol === 'consumer' ? consumerProtocolMachines : machines)[machine].implementations;
  return { guards: Object.keys(impl.guards), actions: Object.keys(impl.actions) };
}
