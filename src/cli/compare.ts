import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { compareDesigns, defaultTiming, protocolDesigns, type ComparisonResult, type Design } from '../compare/compare.ts';
import { comparisonHtml, comparisonIndexHtml, comparisonTable } from '../compare/report.ts';
import { compareScenarios, findScenario } from '../compare/scenarios/index.ts';
import { UsageError, positiveInt } from '../core/errors.ts';
import { addBaselineOptions, finishBaseline, parseLabelledDesign, planBaseline, type BaselineOptions } from './baseline.ts';

interface CompareOptions extends BaselineOptions {
  scenario: string;
  runs: number;
  seed: number;
  json?: boolean;
  html?: string;
  latency: [number, number];
  callbackMs: number;
}

function latencyRange(raw: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || hi < lo || hi > 60_000) throw new UsageError(`--latency must be MS or MIN-MAX in ms (at most 60000), got '${raw}'`);
  return [lo, hi];
}

export function registerCompare(program: Command, setExit: (code: number) => void): void {
  program
    .command('compare')
    .argument(
      '[designs...]',
      `two or more designs: ${Object.keys(protocolDesigns).join(', ')}, PROTOCOL/ASSIGNOR (eager/range, cooperative/cooperative-sticky, consumer/uniform), a variant (catalogue name or ./file.ts), or PROTOCOL[/ASSIGNOR]+VARIANT`,
    )
    .description(
      'run the same seeded workloads through several designs and compare rebalances, moved partitions, pauses and time to stable (exit 0; 2: bad usage)',
    )
    .option('--scenario <name>', `workload: ${compareScenarios.map((s) => s.name).join(', ')}, or all`, 'all')
    .option('--runs <n>', 'seeded runs per design (seeds seed, seed+1, ...)', positiveInt('--runs', 1, 1000), 5)
    .option('--seed <n>', 'first seed', positiveInt('--seed', 0, 2 ** 31 - 1), 1)
    .option('--latency <ms>', 'network latency of every message, MS or MIN-MAX (seeded random)', latencyRange, defaultTiming.latencyMs)
    .option(
      '--callback-ms <n>',
      'time onPartitionsRevoked takes (a synchronous commit and clean-up)',
      positiveInt('--callback-ms', 0, 600_000),
      defaultTiming.revocationCallbackMs,
    )
    .option('--json', 'print the results as JSON')
    .option('--html <file>', 'write a self-contained HTML page: bar charts per metric and ownership timelines side by side')
    .action(async (specs: string[], opts: CompareOptions, cmd: Command) => setExit(await runCompare(specs, opts, cmd)));
  addBaselineOptions(program.commands.find((c) => c.name() === 'compare')!);
}

async function runCompare(given: string[], opts: CompareOptions, cmd: Command): Promise<number> {
  const plan = planBaseline(given, opts);
  const specs = plan.specs;
  // Checking a baseline: its runs, seed, timing and scenarios, unless the command line names its own.
  const base = plan.base;
  const fromFile = (name: string) => base !== undefined && cmd.getOptionValueSource(name) !== 'cli';
  if (fromFile('runs')) opts.runs = base!.runs;
  if (fromFile('seed')) opts.seed = base!.seed;
  if (fromFile('latency')) opts.latency = base!.timing.latencyMs;
  if (fromFile('callbackMs')) opts.callbackMs = base!.timing.revocationCallbackMs;
  if (specs.length < (opts.baseline ? 1 : 2))
    throw new UsageError('compare needs at least two designs (e.g. compare eager cooperative), or one with --baseline');
  const names = fromFile('scenario')
    ? Object.keys(base!.figures)
    : opts.scenario === 'all'
      ? compareScenarios.map((s) => s.name)
      : [opts.scenario];
  const scenarios = names.map(findScenario);
  const unknown = names.find((_, i) => scenarios[i] === undefined);
  if (unknown !== undefined)
    throw new UsageError(`unknown --scenario '${unknown}' (known: ${compareScenarios.map((s) => s.name).join(', ')}, all)`);
  const designs: Design[] = [];
  for (const spec of specs) designs.push(await parseLabelledDesign(spec));
  if (new Set(specs).size !== specs.length) throw new UsageError(`a design is named twice: ${specs.join(' ')}`);
  const results: ComparisonResult[] = scenarios.map((sc) =>
    compareDesigns(designs, sc!, {
      runs: opts.runs,
      seed: opts.seed,
      timelines: opts.html !== undefined,
      timing: { latencyMs: opts.latency, revocationCallbackMs: opts.callbackMs },
    }),
  );
  if (opts.json && !(opts.baseline && !opts.updateBaseline))
    console.log(JSON.stringify({ results: results.map((r) => ({ ...r, designs: r.designs.map(({ rows: _, ...d }) => d) })) }, null, 2));
  else if (!opts.json) for (const r of results) console.log(`${comparisonTable(r)}\n`);
  if (opts.html) {
    const pages = writeHtml(opts.html, results);
    if (!opts.json) console.log(`HTML: ${pages.join(', ')}`);
  }
  return finishBaseline(opts, plan, results, opts.json === true);
}

/** One scenario: the page itself. Several: an index with every scenario's charts, and one page each next to it. */
function writeHtml(file: string, results: ComparisonResult[]): string[] {
  if (results.length === 1) {
    writeFileSync(file, comparisonHtml(results[0]));
    return [file];
  }
  const ext = extname(file) || '.html';
  const stem = basename(file, extname(file));
  const pages = results.map((r) => ({ result: r, page: `${stem}.${r.scenario.name}${ext}` }));
  for (const p of pages) writeFileSync(join(dirname(file), p.page), comparisonHtml(p.result));
  writeFileSync(file, comparisonIndexHtml(pages));
  return [file, ...pages.map((p) => join(dirname(file), p.page))];
}
