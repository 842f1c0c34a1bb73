import type { AnyStateMachine } from 'xstate';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { coordinatorMachine } from '../../models/classic/coordinator.ts';
import { createConsumerMachine } from '../../models/classic/consumer.ts';

// The names a variant may override, read from the machines themselves (never a hand-kept
// list): every guard and action in `machine.implementations`.

export type MachineName = 'coordinator' | 'consumer';
export type ImplementationKind = 'guards' | 'actions';

export const machines: Record<MachineName, AnyStateMachine> = {
  coordinator: coordinatorMachine,
  consumer: createConsumerMachine(builtinAssignors),
};

/** Guard and action names of a machine, in the order the machine declares them. */
export function overridableNames(machine: MachineName): Record<ImplementationKind, string[]> {
  const impl = machines[machine].implementations;
  return { guards: Object.keys(impl.guards), actions: Object.keys(impl.actions) };
}
