import type { Invariant } from '../invariant.ts';
import { gained, changedProcesses } from '../step-facts.ts';
import { committedOffsets, common } from '../../src/world/view.ts';

/** A new owner resumes from the group's committed offset: nothing committed is skipped or rewound. */
export const offsetHandover: Invariant = {
  id: 'offset-handover',
  statement: 'The next owner of a partition starts at or after the last offset committed for it.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, _choice, after) {
    const committed = committedOffsets(after);
    for (const [b, a] of changedProcesses(before, after)) {
      const c = common(a);
      for (const p of gained(b, a)) {
        const last = committed[p]?.offset ?? 0;
        if ((c.positions[p] ?? 0) < last) return `${a.name} starts ${p} at offset ${c.positions[p] ?? 0} below the committed ${last}`;
      }
    }
    return undefined;
  },
};
