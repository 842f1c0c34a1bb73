import type { Invariant } from '../invariant.ts';
import { common, epochOf, isCurrentMember } from '../../src/world/view.ts';

/** CO1: the leader's assignment and the members' view of it never share a partition. */
export const singleOwner: Invariant = {
  id: 'single-owner',
  statement: 'At most one member of the current generation owns each partition.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(_before, _choice, after) {
    const seen = new Map<string, string>();
    for (const s of after.clients) {
      if (!isCurrentMember(after, s)) continue;
      for (const p of common(s).owned) {
        const other = seen.get(p);
        if (other !== undefined) return `${p} is owned by both ${other} and ${s.name} in generation (epoch) ${epochOf(s)}`;
        seen.set(p, s.name);
      }
    }
    return undefined;
  },
};
