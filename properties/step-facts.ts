import type { ClassicResponse } from '../models/classic/messages.ts';
import type { Choice, ClientSlot, Msg, World } from '../src/world/types.ts';
import { common, isLive, isProcessOf } from '../src/world/view.ts';

// Facts about one step that several invariants need.

/** The message a `deliver` choice handed over, if any. */
export function delivered(before: World, choice: Choice | null): Msg | undefined {
  return choice?.kind === 'deliver' ? before.net.find((m) => m.id === choice.id) : undefined;
}

/** The response delivered to this slot's process in this step, if any. */
export function responseTo(before: World, choice: Choice | null, slot: ClientSlot): ClassicResponse | undefined {
  const m = delivered(before, choice);
  return m && m.to === 'client' && isProcessOf(m.body.client, slot) ? (m.body as ClassicResponse) : undefined;
}

/** Pairs of (before, after) for every process that was live, and is still the same process, across the step. */
export function sameProcesses(before: World, after: World): Array<[ClientSlot, ClientSlot]> {
  const out: Array<[ClientSlot, ClientSlot]> = [];
  for (const a of after.clients) {
    // A zombie made in this step has no slot before it (its process was its slot's, and is unchanged).
    const b = before.clients.find((s) => s.name === a.name);
    if (b && isLive(a) && isLive(b) && a.inc === b.inc) out.push([b, a]);
  }
  return out;
}

export const minus = (xs: readonly string[], ys: readonly string[]): string[] => xs.filter((x) => !ys.includes(x));

/** Partitions the process gained in this step. */
export const gained = (b: ClientSlot, a: ClientSlot): string[] => minus(common(a).owned, common(b).owned);
export const dropped = (b: ClientSlot, a: ClientSlot): string[] => minus(common(b).owned, common(a).owned);
