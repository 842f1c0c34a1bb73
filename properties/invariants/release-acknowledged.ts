import type { Invariant } from '../invariant.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import { STATIC_LEAVE_EPOCH } from '../../models/consumer-protocol/messages.ts';
import { delivered } from '../step-facts.ts';
import { groupOf } from '../../src/world/consumer-view.ts';

/**
 * CurrentAssignmentBuilder's UNREVOKED_PARTITIONS step: a member keeps holding (and keeps its
 * epoch for) the partitions it must revoke until a heartbeat of its own no longer reports them.
 * Freed otherwise only by removal (leave, fencing) or a static -2 leave dropping pending ones.
 */
export const releaseAcknowledged: Invariant = {
  id: 'release-acknowledged',
  statement: 'The coordinator frees a partition of a member only when that member stops reporting it, leaves, or is fenced.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    const g0 = groupOf(before);
    const g = groupOf(after);
    if (g0 === g) return undefined;
    const m = delivered(before, choice);
    const req = m?.to === 'coordinator' && m.body.kind === 'ConsumerGroupHeartbeat' ? (m.body as ConsumerGroupHeartbeatRequest) : undefined;
    for (const b of Object.values(g0.members)) {
      const a = g.members[b.memberId];
      if (!a) continue;
      const now = [...a.assigned, ...a.pendingRevocation];
      const freed = [...b.assigned, ...b.pendingRevocation].filter((p) => !now.includes(p));
      if (freed.length === 0) continue;
      const own = req && req.memberId === b.memberId;
      if (own && req.memberEpoch === STATIC_LEAVE_EPOCH) continue;
      if (own && req.owned !== null && freed.every((p) => !req.owned!.includes(p))) continue;
      return `${b.memberId} lost ${freed.join(',')} in the coordinator although ${own ? 'its heartbeat still reports them' : 'it sent nothing'} (epoch ${b.memberEpoch} -> ${a.memberEpoch})`;
    }
    return undefined;
  },
};
