import type { CompareScenario } from './types.ts';
import { client } from './types.ts';

export const scaleOut: CompareScenario = {
  name: 'scale-out',
  description: 'Two consumers own 6 partitions; a third starts and joins.',
  members: 3,
  partitions: 6,
  initial: 2,
  faults: {},
  changes: [{ label: 'c3 starts', steps: [client('start', 'c3')] }],
};
