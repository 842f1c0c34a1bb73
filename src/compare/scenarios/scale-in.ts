import type { CompareScenario } from './types.ts';
import { client } from './types.ts';

export const scaleIn: CompareScenario = {
  name: 'scale-in',
  description: 'Three consumers own 6 partitions; one closes (LeaveGroup) and its partitions move.',
  members: 3,
  partitions: 6,
  faults: { leave: true },
  changes: [{ label: 'c3 closes', steps: [client('close', 'c3')] }],
};
