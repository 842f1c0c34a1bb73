import { describe, expect, test } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { fastRunner } from '../../src/world/runtime.ts';
import { defaultTimers } from '../types.ts';
import { memberMachine } from './member.ts';
import type { MemberContext } from './member-state.ts';
import type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
  ConsumerOffsetCommitRequest,
  MemberRequest,
} from './messages.ts';

// Scenario tests pinning the KIP-848 consumer to the Java client's behaviour. References:
// /work/shared/PROTOCOL.md 7.3, 7.10, 7.11, and the client's AbstractMembershipManager,
// ConsumerMembershipManager, MemberState and ConsumerHeartbeatRequestManager.HeartbeatState.

const run = fastRunner(memberMachine);

class Member {
  snap: AnyMachineSnapshot;
  out: MemberRequest[];
  now = 0;
  constructor(o: { instanceId?: string; slowCallbacks?: boolean; slowAssignLost?: boolean; autoCommit?: boolean } = {}) {
    const [s, out] = run.initial({
      client: 'c1',
      inc: 1,
      now: 0,
      topics: ['t'],
      metadata: { t: 4 },
      settings: defaultTimers,
      assignor: 'uniform',
      ...o,
    });
    this.snap = s;
    this.out = out as MemberRequest[];
  }
  get ctx() {
    return this.snap.context as MemberContext;
  }
  get state() {
    return this.snap.value;
  }
  event(e: Record<string, unknown>): MemberRequest[] {
    const [s, out] = run.send(this.snap, { now: this.now, ...e } as never);
    this.snap = s;
    return (this.out = out as MemberRequest[]);
  }
  /** Answers the heartbeat in flight. */
  answer(r: Partial<ConsumerGroupHeartbeatResponse>): MemberRequest[] {
    const corr = this.ctx.inflight.heartbeat!.corr;
    return this.event({
      type: 'RESPONSE',
      msg: {
        kind: 'ConsumerGroupHeartbeatResponse',
        corr,
        client: { client: 'c1', inc: 1 },
        error: 'NONE',
        memberId: 'c1-1',
        memberEpoch: 1,
        heartbeatIntervalMs: 3000,
        assignment: null,
        committed: {},
        ...r,
      },
    });
  }
  heartbeatNow(): MemberRequest[] {
    this.now = this.ctx.timers.heartbeat;
    return this.event({ type: 'TIMER', name: 'heartbeat' });
  }
}

const hbOf = (out: MemberRequest[]) => out.find((m) => m.kind === 'ConsumerGroupHeartbeat') as ConsumerGroupHeartbeatRequest | undefined;

describe('joining (AbstractMembershipManager: JOINING)', () => {
  test('the first heartbeat has epoch 0, a client-generated member id, the full subscription and an empty owned list', () => {
    const m = new Member();
    expect(m.state).toBe('joining');
    expect(hbOf(m.out)).toMatchObject({
      memberId: 'c1-1',
      memberEpoch: 0,
      rebalanceTimeoutMs: defaultTimers.maxPollIntervalMs,
      topics: ['t'],
      assignor: 'uniform',
      owned: [],
    });
  });

  test('later heartbeats send only what changed (null = unchanged)', () => {
    const m = new Member();
    m.answer({ memberEpoch: 1, assignment: [] });
    expect(m.state).toBe('stable');
    expect(hbOf(m.heartbeatNow())).toMatchObject({ memberEpoch: 1, topics: null, rebalanceTimeoutMs: null, owned: null });
  });
});

describe('reconciliation (maybeReconcile): commit, revoke, then acknowledge', () => {
  test('with auto-commit the consumed offsets are committed before anything is revoked; the ack goes out at once with the new owned set', () => {
    const m = new Member();
    m.answer({ memberEpoch: 1, assignment: ['t-0', 't-1'], committed: { 't-0': 5 } });
    expect(m.state).toBe('stable');
    expect(m.ctx.owned).toEqual(['t-0', 't-1']);
    expect(m.ctx.positions).toEqual({ 't-0': 5, 't-1': 0 });
    expect(hbOf(m.out)).toMatchObject({ memberEpoch: 1, owned: ['t-0', 't-1'] });
    m.answer({ memberEpoch: 1 });
    // The coordinator now asks to revoke t-1 (same epoch: UNREVOKED_PARTITIONS).
    m.heartbeatNow();
    const out = m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    expect(m.state).toBe('reconciling');
    const commit = out.find((x) => x.kind === 'OffsetCommit') as ConsumerOffsetCommitRequest;
    expect(commit).toMatchObject({ memberEpoch: 1, offsets: { 't-0': 5, 't-1': 0 } });
    // Still owning both until the commit is done: a heartbeat meanwhile reports nothing new.
    expect(m.ctx.owned).toEqual(['t-0', 't-1']);
    expect(hbOf(m.heartbeatNow())?.owned).toBeNull();
    m.answer({ memberEpoch: 1 });
    const after = m.event({
      type: 'RESPONSE',
      msg: { kind: 'OffsetCommitResponse', corr: commit.corr, client: commit.client, error: 'NONE' },
    });
    expect(m.ctx.owned).toEqual(['t-0']);
    expect(hbOf(after)).toMatchObject({ memberEpoch: 1, owned: ['t-0'] });
    expect(m.state).toBe('stable');
  });

  test('a slow onPartitionsRevoked holds the acknowledgement until it returns', () => {
    const m = new Member({ slowCallbacks: true });
    m.answer({ memberEpoch: 1, assignment: ['t-0', 't-1'] });
    m.answer({ memberEpoch: 1 });
    m.heartbeatNow();
    const out = m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    const commit = out.find((x) => x.kind === 'OffsetCommit')!;
    m.event({ type: 'RESPONSE', msg: { kind: 'OffsetCommitResponse', corr: commit.corr, client: commit.client, error: 'NONE' } });
    expect(m.state).toBe('revoking');
    expect(m.ctx.owned).toEqual(['t-0', 't-1']);
    const ack = m.event({ type: 'CALLBACK_DONE' });
    expect(hbOf(ack)?.owned).toEqual(['t-0']);
  });
});

describe('fencing and errors (7.11)', () => {
  test('FENCED_MEMBER_EPOCH: partitions lost, epoch 0, rejoin at once with the same member id and nothing owned', () => {
    const m = new Member();
    m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    m.answer({ memberEpoch: 1 });
    m.heartbeatNow();
    const out = m.answer({ error: 'FENCED_MEMBER_EPOCH' });
    expect(m.state).toBe('joining');
    expect(m.ctx.owned).toEqual([]);
    expect(hbOf(out)).toMatchObject({ memberId: 'c1-1', memberEpoch: 0, owned: [] });
  });

  test('UNKNOWN_MEMBER_ID is handled the same way', () => {
    const m = new Member();
    m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    m.answer({ memberEpoch: 1 });
    m.heartbeatNow();
    expect(hbOf(m.answer({ error: 'UNKNOWN_MEMBER_ID' }))?.memberEpoch).toBe(0);
  });

  test('UNRELEASED_INSTANCE_ID is fatal for the Java client', () => {
    const m = new Member({ instanceId: 'i1' });
    m.answer({ error: 'UNRELEASED_INSTANCE_ID' });
    expect(m.state).toBe('fatal');
  });

  test('a response to an abandoned heartbeat is ignored', () => {
    const m = new Member();
    const first = m.ctx.inflight.heartbeat!.corr;
    m.now = m.ctx.timers['req:heartbeat'];
    m.event({ type: 'TIMER', name: 'req:heartbeat' });
    const before = m.ctx;
    m.event({
      type: 'RESPONSE',
      msg: {
        kind: 'ConsumerGroupHeartbeatResponse',
        corr: first,
        client: { client: 'c1', inc: 1 },
        error: 'NONE',
        memberId: 'c1-1',
        memberEpoch: 1,
        heartbeatIntervalMs: 3000,
        assignment: ['t-0'],
        committed: {},
      },
    });
    expect(m.ctx).toBe(before);
  });

  /** Finds the coordinator again: the FindCoordinator in flight is answered. */
  const found = (m: Member) =>
    m.event({
      type: 'RESPONSE',
      msg: { kind: 'FindCoordinatorResponse', corr: m.ctx.inflight.find!.corr, client: { client: 'c1', inc: 1 }, error: 'NONE', epoch: 0 },
    });

  test('HeartbeatState is reset by a failed heartbeat, not by a commit that finds the coordinator gone (AbstractHeartbeatRequestManager.onErrorResponse)', () => {
    const m = new Member();
    m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    m.answer({ memberEpoch: 1 });
    // A commit answered NOT_COORDINATOR: the coordinator is looked up again; the heartbeat that
    // follows still sends only what changed (CommitRequestManager does not touch HeartbeatState).
    const commit = m.event({ type: 'COMMIT' }).find((x) => x.kind === 'OffsetCommit') as ConsumerOffsetCommitRequest;
    m.event({
      type: 'RESPONSE',
      msg: { kind: 'OffsetCommitResponse', corr: commit.corr, client: commit.client, error: 'NOT_COORDINATOR' },
    });
    expect(m.ctx.coordinator).toBeNull();
    expect(m.ctx.sendFull).toBe(false);
    expect(hbOf(found(m))).toMatchObject({ memberEpoch: 1, rebalanceTimeoutMs: null, topics: null, owned: null });
    // A heartbeat answered NOT_COORDINATOR resets it: the next heartbeat carries every field.
    m.answer({ error: 'NOT_COORDINATOR' });
    expect(m.ctx.sendFull).toBe(true);
    expect(hbOf(found(m))).toMatchObject({
      memberEpoch: 1,
      rebalanceTimeoutMs: defaultTimers.maxPollIntervalMs,
      topics: ['t'],
      owned: ['t-0'],
    });
  });
});

describe('leaving', () => {
  test('close() of a dynamic member sends epoch -1; of a static member -2', () => {
    const d = new Member();
    d.answer({ memberEpoch: 1, assignment: [] });
    expect(hbOf(d.event({ type: 'CLOSE' }))?.memberEpoch).toBe(-1);
    const s = new Member({ instanceId: 'i1' });
    s.answer({ memberEpoch: 1, assignment: [] });
    expect(hbOf(s.event({ type: 'CLOSE' }))).toMatchObject({ memberEpoch: -2, instanceId: 'i1' });
  });

  test('max.poll.interval.ms passed: leave, lose everything, STALE until the next poll rejoins with epoch 0', () => {
    const m = new Member();
    m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    m.event({ type: 'STALL' });
    m.now = m.ctx.timers.poll;
    expect(hbOf(m.event({ type: 'TIMER', name: 'poll' }))?.memberEpoch).toBe(-1);
    expect(m.state).toBe('stale');
    expect(m.ctx.owned).toEqual([]);
    expect(hbOf(m.event({ type: 'RESUME' }))).toMatchObject({ memberEpoch: 0, owned: [] });
  });
});

describe('slow onPartitionsAssigned and onPartitionsLost (AbstractMembershipManager.assignPartitions / transitionToFenced)', () => {
  test('onPartitionsAssigned runs before the reconciliation completes: no ack until it returns', () => {
    const m = new Member({ slowAssignLost: true });
    m.answer({ memberEpoch: 1, assignment: ['t-0', 't-1'], committed: { 't-0': 5 } });
    expect(m.state).toBe('assigning');
    // currentAssignment is unchanged while the callback runs: heartbeats report nothing new.
    expect(m.ctx.owned).toEqual([]);
    m.event({ type: 'PROCESS' });
    expect(hbOf(m.heartbeatNow())?.owned).toBeNull();
    m.answer({ memberEpoch: 1 });
    const ack = m.event({ type: 'CALLBACK_DONE' });
    expect(m.state).toBe('stable');
    expect(hbOf(ack)).toMatchObject({ memberEpoch: 1, owned: ['t-0', 't-1'] });
    expect(m.ctx.positions).toEqual({ 't-0': 5, 't-1': 0 });
  });

  test('the added partitions start from the committed offsets of the moment onPartitionsAssigned returns (the OffsetFetch)', () => {
    const m = new Member({ slowAssignLost: true });
    m.answer({ memberEpoch: 1, assignment: ['t-0', 't-1'], committed: { 't-0': 5 } });
    expect(m.state).toBe('assigning');
    // Meanwhile another process committed t-0 and t-1 further (a zombie, or a stale install).
    m.event({ type: 'CALLBACK_DONE', committed: { 't-0': 7, 't-1': 2, 't-2': 9 } });
    expect(m.ctx.positions).toEqual({ 't-0': 7, 't-1': 2 });
  });

  test('a newer assignment keeps the offsets an older one brought for partitions still being installed', () => {
    const m = new Member({ slowAssignLost: true });
    m.answer({ memberEpoch: 1, assignment: ['t-0', 't-1'], committed: { 't-0': 5, 't-1': 3 } });
    m.heartbeatNow();
    m.answer({ memberEpoch: 2, assignment: ['t-1'], committed: { 't-1': 4 } });
    expect(m.ctx.committed).toEqual({ 't-0': 5, 't-1': 4 });
    m.event({ type: 'CALLBACK_DONE' });
    expect(m.ctx.positions).toEqual({ 't-0': 5, 't-1': 4 });
  });

  test('fenced: epoch 0 at once, the partitions held and no heartbeat until onPartitionsLost returns, then a rejoin', () => {
    const slow = new Member({ slowAssignLost: true });
    slow.answer({ memberEpoch: 1, assignment: ['t-0'] });
    slow.event({ type: 'CALLBACK_DONE' });
    slow.answer({ memberEpoch: 1 });
    slow.heartbeatNow();
    slow.answer({ error: 'FENCED_MEMBER_EPOCH' });
    expect(slow.state).toBe('losing');
    expect(slow.ctx.memberEpoch).toBe(0);
    expect(slow.ctx.owned).toEqual(['t-0']);
    expect(slow.ctx.timers.heartbeat).toBeUndefined();
    const out = slow.event({ type: 'CALLBACK_DONE' });
    expect(slow.state).toBe('joining');
    expect(slow.ctx.owned).toEqual([]);
    expect(hbOf(out)).toMatchObject({ memberEpoch: 0, owned: [] });
  });
});

describe('close() is not atomic (AsyncKafkaConsumer.releaseAssignmentAndLeaveGroup, AbstractMembershipManager.leaveGroup)', () => {
  test('commit on close, then onPartitionsRevoked (PREPARE_LEAVING, heartbeats on), then the leave heartbeat and its answer', () => {
    const m = new Member({ slowCallbacks: true });
    m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    m.answer({ memberEpoch: 1 });
    const out = m.event({ type: 'CLOSE' });
    expect(m.state).toBe('closing');
    const commit = out.find((x) => x.kind === 'OffsetCommit') as ConsumerOffsetCommitRequest;
    expect(commit.memberEpoch).toBe(1);
    m.event({ type: 'RESPONSE', msg: { kind: 'OffsetCommitResponse', corr: commit.corr, client: commit.client, error: 'NONE' } });
    expect(m.state).toBe('releasing');
    expect(m.ctx.owned).toEqual(['t-0']);
    expect(hbOf(m.heartbeatNow())?.memberEpoch).toBe(1);
    m.answer({ memberEpoch: 1 });
    const leave = hbOf(m.event({ type: 'CALLBACK_DONE' }));
    expect(leave?.memberEpoch).toBe(-1);
    expect(m.ctx.owned).toEqual([]);
    expect(m.state).toBe('leaving');
    m.answer({ memberEpoch: -1 });
    expect(m.state).toBe('closed');
  });

  test('fenced while leaving: onPartitionsLost instead, and no leave heartbeat', () => {
    const m = new Member({ slowCallbacks: true, autoCommit: false });
    m.answer({ memberEpoch: 1, assignment: ['t-0'] });
    m.answer({ memberEpoch: 1 });
    m.event({ type: 'CLOSE' });
    expect(m.state).toBe('releasing');
    m.heartbeatNow();
    m.answer({ error: 'FENCED_MEMBER_EPOCH' });
    expect(m.state).toBe('releasing');
    const out = m.event({ type: 'CALLBACK_DONE' });
    expect(hbOf(out)).toBeUndefined();
    expect(m.state).toBe('closed');
  });
});
