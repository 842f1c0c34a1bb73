import { expireUnsubscribed } from '../offset-expiry.ts';
import { sameJoined } from '../records.ts';
import { and, assign, enqueueActions, setup } from 'xstate';
import { dynamicMemberId, errorFor, joinError, reply } from '../classic/coordinator-state.ts';
import type { ClassicRequest, ClassicResponse } from '../classic/messages.ts';
import type { TopicPartition, Topics } from '../types.ts';
import { defaultServerAssignor, serverAssignors, type ServerAssignor } from './assignors.ts';
import {
  memberTopics,
  pruneRegexes,
  REGEX_INTERVAL_TIMER,
  REGEX_REFRESH_INTERVAL_MS,
  REGEX_TIMER,
  refreshDue,
  resolveRegexes,
} from './regex.ts';
import {
  classicMustRejoin,
  classicSyncRebalancing,
  downgradeOnFence,
  fromClassicGroup,
  isClassic,
  supportsClassicProtocols,
} from './classic-members.ts';
import {
  type ConsumerGroupMember,
  type GroupContext,
  type GroupEvent,
  type GroupInput,
  type ReconcileRules,
  initialGroupContext,
  kafkaRules,
  memberOfInstance,
  movePartitionEpochs,
  newMember,
  reconcileStep,
  without,
} from './coordinator-state.ts';
import {
  LEAVE_EPOCH,
  STATIC_LEAVE_EPOCH,
  errorReply,
  replyTo,
  type ConsumerErrorCode,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerRequest,
  type ConsumerResponse,
} from './messages.ts';

// The KIP-848 group coordinator for one consumer group (GroupMetadataManager.consumerGroupHeartbeat,
// ConsumerGroup, CurrentAssignmentBuilder in Kafka's group-coordinator module, 4.0 code line).
// Every heartbeat is answered at once: there is no join barrier and no leader. Each protocol
// decision is a named guard or action so a variant can replace it with `provide`; responses
// leave as `send` actions that the world routes. The group state (Empty, Assigning,
// Reconciling, Stable) is derived from the context (groupStateOf), as in Kafka.

type Ctx = GroupContext;
type Ev = GroupEvent;
type HeartbeatEvent = Extract<Ev, { type: 'ConsumerGroupHeartbeat' }>;
type CommitEvent = Extract<Ev, { type: 'OffsetCommit' }>;
const hb = (e: Ev) => (e as HeartbeatEvent).msg;
type ClassicEvent = Extract<Ev, { type: 'JoinGroup' | 'SyncGroup' | 'Heartbeat' | 'LeaveGroup' }>;
type JoinRequest = Extract<ClassicRequest, { kind: 'JoinGroup' }>;
const classicMsg = (e: Ev) => (e as ClassicEvent).msg;
const joinMsg = (e: Ev) => (e as ClassicEvent).msg as JoinRequest;
/** The classic request's member, if it is a classic member of this group (validateConsumerGroupMember + throwIfMemberDoesNotUseClassicProtocol). */
const classicMemberOf = (ctx: Ctx, e: Ev): ConsumerGroupMember | undefined => {
  const m = ctx.members[classicMsg(e).memberId];
  return isClassic(m) ? m : undefined;
};
/** OffsetCommit's GenerationIdOrMemberEpoch: a classic client fills it with its generation. */
const commitEpoch = (msg: CommitEvent['msg']): number => ('memberEpoch' in msg ? msg.memberEpoch : msg.generation);
/** What the member reports it owns: a heartbeat's TopicPartitions, or a JoinGroup subscription's ownedPartitions. */
const ownedOf = (e: Ev): TopicPartition[] | null => (e.type === 'JoinGroup' ? joinMsg(e).subscription.ownedPartitions : hb(e).owned);
const topicsOf = (e: Ev): Topics | undefined => (e as { topics?: Topics }).topics;
const timerName = (e: Ev) => (e as Extract<Ev, { type: 'TIMER' }>).name;
const timerMember = (e: Ev) => timerName(e).slice(timerName(e).indexOf(':') + 1);
const subset = (xs: readonly string[], ys: readonly string[]) => xs.every((x) => ys.includes(x));
const sameSet = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && subset(xs, ys);

/**
 * The partition counts of every topic some member subscribes to, by name or through its resolved
 * regex (ConsumerGroup.computeSubscriptionMetadata).
 */
function subscriptionMetadata(
  members: Record<string, ConsumerGroupMember>,
  topics: Topics | undefined,
  fallback: Topics,
  resolved: Ctx['resolvedRegexes'],
): Topics {
  const source = topics ?? fallback;
  const out: Topics = {};
  for (const m of Object.values(members)) for (const t of memberTopics(m, resolved)) if (source[t] !== undefined) out[t] = source[t];
  return out;
}
const sameTopics = (a: Topics, b: Topics) => Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((t) => a[t] === b[t]);

/**
 * The member lookup of consumerGroupHeartbeat (getOrMaybeSubscribe{Dynamic,Static}ConsumerGroupMember
 * and throwIfConsumerGroupMemberEpochIsInvalid): the error to answer, or how the member is admitted.
 */
export function admission(
  ctx: Ctx,
  msg: ConsumerGroupHeartbeatRequest,
): ConsumerErrorCode | { kind: 'new' } | { kind: 'existing' } | { kind: 'replace'; previous: string } {
  if (msg.instanceId !== null) {
    const existing = memberOfInstance(ctx, msg.instanceId);
    if (msg.memberEpoch === 0) {
      if (!existing) return ctx.members[msg.memberId] ? epochCheck(ctx.members[msg.memberId], msg) : { kind: 'new' };
      // Only a member that left temporarily (-2) can be replaced; an active one keeps its instance id
      // (also against itself rejoining with its own id: 4.0 behaviour, fatal for the Java client).
      if (existing.memberEpoch === STATIC_LEAVE_EPOCH) return { kind: 'replace', previous: existing.memberId };
      return 'UNRELEASED_INSTANCE_ID';
    }
    if (!existing) return 'UNKNOWN_MEMBER_ID';
    if (existing.memberId !== msg.memberId) return 'FENCED_INSTANCE_ID';
    return epochCheck(existing, msg);
  }
  const m = ctx.members[msg.memberId];
  if (!m) return msg.memberEpoch === 0 ? { kind: 'new' } : 'UNKNOWN_MEMBER_ID';
  // 4.0 applies the epoch check to epoch 0 too: a fenced member rejoining with its member id is
  // fenced again until its old record expires (fixed in later Kafka releases).
  return epochCheck(m, msg);
}

/** throwIfConsumerGroupMemberEpochIsInvalid: an older epoch passes only as the previous epoch, owning a subset (lost response). */
function epochCheck(m: ConsumerGroupMember, msg: ConsumerGroupHeartbeatRequest): ConsumerErrorCode | { kind: 'existing' } {
  if (msg.memberEpoch > m.memberEpoch) return 'FENCED_MEMBER_EPOCH';
  if (msg.memberEpoch < m.memberEpoch && (msg.memberEpoch !== m.previousEpoch || msg.owned === null || !subset(msg.owned, m.assigned)))
    return 'FENCED_MEMBER_EPOCH';
  return { kind: 'existing' };
}

/** The member leaving or parking with -1 / -2: lookup by instance id for static members (consumerGroupLeave). */
export function leaver(ctx: Ctx, msg: ConsumerGroupHeartbeatRequest): ConsumerGroupMember | ConsumerErrorCode {
  if (msg.instanceId !== null) {
    const m = memberOfInstance(ctx, msg.instanceId);
    if (!m) return 'UNKNOWN_MEMBER_ID';
    return m.memberId === msg.memberId ? m : 'FENCED_INSTANCE_ID';
  }
  return ctx.members[msg.memberId] ?? 'UNKNOWN_MEMBER_ID';
}

/** consumerGroupFenceMember / removeMember: its partitions are free at once and the group epoch goes up. */
export function removeMember(ctx: Ctx, id: string, topics: Topics | undefined): Partial<Ctx> {
  const m = ctx.members[id];
  if (!m) return {};
  const members = without(ctx.members, id);
  // The last member subscribed to a regex takes its resolution with it (a tombstone record).
  const resolvedRegexes = pruneRegexes(ctx.resolvedRegexes, members);
  return {
    members,
    target: without(ctx.target, id),
    partitionEpochs: movePartitionEpochs(ctx.partitionEpochs, m, undefined),
    groupEpoch: ctx.groupEpoch + 1,
    subscriptionMetadata: subscriptionMetadata(members, topics, ctx.subscriptionMetadata, resolvedRegexes),
    timers: without(ctx.timers, `session:${id}`, `rebalance:${id}`, `join:${id}`, `sync:${id}`),
    ...(resolvedRegexes !== ctx.resolvedRegexes ? { resolvedRegexes } : {}),
  };
}

/** A changed subscription or changed partition counts of subscribed topics bump the group epoch (to `next`). */
export const bumpPatch =
  (next: (ctx: Ctx) => number) =>
  ({ context, event }: { context: Ctx; event: Ev }): Partial<Ctx> => {
    const meta = subscriptionMetadata(context.members, topicsOf(event), context.subscriptionMetadata, context.resolvedRegexes);
    const metaChanged = !sameTopics(meta, context.subscriptionMetadata);
    if (!context.round!.subscriptionChanged && !metaChanged) return {};
    return { groupEpoch: next(context), subscriptionMetadata: meta };
  };

/** Creates, replaces (static) or updates the member record; notes whether the group epoch must go up. */
export function admitPatch({ context, event }: { context: Ctx; event: Ev }): Partial<Ctx> {
  const msg = hb(event);
  const a = admission(context, msg) as Exclude<ReturnType<typeof admission>, ConsumerErrorCode>;
  let members = context.members;
  let target = context.target;
  let partitionEpochs = context.partitionEpochs;
  let timers = context.timers;
  let before: ConsumerGroupMember | undefined = members[msg.memberId];
  if (a.kind === 'replace') {
    // The new member id takes the parked record's place: same assignment, epoch 0, its target moved.
    const old = members[a.previous];
    const replacement: ConsumerGroupMember = { ...old, memberId: msg.memberId, client: msg.client, memberEpoch: 0, previousEpoch: 0 };
    members = { ...without(members, a.previous), [msg.memberId]: replacement };
    target = { ...without(target, a.previous), [msg.memberId]: target[a.previous] ?? [] };
    partitionEpochs = movePartitionEpochs(partitionEpochs, old, replacement);
    timers = without(timers, `session:${a.previous}`, `rebalance:${a.previous}`);
    before = replacement;
  } else if (a.kind === 'new') {
    before = undefined;
  }
  const base: ConsumerGroupMember = before ?? newMember(msg, msg.rebalanceTimeoutMs ?? 0);
  const updated: ConsumerGroupMember = {
    ...base,
    client: msg.client,
    topics: msg.topics ?? base.topics,
    ...(msg.regex ? { regex: msg.regex } : {}),
    assignor: msg.assignor ?? base.assignor,
    rebalanceTimeoutMs: msg.rebalanceTimeoutMs ?? base.rebalanceTimeoutMs,
  };
  // A regex new to the member bumps the epoch only if the group has it resolved already; an
  // unresolved one waits for its resolution (maybeUpdateRegularExpressions).
  const regexChanged =
    updated.regex !== base.regex && updated.regex !== undefined && context.resolvedRegexes?.[updated.regex] !== undefined;
  const subscriptionChanged = !sameJoined(updated.topics, base.topics) || regexChanged || before === undefined;
  const full = msg.memberEpoch === 0 || (msg.rebalanceTimeoutMs !== null && msg.topics !== null && msg.owned !== null);
  return {
    members: { ...members, [msg.memberId]: updated },
    target,
    partitionEpochs,
    timers,
    round: { memberId: msg.memberId, assignedBefore: before ? before.assigned : null, full, subscriptionChanged },
  };
}
/** The reconciliation of the heartbeating member under the given rules (Kafka's by default). */
export const reconcilePatch =
  (rules: ReconcileRules) =>
  ({ context, event }: { context: Ctx; event: Ev }): Partial<Ctx> => {
    const now = (event as HeartbeatEvent).now;
    const id = context.round!.memberId;
    const m = context.members[id];
    const held = (p: string) => context.partitionEpochs[p] !== undefined && !m.assigned.includes(p);
    const next = reconcileStep(m, context.target[id] ?? [], context.targetEpoch, ownedOf(event), held, rules);
    if (next === m) return {};
    let timers = context.timers;
    let rebalanceEpoch = next.rebalanceEpoch;
    // The rebalance timer runs while the member is asked to revoke, re-armed at every change of
    // the member while it is (GroupMetadataManager.maybeReconcile schedules it whenever the
    // updated member differs and is UNREVOKED_PARTITIONS: with KAFKA-19974 a second revocation
    // keeps the epoch and still restarts the timer). A classic member has none: its join and sync
    // timeouts (join:/sync:) bound it instead.
    if (!m.classic && next.state === 'unrevoked') {
      timers = { ...timers, [`rebalance:${id}`]: now + next.rebalanceTimeoutMs };
      rebalanceEpoch = next.memberEpoch;
    } else if (!m.classic && next.state !== 'unrevoked') {
      timers = without(timers, `rebalance:${id}`);
      rebalanceEpoch = null;
    }
    const updated = { ...next, rebalanceEpoch };
    return {
      members: { ...context.members, [id]: updated },
      partitionEpochs: movePartitionEpochs(context.partitionEpochs, m, updated),
      timers,
    };
  };

/**
 * The heartbeat's update of the group, as far as the target: the member admitted, the group epoch
 * bumped if needed. When its group epoch is past the target epoch, the heartbeat computes a target.
 */
function beforeTarget(context: Ctx, event: Ev): Ctx {
  const admitted = { ...context, ...admitPatch({ context, event }) };
  return { ...admitted, ...bumpPatch((ctx) => ctx.groupEpoch + 1)({ context: admitted, event }) };
}

/** An admitted, non-leaving heartbeat that makes the coordinator compute a new target assignment. */
export function computesTarget(context: Ctx, event: Ev): boolean {
  const msg = hb(event);
  if (msg.memberEpoch === LEAVE_EPOCH || msg.memberEpoch === STATIC_LEAVE_EPOCH) return false;
  if (typeof admission(context, msg) === 'string') return false;
  const ctx = beforeTarget(context, event);
  return ctx.groupEpoch > ctx.targetEpoch;
}

/** The server assignor the most members name (ties: first in group.consumer.assignors order), else the default. */
function preferredAssignor(ctx: Ctx, assignors: Record<string, ServerAssignor>): ServerAssignor {
  const votes = new Map<string, number>();
  for (const m of Object.values(ctx.members))
    if (m.assignor && assignors[m.assignor]) votes.set(m.assignor, (votes.get(m.assignor) ?? 0) + 1);
  let best: string | null = null;
  for (const name of Object.keys(assignors)) if ((votes.get(name) ?? 0) > (best === null ? 0 : votes.get(best)!)) best = name;
  return assignors[best ?? defaultServerAssignor] ?? Object.values(assignors)[0];
}

/** The target the preferred assignor computes for the group as it is (throws what the assignor throws). */
function computeTarget(context: Ctx, assignors: Record<string, ServerAssignor>): Record<string, TopicPartition[]> {
  const assignor = preferredAssignor(context, assignors);
  const members = Object.fromEntries(
    Object.values(context.members).map((m) => [m.memberId, { topics: memberTopics(m, context.resolvedRegexes), instanceId: m.instanceId }]),
  );
  return assignor.assign({ topics: context.subscriptionMetadata, members, previous: context.target });
}

export function createGroupCoordinatorMachine(assignors: Record<string, ServerAssignor> = serverAssignors) {
  /** Kafka's own assignors never throw; a user-supplied one may, so only those are tried in advance. */
  const mayThrow = (ctx: Ctx) => {
    const a = preferredAssignor(ctx, assignors);
    return !Object.values(serverAssignors).includes(a);
  };
  return setup({
    types: {} as { context: Ctx; events: Ev; input: GroupInput },
    actions: {
      /** Outgoing response; executed by the world, never by the machine. */
      send: (_: unknown, _response: ConsumerResponse | ClassicResponse) => {},

      rejectHeartbeat: enqueueActions(({ context, event, enqueue }) => {
        const msg = hb(event);
        const code =
          msg.memberEpoch === LEAVE_EPOCH || msg.memberEpoch === STATIC_LEAVE_EPOCH
            ? (leaver(context, msg) as ConsumerErrorCode)
            : (admission(context, msg) as ConsumerErrorCode);
        enqueue({ type: 'send', params: errorReply(msg, code) });
      }),

      // ---- leaving ------------------------------------------------------------------------
      /** The answer to a -1 heartbeat (the group record changes elsewhere). */
      respondLeaving: enqueueActions(({ event, enqueue }) => {
        const msg = hb(event);
        enqueue({
          type: 'send',
          params: replyTo(msg, {
            kind: 'ConsumerGroupHeartbeatResponse',
            error: 'NONE',
            memberId: msg.memberId,
            memberEpoch: LEAVE_EPOCH,
            heartbeatIntervalMs: 0,
            assignment: null,
            committed: {},
          }),
        });
      }),
      /** Epoch -1: the member is removed, its partitions freed, the group epoch bumped. */
      fenceLeavingMember: enqueueActions(({ context, event, enqueue }) => {
        const msg = hb(event);
        const m = leaver(context, msg) as ConsumerGroupMember;
        enqueue.assign(removeMember(context, m.memberId, topicsOf(event)));
        enqueue({
          type: 'send',
          params: replyTo(msg, {
            kind: 'ConsumerGroupHeartbeatResponse',
            error: 'NONE',
            memberId: m.memberId,
            memberEpoch: LEAVE_EPOCH,
            heartbeatIntervalMs: 0,
            assignment: null,
            committed: {},
          }),
        });
      }),
      /**
       * Epoch -2 (static members): the record stays with epoch -2 and its assigned partitions
       * reserved; pending revocations are freed; no epoch bump; the session timer keeps running.
       */
      parkStaticMember: enqueueActions(({ context, event, enqueue }) => {
        const msg = hb(event);
        const m = leaver(context, msg) as ConsumerGroupMember;
        const parked: ConsumerGroupMember = { ...m, memberEpoch: STATIC_LEAVE_EPOCH, pendingRevocation: [], rebalanceEpoch: null };
        enqueue.assign({
          members: { ...context.members, [m.memberId]: parked },
          partitionEpochs: movePartitionEpochs(context.partitionEpochs, m, parked),
          timers: without(context.timers, `rebalance:${m.memberId}`),
        });
        enqueue({
          type: 'send',
          params: replyTo(msg, {
            kind: 'ConsumerGroupHeartbeatResponse',
            error: 'NONE',
            memberId: m.memberId,
            memberEpoch: STATIC_LEAVE_EPOCH,
            heartbeatIntervalMs: 0,
            assignment: null,
            committed: {},
          }),
        });
      }),

      /**
       * convertToClassicGroup: the member that left (or was fenced) was the last one using the
       * consumer protocol; the group becomes a classic group without it (ClassicGroup.fromConsumerGroup,
       * see models/classic/coordinator.ts), which then prepares a rebalance. Its own response is the
       * usual leave response; the world hands the group over when the machine is `converted`.
       */
      downgradeToClassic: assign(({ event }) => ({
        conversion: { leaving: event.type === 'TIMER' ? timerMember(event) : hb(event).memberId, redeliver: false },
        timers: {},
      })),
      /**
       * classicGroupJoinToClassicGroup on an empty consumer group: the group is deleted and the
       * JoinGroup creates a classic group (whatever the migration policy); offsets stay.
       */
      handToClassicGroup: assign({ conversion: { leaving: null, redeliver: true }, timers: {} }),

      // ---- classic members (classicGroup*ToConsumerGroup) -----------------------------------
      /** INCONSISTENT_GROUP_PROTOCOL: no offered assignor is supported by every classic member. */
      rejectClassicProtocol: enqueueActions(({ event, enqueue }) => {
        enqueue({ type: 'send', params: reply(classicMsg(event), joinError('INCONSISTENT_GROUP_PROTOCOL')) });
      }),
      /** KIP-394 as in a classic group: a new dynamic member gets an id and must come back with it (nothing is recorded). */
      requireClassicMemberId: enqueueActions(({ context, event, enqueue }) => {
        const msg = joinMsg(event);
        const id = dynamicMemberId(context.nextMemberSeq, msg.client.client);
        enqueue.assign({ nextMemberSeq: context.nextMemberSeq + 1 });
        enqueue({ type: 'send', params: reply(msg, joinError('MEMBER_ID_REQUIRED', id)) });
      }),
      /** The classic member is created or updated from its JoinGroup: subscription, rebalance timeout, classic metadata. */
      admitClassicMember: assign(({ context, event }) => {
        const msg = joinMsg(event);
        const before: ConsumerGroupMember | undefined = context.members[msg.memberId];
        const base: ConsumerGroupMember = before ?? newMember(msg, msg.rebalanceTimeoutMs);
        const updated: ConsumerGroupMember = {
          ...base,
          client: msg.client,
          topics: [...msg.subscription.topics],
          rebalanceTimeoutMs: msg.rebalanceTimeoutMs,
          classic: { sessionTimeoutMs: msg.sessionTimeoutMs, protocols: [...msg.protocols] },
        };
        const subscriptionChanged = before === undefined || !sameJoined(updated.topics, base.topics);
        return {
          members: { ...context.members, [msg.memberId]: updated },
          round: { memberId: msg.memberId, assignedBefore: before ? before.assigned : null, full: true, subscriptionChanged },
        };
      }),
      /** After a JoinGroup: the session timer runs on the classic session timeout; SyncGroup must follow within the rebalance timeout. */
      armClassicJoinTimers: assign(({ context, event }) => {
        const m = context.members[context.round!.memberId];
        return {
          timers: {
            ...without(context.timers, `join:${m.memberId}`),
            [`session:${m.memberId}`]: event.now + m.classic!.sessionTimeoutMs,
            [`sync:${m.memberId}`]: event.now + m.rebalanceTimeoutMs,
          },
        };
      }),
      /** The JoinGroup response: the member epoch as generation, the member's first assignor as protocol, no leader. */
      respondClassicJoin: enqueueActions(({ context, event, enqueue }) => {
        const m = context.members[context.round!.memberId];
        enqueue.assign({ round: null });
        enqueue({
          type: 'send',
          params: reply(joinMsg(event), {
            kind: 'JoinGroupResponse',
            error: 'NONE',
            memberId: m.memberId,
            generation: m.memberEpoch,
            protocolName: m.classic!.protocols[0],
            leaderId: null,
            members: {},
            skipAssignment: false,
          }),
        });
      }),
      /** SyncGroup: the member's assigned partitions (and, as everywhere in the model, their committed offsets). */
      respondClassicSync: enqueueActions(({ context, event, enqueue }) => {
        const msg = classicMsg(event);
        const m = context.members[msg.memberId];
        enqueue.assign({
          timers: { ...without(context.timers, `sync:${m.memberId}`), [`session:${m.memberId}`]: event.now + m.classic!.sessionTimeoutMs },
        });
        const committed = Object.fromEntries(m.assigned.filter((p) => context.committed[p]).map((p) => [p, context.committed[p].offset]));
        enqueue({
          type: 'send',
          params: reply(msg, { kind: 'SyncGroupResponse', error: 'NONE', assignment: [...m.assigned], committed }),
        });
      }),
      /** The member must rejoin: REBALANCE_IN_PROGRESS, and the join timeout starts if it is not running. */
      rejectClassicRebalancing: enqueueActions(({ context, event, enqueue }) => {
        const msg = classicMsg(event);
        const m = context.members[msg.memberId];
        // A Heartbeat keeps the session alive first; a SyncGroup rejected this way does not.
        const timers =
          msg.kind === 'Heartbeat'
            ? { ...context.timers, [`session:${m.memberId}`]: event.now + m.classic!.sessionTimeoutMs }
            : { ...context.timers };
        if (timers[`join:${m.memberId}`] === undefined) timers[`join:${m.memberId}`] = event.now + m.rebalanceTimeoutMs;
        enqueue.assign({ timers });
        enqueue({ type: 'send', params: reply(msg, errorFor(msg.kind, 'REBALANCE_IN_PROGRESS')) });
      }),
      /** Heartbeat of a classic member that has nothing to catch up on: the session goes on. */
      answerClassicHeartbeat: enqueueActions(({ context, event, enqueue }) => {
        const msg = classicMsg(event);
        const m = context.members[msg.memberId];
        enqueue.assign({ timers: { ...context.timers, [`session:${m.memberId}`]: event.now + m.classic!.sessionTimeoutMs } });
        enqueue({ type: 'send', params: reply(msg, errorFor(msg.kind, 'NONE')) });
      }),
      rejectClassicUnknown: enqueueActions(({ event, enqueue }) => {
        const msg = classicMsg(event);
        enqueue({ type: 'send', params: reply(msg, errorFor(msg.kind, 'UNKNOWN_MEMBER_ID')) });
      }),
      rejectClassicGeneration: enqueueActions(({ event, enqueue }) => {
        const msg = classicMsg(event);
        enqueue({ type: 'send', params: reply(msg, errorFor(msg.kind, 'ILLEGAL_GENERATION')) });
      }),
      /** classicGroupLeaveToConsumerGroup: the member is removed and the group epoch bumped (never a downgrade). */
      removeClassicMember: enqueueActions(({ context, event, enqueue }) => {
        const msg = classicMsg(event);
        enqueue.assign(removeMember(context, msg.memberId, topicsOf(event)));
        enqueue({ type: 'send', params: reply(msg, errorFor('LeaveGroup', 'NONE')) });
      }),
      /** ConsumerGroup.fromClassicGroup: this new group takes over the classic group's members, epochs and offsets. */
      fromClassicGroup: assign(({ context, event }) => {
        const e = event as Extract<Ev, { type: 'CONVERT_FROM_CLASSIC' }>;
        return fromClassicGroup(context, e.group, e.now);
      }),

      // ---- a regular heartbeat ------------------------------------------------------------
      admitMember: assign(admitPatch),
      /** maybeUpdateRegularExpressions: the heartbeat may schedule the asynchronous resolution of the group's regexes. */
      scheduleRegexRefresh: assign(({ context, event }) => {
        const { now, topics } = event as HeartbeatEvent;
        return refreshDue(context, topics) ? { timers: { ...context.timers, [REGEX_TIMER]: now } } : {};
      }),
      /** REGEX_REFRESH_INTERVAL_MS has passed since the last resolution: the next heartbeat may schedule one. */
      endRegexInterval: assign(({ context }) => ({ timers: without(context.timers, REGEX_INTERVAL_TIMER) })),
      /** The resolution's result (handleRegularExpressionsResult): stored; new topics bump the group epoch. */
      resolveRegexes: assign(({ context, event }) => {
        const { now, topics } = event as Extract<Ev, { type: 'TIMER' }>;
        const timers = { ...without(context.timers, REGEX_TIMER), [REGEX_INTERVAL_TIMER]: now + REGEX_REFRESH_INTERVAL_MS };
        const image = topics ?? context.subscriptionMetadata;
        const { resolvedRegexes, changed } = resolveRegexes(context, image);
        const meta = subscriptionMetadata(context.members, image, context.subscriptionMetadata, resolvedRegexes);
        const bump = changed || !sameTopics(meta, context.subscriptionMetadata);
        return {
          timers,
          resolvedRegexes,
          ...(bump ? { groupEpoch: context.groupEpoch + 1, subscriptionMetadata: meta } : {}),
        };
      }),
      bumpGroupEpochIfNeeded: assign(bumpPatch((ctx) => ctx.groupEpoch + 1)),
      /** groupEpoch > targetEpoch: the preferred server assignor recomputes every member's target, seeded with the old one. */
      computeTargetIfNeeded: assign(({ context }) => {
        if (context.groupEpoch <= context.targetEpoch) return {};
        try {
          return { target: computeTarget(context, assignors), targetEpoch: context.groupEpoch };
        } catch {
          // Reached only by a classic member's JoinGroup in a consumer group (a heartbeat whose
          // assignor throws takes failAssignment instead). Kafka fails that JoinGroup with
          // UNKNOWN_SERVER_ERROR too. Simplified: the target stays as it was (groupEpoch >
          // targetEpoch, so the next request computes again) and the JoinGroup is answered.
          return {};
        }
      }),
      /**
       * GroupMetadataManager.updateTargetAssignment: a PartitionAssignorException becomes
       * UnknownServerException, the write operation fails, none of the heartbeat's records are
       * written (the member, the epoch bump, the target) and the heartbeat is answered
       * UNKNOWN_SERVER_ERROR: the group stays exactly as it was.
       */
      failAssignment: enqueueActions(({ event, enqueue }) => {
        enqueue({ type: 'send', params: errorReply(hb(event), 'UNKNOWN_SERVER_ERROR') });
      }),
      reconcileMember: assign(reconcilePatch(kafkaRules)),
      armSession: assign(({ context, event }) => ({
        timers: { ...context.timers, [`session:${context.round!.memberId}`]: event.now + context.sessionTimeoutMs },
      })),
      /** The assignment is sent for full requests and whenever the member's assigned partitions changed. */
      respondHeartbeat: enqueueActions(({ context, event, enqueue }) => {
        const msg = hb(event);
        const r = context.round!;
        const m = context.members[r.memberId];
        const include = r.full || r.assignedBefore === null || !sameSet(r.assignedBefore, m.assigned);
        const committed = include
          ? Object.fromEntries(m.assigned.filter((p) => context.committed[p]).map((p) => [p, context.committed[p].offset]))
          : {};
        enqueue.assign({ round: null });
        enqueue({
          type: 'send',
          params: replyTo(msg, {
            kind: 'ConsumerGroupHeartbeatResponse',
            error: 'NONE',
            memberId: m.memberId,
            memberEpoch: m.memberEpoch,
            heartbeatIntervalMs: context.heartbeatIntervalMs,
            assignment: include ? [...m.assigned] : null,
            committed,
          }),
        });
      }),

      // ---- timers ---------------------------------------------------------------------------
      /** Session expiry: the member is fenced (removed, partitions freed, epoch bumped). */
      expireSession: assign(({ context, event }) => {
        const timers = without(context.timers, timerName(event));
        return { timers, ...removeMember({ ...context, timers }, timerMember(event), topicsOf(event)) };
      }),
      /** Rebalance timeout: fenced if it still has not acknowledged the revocation it was asked at that epoch. */
      expireRebalance: assign(({ context, event }) => {
        const m = context.members[timerMember(event)];
        const timers = without(context.timers, timerName(event));
        if (m?.state !== 'unrevoked' || m.memberEpoch !== m.rebalanceEpoch) return { timers };
        return removeMember({ ...context, timers }, m.memberId, topicsOf(event));
      }),

      // ---- offset commits ---------------------------------------------------------------------
      rejectCommit: enqueueActions(({ context, event, enqueue }) => {
        const { msg } = event as CommitEvent;
        const m = context.members[msg.memberId];
        // ConsumerGroup.validateMemberEpoch: a classic member's mismatch is ILLEGAL_GENERATION.
        const error = !m ? 'UNKNOWN_MEMBER_ID' : m.classic ? 'ILLEGAL_GENERATION' : 'STALE_MEMBER_EPOCH';
        enqueue({ type: 'send', params: replyTo(msg, { kind: 'OffsetCommitResponse', error: error as ConsumerErrorCode }) });
      }),
      /**
       * ConsumerGroup.offsetExpirationCondition counts from each offset's commit, whatever the group
       * state, and OffsetMetadataManager.cleanupExpiredOffsets expires only topics the group does not
       * subscribe to (isSubscribedToTopic: subscribedTopicNames, names and resolved regexes, classic
       * members included). An Empty group subscribes to nothing: every offset goes.
       */
      expireUnsubscribedOffsets: assign(({ context }) => {
        const subscribed = new Set(Object.values(context.members).flatMap((m) => memberTopics(m, context.resolvedRegexes)));
        return expireUnsubscribed(context.committed, subscribed);
      }),
      storeCommit: enqueueActions(({ context, event, enqueue }) => {
        const { msg } = event as CommitEvent;
        const committed = { ...context.committed };
        for (const [p, offset] of Object.entries(msg.offsets))
          committed[p] = { offset, memberId: msg.memberId, generation: commitEpoch(msg) };
        enqueue.assign({ committed });
        enqueue({ type: 'send', params: replyTo(msg, { kind: 'OffsetCommitResponse', error: 'NONE' }) });
      }),
      rejectNotCoordinator: enqueueActions(({ event, enqueue }) => {
        if (!('msg' in event)) return;
        if (event.type === 'ConsumerGroupHeartbeat' || (event.type === 'OffsetCommit' && 'memberEpoch' in event.msg))
          enqueue({ type: 'send', params: errorReply(event.msg as ConsumerRequest, 'NOT_COORDINATOR') });
        else enqueue({ type: 'send', params: reply(event.msg as ClassicRequest, errorFor(event.msg.kind, 'NOT_COORDINATOR')) });
      }),
    },
    guards: {
      isLeave: ({ event }) => hb(event).memberEpoch === LEAVE_EPOCH,
      isStaticLeave: ({ event }) => hb(event).memberEpoch === STATIC_LEAVE_EPOCH && hb(event).instanceId !== null,
      leaverKnown: ({ context, event }) => typeof leaver(context, hb(event)) !== 'string',
      heartbeatAdmitted: ({ context, event }) => typeof admission(context, hb(event)) !== 'string',
      /**
       * The heartbeat makes the coordinator compute a target and the assignor throws: the fault
       * world's choice (`assignorFails` on the event), or a user-supplied assignor that throws.
       */
      assignorThrows: ({ context, event }) => {
        if (!computesTarget(context, event)) return false;
        if ((event as { assignorFails?: boolean }).assignorFails === true) return true;
        const ctx = beforeTarget(context, event);
        if (!mayThrow(ctx)) return false;
        try {
          computeTarget(ctx, assignors);
          return false;
        } catch {
          return true;
        }
      },
      isTimer: ({ event }, prefix: string) => event.type === 'TIMER' && event.name.startsWith(`${prefix}:`),
      /** validateOnlineDowngradeWithFencedMember for the member leaving with -1. */
      leaveDowngrades: ({ context, event }) => downgradeOnFence(context, hb(event).memberId),
      /** validateOnlineDowngradeWithFencedMember for the member a timer fences. */
      timerDowngrades: ({ context, event }) => downgradeOnFence(context, timerMember(event)),
      /** The rebalance timer fences: the member still has not acknowledged the revocation asked at that epoch. */
      rebalanceExpires: ({ context, event }) => {
        const m = context.members[timerMember(event)];
        return m?.state === 'unrevoked' && m.memberEpoch === m.rebalanceEpoch;
      },
      groupIsEmpty: ({ context }) => Object.keys(context.members).length === 0,
      classicProtocolUnsupported: ({ context, event }) => !supportsClassicProtocols(context, joinMsg(event).protocols),
      classicNeedsMemberId: ({ event }) => joinMsg(event).memberId === '',
      classicUnknown: ({ context, event }) => classicMemberOf(context, event) === undefined,
      /** throwIfGenerationIdUnmatched: the generation must be the member epoch. */
      classicGenerationStale: ({ context, event }) =>
        (classicMsg(event) as { generation: number }).generation !== classicMemberOf(context, event)!.memberEpoch,
      classicSyncRebalancing: ({ context, event }) => classicSyncRebalancing(context, classicMemberOf(context, event)!),
      classicMustRejoin: ({ context, event }) => classicMustRejoin(context, classicMemberOf(context, event)!),
      /** ConsumerGroup.validateOffsetCommit (4.0): a known member carrying its current epoch; epoch < 0 only in an empty group. */
      commitAccepted: ({ context, event }) => {
        const { msg } = event as CommitEvent;
        const m = context.members[msg.memberId];
        if (commitEpoch(msg) < 0 && Object.keys(context.members).length === 0) return true;
        return m !== undefined && m.memberEpoch === commitEpoch(msg);
      },
    },
  }).createMachine({
    id: 'consumer-group-coordinator',
    context: ({ input }) => initialGroupContext(input),
    initial: 'active',
    states: {
      active: {
        on: {
          ConsumerGroupHeartbeat: [
            {
              guard: and(['isLeave', 'leaverKnown', 'leaveDowngrades']),
              target: 'converted',
              actions: ['respondLeaving', 'downgradeToClassic'],
            },
            { guard: and(['isLeave', 'leaverKnown']), actions: 'fenceLeavingMember' },
            { guard: and(['isStaticLeave', 'leaverKnown']), actions: 'parkStaticMember' },
            { guard: and(['heartbeatAdmitted', 'assignorThrows']), actions: 'failAssignment' },
            {
              guard: 'heartbeatAdmitted',
              actions: [
                'admitMember',
                'scheduleRegexRefresh',
                'bumpGroupEpochIfNeeded',
                'computeTargetIfNeeded',
                'reconcileMember',
                'armSession',
                'respondHeartbeat',
              ],
            },
            { actions: 'rejectHeartbeat' },
          ],
          OffsetCommit: [{ guard: 'commitAccepted', actions: 'storeCommit' }, { actions: 'rejectCommit' }],
          EXPIRE_OFFSETS: { actions: 'expireUnsubscribedOffsets' },
          JoinGroup: [
            { guard: 'groupIsEmpty', target: 'converted', actions: 'handToClassicGroup' },
            { guard: 'classicProtocolUnsupported', actions: 'rejectClassicProtocol' },
            { guard: 'classicNeedsMemberId', actions: 'requireClassicMemberId' },
            {
              actions: [
                'admitClassicMember',
                'bumpGroupEpochIfNeeded',
                'computeTargetIfNeeded',
                'reconcileMember',
                'armClassicJoinTimers',
                'respondClassicJoin',
              ],
            },
          ],
          SyncGroup: [
            { guard: 'classicUnknown', actions: 'rejectClassicUnknown' },
            { guard: 'classicGenerationStale', actions: 'rejectClassicGeneration' },
            { guard: 'classicSyncRebalancing', actions: 'rejectClassicRebalancing' },
            { actions: 'respondClassicSync' },
          ],
          Heartbeat: [
            { guard: 'classicUnknown', actions: 'rejectClassicUnknown' },
            { guard: 'classicGenerationStale', actions: 'rejectClassicGeneration' },
            { guard: 'classicMustRejoin', actions: 'rejectClassicRebalancing' },
            { actions: 'answerClassicHeartbeat' },
          ],
          LeaveGroup: [{ guard: 'classicUnknown', actions: 'rejectClassicUnknown' }, { actions: 'removeClassicMember' }],
          TIMER: [
            {
              guard: and([{ type: 'isTimer', params: 'session' }, 'timerDowngrades']),
              target: 'converted',
              actions: 'downgradeToClassic',
            },
            { guard: { type: 'isTimer', params: 'session' }, actions: 'expireSession' },
            {
              guard: and([{ type: 'isTimer', params: 'rebalance' }, 'rebalanceExpires', 'timerDowngrades']),
              target: 'converted',
              actions: 'downgradeToClassic',
            },
            { guard: { type: 'isTimer', params: 'rebalance' }, actions: 'expireRebalance' },
            // A classic member that did not rejoin, or did not sync, within its rebalance timeout is fenced.
            { guard: { type: 'isTimer', params: 'join' }, actions: 'expireSession' },
            { guard: { type: 'isTimer', params: 'sync' }, actions: 'expireSession' },
            { guard: { type: 'isTimer', params: 'regex' }, actions: 'resolveRegexes' },
            { guard: { type: 'isTimer', params: 'regexInterval' }, actions: 'endRegexInterval' },
          ],
          CONVERT_FROM_CLASSIC: { actions: 'fromClassicGroup' },
          UNLOAD: { target: 'unloaded' },
        },
      },
      /**
       * The group became a classic group (context.conversion says how); the world hands it to the
       * classic coordinator at once. Nothing reaches this snapshot afterwards.
       */
      converted: {},
      /** The group moved to another broker: everything is answered NOT_COORDINATOR. */
      unloaded: {
        on: {
          ConsumerGroupHeartbeat: { actions: 'rejectNotCoordinator' },
          OffsetCommit: { actions: 'rejectNotCoordinator' },
          JoinGroup: { actions: 'rejectNotCoordinator' },
          SyncGroup: { actions: 'rejectNotCoordinator' },
          Heartbeat: { actions: 'rejectNotCoordinator' },
          LeaveGroup: { actions: 'rejectNotCoordinator' },
        },
      },
    },
  });
}

export const groupCoordinatorMachine = createGroupCoordinatorMachine();
