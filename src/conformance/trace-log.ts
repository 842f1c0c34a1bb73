import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RealProtocol } from './ipc.ts';
import type { RealEvent, RealRun } from './real.ts';
import { judgeSteps, type RealJudgement, type RealStep, toTrace } from './trace.ts';

// The rebalance log: one JSON object a line, what a consumer application's rebalance listener
// writes and `rebalance-check validate` reads (docs/validate.md has loggers for the Java client,
// kafkajs and librdkafka). The conformance runs write their real traces in it too.
//
//   {"time": 1733220000123.5, "process": "host-a:4242", "member": "c1-3f9a...", "generation": 7,
//    "event": "assign", "partitions": ["orders-0", "orders-3"]}
//
// time: ms since the epoch (a number) or an ISO-8601 string; process: one consumer instance
// (ownership belongs to it); member: the group member id, informational; generation: the classic
// generation or KIP-848 member epoch when known; event: assign | revoke | lost (ownership given
// up because the member was removed from the group), or stop (the process ended: what it owned
// is no longer owned; a crash writes no stop line, see docs/validate.md).

export const LOG_EVENTS = ['assign', 'revoke', 'lost', 'stop'] as const;

const lineSchema = z.strictObject({
  time: z.union([z.number().finite(), z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 time')]),
  process: z.string().min(1),
  member: z.string().optional(),
  generation: z.number().int().optional(),
  event: z.enum(LOG_EVENTS),
  partitions: z.array(z.string()).default([]),
});

export type LogLine = z.infer<typeof lineSchema>;

export interface ParsedLog {
  lines: LogLine[];
  /** 1-based line number in the file of each parsed line. */
  lineNumbers: number[];
}

export class LogError extends Error {}

/** Parses a log; a malformed line is one LogError naming the line and the problem. */
export function parseLog(text: string, file: string): ParsedLog {
  const lines: LogLine[] = [];
  const lineNumbers: number[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new LogError(`${file}:${i + 1}: not a JSON object: ${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}`);
    }
    const r = lineSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'line';
      throw new LogError(`${file}:${i + 1}: ${where}: ${issue.message}`);
    }
    lines.push(r.data);
    lineNumbers.push(i + 1);
  });
  return { lines, lineNumbers };
}

const ms = (t: LogLine['time']) => (typeof t === 'number' ? t : Date.parse(t));

/** The log as a real trace: events in time order (ties keep file order), each with the index of its line. */
export function logToTrace(log: ParsedLog): { steps: RealStep[]; lineOf: number[] } {
  const order = log.lines.map((l, i) => ({ l, i })).sort((a, b) => ms(a.l.time) - ms(b.l.time) || a.i - b.i);
  const seen = new Set<string>();
  const events: RealEvent[] = [];
  const lineOf: number[] = [];
  for (const { l, i } of order) {
    const t = ms(l.time);
    // A process's first line starts it; a line after its stop starts it anew (same id restarted).
    if (!seen.has(l.process)) {
      seen.add(l.process);
      events.push({ t, member: l.process, kind: 'start' });
      lineOf.push(i);
    }
    if (l.event === 'stop') {
      events.push({ t, member: l.process, kind: 'closed' });
      seen.delete(l.process);
    } else
      events.push({
        t,
        member: l.process,
        kind: l.event === 'assign' ? 'assign' : 'revoke',
        partitions: [...l.partitions].sort(),
        lost: l.event === 'lost',
        seq: i,
      });
    lineOf.push(i);
  }
  const steps = toTrace({ scenario: { protocol: 'eager' } as RealRun['scenario'], events, quiet: false, notes: [], wallMs: 0 });
  return { steps, lineOf };
}

export interface Validation {
  judgement: RealJudgement;
  /** For the first violation: the index (into log.lines) of the offending line. */
  line: number | null;
}

/** Judges a log by the step invariants (`any`: single-owner only; a protocol adds its own). */
export function validateLog(log: ParsedLog, protocol: RealProtocol | 'any'): Validation {
  const { steps, lineOf } = logToTrace(log);
  const judgement = judgeSteps(protocol, steps);
  const first = judgement.violations[0];
  return { judgement, line: first ? lineOf[first.step] : null };
}

/** A real run's trace as a log (process and member are the consumer's name; crashes and closes write stop). */
export function runToLog(run: RealRun): string {
  const out: string[] = [];
  for (const e of run.events) {
    if (!('member' in e)) continue;
    if (e.kind === 'assign' || e.kind === 'revoke')
      out.push(
        JSON.stringify({
          time: e.t,
          process: e.member,
          member: e.member,
          event: e.kind === 'revoke' && e.lost ? 'lost' : e.kind,
          partitions: e.partitions,
        }),
      );
    else if (e.kind === 'closed' || e.kind === 'crash' || e.kind === 'exit')
      out.push(JSON.stringify({ time: e.t, process: e.member, member: e.member, event: 'stop', partitions: [] }));
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

export function writeTraceLog(dir: string, file: string, run: RealRun): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, runToLog(run));
  return path;
}
