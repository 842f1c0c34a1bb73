import { type ChildProcess, fork, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ConsumerSpec, ParentMessage, RealClient } from './ipc.ts';
import { kafkaClasspath } from './kafka-install.ts';

// One real consumer in a process of its own (a crash is a real kill -9): librdkafka through
// @confluentinc/kafka-javascript in a forked Node process (IPC), or Apache Kafka's Java
// KafkaConsumer in a JVM running conformance/kafka/driver/Driver.java (JSON lines on stdout,
// commands on stdin). The orchestrator sees both the same way.

export interface ConsumerHandle {
  readonly proc: ChildProcess;
  send(m: ParentMessage): void;
  onMessage(fn: (m: ChildMessage) => void): void;
}

const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, 'consumer-process.ts');
// Resolved here, not from the working directory: the command may run from anywhere.
const tsxLoader = import.meta.resolve('tsx');

function librdkafka(spec: ConsumerSpec): ConsumerHandle {
  const proc = fork(childScript, [JSON.stringify(spec)], {
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return {
    proc,
    send: (m) => {
      if (proc.connected) proc.send(m);
    },
    onMessage: (fn) => proc.on('message', fn),
  };
}

function java(spec: ConsumerSpec): ConsumerHandle {
  const args = {
    name: spec.name,
    bootstrap: spec.bootstraps,
    group: spec.group,
    topics: spec.topics.join(','),
    reports: spec.reportTopics.join(','),
    protocol: spec.protocol,
    assignor: spec.assignor ?? (spec.protocol === 'eager' ? 'range' : 'cooperative-sticky'),
    sessionTimeoutMs: spec.sessionTimeoutMs,
    heartbeatIntervalMs: spec.heartbeatIntervalMs,
    maxPollIntervalMs: spec.maxPollIntervalMs,
    // A request unanswered for this long is given up and its connection closed (a cut link).
    requestTimeoutMs: Math.max(1000, spec.sessionTimeoutMs),
    ...(spec.instanceId ? { instance: spec.instanceId } : {}),
    ...(spec.logFile ? { log: spec.logFile } : {}),
    ...(spec.revokeDelayMs ? { revokeDelayMs: spec.revokeDelayMs } : {}),
  };
  const proc = spawn(
    'java',
    [
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Xmx128m',
      '-Xss512k',
      '-cp',
      kafkaClasspath(),
      'Driver',
      'consume',
      ...Object.entries(args).map(([k, v]) => `${k}=${v}`),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  proc.stdin?.on('error', () => {});
  const listeners: ((m: ChildMessage) => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    let m: ChildMessage;
    try {
      m = JSON.parse(line) as ChildMessage;
    } catch {
      // The client's own output (a log line): kept as a note.
      m = { type: 'log', message: line };
    }
    for (const fn of listeners) fn(m);
  });
  return {
    proc,
    send: (m) => {
      if (!proc.stdin?.writable) return;
      proc.stdin.write(m.type === 'close' ? 'close\n' : m.type === 'stall' ? `stall ${m.ms}\n` : `subscribe ${m.topics.join(',')}\n`);
    },
    onMessage: (fn) => listeners.push(fn),
  };
}

export const startConsumer = (client: RealClient, spec: ConsumerSpec): ConsumerHandle =>
  client === 'java' ? java(spec) : librdkafka(spec);
