// `validate(log)`: a real application's rebalance log checked against the trace invariants.
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { realInvariants } from '../conformance/trace.ts';
import { LogError, parseLog, validateLog, type LogLine } from '../conformance/trace-log.ts';
import type { RealJudgement } from '../conformance/trace.ts';

export const logProtocols = ['any', 'eager', 'cooperative', 'consumer'] as const;
export type LogProtocol = (typeof logProtocols)[number];

export interface ValidateOptions {
  /** `any`: single-owner only; eager adds eager-revoke-all; cooperative or consumer add revoke-before-reassign. */
  protocol?: LogProtocol;
}

export interface ValidateReport {
  ok: boolean;
  lines: LogLine[];
  /** The log's text as read, line by line (for showing a violation in context). */
  raw: string[];
  /** Distinct processes that wrote the log. */
  processes: number;
  /** The invariants checked, by id. */
  checked: string[];
  judgement: RealJudgement;
  /** The first violation with its statement and the 1-based line of the file it was met on. */
  violation?: { invariant: string; statement?: string; message: string; lineNumber: number | null };
}

/**
 * A log file's path, or `{ text }` (one JSON object a line, as the loggers in docs/validate.md
 * write). A file that cannot be read, or a malformed line, throws a `UsageError` naming it.
 */
export function validate(from: string | { text: string; name?: string }, options: ValidateOptions = {}): ValidateReport {
  const protocol = options.protocol ?? 'any';
  if (!(logProtocols as readonly string[]).includes(protocol))
    throw new UsageError(`unknown protocol "${protocol}" (expected ${logProtocols.join(', ')})`);
  const name = typeof from === 'string' ? from : (from.name ?? 'log');
  let text: string;
  if (typeof from === 'string') {
    try {
      text = readFileSync(from, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${from}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  } else text = from.text;
  let log: ReturnType<typeof parseLog>;
  try {
    log = parseLog(text, name);
  } catch (e) {
    if (e instanceof LogError) throw new UsageError(e.message);
    throw e;
  }
  // Only the invariants read step by step: a log says nothing of when the group was quiet.
  const checked = ['single-owner', ...(protocol === 'eager' ? ['eager-revoke-all'] : protocol === 'any' ? [] : ['revoke-before-reassign'])];
  const { judgement, line } = validateLog(log, protocol);
  const v = judgement.violations[0];
  return {
    ok: v === undefined,
    lines: log.lines,
    raw: text.split('\n'),
    processes: new Set(log.lines.map((l) => l.process)).size,
    checked,
    judgement,
    violation: v && {
      invariant: v.invariant,
      statement: realInvariants.find((i) => i.id === v.invariant)?.statement,
      message: v.message,
      lineNumber: line === null ? null : log.lineNumbers[line],
    },
  };
}
