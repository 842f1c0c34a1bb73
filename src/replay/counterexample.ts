import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Violation } from '../run/run.ts';
import { migrations, type WorldConfig } from '../world/types.ts';
import { migrationPolicies } from '../../models/consumer-protocol/migration-policy.ts';
import { offsetResets } from '../../models/offset-reset.ts';
import type { StoredChoice } from './meaning.ts';

// The counterexample file: versioned, validated on load, readable by a person.

export const FORMAT = 'rebalance-check/counterexample@1';
export const TOOL_VERSION = '0.1.0';

export interface InstanceSize {
  steps: number;
  members: number;
  topics: number;
  partitions: number;
  /** The timer settings (absent in files written before timers were shrunk). */
  timers?: WorldConfig['timers'];
}

export interface Counterexample {
  format: typeof FORMAT;
  tool: { name: 'rebalance-check'; version: string };
  protocol: WorldConfig['protocol'];
  assignor: string;
  variant: string | null;
  /** The whole world configuration: instance, timers, faults, membership options. */
  config: WorldConfig;
  seed: number;
  /** Random steps to replay, stored by meaning; the fair schedule after them is derived. */
  choices: StoredChoice[];
  violation: { invariant: string; statement: string; message: string; step: number };
  shrink: { before: InstanceSize; after: InstanceSize };
}

const messageRef = z.object({ kind: z.string(), client: z.string(), inc: z.number().int(), corr: z.number().int() });
const client = z.object({ client: z.string() });
const choice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deliver'), message: messageRef }),
  z.object({ kind: z.literal('drop'), message: messageRef }),
  z.object({ kind: z.literal('fire'), target: z.string(), timer: z.string() }),
  ...(
    [
      'start',
      'close',
      'crash',
      'stall',
      'resume',
      'process',
      'commit',
      'metadata',
      'cut',
      'heal',
      'bounce',
      'callback',
      'replace',
      'assignorFails',
      'slowAssignor',
    ] as const
  ).map((k) => client.extend({ kind: z.literal(k) })),
  z.object({ kind: z.literal('subscribe'), client: z.string(), topics: z.array(z.string()) }),
  z.object({ kind: z.literal('addPartition'), topic: z.string() }),
  z.object({ kind: z.literal('createTopic'), topic: z.string() }),
  z.object({ kind: z.literal('failover') }),
  z.object({ kind: z.literal('expireOffsets') }),
  z.object({ kind: z.literal('moveReplica'), partition: z.string() }),
]);
const positive = z.number().int().nonnegative();
const timers = z.object({
  sessionTimeoutMs: positive,
  heartbeatIntervalMs: positive,
  maxPollIntervalMs: positive,
  initialRebalanceDelayMs: positive,
  requestTimeoutMs: positive,
  retryBackoffMs: positive,
});
const config = z.object({
  protocol: z.enum(['eager', 'cooperative', 'consumer']),
  assignor: z.string(),
  members: z.number().int().min(1).max(64),
  topics: z.record(z.string(), z.number().int().min(0).max(10_000)),
  timers,
  faults: z.object({
    loss: z.boolean(),
    crash: z.boolean(),
    leave: z.boolean(),
    stall: z.boolean(),
    addPartitions: positive,
    cut: z.boolean(),
    failover: positive,
    subscribe: z.boolean(),
    slowCallbacks: z.boolean(),
    // Files written before slow onPartitionsAssigned/onPartitionsLost existed ran without them.
    slowAssignLost: z.boolean().default(false),
    // Files written before zombies existed ran without them.
    zombie: z.boolean().default(false),
    assignorFailure: z.boolean().default(false),
    replicaMoves: positive.optional(),
    slowAssignor: z.boolean().optional(),
    createTopics: positive.optional(),
    offsetExpiries: positive.optional(),
  }),
  autoCommit: z.boolean(),
  static: z.boolean(),
  upgrade: z.boolean(),
  migration: z.enum(migrations).nullable().optional(),
  migrationPolicy: z.enum(migrationPolicies).optional(),
  racks: z.number().int().min(0).max(16).optional(),
  pattern: z.boolean().optional(),
  offsetReset: z.enum(offsetResets).optional(),
});
const size = z.object({ steps: positive, members: positive, topics: positive, partitions: positive, timers: timers.optional() });
const schema = z.object({
  format: z.literal(FORMAT),
  tool: z.object({ name: z.literal('rebalance-check'), version: z.string() }),
  protocol: z.enum(['eager', 'cooperative', 'consumer']),
  assignor: z.string(),
  variant: z.string().nullable(),
  config,
  seed: positive,
  choices: z.array(choice),
  violation: z.object({ invariant: z.string(), statement: z.string(), message: z.string(), step: z.number().int() }),
  shrink: z.object({ before: size, after: size }),
});

/** A file that cannot be used: the message is one line naming the problem. */
export class CounterexampleError extends Error {}

export function parseCounterexample(text: string, name: string): Counterexample {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CounterexampleError(`${name}: not valid JSON (${(e as Error).message})`);
  }
  const format = (raw as { format?: unknown })?.format;
  if (typeof format !== 'string') throw new CounterexampleError(`${name}: no "format" field; expected "${FORMAT}"`);
  if (format !== FORMAT) {
    const version = /^rebalance-check\/counterexample@(\d+)$/.exec(format);
    throw new CounterexampleError(
      version && Number(version[1]) > 1
        ? `${name}: format ${format} is newer than this version of rebalance-check reads (${FORMAT})`
        : `${name}: unknown format "${format}"; expected "${FORMAT}"`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CounterexampleError(`${name}: invalid counterexample at ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return parsed.data as Counterexample;
}

export function readCounterexample(path: string): Counterexample {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CounterexampleError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseCounterexample(text, path);
}

export const sizeOf = (config: WorldConfig, steps: number): InstanceSize => ({
  steps,
  members: config.members,
  topics: Object.keys(config.topics).length,
  partitions: Object.values(config.topics).reduce((a, b) => a + b, 0),
  timers: config.timers,
});

export function violationOf(v: Violation) {
  return { invariant: v.invariant, statement: v.statement, message: v.message, step: v.step };
}
