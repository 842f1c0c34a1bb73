import { assign, enqueueActions } from 'xstate';

// Wrapping a machine's named action while keeping what it is: an `assign` stays an `assign`
// and an `enqueueActions` stays one, so `machine.provide` runs the wrapper exactly where the
// original ran. The wrapper sees every context patch the action writes and may change it.

type Patch = Record<string, unknown>;
type Args = Record<string, unknown>;
type Assigner = Patch | ((args: Args, params: unknown) => Patch);

interface AssignAction {
  type: 'xstate.assign';
  assignment: Assigner;
}
interface EnqueueAction {
  type: 'xstate.enqueueActions';
  collect: (args: Args, params: unknown) => void;
}

const isAssign = (a: unknown): a is AssignAction => typeof a === 'function' && (a as { type?: string }).type === 'xstate.assign';
const isEnqueue = (a: unknown): a is EnqueueAction => typeof a === 'function' && (a as { type?: string }).type === 'xstate.enqueueActions';

/** Whether the action writes context (an `assign`, or an `enqueueActions` that may `enqueue.assign`). */
export const writesContext = (action: unknown): boolean => isAssign(action) || isEnqueue(action);

/** A patch of the assigner's result (a function assigner is called, an object one is used as is). */
const mapAssigner =
  (a: Assigner, f: (p: Patch) => Patch) =>
  (args: Args, params: unknown): Patch => {
    if (typeof a !== 'function') {
      // An object of property assigners: evaluate each, as xstate would.
      const out: Patch = {};
      for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'function' ? (v as (x: Args, p: unknown) => unknown)(args, params) : v;
      return f(out);
    }
    return f(a(args, params));
  };

/**
 * The action with every context patch passed through `f`; `onRun` is called whenever it runs.
 * Returns undefined for an action that writes no context (a plain function).
 */
export function mapPatches(action: unknown, f: (p: Patch) => Patch, onRun: () => void = () => {}): unknown {
  if (isAssign(action))
    return assign((args: Args, params: unknown) => {
      onRun();
      return mapAssigner(action.assignment, f)(args, params);
    });
  if (isEnqueue(action))
    return enqueueActions(((args: Args, params: unknown) => {
      onRun();
      const e = args.enqueue as ((x: unknown) => void) & { assign: (a: Assigner) => void };
      const wrapped = Object.assign((x: unknown) => e(x), e, { assign: (a: Assigner) => e.assign(mapAssigner(a, f) as never) });
      action.collect({ ...args, enqueue: wrapped }, params);
    }) as never);
  return undefined;
}

/** The action replaced by one that does nothing (no context change, no message sent). */
export const skipAction = (onRun: () => void = () => {}): unknown =>
  assign(() => {
    onRun();
    return {};
  });

/** The patch without `field`: the context keeps its old value of it. */
export const without =
  (field: string) =>
  (p: Patch): Patch => {
    if (!(field in p)) return p;
    const { [field]: _, ...rest } = p;
    return rest;
  };
