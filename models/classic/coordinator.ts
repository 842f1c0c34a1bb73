import { expireUnsubscribed } from '../offset-expiry.ts';
import { omit } from '../records.ts';
import { and, assign, enqueueActions, setup } from 'xstate';
import { errorReply, type ConsumerResponse } from '../consumer-protocol/messages.ts';
import { isUpgradeEnabled } from '../consumer-protocol/migration-policy.ts';
import type { ClassicResponse } from './messages.ts';
import { fromConsumerGroup } from './from-consumer.ts';
import {
  type CoordinatorContext,
  type CoordinatorEvent,
  type CoordinatorInput,
  type GroupMember,
  type RequestEvent,
  candidateProtocols,
  errorFor,
  groupRebalanceTimeout,
  initialCoordinatorContext,
  joinError,
  keptAliveByParkedRequest,
  reply,
  sameMetadata,
  selectProtocol,
  withoutTimer,
  dynamicMemberId,
} from './coordinator-state.ts';

// The classic group coordinator (GroupCoordinator.scala / GroupMetadataManager.java),
// one group. States are Kafka's group states; every rule that embodies a protocol
// decision is a named guard or action so a variant can replace it with `provide`.
// Responses leave the machine as `send` actions; the world routes them.

type Ctx = CoordinatorContext;
/** The slice of enqueueActions' `enqueue` the shared helpers use. */
interface Enqueue {
  (action: { type: 'send'; params: ClassicResponse }): void;
  assign(patch: Partial<Ctx>): void;
}
type Ev = CoordinatorEvent;
const req = (e: Ev) => e as RequestEvent;
const member = (ctx: Ctx, e: Ev): GroupMember | undefined => ctx.members[req(e).msg.memberId];
const timerName = (e: Ev) => (e as Extract<Ev, { type: 'TIMER' }>).name;
const timerMember = (e: Ev) => timerName(e).slice(timerName(e).indexOf(':') + 1);

/** Removes members (LeaveGroup, session expiry, missed join or sync): Kafka's removeMemberAndUpdateGroup. */
function removeMembers(ctx: Ctx, ids: string[], send: (r: ClassicResponse) => void): Partial<Ctx> {
  const members = omit(ctx.members, ids);
  let timers = ctx.timers;
  for (const [i, id] of ids.entries()) {
    const m = ctx.members[id];
    // Each member once, even if named twice.
    if (!m || ids.indexOf(id) !== i) continue;
    // A parked JoinGroup of a removed member is answered UNKNOWN_MEMBER_ID with MemberId="".
    if (m.joinCorr !== null) send(reply({ corr: m.joinCorr, client: m.client }, joinError('UNKNOWN_MEMBER_ID')));
    timers = withoutTimer(timers, `session:${id}`);
  }
  return { members, timers, pendingSync: ctx.pendingSync.filter((id) => !ids.includes(id)) };
}

export const coordinatorSetup = setup({
  types: {} as { context: Ctx; events: Ev; input: CoordinatorInput },
  actions: {
    /** Outgoing response; executed by the world, never by the machine. */
    send: (_: unknown, _response: ClassicResponse | ConsumerResponse) => {},

    // ---- the online upgrade (GroupMetadataManager.getOrMaybeCreateConsumerGroup) --------------
    /**
     * convertToConsumerGroup: parked JoinGroup and SyncGroup requests are answered
     * REBALANCE_IN_PROGRESS (their senders rejoin the consumer group), and the group is handed to
     * a consumer group (ConsumerGroup.fromClassicGroup, models/consumer-protocol/classic-members.ts)
     * which then handles the heartbeat. An empty classic group is simply replaced.
     */
    convertToConsumerGroup: enqueueActions(({ context, enqueue }) => {
      for (const m of Object.values(context.members)) {
        if (m.joinCorr !== null)
          enqueue({ type: 'send', params: reply({ corr: m.joinCorr, client: m.client }, joinError('REBALANCE_IN_PROGRESS', m.memberId)) });
        if (m.syncCorr !== null)
          enqueue({ type: 'send', params: reply({ corr: m.syncCorr, client: m.client }, errorFor('SyncGroup', 'REBALANCE_IN_PROGRESS')) });
      }
      enqueue.assign({ conversion: { leaving: null, redeliver: true }, timers: {} });
    }),
    /** The policy forbids the upgrade: "Group ... is not a consumer group" (GroupIdNotFoundException). */
    rejectConsumerHeartbeat: enqueueActions(({ event, enqueue }) => {
      const { msg } = event as Extract<Ev, { type: 'ConsumerGroupHeartbeat' }>;
      enqueue({ type: 'send', params: errorReply(msg, 'GROUP_ID_NOT_FOUND') });
    }),
    rejectConsumerHeartbeatNotCoordinator: enqueueActions(({ event, enqueue }) => {
      const { msg } = event as Extract<Ev, { type: 'ConsumerGroupHeartbeat' }>;
      enqueue({ type: 'send', params: errorReply(msg, 'NOT_COORDINATOR') });
    }),
    /** ClassicGroup.fromConsumerGroup (the online downgrade). */
    fromConsumerGroup: assign(({ event }) => {
      const e = event as Extract<Ev, { type: 'CONVERT_FROM_CONSUMER' }>;
      return fromConsumerGroup(e.group, e.leaving, e.now);
    }),

    // ---- errors ---------------------------------------------------------------------
    rejectUnknownMember: enqueueActions(({ event, enqueue }) => {
      enqueue({ type: 'send', params: reply(req(event).msg, errorFor(req(event).msg.kind, 'UNKNOWN_MEMBER_ID')) });
    }),
    rejectIllegalGeneration: enqueueActions(({ event, enqueue }) => {
      enqueue({ type: 'send', params: reply(req(event).msg, errorFor(req(event).msg.kind, 'ILLEGAL_GENERATION')) });
    }),
    rejectRebalanceInProgress: enqueueActions(({ event, enqueue }) => {
      enqueue({ type: 'send', params: reply(req(event).msg, errorFor(req(event).msg.kind, 'REBALANCE_IN_PROGRESS')) });
    }),
    rejectInconsistentProtocol: enqueueActions(({ event, enqueue }) => {
      enqueue({ type: 'send', params: reply(req(event).msg, errorFor(req(event).msg.kind, 'INCONSISTENT_GROUP_PROTOCOL')) });
    }),
    rejectNotAvailable: enqueueActions(({ event, enqueue }) => {
      if ('msg' in event && event.type !== 'ConsumerGroupHeartbeat')
        enqueue({ type: 'send', params: reply(event.msg, errorFor(event.msg.kind, 'COORDINATOR_NOT_AVAILABLE')) });
    }),

    // ---- JoinGroup --------------------------------------------------------------------
    /** KIP-394: a dynamic member's first JoinGroup gets an id and must come back with it. */
    requireMemberId: enqueueActions(({ context, event, enqueue }) => {
      const { msg, now } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      const id = dynamicMemberId(context.nextMemberSeq, msg.client.client);
      enqueue.assign({
        nextMemberSeq: context.nextMemberSeq + 1,
        pending: [...context.pending, id],
        timers: { ...context.timers, [`pending:${id}`]: now + msg.sessionTimeoutMs },
      });
      enqueue({ type: 'send', params: reply(msg, joinError('MEMBER_ID_REQUIRED', id)) });
    }),
    /** addMemberAndRebalance: the pending member becomes a member with a parked JoinGroup. */
    addMember: assign(({ context, event }) => {
      const { msg, now } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      const timers = withoutTimer({ ...context.timers }, `pending:${msg.memberId}`);
      // A parked new member cannot heartbeat: its liveness is the new-member join timeout.
      timers[`session:${msg.memberId}`] = now + context.newMemberJoinTimeoutMs;
      return {
        members: { ...context.members, [msg.memberId]: newMember(msg, msg.memberId) },
        pending: context.pending.filter((id) => id !== msg.memberId),
        timers,
        newMemberAdded: context.initialRebalance ? true : context.newMemberAdded,
      };
    }),
    /** KIP-345: a static member joins directly (no MEMBER_ID_REQUIRED) with a generated id. */
    addStaticMember: assign(({ context, event }) => {
      const { msg, now } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      const id = `${msg.instanceId}-${context.nextMemberSeq}`;
      return {
        nextMemberSeq: context.nextMemberSeq + 1,
        members: { ...context.members, [id]: newMember(msg, id) },
        timers: { ...context.timers, [`session:${id}`]: now + context.newMemberJoinTimeoutMs },
        newMemberAdded: context.initialRebalance ? true : context.newMemberAdded,
      };
    }),
    /**
     * KIP-345 static replacement: the instance gets a new member id and keeps its member
     * record (assignment included); the old id's parked requests get FENCED_INSTANCE_ID and
     * leadership follows the new id. With `park`, the JoinGroup waits for the join phase.
     */
    replaceStaticMember: enqueueActions(({ context, event, enqueue }) => replaceStatic(context, event, enqueue, false)),
    replaceAndParkStaticMember: enqueueActions(({ context, event, enqueue }) => replaceStatic(context, event, enqueue, true)),
    /**
     * Stable, protocol unchanged: no rebalance; the JoinGroup is answered with the current
     * generation. A returning leader is told it is leader but must not assign (KIP-814).
     */
    answerStaticRejoin: enqueueActions(({ context, event, enqueue }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      const id = staticMemberOf(context, msg.instanceId)!;
      const isLeader = context.leaderId === id;
      enqueue({
        type: 'send',
        params: reply(msg, {
          kind: 'JoinGroupResponse',
          error: 'NONE',
          memberId: id,
          generation: context.generation,
          protocolName: context.protocolName,
          leaderId: context.leaderId,
          members: isLeader ? memberSubscriptions(context) : {},
          skipAssignment: isLeader,
        }),
      });
    }),
    rejectFencedInstance: enqueueActions(({ event, enqueue }) => {
      enqueue({ type: 'send', params: reply(req(event).msg, errorFor(req(event).msg.kind, 'FENCED_INSTANCE_ID')) });
    }),
    /** The first member of a leaderless group becomes its leader. */
    chooseFirstJoinerAsLeader: assign(({ context }) => ({
      leaderId: context.leaderId ?? Object.keys(context.members)[0] ?? null,
    })),
    updateAndParkJoin: assign(({ context, event }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      const m = context.members[msg.memberId];
      return {
        members: {
          ...context.members,
          [msg.memberId]: {
            ...m,
            client: msg.client,
            protocols: msg.protocols,
            subscription: msg.subscription,
            sessionTimeoutMs: msg.sessionTimeoutMs,
            rebalanceTimeoutMs: msg.rebalanceTimeoutMs,
            joinCorr: msg.corr,
          },
        },
      };
    }),
    /** CompletingRebalance/Stable with unchanged metadata: answer with the current generation. */
    answerJoinWithCurrentGeneration: enqueueActions(({ context, event, enqueue }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      const isLeader = context.leaderId === msg.memberId;
      enqueue({
        type: 'send',
        params: reply(msg, {
          kind: 'JoinGroupResponse',
          error: 'NONE',
          memberId: msg.memberId,
          generation: context.generation,
          protocolName: context.protocolName,
          leaderId: context.leaderId,
          members: isLeader ? memberSubscriptions(context) : {},
          skipAssignment: false,
        }),
      });
    }),

    // ---- entering PreparingRebalance --------------------------------------------------
    /** From Empty: KIP-134 initial delay instead of the rebalance timeout. */
    armInitialDelay: assign(({ context, event }) => ({
      initialRebalance: true,
      newMemberAdded: false,
      initialDelayRemainingMs: Math.max(groupRebalanceTimeout(context) - context.initialRebalanceDelayMs, 0),
      timers: { ...context.timers, join: event.now + context.initialRebalanceDelayMs },
    })),
    armJoinTimer: assign(({ context, event }) => ({
      initialRebalance: false,
      timers: { ...withoutTimer(context.timers, 'sync'), join: event.now + groupRebalanceTimeout(context) },
    })),
    /** Leaving CompletingRebalance: parked SyncGroups get REBALANCE_IN_PROGRESS, assignments are cleared. */
    abortSync: enqueueActions(({ context, event, enqueue }) => {
      const members: Record<string, GroupMember> = {};
      const timers = { ...context.timers };
      for (const [id, m] of Object.entries(context.members)) {
        if (m.syncCorr !== null) {
          enqueue({ type: 'send', params: reply({ corr: m.syncCorr, client: m.client }, errorFor('SyncGroup', 'REBALANCE_IN_PROGRESS')) });
          // propagateAssignment reschedules the session of every member it answers: an expiry
          // ignored while the SyncGroup was parked must not leave the member without one.
          timers[`session:${id}`] = event.now + m.sessionTimeoutMs;
        }
        members[id] = { ...m, syncCorr: null, assignment: null };
      }
      enqueue.assign({ members, timers });
    }),
    /** Each further new member during the initial delay extends it (KIP-134). */
    extendInitialDelay: assign(({ context, event }) => ({
      newMemberAdded: false,
      initialDelayRemainingMs: Math.max(context.initialDelayRemainingMs - context.initialRebalanceDelayMs, 0),
      timers: {
        ...context.timers,
        join: event.now + Math.min(context.initialRebalanceDelayMs, context.initialDelayRemainingMs),
      },
    })),
    rearmJoinTimer: assign(({ context, event }) => ({
      timers: { ...context.timers, join: event.now + groupRebalanceTimeout(context) },
    })),

    // ---- join phase completion --------------------------------------------------------
    /** Dynamic members without a parked JoinGroup missed the rebalance and are removed. */
    removeMissedMembers: enqueueActions(({ context, enqueue }) => {
      const missed = Object.values(context.members)
        .filter((m) => m.joinCorr === null && m.instanceId === null)
        .map((m) => m.memberId);
      if (missed.length > 0) enqueue.assign(removeMembers(context, missed, (r) => enqueue({ type: 'send', params: r })));
    }),
    /** If the leader did not rejoin, any rejoined member becomes leader. */
    electRejoinedLeader: assign(({ context }) => {
      const leader = context.leaderId === null ? undefined : context.members[context.leaderId];
      if (leader && leader.joinCorr !== null) return {};
      const rejoined = Object.values(context.members).find((m) => m.joinCorr !== null);
      return { leaderId: rejoined ? rejoined.memberId : null };
    }),
    bumpGeneration: assign(({ context }) => ({ generation: context.generation + 1 })),
    selectGroupProtocol: assign(({ context }) => ({ protocolName: selectProtocol(Object.values(context.members)) })),
    /** Every parked JoinGroup is answered; the leader's answer carries all subscriptions. */
    answerParkedJoins: enqueueActions(({ context, event, enqueue }) => {
      const members: Record<string, GroupMember> = {};
      const timers = { ...withoutTimer(context.timers, 'join') };
      const subs = memberSubscriptions(context);
      for (const [id, m] of Object.entries(context.members)) {
        if (m.joinCorr !== null) {
          enqueue({
            type: 'send',
            params: reply(
              { corr: m.joinCorr, client: m.client },
              {
                kind: 'JoinGroupResponse',
                error: 'NONE',
                memberId: id,
                generation: context.generation,
                protocolName: context.protocolName,
                leaderId: context.leaderId,
                members: id === context.leaderId ? subs : {},
                skipAssignment: false,
              },
            ),
          });
        }
        members[id] = { ...m, joinCorr: null, isNew: false, assignment: null };
        timers[`session:${id}`] = event.now + m.sessionTimeoutMs;
      }
      enqueue.assign({
        members,
        timers,
        initialRebalance: false,
        pendingSync: Object.keys(members),
      });
    }),
    armSyncTimer: assign(({ context, event }) => ({
      syncGeneration: context.generation,
      timers: { ...context.timers, sync: event.now + groupRebalanceTimeout(context) },
    })),
    becomeEmpty: assign(({ context }) => ({
      protocolName: null,
      leaderId: null,
      initialRebalance: false,
      timers: withoutTimer(context.timers, 'join'),
    })),
    /** Writes the group metadata record: only Stable and Empty are ever persisted. */
    persistGroup: assign(({ context }) => ({
      persisted: {
        generation: context.generation,
        protocolName: context.protocolName,
        leaderId: context.leaderId,
        members: Object.fromEntries(
          Object.entries(context.members).map(([id, { joinCorr: _j, syncCorr: _s, isNew: _n, ...rest }]) => [id, rest]),
        ),
      },
    })),

    // ---- SyncGroup --------------------------------------------------------------------
    parkSync: assign(({ context, event }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'SyncGroup' }>;
      return {
        members: { ...context.members, [msg.memberId]: { ...context.members[msg.memberId], client: msg.client, syncCorr: msg.corr } },
        pendingSync: context.pendingSync.filter((id) => id !== msg.memberId),
      };
    }),
    /** The leader's assignment is stored for every member (absent ones get nothing) and sent to all parked. */
    installLeaderAssignment: enqueueActions(({ context, event, enqueue }) => {
      const { msg, now } = req(event) as Extract<Ev, { type: 'SyncGroup' }>;
      const given = msg.assignments ?? {};
      const members: Record<string, GroupMember> = {};
      const timers = { ...context.timers };
      for (const [id, m] of Object.entries(context.members)) {
        const assignment = Object.hasOwn(given, id) ? [...given[id]] : [];
        if (m.syncCorr !== null) {
          enqueue({
            type: 'send',
            params: reply(
              { corr: m.syncCorr, client: m.client },
              {
                kind: 'SyncGroupResponse',
                error: 'NONE',
                assignment,
                committed: committedFor(context, assignment),
              },
            ),
          });
          timers[`session:${id}`] = now + m.sessionTimeoutMs;
        }
        members[id] = { ...m, assignment, syncCorr: null };
      }
      enqueue.assign({ members, timers });
    }),
    answerSyncWithAssignment: enqueueActions(({ context, event, enqueue }) => {
      const { msg, now } = req(event) as Extract<Ev, { type: 'SyncGroup' }>;
      const m = context.members[msg.memberId];
      const assignment = m.assignment ?? [];
      enqueue({
        type: 'send',
        params: reply(msg, { kind: 'SyncGroupResponse', error: 'NONE', assignment, committed: committedFor(context, assignment) }),
      });
      enqueue.assign({
        pendingSync: context.pendingSync.filter((id) => id !== msg.memberId),
        timers: { ...context.timers, [`session:${m.memberId}`]: now + m.sessionTimeoutMs },
      });
    }),

    // ---- Heartbeat / liveness ---------------------------------------------------------
    touchSession: assign(({ context, event }) => {
      const m = member(context, event)!;
      return { timers: { ...context.timers, [`session:${m.memberId}`]: event.now + m.sessionTimeoutMs } };
    }),
    answerHeartbeat: enqueueActions(({ event, enqueue }) => {
      enqueue({ type: 'send', params: reply(req(event).msg, { kind: 'HeartbeatResponse', error: 'NONE' }) });
    }),
    clearTimer: assign(({ context, event }) => ({ timers: withoutTimer(context.timers, timerName(event)) })),
    expireMember: enqueueActions(({ context, event, enqueue }) => {
      enqueue.assign(removeMembers(context, [timerMember(event)], (r) => enqueue({ type: 'send', params: r })));
    }),
    expirePendingMember: assign(({ context, event }) => ({
      pending: context.pending.filter((id) => id !== timerMember(event)),
    })),
    /** Members that never sent SyncGroup in time are removed (pending-sync expiry). */
    expirePendingSync: enqueueActions(({ context, enqueue }) => {
      enqueue.assign(removeMembers(context, context.pendingSync, (r) => enqueue({ type: 'send', params: r })));
    }),
    /** Removing the leader makes another member leader (Kafka: first key of a hash map). */
    rechooseLeader: assign(({ context }) => {
      if (context.leaderId !== null && context.members[context.leaderId]) return {};
      const first = Object.keys(context.members)[0];
      return { leaderId: first ?? null };
    }),

    // ---- LeaveGroup -------------------------------------------------------------------
    removeLeavingMember: enqueueActions(({ context, event, enqueue }) => {
      const { msg } = req(event);
      enqueue.assign(removeMembers(context, [msg.memberId], (r) => enqueue({ type: 'send', params: r })));
      enqueue({ type: 'send', params: reply(msg, { kind: 'LeaveGroupResponse', error: 'NONE' }) });
    }),
    removeLeavingPendingMember: enqueueActions(({ context, event, enqueue }) => {
      const { msg } = req(event);
      enqueue.assign({
        pending: context.pending.filter((id) => id !== msg.memberId),
        timers: withoutTimer(context.timers, `pending:${msg.memberId}`),
      });
      enqueue({ type: 'send', params: reply(msg, { kind: 'LeaveGroupResponse', error: 'NONE' }) });
    }),

    // ---- OffsetCommit -----------------------------------------------------------------
    /** No ownership check: Kafka fences commits by member id and generation only. */
    storeCommit: enqueueActions(({ context, event, enqueue }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'OffsetCommit' }>;
      const committed = { ...context.committed };
      for (const [p, offset] of Object.entries(msg.offsets)) committed[p] = { offset, memberId: msg.memberId, generation: msg.generation };
      enqueue.assign({ committed });
      enqueue({ type: 'send', params: reply(msg, { kind: 'OffsetCommitResponse', error: 'NONE' }) });
    }),

    // ---- offset retention (docs/model.md, section 11) -----------------------------------
    /**
     * ClassicGroup.offsetExpirationCondition in Empty (KIP-211): retention counts from the moment
     * the group became Empty (currentStateTimestamp), and no topic is subscribed, so every offset goes.
     */
    expireOffsetsOfEmptyGroup: assign(({ context }) => (Object.keys(context.committed).length === 0 ? {} : { committed: {} })),
    /**
     * In Stable, a consumer-protocol group that knows its subscribed topics (KIP-496): only the
     * offsets of topics no member subscribes to expire, counted from their commit. Simplified: the
     * subscribed topics are read from the members now, where Kafka computes them at
     * initNextGeneration (they differ only after a static member replaced in Stable, KAFKA-12759).
     */
    expireUnsubscribedOffsets: assign(({ context }) => {
      return expireUnsubscribed(context.committed, new Set(Object.values(context.members).flatMap((m) => m.subscription.topics)));
    }),

    // ---- unloading --------------------------------------------------------------------
    answerParkedNotCoordinator: enqueueActions(({ context, enqueue }) => {
      for (const m of Object.values(context.members)) {
        if (m.joinCorr !== null)
          enqueue({ type: 'send', params: reply({ corr: m.joinCorr, client: m.client }, joinError('NOT_COORDINATOR')) });
        if (m.syncCorr !== null)
          enqueue({ type: 'send', params: reply({ corr: m.syncCorr, client: m.client }, errorFor('SyncGroup', 'NOT_COORDINATOR')) });
      }
      enqueue.assign({ timers: {} });
    }),
  },
  guards: {
    /** INCONSISTENT_GROUP_PROTOCOL: the joiner shares no protocol name with every current member. */
    protocolIncompatible: ({ context, event }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      if (msg.protocols.length === 0) return true;
      // Kafka's supportsProtocols counts every member's current list, the joiner's old one included.
      const common = candidateProtocols(Object.values(context.members));
      return common !== null && !msg.protocols.some((p) => common.has(p));
    },
    needsMemberId: ({ event }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      return msg.memberId === '' && msg.instanceId === null;
    },
    isPendingMember: ({ context, event }) => context.pending.includes(req(event).msg.memberId),
    hasMembers: ({ context }) => Object.keys(context.members).length > 0,
    /**
     * consumerGroupHeartbeat creates (or converts to) a consumer group only for a member joining
     * with epoch 0; any other epoch, a leave (-1, -2) included, meets "not a consumer group".
     */
    isJoiningHeartbeat: ({ event }) => (event as Extract<Ev, { type: 'ConsumerGroupHeartbeat' }>).msg.memberEpoch === 0,
    /**
     * validateOnlineUpgrade: the policy allows it (the group uses the consumer embedded protocol;
     * no size limits in the model); and convertToConsumerGroup can parse every member's
     * assignment. A member with none (EMPTY_ASSIGNMENT: a new member, or after a rebalance was
     * aborted) makes ConsumerGroup.fromClassicGroup throw a SchemaException, answered
     * GROUP_ID_NOT_FOUND (Kafka 4.0). Simplified: the model also clears the assignments when a
     * join phase completes, where Kafka keeps the previous generation's until SyncGroup, so it
     * refuses an upgrade during CompletingRebalance that Kafka would make (docs/migration.md).
     */
    onlineUpgradeAllowed: ({ context }) =>
      isUpgradeEnabled(context.migrationPolicy) && Object.values(context.members).every((m) => m.assignment !== null),
    /** The consumer group being converted leaves someone in the classic group. */
    conversionHasMembers: ({ event }) => {
      const e = event as Extract<Ev, { type: 'CONVERT_FROM_CONSUMER' }>;
      return Object.values(e.group.members).some((m) => m.memberId !== e.leaving && m.classic);
    },
    isNewStaticMember: ({ context, event }) => {
      const { msg } = req(event);
      return msg.memberId === '' && msg.instanceId !== null && staticMemberOf(context, msg.instanceId) === undefined;
    },
    isStaticReplacement: ({ context, event }) => {
      const { msg } = req(event);
      return msg.memberId === '' && msg.instanceId !== null && staticMemberOf(context, msg.instanceId) !== undefined;
    },
    /** Stable static replacement that would not change the selected protocol: no rebalance. */
    staticReplacementKeepsProtocol: ({ context, event }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      const id = staticMemberOf(context, msg.instanceId)!;
      const others = Object.values(context.members).map((m) => (m.memberId === id ? { ...m, protocols: msg.protocols } : m));
      return selectProtocol(others) === context.protocolName;
    },
    /**
     * A static replacement while the group waits for the leader's SyncGroup rebalances: the
     * assignment on its way was computed for the old member id (KAFKA-9801, Kafka 2.5.1 on;
     * updateStaticMemberThenRebalanceOrCompleteJoin's COMPLETING_REBALANCE case). Before, it
     * was answered as in Stable and the new id's assignment came back empty. Kafka: always.
     */
    staticReplacementRebalancesInSync: ({ context: _ }) => true,
    /** validateCurrentMember: an instance id mapped to another member id is fenced. */
    isFencedInstance: ({ context, event }) => {
      const { msg } = req(event);
      if (msg.instanceId === null || msg.memberId === '') return false;
      const mapped = staticMemberOf(context, msg.instanceId);
      return mapped !== undefined && mapped !== msg.memberId;
    },
    isUnknownMember: ({ context, event }) => member(context, event) === undefined,
    isLeader: ({ context, event }) => context.leaderId === req(event).msg.memberId,
    joinMetadataUnchanged: ({ context, event }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
      return sameMetadata(context.members[msg.memberId], msg);
    },
    /** Sync and Heartbeat carry a generation other than the group's. */
    isStaleGeneration: ({ context, event }) => (req(event).msg as { generation: number }).generation !== context.generation,
    /** OffsetCommit fencing by generation (member id is checked by isUnknownMember first). */
    isCommitGenerationStale: ({ context, event }) =>
      (req(event) as Extract<Ev, { type: 'OffsetCommit' }>).msg.generation !== context.generation,
    isCommitWithoutGroup: ({ event }) => {
      const { msg } = req(event) as Extract<Ev, { type: 'OffsetCommit' }>;
      return msg.generation < 0 && msg.memberId === '' && msg.instanceId === null;
    },
    isFromLeader: ({ context, event }) => context.leaderId === req(event).msg.memberId,
    /** Early completion: every member has rejoined and no KIP-394 member is pending; never for the initial rebalance. */
    allMembersRejoined: ({ context }) =>
      !context.initialRebalance && context.pending.length === 0 && Object.values(context.members).every((m) => m.joinCorr !== null),
    initialDelayExtends: ({ context }) => context.initialRebalance && context.newMemberAdded && context.initialDelayRemainingMs > 0,
    noMemberRemainsAfterJoin: ({ context }) => Object.values(context.members).every((m) => m.joinCorr === null && m.instanceId === null),
    nobodyRejoined: ({ context }) => Object.values(context.members).every((m) => m.joinCorr === null),
    isTimer: ({ event }, name: string) => timerName(event) === name,
    isTimerOf: ({ event }, prefix: string) => timerName(event).startsWith(prefix),
    sessionExpired: ({ context, event }) => {
      const m = context.members[timerMember(event)];
      return m !== undefined && !keptAliveByParkedRequest(m);
    },
    /** The pending-sync timer of the current generation fired and some member never sent SyncGroup. */
    pendingSyncExpired: ({ context, event }) =>
      timerName(event) === 'sync' && context.syncGeneration === context.generation && context.pendingSync.length > 0,
  },
});

function replaceStatic(context: Ctx, event: Ev, enqueue: Enqueue, park: boolean): void {
  const { msg, now } = req(event) as Extract<Ev, { type: 'JoinGroup' }>;
  const oldId = staticMemberOf(context, msg.instanceId)!;
  const old = context.members[oldId];
  const newId = `${msg.instanceId}-${context.nextMemberSeq}`;
  if (old.joinCorr !== null)
    enqueue({ type: 'send', params: reply({ corr: old.joinCorr, client: old.client }, joinError('FENCED_INSTANCE_ID')) });
  if (old.syncCorr !== null)
    enqueue({ type: 'send', params: reply({ corr: old.syncCorr, client: old.client }, errorFor('SyncGroup', 'FENCED_INSTANCE_ID')) });
  const members: Record<string, GroupMember> = {};
  for (const [id, m] of Object.entries(context.members)) {
    if (id !== oldId) members[id] = m;
    else
      members[newId] = {
        ...m,
        memberId: newId,
        client: msg.client,
        protocols: msg.protocols,
        subscription: msg.subscription,
        sessionTimeoutMs: msg.sessionTimeoutMs,
        rebalanceTimeoutMs: msg.rebalanceTimeoutMs,
        joinCorr: park ? msg.corr : null,
        syncCorr: null,
      };
  }
  // A copy: withoutTimer returns the context's own object when the old member has no session
  // timer (its expiry was ignored while its SyncGroup was parked), and that object is shared with
  // the world before this step.
  const timers = { ...withoutTimer(context.timers, `session:${oldId}`) };
  timers[`session:${newId}`] = now + msg.sessionTimeoutMs;
  enqueue.assign({
    nextMemberSeq: context.nextMemberSeq + 1,
    members,
    timers,
    leaderId: context.leaderId === oldId ? newId : context.leaderId,
    pendingSync: context.pendingSync.map((id) => (id === oldId ? newId : id)),
  });
}

/** A member record for a JoinGroup, parked until the join phase completes. */
function newMember(msg: Extract<Ev, { type: 'JoinGroup' }>['msg'], memberId: string): GroupMember {
  return {
    memberId,
    client: msg.client,
    instanceId: msg.instanceId,
    protocols: msg.protocols,
    subscription: msg.subscription,
    sessionTimeoutMs: msg.sessionTimeoutMs,
    rebalanceTimeoutMs: msg.rebalanceTimeoutMs,
    assignment: null,
    joinCorr: msg.corr,
    syncCorr: null,
    isNew: true,
  };
}

/** The member id currently mapped to a group.instance.id (derived: the static map of Kafka). */
function staticMemberOf(ctx: Ctx, instanceId: string | null): string | undefined {
  if (instanceId === null) return undefined;
  for (const m of Object.values(ctx.members)) if (m.instanceId === instanceId) return m.memberId;
  return undefined;
}

function memberSubscriptions(ctx: Ctx) {
  return Object.fromEntries(Object.entries(ctx.members).map(([id, m]) => [id, m.subscription]));
}

function committedFor(ctx: Ctx, assignment: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of assignment) if (ctx.committed[p]) out[p] = ctx.committed[p].offset;
  return out;
}

// Transition fragments shared by several states.
const toPreparingFromStable = { target: '#group.PreparingRebalance', actions: ['armJoinTimer'] } as const;
const toPreparingFromCompleting = { target: '#group.PreparingRebalance', actions: ['abortSync', 'armJoinTimer'] } as const;
const joinCommon = [
  { guard: 'protocolIncompatible', actions: 'rejectInconsistentProtocol' },
  { guard: 'needsMemberId', actions: 'requireMemberId' },
  { guard: 'isFencedInstance', actions: 'rejectFencedInstance' },
] as const;
const leaveCommon = [
  { guard: 'isPendingMember', actions: 'removeLeavingPendingMember' },
  { guard: 'isFencedInstance', actions: 'rejectFencedInstance' },
  { guard: 'isUnknownMember', actions: 'rejectUnknownMember' },
] as const;
const fenceByIdentityAndGeneration = [
  { guard: 'isFencedInstance', actions: 'rejectFencedInstance' },
  { guard: 'isUnknownMember', actions: 'rejectUnknownMember' },
  { guard: 'isStaleGeneration', actions: 'rejectIllegalGeneration' },
] as const;
const commitFencing = [
  { guard: 'isFencedInstance', actions: 'rejectFencedInstance' },
  { guard: 'isUnknownMember', actions: 'rejectUnknownMember' },
  { guard: 'isCommitGenerationStale', actions: 'rejectIllegalGeneration' },
] as const;
const parkReplacement = 'replaceAndParkStaticMember';
const pendingExpiry = { guard: { type: 'isTimerOf', params: 'pending:' }, actions: ['clearTimer', 'expirePendingMember'] } as const;

export const coordinatorMachine = coordinatorSetup.createMachine({
  id: 'group',
  context: ({ input }) => initialCoordinatorContext(input),
  initial: 'Loading',
  on: {
    // A timer no state cares about any more is simply dropped.
    TIMER: { actions: 'clearTimer' },
    // PreparingRebalance and CompletingRebalance have no offsetExpirationCondition: nothing expires.
    EXPIRE_OFFSETS: {},
    UNLOAD: { target: '.Dead', actions: 'answerParkedNotCoordinator' },
    ConsumerGroupHeartbeat: [
      { guard: and(['isJoiningHeartbeat', 'onlineUpgradeAllowed']), target: '.Converted', actions: 'convertToConsumerGroup' },
      { actions: 'rejectConsumerHeartbeat' },
    ],
  },
  states: {
    /** Transient: a group loaded with members is Stable, otherwise Empty. */
    Loading: {
      always: [{ guard: 'hasMembers', target: 'Stable' }, { target: 'Empty' }],
    },
    Empty: {
      on: {
        JoinGroup: [
          ...joinCommon,
          {
            guard: 'isPendingMember',
            target: 'PreparingRebalance',
            actions: ['addMember', 'chooseFirstJoinerAsLeader', 'armInitialDelay'],
          },
          {
            guard: 'isNewStaticMember',
            target: 'PreparingRebalance',
            actions: ['addStaticMember', 'chooseFirstJoinerAsLeader', 'armInitialDelay'],
          },
          { actions: 'rejectUnknownMember' },
        ],
        SyncGroup: { actions: 'rejectUnknownMember' },
        Heartbeat: { actions: 'rejectUnknownMember' },
        LeaveGroup: [...leaveCommon, { actions: 'rejectUnknownMember' }],
        // Manual assignment / admin tools: no identity, generation -1.
        OffsetCommit: [{ guard: 'isCommitWithoutGroup', actions: 'storeCommit' }, { actions: 'rejectUnknownMember' }],
        EXPIRE_OFFSETS: { actions: 'expireOffsetsOfEmptyGroup' },
        TIMER: [pendingExpiry, { actions: 'clearTimer' }],
        // An empty classic group is deleted and a consumer group created, whatever the policy.
        ConsumerGroupHeartbeat: [
          { guard: 'isJoiningHeartbeat', target: 'Converted', actions: 'convertToConsumerGroup' },
          { actions: 'rejectConsumerHeartbeat' },
        ],
        // The online downgrade: the converted group prepares a rebalance at once (convertToClassicGroup).
        CONVERT_FROM_CONSUMER: [
          { guard: 'conversionHasMembers', target: 'PreparingRebalance', actions: ['fromConsumerGroup', 'armJoinTimer'] },
          { actions: 'fromConsumerGroup' },
        ],
      },
    },
    PreparingRebalance: {
      // Completion is attempted after every event: a parked JoinGroup, a removed member or pending member.
      always: { guard: 'allMembersRejoined', target: 'CompletingJoin' },
      on: {
        JoinGroup: [
          ...joinCommon,
          { guard: 'isPendingMember', actions: ['addMember', 'chooseFirstJoinerAsLeader'] },
          { guard: 'isNewStaticMember', actions: ['addStaticMember', 'chooseFirstJoinerAsLeader'] },
          { guard: 'isStaticReplacement', actions: parkReplacement },
          { guard: 'isUnknownMember', actions: 'rejectUnknownMember' },
          { actions: 'updateAndParkJoin' },
        ],
        SyncGroup: [...fenceByIdentityAndGeneration, { actions: 'rejectRebalanceInProgress' }],
        Heartbeat: [...fenceByIdentityAndGeneration, { actions: ['touchSession', 'rejectRebalanceInProgress'] }],
        LeaveGroup: [...leaveCommon, { actions: ['removeLeavingMember', 'rechooseLeader'] }],
        // The old generation is still current while members rejoin: commits are accepted.
        OffsetCommit: [...commitFencing, { actions: ['touchSession', 'storeCommit'] }],
        TIMER: [
          { guard: { type: 'isTimer', params: 'join' }, actions: ['clearTimer'], target: 'CompletingJoin' },
          { guard: 'sessionExpired', actions: ['clearTimer', 'expireMember', 'rechooseLeader'] },
          pendingExpiry,
          { actions: 'clearTimer' },
        ],
      },
    },
    /** Transient: the join timer fired; decide how the join phase ends. */
    CompletingJoin: {
      always: [
        { guard: 'initialDelayExtends', target: 'PreparingRebalance', actions: 'extendInitialDelay' },
        {
          guard: 'noMemberRemainsAfterJoin',
          target: 'Empty',
          actions: ['removeMissedMembers', 'bumpGeneration', 'becomeEmpty', 'persistGroup'],
        },
        // Only static members that did not rejoin are left: wait for their sessions to expire.
        { guard: 'nobodyRejoined', target: 'PreparingRebalance', actions: ['removeMissedMembers', 'rechooseLeader', 'rearmJoinTimer'] },
        {
          target: 'CompletingRebalance',
          actions: [
            'removeMissedMembers',
            'electRejoinedLeader',
            'bumpGeneration',
            'selectGroupProtocol',
            'answerParkedJoins',
            'armSyncTimer',
          ],
        },
      ],
    },
    CompletingRebalance: {
      on: {
        JoinGroup: [
          ...joinCommon,
          {
            guard: 'isPendingMember',
            ...toPreparingFromCompleting,
            actions: ['addMember', 'chooseFirstJoinerAsLeader', ...toPreparingFromCompleting.actions],
          },
          {
            guard: 'isNewStaticMember',
            ...toPreparingFromCompleting,
            actions: ['addStaticMember', 'chooseFirstJoinerAsLeader', ...toPreparingFromCompleting.actions],
          },
          // The in-flight assignment was computed for the old id: rebalance (a named decision,
          // KAFKA-9801; the other branch is how Kafka answered it before, as in Stable).
          {
            guard: and(['isStaticReplacement', 'staticReplacementRebalancesInSync']),
            ...toPreparingFromCompleting,
            actions: [parkReplacement, ...toPreparingFromCompleting.actions],
          },
          { guard: 'isStaticReplacement', actions: ['replaceStaticMember', 'answerStaticRejoin'] },
          { guard: 'isUnknownMember', actions: 'rejectUnknownMember' },
          // A lost JoinGroup response: the same metadata gets the current generation again.
          { guard: 'joinMetadataUnchanged', actions: 'answerJoinWithCurrentGeneration' },
          { ...toPreparingFromCompleting, actions: ['updateAndParkJoin', ...toPreparingFromCompleting.actions] },
        ],
        SyncGroup: [
          ...fenceByIdentityAndGeneration,
          { guard: 'isFromLeader', target: 'Stable', actions: ['parkSync', 'installLeaderAssignment', 'persistGroup'] },
          { actions: 'parkSync' },
        ],
        Heartbeat: [...fenceByIdentityAndGeneration, { actions: ['touchSession', 'answerHeartbeat'] }],
        LeaveGroup: [
          ...leaveCommon,
          { ...toPreparingFromCompleting, actions: ['removeLeavingMember', 'rechooseLeader', ...toPreparingFromCompleting.actions] },
        ],
        OffsetCommit: [...commitFencing, { actions: 'rejectRebalanceInProgress' }],
        TIMER: [
          {
            guard: 'sessionExpired',
            ...toPreparingFromCompleting,
            actions: ['clearTimer', 'expireMember', 'rechooseLeader', ...toPreparingFromCompleting.actions],
          },
          {
            guard: 'pendingSyncExpired',
            ...toPreparingFromCompleting,
            actions: ['clearTimer', 'expirePendingSync', 'rechooseLeader', ...toPreparingFromCompleting.actions],
          },
          pendingExpiry,
          { actions: 'clearTimer' },
        ],
      },
    },
    Stable: {
      on: {
        EXPIRE_OFFSETS: { actions: 'expireUnsubscribedOffsets' },
        JoinGroup: [
          ...joinCommon,
          {
            guard: 'isPendingMember',
            ...toPreparingFromStable,
            actions: ['addMember', 'chooseFirstJoinerAsLeader', ...toPreparingFromStable.actions],
          },
          {
            guard: 'isNewStaticMember',
            ...toPreparingFromStable,
            actions: ['addStaticMember', 'chooseFirstJoinerAsLeader', ...toPreparingFromStable.actions],
          },
          // A static member restarting within its session: new member id, same assignment, no rebalance.
          {
            guard: and(['isStaticReplacement', 'staticReplacementKeepsProtocol']),
            actions: ['replaceStaticMember', 'persistGroup', 'answerStaticRejoin'],
          },
          { guard: 'isStaticReplacement', ...toPreparingFromStable, actions: [parkReplacement, ...toPreparingFromStable.actions] },
          { guard: 'isUnknownMember', actions: 'rejectUnknownMember' },
          // The leader's JoinGroup always rebalances: it is how topic-metadata changes it watches take effect.
          { guard: 'isLeader', ...toPreparingFromStable, actions: ['updateAndParkJoin', ...toPreparingFromStable.actions] },
          { guard: 'joinMetadataUnchanged', actions: 'answerJoinWithCurrentGeneration' },
          { ...toPreparingFromStable, actions: ['updateAndParkJoin', ...toPreparingFromStable.actions] },
        ],
        SyncGroup: [...fenceByIdentityAndGeneration, { actions: 'answerSyncWithAssignment' }],
        Heartbeat: [...fenceByIdentityAndGeneration, { actions: ['touchSession', 'answerHeartbeat'] }],
        LeaveGroup: [
          ...leaveCommon,
          { ...toPreparingFromStable, actions: ['removeLeavingMember', 'rechooseLeader', ...toPreparingFromStable.actions] },
        ],
        OffsetCommit: [...commitFencing, { actions: ['touchSession', 'storeCommit'] }],
        TIMER: [
          {
            guard: 'sessionExpired',
            ...toPreparingFromStable,
            actions: ['clearTimer', 'expireMember', 'rechooseLeader', ...toPreparingFromStable.actions],
          },
          {
            guard: 'pendingSyncExpired',
            ...toPreparingFromStable,
            actions: ['clearTimer', 'expirePendingSync', 'rechooseLeader', ...toPreparingFromStable.actions],
          },
          pendingExpiry,
          { actions: 'clearTimer' },
        ],
      },
    },
    Dead: {
      on: {
        JoinGroup: { actions: 'rejectNotAvailable' },
        SyncGroup: { actions: 'rejectNotAvailable' },
        Heartbeat: { actions: 'rejectNotAvailable' },
        LeaveGroup: { actions: 'rejectNotAvailable' },
        OffsetCommit: { actions: 'rejectNotAvailable' },
        ConsumerGroupHeartbeat: { actions: 'rejectConsumerHeartbeatNotCoordinator' },
        TIMER: { actions: 'clearTimer' },
        UNLOAD: {},
      },
    },
    /** Handed to a consumer group (context.conversion); the world replaces this snapshot at once. */
    Converted: {},
  },
});

export type CoordinatorMachine = typeof coordinatorMachine;
