import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { compareDesigns, defaultTiming, parseDesign, protocolDesigns, type ComparisonResult, type Design } from '../compare/compare.ts';
import { comparisonHtml, comparisonIndexHtml, comparisonTable } from '../compare/report.ts';
import { compareScenarios, findScenario } from '../compare/scenarios/index.ts';
import { UsageError, positiveInt } from '../core/errors.ts';

interface CompareOptions {
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
      '<designs...>',
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
    .action(async (specs: string[], opts: CompareOptions) => setExit(await runCompare(specs, opts)));
}

async function runCompare(specs: string[], opts: CompareOptions): Promise<number> {
  if (specs.length < 2) throw new UsageError('compare needs at least two designs (e.g. compare eager cooperative)');
  const scenarios = opts.scenario === 'all' ? compareScenarios : [findScenario(opts.scenario)];
  if (scenarios[0] === undefined)
    throw new UsageError(`unknown --scenario '${opts.scenario}' (known: ${compareScenarios.map((s) => s.name).join(', ')}, all)`);
  const designs: Design[] = [];
  for (const spec of specs) designs.push(await parseDesign(spec));
  if (new Set(specs).size !== specs.length) throw new UsageError(`a design is named twice: ${specs.join(' ')}`);
  const results: ComparisonResult[] = scenarios.map((sc) =>
    compareDesigns(designs, sc!, {
      runs: opts.runs,
      seed: opts.seed,
      timelines: opts.html !== undefined,
      timing: { latencyMs: opts.latency, revocationCallbackMs: opts.callbackMs },
    }),
  );
  if (opts.json)
    console.log(JSON.stringify({ results: results.map((r) => ({ ...r, designs: r.designs.map(({ rows: _, ...d }) => d) })) }, null, 2));
  else for (const r of results) console.log(`${comparisonTable(r)}\n`);
  if (opts.html) {
    const pages = writeHtml(opts.html, results);
    if (!opts.json) console.log(`HTML: ${pages.join(', ')}`);
  }
  return 0;
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
