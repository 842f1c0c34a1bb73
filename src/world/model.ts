import type { AnyStateMachine } from 'xstate';
import { builtinAssignors } from '../../models/assignors/index.ts';
import type { Assignor } from '../../models/assignors/types.ts';
import { coordinatorMachine } from '../../models/classic/coordinator.ts';
import { createConsumerMachine } from '../../models/classic/consumer.ts';
import { serverAssignors, type ServerAssignor } from '../../models/consumer-protocol/assignors.ts';
import { createGroupCoordinatorMachine } from '../../models/consumer-protocol/coordinator.ts';
import { createMemberMachine } from '../../models/consumer-protocol/member.ts';
import type { ProtocolFamily } from './types.ts';
import { compileMachine, Unsupported } from './compiled.ts';
import { fastRunner, guarded, plainRunner, transitioning, type MachineRunner } from './runtime.ts';
import { wrapAssignors, wrapOverrides } from './user-code.ts';

/** Named guard and action overrides, passed to xstate's `machine.provide`. */
export interface Overrides {
  guards?: Record<string, (...args: never[]) => boolean>;
  actions?: Record<string, unknown>;
}

/** A design variant: what it changes in the machines or assignors. */
export interface ModelChanges {
  /** Names the variant in what its code throws. */
  name?: string;
  coordinator?: Overrides;
  consumer?: Overrides;
  /** Extra or replacement assignors, by protocol name. */
  assignors?: Record<string, Assignor>;
  /** Extra or replacement server-side assignors of the consumer protocol (KIP-848), by name. */
  serverAssignors?: Record<string, ServerAssignor>;
}

/** The machines of one run, wrapped for the world. */
export interface Model {
  /** The protocol family these machines speak (a migration run's start family; `byFamily` has both). */
  family: ProtocolFamily;
  coordinator: MachineRunner;
  consumer: MachineRunner;
  assignors: Record<string, Assignor>;
  machines: { coordinator: AnyStateMachine; consumer: AnyStateMachine };
  /**
   * A migration run (mixed group) has both families' machines: the group's coordinator and each
   * process's client machine are picked by family. `coordinator`/`consumer` are the start family's.
   */
  byFamily?: Record<ProtocolFamily, Model>;
}

/** The runners of one family: the model's own, or (migration) the family's. */
export const runnersOf = (model: Model, family: ProtocolFamily): Model => model.byFamily?.[family] ?? model;

/**
 * How machine transitions run: `compiled` (src/world/compiled.ts, the default; a machine using a
 * feature it does not support falls back to `fast`), `fast` (xstate's interpreter with a reused
 * scope: `--interpreter xstate`) or `plain` (xstate's public transition(), the bench baseline).
 */
export type RunnerMode = 'compiled' | 'fast' | 'plain';
export const interpreters = ['compiled', 'xstate'] as const;
export type Interpreter = (typeof interpreters)[number];
export const modeOf = (i: Interpreter | undefined): RunnerMode => (i === 'xstate' ? 'fast' : 'compiled');

/** Machines the compiled interpreter refused, with the reason (so a caller can say so). */
export const fallbacks = new Map<string, string>();

function compiledOrFast(machine: AnyStateMachine): MachineRunner {
  try {
    const compiled = compileMachine(machine);
    // As the xstate runners do: a variant's guards and actions read the state value, and what
    // they throw is rethrown as the named VariantCodeError (src/world/user-code.ts).
    return {
      initial: compiled.initial,
      send(snapshot, event) {
        transitioning.value = snapshot.value;
        return guarded(() => compiled.send(snapshot, event));
      },
    };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    fallbacks.set(machine.id, e.message);
    return fastRunner(machine);
  }
}

/**
 * The machines of one run: the classic ones, or (family `consumer`) the KIP-848 ones; with `mixed`,
 * both (a migration between them), `family` the one the run starts on. A variant's coordinator
 * and consumer overrides are given to both families' machines (a name a machine lacks is unused).
 */
export function buildModel(
  changes: ModelChanges = {},
  mode: RunnerMode = 'compiled',
  family: ProtocolFamily = 'classic',
  mixed = false,
): Model {
  if (!mixed) return buildFamily(changes, mode, family);
  const classic = buildFamily(changes, mode, 'classic');
  const consumer = buildFamily(changes, mode, 'consumer');
  const start = family === 'classic' ? classic : consumer;
  return { ...start, byFamily: { classic, consumer } };
}

function buildFamily(changes: ModelChanges, mode: RunnerMode, family: ProtocolFamily): Model {
  const who = changes.name ?? 'variant';
  // A variant's assignors are its own code too: a call that never returns is named (user-code.ts).
  const assignors = { ...builtinAssignors, ...wrapAssignors(changes.assignors, who) };
  let coordinator: AnyStateMachine =
    family === 'consumer'
      ? createGroupCoordinatorMachine({ ...serverAssignors, ...wrapAssignors(changes.serverAssignors, who) })
      : coordinatorMachine;
  let consumer: AnyStateMachine = family === 'consumer' ? createMemberMachine() : createConsumerMachine(assignors);
  // A variant's guards and actions get the state value, and what they throw names them (user-code.ts).
  if (changes.coordinator) coordinator = coordinator.provide(wrapOverrides(changes.coordinator, who, 'coordinator') as never);
  if (changes.consumer) consumer = consumer.provide(wrapOverrides(changes.consumer, who, 'consumer') as never);
  const wrap = mode === 'compiled' ? compiledOrFast : mode === 'fast' ? fastRunner : plainRunner;
  return { family, coordinator: wrap(coordinator), consumer: wrap(consumer), assignors, machines: { coordinator, consumer } };
}
