import { assign, enqueueActions } from 'xstate';
import { enterUserCode, leaveUserCode, userCodeId } from '../core/control.ts';
import { UsageError } from '../core/errors.ts';
import type { Assignor } from '../../models/assignors/types.ts';
import type { ServerAssignor } from '../../models/consumer-protocol/assignors.ts';
import { transitioning } from './runtime.ts';
import type { Overrides } from './model.ts';

// A variant's own code runs inside the machines. Two things happen to every guard and action
// it overrides: it is given the machine's state value, and an error it throws becomes one line
// naming the variant and the place (exit 2 on the command line), not a stack trace from deep
// inside xstate. (Assignors are not wrapped: one that throws fails the leader's round, as in
// Kafka; see models/classic/consumer.ts sendSyncGroup.)

/** An error thrown by a variant's own guard or action while a run was in progress. */
export class VariantCodeError extends UsageError {}

/**
 * What a variant's guard or action receives: xstate's `{ context, event }` plus `value`, the
 * machine's state value when the event arrived (e.g. `'stable'`, `'PreparingRebalance'`).
 * Entry and exit actions see the same value: the state the transition started from.
 */
export type WithState<A> = A & { value: unknown };

const message = (e: unknown): string => {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

type Fn = (args: Record<string, unknown>, params: unknown) => unknown;

/** `fn` called with the state value added to its first argument; what it throws, named. */
function wrapFn(fn: Fn, where: string): Fn {
  // Under a supervisor (src/cli/supervise.ts), the code running is marked so that a watchdog can
  // name a guard or action that never returns (src/core/control.ts).
  const id = userCodeId(where);
  return (args, params) => {
    const before = enterUserCode(id);
    try {
      return fn({ ...args, value: transitioning.value }, params);
    } catch (e) {
      // xstate re-wraps what a guard throws; the runner rethrows this one (runtime.ts).
      transitioning.error ??= e instanceof VariantCodeError ? e : new VariantCodeError(`${where} threw: ${message(e)}`);
      throw transitioning.error;
    } finally {
      leaveUserCode(id, before);
    }
  };
}

/**
 * A variant's assignors, each call marked for the watchdog like a guard. What an assignor throws
 * is left as it is: the model fails the leader's round (classic) or computes no target (KIP-848).
 */
export function wrapAssignors<A extends Assignor | ServerAssignor>(
  assignors: Record<string, A> | undefined,
  variant: string,
): Record<string, A> | undefined {
  if (!assignors) return assignors;
  return Object.fromEntries(
    Object.entries(assignors).map(([name, a]) => {
      const id = userCodeId(`variant ${variant}: assignor "${name}" (its assign call)`);
      if (id === 0) return [name, a];
      const assign = (input: never) => {
        const before = enterUserCode(id);
        try {
          return a.assign(input);
        } finally {
          leaveUserCode(id, before);
        }
      };
      return [name, { ...a, assign }];
    }),
  );
}

/** An `assign` argument (a function, or an object of values and functions) with its functions wrapped. */
function wrapAssignment(spec: unknown, where: string): unknown {
  if (typeof spec === 'function') return wrapFn(spec as Fn, where);
  const props = Object.entries(spec as Record<string, unknown>).map(([k, v]) => [
    k,
    typeof v === 'function' ? wrapFn(v as Fn, `${where} (field ${k})`) : v,
  ]);
  return Object.fromEntries(props);
}

type Enqueue = ((action: unknown) => void) & { assign: (spec: unknown) => void };

/** An enqueueActions callback's `enqueue`, wrapping the variant's own functions it is handed. */
function wrapEnqueue(enqueue: Enqueue, where: string): Enqueue {
  const own = (action: unknown) => {
    const type = (action as { type?: unknown }).type;
    const builtin = typeof type === 'string' && type.startsWith('xstate.');
    enqueue(typeof action === 'function' && !builtin ? wrapAction(action, where) : action);
  };
  return Object.assign(own, enqueue, { assign: (spec: unknown) => enqueue.assign(wrapAssignment(spec, where)) });
}

/** An action as xstate accepts it, rebuilt around wrapped functions (assign, enqueueActions, or a plain function). */
function wrapAction(action: unknown, where: string): unknown {
  if (typeof action !== 'function') return action;
  const a = action as unknown as { type?: string; assignment?: unknown; collect?: Fn };
  if (a.type === 'xstate.assign') return assign(wrapAssignment(a.assignment, where) as never);
  if (a.type === 'xstate.enqueueActions') {
    const collect = a.collect!;
    // What the callback queues runs after it returns: its own functions are wrapped too, so that
    // an `enqueue.assign(...)` that throws is named like the callback itself.
    return enqueueActions(
      wrapFn((args, params) => collect({ ...args, enqueue: wrapEnqueue(args.enqueue as Enqueue, where) }, params), where) as never,
    );
  }
  // Other built-in actions (raise, sendTo, ...) stay themselves: the compiled interpreter must
  // still see what they are (it refuses the ones it does not support, and xstate runs them).
  if (typeof a.type === 'string' && a.type.startsWith('xstate.')) return action;
  return wrapFn(action as Fn, where);
}

/** A machine's overrides, each named in what it throws: `variant NAME: consumer guard "x"`. */
export function wrapOverrides(o: Overrides | undefined, variant: string, machine: string): Overrides | undefined {
  if (!o) return o;
  const where = (kind: string, name: string) => `variant ${variant}: ${machine} ${kind} "${name}"`;
  return {
    ...(o.guards && {
      guards: Object.fromEntries(Object.entries(o.guards).map(([n, g]) => [n, wrapFn(g as unknown as Fn, where('guard', n))])) as never,
    }),
    ...(o.actions && { actions: Object.fromEntries(Object.entries(o.actions).map(([n, a]) => [n, wrapAction(a, where('action', n))])) }),
  };
}
