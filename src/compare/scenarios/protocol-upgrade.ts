import type { CompareScenario } from './types.ts';

/**
 * The online upgrade of a running group (docs/migration.md): each consumer restarts with
 * group.protocol=consumer, one at a time, once the group is stable again. The first restart
 * converts the classic group into a consumer group holding classic members; the last classic
 * member leaving leaves a plain consumer group. A design names the classic protocol the fleet
 * starts on; a `consumer` design is the control, the same restarts of a fleet already on the
 * consumer protocol. Simplified: the restart (`bounce`) starts the new process at once, without
 * waiting for the old one's LeaveGroup answer.
 */
export const protocolUpgrade: CompareScenario = {
  name: 'protocol-upgrade',
  description:
    'Rolling switch of group.protocol from classic to consumer: each of 3 members restarts on the consumer protocol (a consumer design is the control).',
  members: 3,
  partitions: 6,
  faults: { leave: true },
  migration: 'upgrade',
  changes: ['c1', 'c2', 'c3'].map((c) => ({ label: `${c} restarts on the consumer protocol`, steps: [{ kind: 'bounce', client: c }] })),
};
