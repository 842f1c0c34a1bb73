import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { replay } from '../api/replay.ts';
import { CounterexampleError, readCounterexample } from '../replay/counterexample.ts';
import type { TimelineRow } from '../replay/timeline.ts';
import { UsageError } from '../core/errors.ts';
import { count, printViolation } from './report.ts';
import type { Interpreter } from '../world/model.ts';
import { interpreterHelp, parseInterpreter, useInterpreter } from './interpreter.ts';

interface ReplayOptions {
  html?: string;
  real?: string;
  client?: string;
  interpreter?: Interpreter;
}

export function registerReplay(program: Command, setExit: (code: number) => void): void {
  program
    .command('replay')
    .argument('<file>', 'a counterexample file written by check')
    .description('re-execute a counterexample and print its timeline (exit 1: the violation reproduces, 0: it no longer does, 2: bad file)')
    .option('--html <file>', 'also write a self-contained HTML report with swim lanes and the message sequence')
    .option(
      '--real <broker>',
      'replay the starts, closes, crashes, cuts, stalls, added partitions and failovers on real consumers against librdkafka’s mock cluster (mock; needs `npm run conformance:install`) or a real Kafka broker (kafka; needs `npm run kafka:install`); exit 1: an invariant fails on the real trace',
    )
    .option('--client <c>', 'with --real: the consumer library, librdkafka (default) or java (Apache Kafka’s client, on --real kafka)')
    .option('--interpreter <name>', interpreterHelp, parseInterpreter)
    .action(async (file: string, opts: ReplayOptions) => setExit(await runReplay(file, opts)));
}

async function runReplay(file: string, opts: ReplayOptions): Promise<number> {
  useInterpreter(opts);
  try {
    const cx = readCounterexample(file);
    if (opts.client && !opts.real) throw new UsageError('--client needs --real');
    if (opts.real) {
      const broker = opts.real;
      if (broker !== 'mock' && broker !== 'kafka') throw new UsageError(`--real: unknown broker "${broker}" (expected mock or kafka)`);
      const client = opts.client ?? 'librdkafka';
      if (client !== 'librdkafka' && client !== 'java')
        throw new UsageError(`--client: unknown client "${client}" (expected librdkafka or java)`);
      // Loaded lazily: the real clients are separate installs.
      const { replayReal } = await import('../conformance/replay-real.ts');
      return await replayReal(cx, file, { broker, client });
    }
    const { violation: v, rows, steps } = await replay(file);
    const what = `${cx.protocol}/${cx.assignor}${cx.variant ? ` variant ${cx.variant}` : ''} (${count(cx.config.members, 'member')}, ${Object.entries(
      cx.config.topics,
    )
      .map(([t, n]) => `${t}: ${n}`)
      .join(', ')})`;
    if (opts.html) await writeHtml(opts.html, file, rows, v);
    if (!v) {
      console.log(
        `${pc.green('✓')} ${file}: ${cx.violation.invariant} no longer fails: ${steps} steps and the fair schedule replayed with every invariant holding (${what})`,
      );
      return 0;
    }
    const same = v.invariant === cx.violation.invariant;
    const header = `${file}: invariant ${pc.bold(v.invariant)} violated at step ${v.step + 1} (${what})${same ? '' : `; the file recorded ${cx.violation.invariant}`}`;
    printViolation(header, v, rows, v.choice === null);
    if (opts.html) console.log(`  Report: ${opts.html}`);
    return 1;
  } catch (e) {
    if (e instanceof CounterexampleError) throw new UsageError(e.message);
    throw e;
  }
}

async function writeHtml(
  out: string,
  file: string,
  rows: TimelineRow[],
  v: { invariant: string; statement: string; message: string; step: number } | undefined,
) {
  // Loaded lazily: the report renderer is only needed with --html.
  const { renderHtml } = await import('../replay/html.ts');
  writeFileSync(
    out,
    renderHtml({
      title: `rebalance-check replay ${file}`,
      rows,
      violation: v && { invariant: v.invariant, statement: v.statement, message: v.message, step: v.step },
    }),
  );
}
