import { BroadcastChannel, threadId } from 'node:worker_threads';

// Shared cells between a supervised search (`check`, `explore` on a worker thread, see
// src/cli/supervise.ts) and its supervisor on the main thread, whose event loop stays free while
// the search runs synchronously:
// - a stop flag the supervisor raises on Ctrl-C; the search loops read it where they read the
//   --max-time deadline, so an interrupted search stops and reports as at a deadline;
// - per thread, which piece of a variant's own code (a guard, an action, an assignor call) is
//   running and how many times such code was entered, so a watchdog can name the code that
//   never returns and end the search (a synchronous loop cannot be interrupted in its thread).
// Without a supervisor (the library API, tests) the cells are absent and every call is a no-op.

const STOP = 0;
/** What the command did so far (runs or states, see `noteDone`), for a summary if it must be stopped at once. */
const DONE = 1;
const DONE_UNIT = 2;
const FIRST_SLOT = 4;
/** Threads that can each report their user code (a search and its parallel explore workers). */
export const controlThreads = 32;
const slotOf = (thread: number) => FIRST_SLOT + 2 * (thread % controlThreads);

export const controlBytes = (FIRST_SLOT + 2 * controlThreads) * 4;

const units = ['runs', 'states'] as const;

/** The command has done `count` runs or states so far (what the supervisor says if it must stop the command at once). */
export function noteDone(unit: (typeof units)[number], count: number): void {
  if (!state.cells) return;
  Atomics.store(state.cells, DONE, Math.min(count, 2 ** 31 - 1));
  Atomics.store(state.cells, DONE_UNIT, units.indexOf(unit) + 1);
}

/** What `noteDone` last said, e.g. `1,234 runs`, or undefined. */
export function doneSoFar(cells: Int32Array): string | undefined {
  const unit = units[Atomics.load(cells, DONE_UNIT) - 1];
  return unit && `${Atomics.load(cells, DONE).toLocaleString('en-US')} ${unit}`;
}

/** What a thread registers: the id of a piece of user code and how the watchdog names it. */
export interface UserCodeName {
  id: number;
  where: string;
}

/** The channel on which threads announce the names of user code (ids are per thread). */
export const userCodeChannel = 'rebalance-check/user-code';

const state: { cells?: Int32Array; channel?: BroadcastChannel; next: number; ids: Map<string, number> } = { next: 1, ids: new Map() };

/** Joins the supervisor's cells (a search worker, or an explore worker started by one). */
export function attachControl(buffer: SharedArrayBuffer | undefined): void {
  if (!buffer) return;
  state.cells = new Int32Array(buffer);
  state.channel = new BroadcastChannel(userCodeChannel);
  state.channel.unref();
}

/** The buffer to hand to a worker this thread starts, so it joins the same supervisor. */
export const controlBuffer = (): SharedArrayBuffer | undefined => state.cells?.buffer as SharedArrayBuffer | undefined;

/** True once the supervisor was asked to stop (Ctrl-C): finish like at a deadline. */
export const interrupted = (): boolean => state.cells !== undefined && Atomics.load(state.cells, STOP) !== 0;

/** Raises the stop flag (the supervisor's side). */
export function requestStop(cells: Int32Array): void {
  Atomics.store(cells, STOP, 1);
}

/** An id for a piece of user code named `where` (announced to the supervisor), or 0 unsupervised. */
export function userCodeId(where: string): number {
  if (!state.channel) return 0;
  let id = state.ids.get(where);
  if (id === undefined) {
    id = threadId * 65_536 + state.next++;
    state.ids.set(where, id);
    state.channel.postMessage({ id, where } satisfies UserCodeName);
  }
  return id;
}

/** Marks user code `id` as running in this thread; returns what to pass to `leaveUserCode`. */
export function enterUserCode(id: number): number {
  const cells = state.cells;
  if (!cells || id === 0) return 0;
  const slot = slotOf(threadId);
  const before = cells[slot];
  cells[slot] = id;
  cells[slot + 1]++;
  return before;
}

export function leaveUserCode(id: number, before: number): void {
  if (state.cells && id !== 0) state.cells[slotOf(threadId)] = before;
}

/** The supervisor's view of one thread's slot: the code running (0: none) and the entry count. */
export function userCodeSlots(cells: Int32Array): Array<{ id: number; entries: number }> {
  return Array.from({ length: controlThreads }, (_, t) => ({
    id: Atomics.load(cells, slotOf(t)),
    entries: Atomics.load(cells, slotOf(t) + 1),
  }));
}

/** A wall-clock deadline (epoch ms, `--max-time`) has passed, or the supervisor asked to stop. */
export const pastDeadline = (deadline: number | undefined): boolean => interrupted() || (deadline !== undefined && Date.now() >= deadline);
