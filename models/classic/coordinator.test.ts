import { describe, expect, test } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { fastRunner } from '../../src/world/runtime.ts';
import type { MemberSubscription } from '../assignors/types.ts';
import { coordinatorMachine } from './coordinator.ts';
import type { CoordinatorContext, CoordinatorInput } from './coordinator-state.ts';
import type {
  ClassicRequest,
  ClassicResponse,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  OffsetCommitRequest,
  SyncGroupRequest,
  SyncGroupResponse,
} from './messages.ts';

// Scenario tests that pin the classic group coordinator to Kafka's behaviour.
// References: /work/shared/PROTOCOL.md section 2 (and 5 for static members), and Kafka's
// source: core/.../coordinator/group/GroupCoordinator.scala, GroupMetadata.scala,
// MemberMetadata.scala, DelayedJoin.scala (InitialDelayedJoin) [Scala, 3.x], and
// group-coordinator/.../GroupMetadataManager.java, classic/ClassicGroup.java [Java, 4.x].
// Tests marked `test.fails` expect Kafka's behaviour where the model differs from it.

const run = fastRunner(coordinatorMachine);
const SESSION = 10_000;
const REBALANCE = 30_000;

// ---- requests -------------------------------------------------------------------------

let corr = 0;
/** Member ids are `<client>-<seq>`; static ones `<instance>-<seq>`: the client is the prefix. */
const clientOf = (memberId: string) => memberId.slice(0, memberId.lastIndexOf('-'));
const base = (client: string) => ({ corr: ++corr, client: { client, inc: 1 }, epoch: 0 });
const sub = (topics: string[] = ['t'], instanceId: string | null = null): MemberSubscription => ({
  topics,
  ownedPartitions: [],
  generationId: -1,
  groupInstanceId: instanceId,
});

const joinReq = (client: string, memberId = '', o: Partial<JoinGroupRequest> = {}): JoinGroupRequest => ({
  ...base(client),
  kind: 'JoinGroup',
  memberId,
  instanceId: null,
  protocols: ['range'],
  subscription: sub(),
  sessionTimeoutMs: SESSION,
  rebalanceTimeoutMs: REBALANCE,
  ...o,
});
/** A rejoin of an existing member with different subscription bytes. */
const changedJoin = (memberId: string) => joinReq(clientOf(memberId), memberId, { subscription: sub(['t', 'u']) });
const syncReq = (memberId: string, generation: number, assignments: Record<string, string[]> | null = null): SyncGroupRequest => ({
  ...base(clientOf(memberId)),
  kind: 'SyncGroup',
  memberId,
  instanceId: null,
  generation,
  assignments,
});
const hbReq = (memberId: string, generation: number): HeartbeatRequest => ({
  ...base(clientOf(memberId)),
  kind: 'Heartbeat',
  memberId,
  instanceId: null,
  generation,
});
const leaveReq = (memberId: string): LeaveGroupRequest => ({ ...base(clientOf(memberId)), kind: 'LeaveGroup', memberId, instanceId: null });
const commitReq = (memberId: string, generation: number, offsets: Record<string, number>): OffsetCommitRequest => ({
  ...base(memberId === '' ? 'admin' : clientOf(memberId)),
  kind: 'OffsetCommit',
  memberId,
  instanceId: null,
  generation,
  offsets,
});

// ---- driver -----------------------------------------------------------------------------

/** One coordinator, driven event by event on a virtual clock. */
class Coordinator {
  snap: AnyMachineSnapshot;
  now = 0;
  constructor(input: Partial<CoordinatorInput> = {}) {
    [this.snap] = run.initial({ initialRebalanceDelayMs: 0, ...input });
  }
  get ctx(): CoordinatorContext {
    return this.snap.context as CoordinatorContext;
  }
  get state(): string {
    return String(this.snap.value);
  }
  at(now: number): this {
    this.now = now;
    return this;
  }
  private deliver(event: { type: string; now: number }): ClassicResponse[] {
    const [next, out] = run.send(this.snap, event);
    this.snap = next;
    return out as ClassicResponse[];
  }
  /** Sends a request; `reply` is the response on its own connection (if any), `out` all responses. */
  call(msg: ClassicRequest): { reply: ClassicResponse | undefined; out: ClassicResponse[] } {
    const out = this.deliver({ type: msg.kind, now: this.now, msg } as { type: string; now: number });
    return { reply: out.find((r) => r.corr === msg.corr && r.client.client === msg.client.client), out };
  }
  /** Fires an armed timer at its deadline (the clock moves forward to it). */
  fire(name: string): ClassicResponse[] {
    const deadline = this.ctx.timers[name];
    if (deadline === undefined) throw new Error(`timer ${name} is not armed: ${JSON.stringify(this.ctx.timers)}`);
    this.now = Math.max(this.now, deadline);
    return this.deliver({ type: 'TIMER', name, now: this.now } as { type: string; now: number });
  }
  /** Fires the join timer until the join phase is over (a zero initial delay may extend once). */
  completeJoin(): ClassicResponse[] {
    const out: ClassicResponse[] = [];
    for (let i = 0; i < 10 && this.state === 'PreparingRebalance' && 'join' in this.ctx.timers; i++) out.push(...this.fire('join'));
    return out;
  }
}

const error = (r: ClassicResponse | undefined) => r?.error;
const joinResp = (r: ClassicResponse | undefined) => {
  expect(r?.kind).toBe('JoinGroupResponse');
  return r as JoinGroupResponse;
};
const syncResp = (r: ClassicResponse | undefined) => {
  expect(r?.kind).toBe('SyncGroupResponse');
  return r as SyncGroupResponse;
};
const joinResponseOf = (out: ClassicResponse[], memberId: string) =>
  out.find((r): r is JoinGroupResponse => r.kind === 'JoinGroupResponse' && r.memberId === memberId);

/** KIP-394 first step: JoinGroup without member id; returns the id handed out. */
function memberIdRequired(g: Coordinator, client: string): string {
  const { reply } = g.call(joinReq(client));
  expect(error(reply)).toBe('MEMBER_ID_REQUIRED');
  return joinResp(reply).memberId;
}

type Spec = string | { client: string; instanceId: string };

/** Members join (two-step for dynamic ones, direct for static ones); the join phase completes. */
function completingGroup(specs: Spec[], input: Partial<CoordinatorInput> = {}) {
  const g = new Coordinator(input);
  const ids: string[] = [];
  for (const s of specs) {
    if (typeof s === 'string') ids.push(memberIdRequired(g, s));
    else ids.push('');
  }
  specs.forEach((s, i) => {
    if (typeof s === 'string') g.call(joinReq(s, ids[i]));
    else {
      g.call(joinReq(s.client, '', { instanceId: s.instanceId, subscription: sub(['t'], s.instanceId) }));
      ids[i] = Object.values(g.ctx.members).find((m) => m.instanceId === s.instanceId)!.memberId;
    }
  });
  const joins = g.completeJoin();
  expect(g.state).toBe('CompletingRebalance');
  return { g, ids, joins };
}

/** ... and every member syncs (followers first, then the leader, which assigns `t-<i>` to member i). */
function stableGroup(specs: Spec[], input: Partial<CoordinatorInput> = {}) {
  const { g, ids } = completingGroup(specs, input);
  const gen = g.ctx.generation;
  const leader = g.ctx.leaderId!;
  for (const id of ids) if (id !== leader) g.call(syncReq(id, gen));
  g.call(syncReq(leader, gen, Object.fromEntries(ids.map((id, i) => [id, [`t-${i}`]]))));
  expect(g.state).toBe('Stable');
  return { g, ids, leader };
}

// ---- KIP-394 two-step join ------------------------------------------------------------------

describe('KIP-394 two-step join (PROTOCOL.md 2.4 step 4; GroupCoordinator.doDynamicNewMemberJoinGroup)', () => {
  test('a JoinGroup without member id gets MEMBER_ID_REQUIRED with a generated id and adds no member', () => {
    const g = new Coordinator();
    const { reply } = g.call(joinReq('a'));
    const r = joinResp(reply);
    expect(r.error).toBe('MEMBER_ID_REQUIRED');
    expect(r.memberId).not.toBe('');
    expect(r.generation).toBe(-1);
    expect(g.state).toBe('Empty');
    expect(Object.keys(g.ctx.members)).toEqual([]);
    expect(g.ctx.pending).toEqual([r.memberId]);
    // addPendingMemberExpiration(group, newMemberId, sessionTimeoutMs)
    expect(g.ctx.timers[`pending:${r.memberId}`]).toBe(SESSION);
  });

  test('the JoinGroup with the generated id adds the member (parked) and starts the join phase', () => {
    const g = new Coordinator();
    const id = memberIdRequired(g, 'a');
    const { reply } = g.call(joinReq('a', id));
    expect(reply).toBeUndefined(); // parked until the join phase completes
    expect(g.state).toBe('PreparingRebalance');
    expect(Object.keys(g.ctx.members)).toEqual([id]);
    expect(g.ctx.pending).toEqual([]);
    expect(g.ctx.leaderId).toBe(id);
  });

  test('a pending member blocks completion of the join phase until it joins (ClassicGroup.hasAllMembersJoined)', () => {
    const { g, leader } = stableGroup(['a']);
    const b = memberIdRequired(g, 'b');
    expect(g.state).toBe('Stable'); // a pending member alone does not rebalance
    g.call(joinReq('a', leader)); // the leader's JoinGroup always rebalances
    // Every member is parked, but `pendingMembers` is not empty: no completion.
    expect(g.state).toBe('PreparingRebalance');
    const { out } = g.call(joinReq('b', b));
    expect(g.state).toBe('CompletingRebalance');
    expect(g.ctx.generation).toBe(2);
    expect(joinResponseOf(out, leader)?.generation).toBe(2);
    expect(joinResponseOf(out, b)?.generation).toBe(2);
  });

  test('a pending member that never comes back expires after its session timeout and then no longer blocks', () => {
    const { g, leader } = stableGroup(['a']);
    g.at(1_000);
    const b = memberIdRequired(g, 'b');
    expect(g.ctx.timers[`pending:${b}`]).toBe(1_000 + SESSION);
    g.call(joinReq('a', leader));
    expect(g.state).toBe('PreparingRebalance');
    // onExpireHeartbeat(isPending) -> removePendingMemberAndUpdateGroup -> join completes
    const out = g.fire(`pending:${b}`);
    expect(g.ctx.pending).toEqual([]);
    expect(g.state).toBe('CompletingRebalance');
    expect(Object.keys(g.ctx.members)).toEqual([leader]);
    expect(joinResponseOf(out, leader)?.error).toBe('NONE');
  });
});

// ---- KIP-134 initial rebalance delay ----------------------------------------------------------

describe('initial rebalance delay from Empty (PROTOCOL.md 2.5, 2.9; DelayedJoin.scala InitialDelayedJoin)', () => {
  test('never completes early, even when every member has joined', () => {
    const g = new Coordinator({ initialRebalanceDelayMs: 3_000 });
    const a = memberIdRequired(g, 'a');
    g.call(joinReq('a', a));
    // InitialDelayedJoin.tryComplete() = false; Java maybeCompleteJoinPhase: previousState == EMPTY
    expect(g.state).toBe('PreparingRebalance');
    expect(g.ctx.timers.join).toBe(3_000);
    const { reply } = g.at(1_000).call(hbReq(a, 0));
    expect(error(reply)).toBe('REBALANCE_IN_PROGRESS');
    expect(g.state).toBe('PreparingRebalance');
    const out = g.fire('join');
    expect(g.now).toBe(3_000);
    expect(g.state).toBe('CompletingRebalance');
    expect(joinResponseOf(out, a)?.generation).toBe(1);
  });

  test('is extended once per delay window in which new members arrived', () => {
    const g = new Coordinator({ initialRebalanceDelayMs: 3_000 });
    const a = memberIdRequired(g, 'a');
    g.call(joinReq('a', a));
    // Two members arrive in the same window: newMemberAdded is a flag, one extension.
    g.at(1_000).call(joinReq('b', memberIdRequired(g, 'b')));
    g.at(2_000).call(joinReq('c', memberIdRequired(g, 'c')));
    g.fire('join');
    expect(g.state).toBe('PreparingRebalance');
    expect(g.ctx.timers.join).toBe(6_000);
    // Nobody new in the second window: the join phase completes.
    g.fire('join');
    expect(g.now).toBe(6_000);
    expect(g.state).toBe('CompletingRebalance');
    expect(Object.keys(g.ctx.members)).toHaveLength(3);
  });

  test('is bounded by the rebalance timeout however many members keep arriving', () => {
    const g = new Coordinator({ initialRebalanceDelayMs: 3_000 });
    const rebalanceTimeoutMs = 10_000;
    const joinAt = (client: string, now: number) => {
      g.at(now);
      g.call(joinReq(client, memberIdRequired(g, client), { rebalanceTimeoutMs }));
    };
    joinAt('a', 0); // delay 3000, remaining max(10000 - 3000, 0) = 7000
    joinAt('b', 1_000);
    g.fire('join'); // 3000: extend by min(3000, 7000)
    expect(g.ctx.timers.join).toBe(6_000);
    joinAt('c', 4_000);
    g.fire('join'); // 6000: extend by min(3000, 4000)
    expect(g.ctx.timers.join).toBe(9_000);
    joinAt('d', 7_000);
    g.fire('join'); // 9000: extend by min(3000, 1000)
    expect(g.ctx.timers.join).toBe(10_000);
    joinAt('e', 9_500);
    g.fire('join'); // 10000: remaining is 0, completes although a member arrived
    expect(g.now).toBe(rebalanceTimeoutMs);
    expect(g.state).toBe('CompletingRebalance');
    expect(Object.keys(g.ctx.members)).toHaveLength(5);
  });
});

// ---- join completion -------------------------------------------------------------------------

describe('join-phase completion (PROTOCOL.md 2.5; GroupCoordinator.onCompleteJoin / completeClassicGroupJoin)', () => {
  test('generation +1, the first joiner leads, only the leader gets every subscription', () => {
    const g = new Coordinator();
    const a = memberIdRequired(g, 'a');
    const b = memberIdRequired(g, 'b');
    g.call(joinReq('a', a, { subscription: sub(['t']) }));
    g.call(joinReq('b', b, { subscription: sub(['t', 'u']) }));
    const out = g.completeJoin();
    expect(g.state).toBe('CompletingRebalance');
    expect(g.ctx.generation).toBe(1);
    const ra = joinResponseOf(out, a)!;
    const rb = joinResponseOf(out, b)!;
    for (const r of [ra, rb]) {
      expect(r.error).toBe('NONE');
      expect(r.generation).toBe(1);
      expect(r.leaderId).toBe(a); // GroupMetadata.add: leaderId is the first member added
      expect(r.protocolName).toBe('range');
    }
    expect(ra.members).toEqual({ [a]: sub(['t']), [b]: sub(['t', 'u']) });
    expect(rb.members).toEqual({});
    expect(new Set(g.ctx.pendingSync)).toEqual(new Set([a, b]));
  });

  test('dynamic members that did not rejoin are removed; a rejoined member becomes leader', () => {
    const { g, ids, leader } = stableGroup(['a', 'b', 'c']);
    const [a, b, c] = ids;
    expect(leader).toBe(a);
    g.call(changedJoin(b)); // Stable -> PreparingRebalance
    g.call(joinReq('c', c));
    const out = g.fire('join');
    expect(g.state).toBe('CompletingRebalance');
    expect(g.ctx.generation).toBe(2);
    expect(Object.keys(g.ctx.members).sort()).toEqual([b, c].sort());
    // GroupMetadata.maybeElectNewJoinedLeader: any member that is awaiting join
    expect([b, c]).toContain(g.ctx.leaderId);
    expect(Object.keys(joinResponseOf(out, g.ctx.leaderId!)!.members).sort()).toEqual([b, c].sort());
    // The removed member learns it at its next request.
    expect(error(g.call(hbReq(a, 1)).reply)).toBe('UNKNOWN_MEMBER_ID');
  });
});

// ---- CompletingRebalance ---------------------------------------------------------------------

describe('CompletingRebalance (PROTOCOL.md 2.4 step 5, 2.6; GroupCoordinator.doSyncGroup)', () => {
  test("a follower's SyncGroup is parked until the leader's stores every member's assignment; then Stable", () => {
    const { g, ids } = completingGroup(['a', 'b', 'c']);
    const [a, b, c] = ids;
    const follower = syncReq(b, 1);
    expect(g.call(follower).reply).toBeUndefined();
    expect(g.state).toBe('CompletingRebalance');
    // The leader's map misses c: "fill any missing members with an empty assignment".
    const leader = g.call(syncReq(a, 1, { [a]: ['t-0'], [b]: ['t-1', 't-2'] }));
    expect(g.state).toBe('Stable');
    expect(syncResp(leader.reply).assignment).toEqual(['t-0']);
    const parked = leader.out.find((r) => r.corr === follower.corr);
    expect(syncResp(parked).error).toBe('NONE');
    expect(syncResp(parked).assignment).toEqual(['t-1', 't-2']);
    expect(g.ctx.members[c].assignment).toEqual([]);
    // c syncs late, in Stable: it gets its stored (empty) assignment at once.
    const late = g.call(syncReq(c, 1));
    expect(syncResp(late.reply).error).toBe('NONE');
    expect(syncResp(late.reply).assignment).toEqual([]);
  });

  test('a JoinGroup with unchanged metadata gets the current generation (the leader also gets the members)', () => {
    const { g, ids } = completingGroup(['a', 'b']);
    const [a, b] = ids;
    const rb = joinResp(g.call(joinReq('b', b)).reply);
    expect(rb.error).toBe('NONE');
    expect(rb.generation).toBe(1);
    expect(rb.members).toEqual({});
    const ra = joinResp(g.call(joinReq('a', a)).reply);
    expect(ra.generation).toBe(1);
    expect(Object.keys(ra.members).sort()).toEqual([a, b].sort());
    expect(g.state).toBe('CompletingRebalance');
  });

  test('changed metadata goes back to PreparingRebalance and parked SyncGroups get REBALANCE_IN_PROGRESS', () => {
    const { g, ids } = completingGroup(['a', 'b']);
    const [a, b] = ids;
    const parked = syncReq(b, 1);
    g.call(parked);
    const { reply, out } = g.call(changedJoin(a));
    expect(reply).toBeUndefined(); // the rejoin is parked
    expect(g.state).toBe('PreparingRebalance');
    const answer = out.find((r) => r.corr === parked.corr);
    expect(syncResp(answer).error).toBe('REBALANCE_IN_PROGRESS');
    expect(g.ctx.generation).toBe(1);
  });
});

// ---- Heartbeat ------------------------------------------------------------------------------

describe('Heartbeat error order (PROTOCOL.md 2.7; GroupCoordinator.validateHeartbeat / handleHeartbeat)', () => {
  test('unknown member, then wrong generation (even in PreparingRebalance), then the state', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    const [a, b] = ids;
    expect(error(g.call(hbReq('zz-99', 1)).reply)).toBe('UNKNOWN_MEMBER_ID');
    expect(error(g.call(hbReq(a, 0)).reply)).toBe('ILLEGAL_GENERATION');
    expect(error(g.call(hbReq(a, 1)).reply)).toBe('NONE'); // Stable

    g.call(changedJoin(b)); // PreparingRebalance, generation still 1
    expect(g.state).toBe('PreparingRebalance');
    expect(error(g.call(hbReq(a, 0)).reply)).toBe('ILLEGAL_GENERATION');
    expect(error(g.call(hbReq('zz-99', 0)).reply)).toBe('UNKNOWN_MEMBER_ID');
    expect(error(g.call(hbReq(a, 1)).reply)).toBe('REBALANCE_IN_PROGRESS');

    g.call(joinReq('a', a));
    expect(g.state).toBe('CompletingRebalance');
    expect(error(g.call(hbReq(a, 2)).reply)).toBe('NONE');
    expect(error(g.call(hbReq(a, 1)).reply)).toBe('ILLEGAL_GENERATION');
  });

  test('a heartbeat resets the session deadline in CompletingRebalance, PreparingRebalance and Stable', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    const [a, b] = ids;
    g.at(2_000).call(hbReq(a, 1));
    expect(g.ctx.timers[`session:${a}`]).toBe(2_000 + SESSION);
    g.call(changedJoin(b));
    g.at(3_000).call(hbReq(a, 1));
    expect(g.ctx.timers[`session:${a}`]).toBe(3_000 + SESSION);
    // A stale generation does not count (ILLEGAL_GENERATION, deadline unchanged).
    g.at(4_000).call(hbReq(a, 0));
    expect(g.ctx.timers[`session:${a}`]).toBe(3_000 + SESSION);
    g.call(joinReq('a', a));
    expect(g.state).toBe('CompletingRebalance');
    g.at(6_000).call(hbReq(a, 2));
    expect(g.ctx.timers[`session:${a}`]).toBe(6_000 + SESSION);
  });
});

// ---- OffsetCommit ---------------------------------------------------------------------------

describe('OffsetCommit validation (PROTOCOL.md 2.10; GroupCoordinator.validateOffsetCommit / doCommitOffsets, ClassicGroup.validateOffsetCommit)', () => {
  test('accepted in Stable and in PreparingRebalance (the old generation is still current)', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    const [a, b] = ids;
    expect(error(g.call(commitReq(a, 1, { 't-0': 3 })).reply)).toBe('NONE');
    expect(g.ctx.committed['t-0']).toEqual({ offset: 3, memberId: a, generation: 1 });
    g.call(changedJoin(b));
    expect(g.state).toBe('PreparingRebalance');
    g.at(5_000);
    expect(error(g.call(commitReq(a, 1, { 't-0': 4 })).reply)).toBe('NONE');
    expect(g.ctx.committed['t-0'].offset).toBe(4);
    // "completeAndScheduleNextHeartbeatExpiration" on an accepted commit
    expect(g.ctx.timers[`session:${a}`]).toBe(5_000 + SESSION);
  });

  test('REBALANCE_IN_PROGRESS in CompletingRebalance', () => {
    const { g, ids } = completingGroup(['a', 'b']);
    expect(error(g.call(commitReq(ids[1], 1, { 't-1': 7 })).reply)).toBe('REBALANCE_IN_PROGRESS');
    expect(g.ctx.committed['t-1']).toBeUndefined();
  });

  test('ILLEGAL_GENERATION for an old generation', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    expect(error(g.call(commitReq(ids[0], 0, { 't-0': 9 })).reply)).toBe('ILLEGAL_GENERATION');
    expect(g.ctx.committed['t-0']).toBeUndefined();
  });

  test('UNKNOWN_MEMBER_ID for a member that was removed', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    const [a, b] = ids;
    g.call(leaveReq(b));
    expect(error(g.call(commitReq(b, 1, { 't-1': 9 })).reply)).toBe('UNKNOWN_MEMBER_ID');
    expect(g.ctx.committed['t-1']).toBeUndefined();
    expect(error(g.call(commitReq(a, 1, { 't-0': 1 })).reply)).toBe('NONE');
  });

  test('no partition-ownership check: a member may commit a partition assigned to another', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    const [a, b] = ids;
    expect(g.ctx.members[a].assignment).toEqual(['t-0']);
    expect(error(g.call(commitReq(b, 1, { 't-0': 42 })).reply)).toBe('NONE');
    expect(g.ctx.committed['t-0']).toEqual({ offset: 42, memberId: b, generation: 1 });
  });
});

// ---- LeaveGroup, session expiry, pending sync ------------------------------------------------

describe('LeaveGroup (PROTOCOL.md 2.8; GroupCoordinator.handleLeaveGroup, GroupMetadata.remove)', () => {
  test('in Stable the member is removed, the group prepares a rebalance and the leader is re-chosen', () => {
    const { g, ids, leader } = stableGroup(['a', 'b', 'c']);
    expect(leader).toBe(ids[0]);
    g.at(1_000);
    const { reply } = g.call(leaveReq(leader));
    expect(error(reply)).toBe('NONE');
    expect(g.state).toBe('PreparingRebalance');
    expect(g.ctx.members[leader]).toBeUndefined();
    expect([ids[1], ids[2]]).toContain(g.ctx.leaderId);
    expect(g.ctx.timers.join).toBe(1_000 + REBALANCE); // DelayedJoin(group.rebalanceTimeoutMs)
    expect(g.ctx.generation).toBe(1);
  });

  test('the last member leaving in PreparingRebalance completes the phase into Empty with generation +1', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    const [a, b] = ids;
    g.call(leaveReq(b));
    expect(g.state).toBe('PreparingRebalance');
    g.call(leaveReq(a));
    // removeMemberAndUpdateGroup -> checkAndComplete -> hasAllMembersJoined (0 == 0) -> initNextGeneration
    expect(g.state).toBe('Empty');
    expect(g.ctx.generation).toBe(2);
    expect(g.ctx.leaderId).toBeNull();
    expect(g.ctx.protocolName).toBeNull();
    expect(g.ctx.timers.join).toBeUndefined();
  });
});

describe('session expiry (PROTOCOL.md 2.9; MemberMetadata.hasSatisfiedHeartbeat, onExpireHeartbeat)', () => {
  test('a member parked in JoinGroup is kept alive; one that is not is removed', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    const [a, b] = ids;
    g.call(changedJoin(b)); // b parked in JoinGroup, not new
    g.fire(`session:${b}`);
    expect(g.ctx.members[b]).toBeDefined();
    expect(g.state).toBe('PreparingRebalance');
    g.fire(`session:${a}`); // a sends nothing: expired, and the join phase can complete
    expect(g.ctx.members[a]).toBeUndefined();
    expect(g.state).toBe('CompletingRebalance');
    expect(Object.keys(g.ctx.members)).toEqual([b]);
    expect(g.ctx.leaderId).toBe(b);
  });

  test('a new member parked in JoinGroup expires after the new-member join timeout, answered UNKNOWN_MEMBER_ID', () => {
    const { g, leader } = stableGroup(['a'], { newMemberJoinTimeoutMs: 2_000 });
    g.at(1_000);
    const b = memberIdRequired(g, 'b');
    const parked = joinReq('b', b);
    g.call(parked);
    expect(g.state).toBe('PreparingRebalance');
    // completeAndScheduleNextExpiration(group, member, NewMemberJoinTimeoutMs)
    expect(g.ctx.timers[`session:${b}`]).toBe(3_000);
    const out = g.fire(`session:${b}`);
    expect(g.ctx.members[b]).toBeUndefined();
    const r = joinResp(out.find((x) => x.corr === parked.corr));
    expect(r.error).toBe('UNKNOWN_MEMBER_ID');
    expect(r.memberId).toBe('');
    expect(Object.keys(g.ctx.members)).toEqual([leader]);
  });
});

describe('pending-sync expiry (PROTOCOL.md 2.9; GroupCoordinator.onExpirePendingSync / expirePendingSync)', () => {
  test('Stable: members that never sent SyncGroup are removed and the group rebalances', () => {
    const { g, ids } = completingGroup(['a', 'b', 'c']);
    const [a, b, c] = ids;
    g.call(syncReq(a, 1, { [a]: ['t-0'], [b]: ['t-1'], [c]: ['t-2'] })); // leader: Stable
    g.call(syncReq(b, 1));
    expect(g.state).toBe('Stable');
    expect(g.ctx.pendingSync).toEqual([c]);
    g.fire('sync');
    expect(g.ctx.members[c]).toBeUndefined();
    expect(Object.keys(g.ctx.members).sort()).toEqual([a, b].sort());
    expect(g.state).toBe('PreparingRebalance');
  });

  test('CompletingRebalance: a leader that never syncs is removed, parked followers get REBALANCE_IN_PROGRESS', () => {
    const { g, ids } = completingGroup(['a', 'b']);
    const [a, b] = ids;
    const parked = syncReq(b, 1);
    g.call(parked);
    const out = g.fire('sync');
    expect(g.ctx.members[a]).toBeUndefined();
    expect(g.ctx.leaderId).toBe(b);
    expect(g.state).toBe('PreparingRebalance');
    expect(syncResp(out.find((r) => r.corr === parked.corr)).error).toBe('REBALANCE_IN_PROGRESS');
  });
});

// ---- JoinGroup in Stable ---------------------------------------------------------------------

describe('JoinGroup in Stable (PROTOCOL.md 2.4 step 5; GroupCoordinator.doCurrentMemberJoinGroup case Stable)', () => {
  test("an unchanged follower gets the current generation and no members; the leader's JoinGroup always rebalances", () => {
    const { g, ids, leader } = stableGroup(['a', 'b']);
    const follower = ids[1];
    const rf = joinResp(g.call(joinReq('b', follower)).reply);
    expect(rf.error).toBe('NONE');
    expect(rf.generation).toBe(1);
    expect(rf.leaderId).toBe(leader);
    expect(rf.members).toEqual({});
    expect(g.state).toBe('Stable');
    // ...and its SyncGroup returns the stored assignment.
    expect(syncResp(g.call(syncReq(follower, 1)).reply).assignment).toEqual(['t-1']);

    const { reply } = g.call(joinReq('a', leader)); // same metadata as before
    expect(reply).toBeUndefined();
    expect(g.state).toBe('PreparingRebalance');
  });

  test('a follower with changed metadata rebalances', () => {
    const { g, ids } = stableGroup(['a', 'b']);
    expect(g.call(changedJoin(ids[1])).reply).toBeUndefined();
    expect(g.state).toBe('PreparingRebalance');
  });
});

// ---- where the model differs from Kafka ------------------------------------------------------

describe('behaviours the model once got wrong', () => {
  // FIXED (was a model difference): at join completion Kafka first removes every dynamic member that has not
  // rejoined ("notYetRejoinedDynamicMembers ... group.remove"), and only then, if no member
  // rejoined and members remain (static ones), re-arms the join timer. GroupCoordinator.scala
  // onCompleteJoin; GroupMetadataManager.java completeClassicGroupJoin. The model used to check
  // `nobodyRejoined` before `removeMissedMembers` and kept the dynamic member.
  test('nobody rejoined: dynamic members are removed even though the phase is extended for a static one', () => {
    const { g, ids } = stableGroup(['a', { client: 's', instanceId: 'si' }, 'e']);
    const [a, s, e] = ids;
    g.call(leaveReq(e)); // Stable -> PreparingRebalance; neither a nor s rejoins
    g.fire('join');
    expect(g.state).toBe('PreparingRebalance');
    expect(g.ctx.timers.join).toBeDefined();
    expect(g.ctx.members[a]).toBeUndefined();
    expect(Object.keys(g.ctx.members)).toEqual([s]);
  });

  // FIXED: a commit with generation -1 to an Empty group is accepted (admin tools,
  // manual assignment): GroupCoordinator.validateOffsetCommit "generationId < 0 && group.is(Empty)
  // => None"; ClassicGroup.validateOffsetCommit "if (generationId < 0 && isInState(EMPTY)) return".
  // PROTOCOL.md 2.10 step 3. The model used to answer every OffsetCommit in Empty with UNKNOWN_MEMBER_ID.
  test('an OffsetCommit with generation -1 and no member id is accepted by an Empty group', () => {
    const g = new Coordinator();
    expect(error(g.call(commitReq('', -1, { 't-0': 5 })).reply)).toBe('NONE');
    expect(g.ctx.committed['t-0']?.offset).toBe(5);
  });

  // FIXED: supportsProtocols counts the *current* protocols of every member, the
  // rejoining member's old ones included: "memberProtocols.exists(supportedProtocols(_) ==
  // members.size)" (GroupMetadata.scala) / "supportedProtocols.getOrDefault(name, 0) ==
  // members.size()" (ClassicGroup.java). The model's protocolIncompatible used to leave the
  // joining member out and accept a member switching to a protocol it never advertised.
  test('an existing member switching to a protocol it did not support before gets INCONSISTENT_GROUP_PROTOCOL', () => {
    const g = new Coordinator();
    const a = memberIdRequired(g, 'a');
    const b = memberIdRequired(g, 'b');
    g.call(joinReq('a', a, { protocols: ['range'] }));
    g.call(joinReq('b', b, { protocols: ['range', 'roundrobin'] }));
    g.completeJoin();
    g.call(syncReq(b, 1));
    g.call(syncReq(a, 1, { [a]: ['t-0'], [b]: ['t-1'] }));
    expect(g.state).toBe('Stable');
    // roundrobin is supported by 1 of the 2 members (a's current list is [range]).
    const { reply } = g.call(joinReq('a', a, { protocols: ['roundrobin'] }));
    expect(error(reply)).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(g.state).toBe('Stable');
  });
});

// ---- coordinator failover ------------------------------------------------------------------

describe('failover (GroupMetadataManager loads the group from __consumer_offsets)', () => {
  test('a member id handed out before a failover is never handed out again, even if its generation was not persisted', () => {
    // a and b form generation 1 (persisted at Stable); c joins, generation 2 forms and is not
    // persisted (CompletingRebalance writes nothing) when the coordinator moves.
    const { g, ids } = stableGroup(['a', 'b']);
    const c = memberIdRequired(g, 'c');
    g.call(joinReq('c', c));
    for (const id of ids) g.call(joinReq(clientOf(id), id));
    g.completeJoin();
    expect(g.state).toBe('CompletingRebalance');
    expect(g.ctx.generation).toBe(2);
    expect(g.ctx.persisted?.generation).toBe(1);
    // The new coordinator loads generation 1, without c.
    const loaded = new Coordinator({
      load: { persisted: g.ctx.persisted, committed: g.ctx.committed, now: 0, memberSeq: g.ctx.nextMemberSeq },
    });
    expect(loaded.ctx.generation).toBe(1);
    expect(Object.keys(loaded.ctx.members)).toEqual(ids);
    // Kafka's ids end in a random UUID: c's client asking again gets a new id, so a leftover
    // request carrying c's old id (with generation 2, which the new coordinator will issue
    // again) is not taken for a member of the new generation.
    const again = memberIdRequired(loaded, 'c');
    expect(again).not.toBe(c);
    expect([...ids, c]).not.toContain(again);
  });
});
