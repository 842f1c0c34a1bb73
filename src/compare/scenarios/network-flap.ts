import type { CompareScenario } from './types.ts';
import { client } from './types.ts';

/** How long each cut lasts: shorter than the default session timeout (10 s), longer than a heartbeat round. */
export const FLAP_CUT_MS = 6_000;

export const networkFlap: CompareScenario = {
  name: 'network-flap',
  description: `c3's link is cut for ${FLAP_CUT_MS / 1000} s and healed, three times (it keeps fetching meanwhile).`,
  members: 3,
  partitions: 6,
  faults: { cut: true },
  changes: [1, 2, 3].map((i) => ({
    label: `flap ${i}`,
    steps: [client('cut', 'c3'), { kind: 'wait' as const, ms: FLAP_CUT_MS }, client('heal', 'c3')],
  })),
};
