import type { Invariant } from '../invariant.ts';
import { coord, ctxOf, isLive } from '../../src/world/view.ts';

/** CS4 and CS8: one leader per generation, and it is a member. */
export const leaderIsMember: Invariant = {
  id: 'leader-is-member',
  statement:
    'The group has a leader exactly when it has members, the leader is one of them, and no other process acts as leader of the current generation.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  judges: 'state',
  check(_before, _choice, after) {
    const g = coord(after);
    const ids = Object.keys(g.members);
    if (ids.length === 0 && g.leaderId !== null) return `leader ${g.leaderId} is set but the group has no members`;
    if (ids.length > 0 && (g.leaderId === null || !g.members[g.leaderId]))
      return `leader ${g.leaderId ?? '(none)'} is not among the members ${ids.join(', ')}`;
    for (const s of after.clients) {
      if (!isLive(s)) continue;
      const c = ctxOf(s);
      // Same formation, not just the same number: after a failover a number can be reissued.
      if (
        c.isLeader &&
        s.formation === after.formation &&
        c.generation === g.generation &&
        g.members[c.memberId] &&
        c.memberId !== g.leaderId
      )
        return `${s.name} (${c.memberId}) acts as leader of generation ${g.generation} but the coordinator's leader is ${g.leaderId}`;
    }
    return undefined;
  },
};
