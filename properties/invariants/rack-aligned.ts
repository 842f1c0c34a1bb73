import { partitionRacksOf } from '../../models/assignors/racks.ts';
import type { JoinGroupResponse, SyncGroupRequest } from '../../models/classic/messages.ts';
import { parseTp, type TopicPartition } from '../../models/types.ts';
import type { Choice, World, WorldConfig } from '../../src/world/types.ts';
import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { ctxOf, processOf } from '../../src/world/view.ts';

// KIP-881 in the protocol runs: Kafka's rack-aware client assignors place partitions on their
// consumer's rack "when balance allows" (RangeAssignor, AbstractStickyAssignor). The checkable
// form: no two members each hold a partition that is on the other's rack and not on their own,
// when swapping the two keeps every quota the assignor is held to. For range that is within one
// topic (per-topic quotas), and for topics range co-partitions (same subscribers and partition
// count) only where the swap is on-rack for every topic of the group, since Kafka keeps partition
// i of such topics together before it looks at racks. For sticky and cooperative-sticky it is any
// two partitions, with identical subscriptions (the constrained builder; the general builder
// balances by moves that ignore racks). Both follow from the builders' order: a member that ends
// with an off-rack partition still had room when the rack-matching pass offered it the
// partition on its rack (docs/model.md, "Racks").

type Holding = { member: string; rack: string; p: TopicPartition };

function swappable(a: Holding, b: Holding, on: (rack: string, p: TopicPartition) => boolean): boolean {
  return a.rack !== b.rack && !on(a.rack, a.p) && !on(b.rack, b.p) && on(b.rack, a.p) && on(a.rack, b.p);
}

export function rackCheck(
  r: Pick<JoinGroupResponse, 'members' | 'protocolName'>,
  assignments: Record<string, TopicPartition[]>,
  partitionRacks: Record<string, string[][]>,
): string | undefined {
  const on = (rack: string, p: TopicPartition) => {
    const { topic, partition } = parseTp(p);
    return partitionRacks[topic]?.[partition]?.includes(rack) ?? false;
  };
  const ids = Object.keys(r.members);
  const held: Holding[] = ids.flatMap((m) => {
    const rack = r.members[m].rackId;
    return rack ? (assignments[m] ?? []).map((p) => ({ member: m, rack, p })) : [];
  });
  const off = held.filter((h) => !on(h.rack, h.p));
  const subscribers = (t: string) =>
    ids
      .filter((m) => r.members[m].topics.includes(t))
      .sort()
      .join(',');
  let pairOk: (a: Holding, b: Holding) => boolean;
  if (r.protocolName === 'range') {
    pairOk = (a, b) => {
      const ta = parseTp(a.p);
      const tb = parseTp(b.p);
      if (ta.topic !== tb.topic) return false;
      const n = partitionRacks[ta.topic]?.length ?? 0;
      const group = Object.keys(partitionRacks).filter(
        (u) =>
          (u === ta.topic || r.members[a.member].topics.includes(u)) &&
          partitionRacks[u].length === n &&
          subscribers(u) === subscribers(ta.topic),
      );
      return group.every((u) => on(b.rack, `${u}-${ta.partition}`) && on(a.rack, `${u}-${tb.partition}`));
    };
  } else {
    const first = [...(r.members[ids[0]]?.topics ?? [])].sort().join(',');
    if (!ids.every((m) => [...r.members[m].topics].sort().join(',') === first)) return undefined;
    pairOk = () => true;
  }
  for (let i = 0; i < off.length; i++)
    for (let j = i + 1; j < off.length; j++)
      if (off[i].member !== off[j].member && swappable(off[i], off[j], on) && pairOk(off[i], off[j]))
        return `${off[i].member} (rack ${off[i].rack}) holds ${off[i].p} and ${off[j].member} (rack ${off[j].rack}) holds ${off[j].p}: each is on the other's rack, and swapping them keeps the balance`;
  return undefined;
}

const rackAware = new Set(['range', 'sticky', 'cooperative-sticky']);

/** The check itself, over the leader's input and output (exported for the property test). */
/** The leader ran a rack-aware assignor in this step (its JoinGroup response came, its SyncGroup went). */
function classic(before: World, choice: Choice | null, after: World, config: WorldConfig): string | undefined {
  if (!config.racks) return undefined;
  const m = delivered(before, choice);
  if (m?.to !== 'client' || m.body.kind !== 'JoinGroupResponse') return undefined;
  const r = m.body as JoinGroupResponse;
  if (r.error !== 'NONE' || r.leaderId !== r.memberId || r.skipAssignment || !rackAware.has(r.protocolName ?? '')) return undefined;
  // The process the response went to (a zombie shares its slot's name: match the incarnation too).
  const sync = after.sent.find(
    (x) => x.body.kind === 'SyncGroup' && x.body.client.client === r.client.client && x.body.client.inc === r.client.inc,
  )?.body as SyncGroupRequest | undefined;
  const slot = processOf(after, r.client);
  if (!sync?.assignments || !slot?.snapshot) return undefined;
  // The leader's metadata, as the assignor read it (its snapshot taken when it assigned).
  const ctx = ctxOf(slot);
  const racks = partitionRacksOf(ctx.assignedMetadata ?? ctx.metadata, config.racks, ctx.assignedRacks ?? {});
  const v = rackCheck(r, sync.assignments, racks);
  return v && `${r.protocolName} at generation ${r.generation}: ${v}`;
}

export const rackAligned: Invariant = {
  id: 'rack-aligned',
  statement:
    "With racks (KIP-881), a rack-aware client assignor (range; sticky and cooperative-sticky with identical subscriptions) never leaves two members each holding a partition on the other's rack and not their own where swapping them keeps the balance.",
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check: (before, choice, after, config) => (before.family === 'classic' ? classic(before, choice, after, config) : undefined),
};
