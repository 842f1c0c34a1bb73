import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { KafkaBroker } from './broker.ts';
import { type ConsumerHandle, startConsumer } from './consumers.ts';
import type { ChildMessage, ConsumerSpec, RealClient } from './ipc.ts';
import { MockCluster } from './mock.ts';
import { BROKERS, FIRST_COORDINATOR, TOPIC, memberProtocol, topicNames, type Action, type Scenario } from './scenario.ts';

// Runs a scenario on real consumers (one process each: librdkafka or Apache Kafka's Java
// client) against librdkafka's mock cluster hosted in this process or a real Kafka broker
// started once for the whole run (broker.ts), and records what happened as a time-ordered
// event log.

export type RealEvent =
  | { t: number; member: string; kind: 'assign' | 'revoke'; partitions: string[]; lost: boolean; seq: number }
  | { t: number; member: string; kind: 'start' | 'ready' | 'leave' | 'closed' | 'crash' | 'exit' | 'cut' | 'heal' | 'stall' | 'subscribe' }
  | { t: number; kind: 'brokerDown' | 'brokerUp'; broker: number; coordinator: boolean }
  | { t: number; kind: 'coordinatorMove'; broker: number }
  | { t: number; kind: 'addPartitions'; partitions: number }
  | { t: number; kind: 'quiet' };

export interface RealRun {
  scenario: Scenario;
  /** Where it ran: `librdkafka on mock`, `java on kafka 4.3.1`. */
  target?: string;
  /** Events in time order, `t` in ms since the scenario started. */
  events: RealEvent[];
  /** The group went quiet (no callback for the quiet period) before the bound after the last step. */
  quiet: boolean;
  /** Errors and client log lines worth showing. */
  notes: string[];
  wallMs: number;
}

export interface RunOptions {
  /** No callback for this long means the group has settled. */
  quietMs?: number;
  /** Longest wait for quiet, between steps and at the end. */
  maxWaitMs?: number;
  /** Print events as they happen. */
  verbose?: boolean;
  /** The consumer library (default librdkafka). */
  client?: RealClient;
  /** A running real broker; without it the scenario runs on a fresh mock cluster. */
  kafka?: KafkaBroker;
  /** Java consumers also write the Java logger's rebalance log (docs/validate.md) to DIR/<name>.jsonl. */
  javaLogDir?: string;
}

/** Longest wait for the started consumer processes to subscribe. */
const STARTUP_MS = 90_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let groupCounter = 0;

export async function runReal(scenario: Scenario, opts: RunOptions = {}): Promise<RealRun> {
  const timing = scenario.timing;
  // A crash is noticed after the session timeout, then a join phase runs: quiet must outlast both.
  const quietMs = opts.quietMs ?? timing.sessionTimeoutMs + 1500;
  const maxWaitMs = opts.maxWaitMs ?? 6 * timing.sessionTimeoutMs + quietMs;
  const t0 = performance.timeOrigin + performance.now();
  const rel = (t: number) => Math.round((t - t0) * 10) / 10;
  const nowRel = () => rel(performance.timeOrigin + performance.now());
  const events: RealEvent[] = [];
  const notes: string[] = [];
  const log = (e: RealEvent) => {
    events.push(e);
    if (opts.verbose) console.log(`  ${e.t.toFixed(0).padStart(6)} ms  ${JSON.stringify(e)}`);
  };
  let lastCallback = nowRel();
  /** No quiet before this time: a stalled poll loop is not a settled group. */
  let busyUntil = 0;

  const client = opts.client ?? 'librdkafka';
  const kafka = opts.kafka;
  const group = `rc-${process.pid}-${++groupCounter}`;
  // On the real broker every scenario has topics of its own (reported under the scenario's names).
  const names = topicNames(scenario);
  const brokerTopic = (name: string) => (kafka ? `${name}-${process.pid}-${groupCounter}` : name);
  const topics = names.map(brokerTopic);
  let mock: MockCluster | null = null;
  if (kafka) {
    // KIP-848 timers are the broker's, set at its start; classic ones are each consumer's own.
    if (scenario.migration && (kafka.timers.migrationPolicy ?? 'bidirectional') !== (scenario.migrationPolicy ?? 'bidirectional'))
      throw new Error(
        `the broker runs migration policy ${kafka.timers.migrationPolicy ?? 'bidirectional'}, the scenario ${scenario.migrationPolicy ?? 'bidirectional'}`,
      );
    if ((scenario.protocol === 'consumer' || scenario.migration) && kafka.timers.consumerSessionTimeoutMs !== timing.sessionTimeoutMs)
      throw new Error(
        `the broker runs KIP-848 sessions of ${kafka.timers.consumerSessionTimeoutMs} ms, the scenario ${timing.sessionTimeoutMs} ms`,
      );
    kafka.resetLinks();
    for (const t of topics) await kafka.admin('create', t, scenario.partitions);
  } else {
    if (scenario.migration) throw new Error('a migration scenario needs the real broker (the mock has no mixed groups)');
    mock = new MockCluster({
      brokers: BROKERS,
      initialRebalanceDelayMs: 0,
      consumerSessionTimeoutMs: timing.sessionTimeoutMs,
      consumerHeartbeatIntervalMs: timing.heartbeatIntervalMs,
    });
    for (const t of topics) mock.createTopic(t, scenario.partitions);
    mock.setCoordinator(group, FIRST_COORDINATOR);
  }
  let coordinator = FIRST_COORDINATOR;
  const children = new Map<string, ChildProcess>();
  const handles = new Map<string, ConsumerHandle>();
  let started = 0;
  /** The scenario is over: the remaining processes are killed, not crashed. */
  let ending = false;

  /** Members restarted on the other group.protocol (a migration's bounce). */
  const bounced = new Set<string>();

  /** Starts consumer `name` (a new one, a static member's restart or a bounce under the same name). */
  const start = (name = `c${++started}`) => {
    const slot = Number(name.slice(1));
    const spec: ConsumerSpec = {
      name,
      // Consumer i reaches the real broker through its own listener and proxy (its link).
      bootstraps: kafka ? kafka.bootstrapFor(slot) : mock!.bootstraps,
      group,
      // Every process subscribes to all the scenario's topics when it starts (a restarted one too).
      topics,
      reportTopics: names,
      protocol: memberProtocol(scenario, bounced.has(name)),
      assignor: scenario.assignor,
      instanceId: scenario.static ? `${group}-${name}` : undefined,
      sessionTimeoutMs: timing.sessionTimeoutMs,
      heartbeatIntervalMs: timing.heartbeatIntervalMs,
      maxPollIntervalMs: timing.maxPollIntervalMs,
      logFile: opts.javaLogDir ? join(opts.javaLogDir, `${name}.jsonl`) : undefined,
      revokeDelayMs: scenario.revokeDelayMs,
    };
    const handle = startConsumer(client, spec);
    const child = handle.proc;
    handles.set(name, handle);
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => {
      if (code && code !== 0) notes.push(`${name} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
      // A process that ended without closing (or being killed by us) is dead all the same.
      if (
        !ending &&
        children.get(name) === child &&
        !events.some((e) => 'member' in e && e.member === name && (e.kind === 'closed' || e.kind === 'crash'))
      )
        log({ t: nowRel(), member: name, kind: 'exit' });
    });
    handle.onMessage((m: ChildMessage) => {
      if (m.type === 'callback') {
        lastCallback = rel(m.t);
        log({ t: rel(m.t), member: name, kind: m.kind, partitions: m.partitions, lost: m.lost, seq: m.seq });
      } else if (m.type === 'ready' || m.type === 'closed') {
        // A consumer that has just subscribed (or left) starts a rebalance: quiet counts from here.
        lastCallback = Math.max(lastCallback, rel(m.t));
        log({ t: rel(m.t), member: name, kind: m.type });
      } else if (m.type === 'error') notes.push(`${name}: ${m.message}`);
      else if (opts.verbose) console.log(`  ${name}: ${m.message}`);
    });
    children.set(name, child);
    log({ t: nowRel(), member: name, kind: 'start' });
    lastCallback = nowRel();
  };

  const allReady = () => [...children.keys()].every((n) => events.some((e) => 'member' in e && e.member === n && e.kind === 'ready'));
  const waitReady = async () => {
    // Start-up is not the group's time: a JVM takes seconds, tens of seconds on a loaded machine.
    const deadline = nowRel() + Math.max(maxWaitMs, STARTUP_MS);
    while (nowRel() < deadline && !allReady()) await sleep(20);
  };

  // Every live consumer has been through a join phase (librdkafka calls back even with nothing to assign).
  const allJoined = () => [...children.keys()].every((n) => events.some((e) => 'member' in e && e.member === n && e.kind === 'assign'));

  const waitQuiet = async (): Promise<boolean> => {
    // The bound counts from the moment every started process has subscribed: a JVM's start-up
    // (seconds on a loaded machine) is not the group's time to settle.
    await waitReady();
    const deadline = nowRel() + maxWaitMs;
    // Nobody is quiet before every started process has subscribed.
    while (nowRel() < deadline) {
      if (allReady() && allJoined() && nowRel() - Math.max(lastCallback, busyUntil) >= quietMs) return true;
      await sleep(50);
    }
    return false;
  };

  /** Waits until `member` enters onPartitionsRevoked with partitions, from now on. */
  const waitRevoking = async (member: string): Promise<boolean> => {
    const from = nowRel();
    const deadline = from + maxWaitMs;
    const seen = () =>
      events.some((e) => 'member' in e && e.member === member && e.kind === 'revoke' && !e.lost && e.partitions.length > 0 && e.t >= from);
    while (nowRel() < deadline) {
      if (seen()) return true;
      await sleep(20);
    }
    return false;
  };

  const apply = async (a: Action) => {
    switch (a.kind) {
      case 'join':
        return start();
      case 'leave':
      case 'bounce': {
        const child = children.get(a.member)!;
        // A consumer still starting up cannot close yet: librdkafka's close needs a connected client.
        await waitReady();
        log({ t: nowRel(), member: a.member, kind: 'leave' });
        const closed = new Promise<void>((r) => child.once('exit', () => r()));
        handles.get(a.member)!.send({ type: 'close' });
        // Bounded: a close stuck behind a down coordinator is cut short by a kill.
        await Promise.race([closed, sleep(timing.sessionTimeoutMs + 2000)]);
        if (child.exitCode === null) {
          notes.push(`${a.member} did not close in time; killed`);
          child.kill('SIGKILL');
          await closed;
        }
        children.delete(a.member);
        if (a.kind === 'bounce') {
          // The same consumer, restarted with the other group.protocol.
          bounced.add(a.member);
          start(a.member);
        }
        return;
      }
      case 'crash':
      case 'restart': {
        const child = children.get(a.member)!;
        child.kill('SIGKILL');
        log({ t: nowRel(), member: a.member, kind: 'crash' });
        children.delete(a.member);
        if (a.kind === 'restart') {
          // The old process must be gone before its successor (same group.instance.id) starts.
          if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
          kafka?.proxy(Number(a.member.slice(1))).reset();
          start(a.member);
        }
        return;
      }
      case 'brokerDown': {
        // One real broker: down is every consumer's link cut (the broker itself stays up, so
        // nothing is reloaded); the mock takes its broker down.
        const cutAll = (cut: boolean) => {
          for (let i = 1; i <= kafka!.slots; i++) cut ? kafka!.proxy(i).cutLink() : kafka!.proxy(i).heal();
        };
        if (kafka) cutAll(true);
        else mock!.brokerDown(a.broker);
        log({ t: nowRel(), kind: 'brokerDown', broker: a.broker, coordinator: a.broker === coordinator });
        await sleep(a.downMs);
        if (kafka) cutAll(false);
        else mock!.brokerUp(a.broker);
        log({ t: nowRel(), kind: 'brokerUp', broker: a.broker, coordinator: a.broker === coordinator });
        return;
      }
      case 'cut':
      case 'heal':
        if (kafka) {
          const proxy = kafka.proxy(Number(a.member.slice(1)));
          if (a.kind === 'cut') proxy.cutLink();
          else proxy.heal();
        } else children.get(a.member)?.kill(a.kind === 'cut' ? 'SIGSTOP' : 'SIGCONT');
        log({ t: nowRel(), member: a.member, kind: a.kind });
        return;
      case 'subscribe':
        handles.get(a.member)?.send({ type: 'subscribe', topics: a.topics });
        log({ t: nowRel(), member: a.member, kind: 'subscribe' });
        return;
      case 'stall':
        handles.get(a.member)?.send({ type: 'stall', ms: a.ms });
        busyUntil = nowRel() + a.ms;
        log({ t: nowRel(), member: a.member, kind: 'stall' });
        return;
      case 'addPartitions':
        if (!kafka) throw new Error('adding partitions is driven on the real broker only');
        await kafka.admin('add', brokerTopic(TOPIC), a.partitions);
        log({ t: nowRel(), kind: 'addPartitions', partitions: a.partitions });
        return;
      case 'brokerRestart': {
        if (!kafka) throw new Error('a broker restart is driven on the real broker only');
        log({ t: nowRel(), kind: 'brokerDown', broker: 1, coordinator: true });
        const downMs = await kafka.restart();
        notes.push(`the broker was down ${downMs} ms`);
        log({ t: nowRel(), kind: 'brokerUp', broker: 1, coordinator: true });
        return;
      }
      case 'coordinatorMove':
        if (kafka) throw new Error('a coordinator move needs the mock cluster (one real broker has nowhere to move it)');
        mock!.setCoordinator(group, a.broker);
        coordinator = a.broker;
        log({ t: nowRel(), kind: 'coordinatorMove', broker: a.broker });
        return;
    }
  };

  let quiet = false;
  try {
    for (let i = 0; i < scenario.initial; i++) start();
    // Gaps count from the moment every first consumer has subscribed (process start-up takes ~1 s).
    await waitReady();
    for (const s of scenario.steps) {
      if (s.settle) await waitQuiet();
      if (s.whileRevoking && !(await waitRevoking(s.whileRevoking)))
        notes.push(`${s.whileRevoking} was not seen revoking partitions within ${maxWaitMs} ms; the action came after`);
      await sleep(s.gapMs);
      await apply(s.action);
      // The action opens a new quiet window: its effects (a session expiring) come later.
      lastCallback = nowRel();
    }
    quiet = await waitQuiet();
    if (quiet) log({ t: nowRel(), kind: 'quiet' });
  } finally {
    ending = true;
    for (const [, child] of children) child.kill('SIGKILL');
    await Promise.all(
      [...children.values()].map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)),
    );
    mock?.destroy();
    kafka?.resetLinks();
  }
  events.sort((a, b) => a.t - b.t);
  return { scenario, target: kafka ? `${client} on Kafka` : `${client} on the mock`, events, quiet, notes, wallMs: nowRel() };
}
