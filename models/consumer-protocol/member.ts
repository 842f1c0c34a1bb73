import { logEndOf, withResets } from '../offset-reset.ts';
import { omit, sameJoined } from '../records.ts';
import { and, assign, enqueueActions, or, setup } from 'xstate';
import type { FindCoordinatorRequest } from '../classic/messages.ts';
import { JOIN_EPOCH, LEAVE_EPOCH, STATIC_LEAVE_EPOCH, type ConsumerResponse, type MemberRequest } from './messages.ts';
import { type MemberContext, type MemberEvent, type MemberInput, initialMemberContext } from './member-state.ts';

// The KIP-848 consumer (AbstractMembershipManager / ConsumerMembershipManager and
// AbstractHeartbeatRequestManager in the Java client). States follow MemberState: `joining`
// (JOINING), `stable` (STABLE), RECONCILING split into `reconciling` (the auto-commit before
// revocation) and `revoking` (onPartitionsRevoked running on the application thread),
// ACKNOWLEDGING folded into the end of a reconciliation (the next heartbeat goes out at once),
// `stale` (STALE: left after max.poll.interval.ms), `closed` and `fatal`. FENCED is the
// transition to `joining` that drops everything, or, with a slow onPartitionsLost, `losing` first.
// A slow onPartitionsAssigned is `assigning`. close() is not atomic (AsyncKafkaConsumer.close,
// releaseAssignmentAndLeaveGroup): `closing` (the synchronous auto-commit, heartbeats still
// running), `releasing` (PREPARE_LEAVING: the revoke or lost callback) and `leaving` (LEAVING:
// the leave heartbeat sent, its answer or the request timeout awaited). The application polls
// unless `stalled`.

type Ctx = MemberContext;
type Ev = MemberEvent;
type Response<K extends ConsumerResponse['kind']> = Extract<ConsumerResponse, { kind: K }>;
const resp = (e: Ev) => (e as Extract<Ev, { type: 'RESPONSE' }>).msg;
const nowOf = (e: Ev): number => (e as { now?: number }).now ?? (e as unknown as { input: MemberInput }).input.now;
const timerName = (e: Ev) => (e as Extract<Ev, { type: 'TIMER' }>).name;
const without = (timers: Record<string, number>, ...names: string[]) => omit(timers, names);
const sameSet = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x) => ys.includes(x));
/** The entries of `offsets` for the given partitions. */
const pick = (offsets: Record<string, number>, ps: readonly string[]) =>
  Object.fromEntries(ps.filter((p) => offsets[p] !== undefined).map((p) => [p, offsets[p]]));
/** retry.backoff.max.ms: the exponential backoff of repeated rejoin attempts, folded to its cap. */
const REJOIN_BACKOFF_MS = 1000;

/** The next request from this client, addressed to the coordinator it knows. */
function envelope(ctx: Ctx) {
  return { corr: ctx.nextCorr, client: { client: ctx.cfg.client, inc: ctx.cfg.inc }, epoch: ctx.coordinator ?? -1 };
}

/**
 * ConsumerHeartbeatRequestManager.HeartbeatState: everything when joining or after a failure,
 * otherwise only what changed since the last heartbeat sent (null = unchanged). The owned
 * partitions are the current (reconciled) assignment: while a reconciliation runs they are
 * unchanged, so the coordinator keeps assuming the member still holds what it may revoke.
 */
function heartbeat(ctx: Ctx, now: number, memberEpoch = ctx.memberEpoch): { msg: MemberRequest; patch: Partial<Ctx> } {
  const full = memberEpoch === JOIN_EPOCH || ctx.sendFull;
  const topicsChanged = ctx.sent.topics === null || !sameJoined(ctx.sent.topics, ctx.cfg.topics);
  const owned = memberEpoch === JOIN_EPOCH ? [] : [...ctx.owned];
  const ownedChanged = ctx.sent.owned === null || !sameJoined(ctx.sent.owned, owned);
  const msg: MemberRequest = {
    ...envelope(ctx),
    kind: 'ConsumerGroupHeartbeat',
    memberId: ctx.memberId,
    memberEpoch,
    instanceId: ctx.cfg.instanceId,
    rebalanceTimeoutMs: full ? ctx.cfg.settings.maxPollIntervalMs : null,
    topics: full || topicsChanged ? ctx.cfg.topics : null,
    ...(ctx.cfg.pattern !== undefined ? { regex: full ? ctx.cfg.pattern : null } : {}),
    assignor: full ? ctx.cfg.assignor : null,
    owned: full || ownedChanged ? owned : null,
  };
  const patch: Partial<Ctx> = {
    nextCorr: ctx.nextCorr + 1,
    sent: { topics: ctx.cfg.topics, owned },
    sendFull: false,
    ackPending: false,
    inflight: { ...ctx.inflight, heartbeat: { corr: msg.corr, memberEpoch } },
    timers: { ...without(ctx.timers, 'heartbeat', 'retry'), 'req:heartbeat': now + ctx.cfg.settings.requestTimeoutMs },
  };
  return { msg, patch };
}

/** transitionToFenced before a slow onPartitionsLost: epoch 0, nothing pending, the assignment kept. */
export const lossStart = (ctx: Ctx): Partial<Ctx> => ({
  memberEpoch: JOIN_EPOCH,
  target: null,
  reconciling: null,
  sendFull: true,
  ackPending: false,
  inflight: { ...ctx.inflight, heartbeat: undefined },
  timers: without(ctx.timers, 'req:heartbeat', 'heartbeat', 'retry'),
});

/** Everything the member holds is gone (onPartitionsLost, or the end of a leave). */
const lost = { owned: [], positions: {}, target: null, reconciling: null, committed: {} } satisfies Partial<Ctx>;

const topicOf = (p: string) => p.slice(0, p.lastIndexOf('-'));
/**
 * findResolvableAssignmentAndTriggerMetadataUpdate: a partition of the target can be reconciled
 * once its topic id resolves to a name, from the metadata cache or from the names of topics the
 * member holds (assignedTopicNamesCache). Kafka resolves by topic id: a partition added to a topic
 * the member knows resolves at once; a topic missing from the metadata waits for it.
 */
export const resolvable = (ctx: Ctx) => (p: string) =>
  ctx.metadata[topicOf(p)] !== undefined || ctx.owned.some((q) => topicOf(q) === topicOf(p));
/** The part of an assignment the member can reconcile now (assignmentReadyToReconcile). */
export const resolvedPart = (ctx: Ctx, assignment: readonly string[]): string[] => assignment.filter(resolvable(ctx));

const answers = (ctx: Ctx, slot: 'heartbeat' | 'commit' | 'find', e: Ev): boolean =>
  e.type === 'RESPONSE' && ctx.inflight[slot]?.corr === e.msg.corr;
const isHeartbeatError = (ctx: Ctx, e: Ev, codes: string[]) => answers(ctx, 'heartbeat', e) && codes.includes(resp(e).error);

export function createMemberMachine() {
  return setup({
    types: {} as { context: Ctx; events: Ev; input: MemberInput },
    actions: {
      /** Outgoing request; executed by the world, never by the machine. */
      send: (_: unknown, _request: MemberRequest) => {},

      // ---- heartbeats -----------------------------------------------------------------------
      /** Sends a heartbeat now, unless one is in flight (one at a time) or the coordinator is unknown. */
      sendHeartbeat: enqueueActions(({ context, event, enqueue }) => {
        if (context.inflight.heartbeat || context.coordinator === null || 'retry' in context.timers) return;
        const { msg, patch } = heartbeat(context, nowOf(event));
        enqueue.assign(patch);
        enqueue({ type: 'send', params: msg });
      }),
      /**
       * ACKNOWLEDGING: the new owned set goes out with the next heartbeat, sent without waiting for
       * the interval, even if it equals the last one sent (Kafka's local assignment epoch).
       */
      acknowledge: enqueueActions(({ context, event, enqueue }) => {
        if (context.inflight.heartbeat || context.coordinator === null) {
          enqueue.assign({ ackPending: true, sent: { ...context.sent, owned: null } });
          return;
        }
        const { msg, patch } = heartbeat({ ...context, sent: { ...context.sent, owned: null } }, nowOf(event));
        enqueue.assign(patch);
        enqueue({ type: 'send', params: msg });
      }),
      sendAckIfPending: enqueueActions(({ context, enqueue }) => {
        if (context.ackPending) enqueue('sendHeartbeat');
      }),
      /** A successful heartbeat: adopt the member epoch and, if sent, the new assignment; heartbeat again after the interval. */
      adoptHeartbeat: assign(({ context, event }) => {
        const r = resp(event) as Response<'ConsumerGroupHeartbeatResponse'>;
        const changed = r.assignment !== null && !sameSet(r.assignment, context.reconciling?.assignment ?? context.owned);
        // A new target that drops the unresolved part of the pending one and equals what the member
        // holds: Kafka's maybeReconcile bumps the local assignment epoch and acknowledges
        // (ACKNOWLEDGING), so the next heartbeat reports the owned partitions at once.
        const pending = context.target;
        const dropsUnresolved =
          r.assignment !== null &&
          !changed &&
          context.reconciling === null &&
          pending !== null &&
          resolvedPart(context, pending).length < pending.length &&
          !sameSet(r.assignment, pending);
        return {
          ...(dropsUnresolved ? { ackPending: true, sent: { ...context.sent, owned: null } } : {}),
          memberId: r.memberId,
          memberEpoch: r.memberEpoch,
          target: r.assignment === null ? context.target : changed ? [...r.assignment].sort() : null,
          // Simplified: committed offsets come with the assignment (Kafka: an OffsetFetch once
          // onPartitionsAssigned returned). A newer assignment keeps what an older one brought for
          // partitions a slow callback is still installing (they are not in the newer one).
          committed:
            r.assignment === null
              ? context.committed
              : context.reconciling === null
                ? withResets(r.committed, r.assignment, context.cfg.offsetReset, logEndOf(event))
                : {
                    ...pick(context.committed, context.reconciling.assignment),
                    ...withResets(r.committed, r.assignment, context.cfg.offsetReset, logEndOf(event)),
                  },
          inflight: { ...context.inflight, heartbeat: undefined },
          timers: {
            ...without(context.timers, 'req:heartbeat'),
            heartbeat: nowOf(event) + (r.heartbeatIntervalMs || context.cfg.settings.heartbeatIntervalMs),
          },
        };
      }),
      clearInflightHeartbeat: assign(({ context }) => ({
        inflight: { ...context.inflight, heartbeat: undefined },
        timers: without(context.timers, 'req:heartbeat'),
      })),
      /** Any failed heartbeat makes the next one full (HeartbeatState.reset). */
      requireFullHeartbeat: assign({ sendFull: true }),
      /**
       * FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID: onPartitionsLost for everything, epoch 0, and
       * rejoin with the same member id. A rejoin that was itself fenced is retried after a backoff.
       */
      fence: assign(({ context, event }) => {
        const rejoinRefused = context.inflight.heartbeat?.memberEpoch === JOIN_EPOCH;
        return {
          ...lost,
          memberEpoch: JOIN_EPOCH,
          sendFull: true,
          ackPending: false,
          inflight: { ...context.inflight, heartbeat: undefined },
          timers: rejoinRefused
            ? { ...without(context.timers, 'req:heartbeat', 'heartbeat'), retry: nowOf(event) + REJOIN_BACKOFF_MS }
            : without(context.timers, 'req:heartbeat', 'heartbeat'),
        };
      }),
      /** A new subscription goes out with the next heartbeat (SubscribedTopicNames differs from the last sent). */
      /**
       * A topic new to the subscription is not in the consumer's metadata yet: subscribe asks for
       * it (ConsumerMetadata: requestUpdateForNewTopics) and it arrives with a later metadata
       * response (the world's `metadata` choice), possibly after the coordinator assigned it.
       */
      changeSubscription: assign(({ context, event }) => {
        const topics = (event as Extract<Ev, { type: 'SUBSCRIBE' }>).topics;
        const added = topics.filter((t) => !context.cfg.topics.includes(t));
        const metadata = omit(context.metadata, added);
        return { cfg: { ...context.cfg, topics }, metadata };
      }),
      updateMetadata: assign(({ event }) => ({ metadata: (event as Extract<Ev, { type: 'METADATA' }>).topics })),

      // ---- coordinator discovery --------------------------------------------------------------
      /**
       * CoordinatorRequestManager.markCoordinatorUnknown: forget the coordinator and look it up.
       * It leaves HeartbeatState alone: Kafka resets the SentFields only when a heartbeat fails
       * (AbstractHeartbeatRequestManager.onFailure / onErrorResponse, here requireFullHeartbeat)
       * or on the poll-timeout leave, not when a commit's coordinator error or a FindCoordinator
       * timeout marks the coordinator unknown.
       */
      markCoordinatorUnknown: enqueueActions(({ context, event, enqueue }) => {
        if (context.inflight.find) {
          enqueue.assign({ coordinator: null });
          return;
        }
        const msg: FindCoordinatorRequest = {
          kind: 'FindCoordinator',
          corr: context.nextCorr,
          client: { client: context.cfg.client, inc: context.cfg.inc },
        };
        enqueue.assign({
          coordinator: null,
          nextCorr: context.nextCorr + 1,
          inflight: { ...context.inflight, find: { corr: msg.corr } },
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

      // ---- reconciliation ---------------------------------------------------------------------
      /** maybeReconcile: fix the assignment to move to; with auto-commit, commit consumed offsets first. */
      beginReconciliation: enqueueActions(({ context, event, enqueue }) => {
        const full = context.target ?? context.owned;
        // Only the resolvable part is reconciled; the whole target stays pending until the
        // metadata names every topic in it (a metadata update triggers the next reconciliation).
        const assignment = resolvedPart(context, full);
        const target = assignment.length < full.length ? full : null;
        enqueue.assign({ reconciling: { assignment, revoked: context.owned.filter((p) => !assignment.includes(p)) }, target });
        if (context.cfg.autoCommit && context.owned.length > 0 && !context.inflight.commit && context.coordinator !== null)
          enqueue('sendCommit');
        void event;
      }),
      /** The reconciled assignment becomes current: retained partitions keep their position, added ones start at the committed offset. */
      finishReconciliation: assign(({ context }) => {
        const { assignment } = context.reconciling!;
        const positions: Record<string, number> = {};
        for (const p of assignment) positions[p] = context.owned.includes(p) ? (context.positions[p] ?? 0) : (context.committed[p] ?? 0);
        return { owned: [...assignment], positions, reconciling: null };
      }),

      // ---- application ------------------------------------------------------------------------
      processRecords: assign(({ context }) => {
        const positions = { ...context.positions };
        for (const p of context.owned) positions[p] = (positions[p] ?? 0) + 1;
        return { positions };
      }),
      /** commitAsync (and the auto-commit before revocation): OffsetCommit v9 carrying the member epoch. */
      sendCommit: enqueueActions(({ context, event, enqueue }) => {
        const msg: MemberRequest = {
          ...envelope(context),
          kind: 'OffsetCommit',
          memberId: context.memberId,
          instanceId: context.cfg.instanceId,
          memberEpoch: context.memberEpoch,
          offsets: Object.fromEntries(context.owned.map((p) => [p, context.positions[p] ?? 0])),
        };
        enqueue.assign({
          nextCorr: context.nextCorr + 1,
          inflight: { ...context.inflight, commit: { corr: msg.corr, memberEpoch: context.memberEpoch } },
          timers: { ...context.timers, 'req:commit': nowOf(event) + context.cfg.settings.requestTimeoutMs },
        });
        enqueue({ type: 'send', params: msg });
      }),
      clearInflightCommit: assign(({ context }) => ({
        inflight: { ...context.inflight, commit: undefined },
        timers: without(context.timers, 'req:commit'),
      })),
      stall: assign(({ context, event }) => ({
        stalled: true,
        timers: { ...context.timers, poll: nowOf(event) + context.cfg.settings.maxPollIntervalMs },
      })),
      resume: assign(({ context }) => ({ stalled: false, timers: without(context.timers, 'poll') })),
      clearTimer: assign(({ context, event }) => ({ timers: without(context.timers, timerName(event)) })),
      /** The poll-timer check lives in the heartbeat manager, which waits while the coordinator is unknown. */
      recheckPollLater: assign(({ context, event }) => ({
        timers: { ...context.timers, poll: nowOf(event) + context.cfg.settings.heartbeatIntervalMs },
      })),
      /**
       * Leaving (close(), or max.poll.interval.ms passed): a leave heartbeat with epoch -1, or -2 for
       * a static member; its response is ignored and it is not retried. Then everything is dropped.
       */
      sendLeave: enqueueActions(({ context, event, enqueue }) => {
        if (context.coordinator !== null && context.memberEpoch >= 0) {
          const { msg } = heartbeat(
            { ...context, sendFull: false },
            nowOf(event),
            context.cfg.instanceId === null ? LEAVE_EPOCH : STATIC_LEAVE_EPOCH,
          );
          enqueue.assign({ nextCorr: context.nextCorr + 1 });
          enqueue({ type: 'send', params: { ...msg, topics: null, owned: null } as MemberRequest });
        }
        enqueue.assign({
          ...lost,
          memberEpoch: JOIN_EPOCH,
          sendFull: true,
          ackPending: false,
          inflight: {},
          timers: without(context.timers, 'heartbeat', 'req:heartbeat', 'req:commit', 'retry', 'poll'),
        });
      }),
      releaseAll: assign({ ...lost, inflight: {}, timers: {} }),

      // ---- slow callbacks -----------------------------------------------------------------------
      /**
       * transitionToFenced with a slow onPartitionsLost: epoch 0 at once (resetEpoch), the
       * assignment kept until the callback returns; FENCED skips heartbeats (shouldSkipHeartbeat).
       */
      beginLoss: assign(({ context }) => lossStart(context)),
      /**
       * onPartitionsAssigned returned: the added partitions become fetchable and their positions
       * are initialised from the committed offsets then (OffsetFetch, answered in the event).
       */
      adoptFetchedOffsets: assign(({ context, event }) => {
        const fetched = (event as { committed?: Record<string, number> }).committed;
        if (!fetched || context.reconciling === null) return {};
        const added = context.reconciling.assignment.filter((p) => !context.owned.includes(p));
        return {
          committed: { ...context.committed, ...pick(withResets(fetched, added, context.cfg.offsetReset, logEndOf(event)), added) },
        };
      }),
      /** The lost callback returned: clearAssignment, then JOINING. */
      dropAssignment: assign({ ...lost }),

      // ---- close() --------------------------------------------------------------------------------
      /** close() leaves poll(): a reconciliation in progress is abandoned, the poll timer stops. */
      beginClose: assign(({ context }) => ({ reconciling: null, timers: without(context.timers, 'poll') })),
      /** Fenced while leaving (transitionToFenced in PREPARE_LEAVING): no leave heartbeat will be sent. */
      fencedWhileLeaving: assign(({ context }) => ({
        memberEpoch: JOIN_EPOCH,
        inflight: { ...context.inflight, heartbeat: undefined },
        timers: without(context.timers, 'req:heartbeat', 'heartbeat', 'retry'),
      })),
      /**
       * LEAVING: the assignment is cleared and a leave heartbeat (epoch -1, static -2) goes out once,
       * if the member is in the group and the coordinator known (else onHeartbeatRequestSkipped).
       */
      sendLeaveOnClose: enqueueActions(({ context, event, enqueue }) => {
        enqueue.assign({ ...lost });
        if (context.coordinator === null || context.memberEpoch <= 0) {
          enqueue.assign({ inflight: { ...context.inflight, heartbeat: undefined }, timers: without(context.timers, 'req:heartbeat') });
          return;
        }
        const leaveEpoch = context.cfg.instanceId === null ? LEAVE_EPOCH : STATIC_LEAVE_EPOCH;
        const { msg, patch } = heartbeat({ ...context, sendFull: false }, nowOf(event), leaveEpoch);
        enqueue.assign({ ...patch, memberEpoch: JOIN_EPOCH, timers: without(patch.timers!, 'heartbeat', 'poll') });
        enqueue({ type: 'send', params: { ...msg, topics: null, owned: null } as MemberRequest });
      }),
    },
    guards: {
      answersHeartbeat: ({ context, event }) => answers(context, 'heartbeat', event),
      heartbeatOk: ({ context, event }) => isHeartbeatError(context, event, ['NONE']),
      heartbeatFenced: ({ context, event }) => isHeartbeatError(context, event, ['FENCED_MEMBER_EPOCH', 'UNKNOWN_MEMBER_ID']),
      // GROUP_ID_NOT_FOUND (a classic group the policy keeps classic) and UNKNOWN_SERVER_ERROR (the
      // server assignor threw) fall to the default branch of AbstractHeartbeatRequestManager's
      // onErrorResponse: handleFatalFailure, transitionToFailed.
      heartbeatFatal: ({ context, event }) =>
        isHeartbeatError(context, event, ['UNRELEASED_INSTANCE_ID', 'FENCED_INSTANCE_ID', 'GROUP_ID_NOT_FOUND', 'UNKNOWN_SERVER_ERROR']),
      heartbeatCoordinatorError: ({ context, event }) => isHeartbeatError(context, event, ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']),
      answersCommit: ({ context, event }) => answers(context, 'commit', event),
      commitCoordinatorError: ({ context, event }) =>
        answers(context, 'commit', event) && ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE'].includes(resp(event).error),
      answersFind: ({ context, event }) => answers(context, 'find', event),
      isTimer: ({ event }, name: string) => event.type === 'TIMER' && event.name === name,
      /**
       * A newer assignment than the current one is waiting to be reconciled, as far as its topics
       * resolve (maybeReconcile reconciles only a resolvable part that differs from the current one).
       */
      hasNewTarget: ({ context }) => context.target !== null && !sameSet(resolvedPart(context, context.target), context.owned),
      noCommitInFlight: ({ context }) => context.inflight.commit === undefined,
      revokesWithSlowCallback: ({ context }) => context.cfg.slowCallbacks && (context.reconciling?.revoked.length ?? 0) > 0,
      hasOwned: ({ context }) => context.owned.length > 0,
      slowLoss: ({ context }) => context.cfg.slowAssignLost && context.owned.length > 0,
      /** The reconciliation adds partitions and onPartitionsAssigned takes time. */
      addsWithSlowCallback: ({ context }) =>
        context.cfg.slowAssignLost && (context.reconciling?.assignment ?? []).some((p) => !context.owned.includes(p)),
      /** releaseAssignmentAndLeaveGroup: commitSyncAllConsumed with auto-commit. */
      commitOnClose: ({ context }) =>
        context.cfg.autoCommit &&
        context.owned.length > 0 &&
        context.memberEpoch > 0 &&
        context.coordinator !== null &&
        context.inflight.commit === undefined,
      /** PREPARE_LEAVING: onPartitionsRevoked in the group (epoch > 0), onPartitionsLost otherwise; either may take time. */
      slowRelease: ({ context }) =>
        context.owned.length > 0 && (context.memberEpoch > 0 ? context.cfg.slowCallbacks : context.cfg.slowAssignLost),
      noHeartbeatInFlight: ({ context }) => context.inflight.heartbeat === undefined,
      outsideGroup: ({ context }) => context.memberEpoch <= 0,
      /** Commits carry the member epoch: none from a member outside the group (epoch 0, fenced or joining). */
      canCommitInGroup: ({ context }) =>
        context.owned.length > 0 &&
        context.inflight.commit === undefined &&
        !context.stalled &&
        context.coordinator !== null &&
        context.memberEpoch > 0,
      canCommit: ({ context }) =>
        context.owned.length > 0 && context.inflight.commit === undefined && !context.stalled && context.coordinator !== null,
      coordinatorKnown: ({ context }) => context.coordinator !== null,
      /** The join was answered with an epoch and an assignment equal to the (empty) current one. */
      joined: ({ context }) =>
        context.memberEpoch > 0 &&
        !context.inflight.heartbeat &&
        (context.target === null || resolvedPart(context, context.target).length === 0),
    },
  }).createMachine({
    id: 'consumer-protocol-member',
    context: ({ input }) => initialMemberContext(input),
    initial: 'joining',
    on: {
      PROCESS: { guard: 'hasOwned', actions: 'processRecords' },
      STALL: { actions: 'stall' },
      RESUME: { actions: 'resume' },
      CLOSE: {
        target: '.closing',
        actions: [
          'beginClose',
          enqueueActions(({ check, enqueue }) => {
            if (check('commitOnClose')) enqueue('sendCommit');
          }),
        ],
      },
      // The rolling restarts' close (the world's `bounce`), kept in one step: the leave heartbeat
      // and gone. Simplified: no auto-commit, callback or wait, unlike CLOSE.
      CLOSE_NOW: { target: '.closed', actions: ['sendLeave', 'releaseAll'] },
      // The application commits whenever it is in the group (commitAsync, the auto-commit timer,
      // or commitSync inside a callback): CommitRequestManager does not wait for STABLE.
      COMMIT: { guard: 'canCommitInGroup', actions: 'sendCommit' },
      METADATA: { actions: 'updateMetadata' },
      SUBSCRIBE: { actions: 'changeSubscription' },
      RESPONSE: [
        { guard: and(['heartbeatFenced', 'slowLoss']), target: '.losing', actions: 'beginLoss' },
        { guard: 'heartbeatFenced', target: '.joining', actions: 'fence' },
        { guard: 'heartbeatFatal', target: '.fatal', actions: 'releaseAll' },
        { guard: 'heartbeatCoordinatorError', actions: ['clearInflightHeartbeat', 'requireFullHeartbeat', 'markCoordinatorUnknown'] },
        { guard: 'heartbeatOk', actions: ['adoptHeartbeat', 'sendAckIfPending'] },
        { guard: 'commitCoordinatorError', actions: ['clearInflightCommit', 'markCoordinatorUnknown'] },
        // STALE_MEMBER_EPOCH / UNKNOWN_MEMBER_ID on a commit fail the commit only; membership follows the heartbeat.
        { guard: 'answersCommit', actions: 'clearInflightCommit' },
        { guard: 'answersFind', actions: ['adoptCoordinator', 'sendHeartbeat'] },
      ],
      TIMER: [
        // A request timeout is a disconnect: the coordinator is looked up again, the next heartbeat is full.
        {
          guard: { type: 'isTimer', params: 'req:heartbeat' },
          actions: ['clearTimer', 'clearInflightHeartbeat', 'requireFullHeartbeat', 'markCoordinatorUnknown'],
        },
        { guard: { type: 'isTimer', params: 'req:commit' }, actions: ['clearTimer', 'clearInflightCommit', 'markCoordinatorUnknown'] },
        { guard: { type: 'isTimer', params: 'req:find' }, actions: ['clearTimer', 'clearInflightFind', 'markCoordinatorUnknown'] },
        { guard: and([{ type: 'isTimer', params: 'poll' }, 'coordinatorKnown']), target: '.stale', actions: ['clearTimer', 'sendLeave'] },
        { guard: { type: 'isTimer', params: 'poll' }, actions: 'recheckPollLater' },
        {
          guard: or([
            { type: 'isTimer', params: 'heartbeat' },
            { type: 'isTimer', params: 'retry' },
          ]),
          actions: ['clearTimer', 'sendHeartbeat'],
        },
      ],
    },
    states: {
      /** JOINING: epoch 0 with the full subscription and no owned partitions. */
      joining: {
        entry: 'sendHeartbeat',
        always: [
          { guard: 'hasNewTarget', target: 'reconciling' },
          { guard: 'joined', target: 'stable' },
        ],
      },
      stable: {
        always: { guard: 'hasNewTarget', target: 'reconciling' },
      },
      /** RECONCILING: the auto-commit before revocation is in flight; then revoke. */
      reconciling: {
        entry: 'beginReconciliation',
        always: [
          { guard: and(['noCommitInFlight', 'revokesWithSlowCallback']), target: 'revoking' },
          { guard: and(['noCommitInFlight', 'addsWithSlowCallback']), target: 'assigning' },
          { guard: 'noCommitInFlight', target: 'acknowledging' },
        ],
      },
      /** onPartitionsRevoked runs on the application thread: nothing is processed, heartbeats go on. */
      revoking: {
        on: {
          PROCESS: { actions: [] },
          CALLBACK_DONE: [{ guard: 'addsWithSlowCallback', target: 'assigning' }, { target: 'acknowledging' }],
        },
      },
      /**
       * onPartitionsAssigned runs (assignPartitions: the added partitions are assigned but not
       * fetchable until it returns). The heartbeats go on reporting the current assignment: the
       * reconciliation completes, and is acknowledged, only after the callback.
       */
      assigning: {
        on: { PROCESS: { actions: [] }, CALLBACK_DONE: { target: 'acknowledging', actions: 'adoptFetchedOffsets' } },
      },
      /** FENCED with a slow onPartitionsLost: no heartbeats; the partitions go when it returns, then JOINING. */
      losing: {
        on: {
          PROCESS: { actions: [] },
          CALLBACK_DONE: { target: 'joining', actions: 'dropAssignment' },
          RESPONSE: { guard: 'answersFind', actions: 'adoptCoordinator' },
          TIMER: [
            { guard: { type: 'isTimer', params: 'poll' }, actions: 'recheckPollLater' },
            {
              guard: or([
                { type: 'isTimer', params: 'heartbeat' },
                { type: 'isTimer', params: 'retry' },
              ]),
              actions: 'clearTimer',
            },
          ],
        },
      },
      /** ACKNOWLEDGING: the assignment is installed and reported at once; then STABLE or the next reconciliation. */
      acknowledging: {
        entry: ['finishReconciliation', 'acknowledge'],
        always: [{ guard: 'hasNewTarget', target: 'reconciling' }, { target: 'stable' }],
      },
      /** Left after max.poll.interval.ms; the next poll() rejoins. */
      stale: {
        on: {
          RESUME: { target: 'joining', actions: 'resume' },
          CLOSE: { target: 'closed', actions: 'releaseAll' },
          PROCESS: { actions: [] },
          TIMER: { actions: [] },
          RESPONSE: [{ guard: 'answersFind', actions: 'adoptCoordinator' }, { actions: [] }],
        },
      },
      /**
       * close(): commitSyncAllConsumed with auto-commit (and any commit in flight) answered or
       * timed out; the background thread keeps heartbeating; nothing is reconciled (close() does
       * not poll). Simplified: one attempt bounded by request.timeout.ms, not the close timeout.
       */
      closing: {
        always: [
          { guard: and(['noCommitInFlight', 'slowRelease']), target: 'releasing' },
          { guard: 'noCommitInFlight', target: 'leaving' },
        ],
        on: {
          PROCESS: { actions: [] },
          RESPONSE: [
            { guard: 'heartbeatFenced', actions: 'fencedWhileLeaving' },
            // Out of the group (fenced while leaving: UNSUBSCRIBED, shouldSkipHeartbeat): a
            // coordinator found again gets no heartbeat.
            { guard: and(['answersFind', 'outsideGroup']), actions: 'adoptCoordinator' },
          ],
          TIMER: { guard: { type: 'isTimer', params: 'poll' }, actions: 'clearTimer' },
        },
      },
      /** PREPARE_LEAVING with a slow callback: heartbeats go on; a commit inside the callback is allowed. */
      releasing: {
        on: {
          PROCESS: { actions: [] },
          CALLBACK_DONE: { target: 'leaving' },
          RESPONSE: [
            { guard: 'heartbeatFenced', actions: 'fencedWhileLeaving' },
            // Out of the group (fenced while leaving: UNSUBSCRIBED, shouldSkipHeartbeat): a
            // coordinator found again gets no heartbeat.
            { guard: and(['answersFind', 'outsideGroup']), actions: 'adoptCoordinator' },
          ],
          TIMER: { guard: { type: 'isTimer', params: 'poll' }, actions: 'clearTimer' },
        },
      },
      /** LEAVING: the leave heartbeat's answer (any) or its timeout ends close(). */
      leaving: {
        entry: 'sendLeaveOnClose',
        always: { guard: 'noHeartbeatInFlight', target: 'closed', actions: 'releaseAll' },
        on: {
          PROCESS: { actions: [] },
          COMMIT: { actions: [] },
          RESPONSE: [
            { guard: 'answersHeartbeat', actions: 'clearInflightHeartbeat' },
            { guard: 'answersCommit', actions: 'clearInflightCommit' },
            { actions: [] },
          ],
          TIMER: [
            { guard: { type: 'isTimer', params: 'req:heartbeat' }, actions: ['clearTimer', 'clearInflightHeartbeat'] },
            { actions: 'clearTimer' },
          ],
        },
      },
      closed: { type: 'final' },
      fatal: { type: 'final' },
    },
  });
}

export const memberMachine = createMemberMachine();
