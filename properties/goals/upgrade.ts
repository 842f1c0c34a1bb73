import type { Goal } from '../goal.ts';
import { coord } from '../../src/world/view.ts';
import { generationFormed, needs } from './facts.ts';

// Goals of the rolling upgrade from eager to cooperative (KIP-429's two bounces).

export const mixedGeneration: Goal = {
  id: 'upgrade-mixed-generation',
  statement: 'During a rolling upgrade a generation forms whose members offer different assignor lists.',
  protocols: ['eager'],
  needs: needs.upgrade,
  reached(before, _choice, after) {
    if (!generationFormed(before, after)) return false;
    return new Set(Object.values(coord(after).members).map((m) => m.protocols.join())).size > 1;
  },
};

export const upgradeGoals: Goal[] = [mixedGeneration];
