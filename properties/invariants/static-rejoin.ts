import type { Invariant } from '../invariant.ts';
import { STATIC_LEAVE_EPOCH } from '../../models/consumer-protocol/messages.ts';
import { groupOf } from '../../src/world/consumer-view.ts';

const same = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x) => ys.includes(x));

/**
 * 7.8: a static member that left with epoch -2 and comes back (a new member id, the same
 * group.instance.id) replaces its parked record: it takes over its assignment and target and
 * the group epoch does not go up (unless its subscription or the partition counts changed).
 */
export const staticRejoinNoBump: Invariant = {
  id: 'static-rejoin-no-bump',
  statement: 'A static member returning after a temporary leave (-2) takes over its target assignment without a group epoch bump.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, _choice, after) {
    const g0 = groupOf(before);
    const g = groupOf(after);
    if (g0 === g) return undefined;
    for (const old of Object.values(g0.members)) {
      if (old.memberEpoch !== STATIC_LEAVE_EPOCH || g.members[old.memberId]) continue;
      const next = Object.values(g.members).find((m) => m.instanceId === old.instanceId);
      if (
        !next ||
        next.topics.join() !== old.topics.join() ||
        JSON.stringify(g.subscriptionMetadata) !== JSON.stringify(g0.subscriptionMetadata)
      )
        continue;
      if (g.groupEpoch !== g0.groupEpoch)
        return `${next.memberId} replaced ${old.memberId} (instance ${old.instanceId}) and the group epoch went from ${g0.groupEpoch} to ${g.groupEpoch}`;
      // A target computation still pending for an earlier change may run in the same heartbeat.
      if (g.targetEpoch === g0.targetEpoch && !same(g.target[next.memberId] ?? [], g0.target[old.memberId] ?? []))
        return `${next.memberId} replaced ${old.memberId} but its target is [${(g.target[next.memberId] ?? []).join(',')}] instead of [${(g0.target[old.memberId] ?? []).join(',')}]`;
    }
    return undefined;
  },
};
