import type { Invariant } from '../invariant.ts';
import { STATIC_LEAVE_EPOCH } from '../../models/consumer-protocol/messages.ts';
import { changedProcesses } from '../step-facts.ts';
import { groupOf, memberCtxOf } from '../../src/world/consumer-view.ts';

/**
 * KS3: group epoch and target epoch never go down, across failovers too (they are persisted
 * before any client sees them); target <= group epoch; a member epoch never goes down except
 * to -2 (static temporary leave) and back to 0 (replacement), and is at most the target epoch.
 * A process's own epoch only drops to 0 (fenced, left, rejoining).
 */
export const epochsGrow: Invariant = {
  id: 'epochs-grow',
  statement: 'Group, target and member epochs only grow (a member epoch only drops to rejoin: 0, or to park a static member: -2).',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, _choice, after) {
    const g0 = groupOf(before);
    const g = groupOf(after);
    if (g.groupEpoch < g0.groupEpoch) return `group epoch went down from ${g0.groupEpoch} to ${g.groupEpoch}`;
    if (g.targetEpoch < g0.targetEpoch) return `target epoch went down from ${g0.targetEpoch} to ${g.targetEpoch}`;
    if (g.targetEpoch > g.groupEpoch) return `target epoch ${g.targetEpoch} is above the group epoch ${g.groupEpoch}`;
    for (const a of Object.values(g.members)) {
      if (a.memberEpoch > g.targetEpoch) return `${a.memberId} is at epoch ${a.memberEpoch}, above the target epoch ${g.targetEpoch}`;
      const b = g0.members[a.memberId];
      if (!b || b.memberEpoch === STATIC_LEAVE_EPOCH || a.memberEpoch === STATIC_LEAVE_EPOCH) continue;
      if (a.memberEpoch < b.memberEpoch)
        return `${a.memberId}'s epoch went down from ${b.memberEpoch} to ${a.memberEpoch} in the coordinator`;
    }
    for (const [b, a] of changedProcesses(before, after)) {
      const e0 = memberCtxOf(b).memberEpoch;
      const e1 = memberCtxOf(a).memberEpoch;
      if (e1 < e0 && e1 !== 0) return `${a.name}'s member epoch went down from ${e0} to ${e1}`;
    }
    return undefined;
  },
};
