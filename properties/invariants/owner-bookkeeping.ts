import type { Invariant } from '../invariant.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import type { GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import { Passed } from '../step-facts.ts';

const passed = new Passed();

/** ConsumerGroup.partitionEpochs is exactly the members' assigned and pending partitions, each at its holder's epoch. */
export const ownerBookkeeping: Invariant = {
  id: 'owner-bookkeeping',
  statement: "The coordinator's partition owner bookkeeping always equals the union of what members hold and what is pending revocation.",
  protocols: ['consumer'],
  kind: 'safety',
  judges: 'state',
  check(before, _choice, after, config) {
    // A function of the coordinator alone: unchanged since a world this invariant passed, it finds nothing again.
    if (passed.passed(before, config) && before.coordinator === after.coordinator) return passed.note(after, config, undefined);
    return passed.note(after, config, bookkeeping(groupOf(after)));
  },
};

/** Where the coordinator's partition epochs and its members' holdings disagree, if anywhere. */
function bookkeeping(g: GroupContext): string | undefined {
  const expected = new Map<string, number>();
  for (const m of Object.values(g.members)) for (const p of [...m.assigned, ...m.pendingRevocation]) expected.set(p, m.memberEpoch);
  for (const [p, e] of Object.entries(g.partitionEpochs)) {
    if (!expected.has(p)) return `${p} is recorded at epoch ${e} but no member holds it`;
    if (expected.get(p) !== e) return `${p} is recorded at epoch ${e}, its holder is at ${expected.get(p)}`;
  }
  for (const p of expected.keys()) if (g.partitionEpochs[p] === undefined) return `${p} is held by a member but not recorded`;
  return undefined;
}
