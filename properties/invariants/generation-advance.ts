import type { Invariant } from '../invariant.ts';
import { coord, coordState } from '../../src/world/view.ts';

/**
 * CS2, within one coordinator incarnation. Across a failover the generation can go back
 * (CompletingRebalance is never persisted), so epochs are compared only when equal.
 */
export const generationAdvance: Invariant = {
  id: 'generation-advance',
  statement:
    'While the coordinator stays in place the generation never decreases and goes up by exactly one exactly when a join phase completes.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, _choice, after) {
    if (before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
    const g0 = coord(before).generation;
    const g1 = coord(after).generation;
    // A join phase ends in CompletingRebalance or Empty, and one step can pass through
    // PreparingRebalance and complete at once (the last member leaves, or the only member
    // rejoins in CompletingRebalance with new metadata). So: a new generation must land in
    // one of those states, one higher; entering one of them from elsewhere needs a new one.
    const s0 = coordState(before);
    const s1 = coordState(after);
    const ends = s1 === 'CompletingRebalance' || s1 === 'Empty';
    if (g1 !== g0 && (g1 !== g0 + 1 || !ends)) return `generation went ${g0} -> ${g1} while the group went ${s0} -> ${s1}`;
    if (g1 === g0 && ends && s0 !== s1) return `join phase completed (${s0} -> ${s1}) without a new generation (still ${g0})`;
    return undefined;
  },
};
