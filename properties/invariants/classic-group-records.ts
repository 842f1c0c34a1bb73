import type { Invariant } from '../invariant.ts';
import { delivered, PassedParts } from '../step-facts.ts';
import { coord, coordState } from '../../src/world/view.ts';
import { keptAliveByParkedRequest, type CoordinatorContext, type PersistedGroup } from '../../models/classic/coordinator-state.ts';
import type { ClassicResponse } from '../../models/classic/messages.ts';
import type { Choice, World } from '../../src/world/types.ts';

// The classic group coordinator's bookkeeping (ClassicGroup and GroupMetadataManager in Kafka's
// group-coordinator module), checked after every step. Each clause is a rule of Kafka's code:
//
// - Timers belong to what exists: a heartbeat (session) expiration only for a member (removal
//   cancels it: completeClassicGroupJoin, removeMemberAndUpdateClassicGroup), a pending-member
//   expiration only for a pending member id, the join operation (DelayedJoin) only while
//   PreparingRebalance, the pending-sync operation only in CompletingRebalance or Stable
//   (prepareRebalance cancels it: removeSyncExpiration).
// - Pending SyncGroup members are members (ClassicGroup.remove drops them from
//   pendingSyncMembers); a member leaves the list only by syncing, and joins it only when a join
//   phase completes (completeClassicGroupJoin: addPendingSyncMember for every member).
// - An Empty group has no members, no leader and no protocol (initNextGeneration with no members;
//   ClassicGroup.remove makes the leader the next member or none).
// - PreparingRebalance parks no SyncGroup (prepareRebalance answers them REBALANCE_IN_PROGRESS:
//   resetAndPropagateAssignmentWithError); CompletingRebalance and Stable park no JoinGroup
//   (completeClassicGroupJoin answers every one) and have members.
// - Stable and Empty are what the group metadata record says (storeGroup after the leader's
//   SyncGroup, and the record written when a join phase ends Empty; a static replacement in
//   Stable rewrites it): a failover loads exactly this group.
// - A join phase that forms a generation keeps only members that rejoined, or static ones
//   (dynamic members that missed it are removed: notYetRejoinedDynamicMembers), elects a leader
//   among those that rejoined (maybeElectNewJoinedLeader; with nobody rejoined it does not
//   complete), and makes every member a pending SyncGroup member.
// - A member leaves the group only for one of Kafka's reasons: its LeaveGroup, its session
//   expiring, missing a join phase (dynamic members), missing the SyncGroup deadline, or its
//   group.instance.id taken over by a new incarnation. When the pending-sync operation fires,
//   every member that has not synced is removed (expirePendingSync).
// - At unload (a failover), every parked request is answered NOT_COORDINATOR (onUnloaded).
//
// Model-internal names (joinCorr, syncCorr, pendingSync, timers) are the model's counterparts
// of Kafka's awaiting-join and awaiting-sync futures, pendingSyncMembers and timer keys.

const grouped = new Set(['PreparingRebalance', 'CompletingRebalance', 'Stable']);
const checked = new Set(['Empty', ...grouped]);

/** Rules over one coordinator snapshot. (Loops over the records themselves: this runs at most steps.) */
function recordsHold(g: CoordinatorContext, state: string): string | undefined {
  for (const name in g.timers) {
    if (name.startsWith('session:') && !g.members[name.slice(8)])
      return `a session timer runs for ${name.slice(8)}, which is not a member (${state})`;
    if (name.startsWith('pending:') && !g.pending.includes(name.slice(8)))
      return `a pending-member timer runs for ${name.slice(8)}, which is not pending (${state})`;
    if (name === 'join' && state !== 'PreparingRebalance') return `the join timer runs in ${state}`;
    if (name === 'sync' && state !== 'CompletingRebalance' && state !== 'Stable') return `the pending-sync timer runs in ${state}`;
  }
  for (const id of g.pendingSync)
    if (!g.members[id]) {
      const strayPending = g.pendingSync.filter((x) => !g.members[x]);
      return `${strayPending.join(', ')} awaited for SyncGroup but not members (${state})`;
    }
  let members = 0;
  for (const _ in g.members) members++;
  if (state === 'Empty') {
    if (members > 0) return `the group is Empty with members ${Object.keys(g.members).join(', ')}`;
    if (g.leaderId !== null || g.protocolName !== null)
      return `the group is Empty with leader ${g.leaderId} and protocol ${g.protocolName} (both cleared in Kafka)`;
  }
  for (const id in g.members) {
    const m = g.members[id];
    if (state === 'PreparingRebalance' && m.syncCorr !== null) return `${m.memberId}'s SyncGroup is parked in PreparingRebalance`;
    if (state !== 'PreparingRebalance' && m.joinCorr !== null) return `${m.memberId}'s JoinGroup is parked in ${state}`;
  }
  if ((state === 'CompletingRebalance' || state === 'Stable') && members === 0) return `the group is ${state} without members`;
  return persistedMatches(g, state);
}

/** Stable and Empty are persisted states: the record holds the group as it is. */
function persistedMatches(g: CoordinatorContext, state: string): string | undefined {
  if (state !== 'Stable' && state !== 'Empty') return undefined;
  const p = g.persisted;
  // A group never written: nothing to load, and nothing formed yet.
  if (p === null)
    return state === 'Empty' && g.generation === 0 ? undefined : `the ${state} group (generation ${g.generation}) was never written`;
  if (sameRecord(g, p)) return undefined;
  // Not the same field by field: the text comparison decides (and words the message), as before.
  const now = JSON.stringify(recordOf(g));
  const record = JSON.stringify(recordOf({ ...g, ...p, members: p.members as CoordinatorContext['members'] }));
  return now === record ? undefined : `the ${state} group is ${now} but its record says ${record}`;
}

/**
 * The group and its record agree on every field `recordOf` keeps, compared value by value (the
 * same values give the same JSON, so `true` here means the texts would be equal; `false` is
 * left to the texts). Building and serializing both records at every Stable or Empty step cost
 * more than every other rule of this invariant together.
 */
function sameRecord(g: CoordinatorContext, p: PersistedGroup): boolean {
  if (g.generation !== p.generation || g.protocolName !== p.protocolName || g.leaderId !== p.leaderId) return false;
  let n = 0;
  for (const id in g.members) {
    const m = g.members[id];
    const r = Object.hasOwn(p.members, id) ? p.members[id] : undefined;
    if (r === undefined || m.instanceId !== r.instanceId || !sameList(m.assignment, r.assignment)) return false;
    n++;
  }
  for (const _ in p.members) n--;
  return n === 0;
}

const sameList = (x: readonly string[] | null, y: readonly string[] | null): boolean =>
  x === y || (x !== null && y !== null && x.length === y.length && x.every((v, i) => v === y[i]));

const recordOf = (g: Pick<CoordinatorContext, 'generation' | 'protocolName' | 'leaderId' | 'members'>) => ({
  generation: g.generation,
  protocolName: g.protocolName,
  leaderId: g.leaderId,
  members: Object.keys(g.members)
    .sort()
    .map((id) => [id, g.members[id].instanceId, g.members[id].assignment]),
});

/** JoinGroup responses of this step that admitted a member into generation `generation`. */
function joinedInto(after: World, generation: number): Set<string> {
  const out = new Set<string>();
  for (const m of after.sent) {
    const r = m.body as ClassicResponse;
    if (m.to === 'client' && r.kind === 'JoinGroupResponse' && r.error === 'NONE' && r.generation === generation) out.add(r.memberId);
  }
  return out;
}

/** Rules over a step of the same coordinator. */
function stepHolds(before: World, choice: Choice | null, after: World): string | undefined {
  const b = coord(before);
  const a = coord(after);
  const [sb, sa] = [coordState(before), coordState(after)];
  const fired = choice?.kind === 'fire' && choice.target === 'coordinator' ? choice.timer : null;
  const msg = delivered(before, choice);
  const request = msg?.to === 'coordinator' ? (msg.body as { kind: string; memberId?: string; instanceId?: string | null }) : null;
  // A step that left the coordinator as it was, with no request or timer of its own: every rule
  // below compares the coordinator before and after, or reads the request or timer, so none can
  // fail.
  if (a === b && sa === sb && request === null && fired === null) return undefined;
  const formed = sa === 'CompletingRebalance' && a.generation !== b.generation;
  if (formed) {
    const joined = joinedInto(after, a.generation);
    const ids = Object.keys(a.members);
    const missed = ids.filter((id) => a.members[id].instanceId === null && !joined.has(id));
    if (missed.length > 0) return `generation ${a.generation} formed with dynamic members ${missed.join(', ')} that did not rejoin`;
    if (a.leaderId === null || !joined.has(a.leaderId))
      return `generation ${a.generation} formed with leader ${a.leaderId}, not a member that rejoined`;
    if (JSON.stringify([...a.pendingSync].sort()) !== JSON.stringify([...ids].sort()))
      return `generation ${a.generation} formed awaiting SyncGroup from ${a.pendingSync.join(', ') || 'nobody'}, not from every member (${ids.join(', ')})`;
  } else {
    const added = a.pendingSync.filter((id) => !b.pendingSync.includes(id) && b.members[id]);
    if (added.length > 0) return `${added.join(', ')} became awaited for SyncGroup without a new generation`;
  }
  if (request?.kind === 'SyncGroup' && a.pendingSync.includes(request.memberId!)) {
    const answer = after.sent.find(
      (m) => m.to === 'client' && m.body.corr === msg!.body.corr && m.body.client.client === msg!.body.client.client,
    );
    const parked = a.members[request.memberId!]?.syncCorr === msg!.body.corr;
    if (parked || (answer && (answer.body as { error: string }).error === 'NONE'))
      return `${request.memberId}'s SyncGroup was accepted but it is still awaited for SyncGroup`;
  }
  // The pending-sync operation of the current generation fired: whoever has not synced is removed.
  if (fired === 'sync' && (sb === 'CompletingRebalance' || sb === 'Stable')) {
    const kept = b.pendingSync.filter((id) => a.members[id]);
    if (kept.length > 0) return `the pending-sync timer fired but ${kept.join(', ')}, which never sent SyncGroup, stayed members`;
  }
  const phaseEnded = sb === 'PreparingRebalance' && (sa !== 'PreparingRebalance' || fired === 'join');
  for (const id of Object.keys(b.members)) {
    if (a.members[id]) continue;
    const m = b.members[id];
    const why =
      (request?.kind === 'LeaveGroup' && request.memberId === id) ||
      fired === `session:${id}` ||
      (phaseEnded && m.instanceId === null && m.joinCorr === null) ||
      (fired === 'sync' && b.pendingSync.includes(id)) ||
      (request?.kind === 'JoinGroup' && request.memberId === '' && m.instanceId !== null && request.instanceId === m.instanceId);
    if (!why) return `${id} was removed from the group with no LeaveGroup, expiry, missed join phase or missed SyncGroup`;
  }
  if (fired?.startsWith('session:') && (sb === 'PreparingRebalance' || sb === 'CompletingRebalance' || sb === 'Stable')) {
    const m = b.members[fired.slice(8)];
    if (m && !keptAliveByParkedRequest(m) && a.members[m.memberId]) return `${m.memberId}'s session expired but it stayed a member`;
  }
  return undefined;
}

/** At unload, every parked JoinGroup and SyncGroup is answered NOT_COORDINATOR. */
function unloadAnswers(before: World, after: World): string | undefined {
  for (const m of Object.values(coord(before).members)) {
    for (const corr of [m.joinCorr, m.syncCorr]) {
      if (corr === null) continue;
      const answered = after.sent.some(
        (r) => r.to === 'client' && r.body.corr === corr && r.body.client.client === m.client.client && r.body.client.inc === m.client.inc,
      );
      if (!answered) return `the coordinator unloaded without answering ${m.memberId}'s parked request #${corr}`;
    }
  }
  return undefined;
}

const ownPassed = new PassedParts<CoordinatorContext, string>();

export const classicGroupRecords: Invariant = {
  id: 'classic-group-records',
  statement:
    "The classic coordinator's bookkeeping follows Kafka's: timers only for what exists, pending SyncGroups only from members, no parked request in a state that answers it, Stable and Empty as persisted, generations formed from members that rejoined with one of them as leader, members removed only by leave, expiry or a missed join or sync, parked requests answered at unload.",
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'classic' || after.family !== 'classic') return undefined;
    if (choice?.kind === 'failover') return unloadAnswers(before, after);
    const state = coordState(after);
    if (!checked.has(state)) return undefined;
    // recordsHold is a function of the coordinator's context and state alone.
    const g = coord(after);
    const own = ownPassed.has(g, state) ? undefined : ownPassed.note(recordsHold(g, state), g, state);
    if (own) return own;
    if (before.coordinatorEpoch !== after.coordinatorEpoch || !checked.has(coordState(before))) return undefined;
    return stepHolds(before, choice, after);
  },
};
