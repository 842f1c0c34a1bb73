import { assign, enqueueActions } from 'xstate';
import { type CoordinatorContext, joinError, reply, withoutTimer } from '../../models/classic/coordinator-state.ts';
import type { ClassicRequest } from '../../models/classic/messages.ts';
import { defineVariant, type Variant } from './variant.ts';

// Broken designs of the classic group coordinator's bookkeeping and answers: each breaks one of
// the oracles classic-group-records, classic-group-answers and initial-rebalance-delay (docs/oracles.md).

export const classicCoordinatorVariants: Variant[] = [
  defineVariant({
    name: 'leave-keeps-pending-sync',
    description:
      "The classic coordinator removes a member that sends LeaveGroup but keeps it among the members it awaits a SyncGroup from (Kafka's ClassicGroup.remove drops it from pendingSyncMembers): when the pending-sync deadline fires, the group rebalances for a member that is already gone.",
    breaks: ['classic-group-records'],
    explore: { members: 1, partitions: 1, budgets: { close: 1 }, maxDepth: 14, maxInFlight: 2 },
    coordinator: {
      actions: {
        removeLeavingMember: enqueueActions(({ context, event, enqueue }) => {
          const ctx = context as CoordinatorContext;
          const { msg } = event as unknown as { msg: ClassicRequest };
          const { [msg.memberId]: gone, ...members } = ctx.members;
          if (gone?.joinCorr != null)
            enqueue({ type: 'send', params: reply({ corr: gone.joinCorr, client: gone.client }, joinError('UNKNOWN_MEMBER_ID')) } as never);
          enqueue.assign({ members, timers: withoutTimer(ctx.timers, `session:${msg.memberId}`) } as never);
          enqueue({ type: 'send', params: reply(msg, { kind: 'LeaveGroupResponse', error: 'NONE' }) } as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'heartbeat-unanswered',
    description:
      "The classic coordinator takes a member's heartbeat (its session is pushed back) but never answers it: every heartbeat times out on the client, which marks the coordinator unknown and looks it up again.",
    breaks: ['classic-group-answers'],
    explore: { members: 1, partitions: 1, maxDepth: 8, maxInFlight: 2 },
    coordinator: { actions: { answerHeartbeat: assign({}) } },
  }),
  defineVariant({
    name: 'initial-delay-not-extended',
    description:
      'The classic coordinator never extends the initial rebalance delay (KIP-134): the first join phase of an empty group ends group.initial.rebalance.delay.ms after the first member, although others keep arriving, and each late one starts another rebalance at once.',
    breaks: ['initial-rebalance-delay'],
    explore: { members: 2, partitions: 1, maxDepth: 8, maxInFlight: 2 },
    coordinator: { guards: { initialDelayExtends: () => false } },
  }),
];
