import type { SyncGroupRequest } from '../../models/classic/messages.ts';
import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { coord, coordState } from '../../src/world/view.ts';

/**
 * CO2, exactly ConsumerCoordinator.validateCooperativeAssignment: in the assignment a
 * cooperative leader installs, no partition is added to one member while it is revoked from
 * another (owned = the OwnedPartitions each member sent in its JoinGroup for this generation).
 */
export const cooperativeNoDirectTransfer: Invariant = {
  id: 'cooperative-no-direct-transfer',
  statement: 'A cooperative assignment never gives a partition to a new owner in the same round its previous owner revokes it.',
  protocols: ['cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    const m = delivered(before, choice);
    if (m?.body.kind !== 'SyncGroup') return undefined;
    const req = m.body as SyncGroupRequest;
    const g = coord(before);
    if (coordState(before) !== 'CompletingRebalance' || coordState(after) !== 'Stable' || req.memberId !== g.leaderId) return undefined;
    const added = new Map<string, string>();
    const revoked = new Map<string, string>();
    for (const [id, member] of Object.entries(g.members)) {
      const assigned = req.assignments?.[id] ?? [];
      const owned = member.subscription.ownedPartitions;
      for (const p of assigned) if (!owned.includes(p)) added.set(p, id);
      for (const p of owned) if (!assigned.includes(p)) revoked.set(p, id);
    }
    for (const [p, to] of added)
      if (revoked.has(p)) return `generation ${g.generation} moves ${p} from ${revoked.get(p)} to ${to} in one round`;
    return undefined;
  },
};
