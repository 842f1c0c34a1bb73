import type { OffsetCommitRequest } from '../../models/classic/messages.ts';
import type { Invariant } from '../invariant.ts';
import { coord, coordState } from '../../src/world/view.ts';

/**
 * CS7: Kafka fences commits by member id and generation, not by partition ownership. The
 * check is on the coordinator's decision, so what a zombie can still do (process records)
 * is measured separately (metrics.zombieMs, duplicateRecords) rather than hidden here.
 */
export const commitFencing: Invariant = {
  id: 'commit-fencing',
  statement:
    'The coordinator stores an offset commit only from a current member carrying the current generation, in Stable or PreparingRebalance.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    if (choice?.kind !== 'deliver') return undefined;
    if (coord(after).committed === coord(before).committed) return undefined;
    const msg = before.net.find((m) => m.id === choice.id)?.body as OffsetCommitRequest | undefined;
    if (msg?.kind !== 'OffsetCommit') return undefined;
    const g = coord(before);
    const state = coordState(before);
    if (!g.members[msg.memberId]) return `commit from ${msg.client.client} with unknown member id '${msg.memberId}' was accepted`;
    if (msg.generation !== g.generation)
      return `commit from ${msg.client.client} with generation ${msg.generation} was accepted while the group is at generation ${g.generation}`;
    if (state !== 'Stable' && state !== 'PreparingRebalance') return `commit from ${msg.client.client} was accepted in ${state}`;
    return undefined;
  },
};
