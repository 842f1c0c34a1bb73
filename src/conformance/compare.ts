import { downgradeReloadedBeforeRebalance } from '../../properties/invariants/eventually-stable.ts';
import { fairSchedule } from '../world/quiesce.ts';
import { noFaults } from '../world/faults.ts';
import { buildModel, type Model } from '../world/model.ts';
import { startFamily, type Choice, type World, type WorldConfig } from '../world/types.ts';
import { ctxOf, inCallback, isLive, isSettled, nextDeadline } from '../world/view.ts';
import { enabled, initialWorld, step } from '../world/world.ts';
import type { RealRun } from './real.ts';
import { TOPIC, topicNames, type Action, type Scenario } from './scenario.ts';
import { finalOwnership, type RealStep } from './trace.ts';

// The same scenario in the model's world, and what differs from the real run. The model has no
// brokers: the coordinator's broker going down is every client's link cut for that long (a
// non-coordinator broker going down does nothing to the group), and a coordinator move is a
// failover (the model reloads the persisted group record; the mock keeps its state in place).
// Between actions the model either settles (fair schedule) or advances the virtual clock by the
// gap, delivering every deliverable message at once: real latencies are ~0 on loopback.

export interface Outcome {
  /** Live consumer -> partitions, once settled. */
  final: Record<string, string[]>;
  stable: boolean;
  /** Callbacks that gave a consumer at least one partition. */
  gains: number;
}

export interface Comparison {
  real: Outcome;
  /** null when the model has no counterpart for the protocol (KIP-848 on this branch). */
  model: Outcome | null;
  differences: string[];
}

const MAX_STEPS = 50_000;

export function modelConfig(s: Scenario): WorldConfig | null {
  if (s.protocol === 'consumer') return null;
  const joins = s.steps.filter((st) => st.action.kind === 'join').length;
  return {
    protocol: s.protocol,
    assignor: s.assignor ?? (s.protocol === 'eager' ? 'range' : 'cooperative-sticky'),
    members: s.initial + joins,
    topics: Object.fromEntries(topicNames(s).map((t) => [t, s.partitions])),
    timers: {
      sessionTimeoutMs: s.timing.sessionTimeoutMs,
      heartbeatIntervalMs: s.timing.heartbeatIntervalMs,
      maxPollIntervalMs: s.timing.maxPollIntervalMs,
      initialRebalanceDelayMs: 0,
      requestTimeoutMs: 5_000,
      retryBackoffMs: 50,
    },
    faults: {
      ...noFaults,
      crash: true,
      leave: true,
      cut: true,
      failover: 100,
      stall: s.steps.some((st) => st.action.kind === 'stall'),
      slowCallbacks: s.revokeDelayMs !== undefined,
      addPartitions: Math.max(0, ...s.steps.map((st) => (st.action.kind === 'addPartitions' ? st.action.partitions - s.partitions : 0))),
    },
    autoCommit: false,
    static: s.static ?? false,
    upgrade: false,
    // The broker's migration policy: Kafka's default unless the scenario names one (broker.ts).
    ...(s.migration ? { migration: s.migration, migrationPolicy: s.migrationPolicy ?? ('bidirectional' as const) } : {}),
  };
}

interface Walk {
  w: World;
  gains: number;
}

function apply(walk: Walk, c: Choice, config: WorldConfig, model: Model): void {
  const after = step(walk.w, c, config, model);
  for (const s of after.clients) {
    if (!isLive(s)) continue;
    const prev = walk.w.clients.find((x) => x.name === s.name)!;
    const had = isLive(prev) && prev.inc === s.inc ? ctxOf(prev).owned : [];
    if (ctxOf(s).owned.some((p) => !had.includes(p))) walk.gains++;
  }
  walk.w = after;
}

function settle(walk: Walk, config: WorldConfig, model: Model): void {
  const gen = fairSchedule(walk.w, config, model);
  for (let r = gen.next(); !r.done; r = gen.next()) {
    const [c] = r.value;
    apply(walk, c, config, model);
  }
}

/** Delivers what can be delivered and fires timers due within `ms` of virtual time. */
function advance(walk: Walk, ms: number, config: WorldConfig, model: Model): void {
  const until = walk.w.now + ms;
  for (let i = 0; i < MAX_STEPS; i++) {
    const choices = enabled(walk.w, config);
    const c = choices.find((x) => x.kind === 'deliver') ?? choices.find((x) => x.kind === 'metadata');
    if (c) {
      apply(walk, c, config, model);
      continue;
    }
    if (nextDeadline(walk.w) > until) return;
    const fire = choices.find((x) => x.kind === 'fire');
    if (!fire) return;
    apply(walk, fire, config, model);
  }
}

function act(walk: Walk, a: Action, joined: () => string, config: WorldConfig, model: Model): void {
  const live = walk.w.clients.filter(isLive).map((s) => s.name);
  switch (a.kind) {
    case 'join':
      return apply(walk, { kind: 'start', client: joined() }, config, model);
    case 'leave':
      return apply(walk, { kind: 'close', client: a.member }, config, model);
    case 'crash':
      return apply(walk, { kind: 'crash', client: a.member }, config, model);
    case 'coordinatorMove':
    case 'brokerRestart':
      // A restarted broker reloads the group from __consumer_offsets: the model's failover
      // (simplified: the broker's downtime is not modelled, the reload is at once).
      return apply(walk, { kind: 'failover' }, config, model);
    case 'bounce':
      return apply(walk, { kind: 'bounce', client: a.member }, config, model);
    case 'cut':
    case 'heal':
      return apply(walk, { kind: a.kind, client: a.member }, config, model);
    case 'restart':
      // A static member's process killed and started again under the same instance id.
      apply(walk, { kind: 'crash', client: a.member }, config, model);
      return apply(walk, { kind: 'start', client: a.member }, config, model);
    case 'subscribe':
      return apply(walk, { kind: 'subscribe', client: a.member, topics: a.topics }, config, model);
    case 'stall':
      apply(walk, { kind: 'stall', client: a.member }, config, model);
      advance(walk, a.ms, config, model);
      return apply(walk, { kind: 'resume', client: a.member }, config, model);
    case 'addPartitions':
      while (walk.w.topics[TOPIC] < a.partitions) apply(walk, { kind: 'addPartition', topic: TOPIC }, config, model);
      return;
    case 'brokerDown':
      if (!a.coordinator) return;
      for (const c of live) apply(walk, { kind: 'cut', client: c }, config, model);
      advance(walk, a.downMs, config, model);
      for (const c of live) if (walk.w.clients.find((s) => s.name === c)!.cut) apply(walk, { kind: 'heal', client: c }, config, model);
      return;
  }
}

/**
 * Delivers messages and fires timers until `client` is inside its (slow) revoke callback, as the
 * real run waits for the callback to start. The callback's end is a separate choice this never
 * takes, so the client stays inside it.
 */
function untilRevoking(walk: Walk, client: string, config: WorldConfig, model: Model): void {
  const revoking = () => walk.w.clients.some((c) => c.name === client && inCallback(c));
  for (let i = 0; i < MAX_STEPS && !revoking(); i++) {
    const choices = enabled(walk.w, config);
    const c =
      choices.find((x) => x.kind === 'deliver') ?? choices.find((x) => x.kind === 'metadata') ?? choices.find((x) => x.kind === 'fire');
    if (!c) return;
    apply(walk, c, config, model);
  }
}

export function runModel(s: Scenario): Outcome | null {
  const config = modelConfig(s);
  if (!config) return null;
  const model = config.migration ? buildModel({}, 'compiled', startFamily(config), true) : buildModel();
  const walk: Walk = { w: initialWorld(config, model), gains: 0 };
  // Every slot starts at time 0 in the model's world; consumers that join later are taken out
  // before anything is delivered and started again at their join.
  for (const slot of walk.w.clients.slice(s.initial)) {
    for (const m of walk.w.net.filter((m) => m.body.client.client === slot.name)) apply(walk, { kind: 'drop', id: m.id }, config, model);
    apply(walk, { kind: 'crash', client: slot.name }, config, model);
  }
  let next = s.initial;
  const joined = () => `c${++next}`;
  for (const st of s.steps) {
    if (st.settle) settle(walk, config, model);
    if (st.whileRevoking) untilRevoking(walk, st.whileRevoking, config, model);
    if (!st.immediately) advance(walk, st.gapMs, config, model);
    act(walk, st.action, joined, config, model);
  }
  settle(walk, config, model);
  const final: Record<string, string[]> = {};
  for (const c of walk.w.clients) if (isLive(c)) final[c.name] = [...ctxOf(c).owned].sort();
  // Quiet, as the real run is judged: settled, or the downgrade reloaded before its rebalance, a
  // known Kafka state where nothing more happens (docs/migration.md).
  return { final, stable: isSettled(walk.w) || downgradeReloadedBeforeRebalance(walk.w), gains: walk.gains };
}

const show = (o: Record<string, string[]>) =>
  Object.entries(o)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([m, ps]) => `${m}:[${ps.join(',')}]`)
    .join(' ');

const shape = (o: Record<string, string[]>) =>
  Object.values(o)
    .map((ps) => `[${ps.join(',')}]`)
    .sort()
    .join(' ');

export function compare(run: RealRun, steps: RealStep[]): Comparison {
  const owned = finalOwnership(steps);
  const real: Outcome = {
    final: Object.fromEntries(Object.entries(owned).map(([m, ps]) => [m, [...ps].sort()])),
    stable: run.quiet,
    gains: steps.filter((s) => s.event.kind === 'assign' && s.event.partitions.length > 0).length,
  };
  const model = runModel(run.scenario);
  const differences: string[] = [];
  if (model) {
    if (model.stable !== real.stable) differences.push(`stable: real ${real.stable}, model ${model.stable}`);
    // Compared up to member names: the mock names classic members by a pointer address, so
    // range's member order (and who gets which share) is arbitrary there.
    if (shape(model.final) !== shape(real.final))
      differences.push(`final assignment: real ${show(real.final)}; model ${show(model.final)}`);
    if (model.gains !== real.gains) differences.push(`assignments received: real ${real.gains}, model ${model.gains}`);
  }
  return { real, model, differences };
}

export const showOwnership = show;
export const shapeOf = shape;
