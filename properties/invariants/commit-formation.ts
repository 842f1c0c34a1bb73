import type { Invariant } from '../invariant.ts';
import type { OffsetCommitRequest } from '../../models/classic/messages.ts';
import { delivered } from '../step-facts.ts';
import { coord } from '../../src/world/view.ts';

/**
 * CO7(a) across failovers. Kafka compares generation numbers, and a failover can reissue a
 * number to a new membership (CompletingRebalance is never persisted); the client protects
 * itself by committing only while STABLE. Checked on world-unique formations, not numbers.
 */
export const commitFormation: Invariant = {
  id: 'commit-formation',
  statement: 'No commit made in an older generation is accepted once the coordinator has formed a newer one, across failovers too.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    const m = delivered(before, choice);
    if (m?.body.kind !== 'OffsetCommit' || coord(after).committed === coord(before).committed) return undefined;
    if (m.formation !== before.formation)
      return `commit from ${m.body.client.client} made in formation ${m.formation ?? 'none'} (generation ${(m.body as OffsetCommitRequest).generation}) was accepted in formation ${before.formation}`;
    return undefined;
  },
};
