import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import { committedOffsets, coord, coordState } from '../../src/world/view.ts';

/**
 * Commit fencing across a migration: whichever protocol the committer speaks and whatever type
 * the group has, an OffsetCommit is stored only from a member the group knows, carrying its
 * current epoch. A classic group checks the generation (and rejects commits in
 * CompletingRebalance); a consumer group checks the member epoch for KIP-848 members and for
 * classic members alike (ConsumerGroup.validateOffsetCommit: ILLEGAL_GENERATION for a classic one).
 */
export const mixedCommitFencing: Invariant = {
  id: 'mixed-commit-fencing',
  statement:
    'In a mixed group an offset commit is stored only from a member known to the group at the generation or member epoch it carries.',
  protocols: ['eager', 'cooperative', 'consumer'],
  migrationOnly: true,
  kind: 'safety',
  check(before, choice, after) {
    const m = delivered(before, choice);
    if (m?.to !== 'coordinator' || m.body.kind !== 'OffsetCommit') return undefined;
    if (committedOffsets(after) === committedOffsets(before) || before.family !== after.family) return undefined;
    const body = m.body as { memberId: string; generation?: number; memberEpoch?: number };
    const epoch = body.generation ?? body.memberEpoch!;
    const who = `${m.body.client.client} ('${body.memberId}')`;
    if (before.family === 'classic') {
      const g = coord(before);
      if (!g.members[body.memberId]) return `the classic group stored a commit from ${who}, not a member`;
      if (epoch !== g.generation) return `the classic group at generation ${g.generation} stored a commit from ${who} carrying ${epoch}`;
      if (coordState(before) === 'CompletingRebalance') return `the classic group stored a commit from ${who} in CompletingRebalance`;
      return undefined;
    }
    const g = groupOf(before);
    const r = g.members[body.memberId];
    if (!r)
      return Object.keys(g.members).length === 0 && epoch < 0 ? undefined : `the consumer group stored a commit from ${who}, not a member`;
    if (epoch !== r.memberEpoch)
      return `the consumer group stored a commit from ${who} carrying ${epoch}, its member epoch being ${r.memberEpoch}`;
    return undefined;
  },
};
