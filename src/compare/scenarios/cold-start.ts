import type { CompareScenario } from './types.ts';
import { client } from './types.ts';

/** How far apart the consumers of a deployment start. */
export const START_GAP_MS = 1_000;

export const coldStart: CompareScenario = {
  name: 'cold-start',
  description: `An empty group: three consumers start ${START_GAP_MS / 1000} s apart (the initial rebalance delay exists for this).`,
  members: 3,
  partitions: 6,
  initial: 0,
  faults: {},
  changes: [
    {
      label: 'c1, c2, c3 start',
      steps: [
        client('start', 'c1'),
        { kind: 'wait', ms: START_GAP_MS },
        client('start', 'c2'),
        { kind: 'wait', ms: START_GAP_MS },
        client('start', 'c3'),
      ],
    },
  ],
};
