import type { StoredChoice } from '../src/replay/meaning.ts';
import { replayStored } from '../src/replay/replay.ts';
import { allFaults, session, worldConfig } from '../src/run/config.ts';
import { common, liveClients } from '../src/world/view.ts';
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

export const classicCases: FidelityCase[] = [staticLeaderSeesNewPartition];
