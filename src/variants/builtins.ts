import { builtinAssignors } from '../../models/assignors/index.ts';
import { createConsumerMachine } from '../../models/classic/consumer.ts';
import { coordinatorMachine } from '../../models/classic/coordinator.ts';
import { groupCoordinatorMachine } from '../../models/consumer-protocol/coordinator.ts';
import { memberMachine } from '../../models/consumer-protocol/member.ts';

/**
 * The machines' own guards and actions, by name, so that a variant wraps one instead of copying
 * it: `enqueueActions(({ enqueue }) => { enqueue(builtins.classicConsumer.actions.adoptGeneration); ... })`,
 * or a guard that calls the built-in one and changes its answer in one case. The classic
 * consumer's are those of the machine built with the built-in assignors (its leader assigns with
 * them), whatever assignors the variant adds.
 */
export const builtins = {
  classicCoordinator: coordinatorMachine.implementations,
  classicConsumer: createConsumerMachine(builtinAssignors).implementations,
  groupCoordinator: groupCoordinatorMachine.implementations,
  groupMember: memberMachine.implementations,
};
