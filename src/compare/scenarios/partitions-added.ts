import type { CompareScenario } from './types.ts';

export const partitionsAdded: CompareScenario = {
  name: 'partitions-added',
  description: 'A partition is added to the topic twice; the leader sees the new metadata and rebalances.',
  members: 3,
  partitions: 6,
  faults: { addPartitions: 2 },
  changes: [1, 2].map((i) => ({ label: `partition ${i} added`, steps: [{ kind: 'addPartition' as const, topic: 't0' }] })),
};
