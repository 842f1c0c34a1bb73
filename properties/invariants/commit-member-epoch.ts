import type { Invariant } from '../invariant.ts';
import type { ConsumerOffsetCommitRequest } from '../../models/consumer-protocol/messages.ts';
import { delivered } from '../step-facts.ts';
import { groupOf } from '../../src/world/consumer-view.ts';

/**
 * KIP-848 offset commit fencing (ConsumerGroup.validateOffsetCommit, OffsetCommit v9+): a commit
 * is stored, and answered NONE, exactly when it comes from a member of the group carrying its
 * current member epoch (or, with epoch -1, to an empty group: the admin client or a consumer
 * without group management); any other commit is answered with an error (STALE_MEMBER_EPOCH,
 * UNKNOWN_MEMBER_ID) and stores nothing. A stored commit holds the offsets it carried.
 */
export const commitMemberEpoch: Invariant = {
  id: 'commit-member-epoch',
  statement:
    'The coordinator stores an offset commit, and answers it NONE, exactly when it carries its member’s current epoch (epoch -1: only in an empty group); otherwise it answers an error and stores nothing.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'consumer' || after.family !== 'consumer' || before.coordinator.value !== 'active') return undefined;
    const m = delivered(before, choice);
    if (m?.to !== 'coordinator' || m.body.kind !== 'OffsetCommit' || !('memberEpoch' in m.body)) return undefined;
    const req = m.body as ConsumerOffsetCommitRequest;
    if (req.epoch !== before.coordinatorEpoch) return undefined;
    const g0 = groupOf(before);
    const g = groupOf(after);
    const member = g0.members[req.memberId];
    const valid = (req.memberEpoch < 0 && Object.keys(g0.members).length === 0) || member?.memberEpoch === req.memberEpoch;
    const r = after.sent.find((x) => x.to === 'client' && x.body.corr === req.corr && x.body.client.client === req.client.client);
    const error = r ? (r.body as { error: string }).error : undefined;
    const who = `${req.memberId}'s commit at epoch ${req.memberEpoch} (member ${member ? `at epoch ${member.memberEpoch}` : 'unknown'})`;
    if (valid) {
      if (error !== undefined && error !== 'NONE') return `${who} was refused ${error}`;
      for (const [p, offset] of Object.entries(req.offsets))
        if (g.committed[p]?.offset !== offset)
          return `${who} was not stored: ${p} holds ${g.committed[p]?.offset ?? 'nothing'}, not ${offset}`;
      return undefined;
    }
    if (error === 'NONE') return `${who} was accepted`;
    for (const p of Object.keys(req.offsets))
      if (g.committed[p]?.offset !== g0.committed[p]?.offset) return `${who} was refused but moved ${p} to ${g.committed[p]?.offset}`;
    return undefined;
  },
};
