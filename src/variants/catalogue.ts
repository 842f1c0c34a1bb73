import { assign, enqueueActions } from 'xstate';
import { range } from '../../models/assignors/range.ts';
import { sticky } from '../../models/assignors/sticky.ts';
import { cooperativeSticky } from '../../models/assignors/cooperative-sticky.ts';
import { sortedMembers, type Assignor } from '../../models/assignors/types.ts';
import { uniform } from '../../models/consumer-protocol/assignors.ts';
import { admission, admitPatch, bumpPatch, leaver, reconcilePatch, removeMember } from '../../models/consumer-protocol/coordinator.ts';
import {
  kafkaRules,
  type ConsumerGroupMember,
  type GroupContext,
  type GroupEvent,
} from '../../models/consumer-protocol/coordinator-state.ts';
import { replyTo, type ConsumerGroupHeartbeatRequest, type ConsumerResponse } from '../../models/consumer-protocol/messages.ts';
import type { MemberContext, MemberEvent } from '../../models/consumer-protocol/member-state.ts';
import { defaultTimers } from '../../models/types.ts';
import { noFaults } from '../world/faults.ts';
import { type CoordinatorContext, errorFor, reply } from '../../models/classic/coordinator-state.ts';
import type { ClassicRequest } from '../../models/classic/messages.ts';
import type { ConsumerContext, ConsumerEvent } from '../../models/classic/consumer-state.ts';
import { closeLeave, closeStart, syncGroupRequest } from '../../models/classic/consumer.ts';
import { lossStart } from '../../models/consumer-protocol/member.ts';
import { builtins } from './builtins.ts';
import { defineVariant, type Variant } from './variant.ts';
import { migrationVariants } from './migration-variants.ts';
import { classicCoordinatorVariants } from './coordinator-variants.ts';
import { regexVariants } from './regex-variants.ts';
import { retentionVariants } from './retention-variants.ts';
import { removalVariants } from './removal-variants.ts';

// Deliberately broken designs. Each one shows that the invariants it names can fail:
// the test suite runs every variant and asserts the violation it declares is found.

/** Wraps range so the variant changes only the assignment, under the name members advertise. */
const rangeWith = (change: (out: ReturnType<Assignor['assign']>) => ReturnType<Assignor['assign']>): Assignor => ({
  ...range,
  assign: (input) => change(range.assign(input)),
});

/** The classic consumer's own actions, so that a variant can run one and then change its outcome. */
const classicConsumerActions = builtins.classicConsumer.actions;
/** The KIP-848 member's own actions, likewise. */
const memberActions = builtins.groupMember.actions;
/** The KIP-848 coordinator's own actions, likewise. */
const groupCoordinatorActions = builtins.groupCoordinator.actions;

export const catalogue: Variant[] = [
  defineVariant({
    name: 'no-generation-bump',
    description: 'The coordinator completes a join phase without incrementing the generation id.',
    breaks: [
      'generation-advance',
      'idle-only-when-outnumbered',
      'balanced-when-stable',
      'no-starving-member',
      'classic-group-records',
      'classic-group-answers',
    ],
    explore: { members: 1, partitions: 1, maxDepth: 4, maxInFlight: 1 },
    coordinator: { actions: { bumpGeneration: assign({}) } },
  }),
  defineVariant({
    name: 'commit-any-generation',
    description: 'The coordinator stores offset commits whatever generation they carry.',
    breaks: ['commit-fencing', 'commit-formation', 'classic-group-answers'],
    explore: { members: 1, partitions: 1, static: true, budgets: { commit: 1, addPartition: 1 }, maxDepth: 14, maxInFlight: 2 },
    coordinator: { guards: { isCommitGenerationStale: () => false } },
    // A stale commit needs a commit that reaches the coordinator after a newer generation formed
    // while its sender is still a member: a commit delayed past a rebalance (the OUTAGE mode of
    // src/run/pick.ts holds one back until then), or a static member kept through a join phase
    // it missed. The smallest instance shows it soonest: check's default campaigns found it in
    // 10 of 10 seeds (cooperative) and 9 of 10 (eager/range) within 1,000 runs, 3 December 2026.
    settings: { members: 2, topics: { t0: 2 } },
  }),
  defineVariant({
    name: 'leader-not-rechosen',
    description: 'When the leader leaves or expires, the coordinator keeps its id as leader.',
    breaks: ['leader-is-member'],
    explore: { members: 1, partitions: 1, budgets: { close: 1 }, maxDepth: 5, maxInFlight: 2 },
    coordinator: { actions: { rechooseLeader: assign({}) } },
  }),
  defineVariant({
    name: 'double-assign',
    description: 'The range assignor also hands the first partition to the last member.',
    // Two owners: not owned exactly once when stable, and given while another member owns it.
    breaks: ['single-owner', 'stable-coverage', 'revoke-before-assign', 'at-least-once'],
    explore: { members: 2, partitions: 1, maxDepth: 14, maxInFlight: 2 },
    assignors: {
      range: rangeWith((out) => {
        const ids = Object.keys(out).sort();
        const first = Object.values(out).flat().sort()[0];
        if (ids.length > 1 && first !== undefined && !out[ids[ids.length - 1]].includes(first)) out[ids[ids.length - 1]].push(first);
        return out;
      }),
    },
  }),
  defineVariant({
    name: 'forgetful-assignor',
    description: 'The range assignor leaves the last partition of every topic unassigned.',
    // Dropping a partition from a member also unbalances the counts.
    // With a dynamic zombie beside its replacement the group can have more members than slots, and
    // the member that would get the last partition is left with none: idle though not outnumbered,
    // and starving while another holds two.
    breaks: ['stable-coverage', 'balanced-when-stable', 'idle-only-when-outnumbered', 'no-starving-member'],
    explore: { members: 1, partitions: 1, maxDepth: 7, maxInFlight: 1 },
    assignors: {
      range: rangeWith((out) => {
        const all = Object.values(out).flat();
        const lastOf = new Map<string, string>();
        for (const p of all) {
          const topic = p.slice(0, p.lastIndexOf('-'));
          const cur = lastOf.get(topic);
          if (!cur || Number(p.slice(p.lastIndexOf('-') + 1)) > Number(cur.slice(cur.lastIndexOf('-') + 1))) lastOf.set(topic, p);
        }
        const drop = new Set(lastOf.values());
        return Object.fromEntries(Object.entries(out).map(([m, ps]) => [m, ps.filter((p) => !drop.has(p))]));
      }),
    },
  }),
  defineVariant({
    name: 'greedy-leader',
    description: 'The range assignor gives every partition to the first member.',
    // The others own nothing beside a member holding several partitions of their topic: starved.
    breaks: ['idle-only-when-outnumbered', 'balanced-when-stable', 'no-starving-member'],
    explore: { members: 2, partitions: 2, maxDepth: 14, maxInFlight: 2 },
    assignors: {
      range: rangeWith((out) => {
        const ids = Object.keys(out).sort();
        const all = Object.values(out).flat().sort();
        return Object.fromEntries(ids.map((m, i) => [m, i === 0 ? all : []]));
      }),
    },
  }),
  defineVariant({
    name: 'eager-no-revoke',
    description: 'An eager consumer sends JoinGroup without revoking its partitions first.',
    protocols: ['eager'],
    // A member that keeps its partitions through JoinGroup still owns them when they are given to another.
    // ... and the group can fail to settle; a member whose generation was reset rejoins still holding them (not lost).
    breaks: ['eager-revoke-before-join', 'revoke-before-assign', 'eventually-stable', 'lost-before-rejoin'],
    explore: { members: 1, partitions: 1, budgets: { addPartition: 1 }, maxDepth: 11, maxInFlight: 1 },
    consumer: { actions: { revokeAllOwned: assign({}) } },
  }),
  defineVariant({
    name: 'lopsided-range',
    description: 'The range assignor moves one partition from the last member to the first.',
    breaks: ['balanced-when-stable'],
    explore: { members: 2, partitions: 4, maxDepth: 14, maxInFlight: 2 },
    assignors: {
      range: rangeWith((out) => {
        const ids = Object.keys(out).sort();
        const last = out[ids[ids.length - 1]];
        if (ids.length > 1 && last.length > 1) out[ids[0]].push(last.pop()!);
        return out;
      }),
    },
  }),
  defineVariant({
    name: 'range-reverse-order',
    description:
      'The range assignor deals its ranges over the members in descending order (a comparator written backwards): balanced and exclusive, but the first ranges go to the last members, not to static members by group.instance.id and then dynamic ones by member id.',
    breaks: ['assignment-order'],
    explore: { members: 2, partitions: 2, maxDepth: 14, maxInFlight: 2 },
    assignors: {
      range: {
        ...range,
        assign: (input) => {
          const out = range.assign(input);
          const ids = sortedMembers(input.subscriptions);
          return Object.fromEntries(ids.map((m, i) => [m, out[ids[ids.length - 1 - i]]]));
        },
      },
    },
  }),
  defineVariant({
    name: 'offsets-from-zero',
    description: 'A consumer starts newly assigned partitions at offset 0 instead of the committed offset.',
    breaks: ['offset-handover'],
    explore: {
      members: 1,
      partitions: 1,
      protocol: 'eager',
      static: true,
      budgets: { process: 1, commit: 1, crash: 1, start: 1 },
      maxDepth: 14,
      maxInFlight: 2,
    },
    consumer: {
      actions: {
        installAssignment: assign(({ context, event }) => {
          const r = (event as unknown as { msg: { assignment: string[] } }).msg;
          const { sync: _, ...inflight } = context.inflight;
          const { 'req:sync': __, ...timers } = context.timers;
          return { owned: [...r.assignment], lastAssignment: [...r.assignment], positions: {}, rejoinNeeded: false, inflight, timers };
        }),
      },
    },
  }),
  defineVariant({
    name: 'cooperative-revokes-all',
    description: 'A cooperative consumer revokes everything before it rejoins, as an eager one would.',
    protocols: ['cooperative'],
    breaks: ['cooperative-keeps-unmoved'],
    explore: { members: 1, partitions: 1, budgets: { addPartition: 1 }, maxDepth: 11, maxInFlight: 1 },
    consumer: { actions: { revokeLostOrUnsubscribed: assign({ owned: [], positions: {} }) } },
  }),
  defineVariant({
    name: 'cooperative-direct-transfer',
    description: 'cooperative-sticky without adjustAssignment: moving partitions go straight to their new owner.',
    protocols: ['cooperative'],
    breaks: ['cooperative-no-direct-transfer', 'revoke-before-assign'],
    explore: { members: 2, partitions: 2, maxDepth: 18, maxInFlight: 2 },
    assignors: { 'cooperative-sticky': { ...sticky, name: 'cooperative-sticky', supportedProtocols: ['cooperative', 'eager'] } },
  }),
  defineVariant({
    name: 'stale-heartbeat-resets',
    description: 'A consumer acts on a heartbeat error even when its generation changed since the heartbeat was sent.',
    // Cooperative members keep their partitions through a rebalance, so a stale reset shows quickly.
    protocols: ['cooperative', 'eager'],
    breaks: ['no-drop-on-stale-response'],
    explore: { members: 1, partitions: 1, maxDepth: 13, maxInFlight: 3 },
    consumer: {
      guards: {
        heartbeatErrorCurrent: (
          {
            context,
            event,
          }: { context: { inflight: { heartbeat?: { corr: number } } }; event: { type: string; msg?: { corr: number; error: string } } },
          code: string,
        ) => event.type === 'RESPONSE' && event.msg!.error === code && context.inflight.heartbeat?.corr === event.msg!.corr,
      } as never,
    },
  }),
  defineVariant({
    name: 'static-restart-rebalances',
    description: 'The coordinator rebalances on every static member restart instead of replacing it in place.',
    breaks: ['static-restart-no-rebalance'],
    explore: { members: 1, partitions: 1, budgets: { crash: 1, start: 1 }, maxDepth: 7, maxInFlight: 2 },
    settings: { static: true },
    coordinator: { guards: { staticReplacementKeepsProtocol: () => false } },
  }),
  defineVariant({
    name: 'skip-without-snapshot',
    description:
      'A static leader that returns with SkipAssignment (KIP-814) takes no metadata snapshot, so it never notices partitions added after it returned (Kafka snapshots them: testStaticConsumerDetectsNewPartitionCreatedAfterRestart).',
    breaks: ['stable-coverage'],
    explore: { members: 1, partitions: 1, budgets: { crash: 1, start: 1, addPartition: 1 }, maxDepth: 16, maxInFlight: 2 },
    // One member: it is always the leader, so random runs reach its restart often.
    settings: { static: true, members: 1 },
    consumer: { actions: { snapshotSkippedAssignment: assign({}) } },
  }),
  defineVariant({
    name: 'duplicate-instance',
    description: 'A static member rejoining with a known group.instance.id is added as a second member instead of replacing the first.',
    // Adding the restarted instance as a new member also makes its restart rebalance.
    breaks: ['one-member-per-instance', 'static-restart-no-rebalance'],
    explore: { members: 1, partitions: 1, budgets: { crash: 1, start: 1 }, maxDepth: 4, maxInFlight: 2 },
    settings: { static: true },
    coordinator: {
      guards: {
        isStaticReplacement: () => false,
        isNewStaticMember: ({ event }: { event: { msg: { memberId: string; instanceId: string | null } } }) =>
          event.msg.memberId === '' && event.msg.instanceId !== null,
      } as never,
    },
  }),
  defineVariant({
    name: 'zombie-not-fenced',
    description:
      'The coordinator does not fence a replaced static member (no FENCED_INSTANCE_ID): the zombie hears UNKNOWN_MEMBER_ID, rejoins with its group.instance.id and takes the membership back from its replacement.',
    protocols: ['eager', 'cooperative'],
    breaks: ['zombie-fenced', 'eventually-stable', 'classic-group-answers'],
    explore: { members: 1, partitions: 1, budgets: { replace: 1 }, maxDepth: 8, maxInFlight: 3 },
    settings: { static: true, faults: { ...noFaults, zombie: true, cut: true, stall: true } },
    coordinator: { guards: { isFencedInstance: () => false } },
  }),
  defineVariant({
    name: 'expired-member-heartbeats',
    description:
      'The coordinator answers a Heartbeat from a member id it no longer has (its session expired) with NONE, so a dynamic zombie cut off past its session carries on as if it were still a member (Kafka: UNKNOWN_MEMBER_ID, and it rejoins as a new member).',
    protocols: ['eager', 'cooperative'],
    breaks: ['zombie-fenced', 'classic-group-answers', 'eventually-stable'],
    explore: { members: 1, partitions: 1, budgets: { replace: 1, cut: 1 }, maxDepth: 9, maxInFlight: 3 },
    settings: { faults: { ...noFaults, zombie: true, cut: true } },
    coordinator: {
      actions: {
        rejectUnknownMember: enqueueActions(({ event, enqueue }) => {
          const msg = (event as unknown as { msg: ClassicRequest }).msg;
          const error = msg.kind === 'Heartbeat' ? 'NONE' : 'UNKNOWN_MEMBER_ID';
          enqueue({ type: 'send', params: reply(msg, errorFor(msg.kind, error)) } as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'assignor-error-swallowed',
    description:
      "A leader whose assignor throws catches the exception and syncs an empty assignment, so the round completes with nothing assigned (Kafka: onLeaderElected's RuntimeException fails the round, and the leader rejoins).",
    protocols: ['eager', 'cooperative'],
    // Members left with nothing while partitions go unowned: idle as well.
    breaks: ['stable-coverage', 'idle-only-when-outnumbered'],
    explore: { members: 1, partitions: 1, budgets: { assignorFails: 1 }, maxDepth: 8, maxInFlight: 2 },
    settings: { faults: { ...noFaults, assignorFailure: true } },
    consumer: {
      actions: {
        sendSyncGroup: enqueueActions<ConsumerContext, ConsumerEvent, undefined>(({ context, event, enqueue }) => {
          if (!(event as { assignorFails?: boolean }).assignorFails) {
            enqueue(classicConsumerActions.sendSyncGroup as never);
            return;
          }
          enqueue.assign({ assignedMetadata: context.metadata });
          const { msg, patch } = syncGroupRequest(context, {}, event.now);
          enqueue.assign(patch);
          enqueue({ type: 'send', params: msg } as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'slow-assignor-late-snapshot',
    description:
      "A leader whose assignor is slow snapshots its metadata when the assignor returns, not the metadata the assignor read: a partition added meanwhile is in the snapshot but in nobody's assignment, so the leader never rejoins and the partition stays unowned (Kafka: onLeaderElected's assignmentSnapshot is the application thread's metadataSnapshot, which cannot move while that thread runs the assignor).",
    protocols: ['eager', 'cooperative'],
    breaks: ['stable-coverage'],
    explore: {
      members: 1,
      partitions: 1,
      protocol: 'eager',
      assignor: 'range',
      budgets: { slowAssignor: 1, addPartition: 1 },
      maxDepth: 11,
      maxInFlight: 2,
    },
    settings: { faults: { ...noFaults, slowAssignor: true, addPartitions: 1 } },
    consumer: {
      actions: {
        startSlowAssignor: enqueueActions<ConsumerContext, ConsumerEvent, undefined>(({ context, enqueue }) => {
          enqueue(classicConsumerActions.startSlowAssignor as never);
          enqueue.assign({ assignedMetadata: context.assignedMetadata });
        }) as never,
        sendComputedSync: enqueueActions<ConsumerContext, ConsumerEvent, undefined>(({ context, enqueue }) => {
          enqueue.assign({ assignedMetadata: context.metadata });
          enqueue(classicConsumerActions.sendComputedSync as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'no-session-expiry',
    description: 'The coordinator never expires a member whose heartbeats stopped.',
    breaks: ['eventually-stable', 'coordinator-deadlines', 'classic-group-records'],
    explore: { members: 1, partitions: 1, budgets: { crash: 1 }, maxDepth: 6, maxInFlight: 2, liveness: true },
    coordinator: { guards: { sessionExpired: () => false } },
    settings: { faults: { ...noFaults, crash: true } },
  }),
  defineVariant({
    name: 'leave-before-release',
    description:
      'close() sends LeaveGroup as soon as it starts, before its auto-commit and onPartitionsRevoked have released the partitions (Kafka: onLeavePrepare, then maybeLeaveGroup).',
    protocols: ['eager', 'cooperative'],
    // Its early LeaveGroup comes on top of close()'s own: two, where maybeLeaveGroup sends one.
    breaks: ['leave-after-release', 'classic-close'],
    explore: { members: 1, partitions: 1, budgets: { close: 1 }, maxDepth: 8, maxInFlight: 2 },
    consumer: {
      actions: {
        beginClose: enqueueActions<ConsumerContext, ConsumerEvent, undefined>(({ context, event, enqueue }) => {
          const started = { ...context, ...closeStart(context) };
          const leave = closeLeave(started, event.now);
          // Only the message: close() goes on as it would (its own LeaveGroup at the end, answered
          // UNKNOWN_MEMBER_ID), so the variant breaks the ordering and nothing else.
          enqueue.assign(leave ? { ...closeStart(context), nextCorr: leave.patch.nextCorr } : closeStart(context));
          if (leave) enqueue({ type: 'send', params: leave.msg } as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'rejoin-during-lost-callback',
    description:
      'A fenced consumer sends its rejoin heartbeat (epoch 0) at once, while onPartitionsLost still runs and it still holds its partitions (Kafka: transitionToJoining only after the callback completed).',
    protocols: ['consumer'],
    // The coordinator hands the partitions on while the fenced member still holds them, and the
    // answer to the early rejoin, arriving inside the callback, leaves the member unsettled.
    breaks: ['fenced-releases-first', 'exclusive-holding', 'single-owner', 'reaches-target', 'eventually-stable', 'kip848-callbacks'],
    explore: { members: 1, partitions: 1, slowAssignLost: true, maxDepth: 6, maxInFlight: 2 },
    // A short session timeout so that cut-off members are fenced within a short run; slow lost callbacks.
    settings: {
      timers: { ...defaultTimers, sessionTimeoutMs: 4000, heartbeatIntervalMs: 1000 },
      faults: { ...noFaults, loss: true, cut: true, crash: true, slowAssignLost: true },
    },
    consumer: {
      actions: {
        beginLoss: enqueueActions<MemberContext, MemberEvent, undefined>(({ context, enqueue }) => {
          enqueue.assign(lossStart(context));
          enqueue('sendHeartbeat' as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'disconnect-loses-membership',
    description:
      'A classic consumer that loses its coordinator (a request timeout, NOT_COORDINATOR) also forgets its generation and member id, and rejoins without its partitions.',
    // Forgetting the member id leaves the old one in the group (KIP-394): member-id-kept.
    breaks: ['no-lost-partitions', 'member-id-kept'],
    explore: { members: 1, partitions: 1, budgets: { drop: 1 }, maxDepth: 12, maxInFlight: 2 },
    consumer: {
      actions: {
        markCoordinatorUnknown: enqueueActions(({ enqueue }) => {
          enqueue(classicConsumerActions.markCoordinatorUnknown as never);
          enqueue('resetGenerationAndMemberId' as never);
          enqueue('requestRejoin' as never);
        }),
      },
    },
  }),
  defineVariant({
    name: 'seek-to-committed',
    description:
      'A cooperative consumer restarts every partition of a new assignment from the committed offset, also those it kept, reprocessing what it had not committed.',
    protocols: ['cooperative'],
    breaks: ['no-rewind'],
    explore: { members: 1, partitions: 1, budgets: { addPartition: 1, process: 1 }, maxDepth: 16, maxInFlight: 2 },
    consumer: {
      actions: {
        installAssignment: enqueueActions(({ enqueue }) => {
          enqueue(classicConsumerActions.installAssignment as never);
          enqueue.assign(({ event }: { event: unknown }) => {
            const r = (event as { msg: { assignment: string[]; committed: Record<string, number> } }).msg;
            return { positions: Object.fromEntries(r.assignment.map((p) => [p, r.committed[p] ?? 0])) };
          });
        }),
      },
    },
  }),
  defineVariant({
    name: 'commit-not-stored',
    description:
      'The classic coordinator answers every accepted OffsetCommit NONE without storing it: the client believes its records are committed, and the next owner processes them again.',
    breaks: ['commit-acknowledged', 'at-least-once'],
    explore: { members: 1, partitions: 1, budgets: { commit: 1, process: 1 }, maxDepth: 10, maxInFlight: 2 },
    coordinator: {
      actions: {
        storeCommit: enqueueActions(({ event, enqueue }) => {
          const { msg } = event as unknown as { msg: { corr: number; client: { client: string; inc: number } } };
          enqueue({ type: 'send', params: { kind: 'OffsetCommitResponse', error: 'NONE', corr: msg.corr, client: msg.client } } as never);
        }),
      },
    },
  }),
  defineVariant({
    name: 'no-commit-before-revoke',
    description:
      'An eager consumer with auto-commit revokes and rejoins without committing first (ConsumerCoordinator.onJoinPrepare commits and waits): the next owner reprocesses everything since the last periodic commit.',
    protocols: ['eager'],
    breaks: ['at-least-once'],
    explore: { members: 1, partitions: 1, budgets: { process: 1, addPartition: 1 }, maxDepth: 14, maxInFlight: 2 },
    consumer: { guards: { shouldCommitBeforeRevoke: () => false } },
  }),
  defineVariant({
    name: 'heartbeat-keeps-deadline',
    description:
      "The classic coordinator accepts heartbeats and commits without pushing the member's session expiry ahead: live members expire every session timeout and the group rebalances for nothing.",
    breaks: ['coordinator-deadlines'],
    explore: { members: 1, partitions: 1, maxDepth: 10, maxInFlight: 2 },
    coordinator: { actions: { touchSession: assign({}) } },
  }),
  defineVariant({
    name: 'stray-heartbeat-timeout',
    description:
      'The classic consumer forgets its heartbeat in flight on the answer but leaves its request timeout armed: the timeout fires later and marks a healthy coordinator unknown.',
    breaks: ['request-deadlines'],
    explore: { members: 1, partitions: 1, maxDepth: 10, maxInFlight: 2 },
    consumer: {
      actions: {
        clearInflightHeartbeat: assign(({ context }: { context: ConsumerContext }) => ({
          inflight: { ...context.inflight, heartbeat: undefined },
        })),
      },
    },
  }),
  defineVariant({
    name: 'sync-rebalance-resets-generation',
    description:
      'KAFKA-13891 (Kafka 3.3, reverted by KAFKA-14016): a SyncGroup answered REBALANCE_IN_PROGRESS resets the generation, so a cooperative member treats everything it owns as lost and gives it all up before rejoining, instead of keeping it through the next round.',
    protocols: ['cooperative'],
    breaks: ['no-lost-partitions'],
    explore: { members: 2, partitions: 1, maxDepth: 16, maxInFlight: 3 },
    consumer: {
      actions: {
        clearInflightJoinSync: enqueueActions(({ event, enqueue }) => {
          enqueue(classicConsumerActions.clearInflightJoinSync as never);
          const msg = (event as { msg?: { kind: string; error: string } }).msg;
          if (msg?.kind === 'SyncGroupResponse' && msg.error === 'REBALANCE_IN_PROGRESS') enqueue('resetGeneration' as never);
        }),
      },
    },
  }),
  defineVariant({
    name: 'commit-coordinator-error-ignored',
    description:
      'The classic consumer takes an OffsetCommit answered NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE as a plain failed commit and goes on with the broker that refused it, instead of marking the coordinator unknown and looking it up (ConsumerCoordinator.OffsetCommitResponseHandler): after a failover it keeps committing to the old broker until a heartbeat or a timeout finds out.',
    breaks: ['request-matching'],
    explore: { members: 1, partitions: 1, budgets: { failover: 1, commit: 1 }, maxDepth: 12, maxInFlight: 2 },
    consumer: { guards: { commitCoordinatorError: () => false } },
  }),
  defineVariant({
    name: 'join-timeout-kept',
    description:
      "The classic consumer takes the JoinGroup answer but leaves the JoinGroup's request timeout armed: a timer for a request no longer on the wire, which fires later in the round (a rejoin or a rediscovery for nothing wherever the state still handles it).",
    breaks: ['request-deadlines'],
    explore: { members: 1, partitions: 1, maxDepth: 5, maxInFlight: 2 },
    consumer: {
      actions: {
        adoptGeneration: assign(({ context, event }: { context: ConsumerContext; event: ConsumerEvent }) => {
          const r = (event as Extract<ConsumerEvent, { type: 'RESPONSE' }>).msg as {
            memberId: string;
            generation: number;
            protocolName: string | null;
            leaderId: string | null;
          };
          return {
            memberId: r.memberId,
            generation: r.generation,
            protocolName: r.protocolName,
            isLeader: r.leaderId === r.memberId,
            inflight: { ...context.inflight, join: undefined },
          };
        }),
      },
    },
  }),
  defineVariant({
    name: 'lost-partitions-kept',
    description:
      'A cooperative classic consumer whose generation was reset (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, a poll timeout) treats its onJoinPrepare like a normal one: it revokes only partitions of topics it no longer subscribes to and keeps the rest, instead of giving them all up as lost (KIP-429 onPartitionsLost), so it fetches partitions another member may own while it rejoins.',
    protocols: ['cooperative'],
    // Its harm shows too: the group hands the partitions on while the lost member still has them.
    breaks: ['lost-before-rejoin', 'revoke-before-assign'],
    explore: { members: 1, partitions: 1, budgets: { stall: 1 }, maxDepth: 14, maxInFlight: 2 },
    // max.poll.interval.ms below the heartbeat interval, so that a stall ends in a KIP-62 leave
    // (the reset that makes everything lost) within a few steps.
    settings: { timers: { ...defaultTimers, heartbeatIntervalMs: 1000, maxPollIntervalMs: 1500 } },
    consumer: {
      actions: {
        revokeLostOrUnsubscribed: assign(({ context }: { context: ConsumerContext }) => {
          const keep = context.owned.filter((p) => context.cfg.topics.includes(p.slice(0, p.lastIndexOf('-'))));
          return { owned: keep, positions: Object.fromEntries(keep.map((p) => [p, context.positions[p]])) };
        }),
      },
    },
  }),
  defineVariant({
    name: 'poll-timeout-no-leave',
    description:
      'The classic consumer whose max.poll.interval.ms expires resets its generation and member id but sends no LeaveGroup (KIP-62 says a dynamic member leaves the group): the coordinator keeps the member, and its partitions, until its session expires, and the group waits for it in the next join phase.',
    breaks: ['request-deadlines'],
    explore: { members: 1, partitions: 1, budgets: { stall: 1 }, maxDepth: 12, maxInFlight: 2 },
    // max.poll.interval.ms just above the heartbeat interval, so that a stall times out in a few steps.
    settings: { timers: { ...defaultTimers, heartbeatIntervalMs: 1000, maxPollIntervalMs: 1500 } },
    consumer: { actions: { leaveOnPollTimeout: () => {} } },
  }),
  defineVariant({
    name: 'classic-subscribe-ignored',
    description:
      'The classic consumer ignores subscribe() with other topics: it keeps consuming the topics it had, and the group never serves the new subscription.',
    breaks: ['application-calls'],
    explore: { members: 1, partitions: 1, topics: 2, budgets: { subscribe: 1 }, maxDepth: 2, maxInFlight: 2 },
    // Two topics, so that a consumer may subscribe to fewer or more of them.
    settings: { topics: { t0: 2, t1: 2 }, faults: { ...noFaults, subscribe: true, crash: true } },
    consumer: { actions: { changeSubscription: () => {} } },
  }),
  defineVariant({
    name: 'close-without-waiting',
    description:
      "The classic consumer's close() sends its LeaveGroup and returns at once, without waiting for the answer (Kafka: AbstractCoordinator.close waits in awaitPendingRequests for the answer or the close timeout): the process is gone while its leave may still be lost, and the coordinator then waits a session timeout for it.",
    protocols: ['eager', 'cooperative'],
    breaks: ['classic-close'],
    explore: { members: 1, partitions: 1, budgets: { close: 1 }, maxDepth: 8, maxInFlight: 2 },
    settings: { faults: { ...noFaults, leave: true } },
    consumer: { guards: { noLeaveInFlight: () => true } },
  }),
  defineVariant({
    name: 'lost-callback-skipped',
    description:
      'A classic consumer whose generation was reset (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, a poll timeout) gives up its partitions in onJoinPrepare without invoking onPartitionsLost, though the application handles it (here: a callback that takes time): the application never learns that it lost them.',
    protocols: ['eager', 'cooperative'],
    breaks: ['classic-callbacks'],
    explore: { members: 1, partitions: 1, slowAssignLost: true, budgets: {}, maxDepth: 12, maxInFlight: 2 },
    // max.poll.interval.ms just above the heartbeat interval, so that the poll timer runs out while
    // onPartitionsAssigned takes time: a KIP-62 leave, the reset that makes everything lost.
    settings: { timers: { ...defaultTimers, heartbeatIntervalMs: 1000, maxPollIntervalMs: 1500 } },
    consumer: { guards: { slowLoss: () => false } },
  }),
];

// Alternative designs: correct protocols that decide differently. They declare no broken
// invariant (the catalogue test checks that none breaks); `compare` measures what they cost.
const lastOf = (ids: string[]) => ids[ids.length - 1] ?? null;

export const alternatives: Variant[] = [
  defineVariant({
    name: 'forgetful-cooperative-sticky',
    description:
      'cooperative-sticky that ignores the partitions members own (as if every member were new): not sticky, so a rebalance moves partitions needlessly, and without the owned partitions it cannot hold moving ones back for a second round.',
    protocols: ['cooperative'],
    // The quantity cooperative-moves-no-more (src/compare/quantities.ts) fails with it too.
    breaks: ['cooperative-no-direct-transfer', 'revoke-before-assign', 'sticky-assignment'],
    explore: { members: 2, partitions: 2, maxDepth: 18, maxInFlight: 2 },
    assignors: {
      'cooperative-sticky': {
        ...cooperativeSticky,
        sticky: false,
        assign: (input) =>
          cooperativeSticky.assign({
            ...input,
            subscriptions: Object.fromEntries(
              Object.entries(input.subscriptions).map(([id, s]) => [id, { ...s, ownedPartitions: [], generationId: -1 }]),
            ),
          }),
      },
    },
  }),
  defineVariant({
    name: 'no-initial-delay',
    description:
      'group.initial.rebalance.delay.ms = 0: the first rebalance of an empty group completes at once, so members arriving just after it cause another one.',
    settings: { timers: { ...defaultTimers, initialRebalanceDelayMs: 0 } },
  }),
  defineVariant({
    name: 'last-joiner-leader',
    description:
      'The coordinator makes the newest member the leader as soon as it joins (Kafka: the first joiner keeps it). Broken: the leader changes while the old generation, with its old leader, is still current.',
    breaks: ['leader-is-member'],
    explore: { members: 2, partitions: 1, protocol: 'eager', maxDepth: 8, maxInFlight: 2 },
    coordinator: {
      actions: {
        chooseFirstJoinerAsLeader: assign(({ context }: { context: CoordinatorContext }) => ({
          leaderId: lastOf(Object.keys(context.members)),
        })),
        rechooseLeader: assign(({ context }: { context: CoordinatorContext }) =>
          context.leaderId !== null && context.members[context.leaderId] ? {} : { leaderId: lastOf(Object.keys(context.members)) },
        ),
        electRejoinedLeader: assign(({ context }: { context: CoordinatorContext }) => {
          const leader = context.leaderId === null ? undefined : context.members[context.leaderId];
          if (leader && leader.joinCorr !== null) return {};
          return {
            leaderId: lastOf(
              Object.values(context.members)
                .filter((m) => m.joinCorr !== null)
                .map((m) => m.memberId),
            ),
          };
        }),
      } as never,
    },
  }),
  defineVariant({
    name: 'newest-leader-at-completion',
    description:
      'At every join completion the most recently joined of the rejoined members becomes leader (Kafka keeps the leader if it rejoined).',
    coordinator: {
      actions: {
        electRejoinedLeader: assign(({ context }: { context: CoordinatorContext }) => {
          const rejoined = Object.values(context.members)
            .filter((m) => m.joinCorr !== null)
            .map((m) => m.memberId);
          return { leaderId: lastOf(rejoined) ?? context.leaderId };
        }),
      } as never,
    },
  }),
  defineVariant({
    name: 'short-session-timeout',
    description:
      'session.timeout.ms = 4 s, heartbeat.interval.ms = 1 s: crashed members are found sooner, but a link cut for longer than 4 s costs a rebalance.',
    settings: { timers: { ...defaultTimers, sessionTimeoutMs: 4_000, heartbeatIntervalMs: 1_000 } },
  }),
  defineVariant({
    name: 'long-session-timeout',
    description: 'session.timeout.ms = 30 s: network flaps cost nothing, but a crashed member keeps its partitions unprocessed for 30 s.',
    settings: { timers: { ...defaultTimers, sessionTimeoutMs: 30_000 } },
  }),
];
catalogue.push(...alternatives);

/** Broken designs of the KIP-848 consumer protocol (coordinator and member). */
const consumerVariants: Variant[] = [
  defineVariant({
    name: 'install-unresolved',
    description:
      'A member reconciles its whole target at once, also partitions of a topic its metadata does not name yet (Kafka: only the resolvable part is reconciled; the rest waits for the metadata).',
    protocols: ['consumer'],
    breaks: ['installs-resolved'],
    explore: { members: 1, partitions: 1, topics: 2, budgets: { subscribe: 2 }, maxDepth: 4, maxInFlight: 2 },
    settings: { topics: { t0: 1, t1: 1 }, faults: { ...noFaults, subscribe: true } },
    consumer: {
      guards: {
        hasNewTarget: ({ context }: { context: MemberContext }) =>
          context.target !== null &&
          !(context.target.length === context.owned.length && context.target.every((p) => context.owned.includes(p))),
      },
      actions: {
        beginReconciliation: enqueueActions<MemberContext, MemberEvent, undefined>(({ context, enqueue }) => {
          const assignment = context.target ?? context.owned;
          enqueue.assign({ reconciling: { assignment, revoked: context.owned.filter((p) => !assignment.includes(p)) }, target: null });
          if (context.cfg.autoCommit && context.owned.length > 0 && !context.inflight.commit && context.coordinator !== null)
            enqueue(memberActions.sendCommit as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'unresolved-dropped',
    description:
      'A member reconciles the resolvable part of its target and forgets the rest, so partitions of a topic whose metadata arrives late are never installed (Kafka: they stay pending and a metadata update triggers their reconciliation).',
    protocols: ['consumer'],
    breaks: ['reaches-target', 'eventually-stable'],
    explore: { members: 1, partitions: 1, topics: 2, budgets: { subscribe: 2 }, maxDepth: 6, maxInFlight: 2, liveness: true },
    settings: { topics: { t0: 1, t1: 1 }, faults: { ...noFaults, subscribe: true } },
    consumer: {
      actions: {
        beginReconciliation: enqueueActions<MemberContext, MemberEvent, undefined>(({ enqueue }) => {
          enqueue(memberActions.beginReconciliation as never);
          enqueue.assign({ target: null });
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'server-assignor-error-swallowed',
    description:
      'When the server assignor throws, the coordinator keeps the heartbeat’s member record and epoch bump, leaves the target as it was and answers as usual (Kafka: UnknownServerException, none of the records written, UNKNOWN_SERVER_ERROR, fatal for the client).',
    protocols: ['consumer'],
    // A joining member answered with the old target's epoch (0) heartbeats on as if in the group.
    breaks: ['assignor-failure-no-effect', 'left-holds-nothing', 'release-acknowledged'],
    explore: { members: 1, partitions: 1, budgets: { assignorFails: 1 }, maxDepth: 2, maxInFlight: 2 },
    settings: { faults: { ...noFaults, assignorFailure: true } },
    coordinator: {
      guards: { assignorThrows: () => false },
      actions: {
        computeTargetIfNeeded: enqueueActions<GroupContext, GroupEvent, undefined>(({ event, enqueue }) => {
          if (!(event as { assignorFails?: boolean }).assignorFails) enqueue(groupCoordinatorActions.computeTargetIfNeeded as never);
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'premature-grant',
    description: 'The coordinator hands out a target partition while another member still holds it (no UNRELEASED_PARTITIONS wait).',
    protocols: ['consumer'],
    breaks: ['exclusive-holding', 'single-owner', 'owner-bookkeeping', 'offset-handover'],
    explore: { members: 1, partitions: 1, budgets: { crash: 1, start: 1 }, maxDepth: 4, maxInFlight: 2 },
    coordinator: { actions: { reconcileMember: assign(reconcilePatch({ ...kafkaRules, waitForRelease: false })) } },
  }),
  defineVariant({
    name: 'advance-before-ack',
    description:
      'The coordinator moves a member to the new epoch and frees its revoked partitions without waiting for the acknowledgement.',
    protocols: ['consumer'],
    // offset-handover too, but only with a fast onPartitionsAssigned: with check's slow callbacks the
    // new owner's offsets are fetched once the callback returns, after the old owner's commit, and
    // 20,000 runs no longer find it.
    breaks: ['release-acknowledged', 'exclusive-holding', 'single-owner'],
    explore: { members: 2, partitions: 1, maxDepth: 5, maxInFlight: 3 },
    coordinator: { actions: { reconcileMember: assign(reconcilePatch({ ...kafkaRules, waitForRevocation: false })) } },
  }),
  defineVariant({
    name: 'unreleased-never-retried',
    description: 'A member waiting for unreleased partitions is never reconciled again, so it never gets them.',
    protocols: ['consumer'],
    breaks: ['reaches-target', 'eventually-stable'],
    explore: { members: 2, partitions: 2, maxDepth: 0, maxInFlight: 2, liveness: true },
    coordinator: { actions: { reconcileMember: assign(reconcilePatch({ ...kafkaRules, retryUnreleased: false })) } },
  }),
  defineVariant({
    name: 'epoch-from-target',
    description: 'The coordinator bumps the group epoch from the target assignment epoch, not from the group epoch.',
    protocols: ['consumer'],
    breaks: ['epochs-grow'],
    explore: { members: 2, partitions: 1, budgets: { crash: 1 }, maxDepth: 10, maxInFlight: 2 },
    coordinator: {
      actions: {
        bumpGroupEpochIfNeeded: assign(bumpPatch((ctx) => ctx.targetEpoch + 1)),
      },
    },
  }),
  defineVariant({
    name: 'leave-keeps-bookkeeping',
    description: 'A member leaving with epoch -1 is removed, but its partitions stay recorded as held.',
    protocols: ['consumer'],
    breaks: ['owner-bookkeeping', 'reaches-target', 'eventually-stable'],
    explore: { members: 1, partitions: 1, budgets: { close: 1 }, maxDepth: 7, maxInFlight: 2 },
    coordinator: {
      actions: {
        fenceLeavingMember: enqueueActions(
          ({
            context,
            event,
            enqueue,
          }: {
            context: GroupContext;
            event: GroupEvent;
            enqueue: { assign(p: Partial<GroupContext>): void; (a: { type: 'send'; params: ConsumerResponse }): void };
          }) => {
            const msg = (event as { msg: ConsumerGroupHeartbeatRequest }).msg;
            const m = leaver(context, msg) as ConsumerGroupMember;
            enqueue.assign({
              ...removeMember(context, m.memberId, (event as { topics?: GroupContext['subscriptionMetadata'] }).topics),
              partitionEpochs: context.partitionEpochs,
            });
            enqueue({
              type: 'send',
              params: replyTo(msg, {
                kind: 'ConsumerGroupHeartbeatResponse',
                error: 'NONE',
                memberId: m.memberId,
                memberEpoch: -1,
                heartbeatIntervalMs: 0,
                assignment: null,
                committed: {},
              }),
            });
          },
        ) as never,
      },
    },
  }),
  defineVariant({
    name: 'fenced-keeps-partitions',
    description: 'A fenced consumer rejoins with epoch 0 but keeps fetching the partitions it owned.',
    protocols: ['consumer'],
    breaks: [
      'fenced-releases-first',
      'exclusive-holding',
      'single-owner',
      'offset-handover',
      'no-rewind',
      'reaches-target',
      'eventually-stable',
    ],
    explore: { members: 1, partitions: 1, maxDepth: 5, maxInFlight: 2 },
    // A short session timeout so that cut-off members are fenced within a short run.
    settings: { timers: { ...defaultTimers, sessionTimeoutMs: 4000, heartbeatIntervalMs: 1000 } },
    consumer: {
      actions: {
        fence: assign(({ context }: { context: MemberContext }) => {
          const { heartbeat: _hb, ...timers } = context.timers;
          const { 'req:heartbeat': _req, ...rest } = timers;
          return {
            memberEpoch: 0,
            target: null,
            reconciling: null,
            sendFull: true,
            ackPending: false,
            inflight: { ...context.inflight, heartbeat: undefined },
            timers: rest,
          };
        }),
      },
    },
  }),
  defineVariant({
    name: 'stale-response-applied',
    description: 'A consumer applies any successful heartbeat response, also one to a heartbeat it abandoned after a timeout.',
    protocols: ['consumer'],
    breaks: [
      'stale-requests-no-effect',
      'single-owner',
      'exclusive-holding',
      'epochs-grow',
      'offset-handover',
      'reaches-target',
      'eventually-stable',
      // Applying abandoned responses also slows settling past the timers' bound.
      'bounded-rebalance',
      // ... and can leave a member that revoked waiting for the next interval to say so.
      'heartbeat-cadence',
      // ... and takes an epoch back while the member is inside onPartitionsLost.
      'kip848-callbacks',
    ],
    explore: { members: 1, partitions: 1, maxDepth: 3, maxInFlight: 2 },
    consumer: {
      guards: {
        heartbeatOk: ({ event }: { event: MemberEvent }) =>
          event.type === 'RESPONSE' && event.msg.kind === 'ConsumerGroupHeartbeatResponse' && event.msg.error === 'NONE',
      } as never,
    },
  }),
  defineVariant({
    name: 'static-rejoin-bumps',
    description:
      'A static member replacing its parked (-2) record is treated as a new member: the group epoch goes up and everything is reassigned.',
    protocols: ['consumer'],
    breaks: ['static-rejoin-no-bump', 'no-needless-rebalance'],
    explore: { members: 1, partitions: 1, budgets: { close: 1, start: 1 }, maxDepth: 10, maxInFlight: 2 },
    settings: { static: true },
    coordinator: {
      actions: {
        admitMember: assign((args: { context: GroupContext; event: GroupEvent }) => {
          const patch = admitPatch(args);
          const a = admission(args.context, (args.event as { msg: ConsumerGroupHeartbeatRequest }).msg);
          return typeof a !== 'string' && a.kind === 'replace'
            ? { ...patch, round: { ...patch.round!, subscriptionChanged: true } }
            : patch;
        }),
      },
    },
  }),
  defineVariant({
    name: 'full-heartbeat-bumps',
    description:
      'The coordinator takes every full heartbeat (sent after a timeout or a coordinator error) for a subscription change and bumps the group epoch, although the topics are the ones it holds.',
    protocols: ['consumer'],
    breaks: ['no-needless-rebalance'],
    explore: { members: 1, partitions: 1, budgets: { drop: 1 }, maxDepth: 8, maxInFlight: 2 },
    coordinator: {
      actions: {
        admitMember: assign((args: { context: GroupContext; event: GroupEvent }) => {
          const patch = admitPatch(args);
          const full = (args.event as { msg: ConsumerGroupHeartbeatRequest }).msg.topics !== null;
          return full ? { ...patch, round: { ...patch.round!, subscriptionChanged: true } } : patch;
        }),
      },
    },
  }),
  defineVariant({
    name: 'leave-ignored',
    description:
      'The coordinator ignores a LeaveGroup: the member stays, and its partitions with a consumer that is gone, until its session expires.',
    breaks: ['no-starving-member', 'classic-group-answers'],
    explore: { members: 2, partitions: 2, budgets: { close: 1 }, maxDepth: 8, maxInFlight: 2 },
    coordinator: { actions: { removeLeavingMember: assign({}) } },
  }),
  defineVariant({
    name: 'join-waits-for-timeout',
    description:
      'The coordinator never completes a join phase early: every phase waits out the rebalance timeout, although every member has rejoined (as members pending since a lost JoinGroup answer did in KAFKA-9752).',
    protocols: ['cooperative'],
    breaks: ['bounded-rebalance'],
    explore: { members: 2, partitions: 2, budgets: { drop: 1, crash: 1 }, maxDepth: 12, maxInFlight: 2, liveness: true },
    coordinator: { guards: { allMembersRejoined: () => false } },
  }),
  defineVariant({
    name: 'rack-blind-range',
    description:
      "The range assignor ignores the partitions' replica racks (KIP-881 left out): plain ranges, so members can end up fetching across racks where a swap would put both on their own rack.",
    protocols: ['eager'],
    breaks: ['rack-aligned'],
    explore: { members: 2, partitions: 2, racks: 2, protocol: 'eager', assignor: 'range', maxDepth: 10, maxInFlight: 2 },
    settings: { racks: 2 },
    assignors: { range: { ...range, assign: (input) => range.assign({ ...input, partitionRacks: undefined }) } },
  }),
  defineVariant({
    name: 'uniform-forgets-previous',
    description:
      'The uniform server assignor computes every target from scratch, ignoring the previous one: balanced, but a membership change moves partitions between members that stay.',
    protocols: ['consumer'],
    breaks: ['sticky-assignment'],
    // A restart: the new member id sorts after the one that stays, which from scratch then takes the
    // other partition (since KAFKA-18688 an added partition alone goes to the last member, where it
    // would have gone anyway).
    explore: {
      members: 2,
      partitions: 2,
      assignor: 'uniform',
      budgets: { addPartition: 1, crash: 1, start: 1 },
      maxDepth: 10,
      maxInFlight: 2,
    },
    serverAssignors: { uniform: { ...uniform, assign: (input) => uniform.assign({ ...input, previous: {} }) } },
  }),
  defineVariant({
    // Only the idle campaigns (more members than partitions) see it: every other default
    // campaign has at least as many partitions as members.
    name: 'uniform-idle-empty',
    description: 'With more members than partitions, the uniform server assignor hands out nothing.',
    protocols: ['consumer'],
    breaks: ['stable-coverage'],
    explore: { members: 2, partitions: 1, assignor: 'uniform', maxDepth: 10, maxInFlight: 2 },
    serverAssignors: {
      uniform: {
        ...uniform,
        assign: (input) => {
          const out = uniform.assign(input);
          const partitions = Object.values(input.topics).reduce((n, count) => n + count, 0);
          if (Object.keys(input.members).length <= partitions) return out;
          return Object.fromEntries(Object.keys(out).map((m) => [m, []]));
        },
      },
    },
  }),
  defineVariant({
    name: 'lopsided-uniform',
    description: 'The uniform server assignor moves one partition from the last member to the first.',
    protocols: ['consumer'],
    // Moving a partition off the last member also takes it below the quota it may keep.
    breaks: ['balanced-when-stable', 'sticky-assignment'],
    explore: { members: 2, partitions: 4, assignor: 'uniform', maxDepth: 13, maxInFlight: 2 },
    serverAssignors: {
      uniform: {
        ...uniform,
        assign: (input) => {
          const out = uniform.assign(input);
          const ids = Object.keys(out).sort();
          const last = out[ids[ids.length - 1]];
          if (ids.length > 1 && last.length > 1) out[ids[0]].push(last.pop()!);
          return out;
        },
      },
    },
  }),
];

/**
 * Broken designs for the KIP-848 bookkeeping, request and timing oracles (issue 13, part 2:
 * coordinator-records, request-bookkeeping, heartbeat-cadence, left-holds-nothing,
 * commit-member-epoch; docs/oracles.md).
 */
const kip848OracleVariants: Variant[] = [
  defineVariant({
    name: 'expiry-keeps-target',
    description:
      'A member whose session expires is removed, but its target assignment is not tombstoned: the record of a member that is gone stays until the next recompute.',
    protocols: ['consumer'],
    breaks: ['coordinator-records'],
    explore: { members: 1, partitions: 1, budgets: { crash: 1 }, maxDepth: 4, maxInFlight: 2 },
    coordinator: {
      actions: {
        expireSession: assign(({ context, event }: { context: GroupContext; event: GroupEvent }) => {
          const name = (event as { name: string }).name;
          const { [name]: _fired, ...timers } = context.timers;
          const removed = removeMember(
            { ...context, timers },
            name.slice(name.indexOf(':') + 1),
            (event as { topics?: GroupContext['subscriptionMetadata'] }).topics,
          );
          return { timers, ...removed, target: context.target };
        }),
      },
    },
  }),
  defineVariant({
    name: 'commit-timeout-kept',
    description:
      'A consumer forgets an answered OffsetCommit but not its request timeout: the timeout fires later, and the consumer drops its coordinator and looks it up again.',
    protocols: ['consumer'],
    breaks: ['request-bookkeeping'],
    explore: { members: 1, partitions: 1, budgets: { commit: 1 }, maxDepth: 6, maxInFlight: 2 },
    consumer: {
      actions: {
        clearInflightCommit: assign(({ context }: { context: MemberContext }) => ({
          inflight: { ...context.inflight, commit: undefined },
        })),
      },
    },
  }),
  defineVariant({
    name: 'ack-waits-for-interval',
    description:
      'A consumer that has finished revoking does not acknowledge at once: the new owned set goes out with the next regular heartbeat, and the partitions it released wait for it.',
    protocols: ['consumer'],
    // A reconciliation waiting for metadata (a topic new to the subscription) ends in a second
    // acknowledgement, which also waits: the group can take longer to settle than the timers allow.
    breaks: ['heartbeat-cadence', 'bounded-rebalance'],
    explore: { members: 2, partitions: 2, maxDepth: 12, maxInFlight: 3 },
    consumer: { actions: { acknowledge: assign({}) } },
  }),
  defineVariant({
    name: 'stale-without-leave',
    description:
      'A consumer whose poll timer expires (max.poll.interval.ms) drops its assignment and goes stale without sending the leave heartbeat: the coordinator keeps it, and its partitions, until its session expires.',
    protocols: ['consumer'],
    breaks: ['left-holds-nothing'],
    explore: { members: 1, partitions: 1, budgets: { stall: 1 }, maxDepth: 6, maxInFlight: 2 },
    // A poll timeout shorter than the heartbeat interval, so that a short path reaches it.
    settings: { timers: { ...defaultTimers, maxPollIntervalMs: 2_000, heartbeatIntervalMs: 3_000 } },
    consumer: {
      actions: {
        sendLeave: assign(({ context }: { context: MemberContext }) => {
          const { heartbeat: _h, 'req:heartbeat': _r, 'req:commit': _c, retry: _b, poll: _p, ...timers } = context.timers;
          return {
            owned: [],
            positions: {},
            target: null,
            reconciling: null,
            committed: {},
            memberEpoch: 0,
            sendFull: true,
            ackPending: false,
            inflight: {},
            timers,
          };
        }),
      },
    },
  }),
  defineVariant({
    name: 'stall-never-leaves',
    description:
      'A consumer whose application stops polling never leaves the group: no poll timeout (max.poll.interval.ms) is armed, and the partitions stay with a consumer that processes nothing.',
    protocols: ['consumer'],
    breaks: ['heartbeat-cadence'],
    explore: { members: 1, partitions: 1, budgets: { stall: 1 }, maxDepth: 3, maxInFlight: 2 },
    consumer: { actions: { stall: assign({ stalled: true }) } },
  }),
  defineVariant({
    name: 'revoke-before-commit',
    description:
      'A consumer with auto-commit revokes at once instead of waiting for the commit it sent before the revocation: the next owner may start before the consumed offsets are stored.',
    protocols: ['consumer'],
    breaks: ['commit-before-revoke', 'kip848-close'],
    explore: { members: 2, partitions: 2, maxDepth: 10, maxInFlight: 3 },
    consumer: { guards: { noCommitInFlight: () => true } },
  }),
  defineVariant({
    name: 'commit-stale-positions',
    description:
      'A consumer commits the offsets it was assigned from (its cache of committed offsets), not the positions it has consumed up to: every handover reprocesses what it consumed.',
    protocols: ['consumer'],
    breaks: ['application-calls', 'kip848-close'],
    explore: { members: 1, partitions: 1, budgets: { process: 1, commit: 1 }, maxDepth: 6, maxInFlight: 2 },
    consumer: {
      actions: {
        sendCommit: enqueueActions(
          ({
            context,
            event,
            enqueue,
          }: {
            context: MemberContext;
            event: MemberEvent;
            enqueue: { assign(p: Partial<MemberContext>): void; (a: { type: 'send'; params: unknown }): void };
          }) => {
            // The classic consumer has an action of the same name: it keeps its own.
            if (context.cfg.protocol !== 'consumer') {
              enqueue(builtins.classicConsumer.actions.sendCommit as never);
              return;
            }
            const msg = {
              kind: 'OffsetCommit',
              corr: context.nextCorr,
              client: { client: context.cfg.client, inc: context.cfg.inc },
              epoch: context.coordinator ?? -1,
              memberId: context.memberId,
              instanceId: context.cfg.instanceId,
              memberEpoch: context.memberEpoch,
              offsets: Object.fromEntries(context.owned.map((p) => [p, context.committed[p] ?? 0])),
            };
            enqueue.assign({
              nextCorr: context.nextCorr + 1,
              inflight: { ...context.inflight, commit: { corr: msg.corr, memberEpoch: context.memberEpoch } },
              timers: { ...context.timers, 'req:commit': (event as { now: number }).now + context.cfg.settings.requestTimeoutMs },
            });
            enqueue({ type: 'send', params: msg });
          },
        ) as never,
      },
    },
  }),
  defineVariant({
    name: 'ack-lost-not-resent',
    description:
      'KAFKA-17170: when the heartbeat carrying an acknowledgement fails (lost, timed out, NOT_COORDINATOR), the consumer does not reset what it last sent: the next heartbeat leaves out the owned partitions it believes the coordinator has, and the coordinator goes on waiting for the revocation.',
    protocols: ['consumer'],
    // The coordinator waits for the acknowledgement until the rebalance timeout fences the member:
    // settling takes longer than bounded-rebalance allows, in some runs longer than
    // eventually-stable's bound, with the member short of its target at the end.
    breaks: ['heartbeat-cadence', 'bounded-rebalance', 'reaches-target', 'eventually-stable', 'kip848-requests'],
    // One member revoking the topic it stops subscribing to; without auto-commit the revocation
    // is at once, so the lost acknowledgement comes within reach of the explorer.
    explore: { members: 1, partitions: 1, topics: 2, budgets: { subscribe: 1, drop: 1 }, maxDepth: 13, maxInFlight: 2 },
    settings: { autoCommit: false },
    consumer: {
      actions: {
        // HeartbeatState.reset after a failed heartbeat dropped (the model's markCoordinatorUnknown
        // leaves SentFields alone, as Kafka's does).
        requireFullHeartbeat: assign({}),
      },
    },
  }),
  defineVariant({
    name: 'commit-any-epoch',
    description:
      'The KIP-848 coordinator stores every offset commit, whatever member epoch it carries: a commit sent before the member heard of its new epoch, or from a member that is gone, moves the offsets.',
    protocols: ['consumer'],
    breaks: ['commit-member-epoch'],
    explore: { members: 1, partitions: 1, budgets: { commit: 1 }, maxDepth: 12, maxInFlight: 3 },
    coordinator: { guards: { commitAccepted: () => true } },
  }),
  defineVariant({
    name: 'static-leave-removes',
    description:
      'The KIP-848 coordinator takes a static member’s temporary leave (epoch -2) for a final one (-1): the member is removed and the group rebalances, where Kafka parks it (consumerGroupStaticMemberGroupLeave) until it restarts or its session ends.',
    protocols: ['consumer'],
    // Removing the parked record also sends its restart through a rebalance.
    breaks: ['static-leave-parks'],
    explore: { members: 1, partitions: 1, static: true, budgets: { close: 1 }, maxDepth: 8, maxInFlight: 2 },
    settings: { static: true },
    coordinator: {
      guards: { isLeave: ({ event }: { event: { msg: ConsumerGroupHeartbeatRequest } }) => event.msg.memberEpoch < 0 } as never,
    },
  }),
  defineVariant({
    name: 'classic-join-refused',
    description:
      'In a migration, the consumer group answers every classic JoinGroup INCONSISTENT_GROUP_PROTOCOL, even one naming the protocol its classic members share (ConsumerGroup.supportsClassicProtocols): the downgraded consumers stop for good.',
    protocols: ['cooperative'],
    breaks: ['no-starving-member', 'mixed-group-answers'],
    settings: { migration: 'downgrade', migrationPolicy: 'bidirectional' },
    explore: { members: 1, partitions: 1, maxDepth: 8, maxInFlight: 2 },
    coordinator: { guards: { classicProtocolUnsupported: () => true } },
  }),
  defineVariant({
    name: 'stable-before-join-answer',
    description:
      'The KIP-848 member calls itself STABLE as soon as its join heartbeat is out, at member epoch 0, before the coordinator answered (Kafka: JOINING until onHeartbeatSuccess brings an epoch and an assignment equal to the current one).',
    protocols: ['consumer'],
    breaks: ['member-state', 'kip848-callbacks'],
    explore: { members: 1, partitions: 1, maxDepth: 2, maxInFlight: 1 },
    consumer: { guards: { joined: () => true } },
  }),
  defineVariant({
    name: 'leave-ends-on-any-answer',
    description:
      'close() on a KIP-848 member ends at the first answer of any kind while it waits for its leave heartbeat (an offset commit answer ends it too), not when the leave heartbeat is answered or times out.',
    protocols: ['consumer'],
    breaks: ['member-state'],
    explore: { members: 1, partitions: 1, budgets: { close: 1, commit: 1 }, maxDepth: 12, maxInFlight: 3 },
    consumer: { guards: { answersHeartbeat: ({ event }: { event: MemberEvent }) => event.type === 'RESPONSE' } as never },
  }),
  defineVariant({
    name: 'close-skips-revoke-callback',
    description:
      "close() on a KIP-848 member releases its partitions and leaves without invoking onPartitionsRevoked (Kafka: leaveGroup's PREPARE_LEAVING runs it for what is assigned, invokeOnPartitionsRevokedOrLostToReleaseAssignment): an application that commits or flushes state in the callback loses that work on every shutdown.",
    protocols: ['consumer'],
    breaks: ['kip848-close'],
    explore: { members: 1, partitions: 1, slowCallbacks: true, budgets: { close: 1 }, maxDepth: 8, maxInFlight: 2 },
    settings: { faults: { ...noFaults, leave: true, slowCallbacks: true } },
    consumer: { guards: { slowRelease: () => false } },
  }),
  defineVariant({
    name: 'revoke-callback-skipped',
    description:
      'A KIP-848 member gives up the partitions a new assignment revokes without invoking onPartitionsRevoked (Kafka: revokeAndAssign runs it for a non-empty revoked set before the assignment changes): the application never learns that it must stop and commit.',
    protocols: ['consumer'],
    breaks: ['kip848-callbacks'],
    explore: { members: 2, partitions: 1, slowCallbacks: true, budgets: {}, maxDepth: 10, maxInFlight: 2 },
    settings: { faults: { ...noFaults, leave: true, slowCallbacks: true } },
    consumer: { guards: { revokesWithSlowCallback: () => false } },
  }),
  defineVariant({
    name: 'commit-error-resets-heartbeat',
    description:
      "A KIP-848 consumer whose offset commit fails with a coordinator error (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, or no answer) also resets its heartbeat's SentFields, as this project's model did until 4 December 2026 (Kafka: CommitRequestManager marks the coordinator unknown and leaves HeartbeatState alone; only a failed heartbeat resets it): the next heartbeat repeats every field, and asks the coordinator for the whole assignment, for nothing.",
    protocols: ['consumer'],
    breaks: ['kip848-requests'],
    explore: { members: 1, partitions: 1, budgets: { failover: 1, commit: 1 }, maxDepth: 12, maxInFlight: 2 },
    consumer: {
      actions: {
        clearInflightCommit: assign(({ context, event }: { context: MemberContext; event: MemberEvent }) => {
          const { 'req:commit': _timedOut, ...timers } = context.timers;
          const failed =
            event.type === 'TIMER' ||
            (event.type === 'RESPONSE' && ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE'].includes(event.msg.error));
          return { inflight: { ...context.inflight, commit: undefined }, timers, ...(failed && { sendFull: true }) };
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'poll-recheck-spins',
    description:
      'A KIP-848 consumer whose poll timer expires while its coordinator is unknown re-checks it at once instead of on a later poll of the heartbeat manager (Kafka skips the check until FindCoordinator is answered): the timer stays due at the instant it fired and fires again and again, so virtual time stops for the whole group (no request times out, no session expires) until the coordinator is found.',
    protocols: ['consumer'],
    breaks: ['heartbeat-cadence'],
    explore: { members: 1, partitions: 1, budgets: { stall: 1, cut: 1 }, maxDepth: 10, maxInFlight: 2 },
    settings: { timers: { maxPollIntervalMs: 2_000, requestTimeoutMs: 1_000 } },
    consumer: {
      actions: {
        recheckPollLater: assign(({ context, event }: { context: MemberContext; event: MemberEvent }) => ({
          timers: { ...context.timers, poll: (event as { now: number }).now },
        })) as never,
      },
    },
  }),
  defineVariant({
    name: 'commit-before-lookup',
    description:
      'A KIP-848 consumer sends its offset commit while it is still looking its coordinator up, to no known broker (Kafka: CommitRequestManager.poll sends nothing until FindCoordinator is answered): the commit goes nowhere or to a broker that no longer coordinates the group.',
    protocols: ['consumer'],
    breaks: ['kip848-requests'],
    explore: { members: 1, partitions: 1, budgets: { failover: 1, commit: 1 }, maxDepth: 12, maxInFlight: 2 },
    consumer: {
      guards: {
        canCommitInGroup: ({ context }: { context: MemberContext }) =>
          context.owned.length > 0 && context.inflight.commit === undefined && !context.stalled && context.memberEpoch > 0,
      } as never,
    },
  }),
];

catalogue.push(
  ...consumerVariants,
  ...kip848OracleVariants,
  ...migrationVariants,
  ...classicCoordinatorVariants,
  ...regexVariants,
  ...retentionVariants,
  ...removalVariants,
);

export function findVariant(name: string): Variant | undefined {
  return catalogue.find((v) => v.name === name);
}
