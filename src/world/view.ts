import type { AnyMachineSnapshot } from 'xstate';
import { sameJoined } from '../../models/records.ts';
import type { CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { ClientSlot, ProtocolFamily, World } from './types.ts';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { matchingTopics, parseTp, type TopicPartition, type Topics } from '../../models/types.ts';
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
  cfg: { topics: string[]; instanceId: string | null; protocol: string; pattern?: string };
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
 * States where the application thread is inside a rebalance callback that ends with a
 * `callback` choice (both protocols use these names): onPartitionsRevoked, onPartitionsAssigned,
 * onPartitionsLost, and the revoke or lost callback of close(); and (classic) the leader's slow
 * assignor (`computing`), which the same choice ends.
 */
const callbackStates = new Set(['revoking', 'assigning', 'losing', 'releasing', 'computing']);
/** The states of a close() in progress (both protocols). */
const closingStates = new Set(['closing', 'releasing', 'leaving']);

/**
 * The slot of a message's process: the slot of that name running that incarnation, else a zombie
 * of it with that incarnation (see `replace`), else the slot of that name (whose process is gone).
 */
export function processOf(w: World, c: { client: string; inc: number }): ClientSlot | undefined {
  let named: ClientSlot | undefined;
  for (const s of w.clients) {
    if (s.name === c.client) {
      if (s.inc === c.inc) return s;
      named = s;
    } else if (s.zombieOf === c.client && s.inc === c.inc) return s;
  }
  return named;
}

/** The message endpoint names this slot's process (a zombie's messages carry its slot's name). */
export const isProcessOf = (c: { client: string; inc: number }, s: ClientSlot): boolean =>
  c.inc === s.inc && (c.client === s.name || c.client === s.zombieOf);

/** The process is inside a rebalance callback. */
export const inCallback = (s: ClientSlot): boolean => isLive(s) && callbackStates.has(s.snapshot!.value as string);
/** The process is inside close(). */
export const isClosing = (s: ClientSlot): boolean => isLive(s) && closingStates.has(s.snapshot!.value as string);

/**
 * A live process whose application can fetch what it owns: not stalled, not inside a callback
 * or close(), and (classic eager) not in onJoinPrepare, `committing`, where nothing is fetched
 * until the join round ends. A KIP-848 member keeps fetching while it commits before a
 * revocation (`reconciling`), as the Java client does.
 */
export function canProcess(s: ClientSlot): boolean {
  if (!isLive(s) || common(s).stalled || inCallback(s) || isClosing(s)) return false;
  return !(s.snapshot!.value === 'committing' && common(s).cfg.protocol === 'eager');
}

/** Classic states where a commit carries the generation (Kafka's MemberState STABLE: generationIfStable). */
const classicCommitStates = new Set(['stable', 'revoking', 'assigning', 'releasing']);

/**
 * The application may send an OffsetCommit now: it owns something, is not stalled and has none in
 * flight; classic, from STABLE (or inside a callback that runs there) with a generation; KIP-848,
 * whenever it is in the group (epoch > 0), callbacks included.
 */
export function canCommitNow(s: ClientSlot): boolean {
  const c = common(s);
  if (c.stalled || c.owned.length === 0 || c.inflight.commit !== undefined) return false;
  if (c.cfg.protocol === 'consumer') return consumer.memberCtxOf(s).memberEpoch > 0;
  const k = ctxOf(s);
  return classicCommitStates.has(s.snapshot!.value as string) && k.generation >= 0 && k.memberId !== '';
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
  // `assigning` is Kafka's STABLE too: onPartitionsAssigned runs after the assignment is installed.
  const v = s.snapshot!.value;
  return (
    (v === 'stable' || v === 'assigning') &&
    c.generation === g.generation &&
    s.formation === w.formation &&
    g.members[c.memberId] !== undefined
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
/**
 * The topics a live process subscribes to: its topic names, and with a pattern every topic of the
 * brokers that matches it (what the subscription comes to once the group has caught up: settled).
 */
export function subscriptionOf(w: World, s: ClientSlot): string[] {
  const cfg = common(s).cfg;
  if (cfg.pattern === undefined) return cfg.topics;
  return [...new Set([...cfg.topics, ...matchingTopics(cfg.pattern, w.topics)])].sort();
}

export function subscribedTopics(w: World): string[] {
  const topics = new Set<string>();
  for (const s of liveClients(w)) {
    const cfg = common(s).cfg;
    for (const t of cfg.topics) topics.add(t);
    // Subscribed by pattern: every topic of the brokers that matches it (once settled, the
    // member's metadata and, in KIP-848, the coordinator's resolution have caught up with them).
    if (cfg.pattern !== undefined) for (const t of matchingTopics(cfg.pattern, w.topics)) topics.add(t);
  }
  return [...topics].sort();
}

/**
 * The group has settled: the coordinator is Stable (or Empty with nobody running), every live
 * process is a current member with nothing left to do, and the leader has seen the brokers'
 * topic metadata. This is the "stable group" the coverage and idle invariants talk about.
 */
/**
 * The last two worlds asked about and their answers: the invariants ask about a step's `after`
 * one after another, the fair schedule about the world it steps from (the previous step's
 * `after`), the explorer's liveness walks about one world at a time. (A WeakMap of every world
 * asked was kept behind these once; it made an entry at every step, for hardly any hit.)
 */
let lastWorld: World | undefined;
let lastSettled = false;
let olderWorld: World | undefined;
let olderSettled = false;

export function isSettled(w: World): boolean {
  if (w === lastWorld) return lastSettled;
  if (w === olderWorld) return olderSettled;
  const v = w.family === 'consumer' ? consumer.isSettled(w) : computeSettled(w);
  olderWorld = lastWorld;
  olderSettled = lastSettled;
  lastWorld = w;
  lastSettled = v;
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
    if (
      !isCurrentMember(w, s) ||
      s.snapshot!.value !== 'stable' ||
      c.rejoinNeeded ||
      c.stalled ||
      !sameJoined(c.joinedTopics, c.cfg.topics)
    )
      return false;
    for (const t of topics) if (c.metadata[t] !== w.topics[t]) return false;
  }
  return true;
}

/** Earliest timer deadline anywhere in the world, or Infinity. */
export function nextDeadline(w: World): number {
  let min = Infinity;
  const timers = (w.coordinator.context as { timers: Record<string, number> }).timers;
  for (const k in timers) if (timers[k] < min) min = timers[k];
  for (const s of w.clients) {
    if (!isLive(s)) continue;
    const own = common(s).timers;
    for (const k in own) if (own[k] < min) min = own[k];
  }
  return min;
}

/**
 * Topics whose subscribers a static replacement changed in the current generation without a
 * rebalance (World.drift; Kafka's KAFKA-12759): the assignment in force may not cover or balance
 * them, and Kafka never corrects it until the next rebalance.
 */
export const driftedTopics = (w: World): readonly string[] =>
  w.drift !== undefined && w.drift.formation === w.formation ? w.drift.topics : [];

/**
 * Partitions a static replacement left in no member's stored assignment in the current generation
 * (World.stranded): Kafka assigns them only at the next rebalance, which nothing triggers.
 */
export const strandedPartitions = (w: World): readonly string[] =>
  w.stranded !== undefined && w.stranded.formation === w.formation ? w.stranded.partitions : [];

/** The topics of strandedPartitions: where a member may be idle or a topic unbalanced, as in Kafka. */
export const strandedTopics = (w: World): ReadonlySet<string> => new Set(strandedPartitions(w).map((p) => parseTp(p).topic));
