import type { Invariant } from '../invariant.ts';
import { gained, sameProcesses } from '../step-facts.ts';
import { coord, ctxOf, isLive } from '../../src/world/view.ts';

/**
 * The documented ConsumerRebalanceListener guarantee: if p moves from A to B, A's revocation
 * completes before B's assignment. Stated over group members: a process removed from the group
 * (a zombie cut off from the coordinator) is exactly the case Kafka does not cover.
 */
export const revokeBeforeAssign: Invariant = {
  id: 'revoke-before-assign',
  statement: 'A partition is handed to a new owner only after every other member of the group has given it up.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, _choice, after) {
    const members = coord(after).members;
    for (const [b, a] of sameProcesses(before, after)) {
      for (const p of gained(b, a)) {
        for (const o of after.clients) {
          if (o === a || !isLive(o)) continue;
          const c = ctxOf(o);
          if (members[c.memberId] && c.owned.includes(p)) return `${a.name} was given ${p} while ${o.name}, still a member, owns it`;
        }
      }
    }
    return undefined;
  },
};
