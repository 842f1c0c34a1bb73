import type { AnyMachineSnapshot } from 'xstate';
import type { CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { ClientSlot, World } from './types.ts';

// Read-only views of a world, shared by the world itself, the invariants and the reports.

export const coord = (w: World): CoordinatorContext => w.coordinator.context as CoordinatorContext;
export const coordState = (w: World): string => w.coordinator.value as string;
export const ctxOf = (s: ClientSlot): ConsumerContext => (s.snapshot as AnyMachineSnapshot).context as ConsumerContext;

/** A process that is running and whose machine has not reached a final state. */
export const isLive = (s: ClientSlot): boolean => s.status === 'running' && s.snapshot !== null && s.snapshot.status === 'active';

export const liveClients = (w: World): ClientSlot[] => w.clients.filter(isLive);

export const clientState = (s: ClientSlot): string => (s.snapshot ? String(s.snapshot.value) : s.status);

/** A live process that completed SyncGroup for the coordinator's current generation and is still a member. */
export function isCurrentMember(w: World, s: ClientSlot): boolean {
  if (!isLive(s)) return false;
  const c = ctxOf(s);
  const g = coord(w);
  return s.snapshot!.value === 'stable' && c.generation === g.generation && s.formation === w.formation && g.members[c.memberId] !== undefined;
}

/** Partition -> names of live processes that believe they own it. */
export function liveOwners(w: World): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const s of w.clients) {
    if (!isLive(s)) continue;
    for (const p of ctxOf(s).owned) {
      const list = owners.get(p);
      if (list) list.push(s.name);
      else owners.set(p, [s.name]);
    }
  }
  return owners;
}

/** Topics subscribed by at least one live process. */
export function subscribedTopics(w: World): string[] {
  const topics = new Set<string>();
  for (const s of liveClients(w)) for (const t of ctxOf(s).cfg.topics) topics.add(t);
  return [...topics].sort();
}

/**
 * The group has settled: the coordinator is Stable (or Empty with nobody running), every live
 * process is a current member with nothing left to do, and the leader has seen the brokers'
 * topic metadata. This is the "stable group" the coverage and idle invariants talk about.
 */
const settledCache = new WeakMap<World, boolean>();

export function isSettled(w: World): boolean {
  let v = settledCache.get(w);
  if (v === undefined) settledCache.set(w, (v = computeSettled(w)));
  return v;
}

function computeSettled(w: World): boolean {
  const live = liveClients(w);
  const g = coord(w);
  if (live.length === 0) return coordState(w) === 'Empty' || Object.keys(g.members).length === 0;
  if (coordState(w) !== 'Stable') return false;
  if (Object.keys(g.members).length !== live.length) return false;
  const topics = subscribedTopics(w);
  for (const s of live) {
    const c = ctxOf(s);
    if (!isCurrentMember(w, s) || c.rejoinNeeded || c.stalled || c.joinedTopics.join() !== c.cfg.topics.join()) return false;
    for (const t of topics) if (c.metadata[t] !== w.topics[t]) return false;
  }
  return true;
}

/** Earliest timer deadline anywhere in the world, or Infinity. */
export function nextDeadline(w: World): number {
  let min = Infinity;
  for (const d of Object.values(coord(w).timers)) if (d < min) min = d;
  for (const s of w.clients) {
    if (!isLive(s)) continue;
    for (const d of Object.values(ctxOf(s).timers)) if (d < min) min = d;
  }
  return min;
}
