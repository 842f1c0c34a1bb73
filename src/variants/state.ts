import { assign } from 'xstate';

// A variant's own state (issue 13, part 4): a variant that changes a decision sometimes needs to
// remember something the protocol does not keep (how many generations a consumer has seen, the
// partitions it held before it was fenced, per member on the coordinator). `variantState` gives
// that memory a typed, named place in the machine's context instead of untyped extra fields.
//
// Where it lives and what that means:
// - In the context of the machine whose action writes it: each consumer (classic) or member
//   (KIP-848) has its own, so a client machine's slot is per member; a coordinator's slot is one
//   per group, and per-member data there is a record keyed by member id (`perMember` below).
// - It is process memory: a crash or restart starts the client with the initial value, and a
//   coordinator failover loads the group from its log without it (as any in-memory state).
// - It is part of the state: `explore` tells apart states that differ only in it, and under
//   client symmetry member ids inside it are renamed like the rest of the context. So it must be
//   plain JSON (numbers, strings, booleans, arrays, plain objects): no Map, Set, class or function.
// - Keep it small and bounded: every distinct value is a distinct explored state.

/** The context key of a slot: prefixed so that it cannot collide with a protocol field. */
const keyOf = (name: string) => `variant:${name}`;

export interface VariantState<T> {
  /** The slot's name (its context key is `variant:<name>`). */
  readonly name: string;
  /** The slot's value in this context: the initial value until an action wrote it. */
  get(context: object): T;
  /**
   * An action that writes the slot from its current value and the action's arguments, for a
   * variant's `actions` (alone, or enqueued beside the built-in action it wraps with
   * `enqueueActions`).
   */
  update<A extends { context: object }>(next: (current: T, args: A) => T): never;
}

/** A typed slot of a variant's own state in a machine's context, starting at `initial`. */
export function variantState<T>(name: string, initial: T): VariantState<T> {
  if (!/^[A-Za-z][\w-]*$/.test(name)) throw new Error(`variantState: the name must be a word (letters, digits, - or _), got '${name}'`);
  const key = keyOf(name);
  const get = (context: object): T => {
    const v = (context as Record<string, T | undefined>)[key];
    return v === undefined ? initial : v;
  };
  return {
    name,
    get,
    update: <A extends { context: object }>(next: (current: T, args: A) => T) =>
      assign((args: A) => ({ [key]: next(get(args.context), args) })) as never,
  };
}

/** A per-member record for a coordinator's slot: the value for one member id, or the initial one. */
export function perMember<T>(record: Readonly<Record<string, T>>, memberId: string, initial: T): T {
  return Object.hasOwn(record, memberId) ? record[memberId] : initial;
}
