import { createGroupCoordinatorMachine } from '../models/consumer-protocol/coordinator.ts';
import { serverAssignors } from '../models/consumer-protocol/assignors.ts';
import type { ConsumerGroupHeartbeatRequest, ConsumerResponse } from '../models/consumer-protocol/messages.ts';
import { fastRunner } from '../src/world/runtime.ts';
import { type FidelityCase, same } from './case.ts';

// KIP-848 group coordinator behaviour from GroupMetadataManagerTest (group-coordinator module),
// run on the model's coordinator machine.

/**
 * GroupMetadataManagerTest.testPartitionAssignorExceptionOnRegularHeartbeat: topics foo (6) and
 * bar (3), an assignor that throws PartitionAssignorException; a member joining with epoch 0,
 * subscribed to both, fails with UnknownServerException (UNKNOWN_SERVER_ERROR on the wire) and
 * no record is written (the group stays empty at epoch 0).
 */
const assignorExceptionOnHeartbeat: FidelityCase = {
  name: 'an assignor that throws fails the joining heartbeat with UNKNOWN_SERVER_ERROR; nothing is written',
  kafka: 'GroupMetadataManagerTest.testPartitionAssignorExceptionOnRegularHeartbeat',
  area: 'KIP-848 coordinator',
  check: 'exact',
  run() {
    const failing = {
      ...serverAssignors.range,
      assign: () => {
        throw new Error('Assignment failed.');
      },
    };
    const run = fastRunner(createGroupCoordinatorMachine({ range: failing }));
    const [initial] = run.initial({ sessionTimeoutMs: 45_000, heartbeatIntervalMs: 5_000 });
    const msg: ConsumerGroupHeartbeatRequest = {
      kind: 'ConsumerGroupHeartbeat',
      corr: 1,
      client: { client: 'c1', inc: 1 },
      epoch: 0,
      memberId: 'member-1',
      memberEpoch: 0,
      instanceId: null,
      rebalanceTimeoutMs: 5000,
      topics: ['foo', 'bar'],
      assignor: 'range',
      owned: [],
    };
    const [after, out] = run.send(initial, { type: msg.kind, now: 0, msg, topics: { foo: 6, bar: 3 } } as never);
    same(
      (out as ConsumerResponse[]).map((r) => r.error),
      ['UNKNOWN_SERVER_ERROR'],
      'the heartbeat response',
    );
    same(after.context, initial.context, 'the group after the failed heartbeat');
  },
};

export const consumerCoordinatorCases: FidelityCase[] = [assignorExceptionOnHeartbeat];
