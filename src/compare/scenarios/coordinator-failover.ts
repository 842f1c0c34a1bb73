import type { CompareScenario } from './types.ts';

export const coordinatorFailover: CompareScenario = {
  name: 'coordinator-failover',
  description: 'The group coordinator moves to another broker, which loads the group from its last persisted record.',
  members: 3,
  partitions: 6,
  faults: { failover: 1 },
  changes: [{ label: 'failover', steps: [{ kind: 'failover' }] }],
};
