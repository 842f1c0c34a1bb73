import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../core/errors.ts';
import { LogError, parseLog, validateLog } from '../conformance/trace-log.ts';
import { realInvariants } from '../conformance/trace.ts';

// rebalance-check validate LOG: a real application's rebalance log (one JSON object a line,
// written by the loggers in docs/validate.md) checked against the trace invariants.

const PROTOCOLS = ['any', 'eager', 'cooperative', 'consumer'] as const;
const CONTEXT = 3;

interface ValidateOptions {
  protocol: string;
}

export function registerValidate(program: Command, setExit: (code: number) => void): void {
  program
    .command('validate')
    .argument('<log>', 'a rebalance log: one JSON object a line (time, process, member, generation, event, partitions)')
    .description(
      'check a real application’s rebalance log against the trace invariants (exit 1: the first violation, with the lines around it; 2: a malformed line)',
    )
    .option(
      '--protocol <p>',
      'any: single-owner only; eager adds eager-revoke-all; cooperative or consumer add revoke-before-reassign',
      'any',
    )
    .action((file: string, opts: ValidateOptions) => setExit(runValidate(file, opts)));
}

export function runValidate(file: string, opts: ValidateOptions): number {
  if (!(PROTOCOLS as readonly string[]).includes(opts.protocol))
    throw new UsageError(`unknown protocol "${opts.protocol}" (expected ${PROTOCOLS.join(', ')})`);
  const protocol = opts.protocol as (typeof PROTOCOLS)[number];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let log: ReturnType<typeof parseLog>;
  try {
    log = parseLog(text, file);
  } catch (e) {
    if (e instanceof LogError) throw new UsageError(e.message);
    throw e;
  }
  // Only the invariants read step by step: a log says nothing of when the group was quiet.
  const checked = ['single-owner', ...(protocol === 'eager' ? ['eager-revoke-all'] : protocol === 'any' ? [] : ['revoke-before-reassign'])];
  const { judgement, line } = validateLog(log, protocol);
  const processes = new Set(log.lines.map((l) => l.process)).size;
  const v = judgement.violations[0];
  if (!v) {
    console.log(
      `${pc.green('✓')} ${file}: ${log.lines.length} lines from ${processes} process${processes === 1 ? '' : 'es'}: ${checked.join(', ')} held` +
        (judgement.zombieOverlaps.length
          ? ` (${judgement.zombieOverlaps.length} zombie overlap(s) allowed: the earlier owner reported the partitions lost)`
          : ''),
    );
    return 0;
  }
  console.log(`${pc.red('✗')} ${file}: ${pc.bold(v.invariant)} violated: ${v.message}`);
  const statement = realInvariants.find((i) => i.id === v.invariant)?.statement;
  if (statement) console.log(`  ${statement}`);
  if (line !== null) {
    const raw = text.split('\n');
    const at = log.lineNumbers[line];
    for (let n = Math.max(1, at - CONTEXT); n <= Math.min(raw.length, at + CONTEXT); n++) {
      if (raw[n - 1] === undefined || (raw[n - 1] === '' && n === raw.length)) continue;
      const mark = n === at ? pc.red('>') : ' ';
      console.log(`${mark} ${String(n).padStart(5)}  ${raw[n - 1]}`);
    }
  }
  console.log(
    '  (lines are ordered by time; a process that crashed writes no stop line: if an earlier owner had crashed, add a stop line for it, see docs/validate.md)',
  );
  return 1;
}
