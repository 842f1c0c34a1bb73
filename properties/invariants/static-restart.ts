import type { JoinGroupRequest } from '../../models/classic/messages.ts';
import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { coord, coordState } from '../../src/world/view.ts';

const byInstance = (members: ReturnType<typeof coord>['members']) =>
  JSON.stringify(
    Object.values(members)
      .map((m) => [m.instanceId ?? m.memberId, m.assignment])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );

/** ST2 (KIP-345): a static member restarting within its session timeout is replaced in place. */
export const staticRestartNoRebalance: Invariant = {
  id: 'static-restart-no-rebalance',
  statement: 'A static member rejoining a Stable group within its session timeout changes no assignment and bumps no generation.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    const m = delivered(before, choice);
    if (m?.body.kind !== 'JoinGroup') return undefined;
    const req = m.body as JoinGroupRequest;
    const g0 = coord(before);
    if (req.memberId !== '' || req.instanceId === null || coordState(before) !== 'Stable') return undefined;
    const mapped = Object.values(g0.members).find((x) => x.instanceId === req.instanceId);
    // Same assignor list, so the selected protocol cannot change: the replacement must be in place.
    if (!mapped || mapped.protocols.join() !== req.protocols.join()) return undefined;
    const g1 = coord(after);
    if (coordState(after) !== 'Stable' || g1.generation !== g0.generation)
      return `static restart of ${req.instanceId} moved the group ${coordState(before)} gen ${g0.generation} -> ${coordState(after)} gen ${g1.generation}`;
    if (byInstance(g1.members) !== byInstance(g0.members)) return `static restart of ${req.instanceId} changed the stored assignments`;
    return undefined;
  },
};
