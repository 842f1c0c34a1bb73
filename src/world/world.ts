import type { AnyMachineSnapshot } from 'xstate';
import { computesTarget } from '../../models/consumer-protocol/coordinator.ts';
import type { GroupContext, GroupEvent } from '../../models/consumer-protocol/coordinator-state.ts';
import { runnersOf, type Model } from './model.ts';
import type { ProtocolAdapter } from './protocols/adapter.ts';
import { classicAdapter } from './protocols/classic.ts';
import { consumerAdapter } from './protocols/consumer.ts';
import { canExpireOffsets, countExpiry, logEndsFor, retentionRun, skippedBy } from './retention.ts';
import { convertGroup, notCoordinatorReply, normalizeCommit } from './protocols/migration.ts';
import { slotFamily, startFamily, type Choice, type ClientSlot, type Msg, type World, type WorldConfig } from './types.ts';
import {
  canCommitNow,
  canProcess,
  clientFamily,
  common,
  committedOffsets,
  inCallback,
  isClosing,
  isCurrentMember,
  isLive,
  isProcessOf,
  liveOwners,
  nextDeadline,
  processOf,
} from './view.ts';

// The deterministic world: a virtual clock, the network of in-flight messages, the client
// processes and the coordinator. `enabled` lists every choice; `step` applies one. The random
// runner, the explorer and replay all go through these two functions. What differs between
// the classic and the KIP-848 protocol (machine inputs, request routing, observer's
// bookkeeping) sits behind a ProtocolAdapter (src/world/protocols/).

const adapters: Record<World['family'], ProtocolAdapter> = { classic: classicAdapter, consumer: consumerAdapter };
const adapterOf = (w: World): ProtocolAdapter => adapters[w.family];

export function initialWorld(config: WorldConfig, model: Model): World {
  const family = startFamily(config);
  const [coordinator] = runnersOf(model, family).coordinator.initial(adapters[family].coordinatorInput(config, 0));
  let w: World = {
    family,
    now: 0,
    coordinator,
    coordinatorEpoch: 0,
    formation: 0,
    formations: 0,
    persistedFormation: 0,
    downgrade: null,
    clients: Array.from({ length: config.members }, (_, i) => ({
      name: `c${i + 1}`,
      inc: 0,
      status: 'absent' as const,
      snapshot: null,
      cut: false,
      formation: null,
      phase: 0,
      callbackSince: null,
      skippedAssignment: false,
      unreported: [],
      zombieOf: null,
      assignorFails: false,
    })),
    net: [],
    nextMsgId: 1,
    topics: { ...config.topics },
    ...(config.racks ? { rackMoves: {} } : {}),
    processed: {},
    ...(retentionRun(config) ? { retention: { expiries: 0 } } : {}),
    sent: [],
    metrics: { overlapMs: 0, zombieMs: 0, duplicateRecords: 0, fencedCommits: 0, rebalances: 0 },
  };
  // Every consumer starts at time 0; joins later in a run are restarts of a slot.
  for (const s of w.clients) w = startClient(w, s.name, config, model);
  return { ...w, sent: [] };
}

export function enabled(w: World, config: WorldConfig): Choice[] {
  const out: Choice[] = [];
  const ordered = adapterOf(w).orderedRequests;
  // The connections (process name, incarnation) whose first request is already listed.
  const blocked: Array<Msg['body']['client']> | undefined = ordered ? [] : undefined;
  for (const m of w.net) {
    if (blocked !== undefined && m.to === 'coordinator' && m.body.kind !== 'FindCoordinator') {
      const conn = m.body.client;
      if (blocked.some((x) => x.client === conn.client && x.inc === conn.inc)) continue;
      blocked.push(conn);
    }
    if (!linkCut(w, m)) out.push({ kind: 'deliver', id: m.id });
  }
  const serverAssignorFails = config.faults.assignorFailure && w.family === 'consumer';
  if (config.faults.loss) for (const m of w.net) out.push({ kind: 'drop', id: m.id });
  const due = nextDeadline(w);
  if (due !== Infinity) {
    const timers = (w.coordinator.context as { timers: Record<string, number> }).timers;
    for (const name in timers) if (timers[name] === due) out.push({ kind: 'fire', target: 'coordinator', timer: name });
    for (const s of w.clients) {
      if (!isLive(s)) continue;
      const own = common(s).timers;
      for (const name in own) if (own[name] === due) out.push({ kind: 'fire', target: s.name, timer: name });
    }
  }
  const topicNames = Object.keys(w.topics);
  const all = Object.keys(config.topics);
  let leaderRounds: Msg[] | undefined;
  for (const s of w.clients) {
    if (s.cut) out.push({ kind: 'heal', client: s.name });
    else if (config.faults.cut && isLive(s)) out.push({ kind: 'cut', client: s.name });
    if (!isLive(s)) {
      // A zombie that died stays dead: its slot's replacement is the process that restarts.
      if (s.status !== 'running' && s.zombieOf === null) out.push({ kind: 'start', client: s.name });
      continue;
    }
    if ((config.faults.assignorFailure && !s.assignorFails) || (config.faults.slowAssignor && !s.assignorSlow)) {
      leaderRounds ??= w.net.filter(leaderJoinResponse);
      let leaderRound = false;
      for (const m of leaderRounds) if (isProcessOf(m.body.client, s)) leaderRound = true;
      if (config.faults.assignorFailure && !s.assignorFails && leaderRound) out.push({ kind: 'assignorFails', client: s.name });
      if (config.faults.slowAssignor && !s.assignorSlow && leaderRound) out.push({ kind: 'slowAssignor', client: s.name });
    }
    // KIP-848: the server assignor throws while the coordinator handles this process's heartbeat.
    if (serverAssignorFails && serverAssignorRound(w, s) !== undefined) out.push({ kind: 'assignorFails', client: s.name });
    // The process is paused or cut off and a replacement starts while it still runs (one zombie per
    // slot at a time): with the same group.instance.id for static members, as a new member otherwise.
    if (config.faults.zombie && s.zombieOf === null && !hasLiveZombie(w, s.name)) out.push({ kind: 'replace', client: s.name });
    const c = common(s);
    const callback = inCallback(s);
    // close() is called by the application thread: not from inside a callback, not twice.
    if (config.faults.leave && !callback && !isClosing(s)) out.push({ kind: 'close', client: s.name });
    if (config.faults.crash) out.push({ kind: 'crash', client: s.name });
    if (config.faults.stall && !c.stalled) out.push({ kind: 'stall', client: s.name });
    if (c.stalled) out.push({ kind: 'resume', client: s.name });
    // A callback that committed (commitSync) returns only after the answer.
    if (callback && c.inflight.commit === undefined) out.push({ kind: 'callback', client: s.name });
    if (canProcess(s) && c.owned.length > 0) out.push({ kind: 'process', client: s.name });
    if (canCommitNow(s)) out.push({ kind: 'commit', client: s.name });
    // The leader tracks every topic the group subscribes to, so refreshes cover all topics.
    if (metadataBehind(w, c, topicNames) || racksBehind(w, s)) out.push({ kind: 'metadata', client: s.name });
    // A consumer subscribed by pattern keeps it (subscribe() with other topics is not modelled there).
    if (config.faults.subscribe && all.length > 1 && !config.pattern) {
      // Drop the last subscribed topic, or go back to all of them.
      const topics = c.cfg.topics.length > 1 ? c.cfg.topics.slice(0, -1) : Object.keys(config.topics);
      out.push({ kind: 'subscribe', client: s.name, topics });
    }
  }
  // Rolling restarts go over the slots c1..cN: a zombie is a process the orchestrator has already
  // replaced, so it is never restarted (nor waited for).
  if (config.upgrade) {
    const allBounced = w.clients.every((s) => s.phase >= 1 || s.zombieOf !== null);
    for (const s of w.clients)
      if (isLive(s) && s.zombieOf === null && (s.phase === 0 || (s.phase === 1 && allBounced)))
        out.push({ kind: 'bounce', client: s.name });
  }
  // A migration restarts each consumer once, on the other protocol.
  if (config.migration)
    for (const s of w.clients) if (isLive(s) && s.zombieOf === null && s.phase === 0) out.push({ kind: 'bounce', client: s.name });
  for (const t of Object.keys(w.topics)) {
    if (w.topics[t] - (config.topics[t] ?? 1) < config.faults.addPartitions) out.push({ kind: 'addPartition', topic: t });
  }
  // A topic is created (an admin's CreateTopics): it reaches each consumer with a metadata refresh.
  const created = topicNames.length - all.length;
  if (created < (config.faults.createTopics ?? 0)) out.push({ kind: 'createTopic', topic: `t${topicNames.length}` });
  if (w.coordinatorEpoch < config.faults.failover) out.push({ kind: 'failover' });
  if (canExpireOffsets(w, config)) out.push({ kind: 'expireOffsets' });
  // KIP-881: a partition's replica moves to the next rack (a reassignment), up to the budget.
  if (w.rackMoves && w.family === 'classic' && (config.racks ?? 0) > 1 && sumOf(w.rackMoves) < (config.faults.replicaMoves ?? 0))
    for (const t of Object.keys(w.topics)) for (let p = 0; p < w.topics[t]; p++) out.push({ kind: 'moveReplica', partition: `${t}-${p}` });
  return out;
}

/**
 * The fair schedule's choice when no message is in flight: the first `callback` choice of
 * `enabled`, else its first `metadata` choice, else its first `fire` choice (quiesce.ts's
 * fairChoice), found without listing every choice. It must pick what `enabled` lists first of
 * those kinds: quiesce.test.ts holds the two to each other.
 */
export function quietChoice(w: World): Choice | undefined {
  for (const s of w.clients)
    if (isLive(s) && inCallback(s) && common(s).inflight.commit === undefined) return { kind: 'callback', client: s.name };
  const topicNames = Object.keys(w.topics);
  for (const s of w.clients)
    if (isLive(s) && (metadataBehind(w, common(s), topicNames) || racksBehind(w, s))) return { kind: 'metadata', client: s.name };
  const due = nextDeadline(w);
  if (due === Infinity) return undefined;
  const timers = (w.coordinator.context as { timers: Record<string, number> }).timers;
  for (const name in timers) if (timers[name] === due) return { kind: 'fire', target: 'coordinator', timer: name };
  for (const s of w.clients) {
    if (!isLive(s)) continue;
    const own = common(s).timers;
    for (const name in own) if (own[name] === due) return { kind: 'fire', target: s.name, timer: name };
  }
  return undefined;
}

/** A live zombie of this slot runs (one zombie per slot at a time). */
function hasLiveZombie(w: World, name: string): boolean {
  for (const z of w.clients) if (z.zombieOf === name && isLive(z)) return true;
  return false;
}

/** The process's metadata lags the brokers' partition counts of some topic. */
function metadataBehind(w: World, c: { metadata: Record<string, number> }, topics: string[]): boolean {
  for (const t of topics) if (c.metadata[t] !== w.topics[t]) return true;
  return false;
}

const sumOf = (moves: Record<string, number>): number => Object.values(moves).reduce((a, b) => a + b, 0);

/** A classic process with racks whose metadata does not yet show the latest replica moves (KIP-881). */
function racksBehind(w: World, s: ClientSlot): boolean {
  if (!w.rackMoves || !s.snapshot || clientFamily(s) !== 'classic') return false;
  const seen = (s.snapshot.context as { metadataRacks?: Record<string, number> }).metadataRacks;
  return seen !== undefined && Object.keys(w.rackMoves).some((p) => seen[p] !== w.rackMoves![p]);
}

export function step(w0: World, choice: Choice, config: WorldConfig, model: Model): World {
  const w: World = { ...w0, sent: [] };
  switch (choice.kind) {
    case 'deliver':
    case 'drop': {
      const msg = w.net.find((m) => m.id === choice.id);
      if (!msg) throw new Error(`no message #${choice.id} in flight`);
      w.net = w.net.filter((m) => m !== msg);
      if (choice.kind === 'deliver') return deliver(w, msg, model, config);
      return w;
    }
    case 'fire': {
      const at = nextDeadline(w);
      const advanced = advanceClock(w, at);
      if (choice.target === 'coordinator')
        return toCoordinator(advanced, { type: 'TIMER', now: at, name: choice.timer, topics: advanced.topics }, model, config);
      return toClient(advanced, choice.target, { type: 'TIMER', now: at, name: choice.timer }, model);
    }
    case 'start':
      return startClient(w, choice.client, config, model);
    case 'crash':
      return setSlot(w, choice.client, {
        status: 'crashed',
        snapshot: null,
        callbackSince: null,
        unreported: [],
        assignorFails: false,
        assignorSlow: false,
      });
    case 'close':
      // close() runs its course (commit, callback, LeaveGroup and its answer) over later steps.
      return toClient(w, choice.client, { type: 'CLOSE', now: w.now }, model);
    case 'stall':
      return toClient(w, choice.client, { type: 'STALL', now: w.now }, model);
    case 'resume':
      return toClient(w, choice.client, { type: 'RESUME', now: w.now }, model);
    case 'process':
      return toClient(recordProcessing(w, choice.client), choice.client, { type: 'PROCESS', now: w.now }, model);
    case 'commit':
      return toClient(w, choice.client, { type: 'COMMIT', now: w.now }, model);
    case 'metadata':
      return toClient(
        w,
        choice.client,
        { type: 'METADATA', now: w.now, topics: { ...w.topics }, ...(w.rackMoves ? { racks: { ...w.rackMoves } } : {}) },
        model,
      );
    case 'moveReplica':
      return { ...w, rackMoves: { ...w.rackMoves, [choice.partition]: (w.rackMoves?.[choice.partition] ?? 0) + 1 } };
    case 'addPartition':
      return { ...w, topics: { ...w.topics, [choice.topic]: w.topics[choice.topic] + 1 } };
    case 'createTopic':
      // Simplified: one partition, and no topic deletion.
      return { ...w, topics: { ...w.topics, [choice.topic]: 1 } };
    case 'bounce': {
      // A rolling restart step: close gracefully, come back with the next configuration.
      // Simplified: this close is atomic (revoke, LeaveGroup, gone), unlike the `close` choice.
      const closed = toClient(w, choice.client, { type: 'CLOSE_NOW', now: w.now }, model);
      const slot = closed.clients.find((s) => s.name === choice.client)!;
      return startClient(
        setSlot(closed, choice.client, { status: 'closed', snapshot: null, phase: slot.phase + 1 }),
        choice.client,
        config,
        model,
      );
    }
    case 'replace':
      return replace(w, choice.client, config, model);
    case 'assignorFails': {
      // KIP-848: the heartbeat is delivered now and the coordinator's assignor throws on it.
      const slot = w.clients.find((s) => s.name === choice.client)!;
      const msg = clientFamily(slot) === 'consumer' ? serverAssignorRound(w, slot) : undefined;
      if (msg) {
        w.net = w.net.filter((m) => m !== msg);
        return deliver(w, msg, model, config, { assignorFails: true });
      }
      return setSlot(w, choice.client, { assignorFails: true });
    }
    case 'slowAssignor':
      return setSlot(w, choice.client, { assignorSlow: true });
    case 'callback': {
      // KIP-848: the added partitions' positions come from an OffsetFetch sent once the callback
      // returned, answered here at once with what the coordinator has (simplified: no request).
      const committed =
        w.family === 'consumer' ? Object.fromEntries(Object.entries(committedOffsets(w)).map(([p, c]) => [p, c.offset])) : undefined;
      return toClient(w, choice.client, { type: 'CALLBACK_DONE', now: w.now, committed, ...logEndsFor(w, config) }, model);
    }
    case 'subscribe':
      return toClient(w, choice.client, { type: 'SUBSCRIBE', now: w.now, topics: choice.topics }, model);
    case 'cut':
    case 'heal':
      return setSlot(w, choice.client, { cut: choice.kind === 'cut' });
    case 'failover':
      return failover(w, config, model);
    case 'expireOffsets':
      // offsets.retention.minutes passed and the coordinator's cleanup runs (docs/model.md, section 11).
      return countExpiry(toCoordinator(w, { type: 'EXPIRE_OFFSETS', now: w.now, topics: w.topics }, model, config));
  }
}

/** A successful classic JoinGroupResponse that makes its process the leader, who runs the assignor (not KIP-814's SkipAssignment). */
function leaderJoinResponse(m: Msg): boolean {
  if (m.to !== 'client' || m.body.kind !== 'JoinGroupResponse') return false;
  const r = m.body as { error: string; memberId: string; leaderId: string | null; skipAssignment: boolean };
  return r.error === 'NONE' && r.leaderId === r.memberId && !r.skipAssignment;
}

/**
 * KIP-848: the process's heartbeat that can be delivered now (the first request on its connection,
 * link up, to the current coordinator) if handling it makes the coordinator compute a new target
 * assignment: where `assignorFails` may make the server assignor throw.
 */
export function serverAssignorRound(w: World, s: ClientSlot): Msg | undefined {
  if (w.family !== 'consumer' || w.coordinator.value !== 'active' || !isLive(s)) return undefined;
  const m = w.net.find((x) => x.to === 'coordinator' && x.body.kind !== 'FindCoordinator' && isProcessOf(x.body.client, s));
  if (m?.body.kind !== 'ConsumerGroupHeartbeat' || linkCut(w, m)) return undefined;
  if ((m.body as { epoch: number }).epoch !== w.coordinatorEpoch) return undefined;
  const ctx = w.coordinator.context as GroupContext;
  const known = targetRounds.get(m.body);
  if (known !== undefined && known.ctx === ctx && known.now === w.now && known.topics === w.topics) return known.computes ? m : undefined;
  const event = adapterOf(w).requestEvent(w, m.body) as GroupEvent;
  const computes = computesTarget(ctx, event);
  targetRounds.set(m.body, { ctx, now: w.now, topics: w.topics, computes });
  return computes ? m : undefined;
}

/**
 * computesTarget's last answer for each heartbeat (by identity) and the inputs it had: the
 * coordinator's context and the event the consumer adapter makes of the heartbeat (its `now` and
 * `topics` are all it reads of the world). computesTarget is a function of those, and each is
 * never changed once made, so the same inputs give the same answer. `enabled` asks at every step
 * for every process with a heartbeat waiting, and the coordinator and the heartbeat mostly stay
 * as they were from one step to the next.
 */
const targetRounds = new WeakMap<Msg['body'], { ctx: GroupContext; now: number; topics: World['topics']; computes: boolean }>();

/** Messages to or from a client whose link is cut cannot be delivered (they may still be lost). */
export const linkCut = (w: World, m: Msg): boolean => processOf(w, m.body.client)?.cut ?? false;

/**
 * A zombie is made: the slot's running process moves, as it is, to a slot of its own (named
 * after the slot and its incarnation, e.g. `c1#1`), and the slot starts a new process with the
 * same group.instance.id, on a link of its own (not cut).
 */
function replace(w: World, name: string, config: WorldConfig, model: Model): World {
  const slot = w.clients.find((s) => s.name === name)!;
  const zombie: ClientSlot = { ...slot, name: `${name}#${slot.inc}`, zombieOf: name };
  const withZombie = { ...w, clients: [...w.clients.map((s) => (s.name === name ? { ...s, cut: false } : s)), zombie] };
  return startClient(withZombie, name, config, model);
}

/**
 * The coordinator moves: the old one unloads (parked requests get NOT_COORDINATOR) and the new
 * one loads the group from what was persisted. Requests still addressed to the old epoch are
 * answered NOT_COORDINATOR by the old broker until clients look the coordinator up again.
 */
function failover(w: World, config: WorldConfig, model: Model): World {
  const unloaded = toCoordinator(w, { type: 'UNLOAD', now: w.now }, model, config);
  const [coordinator] = runnersOf(model, w.family).coordinator.initial(adapterOf(w).coordinatorInput(config, w.now, unloaded.coordinator));
  return { ...unloaded, coordinator, coordinatorEpoch: w.coordinatorEpoch + 1, formation: adapterOf(w).formationAfterFailover(w) };
}

function deliver(w: World, msg: Msg, model: Model, config: WorldConfig, fault: { assignorFails?: boolean } = {}): World {
  const adapter = adapterOf(w);
  if (msg.body.kind === 'FindCoordinator') {
    const b = msg.body;
    return enqueue(
      w,
      [{ kind: 'FindCoordinatorResponse', error: 'NONE', epoch: w.coordinatorEpoch, corr: b.corr, client: b.client }],
      'client',
    );
  }
  if (msg.to === 'coordinator') {
    const body = msg.body as Msg['body'] & { epoch: number; corr: number };
    // The broker this was sent to is no longer the coordinator.
    if (body.epoch !== w.coordinatorEpoch)
      return enqueue(w, [config.migration ? notCoordinatorReply(body) : adapter.notCoordinator(body)], 'client');
    const request = config.migration ? normalizeCommit(body) : body;
    const after = toCoordinator(w, { ...adapter.requestEvent(w, request), ...fault }, model, config);
    if (body.kind === 'OffsetCommit') {
      const r = after.sent.find((m) => m.body.corr === body.corr && m.body.client.client === body.client.client);
      const error = r && (r.body as { error?: string }).error;
      const fenced = error && (adapter.fencedCommitError(error) || (config.migration && adapterOf(after).fencedCommitError(error)));
      if (fenced) after.metrics = { ...after.metrics, fencedCommits: after.metrics.fencedCommits + 1 };
    }
    return after;
  }
  const body = msg.body;
  const slot = processOf(w, body.client);
  // The connection of a process that died or restarted is gone: the response is lost.
  if (!slot || !isLive(slot) || slot.inc !== body.client.inc) return w;
  if ((slot.assignorFails || slot.assignorSlow) && leaderJoinResponse(msg)) {
    // The round the fault was chosen for: the leader's assignor throws, or is slow, this time only.
    const faults = { ...(slot.assignorFails && { assignorFails: true }), ...(slot.assignorSlow && { assignorSlow: true }) };
    const failed = toClient(w, slot.name, { type: 'RESPONSE', now: w.now, msg: body, ...faults }, model);
    return adapter.afterResponse(setSlot(failed, slot.name, { assignorFails: false, assignorSlow: false }), slot.name, msg);
  }
  const after = toClient(w, slot.name, { type: 'RESPONSE', now: w.now, msg: body, ...logEndsFor(w, config) }, model);
  return adapter.afterResponse(after, slot.name, msg);
}

type Event = { type: string; now: number; [k: string]: unknown };

function toCoordinator(w: World, event: Event, model: Model, config: WorldConfig): World {
  const [coordinator, sends] = runnersOf(model, w.family).coordinator.send(w.coordinator, event);
  const next = adapterOf(w).afterCoordinator(w, { ...w, coordinator });
  const out = enqueue(next, sends as Msg['body'][], 'client', next.formation);
  // The group turned into the other type: hand it over, then maybe let the new group handle the request.
  const conversion = (coordinator.context as { conversion?: { redeliver: boolean } | null }).conversion;
  if (!conversion) return out;
  const converted = convertGroup(out, event.now, config, model, adapters);
  return conversion.redeliver ? toCoordinator(converted, { ...event, topics: converted.topics }, model, config) : converted;
}

function toClient(w: World, name: string, event: Event, model: Model): World {
  const slot = w.clients.find((s) => s.name === name)!;
  if (!isLive(slot)) return w;
  const [snapshot, sends] = runnersOf(model, clientFamily(slot)).consumer.send(slot.snapshot!, event);
  const formation = adapterOf(w).clientFormation(slot, snapshot);
  // A close() that has run its course: the process is gone and its slot may start again.
  if (snapshot.status === 'done' && snapshot.value === 'closed')
    return enqueue(
      setSlot(w, name, {
        status: 'closed',
        snapshot: null,
        formation,
        callbackSince: null,
        unreported: [],
        assignorFails: false,
        assignorSlow: false,
      }),
      sends as Msg['body'][],
      'coordinator',
      formation,
    );
  // A callback begins when the process enters one (from another state); it ends when it leaves.
  // A slow assignor is a fault of its own that may outlast any delay bound (the rebalance
  // timeout is its point), so the explorer's bounded-delay network does not hold timers for it.
  const after: ClientSlot = { ...slot, snapshot, formation };
  const callbackSince =
    !inCallback(after) || snapshot?.value === 'computing'
      ? null
      : inCallback(slot) && slot.snapshot!.value === snapshot.value
        ? slot.callbackSince
        : w.now;
  const patch: Partial<ClientSlot> = {
    snapshot,
    formation,
    callbackSince,
    ...adapters[clientFamily(slot)].observeClient(w, slot, after, sends as Msg['body'][]),
  };
  const skipped = w.retention ? skippedBy(w, slot, after) : 0;
  const counted = skipped > 0 ? { ...w, metrics: { ...w.metrics, skippedRecords: (w.metrics.skippedRecords ?? 0) + skipped } } : w;
  return enqueue(setSlot(counted, name, patch), sends as Msg['body'][], 'coordinator', formation);
}

function startClient(w: World, name: string, config: WorldConfig, model: Model): World {
  const slot = w.clients.find((s) => s.name === name)!;
  const inc = slot.inc + 1;
  const family = slotFamily(config, slot.phase);
  const [snapshot, sends] = runnersOf(model, family).consumer.initial(adapters[family].clientInput(config, slot, inc, w));
  return enqueue(
    setSlot(w, name, {
      inc,
      status: 'running',
      snapshot: snapshot as AnyMachineSnapshot,
      formation: null,
      callbackSince: null,
      skippedAssignment: false,
      unreported: [],
      assignorFails: false,
    }),
    sends as Msg['body'][],
    'coordinator',
  );
}

function setSlot(w: World, name: string, patch: Partial<ClientSlot>): World {
  return { ...w, clients: w.clients.map((s) => (s.name === name ? { ...s, ...patch } : s)) };
}

function enqueue(w: World, bodies: Array<Msg['body']>, to: Msg['to'], formation: number | null = null): World {
  if (bodies.length === 0) return w;
  let id = w.nextMsgId;
  const msgs = bodies.map((body) => ({ id: id++, to, body, formation, sentAt: w.now }));
  return { ...w, net: [...w.net, ...msgs], nextMsgId: id, sent: [...w.sent, ...msgs] };
}

/** Moves the clock and charges the elapsed time to the ownership figures. */
function advanceClock(w: World, to: number): World {
  const dt = to - w.now;
  if (dt <= 0) return w;
  let overlap = 0;
  for (const owners of liveOwners(w).values()) if (owners.length > 1) overlap += dt;
  let zombie = 0;
  for (const s of w.clients) if (isLive(s) && common(s).owned.length > 0 && !isCurrentMember(w, s)) zombie += dt;
  if (overlap === 0 && zombie === 0) return { ...w, now: to };
  return { ...w, now: to, metrics: { ...w.metrics, overlapMs: w.metrics.overlapMs + overlap, zombieMs: w.metrics.zombieMs + zombie } };
}

/** Counts records that an earlier owner had already processed. */
function recordProcessing(w: World, name: string): World {
  const c = common(w.clients.find((s) => s.name === name)!);
  const processed = { ...w.processed };
  let dup = 0;
  for (const p of c.owned) {
    const offset = c.positions[p] ?? 0;
    if (offset < (processed[p] ?? 0)) dup++;
    processed[p] = Math.max(processed[p] ?? 0, offset + 1);
  }
  return { ...w, processed, metrics: dup ? { ...w.metrics, duplicateRecords: w.metrics.duplicateRecords + dup } : w.metrics };
}
