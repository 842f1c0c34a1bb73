import type { AnyMachineSnapshot } from 'xstate';
import { sameJoined } from '../../models/records.ts';
import { defaultServerAssignor, serverAssignors } from '../../models/consumer-protocol/assignors.ts';
import { groupStateOf, type ConsumerGroupMember, type GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import type { MemberContext } from '../../models/consumer-protocol/member-state.ts';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { ClientSlot, World } from './types.ts';
import { matchingTopics, type Topics } from '../../models/types.ts';

// Read-only views of a world running the KIP-848 consumer protocol. src/world/view.ts
// dispatches its protocol-neutral views here when `world.family` is `consumer`.

export const groupOf = (w: World): GroupContext => w.coordinator.context as GroupContext;
export const memberCtxOf = (s: ClientSlot): MemberContext => (s.snapshot as AnyMachineSnapshot).context as MemberContext;
const live = (s: ClientSlot): boolean => s.status === 'running' && s.snapshot !== null && s.snapshot.status === 'active';
const sameSet = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x) => ys.includes(x));

/** Empty, Assigning, Reconciling, Stable (derived as in ConsumerGroup), or Unloaded after a failover. */
export const groupState = (w: World): string => (w.coordinator.value === 'unloaded' ? 'Unloaded' : groupStateOf(groupOf(w)));

/** The coordinator's record of the process's member id, if it has one. */
export function recordOf(w: World, s: ClientSlot): ConsumerGroupMember | undefined {
  if (!live(s)) return undefined;
  return groupOf(w).members[memberCtxOf(s).memberId];
}

/** A classic process (a mixed group): its context, which names its epoch `generation`. */
const classicCtxOf = (s: ClientSlot) => (s.snapshot as AnyMachineSnapshot).context as ConsumerContext;
export const isClassicProcess = (s: ClientSlot): boolean => memberCtxOf(s).cfg.protocol !== 'consumer';

/**
 * A live process that the coordinator counts as a member at the epoch the process has. A classic
 * process in a consumer group (a migration) counts once through SyncGroup (`stable`) with the
 * member epoch as its generation.
 */
export function isCurrentMember(w: World, s: ClientSlot): boolean {
  const r = recordOf(w, s);
  if (r === undefined) return false;
  if (isClassicProcess(s)) return r.classic !== null && s.snapshot!.value === 'stable' && classicCtxOf(s).generation === r.memberEpoch;
  return memberCtxOf(s).memberEpoch > 0 && r.memberEpoch === memberCtxOf(s).memberEpoch;
}

/**
 * Kafka's stale install (docs/model.md, "Slow onPartitionsAssigned"): the process owns `p` after
 * a heartbeat sent while it was installing `p` reported it as not owned, and the coordinator,
 * which took that report as the release of `p` (CurrentAssignmentBuilder), no longer holds `p`
 * for it.
 */
export function staleInstall(w: World, s: ClientSlot, p: string): boolean {
  if (w.family !== 'consumer' || !s.unreported.includes(p)) return false;
  const r = recordOf(w, s);
  return r === undefined || (!r.assigned.includes(p) && !r.pendingRevocation.includes(p));
}

/**
 * Settled: the group is Stable (target computed for the current group epoch, every member
 * STABLE at it), every live process is a member that owns exactly what the coordinator
 * assigned it and has nothing left to tell it (subscription sent), and the coordinator has
 * seen the brokers' partition counts for the subscribed topics.
 */
export function isSettled(w: World): boolean {
  const g = groupOf(w);
  const procs = w.clients.filter(live);
  const members = Object.values(g.members);
  if (procs.length === 0) return members.length === 0;
  if (groupState(w) !== 'Stable' || members.length !== procs.length) return false;
  for (const s of procs) {
    const c = memberCtxOf(s);
    const r = g.members[c.memberId];
    if (r && isClassicProcess(s)) {
      // A classic member of a mixed group: synced at its member epoch, nothing to rejoin for.
      const k = classicCtxOf(s);
      if (!isCurrentMember(w, s) || k.rejoinNeeded || k.stalled || !sameJoined(k.joinedTopics, k.cfg.topics)) return false;
      if (!sameSet(k.owned, r.assigned) || !sameSet(r.assigned, g.target[r.memberId] ?? [])) return false;
      for (const t of k.cfg.topics) if (g.subscriptionMetadata[t] !== w.topics[t]) return false;
      continue;
    }
    if (!r || s.snapshot!.value !== 'stable' || c.stalled || c.memberEpoch !== r.memberEpoch || c.target !== null) return false;
    if (!sameSet(c.owned, r.assigned) || !sameSet(r.assigned, g.target[r.memberId] ?? [])) return false;
    if (!sameJoined(r.topics, c.cfg.topics)) return false;
    for (const t of c.cfg.topics) if (g.subscriptionMetadata[t] !== w.topics[t]) return false;
    if (c.cfg.pattern !== undefined && !regexCaughtUp(w, c.cfg.pattern, c.metadata)) return false;
  }
  return true;
}

/**
 * A member subscribed by regex is settled only once the coordinator's resolution of it names
 * every topic of the brokers that matches, with their partition counts, and the member's metadata
 * names them too (so it can resolve their ids).
 */
function regexCaughtUp(w: World, pattern: string, metadata: Topics): boolean {
  const g = groupOf(w);
  const matched = matchingTopics(pattern, w.topics);
  if (g.resolvedRegexes?.[pattern]?.topics.join() !== matched.join()) return false;
  return matched.every((t) => g.subscriptionMetadata[t] === w.topics[t] && metadata[t] === w.topics[t]);
}

/** What the group's server assignor promises when subscriptions are identical. */
export function balancePromise(w: World): 'global' | 'per-topic' | undefined {
  const first = Object.values(groupOf(w).members)[0];
  return serverAssignors[first?.assignor ?? defaultServerAssignor]?.balance;
}
