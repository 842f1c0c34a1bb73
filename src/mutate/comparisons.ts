import type { CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import type { MachineId } from './machines.ts';

// Comparisons in decision guards moved by one, where the variant API reaches them: the guard is
// re-written with the comparison changed (the originals are one-line guards in the machines;
// each entry names the line it moves). Comparisons inside helpers a guard cannot see are not
// mutated (listed in docs/mutate.md).

type Guard = (args: { context: never; event: never }) => boolean;

interface Comparison {
  machine: MachineId;
  guard: string;
  name: string;
  description: string;
  guardImpl: Guard;
}

type Classic = { context: CoordinatorContext; event: { msg: { generation: number } } };
type Kip848 = { context: GroupContext; event: { msg: { memberId: string; memberEpoch: number } } };

export const comparisons: Comparison[] = [
  {
    machine: 'classic-coordinator',
    guard: 'isStaleGeneration',
    name: 'previous-generation-ok',
    description: 'SyncGroup and Heartbeat of generation - 1 are accepted too (generation !== g becomes !== g && !== g - 1)',
    guardImpl: (({ context, event }: Classic) =>
      event.msg.generation !== context.generation && event.msg.generation !== context.generation - 1) as Guard,
  },
  {
    machine: 'classic-coordinator',
    guard: 'isCommitGenerationStale',
    name: 'previous-generation-ok',
    description: 'offset commits of generation - 1 are accepted too',
    guardImpl: (({ context, event }: Classic) =>
      event.msg.generation !== context.generation && event.msg.generation !== context.generation - 1) as Guard,
  },
  {
    machine: 'classic-coordinator',
    guard: 'isCommitGenerationStale',
    name: 'only-older-stale',
    description: 'a commit is stale only when its generation is older (!== becomes <): a newer generation is accepted',
    guardImpl: (({ context, event }: Classic) => event.msg.generation < context.generation) as Guard,
  },
  {
    machine: 'classic-coordinator',
    guard: 'initialDelayExtends',
    name: 'remaining-ge-0',
    description: 'the initial delay extends while the remaining delay is >= 0 (for > 0)',
    guardImpl: (({ context }: Classic) =>
      context.initialRebalance && context.newMemberAdded && context.initialDelayRemainingMs >= 0) as Guard,
  },
  {
    machine: 'kip848-coordinator',
    guard: 'commitAccepted',
    name: 'older-epoch-ok',
    description: 'an offset commit is accepted with a member epoch <= the current one (for ===)',
    guardImpl: (({ context, event }: Kip848) => {
      const m = context.members[event.msg.memberId];
      if (event.msg.memberEpoch < 0 && Object.keys(context.members).length === 0) return true;
      return m !== undefined && event.msg.memberEpoch <= m.memberEpoch;
    }) as Guard,
  },
  {
    machine: 'kip848-coordinator',
    guard: 'commitAccepted',
    name: 'previous-epoch-ok',
    description: 'an offset commit is accepted with the current member epoch or the one before it',
    guardImpl: (({ context, event }: Kip848) => {
      const m = context.members[event.msg.memberId];
      if (event.msg.memberEpoch < 0 && Object.keys(context.members).length === 0) return true;
      return m !== undefined && (event.msg.memberEpoch === m.memberEpoch || event.msg.memberEpoch === m.memberEpoch - 1);
    }) as Guard,
  },
];
