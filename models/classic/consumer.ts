import { logEndOf, startOffset } from '../offset-reset.ts';
import { omit, sameJoined } from '../records.ts';
import { and, assign, enqueueActions, not, or, setup, stateIn } from 'xstate';
import { partitionRacksOf, type RackMoves, sameRacks } from '../assignors/racks.ts';
import type { AssignInput, Assignor } from '../assignors/types.ts';
import { matchingTopics, type Topics } from '../types.ts';
import type { ClassicResponse, ClientRequest } from './messages.ts';
import { type ConsumerContext, type ConsumerEvent, type ConsumerInput, type Sent, initialConsumerContext } from './consumer-state.ts';

// The classic consumer (ConsumerCoordinator.java and its heartbeat thread).
// States follow MemberState: unjoined, PREPARING_REBALANCE (split into `committing`, the
// auto-commit before revocation, and `joining`), COMPLETING_REBALANCE (`syncing`), STABLE;
// plus `closed` and `fatal`. The application thread is modelled as always polling unless
// `stalled`, so work that Kafka does "on the next poll()" happens right away.
// Rebalance callbacks that take time are states of their own: `revoking` (onPartitionsRevoked),
// `assigning` (onPartitionsAssigned) and `losing` (onPartitionsLost). close() is not atomic
// (ConsumerCoordinator.close, AbstractCoordinator.close): `closing` (the synchronous auto-commit,
// heartbeats still running), `releasing` (onLeavePrepare's callback) and `leaving` (LeaveGroup
// sent, awaitPendingRequests waiting for its answer or the request timeout).

type Ctx = ConsumerContext;
type Ev = ConsumerEvent;
type Response<K extends ClassicResponse['kind']> = Extract<ClassicResponse, { kind: K }>;
const resp = (e: Ev) => (e as Extract<Ev, { type: 'RESPONSE' }>).msg;
/** Virtual time of an event; the initial transition carries it in the machine's input. */
const nowOf = (e: Ev): number => (e as { now?: number }).now ?? (e as unknown as { input: ConsumerInput }).input.now;
const timerName = (e: Ev) => (e as Extract<Ev, { type: 'TIMER' }>).name;
const without = (timers: Record<string, number>, ...names: string[]) => omit(timers, names);
type Body<T> = T extends unknown ? Omit<T, 'corr' | 'client' | 'epoch'> : never;

/** Builds a request (addressed to the coordinator the client knows) and its bookkeeping. */
function request(ctx: Ctx, body: Body<ClientRequest>): { msg: ClientRequest; sent: Sent } {
  const corr = ctx.nextCorr;
  // Completed in place rather than copied (`{ ...body, epoch, corr, client }`, the same fields in
  // the same order): every caller hands a body made for this request alone, and a spread over
  // the bodies of six request kinds was the consumer's costliest line.
  const msg = body as Record<string, unknown>;
  if (body.kind !== 'FindCoordinator') msg.epoch = ctx.coordinator ?? -1;
  msg.corr = corr;
  msg.client = { client: ctx.cfg.client, inc: ctx.cfg.inc };
  return { msg: msg as unknown as ClientRequest, sent: { corr, generation: ctx.generation, memberId: ctx.memberId } };
}

/** A SyncGroup carrying the leader's assignments (null from a follower), and the context change that tracks it. */
export function syncGroupRequest(ctx: Ctx, assignments: Record<string, string[]> | null, now: number) {
  const { msg, sent } = request(ctx, {
    kind: 'SyncGroup',
    memberId: ctx.memberId,
    instanceId: ctx.cfg.instanceId,
    generation: ctx.generation,
    assignments,
  });
  const patch: Partial<Ctx> = {
    nextCorr: ctx.nextCorr + 1,
    inflight: { ...ctx.inflight, sync: sent },
    timers: { ...ctx.timers, 'req:sync': now + ctx.cfg.settings.requestTimeoutMs },
  };
  return { msg, patch };
}

/** An OffsetCommit of the positions of every owned partition, and the context change that tracks it. */
function commitRequest(ctx: Ctx, now: number) {
  const { msg, sent } = request(ctx, {
    kind: 'OffsetCommit',
    memberId: ctx.memberId,
    instanceId: ctx.cfg.instanceId,
    generation: ctx.generation,
    offsets: Object.fromEntries(ctx.owned.map((p) => [p, ctx.positions[p] ?? 0])),
  });
  const patch = {
    nextCorr: ctx.nextCorr + 1,
    inflight: { ...ctx.inflight, commit: sent },
    timers: { ...ctx.timers, 'req:commit': now + ctx.cfg.settings.requestTimeoutMs } as Record<string, number>,
  };
  return { msg, patch };
}

/** Is this response the answer to the request we are still waiting for? */
const answers = (ctx: Ctx, slot: keyof Ctx['inflight'], e: Ev): boolean => e.type === 'RESPONSE' && ctx.inflight[slot]?.corr === e.msg.corr;

/** The generation and member id are still those the request was sent with. */
const unchangedSince = (ctx: Ctx, sent: Sent | undefined): boolean =>
  sent !== undefined && sent.generation === ctx.generation && sent.memberId === ctx.memberId;

const topicOf = (p: string) => p.slice(0, p.lastIndexOf('-'));
const pick = (positions: Record<string, number>, keep: string[]) => Object.fromEntries(keep.map((p) => [p, positions[p]]));

/** KIP-429: some partition is added to one member while revoked from another in the same round. */
function movesDirectly(subs: Record<string, { ownedPartitions: string[] }>, assignments: Record<string, string[]>): boolean {
  const added = new Set<string>();
  const revoked = new Set<string>();
  for (const [m, sub] of Object.entries(subs)) {
    const a = assignments[m] ?? [];
    for (const p of a) if (!sub.ownedPartitions.includes(p)) added.add(p);
    for (const p of sub.ownedPartitions) if (!a.includes(p)) revoked.add(p);
  }
  for (const p of added) if (revoked.has(p)) return true;
  return false;
}

/** close() leaves poll(): a join or sync in progress is abandoned, the poll timer stops. */
export const closeStart = (ctx: Ctx): Partial<Ctx> => ({
  inflight: { ...ctx.inflight, join: undefined, sync: undefined },
  timers: without(ctx.timers, 'poll', 'joinPrepare', 'retry', 'req:join', 'req:sync'),
});

/** maybeLeaveGroup on close: the LeaveGroup of a dynamic member with a member id and a known coordinator, or null. */
export function closeLeave(ctx: Ctx, now: number): { msg: ClientRequest; patch: Partial<Ctx> } | null {
  if (ctx.cfg.instanceId !== null || ctx.memberId === '' || ctx.coordinator === null) return null;
  const { msg, sent } = request(ctx, { kind: 'LeaveGroup', memberId: ctx.memberId, instanceId: null });
  const patch = {
    nextCorr: ctx.nextCorr + 1,
    inflight: { ...ctx.inflight, leave: sent },
    timers: { ...ctx.timers, 'req:leave': now + ctx.cfg.settings.requestTimeoutMs },
  };
  return { msg, patch };
}

/** Kafka's Generation is valid: a generation id and a member id. */
const hasGeneration = (ctx: Ctx): boolean => ctx.generation >= 0 && ctx.memberId !== '';

/**
 * While a callback runs on the application thread, the heartbeat thread goes on: its errors
 * reset the generation (and ask for a rejoin after the callback), but do not end the callback.
 */
const resetsDuringCallback = [
  {
    guard: { type: 'heartbeatErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
    actions: ['clearInflightHeartbeat', 'resetGenerationAndMemberId', 'requestRejoin', 'stopHeartbeats'],
  },
  {
    guard: { type: 'heartbeatErrorCurrent', params: 'ILLEGAL_GENERATION' },
    actions: ['clearInflightHeartbeat', 'resetGeneration', 'requestRejoin', 'stopHeartbeats'],
  },
  {
    guard: { type: 'commitErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
    actions: ['clearInflightCommit', 'resetGenerationAndMemberId', 'requestRejoin'],
  },
  {
    guard: { type: 'commitErrorCurrent', params: 'ILLEGAL_GENERATION' },
    actions: ['clearInflightCommit', 'resetGeneration', 'requestRejoin'],
  },
] as const;

const sameTopics = (a: Topics | null, b: Topics, topics: string[]): boolean => a !== null && topics.every((t) => a[t] === b[t]);

/**
 * ConsumerCoordinator.MetadataSnapshot.matches: partition counts, and (KIP-881) with a
 * client.rack also the racks of every partition's replicas (PartitionRackInfo), so a leader with
 * a rack rejoins when a replica moves to another rack.
 */
function metadataMoved(context: ConsumerContext, topics: Topics, racks: RackMoves | undefined): boolean {
  if (!sameTopics(context.assignedMetadata, topics, Object.keys(topics))) return true;
  return context.cfg.rack !== null && racks !== undefined && !sameRacks(context.assignedRacks, racks, context.cfg.racks);
}

/**
 * subscribe(Pattern): every metadata update is matched against the pattern
 * (ConsumerCoordinator.maybeUpdateSubscriptionMetadata -> updatePatternSubscription ->
 * SubscriptionState.subscribeFromPattern). Each member does this for itself, the leader included;
 * a topic created that matches changes the subscription, and the next poll() rejoins because it
 * differs from the last JoinGroup's (`canRejoin`, rejoinNeededOrPending).
 */
function patternSubscription(context: ConsumerContext, topics: Topics): Partial<ConsumerContext> {
  if (context.cfg.pattern === undefined) return {};
  const matched = matchingTopics(context.cfg.pattern, topics);
  return sameJoined(matched, context.cfg.topics) ? {} : { cfg: { ...context.cfg, topics: matched } };
}

/** The leader's metadata snapshot when it assigns (or skips assignment, KIP-814). */
const metadataSnapshot = (context: ConsumerContext): Partial<ConsumerContext> =>
  context.metadataRacks
    ? { assignedMetadata: context.metadata, assignedRacks: context.metadataRacks }
    : { assignedMetadata: context.metadata };

/**
 * The leader's assignment, or null when the round fails on the leader: its assignor threw (or the
 * fault world says it does), or (COOPERATIVE, an assignor other than cooperative-sticky)
 * ConsumerCoordinator.validateCooperativeAssignment throws because a partition would move
 * directly between members.
 */
function leaderAssignment(
  assignors: Record<string, Assignor>,
  context: ConsumerContext,
  members: AssignInput['subscriptions'],
  fails: boolean,
): Record<string, string[]> | null {
  if (fails) return null;
  const assignor = assignors[context.protocolName ?? ''];
  let out: Record<string, string[]>;
  try {
    out = assignor ? assignor.assign(assignInput(context, members)) : {};
  } catch {
    // AbstractCoordinator.onLeaderElected: an assignor's RuntimeException fails the join future
    // (RequestFuture.failure); poll() throws it and the next poll() rejoins.
    return null;
  }
  if (context.cfg.protocol === 'cooperative' && context.protocolName !== 'cooperative-sticky' && movesDirectly(members, out)) return null;
  return out;
}

/**
 * Sends the SyncGroup; a leader whose round failed (null) sends none and rejoins when the sync
 * request's timer fires (the model's stand-in for the next poll()).
 */
function syncOrFail(
  context: ConsumerContext,
  assignments: Record<string, string[]> | null,
  leader: boolean,
  now: number,
  enqueue: { assign: (p: Partial<ConsumerContext>) => void } & ((a: { type: 'send'; params: ClientRequest }) => void),
): void {
  if (leader && assignments === null) {
    enqueue.assign({ timers: { ...context.timers, 'req:sync': now + context.cfg.settings.requestTimeoutMs } });
    return;
  }
  const { msg, patch } = syncGroupRequest(context, assignments, now);
  enqueue.assign(patch);
  enqueue({ type: 'send', params: msg });
}

/** The assignor's input: the leader's metadata, with each partition's replica racks when the cluster has racks. */
function assignInput(context: ConsumerContext, subscriptions: AssignInput['subscriptions']): AssignInput {
  const input: AssignInput = { topics: context.metadata, subscriptions };
  if (context.metadataRacks) input.partitionRacks = partitionRacksOf(context.metadata, context.cfg.racks, context.metadataRacks);
  return input;
}

export function createConsumerMachine(assignors: Record<string, Assignor>) {
  return setup({
    types: {} as { context: Ctx; events: Ev; input: ConsumerInput },
    actions: {
      /** Outgoing request; executed by the world, never by the machine. */
      send: (_: unknown, _request: ClientRequest) => {},

      // ---- coordinator discovery ------------------------------------------------------
      /** NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE: forget the coordinator and look it up again. */
      markCoordinatorUnknown: enqueueActions(({ context, event, enqueue }) => {
        if (context.inflight.find) {
          enqueue.assign({ coordinator: null });
          return;
        }
        const { msg, sent } = request(context, { kind: 'FindCoordinator' });
        enqueue.assign({
          coordinator: null,
          nextCorr: context.nextCorr + 1,
          inflight: { ...context.inflight, find: sent },
          timers: { ...context.timers, 'req:find': nowOf(event) + context.cfg.settings.requestTimeoutMs },
        });
        enqueue({ type: 'send', params: msg });
      }),
      adoptCoordinator: assign(({ context, event }) => ({
        coordinator: (resp(event) as Response<'FindCoordinatorResponse'>).epoch,
        inflight: { ...context.inflight, find: undefined },
        timers: without(context.timers, 'req:find'),
      })),
      clearInflightFind: assign(({ context }) => ({ inflight: { ...context.inflight, find: undefined } })),

      // ---- onJoinPrepare ------------------------------------------------------------
      /** Auto-commit before revocation (enable.auto.commit): the join waits for it. */
      sendAutoCommit: enqueueActions(({ context, event, enqueue }) => {
        const now = nowOf(event);
        const { msg, patch } = commitRequest(context, now);
        // onJoinPrepare retries a retriable commit failure until the rebalance timeout.
        patch.timers.joinPrepare = context.timers.joinPrepare ?? now + context.cfg.settings.maxPollIntervalMs;
        enqueue.assign(patch);
        enqueue({ type: 'send', params: msg });
      }),
      armRetry: assign(({ context, event }) => ({
        timers: { ...context.timers, retry: nowOf(event) + context.cfg.settings.retryBackoffMs },
      })),
      endJoinPrepare: assign(({ context }) => ({ timers: without(context.timers, 'joinPrepare', 'retry', 'req:commit') })),
      /** EAGER: onPartitionsRevoked (or onPartitionsLost after a reset) for everything owned. */
      revokeAllOwned: assign({ owned: [], positions: {} }),
      /**
       * COOPERATIVE onJoinPrepare: after a generation reset everything is lost; otherwise only
       * partitions of topics no longer subscribed are revoked. The rest keeps being consumed.
       */
      revokeLostOrUnsubscribed: assign(({ context }) => {
        const keep =
          context.generation < 0 || context.memberId === '' ? [] : context.owned.filter((p) => context.cfg.topics.includes(topicOf(p)));
        return keep.length === context.owned.length ? {} : { owned: keep, positions: pick(context.positions, keep) };
      }),
      sendJoinGroup: enqueueActions(({ context, event, enqueue }) => {
        // ensureCoordinatorReady: wait (and retry after the backoff) until the coordinator is known.
        // Nothing is in flight meanwhile: a JoinGroup answered or timed out before this is over
        // (Kafka's resetJoinGroupFuture), so a late copy of its answer matches nothing.
        if (context.coordinator === null) {
          enqueue.assign({
            inflight: { ...context.inflight, join: undefined },
            timers: { ...without(context.timers, 'req:join'), retry: nowOf(event) + context.cfg.settings.retryBackoffMs },
          });
          return;
        }
        const { msg, sent } = request(context, {
          kind: 'JoinGroup',
          memberId: context.memberId,
          instanceId: context.cfg.instanceId,
          protocols: context.cfg.assignors,
          subscription: {
            topics: context.cfg.topics,
            // KIP-429: cooperative members claim what they own. Eager members own nothing here;
            // the eager sticky assignor reads its previous assignment from its user data instead.
            ownedPartitions:
              context.cfg.protocol === 'cooperative'
                ? context.owned
                : context.cfg.assignors.includes('sticky')
                  ? context.lastAssignment
                  : [],
            generationId: context.generation,
            groupInstanceId: context.cfg.instanceId,
            // KIP-881: ConsumerProtocolSubscription v3 carries client.rack.
            ...(context.cfg.rack !== null ? { rackId: context.cfg.rack } : {}),
          },
          sessionTimeoutMs: context.cfg.settings.sessionTimeoutMs,
          rebalanceTimeoutMs: context.cfg.settings.maxPollIntervalMs,
        });
        enqueue.assign({
          nextCorr: context.nextCorr + 1,
          joinedTopics: context.cfg.topics,
          inflight: { ...context.inflight, join: sent, sync: undefined },
          // Client-side JoinGroup timeout: max(request.timeout.ms, rebalance timeout + 5 s).
          timers: {
            ...without(context.timers, 'req:sync', 'retry'),
            'req:join': nowOf(event) + Math.max(context.cfg.settings.requestTimeoutMs, context.cfg.settings.maxPollIntervalMs + 5000),
          },
        });
        enqueue({ type: 'send', params: msg });
      }),

      // ---- JoinGroup response -------------------------------------------------------
      adoptMemberId: assign(({ context, event }) => ({
        memberId: (resp(event) as Response<'JoinGroupResponse'>).memberId,
        inflight: { ...context.inflight, join: undefined },
      })),
      /** UNKNOWN_MEMBER_ID: forget generation and member id, join as a new member. */
      resetGenerationAndMemberId: assign({ generation: -1, memberId: '', protocolName: null, isLeader: false }),
      /** ILLEGAL_GENERATION: forget the generation, keep the member id. */
      resetGeneration: assign({ generation: -1, protocolName: null, isLeader: false }),
      requestRejoin: assign({ rejoinNeeded: true }),
      clearInflightJoinSync: assign(({ context }) => ({
        inflight: { ...context.inflight, join: undefined, sync: undefined },
        timers: without(context.timers, 'req:join', 'req:sync'),
      })),
      adoptGeneration: assign(({ context, event }) => {
        const r = resp(event) as Response<'JoinGroupResponse'>;
        return {
          memberId: r.memberId,
          generation: r.generation,
          protocolName: r.protocolName,
          isLeader: r.leaderId === r.memberId,
          inflight: { ...context.inflight, join: undefined },
          timers: without(context.timers, 'req:join'),
        };
      }),
      /**
       * KIP-814: a returning static leader told SkipAssignment keeps the group's assignment and
       * snapshots its current metadata (ConsumerCoordinator.onLeaderElected sets
       * assignmentSnapshot = metadataSnapshot after updateGroupSubscription refreshed it), so a
       * later metadata change makes it rejoin; a change it already saw before this snapshot goes
       * unnoticed (docs/fidelity.md: a known Kafka behaviour).
       */
      snapshotSkippedAssignment: assign(({ context, event }) =>
        context.isLeader && (resp(event) as Response<'JoinGroupResponse'>).skipAssignment ? metadataSnapshot(context) : {},
      ),
      /** The leader runs the selected assignor over every member's subscription. */
      sendSyncGroup: enqueueActions(({ context, event, enqueue }) => {
        const r = resp(event) as Response<'JoinGroupResponse'>;
        let assignments: Record<string, string[]> | null = null;
        if (context.isLeader && !r.skipAssignment) {
          assignments = leaderAssignment(assignors, context, r.members, (event as { assignorFails?: boolean }).assignorFails === true);
          enqueue.assign(metadataSnapshot(context));
        }
        syncOrFail(context, assignments, context.isLeader && !r.skipAssignment, nowOf(event), enqueue);
      }),
      /**
       * A slow assignor starts (ConsumerCoordinator.onLeaderElected in the application thread):
       * its result is fixed by this JoinGroupResponse and the metadata now; it is sent when the
       * assignor returns (`sendComputedSync`).
       */
      startSlowAssignor: assign(({ context, event }) => {
        const r = resp(event) as Response<'JoinGroupResponse'>;
        const assignments = leaderAssignment(assignors, context, r.members, (event as { assignorFails?: boolean }).assignorFails === true);
        return { ...metadataSnapshot(context), inflight: { ...context.inflight, assignment: { corr: context.nextCorr, assignments } } };
      }),
      /**
       * The slow assignor returned: the SyncGroup goes out with the generation and member id the
       * member has now (AbstractCoordinator.onLeaderElected then sendSyncGroupRequest): if the
       * heartbeat thread reset them meanwhile (KIP-62 leave, UNKNOWN_MEMBER_ID), the coordinator
       * refuses it and the member rejoins.
       */
      sendComputedSync: enqueueActions(({ context, event, enqueue }) => {
        const assignments = context.inflight.assignment?.assignments ?? null;
        enqueue.assign({ inflight: { ...context.inflight, assignment: undefined } });
        syncOrFail({ ...context, inflight: { ...context.inflight, assignment: undefined } }, assignments, true, nowOf(event), enqueue);
      }),
      /** The heartbeat thread runs in COMPLETING_REBALANCE and STABLE. */
      startHeartbeats: assign(({ context, event }) =>
        'heartbeat' in context.timers
          ? {}
          : { timers: { ...context.timers, heartbeat: nowOf(event) + context.cfg.settings.heartbeatIntervalMs } },
      ),
      scheduleRetry: assign(({ context, event }) => ({
        inflight: { ...context.inflight, join: undefined, sync: undefined },
        timers: { ...without(context.timers, 'req:join', 'req:sync'), retry: nowOf(event) + context.cfg.settings.retryBackoffMs },
      })),

      // ---- SyncGroup response -------------------------------------------------------
      /** COOPERATIVE onJoinComplete with a slow revocation: keep the old assignment until it ends. */
      awaitRevocation: assign(({ context, event }) => {
        const r = resp(event) as Response<'SyncGroupResponse'>;
        const positions = { ...context.positions };
        for (const p of r.assignment)
          if (!context.owned.includes(p)) positions[p] = startOffset(r.committed, p, context.cfg.offsetReset, logEndOf(event));
        return {
          lastAssignment: [...r.assignment],
          positions,
          rejoinNeeded: true,
          inflight: { ...context.inflight, sync: undefined },
          timers: without(context.timers, 'req:sync'),
        };
      }),
      /** onPartitionsRevoked returned: the new assignment takes effect (onPartitionsAssigned). */
      completeRevocation: assign(({ context }) => ({
        owned: [...context.lastAssignment],
        positions: pick(context.positions, context.lastAssignment),
      })),
      armPollTimer: assign(({ context, event }) =>
        context.stalled ? {} : { timers: { ...context.timers, poll: nowOf(event) + context.cfg.settings.maxPollIntervalMs } },
      ),
      disarmPollTimer: assign(({ context }) => (context.stalled ? {} : { timers: without(context.timers, 'poll') })),
      /** onJoinComplete: install the assignment, start from the committed offsets. */
      installAssignment: assign(({ context, event }) => {
        const r = resp(event) as Response<'SyncGroupResponse'>;
        // Retained partitions keep their position; added ones start from the committed offset.
        const positions: Record<string, number> = {};
        for (const p of r.assignment)
          positions[p] = context.owned.includes(p)
            ? context.positions[p]
            : startOffset(r.committed, p, context.cfg.offsetReset, logEndOf(event));
        // COOPERATIVE: onPartitionsRevoked(owned - assigned), and a follow-up rebalance if any.
        const revoked = context.owned.some((p) => !r.assignment.includes(p));
        // The leader rejoins at once if metadata moved since its snapshot (taken when it assigned,
        // or when it skipped assignment: ConsumerCoordinator.rejoinNeededOrPending).
        const stale =
          context.isLeader && context.assignedMetadata !== null && metadataMoved(context, context.metadata, context.metadataRacks);
        return {
          owned: [...r.assignment],
          lastAssignment: [...r.assignment],
          positions,
          rejoinNeeded: stale || revoked,
          inflight: { ...context.inflight, sync: undefined },
          timers: without(context.timers, 'req:sync'),
        };
      }),

      // ---- heartbeat thread ---------------------------------------------------------
      sendHeartbeat: enqueueActions(({ context, event, enqueue }) => {
        const timers: Record<string, number> = { ...context.timers, heartbeat: nowOf(event) + context.cfg.settings.heartbeatIntervalMs };
        if (context.inflight.heartbeat || context.coordinator === null) {
          enqueue.assign({ timers });
          return;
        }
        const { msg, sent } = request(context, {
          kind: 'Heartbeat',
          memberId: context.memberId,
          instanceId: context.cfg.instanceId,
          generation: context.generation,
        });
        timers['req:heartbeat'] = nowOf(event) + context.cfg.settings.requestTimeoutMs;
        enqueue.assign({ nextCorr: context.nextCorr + 1, inflight: { ...context.inflight, heartbeat: sent }, timers });
        enqueue({ type: 'send', params: msg });
      }),
      clearInflightHeartbeat: assign(({ context }) => ({
        inflight: { ...context.inflight, heartbeat: undefined },
        timers: without(context.timers, 'req:heartbeat'),
      })),
      clearInflightCommit: assign(({ context }) => ({
        inflight: { ...context.inflight, commit: undefined },
        timers: without(context.timers, 'req:commit'),
      })),
      clearTimer: assign(({ context, event }) => ({ timers: without(context.timers, timerName(event)) })),
      stopHeartbeats: assign(({ context }) => ({ timers: without(context.timers, 'heartbeat') })),

      // ---- application ----------------------------------------------------------------
      processRecords: assign(({ context }) => {
        const positions = { ...context.positions };
        for (const p of context.owned) positions[p] = (positions[p] ?? 0) + 1;
        return { positions };
      }),
      /** commitAsync of every owned position; the application goes on while it is in flight. */
      sendCommit: enqueueActions(({ context, event, enqueue }) => {
        const { msg, patch } = commitRequest(context, nowOf(event));
        enqueue.assign(patch);
        enqueue({ type: 'send', params: msg });
      }),
      stall: assign(({ context, event }) => ({
        stalled: true,
        timers: { ...context.timers, poll: nowOf(event) + context.cfg.settings.maxPollIntervalMs },
      })),
      resume: assign(({ context }) => ({ stalled: false, timers: without(context.timers, 'poll') })),
      /** KIP-62: max.poll.interval.ms passed without poll(): leave proactively (dynamic members send LeaveGroup). */
      leaveOnPollTimeout: enqueueActions(({ context, enqueue }) => {
        if (context.cfg.instanceId === null && context.memberId !== '' && context.coordinator !== null) {
          const { msg } = request(context, { kind: 'LeaveGroup', memberId: context.memberId, instanceId: null });
          enqueue.assign({ nextCorr: context.nextCorr + 1 });
          enqueue({ type: 'send', params: msg });
        }
      }),
      /** close(): onLeavePrepare revokes everything; dynamic members send LeaveGroup (KIP-345: static ones do not). */
      leaveOnClose: enqueueActions(({ context, enqueue }) => {
        if (context.cfg.instanceId === null && context.memberId !== '' && context.coordinator !== null) {
          const { msg } = request(context, { kind: 'LeaveGroup', memberId: context.memberId, instanceId: null });
          enqueue({ type: 'send', params: msg });
        }
        enqueue('releaseAll');
      }),
      releaseAll: assign({ owned: [], positions: {}, timers: {}, inflight: {} }),

      // ---- close() ------------------------------------------------------------------------
      /** close() leaves poll(): a join or sync in progress is abandoned, the poll timer stops. */
      beginClose: assign(({ context }) => closeStart(context)),
      /** AbstractCoordinator.close: closeHeartbeatThread before onLeavePrepare. */
      stopHeartbeatThread: assign(({ context }) => ({
        inflight: { ...context.inflight, heartbeat: undefined },
        timers: without(context.timers, 'heartbeat', 'req:heartbeat'),
      })),
      /** onLeavePrepare: after the callback, subscriptions.assignFromSubscribed(empty). */
      releaseOnClose: assign({ owned: [], positions: {} }),
      /**
       * maybeLeaveGroup: a dynamic member with a member id and a known coordinator sends LeaveGroup
       * once (never retried); close() then waits for it (awaitPendingRequests). Static members send none.
       */
      sendLeaveOnClose: enqueueActions(({ context, event, enqueue }) => {
        const leave = closeLeave(context, nowOf(event));
        if (!leave) return;
        enqueue.assign(leave.patch);
        enqueue({ type: 'send', params: leave.msg });
      }),
      clearInflightLeave: assign(({ context }) => ({
        inflight: { ...context.inflight, leave: undefined },
        timers: without(context.timers, 'req:leave'),
      })),
      /**
       * The heartbeat thread is disabled here; it checks the poll timer again once re-enabled.
       * Simplified: Kafka's thread waits to be enabled and checks at once; the model looks again
       * every heartbeat interval, or every max.poll.interval.ms when that is shorter (Kafka's Java
       * consumer accepts one below the heartbeat interval), so a stalled member's poll timer is
       * never due further ahead than max.poll.interval.ms.
       */
      recheckPollLater: assign(({ context, event }) => ({
        timers: {
          ...context.timers,
          poll: nowOf(event) + Math.min(context.cfg.settings.heartbeatIntervalMs, context.cfg.settings.maxPollIntervalMs),
        },
      })),
      /**
       * subscribe() with other topics (SubscriptionState.subscribe). It requests no rejoin itself:
       * the next poll() rejoins because the subscription differs from the last JoinGroup's
       * (`canRejoin`: rejoinNeededOrPending), so one changed and changed back before then does not.
       */
      changeSubscription: assign(({ context, event }) => ({
        cfg: { ...context.cfg, topics: (event as Extract<Ev, { type: 'SUBSCRIBE' }>).topics },
      })),
      updateMetadata: assign(({ context, event }) => {
        const { topics, racks } = event as Extract<Ev, { type: 'METADATA' }>;
        // The leader watches the metadata of every subscribed topic and rejoins when it changes.
        const changed = context.isLeader && context.assignedMetadata !== null && metadataMoved(context, topics, racks);
        return {
          metadata: topics,
          ...(racks ? { metadataRacks: racks } : {}),
          ...patternSubscription(context, topics),
          rejoinNeeded: context.rejoinNeeded || changed,
        };
      }),
    },
    guards: {
      // rejoinNeededOrPending: also when the subscription changed since the last JoinGroup.
      canRejoin: ({ context }) => (context.rejoinNeeded || !sameJoined(context.joinedTopics, context.cfg.topics)) && !context.stalled,
      /** onJoinPrepare is done: no commit in flight and none waiting to be retried. */
      joinPrepareDone: ({ context }) => context.inflight.commit === undefined && !('joinPrepare' in context.timers),
      coordinatorKnown: ({ context }) => context.coordinator !== null,
      slowRevocation: ({ context }) => context.cfg.slowCallbacks && context.owned.length > 0,
      /** onJoinPrepare after a generation reset: a slow onPartitionsLost for what is still owned. */
      slowLoss: ({ context }) => context.cfg.slowAssignLost && context.owned.length > 0 && !hasGeneration(context),
      /** The fault world's choice: this leader's assignor takes time in this round (not with SkipAssignment). */
      slowAssignorNow: ({ event }) => {
        const r = resp(event) as Response<'JoinGroupResponse'>;
        return (event as { assignorSlow?: boolean }).assignorSlow === true && r.leaderId === r.memberId && !r.skipAssignment;
      },
      /** onJoinComplete: a slow onPartitionsAssigned for the partitions this SyncGroup adds. */
      slowAssignment: ({ context, event }) =>
        context.cfg.slowAssignLost && (resp(event) as Response<'SyncGroupResponse'>).assignment.some((p) => !context.owned.includes(p)),
      /** COOPERATIVE, after a slow revocation: the assignment that now takes effect adds partitions. */
      addsAfterRevocation: ({ context }) => context.cfg.slowAssignLost && context.lastAssignment.some((p) => !context.owned.includes(p)),
      commitOnClose: ({ context }) =>
        context.cfg.autoCommit && context.owned.length > 0 && hasGeneration(context) && context.coordinator !== null,
      /** onLeavePrepare: onPartitionsRevoked with a generation, onPartitionsLost without; either may take time. */
      slowRelease: ({ context }) =>
        context.owned.length > 0 && (hasGeneration(context) ? context.cfg.slowCallbacks : context.cfg.slowAssignLost),
      noCommitInFlight: ({ context }) => context.inflight.commit === undefined,
      noLeaveInFlight: ({ context }) => context.inflight.leave === undefined,
      answersLeave: ({ context, event }) => answers(context, 'leave', event),
      /** commitSync inside a callback: only with a generation (otherwise Kafka fails it locally). */
      canCommitInCallback: ({ context }) =>
        context.owned.length > 0 && context.inflight.commit === undefined && context.coordinator !== null && hasGeneration(context),
      assignmentRevokes: ({ context, event }) =>
        context.owned.some((p) => !(resp(event) as Response<'SyncGroupResponse'>).assignment.includes(p)),
      isCooperative: ({ context }) => context.cfg.protocol === 'cooperative',
      isEager: ({ context }) => context.cfg.protocol === 'eager',
      /** Auto-commit before revoking, only with a valid generation and something to commit. */
      shouldCommitBeforeRevoke: ({ context }) =>
        context.cfg.autoCommit && context.owned.length > 0 && context.generation >= 0 && context.memberId !== '',
      answersJoin: ({ context, event }) => answers(context, 'join', event),
      answersSync: ({ context, event }) => answers(context, 'sync', event),
      answersHeartbeat: ({ context, event }) => answers(context, 'heartbeat', event),
      answersCommit: ({ context, event }) => answers(context, 'commit', event),
      isError: ({ event }, code: string) => resp(event).error === code,
      isCoordinatorError: ({ event }) => resp(event).error === 'NOT_COORDINATOR' || resp(event).error === 'COORDINATOR_NOT_AVAILABLE',
      isFatalError: ({ event }) => resp(event).error === 'FENCED_INSTANCE_ID' || resp(event).error === 'INCONSISTENT_GROUP_PROTOCOL',
      /** Heartbeat/commit errors only reset state if the generation did not move since sending. */
      // A response to a request abandoned after its timeout never arrives in Kafka (the client
      // drops the connection), hence the correlation check before the generation check.
      heartbeatErrorCurrent: ({ context, event }, code: string) =>
        answers(context, 'heartbeat', event) && resp(event).error === code && unchangedSince(context, context.inflight.heartbeat),
      commitErrorCurrent: ({ context, event }, code: string) =>
        answers(context, 'commit', event) && resp(event).error === code && unchangedSince(context, context.inflight.commit),
      syncStillCurrent: ({ context }) => unchangedSince(context, context.inflight.sync),
      isTimer: ({ event }, name: string) => timerName(event) === name,
      hasOwned: ({ context }) => context.owned.length > 0 && !context.stalled,
      canCommit: ({ context }) =>
        context.owned.length > 0 && context.inflight.commit === undefined && !context.stalled && context.coordinator !== null,
      answersFind: ({ context, event }) => answers(context, 'find', event),
      heartbeatCoordinatorError: ({ context, event }) =>
        answers(context, 'heartbeat', event) &&
        (resp(event).error === 'NOT_COORDINATOR' || resp(event).error === 'COORDINATOR_NOT_AVAILABLE'),
      commitCoordinatorError: ({ context, event }) =>
        answers(context, 'commit', event) && (resp(event).error === 'NOT_COORDINATOR' || resp(event).error === 'COORDINATOR_NOT_AVAILABLE'),
    },
  }).createMachine({
    id: 'consumer',
    context: ({ input }) => initialConsumerContext(input),
    initial: 'unjoined',
    on: {
      // Application events, in every live state.
      PROCESS: { guard: 'hasOwned', actions: 'processRecords' },
      STALL: { actions: 'stall' },
      RESUME: { actions: 'resume' },
      CLOSE: { target: '.closing', actions: 'beginClose' },
      CLOSE_NOW: { target: '.closed', actions: 'leaveOnClose' },
      METADATA: { actions: 'updateMetadata' },
      SUBSCRIBE: { actions: 'changeSubscription' },
      RESPONSE: [
        // Heartbeat responses, wherever they arrive.
        {
          guard: { type: 'heartbeatErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
          target: '.unjoined',
          actions: ['clearInflightHeartbeat', 'resetGenerationAndMemberId', 'requestRejoin', 'clearInflightJoinSync'],
        },
        {
          guard: { type: 'heartbeatErrorCurrent', params: 'ILLEGAL_GENERATION' },
          target: '.unjoined',
          actions: ['clearInflightHeartbeat', 'resetGeneration', 'requestRejoin', 'clearInflightJoinSync'],
        },
        { guard: { type: 'heartbeatErrorCurrent', params: 'FENCED_INSTANCE_ID' }, target: '.fatal', actions: ['clearInflightHeartbeat'] },
        { guard: 'heartbeatCoordinatorError', actions: ['clearInflightHeartbeat', 'markCoordinatorUnknown'] },
        { guard: 'commitCoordinatorError', actions: ['clearInflightCommit', 'markCoordinatorUnknown'] },
        { guard: 'answersFind', actions: 'adoptCoordinator' },
        { guard: 'answersHeartbeat', actions: 'clearInflightHeartbeat' },
        // Commit responses outside the pre-revocation commit.
        {
          guard: { type: 'commitErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
          target: '.unjoined',
          actions: ['clearInflightCommit', 'resetGenerationAndMemberId', 'requestRejoin', 'clearInflightJoinSync'],
        },
        {
          guard: { type: 'commitErrorCurrent', params: 'ILLEGAL_GENERATION' },
          target: '.unjoined',
          actions: ['clearInflightCommit', 'resetGeneration', 'requestRejoin', 'clearInflightJoinSync'],
        },
        { guard: 'answersCommit', actions: 'clearInflightCommit' },
      ],
      TIMER: [
        // A request timeout is a disconnect: the coordinator is looked up again.
        {
          guard: { type: 'isTimer', params: 'req:heartbeat' },
          actions: ['clearTimer', 'clearInflightHeartbeat', 'markCoordinatorUnknown'],
        },
        { guard: { type: 'isTimer', params: 'req:commit' }, actions: ['clearTimer', 'clearInflightCommit', 'markCoordinatorUnknown'] },
        { guard: { type: 'isTimer', params: 'req:find' }, actions: ['clearTimer', 'clearInflightFind', 'markCoordinatorUnknown'] },
        // KIP-62, checked by the heartbeat thread, which only runs while the member has joined.
        {
          guard: and([
            { type: 'isTimer', params: 'poll' },
            or([stateIn('stable'), stateIn('syncing'), stateIn('committing'), stateIn('revoking'), stateIn('closing')]),
          ]),
          target: '.unjoined',
          actions: [
            'clearTimer',
            'leaveOnPollTimeout',
            'resetGenerationAndMemberId',
            'requestRejoin',
            'clearInflightJoinSync',
            'stopHeartbeats',
          ],
        },
        { guard: { type: 'isTimer', params: 'poll' }, actions: 'recheckPollLater' },
        { actions: 'clearTimer' },
      ],
    },
    states: {
      unjoined: {
        always: { guard: 'canRejoin', target: 'committing' },
        // maybeLeaveGroup: no LeaveGroup from an UNJOINED member. (Simplified: what a reset member
        // still owns is dropped at once, where Kafka's onLeavePrepare runs onPartitionsLost.)
        on: { CLOSE: { target: 'closed', actions: 'releaseAll' }, CLOSE_NOW: { target: 'closed', actions: 'releaseAll' } },
      },
      /**
       * onJoinPrepare: wait for the auto-commit sent when leaving STABLE (retried after retriable
       * failures, bounded by the rebalance timeout), then join. Kafka runs onJoinPrepare once per rebalance and commits with the
       * generation only while STABLE, so retries after a failed join or sync do not commit.
       */
      committing: {
        always: [
          { guard: and(['joinPrepareDone', 'slowLoss']), target: 'losing', actions: 'endJoinPrepare' },
          { guard: and(['joinPrepareDone', 'slowRevocation', 'isEager']), target: 'revoking', actions: 'endJoinPrepare' },
          { guard: 'joinPrepareDone', target: 'joining', actions: 'endJoinPrepare' },
        ],
        on: {
          RESPONSE: [
            // The commit is over either way; `always` then moves on to the revocation and JoinGroup.
            {
              guard: { type: 'commitErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
              actions: ['clearInflightCommit', 'endJoinPrepare', 'resetGenerationAndMemberId'],
            },
            {
              guard: { type: 'commitErrorCurrent', params: 'ILLEGAL_GENERATION' },
              actions: ['clearInflightCommit', 'endJoinPrepare', 'resetGeneration'],
            },
            // Retriable: rediscover the coordinator and commit again.
            { guard: 'commitCoordinatorError', actions: ['clearInflightCommit', 'markCoordinatorUnknown', 'armRetry'] },
            { guard: 'answersCommit', actions: ['clearInflightCommit', 'endJoinPrepare'] },
          ],
          TIMER: [
            {
              guard: { type: 'isTimer', params: 'req:commit' },
              actions: ['clearTimer', 'clearInflightCommit', 'markCoordinatorUnknown', 'armRetry'],
            },
            // The retry goes through sendOffsetCommitRequest again, which fails at once when the
            // member is no longer STABLE (generationIfStable() is null after a reset):
            // CommitFailedException is not retriable, so onJoinPrepare goes on to the join.
            {
              guard: and([{ type: 'isTimer', params: 'retry' }, not('shouldCommitBeforeRevoke')]),
              actions: ['clearTimer', 'endJoinPrepare'],
            },
            { guard: and([{ type: 'isTimer', params: 'retry' }, 'coordinatorKnown']), actions: ['clearTimer', 'sendAutoCommit'] },
            { guard: { type: 'isTimer', params: 'retry' }, actions: 'armRetry' },
            // The rebalance timeout bounds onJoinPrepare: join without the commit.
            { guard: { type: 'isTimer', params: 'joinPrepare' }, actions: ['clearInflightCommit', 'endJoinPrepare'] },
            { guard: { type: 'isTimer', params: 'heartbeat' }, actions: 'sendHeartbeat' },
          ],
          // EAGER: the partitions are pending revocation, the fetcher returns nothing for them.
          PROCESS: [{ guard: 'isCooperative', actions: 'processRecords' }, { actions: [] }],
        },
      },
      /**
       * A slow onPartitionsRevoked runs on the application thread (inside poll(): nothing is
       * processed, the poll timer runs, the heartbeat thread goes on). EAGER: before JoinGroup.
       * COOPERATIVE: after SyncGroup, before the new assignment takes effect.
       */
      revoking: {
        entry: 'armPollTimer',
        exit: 'disarmPollTimer',
        on: {
          CALLBACK_DONE: [
            { guard: and(['isCooperative', 'addsAfterRevocation']), target: 'assigning', actions: 'completeRevocation' },
            { guard: 'isCooperative', target: 'stable', actions: 'completeRevocation' },
            { target: 'joining' },
          ],
          PROCESS: { actions: [] },
          // The application may commit inside the callback (commitSync: it returns after the answer).
          COMMIT: { guard: 'canCommitInCallback', actions: 'sendCommit' },
          TIMER: { guard: { type: 'isTimer', params: 'heartbeat' }, actions: 'sendHeartbeat' },
        },
      },
      /**
       * A slow onPartitionsAssigned (ConsumerCoordinator.onJoinComplete): the assignment is already
       * installed (assignFromSubscribed runs first), the member is STABLE for the heartbeat thread,
       * and the application thread is inside the callback: nothing is processed, the poll timer runs.
       */
      assigning: {
        entry: 'armPollTimer',
        exit: 'disarmPollTimer',
        on: {
          CALLBACK_DONE: { target: 'stable' },
          PROCESS: { actions: [] },
          COMMIT: { guard: 'canCommitInCallback', actions: 'sendCommit' },
          RESPONSE: [
            ...resetsDuringCallback,
            // The rejoin signal is acted on by the poll() after the callback.
            {
              guard: and(['answersHeartbeat', { type: 'isError', params: 'REBALANCE_IN_PROGRESS' }]),
              actions: ['clearInflightHeartbeat', 'requestRejoin'],
            },
            {
              guard: and(['answersCommit', { type: 'isError', params: 'REBALANCE_IN_PROGRESS' }]),
              actions: ['clearInflightCommit', 'requestRejoin'],
            },
          ],
          TIMER: [
            { guard: { type: 'isTimer', params: 'heartbeat' }, actions: 'sendHeartbeat' },
            // KIP-62 from the heartbeat thread: leave and reset; the callback itself runs on.
            {
              guard: { type: 'isTimer', params: 'poll' },
              actions: ['clearTimer', 'leaveOnPollTimeout', 'resetGenerationAndMemberId', 'requestRejoin', 'stopHeartbeats'],
            },
          ],
        },
      },
      /**
       * A slow onPartitionsLost (onJoinPrepare after the generation was reset): the partitions stay
       * assigned until it returns; the member is UNJOINED, so the heartbeat thread is idle.
       */
      losing: {
        entry: 'armPollTimer',
        exit: 'disarmPollTimer',
        on: {
          CALLBACK_DONE: { target: 'joining' },
          PROCESS: { actions: [] },
          RESPONSE: [...resetsDuringCallback],
        },
      },
      /** PREPARING_REBALANCE: revoke (EAGER) and send JoinGroup; resent on every retry. */
      joining: {
        entry: [
          // PREPARING_REBALANCE: the heartbeat thread disables itself.
          'stopHeartbeats',
          enqueueActions(({ context, enqueue }) =>
            enqueue(context.cfg.protocol === 'eager' ? 'revokeAllOwned' : 'revokeLostOrUnsubscribed'),
          ),
          'sendJoinGroup',
        ],
        on: {
          RESPONSE: [
            {
              guard: and(['answersJoin', { type: 'isError', params: 'NONE' }, 'slowAssignorNow']),
              target: 'computing',
              actions: ['adoptGeneration', 'startHeartbeats', 'startSlowAssignor'],
            },
            {
              guard: and(['answersJoin', { type: 'isError', params: 'NONE' }]),
              target: 'syncing',
              actions: ['adoptGeneration', 'snapshotSkippedAssignment', 'startHeartbeats', 'sendSyncGroup'],
            },
            {
              guard: and(['answersJoin', { type: 'isError', params: 'MEMBER_ID_REQUIRED' }]),
              target: 'joining',
              reenter: true,
              actions: 'adoptMemberId',
            },
            {
              guard: and(['answersJoin', { type: 'isError', params: 'UNKNOWN_MEMBER_ID' }]),
              target: 'joining',
              reenter: true,
              actions: 'resetGenerationAndMemberId',
            },
            { guard: and(['answersJoin', { type: 'isError', params: 'REBALANCE_IN_PROGRESS' }]), target: 'joining', reenter: true },
            { guard: and(['answersJoin', 'isCoordinatorError']), actions: ['scheduleRetry', 'markCoordinatorUnknown'] },
            { guard: and(['answersJoin', 'isFatalError']), target: 'fatal' },
          ],
          TIMER: [
            // A request timeout is a disconnect: the coordinator is looked up again.
            {
              guard: { type: 'isTimer', params: 'req:join' },
              target: 'joining',
              reenter: true,
              actions: ['clearTimer', 'markCoordinatorUnknown'],
            },
            { guard: { type: 'isTimer', params: 'retry' }, target: 'joining', reenter: true, actions: 'clearTimer' },
          ],
        },
      },
      /**
       * COMPLETING_REBALANCE, the leader's application thread inside a slow assignor
       * (onLeaderElected): no records processed and no poll(), so the poll timer runs; the
       * heartbeat thread goes on (the coordinator takes heartbeats in CompletingRebalance). A poll
       * timeout makes it leave the group (KIP-62) while the assignor runs on; the SyncGroup goes
       * out when the assignor returns. The coordinator meanwhile waits for it up to the rebalance
       * timeout (its pending-sync timer), then removes the leader and rebalances.
       */
      computing: {
        entry: 'armPollTimer',
        exit: 'disarmPollTimer',
        on: {
          CALLBACK_DONE: { target: 'syncing', actions: 'sendComputedSync' },
          PROCESS: { actions: [] },
          RESPONSE: [
            ...resetsDuringCallback,
            {
              guard: and(['answersHeartbeat', { type: 'isError', params: 'REBALANCE_IN_PROGRESS' }]),
              actions: ['clearInflightHeartbeat', 'requestRejoin'],
            },
          ],
          TIMER: [
            { guard: { type: 'isTimer', params: 'heartbeat' }, actions: 'sendHeartbeat' },
            {
              guard: { type: 'isTimer', params: 'poll' },
              actions: ['clearTimer', 'leaveOnPollTimeout', 'resetGenerationAndMemberId', 'requestRejoin', 'stopHeartbeats'],
            },
          ],
        },
      },
      /** COMPLETING_REBALANCE: SyncGroup in flight, heartbeats running. */
      syncing: {
        on: {
          RESPONSE: [
            {
              guard: and(['answersSync', { type: 'isError', params: 'NONE' }, 'syncStillCurrent', 'slowRevocation', 'assignmentRevokes']),
              target: 'revoking',
              actions: 'awaitRevocation',
            },
            {
              guard: and(['answersSync', { type: 'isError', params: 'NONE' }, 'syncStillCurrent', 'slowAssignment']),
              target: 'assigning',
              actions: 'installAssignment',
            },
            {
              guard: and(['answersSync', { type: 'isError', params: 'NONE' }, 'syncStillCurrent']),
              target: 'stable',
              actions: 'installAssignment',
            },
            // NONE after the heartbeat thread reset the generation counts as ILLEGAL_GENERATION.
            {
              guard: and(['answersSync', { type: 'isError', params: 'NONE' }]),
              target: 'unjoined',
              actions: ['clearInflightJoinSync', 'requestRejoin'],
            },
            // REBALANCE_IN_PROGRESS keeps generation and member id.
            {
              guard: and(['answersSync', { type: 'isError', params: 'REBALANCE_IN_PROGRESS' }]),
              target: 'unjoined',
              actions: ['clearInflightJoinSync', 'requestRejoin'],
            },
            {
              guard: and(['answersSync', { type: 'isError', params: 'UNKNOWN_MEMBER_ID' }]),
              target: 'unjoined',
              actions: ['clearInflightJoinSync', 'resetGenerationAndMemberId', 'requestRejoin'],
            },
            {
              guard: and(['answersSync', { type: 'isError', params: 'ILLEGAL_GENERATION' }]),
              target: 'unjoined',
              actions: ['clearInflightJoinSync', 'resetGeneration', 'requestRejoin'],
            },
            {
              guard: and(['answersSync', 'isCoordinatorError']),
              target: 'unjoined',
              actions: ['clearInflightJoinSync', 'requestRejoin', 'markCoordinatorUnknown'],
            },
            { guard: and(['answersSync', 'isFatalError']), target: 'fatal' },
          ],
          TIMER: [
            {
              guard: { type: 'isTimer', params: 'req:sync' },
              target: 'unjoined',
              actions: ['clearTimer', 'clearInflightJoinSync', 'requestRejoin'],
            },
            { guard: { type: 'isTimer', params: 'heartbeat' }, actions: 'sendHeartbeat' },
          ],
        },
      },
      stable: {
        always: {
          guard: 'canRejoin',
          target: 'committing',
          actions: enqueueActions(({ check, enqueue }) => {
            if (check('shouldCommitBeforeRevoke')) enqueue('sendAutoCommit');
          }),
        },
        on: {
          COMMIT: { guard: 'canCommit', actions: 'sendCommit' },
          // ConsumerCoordinator.maybeAutoCommitOffsetsSync: only from STABLE (sendOffsetCommitRequest uses generationIfStable).
          CLOSE: {
            target: 'closing',
            actions: [
              'beginClose',
              enqueueActions(({ check, enqueue }) => {
                if (check('commitOnClose')) enqueue('sendCommit');
              }),
            ],
          },
          RESPONSE: [
            // Heartbeat REBALANCE_IN_PROGRESS is the rejoin signal (only acted on when STABLE).
            {
              guard: and(['answersHeartbeat', { type: 'isError', params: 'REBALANCE_IN_PROGRESS' }]),
              actions: ['clearInflightHeartbeat', 'requestRejoin'],
            },
            {
              guard: and(['answersCommit', { type: 'isError', params: 'REBALANCE_IN_PROGRESS' }]),
              actions: ['clearInflightCommit', 'requestRejoin'],
            },
          ],
          TIMER: { guard: { type: 'isTimer', params: 'heartbeat' }, actions: 'sendHeartbeat' },
        },
      },
      /**
       * close(): the synchronous auto-commit (from STABLE), and any commit still in flight, answered
       * or timed out. The heartbeat thread still runs; close() does not poll, so nothing rejoins.
       * Simplified: one attempt bounded by request.timeout.ms (Kafka retries retriable errors
       * until the close timeout, 30 s by default).
       */
      closing: {
        always: [
          { guard: and(['noCommitInFlight', 'slowRelease']), target: 'releasing', actions: 'stopHeartbeatThread' },
          { guard: 'noCommitInFlight', target: 'leaving', actions: ['stopHeartbeatThread', 'releaseOnClose'] },
        ],
        on: {
          PROCESS: { actions: [] },
          RESPONSE: [
            {
              guard: { type: 'commitErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
              actions: ['clearInflightCommit', 'resetGenerationAndMemberId'],
            },
            { guard: { type: 'commitErrorCurrent', params: 'ILLEGAL_GENERATION' }, actions: ['clearInflightCommit', 'resetGeneration'] },
            { guard: 'answersCommit', actions: 'clearInflightCommit' },
            {
              guard: { type: 'heartbeatErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
              actions: ['clearInflightHeartbeat', 'resetGenerationAndMemberId', 'stopHeartbeats'],
            },
            {
              guard: { type: 'heartbeatErrorCurrent', params: 'ILLEGAL_GENERATION' },
              actions: ['clearInflightHeartbeat', 'resetGeneration', 'stopHeartbeats'],
            },
            // FENCED_INSTANCE_ID fails the heartbeat thread; close goes on.
            {
              guard: { type: 'heartbeatErrorCurrent', params: 'FENCED_INSTANCE_ID' },
              actions: ['clearInflightHeartbeat', 'stopHeartbeats'],
            },
          ],
          TIMER: [
            { guard: { type: 'isTimer', params: 'req:commit' }, actions: ['clearTimer', 'clearInflightCommit'] },
            { guard: { type: 'isTimer', params: 'heartbeat' }, actions: 'sendHeartbeat' },
          ],
        },
      },
      /** onLeavePrepare with a slow callback (revoked, or lost without a generation); commits allowed inside. */
      releasing: {
        on: {
          CALLBACK_DONE: { target: 'leaving', actions: 'releaseOnClose' },
          PROCESS: { actions: [] },
          COMMIT: { guard: 'canCommitInCallback', actions: 'sendCommit' },
          RESPONSE: [
            {
              guard: { type: 'commitErrorCurrent', params: 'UNKNOWN_MEMBER_ID' },
              actions: ['clearInflightCommit', 'resetGenerationAndMemberId'],
            },
            { guard: { type: 'commitErrorCurrent', params: 'ILLEGAL_GENERATION' }, actions: ['clearInflightCommit', 'resetGeneration'] },
            { guard: 'answersCommit', actions: 'clearInflightCommit' },
            { guard: 'answersHeartbeat', actions: 'clearInflightHeartbeat' },
          ],
          TIMER: [
            { guard: { type: 'isTimer', params: 'req:commit' }, actions: ['clearTimer', 'clearInflightCommit'] },
            { actions: 'clearTimer' },
          ],
        },
      },
      /** LeaveGroup sent (or not, for static members); awaitPendingRequests waits for the answer or the timeout. */
      leaving: {
        entry: 'sendLeaveOnClose',
        always: { guard: 'noLeaveInFlight', target: 'closed', actions: 'releaseAll' },
        on: {
          PROCESS: { actions: [] },
          RESPONSE: [{ guard: 'answersLeave', actions: 'clearInflightLeave' }, { actions: [] }],
          TIMER: [
            { guard: { type: 'isTimer', params: 'req:leave' }, actions: ['clearTimer', 'clearInflightLeave'] },
            { actions: 'clearTimer' },
          ],
        },
      },
      closed: { type: 'final' },
      fatal: { type: 'final' },
    },
  });
}
