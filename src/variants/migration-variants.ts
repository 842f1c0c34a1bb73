import { assign, enqueueActions } from 'xstate';
import { reply } from '../../models/classic/coordinator-state.ts';
import type { ClassicRequest } from '../../models/classic/messages.ts';
import { fromClassicGroup } from '../../models/consumer-protocol/classic-members.ts';
import type { GroupContext, GroupEvent } from '../../models/consumer-protocol/coordinator-state.ts';
import { defineVariant, type Variant } from './variant.ts';

// Broken designs of the online migration between the classic and the consumer protocol (mixed
// groups, docs/migration.md): each breaks one of the invariants only a mixed group can break.

type Ctx = GroupContext;
const convertEvent = (e: GroupEvent) => e as Extract<GroupEvent, { type: 'CONVERT_FROM_CLASSIC' }>;
const classicMsg = (e: GroupEvent) => (e as { msg: ClassicRequest }).msg;

export const migrationVariants: Variant[] = [
  defineVariant({
    name: 'conversion-drops-offsets',
    description: 'The upgrade to a consumer group starts it with no committed offsets (as if offsets were group records).',
    protocols: ['cooperative'],
    breaks: ['conversion-keeps-offsets'],
    settings: { migration: 'upgrade', migrationPolicy: 'bidirectional' },
    explore: { members: 1, partitions: 1, budgets: { process: 1, commit: 1 }, maxDepth: 12, maxInFlight: 2 },
    coordinator: {
      actions: {
        fromClassicGroup: assign(({ context, event }: { context: Ctx; event: GroupEvent }) => ({
          ...fromClassicGroup(context, convertEvent(event).group, convertEvent(event).now),
          committed: {},
        })),
      },
    },
  }),
  defineVariant({
    name: 'classic-sync-hands-target',
    description:
      "A classic member's SyncGroup in a consumer group hands out its target assignment, partitions another member has not released included.",
    protocols: ['cooperative'],
    breaks: ['cross-protocol-single-owner', 'single-owner', 'offset-handover', 'mixed-group-answers'],
    settings: { migration: 'upgrade', migrationPolicy: 'bidirectional' },
    explore: { members: 2, partitions: 2, maxDepth: 9, maxInFlight: 3 },
    coordinator: {
      actions: {
        respondClassicSync: enqueueActions(
          ({ context, event, enqueue }: { context: Ctx; event: GroupEvent; enqueue: (a: { type: 'send'; params: unknown }) => void }) => {
            const msg = classicMsg(event);
            const assignment = [...(context.target[msg.memberId] ?? [])];
            const committed = Object.fromEntries(
              assignment.filter((p) => context.committed[p]).map((p) => [p, context.committed[p].offset]),
            );
            enqueue({ type: 'send', params: reply(msg, { kind: 'SyncGroupResponse', error: 'NONE', assignment, committed }) });
          },
        ),
      },
    },
  }),
  defineVariant({
    name: 'classic-commits-unfenced',
    description:
      'A consumer group stores an offset commit from a classic member, or from a member id it no longer knows, whatever generation it carries.',
    protocols: ['cooperative'],
    breaks: ['mixed-commit-fencing'],
    settings: { migration: 'upgrade', migrationPolicy: 'bidirectional' },
    explore: { members: 1, partitions: 1, budgets: { process: 1, commit: 1 }, maxDepth: 11, maxInFlight: 3 },
    coordinator: {
      guards: {
        commitAccepted: ({ context, event }: { context: Ctx; event: GroupEvent }) => {
          const msg = (event as { msg: { memberId: string; memberEpoch: number } }).msg;
          const m = context.members[msg.memberId];
          if (m === undefined || m.classic) return true;
          return m.memberEpoch === msg.memberEpoch;
        },
      },
    },
  }),
  defineVariant({
    name: 'classic-join-no-sync-timeout',
    description:
      "A consumer group's answer to a classic member's JoinGroup reschedules its session but starts no sync timeout (Kafka: scheduleConsumerGroupSyncTimeout with the request's rebalance timeout): a classic member that never syncs keeps its place until its session ends.",
    protocols: ['cooperative'],
    breaks: ['mixed-group-answers'],
    settings: { migration: 'downgrade', migrationPolicy: 'bidirectional' },
    explore: { members: 1, partitions: 1, maxDepth: 8, maxInFlight: 3 },
    coordinator: {
      actions: {
        armClassicJoinTimers: assign(({ context, event }: { context: Ctx; event: GroupEvent }) => {
          const m = context.members[context.round!.memberId];
          return { timers: { ...context.timers, [`session:${m.memberId}`]: event.now + m.classic!.sessionTimeoutMs } };
        }),
      },
    },
  }),
  defineVariant({
    name: 'empty-group-takes-classic-join',
    description:
      'A classic JoinGroup to an empty consumer group joins it as a classic member instead of replacing it by a classic group (Kafka: classicGroupJoin sends only non-empty consumer groups to classicGroupJoinToConsumerGroup; an empty one is deleted and a classic group created).',
    protocols: ['cooperative'],
    // The consumer group of classic members it leaves behind never sees a partition added: a
    // classic member that is not a leader does not rejoin for metadata, and its Heartbeat does
    // not refresh the group's subscription metadata (eventually-stable, 3 x 6 seeded runs).
    breaks: ['mixed-group-type', 'eventually-stable'],
    settings: { migration: 'downgrade', migrationPolicy: 'bidirectional' },
    explore: { members: 1, partitions: 1, maxDepth: 10, maxInFlight: 3 },
    coordinator: { guards: { groupIsEmpty: () => false } },
  }),
];
