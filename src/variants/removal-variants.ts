import { assign } from 'xstate';
import { leaver, removeMember } from '../../models/consumer-protocol/coordinator.ts';
import { type GroupContext, type GroupEvent, without } from '../../models/consumer-protocol/coordinator-state.ts';
import { LEAVE_EPOCH, type ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import { defineVariant, type Variant } from './variant.ts';

// Broken designs of how a KIP-848 consumer group loses a member (kip848-member-removal,
// docs/oracles.md): a leave from a member it does not know acknowledged, a timed-out member
// removed without the group epoch bump that makes the group compute a new target.

type Timer = Extract<GroupEvent, { type: 'TIMER' }> & { topics?: GroupContext['subscriptionMetadata'] };

/** consumerGroupFenceMember without its epoch record: the member and its records go, the group epoch stays. */
const fenceWithoutBump = (context: GroupContext, event: Timer, fence: boolean): Partial<GroupContext> => {
  const timers = without(context.timers, event.name);
  if (!fence) return { timers };
  const id = event.name.slice(event.name.indexOf(':') + 1);
  return { timers, ...removeMember({ ...context, timers }, id, event.topics), groupEpoch: context.groupEpoch };
};

export const removalVariants: Variant[] = [
  defineVariant({
    name: 'unknown-leaver-acknowledged',
    description:
      'The KIP-848 coordinator acknowledges a leave heartbeat (epoch -1) from a member id it does not know (one its session timeout already fenced, say) with NONE, where Kafka answers UNKNOWN_MEMBER_ID (consumerGroupLeave: getOrMaybeCreateMember(memberId, false)); a leaving consumer cannot tell a leave that counted from one that did not.',
    protocols: ['consumer'],
    breaks: ['kip848-member-removal'],
    explore: { members: 1, partitions: 1, budgets: { close: 1, crash: 1 }, maxDepth: 12, maxInFlight: 2 },
    coordinator: {
      guards: {
        leaverKnown: ({ context, event }: { context: GroupContext; event: { msg: ConsumerGroupHeartbeatRequest } }) =>
          event.msg.memberEpoch === LEAVE_EPOCH || typeof leaver(context, event.msg) !== 'string',
      } as never,
    },
  }),
  defineVariant({
    name: 'expiry-keeps-group-epoch',
    description:
      'A KIP-848 member fenced by its session or rebalance timeout is removed without the group epoch bump that consumerGroupFenceMember writes: no new target is computed, and its partitions stay assigned to nobody until something else bumps the epoch.',
    protocols: ['consumer'],
    breaks: ['kip848-member-removal', 'stable-coverage'],
    explore: { members: 1, partitions: 1, budgets: { crash: 1 }, maxDepth: 8, maxInFlight: 2 },
    coordinator: {
      actions: {
        expireSession: assign(({ context, event }: { context: GroupContext; event: Timer }) => fenceWithoutBump(context, event, true)),
        expireRebalance: assign(({ context, event }: { context: GroupContext; event: Timer }) => {
          const m = context.members[event.name.slice(event.name.indexOf(':') + 1)];
          return fenceWithoutBump(context, event, m?.state === 'unrevoked' && m.memberEpoch === m.rebalanceEpoch);
        }),
      } as never,
    },
  }),
];
