import { createActor, initialTransition, transition, type AnyStateMachine, type AnyMachineSnapshot } from 'xstate';

// Runs a machine's pure transition function and collects the `send` actions it returns.
// `fast` reuses one inert actor scope for every call (xstate's own `transition()` builds
// a fresh actor per call); `plain` is xstate's public API, kept as the reference that a
// test proves `fast` equal to, and as the bench baseline.

export interface MachineRunner {
  initial(input: unknown): [AnyMachineSnapshot, unknown[]];
  send(snapshot: AnyMachineSnapshot, event: { type: string }): [AnyMachineSnapshot, unknown[]];
}

const sendsOf = (actions: ReadonlyArray<{ type: string; params?: unknown }>): unknown[] => {
  const out: unknown[] = [];
  for (const a of actions) if (a.type === 'send') out.push(a.params);
  return out;
};

/**
 * The state value of the snapshot a runner is transitioning, while it does: a variant's guards
 * and actions read it (src/variants/user-code.ts passes it to them as `value`), since xstate
 * gives them only the context and the event. Transitions never nest, so one slot serves all.
 */
export const transitioning: { value: unknown; error?: Error } = { value: undefined };

/** Runs a transition; an error a variant's code threw in it comes out as itself, not as xstate's wrapping of it. */
/** Runs a transition; a variant's own error (recorded by user-code.ts) is rethrown as itself. */
export function guarded<T>(f: () => T): T {
  transitioning.error = undefined;
  try {
    return f();
  } catch (e) {
    const own = transitioning.error;
    transitioning.error = undefined;
    throw own ?? e;
  }
}

export function fastRunner(machine: AnyStateMachine): MachineRunner {
  const buffer: Array<{ type: string; params?: unknown }> = [];
  const self = createActor(machine, { input: undefined as never });
  const scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    actionExecutor: (action: { type: string; params?: unknown }) => {
      buffer.push(action);
    },
  };
  return {
    initial(input) {
      buffer.length = 0;
      const snap = machine.getInitialSnapshot(scope as never, input) as AnyMachineSnapshot;
      return [snap, sendsOf(buffer)];
    },
    send(snapshot, event) {
      buffer.length = 0;
      transitioning.value = snapshot.value;
      const next = guarded(() => machine.transition(snapshot, event as never, scope as never) as AnyMachineSnapshot);
      return [next, sendsOf(buffer)];
    },
  };
}

export function plainRunner(machine: AnyStateMachine): MachineRunner {
  return {
    initial(input) {
      const [snap, actions] = initialTransition(machine, input as never);
      return [snap as AnyMachineSnapshot, sendsOf(actions)];
    },
    send(snapshot, event) {
      transitioning.value = snapshot.value;
      const [snap, actions] = guarded(() => transition(machine, snapshot as never, event as never));
      return [snap as AnyMachineSnapshot, sendsOf(actions)];
    },
  };
}
