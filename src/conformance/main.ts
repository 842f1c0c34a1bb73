import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { KafkaBroker } from './broker.ts';
import {
  formatMatrix,
  formatResult,
  formatTable,
  type MatrixRow,
  matrixRow,
  runScenario,
  type ScenarioResult,
  summarize,
} from './conformance.ts';
import type { RealClient, RealProtocol } from './ipc.ts';
import { missingInstall } from './install.ts';
import { kafkaVersion, missingKafka } from './kafka-install.ts';
import { brokerTimers, defaultTiming, generateScenarios, realProtocols } from './scenario.ts';
import { writeTraceLog } from './trace-log.ts';

// npm run conformance: generated scenarios on real consumers (librdkafka, Apache Kafka's Java
// client) against librdkafka's mock cluster (--broker mock, the default) or a real Kafka broker
// (--broker kafka: each scenario also runs on the mock, and the table says who is the odd one
// out), invariants on the real traces, differences from the model.
// Exit codes: 0 every invariant held on the real clients, 1 some did not, 2 bad usage or no install.

const int = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

const clients: RealClient[] = ['java', 'librdkafka'];

interface Target {
  name: string;
  client: RealClient;
  broker: 'kafka' | 'mock';
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('conformance')
    .description(
      'run generated scenarios on real consumers against librdkafka’s mock cluster or a real Kafka broker and compare with the model',
    )
    .option('--seed <n>', 'seed of the scenario generator', int(0), 42)
    .option('--count <n>', 'scenarios per protocol', int(1), 7)
    .option('--protocol <p...>', `protocols (${realProtocols.join(', ')})`)
    .option('--broker <b>', 'mock (librdkafka’s mock cluster) or kafka (a real broker, and the mock for comparison)', 'mock')
    .option('--client <c...>', `consumer libraries on the real broker (${clients.join(', ')}; default both)`)
    .option('--only <name...>', 'run only these scenarios (e.g. cooperative#3)')
    .option('--repeat <n>', 'run each scenario this many times on each target (timing varies between runs)', int(1), 1)
    .option('--trace', 'print every real trace, not only failing ones')
    .option('--json <file>', 'also write the results as JSON')
    .option('--logs <dir>', 'also write every real trace as a validate log (one JSON object a line)')
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
  const opts = program.opts<{
    seed: number;
    count: number;
    protocol?: string[];
    broker: string;
    client?: string[];
    only?: string[];
    repeat: number;
    trace?: boolean;
    json?: string;
    logs?: string;
  }>();
  const protocols = (opts.protocol ?? realProtocols) as RealProtocol[];
  const bad = protocols.find((p) => !realProtocols.includes(p));
  if (bad) {
    console.error(`conformance: unknown protocol "${bad}" (expected ${realProtocols.join(', ')})`);
    return 2;
  }
  if (opts.broker !== 'mock' && opts.broker !== 'kafka') {
    console.error(`conformance: unknown broker "${opts.broker}" (expected mock or kafka)`);
    return 2;
  }
  const chosen = (opts.client ?? clients) as RealClient[];
  const badClient = chosen.find((c) => !clients.includes(c));
  if (badClient) {
    console.error(`conformance: unknown client "${badClient}" (expected ${clients.join(', ')})`);
    return 2;
  }
  const kafkaRun = opts.broker === 'kafka';
  if (!kafkaRun && opts.client && chosen.some((c) => c !== 'librdkafka')) {
    console.error('conformance: the mock cluster runs librdkafka consumers only (use --broker kafka for the Java consumer)');
    return 2;
  }
  const noRdkafka = missingInstall();
  const targets: Target[] = [];
  if (kafkaRun) {
    const why = missingKafka();
    if (why) {
      console.error(`conformance: ${why}`);
      return 2;
    }
    for (const c of chosen) {
      if (c === 'librdkafka' && noRdkafka) console.log(`note: librdkafka is not installed, skipped (${noRdkafka})`);
      else targets.push({ name: `kafka/${c}`, client: c, broker: 'kafka' });
    }
    if (!noRdkafka && chosen.includes('librdkafka')) targets.push({ name: 'mock/librdkafka', client: 'librdkafka', broker: 'mock' });
  } else {
    if (noRdkafka) {
      console.error(`conformance: ${noRdkafka}`);
      return 2;
    }
    targets.push({ name: 'mock/librdkafka', client: 'librdkafka', broker: 'mock' });
  }
  let scenarios = generateScenarios(opts.seed, opts.count, protocols, defaultTiming, kafkaRun ? 'kafka' : 'mock');
  if (opts.only) scenarios = scenarios.filter((s) => opts.only!.includes(s.name));
  if (opts.repeat > 1)
    scenarios = scenarios.flatMap((s) => Array.from({ length: opts.repeat }, (_, i) => ({ ...s, name: `${s.name}.${i + 1}` })));
  let broker: KafkaBroker | undefined;
  if (kafkaRun) {
    const t0 = performance.now();
    broker = await KafkaBroker.start(brokerTimers(defaultTiming), 5);
    console.log(
      `Kafka ${kafkaVersion()} broker (KRaft, one node) started in ${(broker.startMs / 1000).toFixed(1)} s (${((performance.now() - t0) / 1000).toFixed(1)} s with storage format)`,
    );
  }
  console.log(
    `${scenarios.length} scenarios (seed ${opts.seed}) on ${targets.map((t) => t.name).join(', ')}; ~ marks an action that does not wait for the group to settle`,
  );
  const results: ScenarioResult[] = [];
  const rows: MatrixRow[] = [];
  try {
    for (const s of scenarios) {
      const byTarget: Record<string, ScenarioResult> = {};
      for (const t of targets) {
        const r = await runScenario(s, { client: t.client, kafka: t.broker === 'kafka' ? broker : undefined });
        byTarget[t.name] = r;
        results.push(r);
        console.log(formatResult(r, opts.trace));
        if (opts.logs) writeTraceLog(opts.logs, `${s.name.replace('#', '-')}-${t.name.replace('/', '-')}.jsonl`, r.run);
      }
      rows.push(matrixRow(s, byTarget));
    }
  } finally {
    await broker?.stop();
  }
  console.log(`\n${kafkaRun ? formatMatrix(rows) : formatTable(results)}`);
  const sum = summarize(results);
  const inv = Object.entries(sum.byInvariant)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const diff = Object.entries(sum.byDifference)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log(
    `\n${sum.failed === 0 ? pc.green('✓') : pc.red('✗')} ${sum.scenarios} runs: ${sum.failed === 0 ? 'every invariant held on the real clients' : `${sum.failed} with invariant violations (${inv})`}; ` +
      `${sum.withDifferences} differ from the model${diff ? ` (${diff})` : ''}`,
  );
  if (opts.json) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      opts.json,
      JSON.stringify(
        results.map((r) => ({
          scenario: r.scenario,
          target: r.run.target,
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

main(process.argv).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
