import type { Command } from 'commander';
import pc from 'picocolors';
import { validate, type LogProtocol } from '../api/validate.ts';

// rebalance-check validate LOG: a real application's rebalance log (one JSON object a line,
// written by the loggers in docs/validate.md) checked against the trace invariants.

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
  const r = validate(file, { protocol: opts.protocol as LogProtocol });
  const v = r.violation;
  if (!v) {
    const overlaps = r.judgement.zombieOverlaps.length;
    console.log(
      `${pc.green('✓')} ${file}: ${r.lines.length} lines from ${r.processes} process${r.processes === 1 ? '' : 'es'}: ${r.checked.join(', ')} held` +
        (overlaps ? ` (${overlaps} zombie overlap(s) allowed: the earlier owner reported the partitions lost)` : ''),
    );
    return 0;
  }
  console.log(`${pc.red('✗')} ${file}: ${pc.bold(v.invariant)} violated: ${v.message}`);
  if (v.statement) console.log(`  ${v.statement}`);
  if (v.lineNumber !== null) {
    const raw = r.raw;
    const at = v.lineNumber;
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
