import type { AnyMachineSnapshot } from 'xstate';
import type { Model } from '../world/model.ts';
import type { MachineRunner } from '../world/runtime.ts';

// The explorer meets the same machine transition again and again: when two choices touch
// different processes, both orders reach the snapshot before the second one with the same
// event (same message object, same time). Machines are pure functions of (snapshot, event),
// so the result can be reused; sharing the resulting snapshot object also lets the
// canonical form's identity caches hit. Results are kept while the snapshot is alive and
// recently used (see `age`).

const ids = new WeakMap<object, number>();
let nextId = 1;
const idOf = (o: object): number => {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
};

/** An event's identity: its fields in order, a message by object identity (messages are never changed). */
function eventKey(event: Record<string, unknown>): string {
  let k = '';
  for (const f in event) {
    const v = event[f];
    if (typeof v !== 'object' || v === null) k += `${v}|`;
    else k += f === 'msg' ? `#${idOf(v)}|` : `${JSON.stringify(v)}|`;
  }
  return k;
}

/** A memoising runner; `age` forgets what was not used since the previous call. */
export interface MemoRunner extends MachineRunner {
  age(): void;
}

export function memoRunner(runner: MachineRunner): MemoRunner {
  // Two generations: a result is kept while its snapshot is alive and was used in this or the
  // previous one. Without aging, live snapshots keep their successors' results alive, and
  // theirs, and the cache grows with the explored graph.
  type Results = Map<string, [AnyMachineSnapshot, unknown[]]>;
  let young = new WeakMap<AnyMachineSnapshot, Results>();
  let old = new WeakMap<AnyMachineSnapshot, Results>();
  // Starts and failovers: few distinct inputs, all plain data (a failover's is what the old coordinator persisted).
  const initials = new Map<string, [AnyMachineSnapshot, unknown[]]>();
  return {
    initial(input) {
      const k = eventKey(input as Record<string, unknown>);
      let r = initials.get(k);
      if (r === undefined) initials.set(k, (r = runner.initial(input)));
      return r;
    },
    send(snapshot, event) {
      let bySnapshot = young.get(snapshot);
      if (!bySnapshot) young.set(snapshot, (bySnapshot = old.get(snapshot) ?? new Map()));
      const k = eventKey(event as Record<string, unknown>);
      let r = bySnapshot.get(k);
      if (r === undefined) bySnapshot.set(k, (r = runner.send(snapshot, event)));
      return r;
    },
    age() {
      old = young;
      young = new WeakMap();
    },
  };
}

/** The model with both machines' transitions memoised (the explorer's; random runs gain nothing). */
export function memoModel(model: Model): Model & { age(): void } {
  const coordinator = memoRunner(model.coordinator);
  const consumer = memoRunner(model.consumer);
  return {
    ...model,
    coordinator,
    consumer,
    age: () => {
      coordinator.age();
      consumer.age();
    },
  };
}
