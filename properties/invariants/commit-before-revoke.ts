import type { Invariant } from '../invariant.ts';
import { dropped, sameProcesses } from '../step-facts.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isProcessOf } from '../../src/world/view.ts';
import type { ConsumerOffsetCommitRequest } from '../../models/consumer-protocol/messages.ts';

/**
 * With auto-commit, a KIP-848 member commits before it revokes (AbstractMembershipManager.
 * maybeReconcile: signalReconciliationStarted commits the consumed offsets, and only when that
 * commit completes, successfully or not, does revokeAndAssign run onPartitionsRevoked). So a
 * member that stays in the group never starts a revocation, nor gives partitions up, while an
 * OffsetCommit of its is still in flight: the next owner starts from offsets that include what
 * it processed (offset-handover then bounds the duplicates). Fencing and leaving are not
 * revocations (the member's epoch goes to 0 or below).
 */
export const commitBeforeRevoke: Invariant = {
  id: 'commit-before-revoke',
  statement: 'With auto-commit, a member in the group starts a revocation only once no offset commit of its is in flight.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, _choice, after, config) {
    if (!config.autoCommit || after.family !== 'consumer') return undefined;
    for (const [b, a] of sameProcesses(before, after)) {
      if (clientFamily(a) !== 'consumer') continue;
      const ca = memberCtxOf(a);
      const pending = ca.inflight.commit;
      if (memberCtxOf(b).memberEpoch <= 0 || ca.memberEpoch <= 0 || pending === undefined) continue;
      const entered = a.snapshot!.value === 'revoking' && b.snapshot!.value !== 'revoking';
      const revoked = entered ? (ca.reconciling?.revoked ?? []) : dropped(b, a);
      if (revoked.length === 0) continue;
      // A commit sent in this step after the revocation (the next reconciliation's) covers only
      // what the member still owns; the commit that should have preceded it covers the revoked ones.
      const sentNow = after.sent.find(
        (m) => m.body.kind === 'OffsetCommit' && m.body.corr === pending.corr && isProcessOf(m.body.client, a),
      );
      const offsets = sentNow ? (sentNow.body as ConsumerOffsetCommitRequest).offsets : undefined;
      if (offsets && !revoked.some((p) => offsets[p] !== undefined)) continue;
      return `${a.name} revokes ${revoked.join(',')} while its offset commit #${pending.corr} is in flight`;
    }
    return undefined;
  },
};
