import type { Invariant } from '../invariant.ts';
import { groupOf, memberCtxOf, recordOf, staleInstall } from '../../src/world/consumer-view.ts';
import { isLive } from '../../src/world/view.ts';
import type { GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import { PassedParts } from '../step-facts.ts';
import type { World } from '../../src/world/types.ts';

const held = (m: { assigned: string[]; pendingRevocation: string[] }) => [...m.assigned, ...m.pendingRevocation];

/**
 * KS1/KS2 (ConsumerGroup.addPartitionEpochs asserts it): a partition is held (assigned or
 * pending revocation) by at most one member; a member is given a partition only if no other
 * member held it before the step; and no two processes the coordinator counts as members own
 * the same partition (except a partition a member installed after reporting it as not owned
 * while its onPartitionsAssigned ran, as single-owner explains: Kafka does that).
 */
function heldTwice(g: GroupContext): string | undefined {
  const holder = new Map<string, string>();
  for (const m of Object.values(g.members)) {
    for (const p of held(m)) {
      const other = holder.get(p);
      if (other) return `${p} is held by both ${other} and ${m.memberId} in the coordinator`;
      holder.set(p, m.memberId);
    }
  }
  return undefined;
}

const heldOnce = new PassedParts<GroupContext>();

export const exclusiveHolding: Invariant = {
  id: 'exclusive-holding',
  statement:
    'A partition is never owned by two members at once: the coordinator hands a partition out only after its previous owner released it.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, _choice, after) {
    return heldOnceIn(after) ?? handedOver(before, after) ?? ownedOnce(after);
  },
  // `check` judges the two state rules and, between them, the step's.
  split: { state: (after) => heldOnceIn(after) ?? ownedOnce(after), step: (before, _choice, after) => handedOver(before, after) },
};

/** A partition held twice in the coordinator. */
const heldOnceIn = (after: World): string | undefined => {
  const g = groupOf(after);
  // A function of the coordinator's context alone: judged once per context.
  return heldOnce.has(g) ? undefined : heldOnce.note(heldTwice(g), g);
};

/** A partition the step assigned to a member while another still held it. */
function handedOver(before: World, after: World): string | undefined {
  const g = groupOf(after);
  const g0 = groupOf(before);
  // A coordinator the step left as it was handed nothing out (every member holds what it held).
  if (g === g0) return undefined;
  for (const m of Object.values(g.members)) {
    // A static replacement takes over the parked record of its instance.
    const prev =
      g0.members[m.memberId] ??
      Object.values(g0.members).find((o) => o.instanceId !== null && o.instanceId === m.instanceId && !g.members[o.memberId]);
    const had = prev ? held(prev) : [];
    for (const p of m.assigned) {
      if (had.includes(p)) continue;
      const owner = Object.values(g0.members).find((o) => o !== prev && held(o).includes(p));
      if (owner) return `${p} was assigned to ${m.memberId} while ${owner.memberId} still held it`;
    }
  }
  return undefined;
}

/** A partition owned by two processes the coordinator counts as members. */
function ownedOnce(after: World): string | undefined {
  const owners = new Map<string, string>();
  for (const s of after.clients) {
    if (!isLive(s) || !recordOf(after, s)) continue;
    for (const p of memberCtxOf(s).owned) {
      // Kafka's stale install after a slow onPartitionsAssigned (see single-owner).
      if (staleInstall(after, s, p)) continue;
      const other = owners.get(p);
      if (other) return `${p} is owned by both ${other} and ${s.name}, both members of the group`;
      owners.set(p, s.name);
    }
  }
  return undefined;
}
