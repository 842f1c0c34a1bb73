import type { Invariant } from '../invariant.ts';
import { actsAsMember, common, groupMembers } from '../../src/world/view.ts';

/**
 * ST1 / CS5: one member id per group.instance.id in the coordinator, and at most one live
 * process acting as that member (an older incarnation is fenced with FENCED_INSTANCE_ID).
 */
export const oneMemberPerInstance: Invariant = {
  id: 'one-member-per-instance',
  statement: 'At most one member, and one live process acting as a member, per group.instance.id.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  judges: 'state',
  check(_before, _choice, after) {
    const seen = new Map<string, string>();
    for (const m of groupMembers(after)) {
      if (m.instanceId === null) continue;
      const other = seen.get(m.instanceId);
      if (other) return `instance ${m.instanceId} is mapped to both ${other} and ${m.memberId}`;
      seen.set(m.instanceId, m.memberId);
    }
    const acting = new Map<string, string>();
    for (const s of after.clients) {
      const c = s.snapshot ? common(s) : null;
      if (!c || c.cfg.instanceId === null || !actsAsMember(after, s)) continue;
      const other = acting.get(c.cfg.instanceId);
      if (other) return `instance ${c.cfg.instanceId} is acted on by both ${other} and ${s.name}`;
      acting.set(c.cfg.instanceId, s.name);
    }
    return undefined;
  },
};
