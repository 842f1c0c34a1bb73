import type { Invariant } from '../invariant.ts';
import { coord, ctxOf, isLive } from '../../src/world/view.ts';

/**
 * ST1 / CS5: one member id per group.instance.id in the coordinator, and at most one live
 * process acting as that member (an older incarnation is fenced with FENCED_INSTANCE_ID).
 */
export const oneMemberPerInstance: Invariant = {
  id: 'one-member-per-instance',
  statement: 'At most one member, and one live process acting as a member, per group.instance.id.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(_before, _choice, after) {
    const g = coord(after);
    const seen = new Map<string, string>();
    for (const m of Object.values(g.members)) {
      if (m.instanceId === null) continue;
      const other = seen.get(m.instanceId);
      if (other) return `instance ${m.instanceId} is mapped to both ${other} and ${m.memberId}`;
      seen.set(m.instanceId, m.memberId);
    }
    const acting = new Map<string, string>();
    for (const s of after.clients) {
      if (!isLive(s)) continue;
      const c = ctxOf(s);
      if (c.cfg.instanceId === null || !g.members[c.memberId] || c.generation !== g.generation) continue;
      const other = acting.get(c.cfg.instanceId);
      if (other) return `instance ${c.cfg.instanceId} is acted on by both ${other} and ${s.name}`;
      acting.set(c.cfg.instanceId, s.name);
    }
    return undefined;
  },
};
