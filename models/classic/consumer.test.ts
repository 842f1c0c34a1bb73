import { describe, expect, test } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { fastRunner } from '../../src/world/runtime.ts';
import { builtinAssignors } from '../assignors/index.ts';
import type { MemberSubscription } from '../assignors/types.ts';
import { defaultTimers } from '../types.ts';
import { createConsumerMachine } from './consumer.ts';
import type { ConsumerContext, ConsumerInput } from './consumer-state.ts';
import type {
  ClassicResponse,
  ClientRequest,
  ErrorCode,
  JoinGroupRequest,
  JoinGroupResponse,
  OffsetCommitRequest,
  SyncGroupRequest,
} from './messages.ts';

// Scenario tests that pin the classic consumer (group client) to Kafka's behaviour.
// References: /work/shared/PROTOCOL.md section 3 (and 4.2 for EAGER), and Kafka's source:
// clients/.../consumer/internals/AbstractCoordinator.java (JoinGroupResponseHandler,
// SyncGroupResponseHandler, HeartbeatResponseHandler, HeartbeatThread, maybeLeaveGroup) and
// ConsumerCoordinator.java (onJoinPrepare, onLeaderElected, onJoinComplete).
// Tests marked `test.fails` expect Kafka's behaviour where the model differs from it.

const run = fastRunner(createConsumerMachine(builtinAssignors));
const T = defaultTimers;
const ME = 'c1-1';

type Body<R> = R extends unknown ? Omit<R, 'corr' | 'client'> : never;

const joinOk = (
  memberId: string,
  generation: number,
  leaderId: string,
  members: Record<string, MemberSubscription> = {},
): Body<JoinGroupResponse> => ({
  kind: 'JoinGroupResponse',
  error: 'NONE',
  memberId,
  generation,
  protocolName: 'range',
  leaderId,
  members,
  skipAssignment: false,
});
const joinError = (error: ErrorCode, memberId = ''): Body<JoinGroupResponse> => ({
  kind: 'JoinGroupResponse',
  error,
  memberId,
  generation: -1,
  protocolName: null,
  leaderId: null,
  members: {},
  skipAssignment: false,
});
const syncOk = (assignment: string[], committed: Record<string, number> = {}): Body<ClassicResponse> => ({
  kind: 'SyncGroupResponse',
  error: 'NONE',
  assignment,
  committed,
});
const syncError = (error: ErrorCode): Body<ClassicResponse> => ({ kind: 'SyncGroupResponse', error, assignment: [], committed: {} });
const heartbeat = (error: ErrorCode): Body<ClassicResponse> => ({ kind: 'HeartbeatResponse', error });
const commitResp = (error: ErrorCode): Body<ClassicResponse> => ({ kind: 'OffsetCommitResponse', error });

/** One consumer process, driven event by event on a virtual clock. `out` holds the last step's requests. */
class Consumer {
  snap: AnyMachineSnapshot;
  now = 0;
  out: ClientRequest[];
  constructor(o: Partial<ConsumerInput> = {}) {
    const [snap, out] = run.initial({
      client: 'c1',
      inc: 1,
      now: 0,
      assignors: ['range'],
      protocol: 'eager',
      topics: ['t'],
      metadata: { t: 2 },
      settings: T,
      autoCommit: true,
      coordinator: 0,
      ...o,
    } satisfies ConsumerInput);
    this.snap = snap;
    this.out = out as ClientRequest[];
  }
  get ctx(): ConsumerContext {
    return this.snap.context as ConsumerContext;
  }
  get state(): string {
    return String(this.snap.value);
  }
  at(now: number): this {
    this.now = now;
    return this;
  }
  private deliver(event: { type: string; now: number }): ClientRequest[] {
    const [next, out] = run.send(this.snap, event);
    this.snap = next;
    this.out = out as ClientRequest[];
    return this.out;
  }
  /** The response to `req`, on its connection. */
  reply(req: ClientRequest, body: Body<ClassicResponse>): ClientRequest[] {
    return this.deliver({ type: 'RESPONSE', now: this.now, msg: { ...body, corr: req.corr, client: req.client } } as {
      type: string;
      now: number;
    });
  }
  /** Fires an armed timer at its deadline (the clock moves forward to it). */
  fire(name: string): ClientRequest[] {
    const deadline = this.ctx.timers[name];
    if (deadline === undefined) throw new Error(`timer ${name} is not armed: ${JSON.stringify(this.ctx.timers)}`);
    this.now = Math.max(this.now, deadline);
    return this.deliver({ type: 'TIMER', name, now: this.now } as { type: string; now: number });
  }
  app(type: 'PROCESS' | 'COMMIT' | 'STALL' | 'RESUME' | 'CLOSE' | 'CALLBACK_DONE'): ClientRequest[] {
    return this.deliver({ type, now: this.now });
  }
  /** The one request of `kind` the last step sent. */
  sent<K extends ClientRequest['kind']>(kind: K): Extract<ClientRequest, { kind: K }> {
    const found = this.out.filter((m) => m.kind === kind);
    expect(found, `one ${kind} in ${JSON.stringify(this.out)}`).toHaveLength(1);
    return found[0] as Extract<ClientRequest, { kind: K }>;
  }
  none(kind: ClientRequest['kind']): void {
    expect(this.out.filter((m) => m.kind === kind)).toEqual([]);
  }
}

/** Joins as `c1-1`, generation 1, and syncs; the leader assigns with range over t(2 partitions). */
function stableConsumer(o: Partial<ConsumerInput> = {}, { leader = true, committed = { 't-0': 5 } as Record<string, number> } = {}) {
  const c = new Consumer(o);
  c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
  const join = c.sent('JoinGroup');
  c.reply(join, joinOk(ME, 1, leader ? ME : 'c9-9', leader ? { [ME]: join.subscription } : {}));
  c.reply(c.sent('SyncGroup'), syncOk(['t-0', 't-1'], committed));
  expect(c.state).toBe('stable');
  return c;
}

// ---- joining ------------------------------------------------------------------------------

describe('two-step join (KIP-394; AbstractCoordinator.JoinGroupResponseHandler MEMBER_ID_REQUIRED)', () => {
  test('the first JoinGroup has no member id; MEMBER_ID_REQUIRED is adopted and the JoinGroup resent with it', () => {
    const c = new Consumer();
    const first = c.sent('JoinGroup');
    expect(first.memberId).toBe('');
    expect(c.state).toBe('joining');
    c.reply(first, joinError('MEMBER_ID_REQUIRED', ME));
    // generation := (DEFAULT_GENERATION_ID, memberId, null); requestRejoin; rejoin at once
    expect(c.ctx.memberId).toBe(ME);
    expect(c.ctx.generation).toBe(-1);
    const second = c.sent('JoinGroup');
    expect(second.memberId).toBe(ME);
    expect(second.corr).not.toBe(first.corr);
    expect(second.rebalanceTimeoutMs).toBe(T.maxPollIntervalMs); // rebalanceTimeoutMs = max.poll.interval.ms
  });
});

describe('leader and follower SyncGroup (AbstractCoordinator.onLeaderElected / onJoinFollower)', () => {
  test('the leader runs the assignor over every member and sends the assignments', () => {
    const c = new Consumer({ metadata: { t: 4 } });
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    const join = c.sent('JoinGroup');
    const other = { ...join.subscription };
    c.reply(join, joinOk(ME, 1, ME, { [ME]: join.subscription, 'c2-2': other }));
    expect(c.state).toBe('syncing');
    expect(c.ctx.isLeader).toBe(true);
    const sync = c.sent('SyncGroup') as SyncGroupRequest;
    expect(sync.generation).toBe(1);
    expect(sync.memberId).toBe(ME);
    expect(sync.assignments).toEqual({ [ME]: ['t-0', 't-1'], 'c2-2': ['t-2', 't-3'] });
  });

  test("an assignor that throws fails the leader's round: no SyncGroup, and a rejoin once the round times out (onLeaderElected: RequestFuture.failure)", () => {
    const c = new Consumer({ metadata: { t: 4 } });
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    const join = c.sent('JoinGroup');
    const [next, out] = run.send(c.snap, {
      type: 'RESPONSE',
      now: 0,
      assignorFails: true,
      msg: { ...joinOk(ME, 1, ME, { [ME]: join.subscription }), corr: join.corr, client: join.client },
    } as never);
    c.snap = next;
    c.out = out as ClientRequest[];
    c.none('SyncGroup');
    expect(c.state).toBe('syncing');
    c.fire('req:sync');
    expect(c.state).toBe('joining');
    expect(c.sent('JoinGroup').memberId).toBe(ME);
  });

  test('a restarted static leader told SkipAssignment (KIP-814) installs its assignment without asking to rejoin', () => {
    const c = new Consumer({ instanceId: 'i1' });
    const join = c.sent('JoinGroup');
    c.reply(join, { ...joinOk(ME, 3, ME, { [ME]: join.subscription }), skipAssignment: true });
    expect(c.ctx.isLeader).toBe(true);
    expect(c.sent('SyncGroup').assignments ?? {}).toEqual({});
    c.reply(c.sent('SyncGroup'), syncOk(['t-0', 't-1']));
    expect(c.state).toBe('stable');
    // ConsumerCoordinator.onLeaderElected: assignmentSnapshot = metadataSnapshot, the metadata it
    // has now; nothing changed since, so no rejoin.
    expect(c.ctx.assignedMetadata).toEqual({ t: 2 });
    expect(c.ctx.rejoinNeeded).toBe(false);
  });

  test('the returning static leader rejoins when a partition is added after it skipped assignment (testStaticConsumerDetectsNewPartitionCreatedAfterRestart)', () => {
    const c = new Consumer({ instanceId: 'i1' });
    const join = c.sent('JoinGroup');
    c.reply(join, { ...joinOk(ME, 3, ME, { [ME]: join.subscription }), skipAssignment: true });
    c.reply(c.sent('SyncGroup'), syncOk(['t-0', 't-1']));
    const [next] = run.send(c.snap, { type: 'METADATA', now: 0, topics: { t: 3 } } as never);
    c.snap = next;
    // rejoinNeededOrPending: assignmentSnapshot no longer matches metadataSnapshot.
    expect(c.ctx.rejoinNeeded).toBe(true);
  });

  test('KIP-881: the leader sends its client.rack, assigns on racks, and rejoins when a replica moves rack only if it has a rack', () => {
    for (const rack of ['r1', null]) {
      const c = new Consumer({ rack, racks: 2, metadataRacks: {} });
      const join = c.sent('JoinGroup');
      expect(join.subscription.rackId).toBe(rack ?? undefined);
      c.reply(join, joinError('MEMBER_ID_REQUIRED', ME));
      const other = { topics: ['t'], ownedPartitions: [], generationId: -1, groupInstanceId: null, rackId: 'r0' };
      c.reply(c.sent('JoinGroup'), joinOk(ME, 1, ME, { [ME]: c.sent('JoinGroup').subscription, 'm9-c2': other }));
      // t-0 sits on r0, t-1 on r1 (layoutRack): on r1 the leader takes t-1 although it sorts first;
      // without a rack it matches every partition and takes the first range.
      expect(c.sent('SyncGroup').assignments).toEqual(rack ? { [ME]: ['t-1'], 'm9-c2': ['t-0'] } : { [ME]: ['t-0'], 'm9-c2': ['t-1'] });
      c.reply(c.sent('SyncGroup'), syncOk(rack ? ['t-1'] : ['t-0']));
      expect(c.ctx.rejoinNeeded).toBe(false);
      const [next] = run.send(c.snap, { type: 'METADATA', now: 0, topics: { t: 2 }, racks: { 't-0': 1 } } as never);
      c.snap = next;
      // ConsumerCoordinator.MetadataSnapshot: PartitionRackInfo only with a client.rack.
      expect(c.ctx.rejoinNeeded).toBe(rack !== null);
    }
  });

  test('a follower sends no assignments', () => {
    const c = new Consumer();
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    c.reply(c.sent('JoinGroup'), joinOk(ME, 1, 'c9-9'));
    expect(c.ctx.isLeader).toBe(false);
    const sync = c.sent('SyncGroup');
    expect(sync.generation).toBe(1);
    expect(sync.assignments ?? {}).toEqual({});
  });

  test('SyncGroup NONE installs the assignment and starts from the committed offsets', () => {
    const c = stableConsumer({}, { leader: false, committed: { 't-0': 5 } });
    expect(c.ctx.owned).toEqual(['t-0', 't-1']);
    expect(c.ctx.positions).toEqual({ 't-0': 5, 't-1': 0 });
    expect(c.ctx.generation).toBe(1);
    expect(c.ctx.rejoinNeeded).toBe(false);
    expect(c.ctx.timers.heartbeat).toBeDefined(); // the heartbeat thread runs in COMPLETING_REBALANCE/STABLE
  });

  test('responses whose correlation id is not the one awaited are ignored', () => {
    const c = new Consumer();
    const first = c.sent('JoinGroup');
    c.reply(first, joinError('MEMBER_ID_REQUIRED', ME));
    // A second answer on the first JoinGroup's correlation id: not awaited any more.
    c.reply(first, joinOk(ME, 7, ME, {}));
    expect(c.out).toEqual([]);
    expect(c.state).toBe('joining');
    expect(c.ctx.generation).toBe(-1);
    expect(c.ctx.inflight.join?.corr).not.toBe(first.corr);
    // A SyncGroup answer for a request never sent is ignored too.
    c.reply({ ...first, corr: 999 } as ClientRequest, syncOk(['t-0']));
    expect(c.ctx.owned).toEqual([]);
    expect(c.state).toBe('joining');
  });
});

// ---- EAGER onJoinPrepare --------------------------------------------------------------------

describe('eager onJoinPrepare (PROTOCOL.md 4.2; ConsumerCoordinator.onJoinPrepare)', () => {
  test('with owned partitions and a valid generation: auto-commit first, JoinGroup only after its response, partitions revoked', () => {
    const c = stableConsumer();
    c.app('PROCESS'); // positions t-0: 6, t-1: 1
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    // autoCommitOffsetRequestFuture = maybeAutoCommitOffsetsAsync(); generation still (1, c1-1)
    const commit = c.sent('OffsetCommit') as OffsetCommitRequest;
    expect(commit.generation).toBe(1);
    expect(commit.memberId).toBe(ME);
    expect(commit.offsets).toEqual({ 't-0': 6, 't-1': 1 });
    c.none('JoinGroup');
    expect(c.state).toBe('committing');

    c.reply(commit, commitResp('NONE'));
    const join = c.sent('JoinGroup') as JoinGroupRequest;
    // onPartitionsRevoked(all) then assignFromSubscribed(empty) before the JoinGroup
    expect(c.ctx.owned).toEqual([]);
    expect(join.subscription.ownedPartitions).toEqual([]);
    expect(join.memberId).toBe(ME);
    expect(join.subscription.generationId).toBe(1); // KIP-792: the generation the member still holds
  });

  test('without a valid generation nothing is committed: the JoinGroup goes out at once and the partitions are lost', () => {
    const c = stableConsumer();
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('ILLEGAL_GENERATION'));
    // generationIfStable() is null in UNJOINED: the commit fails locally, no request.
    c.none('OffsetCommit');
    const join = c.sent('JoinGroup');
    expect(join.subscription.generationId).toBe(-1);
    expect(c.ctx.owned).toEqual([]);
  });

  test('without owned partitions nothing is committed', () => {
    const c = new Consumer();
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    c.reply(c.sent('JoinGroup'), joinOk(ME, 1, 'c9-9'));
    c.reply(c.sent('SyncGroup'), syncOk([]));
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    c.none('OffsetCommit');
    expect(c.sent('JoinGroup').memberId).toBe(ME);
  });
});

// ---- heartbeat responses --------------------------------------------------------------------

describe('heartbeat responses (PROTOCOL.md 3.3; AbstractCoordinator.HeartbeatResponseHandler)', () => {
  test('ILLEGAL_GENERATION resets the generation but keeps the member id', () => {
    const c = stableConsumer({ autoCommit: false });
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('ILLEGAL_GENERATION'));
    expect(c.ctx.generation).toBe(-1);
    expect(c.ctx.memberId).toBe(ME);
    expect(c.sent('JoinGroup').memberId).toBe(ME);
  });

  test('UNKNOWN_MEMBER_ID resets the generation and the member id', () => {
    const c = stableConsumer({ autoCommit: false });
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('UNKNOWN_MEMBER_ID'));
    expect(c.ctx.generation).toBe(-1);
    expect(c.ctx.memberId).toBe('');
    expect(c.sent('JoinGroup').memberId).toBe('');
  });

  /** A heartbeat sent in generation 1 whose answer arrives once the member is in generation 2. */
  function heartbeatFromOldGeneration() {
    const c = new Consumer();
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    c.reply(c.sent('JoinGroup'), joinOk(ME, 1, 'c9-9'));
    const sync = c.sent('SyncGroup');
    c.fire('heartbeat');
    const hb = c.sent('Heartbeat');
    expect(hb.generation).toBe(1);
    c.reply(sync, syncError('REBALANCE_IN_PROGRESS')); // rejoin, generation kept
    c.reply(c.sent('JoinGroup'), joinOk(ME, 2, 'c9-9'));
    expect(c.ctx.generation).toBe(2);
    expect(c.state).toBe('syncing');
    return { c, hb };
  }

  test.each(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID'] as const)(
    '%s is ignored if the generation changed since the heartbeat was sent',
    (code) => {
      const { c, hb } = heartbeatFromOldGeneration();
      c.reply(hb, heartbeat(code));
      // "if the generation has changed, then ignore this error"
      expect(c.ctx.generation).toBe(2);
      expect(c.ctx.memberId).toBe(ME);
      expect(c.state).toBe('syncing');
      expect(c.out).toEqual([]);
    },
  );

  test('REBALANCE_IN_PROGRESS in STABLE requests a rejoin', () => {
    const c = stableConsumer({ autoCommit: false });
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    expect(c.state).toBe('joining');
    const join = c.sent('JoinGroup');
    expect(join.memberId).toBe(ME);
    expect(c.ctx.generation).toBe(1); // no reset
  });

  test('REBALANCE_IN_PROGRESS while COMPLETING_REBALANCE is ignored', () => {
    const c = new Consumer();
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    c.reply(c.sent('JoinGroup'), joinOk(ME, 1, 'c9-9'));
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    expect(c.state).toBe('syncing');
    expect(c.out).toEqual([]);
  });
});

// ---- KIP-62 poll timeout, close -------------------------------------------------------------

describe('poll timeout (KIP-62; AbstractCoordinator.HeartbeatThread / handlePollTimeoutExpiry / maybeLeaveGroup)', () => {
  test('a stalled dynamic member leaves, forgets its member id, keeps its partitions until resumed, then loses them', () => {
    const c = stableConsumer();
    c.at(1_000).app('STALL');
    c.fire('poll');
    expect(c.now).toBe(1_000 + T.maxPollIntervalMs);
    const leave = c.sent('LeaveGroup');
    expect(leave.memberId).toBe(ME);
    // resetGenerationOnLeaveGroup: NO_GENERATION (member id included)
    expect(c.ctx.memberId).toBe('');
    expect(c.ctx.generation).toBe(-1);
    // Nothing happens on the application thread until poll() is called again.
    expect(c.ctx.owned).toEqual(['t-0', 't-1']);
    c.none('JoinGroup');

    c.app('RESUME');
    // onJoinPrepare with a reset generation: onPartitionsLost, no commit, then JoinGroup as a new member.
    expect(c.ctx.owned).toEqual([]);
    c.none('OffsetCommit');
    expect(c.sent('JoinGroup').memberId).toBe('');
  });

  test('close() sends LeaveGroup when the member has a member id', () => {
    const c = stableConsumer({ autoCommit: false });
    c.app('CLOSE');
    expect(c.sent('LeaveGroup').memberId).toBe(ME);
    expect(c.ctx.owned).toEqual([]);
    // awaitPendingRequests: close() returns once LeaveGroup is answered.
    expect(c.state).toBe('leaving');
    c.reply(c.sent('LeaveGroup'), { kind: 'LeaveGroupResponse', error: 'NONE' });
    expect(c.state).toBe('closed');
  });

  test('close() sends no LeaveGroup without a member id', () => {
    const c = stableConsumer();
    c.app('STALL');
    c.fire('poll'); // leaves and resets the member id
    c.app('CLOSE');
    c.none('LeaveGroup');
    expect(c.state).toBe('closed');
  });
});

// ---- where the model differs from Kafka ------------------------------------------------------

describe('behaviours the model once got wrong', () => {
  // FIXED (was a model difference): the brief expects "JoinGroup after the commit response or its request
  // timeout", but in Kafka a request timeout is a disconnection (NetworkClient.handleTimedOutRequests:
  // "will be treated as a disconnection"; ConsumerNetworkClient raises DisconnectException), which
  // marks the coordinator unknown (CoordinatorResponseHandler.onFailure) and is retriable, and
  // ConsumerCoordinator.onJoinPrepare keeps retrying "failed with retriable exception (and
  // joinPrepareTimer not expired)": it returns false, and the next poll() rediscovers the
  // coordinator and re-sends the auto-commit. Only joinPrepareTimer (rebalance timeout =
  // max.poll.interval.ms) or a non-retriable failure lets it join without the commit.
  test('a timed-out pre-revocation auto-commit is retried after coordinator rediscovery, not followed by JoinGroup', () => {
    const c = stableConsumer();
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    c.sent('OffsetCommit');
    c.fire('req:commit');
    c.none('JoinGroup');
    expect(c.ctx.coordinator).toBeNull();
    expect(c.out.some((m) => m.kind === 'FindCoordinator')).toBe(true);
    expect(c.ctx.owned).toEqual(['t-0', 't-1']);
  });

  // FIXED (was a model difference): the retry of a failed pre-revocation auto-commit goes through
  // ConsumerCoordinator.sendOffsetCommitRequest again, which uses generationIfStable(): after a
  // heartbeat's UNKNOWN_MEMBER_ID reset the member is UNJOINED, so the commit fails locally with
  // CommitFailedException ("not part of an active group"), which is not retriable, and
  // onJoinPrepare goes on to the join. The model sent the commit with generation -1 and no member
  // id, which the coordinator of an Empty group stores as a standalone commit.
  test('after a reset, the retried pre-revocation auto-commit is not sent: the member joins instead', () => {
    const c = stableConsumer();
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    const commit = c.sent('OffsetCommit');
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('UNKNOWN_MEMBER_ID'));
    expect(c.ctx.generation).toBe(-1);
    c.reply(commit, commitResp('NOT_COORDINATOR'));
    expect(c.state).toBe('committing');
    const out = c.fire('retry');
    expect(out.filter((m) => m.kind === 'OffsetCommit')).toEqual([]);
    expect(c.state).not.toBe('committing');
  });

  // FIXED (was a model difference): EAGER onJoinPrepare marks every assigned partition "pending revocation" when it
  // sends the auto-commit (ConsumerCoordinator.maybeMarkPartitionsPendingRevocation: "which stops
  // the Fetcher from sending new fetches or returning data from previous fetches to the user"), so
  // the position cannot move past the offsets being committed. The model keeps processing owned
  // partitions while `committing`.
  test('no records are processed while the pre-revocation auto-commit is in flight (partitions pending revocation)', () => {
    const c = stableConsumer();
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    const commit = c.sent('OffsetCommit');
    c.app('PROCESS');
    expect(c.ctx.positions).toEqual(commit.offsets);
  });

  // FIXED (was a model difference): onJoinPrepare (and its commit wait) runs while the state is still STABLE;
  // initiateJoinGroup sets PREPARING_REBALANCE only afterwards (AbstractCoordinator.joinGroupIfNeeded).
  // The HeartbeatThread disables itself only when state.hasNotJoinedGroup() (UNJOINED or
  // PREPARING_REBALANCE), so heartbeats continue during the commit wait (which may last up to the
  // rebalance timeout). The model stops the heartbeat timer when it leaves `stable`.
  test('the heartbeat thread keeps heartbeating while onJoinPrepare waits for the auto-commit', () => {
    const c = stableConsumer();
    c.fire('heartbeat');
    c.reply(c.sent('Heartbeat'), heartbeat('REBALANCE_IN_PROGRESS'));
    expect(c.state).toBe('committing');
    c.fire('heartbeat');
    expect(c.sent('Heartbeat').generation).toBe(1);
  });

  // FIXED (was a model difference): the poll timeout is only checked by the HeartbeatThread, which first does
  // "if (state.hasNotJoinedGroup() || hasFailed()) { disable(); continue; }": while
  // PREPARING_REBALANCE (or UNJOINED) no LeaveGroup is sent and nothing is reset. The model fires
  // its `poll` timer in every state.
  test('a poll timeout while PREPARING_REBALANCE sends no LeaveGroup and keeps the member id', () => {
    const c = new Consumer();
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    c.sent('JoinGroup'); // in flight: PREPARING_REBALANCE
    c.app('STALL');
    c.fire('poll');
    c.none('LeaveGroup');
    expect(c.ctx.memberId).toBe(ME);
  });

  // FIXED (was a model difference): maybeLeaveGroup sends LeaveGroup only if "isDynamicMember() &&
  // !coordinatorUnknown() && state != MemberState.UNJOINED && generation.hasMemberId()". After
  // ILLEGAL_GENERATION the heartbeat thread leaves the member UNJOINED with its member id (until the
  // next poll() rejoins); a close() then sends nothing. The model checks the member id only. (The
  // model reaches UNJOINED-with-member-id only while stalled, since it otherwise rejoins at once.)
  test('close() while UNJOINED with a retained member id sends no LeaveGroup', () => {
    const c = stableConsumer();
    c.fire('heartbeat');
    const hb = c.sent('Heartbeat');
    c.app('STALL');
    c.reply(hb, heartbeat('ILLEGAL_GENERATION'));
    expect(c.state).toBe('unjoined');
    expect(c.ctx.memberId).toBe(ME);
    c.app('CLOSE');
    c.none('LeaveGroup');
  });

  // FIXED (was a model difference): a heartbeat request timeout is a disconnection (see above) and
  // CoordinatorResponseHandler.onFailure does "if (e instanceof DisconnectException)
  // markCoordinatorUnknown(true, ...)"; the heartbeat thread then looks the coordinator up
  // (lookupCoordinator). The model only forgets the in-flight heartbeat.
  test('a heartbeat request timeout marks the coordinator unknown', () => {
    const c = stableConsumer();
    c.fire('heartbeat');
    c.sent('Heartbeat');
    c.fire('req:heartbeat');
    expect(c.ctx.coordinator).toBeNull();
  });
});

// ---- callbacks that take time, and close() ---------------------------------------------------

describe('close() is not atomic (ConsumerCoordinator.close, AbstractCoordinator.close / onLeavePrepare / maybeLeaveGroup)', () => {
  test('auto-commit first (heartbeats go on), then onPartitionsRevoked, then LeaveGroup and its answer', () => {
    const c = stableConsumer({ slowCallbacks: true });
    c.app('PROCESS');
    c.app('CLOSE');
    // maybeAutoCommitOffsetsSync with the current generation.
    const commit = c.sent('OffsetCommit');
    expect(commit.generation).toBe(1);
    c.none('LeaveGroup');
    expect(c.state).toBe('closing');
    expect(c.fire('heartbeat').map((m) => m.kind)).toEqual(['Heartbeat']);
    c.reply(commit, commitResp('NONE'));
    // onLeavePrepare: a slow onPartitionsRevoked; the partitions are held until it returns.
    expect(c.state).toBe('releasing');
    expect(c.ctx.owned).toEqual(['t-0', 't-1']);
    expect('heartbeat' in c.ctx.timers).toBe(false); // closeHeartbeatThread ran first
    c.app('CALLBACK_DONE');
    expect(c.sent('LeaveGroup').memberId).toBe(ME);
    expect(c.ctx.owned).toEqual([]);
    c.fire('req:leave');
    expect(c.state).toBe('closed');
  });

  test('a static member sends no LeaveGroup and is closed once its callback returns', () => {
    const c = stableConsumer({ instanceId: 'i1', autoCommit: false });
    c.app('CLOSE');
    c.none('LeaveGroup');
    expect(c.state).toBe('closed');
  });

  test('a generation lost during the close commit turns the callback into onPartitionsLost (slow only with slowAssignLost)', () => {
    const c = stableConsumer({ slowCallbacks: true });
    c.app('CLOSE');
    c.reply(c.sent('OffsetCommit'), commitResp('UNKNOWN_MEMBER_ID'));
    // No generation, no member id: onPartitionsLost is instantaneous here, and no LeaveGroup.
    c.none('LeaveGroup');
    expect(c.state).toBe('closed');
  });
});

describe('slow onPartitionsAssigned and onPartitionsLost (ConsumerCoordinator.onJoinComplete / onJoinPrepare)', () => {
  test('onPartitionsAssigned runs with the assignment installed; heartbeats and commits go on; a rebalance waits for it', () => {
    const c = new Consumer({ slowAssignLost: true });
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    const join = c.sent('JoinGroup');
    c.reply(join, joinOk(ME, 1, ME, { [ME]: join.subscription }));
    c.reply(c.sent('SyncGroup'), syncOk(['t-0', 't-1'], { 't-0': 5 }));
    expect(c.state).toBe('assigning');
    expect(c.ctx.owned).toEqual(['t-0', 't-1']);
    expect(c.ctx.positions['t-0']).toBe(5);
    // The poll timer runs while the application thread is in the callback.
    expect('poll' in c.ctx.timers).toBe(true);
    c.app('PROCESS');
    expect(c.ctx.positions['t-0']).toBe(5);
    expect(c.app('COMMIT').map((m) => m.kind)).toEqual(['OffsetCommit']);
    const hb = c.fire('heartbeat')[0];
    c.reply(hb, heartbeat('REBALANCE_IN_PROGRESS'));
    expect(c.state).toBe('assigning');
    c.none('JoinGroup');
    c.app('CALLBACK_DONE');
    // The next poll() acts on the rejoin signal: onJoinPrepare commits first.
    expect(c.state).toBe('committing');
  });

  test('a generation reset while onPartitionsAssigned runs does not end it; onPartitionsLost follows, then JoinGroup', () => {
    const c = new Consumer({ slowAssignLost: true, autoCommit: false });
    c.reply(c.sent('JoinGroup'), joinError('MEMBER_ID_REQUIRED', ME));
    const join = c.sent('JoinGroup');
    c.reply(join, joinOk(ME, 1, ME, { [ME]: join.subscription }));
    c.reply(c.sent('SyncGroup'), syncOk(['t-0', 't-1']));
    c.reply(c.fire('heartbeat')[0], heartbeat('UNKNOWN_MEMBER_ID'));
    expect(c.state).toBe('assigning');
    expect(c.ctx.generation).toBe(-1);
    c.app('CALLBACK_DONE');
    expect(c.state).toBe('losing');
    expect(c.ctx.owned).toEqual(['t-0', 't-1']);
    c.none('JoinGroup');
    c.app('CALLBACK_DONE');
    expect(c.ctx.owned).toEqual([]);
    expect(c.sent('JoinGroup').memberId).toBe('');
  });
});
