import { describe, expect, test } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { fastRunner } from '../../src/world/runtime.ts';
import { coordinatorMachine } from '../classic/coordinator.ts';
import type { CoordinatorContext, PersistedGroup } from '../classic/coordinator-state.ts';
import type { ClassicRequest, ClassicResponse, JoinGroupRequest } from '../classic/messages.ts';
import { createGroupCoordinatorMachine } from './coordinator.ts';
import type { GroupContext } from './coordinator-state.ts';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from './messages.ts';
import type { MigrationPolicy } from './migration-policy.ts';

// The online migration between the classic and the consumer protocol, pinned to Kafka 4.0's
// GroupMetadataManagerTest (testConsumerGroupHeartbeatWith{Stable,PreparingRebalance}ClassicGroup,
// testConsumerGroupHeartbeatWithNonEmptyClassicGroup, testClassicGroupHeartbeatToConsumerGroup*,
// testClassicGroupSyncToConsumerGroup*, testLastConsumerProtocolMemberLeavingConsumerGroup) and
// ConsumerGroup.fromClassicGroup / ClassicGroup.fromConsumerGroup. The world's part (handing the
// group to the other machine, src/world/protocols/migration.ts) is done here by hand.

const classic = fastRunner(coordinatorMachine);
const consumer = fastRunner(createGroupCoordinatorMachine());
const topics = { t: 4 };
let corr = 0;

const persisted: PersistedGroup = {
  generation: 5,
  protocolName: 'range',
  leaderId: 'm1-a',
  members: {
    'm1-a': member('m1-a', 'a', ['t-0', 't-1']),
    'm2-b': member('m2-b', 'b', ['t-2', 't-3']),
  },
};

function member(memberId: string, client: string, assignment: string[]) {
  return {
    memberId,
    client: { client, inc: 1 },
    instanceId: null,
    protocols: ['range'],
    subscription: { topics: ['t'], ownedPartitions: [], generationId: -1, groupInstanceId: null },
    sessionTimeoutMs: 6000,
    rebalanceTimeoutMs: 20_000,
    assignment,
  };
}

const joinReq = (client: string, memberId: string, owned: string[] = []): JoinGroupRequest => ({
  kind: 'JoinGroup',
  corr: ++corr,
  client: { client, inc: 1 },
  epoch: 0,
  memberId,
  instanceId: null,
  protocols: ['range'],
  subscription: { topics: ['t'], ownedPartitions: owned, generationId: -1, groupInstanceId: null },
  sessionTimeoutMs: 6000,
  rebalanceTimeoutMs: 20_000,
});

/** A classic request from member m1-a (client a). */
const fromA = <K extends ClassicRequest['kind']>(kind: K, fields: object) =>
  ({
    kind,
    corr: ++corr,
    client: { client: 'a', inc: 1 },
    epoch: 0,
    memberId: 'm1-a',
    instanceId: null,
    ...fields,
  }) as unknown as ClassicRequest;

const hb = (client: string, memberEpoch: number): ConsumerGroupHeartbeatRequest => ({
  kind: 'ConsumerGroupHeartbeat',
  corr: ++corr,
  client: { client, inc: 1 },
  epoch: 0,
  memberId: `${client}-1`,
  memberEpoch,
  instanceId: null,
  rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : null,
  topics: memberEpoch === 0 ? ['t'] : null,
  assignor: null,
  owned: memberEpoch === 0 ? [] : null,
});

/** A group of either type, and the hand-over the world does when the machine asks for it. */
class Group {
  snap: AnyMachineSnapshot;
  family: 'classic' | 'consumer';
  now = 1000;
  constructor(
    readonly policy: MigrationPolicy,
    start: 'stable-classic' | 'empty-consumer',
  ) {
    if (start === 'stable-classic') {
      this.family = 'classic';
      const committed = { 't-0': { offset: 7, memberId: 'm1-a', generation: 5 } };
      [this.snap] = classic.initial({
        initialRebalanceDelayMs: 0,
        migrationPolicy: policy,
        load: { persisted, committed, now: 0, memberSeq: 3 },
      });
    } else {
      this.family = 'consumer';
      [this.snap] = consumer.initial({ sessionTimeoutMs: 45_000, heartbeatIntervalMs: 3000, migrationPolicy: policy });
    }
  }
  get ctx() {
    return this.snap.context as GroupContext & CoordinatorContext;
  }
  send(msg: ClassicRequest | ConsumerGroupHeartbeatRequest): Array<ClassicResponse | ConsumerGroupHeartbeatResponse> {
    const runner = this.family === 'classic' ? classic : consumer;
    const event = { type: msg.kind, now: this.now, msg, topics };
    const [next, out] = runner.send(this.snap, event as never);
    this.snap = next;
    const conversion = (next.context as { conversion: { leaving: string | null; redeliver: boolean } | null }).conversion;
    if (!conversion) return out as never;
    const old = next.context;
    this.family = this.family === 'classic' ? 'consumer' : 'classic';
    const to = this.family === 'classic' ? classic : consumer;
    const [fresh] = to.initial(
      this.family === 'classic'
        ? { initialRebalanceDelayMs: 0, migrationPolicy: this.policy }
        : { sessionTimeoutMs: 45_000, heartbeatIntervalMs: 3000, migrationPolicy: this.policy },
    );
    const convert =
      this.family === 'consumer'
        ? { type: 'CONVERT_FROM_CLASSIC', now: this.now, group: old, topics }
        : { type: 'CONVERT_FROM_CONSUMER', now: this.now, group: old, leaving: conversion.leaving };
    [this.snap] = to.send(fresh, convert as never);
    return conversion.redeliver ? [...(out as never[]), ...this.send(msg)] : (out as never);
  }
}

describe('the online upgrade (classic -> consumer)', () => {
  test('a KIP-848 member joining a Stable classic group converts it: members keep generation, assignment and offsets', () => {
    const g = new Group('bidirectional', 'stable-classic');
    const out = g.send(hb('c', 0));
    expect(g.family).toBe('consumer');
    const ctx = g.ctx;
    // fromClassicGroup: epochs at the generation, STABLE, target = current = the classic assignment, classic metadata kept.
    expect(ctx.members['m1-a']).toMatchObject({
      memberEpoch: 5,
      previousEpoch: 5,
      assigned: ['t-0', 't-1'],
      classic: { sessionTimeoutMs: 6000, protocols: ['range'] },
    });
    expect(ctx.members['m2-b']).toMatchObject({ memberEpoch: 5, assigned: ['t-2', 't-3'] });
    expect(ctx.committed['t-0'].offset).toBe(7);
    // The joining member bumps the epoch and gets a new target; its partitions are still held: UNRELEASED.
    expect(ctx.groupEpoch).toBe(6);
    expect(ctx.members['c-1']).toMatchObject({ memberEpoch: 6, state: 'unreleased', assigned: [], classic: null });
    expect((out.at(-1) as ConsumerGroupHeartbeatResponse).error).toBe('NONE');
    // convertToConsumerGroup schedules the classic members' session timeouts with their own session timeout.
    expect(ctx.timers['session:m1-a']).toBe(g.now + 6000);
  });

  test('a parked JoinGroup of a rebalancing classic group is answered REBALANCE_IN_PROGRESS', () => {
    const g = new Group('upgrade', 'stable-classic');
    g.send(joinReq('a', 'm1-a', []));
    expect(g.snap.value).toBe('PreparingRebalance');
    const out = g.send(hb('c', 0));
    expect(out[0]).toMatchObject({ kind: 'JoinGroupResponse', error: 'REBALANCE_IN_PROGRESS', client: { client: 'a' } });
    expect(g.ctx.members['m1-a'].memberEpoch).toBe(5);
  });

  test('the policy refuses: GROUP_ID_NOT_FOUND and the group stays classic', () => {
    for (const policy of ['disabled', 'downgrade'] as const) {
      const g = new Group(policy, 'stable-classic');
      const out = g.send(hb('c', 0));
      expect(g.family).toBe('classic');
      expect(out[0]).toMatchObject({ kind: 'ConsumerGroupHeartbeatResponse', error: 'GROUP_ID_NOT_FOUND' });
    }
  });

  test('only a joining heartbeat (epoch 0) converts: a leave or a known epoch meets GROUP_ID_NOT_FOUND', () => {
    const g = new Group('bidirectional', 'stable-classic');
    for (const epoch of [-1, 3]) {
      expect(g.send(hb('c', epoch))[0]).toMatchObject({ error: 'GROUP_ID_NOT_FOUND' });
      expect(g.family).toBe('classic');
    }
  });

  test('a classic member with no assignment to parse (new, not yet synced) makes the upgrade fail', () => {
    const g = new Group('bidirectional', 'stable-classic');
    const id = (g.send(joinReq('d', ''))[0] as { memberId: string }).memberId;
    g.send(joinReq('d', id));
    expect(g.ctx.members[id].assignment).toBeNull();
    expect(g.send(hb('c', 0))[0]).toMatchObject({ error: 'GROUP_ID_NOT_FOUND' });
  });
});

describe('classic members inside a consumer group', () => {
  function mixed(): Group {
    const g = new Group('bidirectional', 'stable-classic');
    g.send(hb('c', 0));
    return g;
  }

  test('Heartbeat: REBALANCE_IN_PROGRESS once the group epoch passed the member epoch; ILLEGAL_GENERATION for another generation', () => {
    const g = mixed();
    const beat = (generation: number) => g.send(fromA('Heartbeat', { generation }))[0];
    expect(beat(5)).toMatchObject({ kind: 'HeartbeatResponse', error: 'REBALANCE_IN_PROGRESS' });
    expect(g.ctx.timers['join:m1-a']).toBe(g.now + 20_000);
    expect(beat(4)).toMatchObject({ error: 'ILLEGAL_GENERATION' });
  });

  test('JoinGroup: the generation is the member epoch, no leader; revoking first, then SyncGroup hands out what is free', () => {
    const g = mixed();
    const join = g.send(joinReq('a', 'm1-a', ['t-0', 't-1']))[0];
    const m = g.ctx.members['m1-a'];
    expect(join).toMatchObject({
      kind: 'JoinGroupResponse',
      error: 'NONE',
      generation: m.memberEpoch,
      leaderId: null,
      protocolName: 'range',
    });
    const sync = (generation: number) => g.send(fromA('SyncGroup', { generation, assignments: null }))[0];
    // The member keeps its epoch until it stops owning what it must revoke (UNREVOKED_PARTITIONS).
    if (m.state === 'unrevoked') {
      expect(sync(m.memberEpoch)).toMatchObject({ kind: 'SyncGroupResponse', error: 'NONE', assignment: m.assigned });
      const again = g.send(joinReq('a', 'm1-a', m.assigned))[0] as { generation: number };
      expect(again.generation).toBe(g.ctx.groupEpoch);
    }
    expect(sync(g.ctx.members['m1-a'].memberEpoch)).toMatchObject({ error: 'NONE', assignment: g.ctx.members['m1-a'].assigned });
    expect(g.ctx.timers['sync:m1-a']).toBeUndefined();
  });

  test('OffsetCommit: a classic member is fenced by generation with ILLEGAL_GENERATION', () => {
    const g = mixed();
    const commit = (generation: number) => g.send(fromA('OffsetCommit', { generation, offsets: { 't-0': 9 } }))[0];
    expect(commit(4)).toMatchObject({ kind: 'OffsetCommitResponse', error: 'ILLEGAL_GENERATION' });
    expect(commit(5)).toMatchObject({ error: 'NONE' });
    expect(g.ctx.committed['t-0'].offset).toBe(9);
  });
});

describe('the online downgrade (consumer -> classic)', () => {
  test('the last consumer-protocol member leaving turns the group classic: generation = group epoch, target as assignment, a rebalance', () => {
    const g = new Group('bidirectional', 'stable-classic');
    g.send(hb('c', 0));
    const epoch = g.ctx.groupEpoch;
    const target = g.ctx.target['m1-a'];
    const out = g.send(hb('c', -1));
    expect(out[0]).toMatchObject({ kind: 'ConsumerGroupHeartbeatResponse', error: 'NONE', memberEpoch: -1 });
    expect(g.family).toBe('classic');
    expect(g.snap.value).toBe('PreparingRebalance');
    expect(g.ctx.generation).toBe(epoch);
    expect(Object.keys(g.ctx.members)).toEqual(['m1-a', 'm2-b']);
    expect(g.ctx.members['m1-a'].assignment).toEqual(target);
    expect(g.ctx.leaderId).toBe('m1-a');
    expect(g.ctx.committed['t-0'].offset).toBe(7);
    expect(g.ctx.persisted?.generation).toBe(epoch);
  });

  test('with the upgrade policy only, the group stays a consumer group of classic members', () => {
    const g = new Group('upgrade', 'stable-classic');
    g.send(hb('c', 0));
    g.send(hb('c', -1));
    expect(g.family).toBe('consumer');
    expect(Object.values(g.ctx.members).every((m) => m.classic)).toBe(true);
  });

  test('a classic JoinGroup to an empty consumer group makes a classic group, whatever the policy', () => {
    const g = new Group('disabled', 'empty-consumer');
    const out = g.send(joinReq('a', ''));
    expect(g.family).toBe('classic');
    expect(out[0]).toMatchObject({ kind: 'JoinGroupResponse', error: 'MEMBER_ID_REQUIRED' });
  });
});
