import type { CompareScenario } from './types.ts';
import { client } from './types.ts';

export const crash: CompareScenario = {
  name: 'crash',
  description: 'One of 3 consumers crashes without a word; the coordinator finds out when its session times out.',
  members: 3,
  partitions: 6,
  faults: { crash: true },
  changes: [{ label: 'c3 crashes', steps: [client('crash', 'c3')] }],
};
