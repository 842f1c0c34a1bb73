import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { formatResult, formatTable, runScenario, summarize, type ScenarioResult } from './conformance.ts';
import type { RealProtocol } from './ipc.ts';
import { missingInstall } from './install.ts';
import { generateScenarios, realProtocols } from './scenario.ts';

// npm run conformance: generated scenarios on real librdkafka consumers against its mock
// cluster, invariants on the real traces, differences from the model.
// Exit codes: 0 every invariant held on the real client, 1 some did not, 2 bad usage or no install.

const int = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

async function main(argv: string[]): Promise<number> {
  const program = new Command('conformance')
    .description('run generated scenarios on real librdkafka consumers against its mock cluster and compare with the model')
    .option('--seed <n>', 'seed of the scenario generator', int(0), 42)
    .option('--count <n>', 'scenarios per protocol', int(1), 7)
    .option('--protocol <p...>', `protocols (${realProtocols.join(', ')})`)
    .option('--trace', 'print every real trace, not only failing ones')
    .option('--json <file>', 'also write the results as JSON')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      console.error(`conformance: ${e.message.replace(/^error: /, '').split('\n')[0]}`);
      return 2;
    }
    throw e;
  }
  const opts = program.opts<{ seed: number; count: number; protocol?: string[]; trace?: boolean; json?: string }>();
  const protocols = (opts.protocol ?? realProtocols) as RealProtocol[];
  const bad = protocols.find((p) => !realProtocols.includes(p));
  if (bad) {
    console.error(`conformance: unknown protocol "${bad}" (expected ${realProtocols.join(', ')})`);
    return 2;
  }
  const why = missingInstall();
  if (why) {
    console.error(`conformance: ${why}`);
    return 2;
  }
  const scenarios = generateScenarios(opts.seed, opts.count, protocols);
  console.log(
    `${scenarios.length} scenarios (seed ${opts.seed}) on librdkafka's mock cluster; ~ marks an action that does not wait for the group to settle`,
  );
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const r = await runScenario(s);
    results.push(r);
    console.log(formatResult(r, opts.trace));
  }
  console.log(`\n${formatTable(results)}`);
  const sum = summarize(results);
  const inv = Object.entries(sum.byInvariant)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const diff = Object.entries(sum.byDifference)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log(
    `\n${sum.failed === 0 ? pc.green('✓') : pc.red('✗')} ${sum.scenarios} scenarios: ${sum.failed === 0 ? 'every invariant held on the real client' : `${sum.failed} with invariant violations (${inv})`}; ` +
      `${sum.withDifferences} differ from the model${diff ? ` (${diff})` : ''}`,
  );
  if (opts.json) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      opts.json,
      JSON.stringify(
        results.map((r) => ({
          scenario: r.scenario,
          events: r.run.events,
          quiet: r.run.quiet,
          judgement: r.judgement,
          comparison: r.comparison,
        })),
        null,
        2,
      ),
    );
  }
  return sum.failed === 0 ? 0 : 1;
}

main(process.argv).then((code) => process.exit(code));
