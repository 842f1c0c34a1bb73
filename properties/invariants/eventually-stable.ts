import type { Invariant } from '../invariant.ts';
import { settleBoundMs } from '../../src/world/quiesce.ts';
import { groupStateName, isSettled } from '../../src/world/view.ts';

/**
 * CL1/CL2: after the faults stop (links heal, stalled applications resume, nothing crashes
 * or leaves any more) a fair schedule brings the group to Stable with full coverage.
 */
export const eventuallyStable: Invariant = {
  id: 'eventually-stable',
  statement: 'Once faults stop, the group becomes stable again within a bounded virtual time.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'liveness',
  settleBoundMs,
  check(before, _choice, after, config) {
    if (isSettled(after)) return undefined;
    return `group not stable ${after.now - before.now} ms after faults stopped (bound ${settleBoundMs(config)} ms); coordinator is ${groupStateName(after)}`;
  },
};
