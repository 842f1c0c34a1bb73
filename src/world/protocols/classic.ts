import type { AnyMachineSnapshot } from 'xstate';
import { errorFor, reply, type CoordinatorContext } from '../../../models/classic/coordinator-state.ts';
import type { ConsumerContext, ConsumerInput } from '../../../models/classic/consumer-state.ts';
import type { ClassicRequest, ClassicResponse } from '../../../models/classic/messages.ts';
import { partitionsOf } from '../../../models/types.ts';
import type { ClientSlot, Msg, World, WorldConfig } from '../types.ts';
import { common, ctxOf, isLive } from '../view.ts';
import { commonClientInput, type ProtocolAdapter } from './adapter.ts';

/** The assignor list and rebalance protocol a client is configured with. */
function clientAssignors(config: WorldConfig, phase: number): { assignors: string[]; protocol: ConsumerInput['protocol'] } {
  if (!config.upgrade) return { assignors: [config.assignor], protocol: config.protocol as ConsumerInput['protocol'] };
  // The client's protocol is the best one every listed assignor supports (ConsumerCoordinator).
  return [
    { assignors: ['range'], protocol: 'eager' as const },
    { assignors: ['cooperative-sticky', 'range'], protocol: 'eager' as const },
    { assignors: ['cooperative-sticky'], protocol: 'cooperative' as const },
  ][phase];
}

/** The classic protocol: JoinGroup/SyncGroup/Heartbeat with generations (eager and cooperative). */
export const classicAdapter: ProtocolAdapter = {
  coordinatorInput(config, now, previous) {
    const base = { initialRebalanceDelayMs: config.timers.initialRebalanceDelayMs, migrationPolicy: config.migrationPolicy };
    if (!previous) return base;
    const old = previous.context as CoordinatorContext;
    return { ...base, load: { persisted: old.persisted, committed: old.committed, now, memberSeq: old.nextMemberSeq } };
  },
  clientInput(config, slot, inc, w): ConsumerInput {
    return { ...commonClientInput(config, slot, inc, w), ...clientAssignors(config, slot.phase) };
  },
  requestEvent(w, body) {
    const b = body as ClassicRequest;
    return { type: b.kind, now: w.now, msg: b };
  },
  notCoordinator(body) {
    const b = body as ClassicRequest;
    return reply(b, errorFor(b.kind, 'NOT_COORDINATOR'));
  },
  fencedCommitError: (error) => error === 'ILLEGAL_GENERATION' || error === 'UNKNOWN_MEMBER_ID',
  afterCoordinator(before, after) {
    const g0 = before.coordinator.context as CoordinatorContext;
    const g1 = after.coordinator.context as CoordinatorContext;
    let next = after;
    if (g1.generation !== g0.generation) next = { ...next, formations: before.formations + 1, formation: before.formations + 1 };
    else if (before.coordinator.value === 'Stable' && after.coordinator.value === 'Stable' && g1.members !== g0.members) {
      const topics = driftedTopics(g0, g1);
      if (topics.length > 0) {
        const known = next.drift?.formation === next.formation ? next.drift.topics : [];
        next = { ...next, drift: { formation: next.formation, topics: [...new Set([...known, ...topics])].sort() } };
      }
      // Only partitions a process still owns (the revoking one, running on) or the replaced
      // member claimed when it joined this generation (its revocation may have finished before
      // the replacement's JoinGroup): a partition nobody ever held (added before a static leader
      // returned, KIP-814) is stable-coverage's own case.
      const claimed = replacedClaims(g0, g1);
      const stranded = claimed ? unassigned(g1, after.topics).filter((p) => claimed.has(p) || ownedByAny(after, p)) : [];
      if (stranded.length > 0) {
        const known = next.stranded?.formation === next.formation ? next.stranded.partitions : [];
        next = { ...next, stranded: { formation: next.formation, partitions: [...new Set([...known, ...stranded])].sort() } };
      }
    }
    if (g1.persisted !== g0.persisted) next = { ...next, persistedFormation: next.formation };
    if (before.coordinator.value !== after.coordinator.value && after.coordinator.value === 'CompletingRebalance') {
      next = { ...next, metrics: { ...next.metrics, rebalances: next.metrics.rebalances + 1 } };
    }
    return next;
  },
  // A process that forgot its generation no longer belongs to any formation.
  clientFormation: (slot: ClientSlot, snapshot: AnyMachineSnapshot) =>
    (snapshot.context as ConsumerContext).generation < 0 ? null : slot.formation,
  observeClient: () => ({}),
  afterResponse(after: World, slotName: string, msg: Msg) {
    const body = msg.body as ClassicResponse;
    if (body.kind !== 'JoinGroupResponse' || body.error !== 'NONE') return after;
    const s = after.clients.find((x) => x.name === slotName)!;
    if (isLive(s) && ctxOf(s).generation === body.generation && ctxOf(s).memberId === body.memberId) {
      const patch = { formation: msg.formation, skippedAssignment: body.skipAssignment };
      return { ...after, clients: after.clients.map((x) => (x.name === slotName ? { ...x, ...patch } : x)) };
    }
    return after;
  },
  formationAfterFailover: (w) => w.persistedFormation,
  orderedRequests: false,
};

/**
 * Topics a member of the same identity (its group.instance.id, else its member id) subscribes to
 * in one record and not in the other: a subscription changed without a new generation.
 */
function driftedTopics(g0: CoordinatorContext, g1: CoordinatorContext): string[] {
  const byIdentity = (g: CoordinatorContext) =>
    new Map(Object.values(g.members).map((m) => [m.instanceId ?? m.memberId, m.subscription.topics]));
  const was = byIdentity(g0);
  const out = new Set<string>();
  for (const [who, topics] of byIdentity(g1)) {
    const old = was.get(who);
    if (!old) continue;
    for (const t of topics) if (!old.includes(t)) out.add(t);
    for (const t of old) if (!topics.includes(t)) out.add(t);
  }
  return [...out];
}

/**
 * When a static member was replaced in place (an instance id is held by another member id than
 * before): the partitions the replaced members claimed as owned in their JoinGroup of this
 * generation (KIP-429's ownedPartitions; empty for eager members). Undefined when none was.
 */
function replacedClaims(g0: CoordinatorContext, g1: CoordinatorContext): ReadonlySet<string> | undefined {
  const was = new Map(Object.values(g0.members).flatMap((m) => (m.instanceId === null ? [] : [[m.instanceId, m] as const])));
  let claims: Set<string> | undefined;
  for (const m of Object.values(g1.members)) {
    const old = m.instanceId === null ? undefined : was.get(m.instanceId);
    if (old === undefined || old.memberId === m.memberId) continue;
    claims ??= new Set();
    for (const p of old.subscription.ownedPartitions) claims.add(p);
  }
  return claims;
}

/** Partitions of the members' topics that no member's stored assignment holds. */
function unassigned(g: CoordinatorContext, topics: World['topics']): string[] {
  const held = new Set(Object.values(g.members).flatMap((m) => m.assignment ?? []));
  const subscribed = [...new Set(Object.values(g.members).flatMap((m) => m.subscription.topics))];
  return partitionsOf(topics, subscribed).filter((p) => !held.has(p));
}

const ownedByAny = (w: World, p: string): boolean => w.clients.some((s) => isLive(s) && common(s).owned.includes(p));
