import type { AnyMachineSnapshot } from 'xstate';
import type { CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { ClientSlot, ProtocolFamily, World } from './types.ts';
import { builtinAssignors } from '../../models/assignors/index.ts';
import type { TopicPartition, Topics } from '../../models/types.ts';
import * as consumer from './consumer-view.ts';

// Read-only views of a world, shared by the world itself, the invariants and the reports.
// `coord` and `ctxOf` read the classic machines; the protocol-neutral views below (isSettled,
// isCurrentMember, groupStateName, common, ...) work for both the classic and the KIP-848
// consumer protocol, dispatching on `world.family`.

export const coord = (w: World): CoordinatorContext => w.coordinator.context as CoordinatorContext;
export const coordState = (w: World): string => w.coordinator.value as string;
export const ctxOf = (s: ClientSlot): ConsumerContext => (s.snapshot as AnyMachineSnapshot).context as ConsumerContext;

/** A process that is running and whose machine has not reached a final state. */
export const isLive = (s: ClientSlot): boolean => s.status === 'running' && s.snapshot !== null && s.snapshot.status === 'active';

export const liveClients = (w: World): ClientSlot[] => w.clients.filter(isLive);

export const clientState = (s: ClientSlot): string => (s.snapshot ? String(s.snapshot.value) : s.status);

/** What every client context has, in both protocols. */
export interface ClientCommon {
  cfg: { topics: string[]; instanceId: string | null; protocol: string };
  owned: TopicPartition[];
  positions: Record<TopicPartition, number>;
  stalled: boolean;
  metadata: Topics;
  memberId: string;
  timers: Record<string, number>;
  inflight: { commit?: unknown };
}
export const common = (s: ClientSlot): ClientCommon => (s.snapshot as AnyMachineSnapshot).context as ClientCommon;

/** Which protocol a process speaks (a migration runs both in one group). */
export const clientFamily = (s: ClientSlot): ProtocolFamily => (common(s).cfg.protocol === 'consumer' ? 'consumer' : 'classic');

/** The group's state by the protocol's own names (classic: Empty..Stable, Dead; consumer: Empty, Assigning, Reconciling, Stable). */
export const groupStateName = (w: World): string => (w.family === 'consumer' ? consumer.groupState(w) : coordState(w));

/** The generation (classic) or member epoch (consumer) a process acts in. */
export const epochOf = (s: ClientSlot): number =>
  common(s).cfg.protocol === 'consumer' ? consumer.memberCtxOf(s).memberEpoch : ctxOf(s).generation;

/** The group's generation (classic) or group epoch (consumer): bumped by every membership or subscription change the coordinator records. */
export const groupEpoch = (w: World): number => (w.family === 'consumer' ? consumer.groupOf(w).groupEpoch : coord(w).generation);

/** The process is inside onPartitionsRevoked (both protocols name the state `revoking`). */
export const inRevocationCallback = (s: ClientSlot): boolean => isLive(s) && s.snapshot!.value === 'revoking';

/**
 * A live process whose application can fetch what it owns: not stalled, not inside
 * onPartitionsRevoked, and (classic eager) not in onJoinPrepare, `committing`, where nothing is
 * fetched until the join round ends. A KIP-848 member keeps fetching while it commits before a
 * revocation (`reconciling`), as the Java client does.
 */
export function canProcess(s: ClientSlot): boolean {
  if (!isLive(s) || common(s).stalled || inRevocationCallback(s)) return false;
  return !(s.snapshot!.value === 'committing' && common(s).cfg.protocol === 'eager');
}

/** Offsets the coordinator has stored, in both protocols. */
export const committedOffsets = (w: World): Record<TopicPartition, { offset: number }> =>
  (w.coordinator.context as { committed: Record<TopicPartition, { offset: number }> }).committed;

/** The coordinator's members: id and group.instance.id. */
export const groupMembers = (w: World): Array<{ memberId: string; instanceId: string | null }> =>
  Object.values((w.coordinator.context as { members: Record<string, { memberId: string; instanceId: string | null }> }).members);

/** A live process acting as a member: the coordinator knows its id at the generation (epoch) it has. */
export function actsAsMember(w: World, s: ClientSlot): boolean {
  if (!isLive(s)) return false;
  if (w.family === 'consumer') return consumer.isCurrentMember(w, s);
  if (clientFamily(s) !== 'classic') return false;
  const c = ctxOf(s);
  const g = coord(w);
  return g.members[c.memberId] !== undefined && c.generation === g.generation;
}

/** What the group's assignor promises with identical subscriptions. */
export const balancePromise = (w: World): 'global' | 'per-topic' | undefined =>
  w.family === 'consumer' ? consumer.balancePromise(w) : builtinAssignors[coord(w).protocolName ?? '']?.balance;

/** A live process that is a member in good standing: classic, completed SyncGroup for the current generation; consumer, known at its epoch. */
export function isCurrentMember(w: World, s: ClientSlot): boolean {
  if (w.family === 'consumer') return consumer.isCurrentMember(w, s);
  if (!isLive(s) || clientFamily(s) !== 'classic') return false;
  const c = ctxOf(s);
  const g = coord(w);
  return (
    s.snapshot!.value === 'stable' && c.generation === g.generation && s.formation === w.formation && g.members[c.memberId] !== undefined
  );
}

/** Partition -> names of live processes that believe they own it. */
export function liveOwners(w: World): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const s of w.clients) {
    if (!isLive(s)) continue;
    for (const p of common(s).owned) {
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
  for (const s of liveClients(w)) for (const t of common(s).cfg.topics) topics.add(t);
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
  if (v === undefined) settledCache.set(w, (v = w.family === 'consumer' ? consumer.isSettled(w) : computeSettled(w)));
  return v;
}

function computeSettled(w: World): boolean {
  const g = coord(w);
  // Most worlds the explorer asks about are mid-rebalance: the coordinator's state answers first.
  if (coordState(w) !== 'Stable') return !w.clients.some(isLive) && (coordState(w) === 'Empty' || Object.keys(g.members).length === 0);
  const live = liveClients(w);
  if (live.length === 0) return Object.keys(g.members).length === 0;
  if (Object.keys(g.members).length !== live.length) return false;
  const topics = subscribedTopics(w);
  for (const s of live) {
    // A KIP-848 process in a classic group (a migration) has yet to convert it.
    if (clientFamily(s) !== 'classic') return false;
    const c = ctxOf(s);
    if (!isCurrentMember(w, s) || c.rejoinNeeded || c.stalled || c.joinedTopics.join() !== c.cfg.topics.join()) return false;
    for (const t of topics) if (c.metadata[t] !== w.topics[t]) return false;
  }
  return true;
}

/** Earliest timer deadline anywhere in the world, or Infinity. */
export function nextDeadline(w: World): number {
  let min = Infinity;
  for (const d of Object.values((w.coordinator.context as { timers: Record<string, number> }).timers)) if (d < min) min = d;
  for (const s of w.clients) {
    if (!isLive(s)) continue;
    for (const d of Object.values(common(s).timers)) if (d < min) min = d;
  }
  return min;
}
