import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { committedOffsets, coord, coordState } from '../../src/world/view.ts';
import type { OffsetCommitRequest } from '../../models/classic/messages.ts';

/**
 * At-least-once hygiene at the classic coordinator (GroupCoordinator.handleCommitOffsets /
 * GroupMetadataManager.storeOffsets): an OffsetCommit is answered NONE only once its offsets are
 * stored (the answer follows the append to __consumer_offsets), and one from a known member
 * carrying the group's generation (and its group.instance.id, if static) is stored while the
 * group is Stable or PreparingRebalance, where the old generation is still current.
 * commit-fencing says which commits may be stored; this says which must be, so that a commit
 * the client was told succeeded bounds what the next owner reprocesses.
 */
export const commitAcknowledged: Invariant = {
  id: 'commit-acknowledged',
  statement:
    'The classic coordinator answers an OffsetCommit NONE only after storing its offsets, and stores one from a current member with the current generation while Stable or PreparingRebalance.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    const m = delivered(before, choice);
    if (m?.to !== 'coordinator' || m.body.kind !== 'OffsetCommit' || before.family !== 'classic' || after.family !== 'classic')
      return undefined;
    const req = m.body as OffsetCommitRequest;
    const answer = after.sent.find((r) => r.to === 'client' && r.body.corr === req.corr && r.body.client.client === req.client.client);
    const error = answer && (answer.body as { error?: string }).error;
    if (error === 'NONE') {
      const stored = committedOffsets(after);
      for (const [p, offset] of Object.entries(req.offsets))
        if (stored[p]?.offset !== offset)
          return `the coordinator acknowledged ${req.client.client}'s commit of ${p}@${offset} but holds ${stored[p]?.offset ?? 'nothing'}`;
      return undefined;
    }
    if (req.epoch !== before.coordinatorEpoch) return undefined;
    const g = coord(before);
    const member = g.members[req.memberId];
    const current =
      member !== undefined && req.generation === g.generation && (req.instanceId === null || member.instanceId === req.instanceId);
    const state = coordState(before);
    if (current && (state === 'Stable' || state === 'PreparingRebalance'))
      return `the coordinator (${state}, generation ${g.generation}) answered ${error ?? 'nothing'} to a commit of current member ${req.memberId}`;
    return undefined;
  },
};
