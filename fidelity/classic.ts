import type { StoredChoice } from '../src/replay/meaning.ts';
import { replayStored } from '../src/replay/replay.ts';
import { allFaults, session, worldConfig } from '../src/run/config.ts';
import type { ClassicResponse, JoinGroupRequest, JoinGroupResponse, SyncGroupRequest } from '../models/classic/messages.ts';
import type { Choice } from '../src/world/types.ts';
import { common, coord, coordState, liveClients } from '../src/world/view.ts';
import { step } from '../src/world/world.ts';
import { type FidelityCase, holds, same } from './case.ts';

// Classic-protocol behaviour checked on the whole world (coordinator and consumer machines), from
// Kafka's integration tests where a unit test does not cover it.

const join = (inc: number, corr: number, kind: string) => ({ kind: 'deliver', message: { kind, client: 'c1', inc, corr } });

/**
 * PlaintextConsumerTest.testStaticConsumerDetectsNewPartitionCreatedAfterRestart: a static
 * consumer alone in its group is assigned foo-0, closes, a new process with the same
 * group.instance.id comes back (the coordinator answers it as leader with SkipAssignment), then
 * foo gets a second partition: the consumer ends up assigned foo-0 and foo-1.
 */
const staticLeaderSeesNewPartition: FidelityCase = {
  name: 'a static leader back with SkipAssignment notices a partition created after its restart',
  kafka: 'PlaintextConsumerTest.testStaticConsumerDetectsNewPartitionCreatedAfterRestart',
  area: 'classic protocol',
  check: 'exact',
  run() {
    const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 1, partitions: 1, faults: allFaults, static: true });
    const steps = [
      join(1, 1, 'JoinGroup'),
      { kind: 'fire', target: 'coordinator', timer: 'join' },
      join(1, 1, 'JoinGroupResponse'),
      join(1, 2, 'SyncGroup'),
      join(1, 2, 'SyncGroupResponse'),
      { kind: 'crash', client: 'c1' },
      { kind: 'start', client: 'c1' },
      join(2, 1, 'JoinGroup'),
      join(2, 1, 'JoinGroupResponse'),
      join(2, 2, 'SyncGroup'),
      join(2, 2, 'SyncGroupResponse'),
      { kind: 'addPartition', topic: 't0' },
      { kind: 'metadata', client: 'c1' },
    ] as StoredChoice[];
    // The fair schedule runs after the steps (as in every check run) until the group is stable.
    const { result } = replayStored(session(config), steps, this.kafka);
    holds(result.violation === undefined, `violation: ${result.violation?.invariant} ${result.violation?.message}`);
    same(
      liveClients(result.world).map((s) => [...common(s).owned].sort()),
      [['t0-0', 't0-1']],
      'assigned after the partition was created',
    );
  },
};

/**
 * GroupMetadataManagerTest.testStaticMemberRejoinWithLeaderIdAndUnknownMemberId (KIP-814 side):
 * two static members are Stable; the leader's instance rejoins with an unknown member id. No
 * rebalance: the group stays Stable at the same generation, the response carries a new member id
 * that is now the leader, `skipAssignment` and every member's subscription. (The case's second
 * half: the old member id's JoinGroup and SyncGroup are fenced with FENCED_INSTANCE_ID.)
 */
const staticLeaderRejoin: FidelityCase = {
  name: 'a static leader rejoining in Stable is answered as leader with SkipAssignment, no rebalance',
  kafka: 'GroupMetadataManagerTest.testStaticMemberRejoinWithLeaderIdAndUnknownMemberId',
  area: 'classic protocol',
  check: 'exact',
  run() {
    const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, faults: allFaults, static: true });
    const s = session(config);
    // No random steps: the fair schedule brings both members to a Stable group.
    let w = replayStored(s, [], this.kafka).result.world;
    const g0 = coord(w);
    holds(coordState(w) === 'Stable' && g0.leaderId !== null, 'the group is Stable with a leader');
    const leader = g0.members[g0.leaderId!].client.client;
    for (const choice of [
      { kind: 'crash', client: leader },
      { kind: 'start', client: leader },
    ] as Choice[])
      w = step(w, choice, config, s.model);
    const join = w.net.find((m) => m.body.kind === 'JoinGroup' && m.body.client.client === leader)!;
    holds(
      join !== undefined && (join.body as { memberId: string }).memberId === '',
      'the restarted leader joins with an unknown member id',
    );
    w = step(w, { kind: 'deliver', id: join.id }, config, s.model);
    const r = w.net.find((m) => m.body.kind === 'JoinGroupResponse' && m.body.client.client === leader)!.body as JoinGroupResponse;
    same(coordState(w), 'Stable', 'group state');
    same(
      {
        error: r.error,
        generation: r.generation,
        leader: r.leaderId === r.memberId,
        skip: r.skipAssignment,
        members: Object.keys(r.members).length,
      },
      { error: 'NONE', generation: g0.generation, leader: true, skip: true, members: 2 },
      'JoinGroup response',
    );
    holds(r.memberId !== g0.leaderId, 'a new member id replaces the old one');
    // The old member id is fenced: its JoinGroup and SyncGroup get FENCED_INSTANCE_ID.
    const oldJoin = { ...(join.body as JoinGroupRequest), memberId: g0.leaderId!, corr: 1000 };
    const oldSync: SyncGroupRequest = { ...oldJoin, kind: 'SyncGroup', generation: g0.generation, assignments: null, corr: 1001 };
    for (const msg of [oldJoin, oldSync]) {
      const [, sends] = s.model.coordinator.send(w.coordinator, { type: msg.kind, now: w.now, msg } as { type: string });
      same(
        (sends as ClassicResponse[]).map((m) => m.error),
        ['FENCED_INSTANCE_ID'],
        `${msg.kind} with the old member id`,
      );
    }
  },
};

export const classicCases: FidelityCase[] = [staticLeaderSeesNewPartition, staticLeaderRejoin];
