import type { Choice, ClientSlot, Msg, World, WorldConfig } from '../../src/world/types.ts';
import { common, coord, isLive } from '../../src/world/view.ts';
import { delivered } from '../step-facts.ts';

// Facts about one step that several goals need, and the `needs` of goals (what a campaign must
// allow for a goal to be reachable at all).

/** The request of kind `kind` this step delivered to the coordinator it was addressed to (not a stale broker). */
export function deliveredRequest<K extends string>(before: World, choice: Choice, kind: K): (Msg['body'] & { kind: K }) | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'coordinator' || m.body.kind !== kind) return undefined;
  return (m.body as { epoch?: number }).epoch === before.coordinatorEpoch ? (m.body as Msg['body'] & { kind: K }) : undefined;
}

/** The coordinator answered some request of this step with `error`. */
export const answered = (after: World, error: string): boolean =>
  after.sent.some((m) => m.to === 'client' && (m.body as { error?: string }).error === error);

/** The live process of a slot, if it runs. */
export const liveSlot = (w: World, name: string): ClientSlot | undefined => {
  const s = w.clients.find((c) => c.name === name);
  return s && isLive(s) ? s : undefined;
};

/** Live processes whose machine is in `state`. */
export const liveIn = (w: World, state: string): ClientSlot[] => w.clients.filter((s) => isLive(s) && s.snapshot!.value === state);

/** The classic group's generation went up in this step (a join phase completed). */
export const generationFormed = (before: World, after: World): boolean =>
  after.coordinatorEpoch === before.coordinatorEpoch && coord(after).generation > coord(before).generation;

/** The process owns partitions (fetches them) at this moment. */
export const holdsPartitions = (s: ClientSlot): boolean => common(s).owned.length > 0;

const need = (text: string, holds: (c: WorldConfig) => boolean) => ({ text, holds });
export const needs = {
  failover: need('coordinator failover (faults)', (c) => c.faults.failover > 0),
  crashInCallback: need('crashes and slow rebalance callbacks', (c) => c.faults.crash && c.faults.slowCallbacks),
  slowCallbacks: need('slow rebalance callbacks', (c) => c.faults.slowCallbacks),
  cut: need('link cuts', (c) => c.faults.cut),
  stall: need('poll stalls', (c) => c.faults.stall),
  addPartitions: need('partitions added', (c) => c.faults.addPartitions > 0),
  twoMembers: need('two or more members', (c) => c.members >= 2),
  static: need('static membership (--static) and restarts', (c) => c.static && (c.faults.crash || c.faults.leave)),
  staticCrash: need('static membership (--static) and crashes', (c) => c.static && c.faults.crash),
  staticLeave: need('static membership (--static) and graceful closes', (c) => c.static && c.faults.leave),
  upgrade: need('a rolling upgrade (--upgrade)', (c) => c.upgrade),
  dynamic: need('dynamic members (not --static)', (c) => !c.static),
  and: (...ns: Array<ReturnType<typeof need>>) => need(ns.map((n) => n.text).join(', '), (c) => ns.every((n) => n.holds(c))),
};
