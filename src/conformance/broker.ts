import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kafkaClasspath, missingKafka } from './kafka-install.ts';
import { LinkProxy } from './proxy.ts';

// A real Apache Kafka broker for the conformance runs: one KRaft node (broker and controller in
// one JVM) on loopback, storage formatted in a temporary folder, group timers short enough for
// scenarios of seconds, both group protocols (classic and KIP-848 consumer) enabled.
//
// Consumer links: the broker has one listener per consumer slot (C1..C5), each advertising the
// port of a LinkProxy in front of it, so that every connection of consumer i goes through proxy i
// (see proxy.ts). The orchestrator's own admin requests use a listener of their own (BROKER).

export interface BrokerTimers {
  /** Broker-side KIP-848 session timeout and heartbeat interval. */
  consumerSessionTimeoutMs: number;
  consumerHeartbeatIntervalMs: number;
  /** group.consumer.migration.policy (Kafka's default: bidirectional). */
  migrationPolicy?: 'bidirectional' | 'upgrade' | 'downgrade' | 'disabled';
}

const execFileP = promisify(execFile);
const JVM = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto'];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const live = new Set<KafkaBroker>();
let hooked = false;

/** Stops every broker this process started, on Ctrl-C, on a kill and on exit (a broker JVM must not outlive us). */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const stopAll = () => {
    for (const b of live) b.kill();
  };
  process.on('exit', stopAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      stopAll();
      process.exit(130);
    });
  }
}

export class KafkaBroker {
  /** Address of the orchestrator's own listener (admin requests). */
  adminBootstrap = '';
  /** Milliseconds from spawning the JVM to "Kafka Server started". */
  startMs = 0;
  private proc: ChildProcess | null = null;
  private dir = '';
  private serverProps = '';
  private readonly proxies: LinkProxy[] = [];

  private constructor(readonly timers: BrokerTimers) {}

  /** Starts a broker with `slots` consumer listeners and waits until it serves requests. */
  static async start(timers: BrokerTimers, slots: number): Promise<KafkaBroker> {
    const why = missingKafka();
    if (why) throw new Error(why);
    const b = new KafkaBroker(timers);
    hookExit();
    live.add(b);
    try {
      await b.boot(slots);
    } catch (e) {
      b.kill();
      throw e;
    }
    return b;
  }

  private async boot(slots: number): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'rebalance-check-kafka-'));
    const [brokerPort, controllerPort] = [await freePort(), await freePort()];
    const listeners = [`BROKER://127.0.0.1:${brokerPort}`, `CONTROLLER://127.0.0.1:${controllerPort}`];
    const advertised = [`BROKER://127.0.0.1:${brokerPort}`];
    const protocols = ['BROKER:PLAINTEXT', 'CONTROLLER:PLAINTEXT'];
    for (let i = 1; i <= slots; i++) {
      const [port, proxyPort] = [await freePort(), await freePort()];
      listeners.push(`C${i}://127.0.0.1:${port}`);
      advertised.push(`C${i}://127.0.0.1:${proxyPort}`);
      protocols.push(`C${i}:PLAINTEXT`);
      this.proxies.push(new LinkProxy(proxyPort, port));
    }
    const t = this.timers;
    const props = {
      'process.roles': 'broker,controller',
      'node.id': 1,
      'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
      listeners: listeners.join(','),
      'advertised.listeners': advertised.join(','),
      'listener.security.protocol.map': protocols.join(','),
      'inter.broker.listener.name': 'BROKER',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': join(this.dir, 'data'),
      'num.partitions': 1,
      'offsets.topic.replication.factor': 1,
      // One __consumer_offsets partition: loaded at once, whichever group hashes where.
      'offsets.topic.num.partitions': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'auto.create.topics.enable': false,
      // Classic: a join phase completes as soon as every member has rejoined (no initial delay);
      // the floor of session.timeout.ms (group.min.session.timeout.ms, default 6 s) lowered so
      // that the scenarios' 1.5 s sessions are accepted.
      'group.initial.rebalance.delay.ms': 0,
      'group.min.session.timeout.ms': 500,
      // KIP-848: both protocols are on by default in Kafka 4; the timers are the broker's, with
      // their floors (min.session 45 s, min.heartbeat 5 s by default) lowered to allow them.
      'group.coordinator.rebalance.protocols': 'classic,consumer',
      'group.consumer.min.session.timeout.ms': Math.min(500, t.consumerSessionTimeoutMs),
      'group.consumer.session.timeout.ms': t.consumerSessionTimeoutMs,
      'group.consumer.min.heartbeat.interval.ms': Math.min(50, t.consumerHeartbeatIntervalMs),
      'group.consumer.heartbeat.interval.ms': t.consumerHeartbeatIntervalMs,
      // The online migration between the classic and the consumer protocol (docs/migration.md).
      'group.consumer.migration.policy': t.migrationPolicy ?? 'bidirectional',
    };
    const serverProps = join(this.dir, 'server.properties');
    this.serverProps = serverProps;
    writeFileSync(
      serverProps,
      `${Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    const log4j = join(this.dir, 'log4j2.properties');
    writeFileSync(
      log4j,
      [
        'status = warn',
        'appender.f.type = File',
        'appender.f.name = f',
        `appender.f.fileName = ${join(this.dir, 'broker.log')}`,
        'appender.f.append = true',
        'appender.f.layout.type = PatternLayout',
        'appender.f.layout.pattern = [%d] %p %m (%c)%n',
        'rootLogger.level = INFO',
        'rootLogger.appenderRef.f.ref = f',
        '',
      ].join('\n'),
    );
    const clusterId = randomBytes(16).toString('base64url');
    await execFileP('java', [...JVM, '-cp', kafkaClasspath(), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', serverProps]);
    for (const p of this.proxies) await p.start();
    this.adminBootstrap = `127.0.0.1:${brokerPort}`;
    this.startMs = await this.launch();
  }

  /** Starts the broker's JVM on the formatted storage and waits for "Kafka Server started" (one more time than before). */
  private async launch(): Promise<number> {
    const log = join(this.dir, 'broker.log');
    const startedTimes = () => {
      try {
        return readFileSync(log, 'utf8').split('Kafka Server started').length - 1;
      } catch {
        return 0;
      }
    };
    const before = startedTimes();
    const t0 = performance.now();
    const proc = spawn(
      'java',
      [
        ...JVM,
        '-Xmx512m',
        `-Dlog4j2.configurationFile=${join(this.dir, 'log4j2.properties')}`,
        '-cp',
        kafkaClasspath(),
        'kafka.Kafka',
        this.serverProps,
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: false,
      },
    );
    this.proc = proc;
    let stderr = '';
    proc.stderr?.on('data', (d) => (stderr += String(d)));
    let exited = false;
    proc.once('exit', () => (exited = true));
    // Started: the log says so (the admin client's first topic creation then confirms it serves).
    const deadline = t0 + 90_000;
    for (;;) {
      if (exited)
        throw new Error(`the Kafka broker exited during start-up: ${stderr.trim().split('\n').slice(-3).join(' | ') || this.logTail()}`);
      if (startedTimes() > before) break;
      if (performance.now() > deadline) throw new Error(`the Kafka broker did not start within 90 s: ${this.logTail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return Math.round(performance.now() - t0);
  }

  /**
   * Kills the broker (SIGKILL: nothing is flushed or handed over beyond what the log already
   * holds) and starts it again on the same storage and ports: the group coordinator reloads every
   * group from __consumer_offsets, as a new coordinator does after a failover. Returns the
   * milliseconds the broker was down.
   */
  async restart(): Promise<number> {
    const t0 = performance.now();
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await gone;
    }
    // The admin client reconnects by itself; a fresh one is simpler than waiting for it.
    this.adminProc?.kill('SIGKILL');
    this.adminProc = null;
    await this.launch();
    return Math.round(performance.now() - t0);
  }

  private logTail(): string {
    try {
      const lines = readFileSync(join(this.dir, 'broker.log'), 'utf8').trim().split('\n');
      return (
        lines
          .filter((l) => /ERROR|FATAL|Exception/.test(l))
          .slice(-3)
          .join(' | ') || lines.slice(-2).join(' | ')
      );
    } catch {
      return '(no broker log)';
    }
  }

  /** Bootstrap address for consumer slot `i` (1-based): its proxy. */
  bootstrapFor(slot: number): string {
    return `127.0.0.1:${this.proxy(slot).listenPort}`;
  }

  proxy(slot: number): LinkProxy {
    const p = this.proxies[slot - 1];
    if (!p) throw new Error(`the broker has ${this.proxies.length} consumer listeners, not ${slot}`);
    return p;
  }

  get slots(): number {
    return this.proxies.length;
  }

  private adminProc: ChildProcess | null = null;
  /** The admin client's stderr, for errors. */
  private adminErr = '';
  private adminQueue: Promise<unknown> = Promise.resolve();

  /** `create TOPIC N` or `add TOPIC TOTAL`, through one admin client (the driver's admin-server) for the broker's life. */
  admin(op: 'create' | 'add', topic: string, partitions: number): Promise<void> {
    const next = this.adminQueue.then(() => this.adminRequest(`${op} ${topic} ${partitions}`));
    this.adminQueue = next.catch(() => {});
    return next;
  }

  private adminRequest(line: string): Promise<void> {
    if (!this.adminProc) {
      const proc = spawn('java', [...JVM, '-cp', kafkaClasspath(), 'Driver', 'admin-server', this.adminBootstrap], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      proc.stdin?.on('error', () => {});
      this.adminErr = '';
      proc.stderr?.on('data', (d) => (this.adminErr += String(d)));
      proc.once('exit', () => {
        if (this.adminProc === proc) this.adminProc = null;
      });
      this.adminProc = proc;
    }
    const proc = this.adminProc;
    return new Promise<void>((resolve, reject) => {
      let buf = '';
      const onData = (d: Buffer) => {
        buf += String(d);
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        cleanup();
        const answer = buf.slice(0, nl).trim();
        if (answer === 'ok') resolve();
        else reject(new Error(`Kafka admin ${line}: ${answer} ${this.adminStderr()}`.trim()));
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`Kafka admin ${line}: the admin client exited: ${this.adminStderr()}`));
      };
      const cleanup = () => {
        proc.stdout?.off('data', onData);
        proc.off('exit', onExit);
      };
      proc.stdout?.on('data', onData);
      proc.once('exit', onExit);
      proc.stdin?.write(`${line}\n`);
    });
  }

  private adminStderr(): string {
    return this.adminErr.trim().split('\n').slice(-2).join(' | ');
  }

  /** Between scenarios: every proxied connection closed, every link healed. */
  resetLinks(): void {
    for (const p of this.proxies) p.reset();
  }

  /** SIGKILL, synchronous: for exit handlers. */
  kill(): void {
    this.adminProc?.kill('SIGKILL');
    this.adminProc = null;
    this.proc?.kill('SIGKILL');
    this.proc = null;
    for (const p of this.proxies) p.reset();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = '';
    live.delete(this);
  }

  /** Graceful stop (SIGTERM, then SIGKILL after 10 s), proxies closed, storage removed. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
    }
    for (const p of this.proxies) await p.stop();
    this.kill();
  }
}
