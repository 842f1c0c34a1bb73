import type { Invariant } from '../invariant.ts';
import { groupOf, memberCtxOf, recordOf } from '../../src/world/consumer-view.ts';
import { isLive } from '../../src/world/view.ts';

const same = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x) => ys.includes(x));

/**
 * KL1: once faults stop and the target stops changing, every member is reconciled to it: the
 * coordinator moves it to the target epoch with exactly its target partitions, and the process
 * owns them.
 */
export const reachesTarget: Invariant = {
  id: 'reaches-target',
  statement:
    'Once the target assignment stops changing, every member reaches its target (epoch and partitions, in the coordinator and in the process).',
  protocols: ['consumer'],
  kind: 'liveness',
  check(_before, _choice, after) {
    const g = groupOf(after);
    if (Object.keys(g.members).length > 0 && g.groupEpoch !== g.targetEpoch)
      return `the target was never computed for group epoch ${g.groupEpoch} (target epoch ${g.targetEpoch})`;
    for (const s of after.clients) {
      if (!isLive(s)) continue;
      const r = recordOf(after, s);
      if (!r) continue;
      const target = g.target[r.memberId] ?? [];
      if (r.memberEpoch !== g.targetEpoch || !same(r.assigned, target))
        return `${r.memberId} is ${r.state} at epoch ${r.memberEpoch} with [${r.assigned.join(',')}], target epoch ${g.targetEpoch} [${target.join(',')}]`;
      if (!same(memberCtxOf(s).owned, target))
        return `${s.name} owns [${memberCtxOf(s).owned.join(',')}], its target is [${target.join(',')}]`;
    }
    return undefined;
  },
};
