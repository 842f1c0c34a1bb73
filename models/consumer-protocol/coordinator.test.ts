import { describe, expect, test } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { fastRunner } from '../../src/world/runtime.ts';
import { createGroupCoordinatorMachine, groupCoordinatorMachine } from './coordinator.ts';
import { serverAssignors } from './assignors.ts';
import { groupStateOf, type GroupContext } from './coordinator-state.ts';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse, ConsumerResponse } from './messages.ts';

// Scenario tests pinning the KIP-848 group coordinator to Kafka's behaviour (4.0 code line).
// References: /work/shared/PROTOCOL.md section 7, and Kafka's group-coordinator module:
// GroupMetadataManager.consumerGroupHeartbeat / consumerGroupLeave / throwIfConsumerGroupMemberEpochIsInvalid,
// CurrentAssignmentBuilder, ConsumerGroup (partition epochs, maybeUpdateGroupState), ConsumerGroupMember.

const run = fastRunner(groupCoordinatorMachine);
const SESSION = 10_000;
const topics = { t: 4 };
let corr = 0;

const hb = (client: string, memberEpoch: number, o: Partial<ConsumerGroupHeartbeatRequest> = {}): ConsumerGroupHeartbeatRequest => ({
  kind: 'ConsumerGroupHeartbeat',
  corr: ++corr,
  client: { client, inc: 1 },
  epoch: 0,
  memberId: `${client}-1`,
  memberEpoch,
  instanceId: null,
  rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : null,
  topics: memberEpoch === 0 ? ['t'] : null,
  assignor: memberEpoch === 0 ? 'uniform' : null,
  owned: memberEpoch === 0 ? [] : null,
  ...o,
});

class Group {
  snap: AnyMachineSnapshot;
  now = 0;
  get ctx() {
    return this.snap.context as GroupContext;
  }
  constructor(private readonly runner = run) {
    [this.snap] = runner.initial({ sessionTimeoutMs: SESSION, heartbeatIntervalMs: 3000 });
  }
  send(msg: ConsumerGroupHeartbeatRequest, fault: { assignorFails?: boolean } = {}): ConsumerGroupHeartbeatResponse {
    const [next, out] = this.runner.send(this.snap, { type: msg.kind, now: this.now, msg, topics, ...fault } as never);
    this.snap = next;
    return (out as ConsumerResponse[])[0] as ConsumerGroupHeartbeatResponse;
  }
  fire(name: string) {
    this.now = this.ctx.timers[name];
    [this.snap] = this.runner.send(this.snap, { type: 'TIMER', now: this.now, name, topics } as never);
  }
}

/** Two members joined and reconciled: c1 holds t-0,t-1 and c2 t-2,t-3 at the latest epoch. */
function twoStableMembers(): Group {
  const g = new Group();
  const r1 = g.send(hb('c1', 0));
  g.send(hb('c1', r1.memberEpoch, { owned: r1.assignment }));
  const r2 = g.send(hb('c2', 0));
  // c1 must revoke two partitions for c2: acknowledged by no longer reporting them.
  const r1b = g.send(hb('c1', r1.memberEpoch, { owned: ['t-0', 't-1', 't-2', 't-3'] }));
  g.send(hb('c1', r1b.memberEpoch, { owned: r1b.assignment }));
  const r2b = g.send(hb('c2', r2.memberEpoch, { owned: [] }));
  g.send(hb('c2', r2b.memberEpoch, { owned: r2b.assignment }));
  return g;
}

describe('ConsumerGroupHeartbeat: joining (GroupMetadataManager.consumerGroupHeartbeat)', () => {
  test('a member joins with epoch 0; the group epoch goes up and it gets its target at once', () => {
    const g = new Group();
    const r = g.send(hb('c1', 0));
    expect(r).toMatchObject({ error: 'NONE', memberId: 'c1-1', memberEpoch: 1, heartbeatIntervalMs: 3000 });
    expect(r.assignment).toEqual(['t-0', 't-1', 't-2', 't-3']);
    expect(g.ctx).toMatchObject({ groupEpoch: 1, targetEpoch: 1 });
    expect(groupStateOf(g.ctx)).toBe('Stable');
  });

  test('an unknown member id with an epoch other than 0 gets UNKNOWN_MEMBER_ID', () => {
    const g = new Group();
    expect(g.send(hb('c1', 3, { owned: [] })).error).toBe('UNKNOWN_MEMBER_ID');
    expect(Object.keys(g.ctx.members)).toEqual([]);
  });

  test('a heartbeat without changes carries no assignment (null = unchanged)', () => {
    const g = new Group();
    const r = g.send(hb('c1', 0));
    expect(g.send(hb('c1', r.memberEpoch)).assignment).toBeNull();
  });
});

describe('reconciliation (CurrentAssignmentBuilder)', () => {
  test('a partition moves only after its owner acknowledges the revocation: UNREVOKED_PARTITIONS, then UNRELEASED_PARTITIONS for the receiver', () => {
    const g = new Group();
    const r1 = g.send(hb('c1', 0));
    g.send(hb('c1', 1, { owned: r1.assignment }));
    const r2 = g.send(hb('c2', 0));
    // The new target gives c2 two partitions c1 still holds: c2 waits, epoch 2, nothing yet.
    expect(r2).toMatchObject({ memberEpoch: 2, assignment: [] });
    expect(g.ctx.members['c2-1'].state).toBe('unreleased');
    // c1 is asked to revoke; it keeps epoch 1 until it acknowledges.
    const revoke = g.send(hb('c1', 1, { owned: ['t-0', 't-1', 't-2', 't-3'] }));
    expect(revoke).toMatchObject({ memberEpoch: 1, assignment: ['t-0', 't-1'] });
    expect(g.ctx.members['c1-1']).toMatchObject({ state: 'unrevoked', pendingRevocation: ['t-2', 't-3'] });
    // c2 still gets nothing while c1 holds them.
    expect(g.send(hb('c2', 2, { owned: [] })).assignment).toBeNull();
    // c1 acknowledges by reporting what it owns now; it moves to epoch 2, the partitions are free.
    expect(g.send(hb('c1', 1, { owned: ['t-0', 't-1'] }))).toMatchObject({ memberEpoch: 2 });
    expect(g.ctx.partitionEpochs).toEqual({ 't-0': 2, 't-1': 2 });
    expect(g.send(hb('c2', 2, { owned: [] })).assignment).toEqual(['t-2', 't-3']);
    expect(groupStateOf(g.ctx)).toBe('Stable');
  });

  test('an unchanged (null) owned list means the member still holds what it must revoke', () => {
    const g = new Group();
    const r1 = g.send(hb('c1', 0));
    g.send(hb('c1', 1, { owned: r1.assignment }));
    g.send(hb('c2', 0));
    g.send(hb('c1', 1, { owned: null }));
    expect(g.ctx.members['c1-1'].state).toBe('unrevoked');
  });

  test('the rebalance timer fences a member that never acknowledges', () => {
    const g = new Group();
    const r1 = g.send(hb('c1', 0));
    g.send(hb('c1', 1, { owned: r1.assignment }));
    g.send(hb('c2', 0));
    g.send(hb('c1', 1, { owned: r1.assignment }));
    expect(g.ctx.timers['rebalance:c1-1']).toBe(30_000);
    g.fire('rebalance:c1-1');
    expect(g.ctx.members['c1-1']).toBeUndefined();
    expect(g.ctx.groupEpoch).toBe(3);
  });
});

describe('fencing (throwIfConsumerGroupMemberEpochIsInvalid)', () => {
  test('an epoch above the member epoch is FENCED_MEMBER_EPOCH and changes nothing', () => {
    const g = twoStableMembers();
    const before = g.ctx;
    expect(g.send(hb('c1', 99, { owned: [] })).error).toBe('FENCED_MEMBER_EPOCH');
    expect(g.ctx.members).toBe(before.members);
  });

  test('the previous epoch is accepted when the owned partitions are a subset of the assignment (lost response), otherwise fenced', () => {
    const g = twoStableMembers();
    const m = g.ctx.members['c1-1'];
    expect(g.send(hb('c1', m.previousEpoch, { owned: m.assigned })).error).toBe('NONE');
    expect(g.send(hb('c1', m.previousEpoch, { owned: ['t-2'] })).error).toBe('FENCED_MEMBER_EPOCH');
  });

  test('4.0: a fenced member rejoining with its member id and epoch 0 is fenced again until its old record expires', () => {
    const g = twoStableMembers();
    expect(g.send(hb('c1', 0)).error).toBe('FENCED_MEMBER_EPOCH');
    g.fire('session:c1-1');
    expect(g.send(hb('c1', 0)).error).toBe('NONE');
  });

  test('session expiry removes the member, frees its partitions and bumps the group epoch', () => {
    const g = twoStableMembers();
    const epoch = g.ctx.groupEpoch;
    g.fire('session:c2-1');
    expect(g.ctx.members['c2-1']).toBeUndefined();
    expect(Object.keys(g.ctx.partitionEpochs).sort()).toEqual(['t-0', 't-1']);
    expect(g.ctx.groupEpoch).toBe(epoch + 1);
    expect(groupStateOf(g.ctx)).toBe('Assigning');
  });
});

describe('leaving and static membership (consumerGroupLeave, getOrMaybeSubscribeStaticConsumerGroupMember)', () => {
  test('epoch -1 removes the member at once and bumps the group epoch', () => {
    const g = twoStableMembers();
    const epoch = g.ctx.groupEpoch;
    expect(g.send(hb('c2', -1))).toMatchObject({ error: 'NONE', memberEpoch: -1 });
    expect(g.ctx.members['c2-1']).toBeUndefined();
    expect(g.ctx.groupEpoch).toBe(epoch + 1);
  });

  test('a static member leaving with -2 keeps its partitions reserved; its replacement gets them back without a group epoch bump', () => {
    const g = new Group();
    const r = g.send(hb('c1', 0, { instanceId: 'i1' }));
    g.send(hb('c1', r.memberEpoch, { instanceId: 'i1', owned: r.assignment }));
    expect(g.send(hb('c1', -2, { instanceId: 'i1' }))).toMatchObject({ error: 'NONE', memberEpoch: -2 });
    expect(g.ctx.members['c1-1'].memberEpoch).toBe(-2);
    expect(g.ctx.partitionEpochs['t-0']).toBe(-2);
    const epoch = g.ctx.groupEpoch;
    const back = g.send(hb('c1', 0, { instanceId: 'i1', memberId: 'c1-2' }));
    expect(back).toMatchObject({ error: 'NONE', memberId: 'c1-2', memberEpoch: epoch, assignment: ['t-0', 't-1', 't-2', 't-3'] });
    expect(g.ctx.members['c1-1']).toBeUndefined();
    expect(g.ctx.groupEpoch).toBe(epoch);
  });

  test('a second instance with the same group.instance.id while the first is active gets UNRELEASED_INSTANCE_ID', () => {
    const g = new Group();
    g.send(hb('c1', 0, { instanceId: 'i1' }));
    expect(g.send(hb('c1', 0, { instanceId: 'i1', memberId: 'c1-2' })).error).toBe('UNRELEASED_INSTANCE_ID');
  });

  test('a request from a replaced static member id gets FENCED_INSTANCE_ID', () => {
    const g = new Group();
    const r = g.send(hb('c1', 0, { instanceId: 'i1' }));
    g.send(hb('c1', -2, { instanceId: 'i1' }));
    g.send(hb('c1', 0, { instanceId: 'i1', memberId: 'c1-2' }));
    expect(g.send(hb('c1', r.memberEpoch, { instanceId: 'i1', owned: [] })).error).toBe('FENCED_INSTANCE_ID');
  });
});

describe('subscription and metadata changes', () => {
  test('a changed subscription bumps the group epoch; a new partition is seen at the next heartbeat and bumps it too', () => {
    const g = new Group();
    const r = g.send(hb('c1', 0));
    g.send(hb('c1', r.memberEpoch, { topics: ['t', 'u'], owned: r.assignment }));
    expect(g.ctx.groupEpoch).toBe(2);
    const [next] = run.send(g.snap, {
      type: 'ConsumerGroupHeartbeat',
      now: 0,
      msg: hb('c1', 2, { owned: r.assignment }),
      topics: { t: 5, u: 1 },
    } as never);
    expect((next.context as GroupContext).groupEpoch).toBe(3);
    expect((next.context as GroupContext).target['c1-1']).toHaveLength(6);
  });
});

describe('a server assignor that throws (GroupMetadataManager.updateTargetAssignment)', () => {
  // GroupMetadataManagerTest.testPartitionAssignorExceptionOnRegularHeartbeat: a member joins, the
  // assignor throws PartitionAssignorException, and the heartbeat fails with UnknownServerException
  // (no records: the write operation fails as a whole).
  test('a joining member whose heartbeat computes a target gets UNKNOWN_SERVER_ERROR; the group is left as it was', () => {
    const g = new Group();
    const before = g.ctx;
    const r = g.send(hb('c1', 0), { assignorFails: true });
    expect(r.error).toBe('UNKNOWN_SERVER_ERROR');
    expect(g.ctx).toEqual(before);
    expect(Object.keys(g.ctx.members)).toEqual([]);
  });

  test('a user-supplied assignor that throws does the same; a heartbeat that computes nothing does not run it', () => {
    let calls = 0;
    const throwing = {
      ...serverAssignors.uniform,
      assign: () => {
        calls++;
        throw new Error('Assignment failed.');
      },
    };
    const g = new Group(fastRunner(createGroupCoordinatorMachine({ ...serverAssignors, uniform: throwing })));
    expect(g.send(hb('c1', 0)).error).toBe('UNKNOWN_SERVER_ERROR');
    expect(g.ctx.groupEpoch).toBe(0);
    expect(calls).toBeGreaterThan(0);
  });

  test('an existing member whose heartbeat bumps the epoch (subscription change) fails; the next heartbeat computes again', () => {
    const g = twoStableMembers();
    const before = g.ctx;
    const epoch = before.members['c1-1'].memberEpoch;
    const r = g.send(hb('c1', epoch, { topics: [] }), { assignorFails: true });
    expect(r.error).toBe('UNKNOWN_SERVER_ERROR');
    expect(g.ctx).toEqual(before);
    // Nothing was written: the same change, handled again without the fault, bumps the epoch once.
    const ok = g.send(hb('c1', epoch, { topics: [] }));
    expect(ok.error).toBe('NONE');
    expect(g.ctx.groupEpoch).toBe(before.groupEpoch + 1);
    expect(g.ctx.targetEpoch).toBe(before.groupEpoch + 1);
  });

  test('the fault has no effect on a heartbeat that computes no target', () => {
    const g = twoStableMembers();
    const epoch = g.ctx.members['c1-1'].memberEpoch;
    expect(g.send(hb('c1', epoch), { assignorFails: true }).error).toBe('NONE');
  });
});
