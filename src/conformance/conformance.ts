import pc from 'picocolors';
import { compare, type Outcome, showOwnership, shapeOf, type Comparison } from './compare.ts';
import { runReal, type RealRun, type RunOptions } from './real.ts';
import { describeScenario, type Scenario, TOPIC } from './scenario.ts';
import { judge, realInvariants, toTrace, type RealJudgement, type RealStep } from './trace.ts';

// One scenario end to end: run it on the real client, judge the real trace, compare with the model.

export interface ScenarioResult {
  scenario: Scenario;
  run: RealRun;
  steps: RealStep[];
  judgement: RealJudgement;
  comparison: Comparison;
}

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<ScenarioResult> {
  const run = await runReal(scenario, opts);
  const steps = toTrace(run);
  return { scenario, run, steps, judgement: judge(run, steps), comparison: compare(run, steps) };
}

/** Whether `partition` ends owned, on the real broker and in the model: the one line a finding script prints. */
export function ownership(r: ScenarioResult, partition: string): string {
  const owned = (final: Record<string, string[]> | undefined) =>
    Object.values(final ?? {})
      .flat()
      .includes(partition)
      ? 'owned'
      : 'UNOWNED';
  return `  real: ${partition} ${owned(r.comparison.real.final)}; model: ${partition} ${owned(r.comparison.model?.final)}`;
}

/**
 * The entry of a finding script (`npm run conformance:NAME`): run `main` when the file is the
 * process's entry, exit with its code; anything thrown is one line naming the script, exit 2.
 */
export function runConformanceScript(moduleUrl: string, name: string, main: () => Promise<number>): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(2);
    },
  );
}

export const invariantsOf = (s: Scenario) => realInvariants.filter((i) => i.protocols.includes(s.protocol));

/** The result in a few lines: verdict, scenario, invariants, zombies, differences. */
export function formatResult(r: ScenarioResult, showTrace = false): string {
  const { scenario: s, judgement: j, comparison: c } = r;
  const ok = j.violations.length === 0;
  const where = r.run.target ? ` on ${r.run.target}` : '';
  const lines = [
    `${ok ? pc.green('✓') : pc.red('✗')} ${pc.bold(s.name)}${where} ${describeScenario(s)} (${(r.run.wallMs / 1000).toFixed(1)} s)`,
  ];
  lines.push(
    `    invariants: ${ok ? `all ${invariantsOf(s).length} hold` : j.violations.map((v) => `${pc.red(v.invariant)}: ${v.message}`).join('; ')}`,
  );
  if (j.zombieOverlaps.length > 0) lines.push(`    zombies (allowed): ${j.zombieOverlaps.join('; ')}`);
  lines.push(`    real final: ${showOwnership(c.real.final) || '(no consumer)'}${c.real.stable ? '' : ' (not quiet)'}`);
  if (!c.model) lines.push(`    model: no counterpart for ${s.protocol} on this branch`);
  else if (c.differences.length === 0) lines.push('    model: same final assignment, stability and number of assignments');
  else for (const d of c.differences) lines.push(`    ${pc.yellow('differs')} ${d}`);
  for (const n of r.run.notes) lines.push(`    note: ${n}`);
  if (showTrace || !ok) for (const st of r.steps) lines.push(`      ${st.t.toFixed(0).padStart(6)} ms  ${st.text}`);
  return lines.join('\n');
}

export interface Summary {
  scenarios: number;
  failed: number;
  withDifferences: number;
  byInvariant: Record<string, number>;
  byDifference: Record<string, number>;
}

export function summarize(results: ScenarioResult[]): Summary {
  const byInvariant: Record<string, number> = {};
  const byDifference: Record<string, number> = {};
  for (const r of results) {
    for (const v of r.judgement.violations) byInvariant[v.invariant] = (byInvariant[v.invariant] ?? 0) + 1;
    for (const d of r.comparison.differences) {
      const kind = d.split(':')[0];
      byDifference[kind] = (byDifference[kind] ?? 0) + 1;
    }
  }
  return {
    scenarios: results.length,
    failed: results.filter((r) => r.judgement.violations.length > 0).length,
    withDifferences: results.filter((r) => r.comparison.differences.length > 0).length,
    byInvariant,
    byDifference,
  };
}

/** One row per scenario: name, actions, invariant verdict, zombie overlaps, what differs from the model. */
export function formatTable(results: ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.scenario.name,
    `${r.scenario.partitions}p/${r.scenario.initial}c ${r.scenario.steps.length} actions`,
    r.judgement.violations.length === 0 ? 'hold' : r.judgement.violations.map((v) => v.invariant).join(','),
    String(r.judgement.zombieOverlaps.length),
    r.comparison.model ? r.comparison.differences.map((d) => d.split(':')[0]).join(', ') || 'none' : 'no model',
  ]);
  const head = ['scenario', 'size', 'invariants', 'zombies', 'differs from the model'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** One scenario on several targets (e.g. Java on Kafka, librdkafka on Kafka, librdkafka on the mock). */
export interface MatrixRow {
  scenario: Scenario;
  /** Target name -> result, in the order run. */
  results: Record<string, ScenarioResult>;
  /** Which column disagrees with all the others (invariants, final assignment up to names, settled or not). */
  odd: string;
}

/** What a column says of a scenario: the invariants that failed, settled or not, the final assignment up to names. */
export interface Verdict {
  violated: string[];
  outcome: Outcome;
}

const verdictKey = (v: Verdict) =>
  `${v.violated.join(',') || 'ok'} ${v.outcome.stable ? 'settled' : 'not settled'} ${shapeOf(v.outcome.final)}`;

/**
 * Who is the odd one out: the model's and every target's verdict (invariants that failed, final
 * assignment up to member names, settled or not) grouped; when all but one agree, that one; `-`
 * when all agree; `mixed` otherwise. The model is taken to hold every invariant (its own runs
 * check them). The number of assignments is not used: it depends on real timing (a callback more
 * or less when two joins land in one rebalance or in two) and is shown in the cells instead.
 */
export function oddOneOut(verdicts: Record<string, Verdict | null>): string {
  const keyed = Object.entries(verdicts).filter((e): e is [string, Verdict] => e[1] !== null);
  const groups = new Map<string, string[]>();
  for (const [name, v] of keyed) groups.set(verdictKey(v), [...(groups.get(verdictKey(v)) ?? []), name]);
  if (groups.size <= 1) return '-';
  const singles = [...groups.values()].filter((g) => g.length === 1);
  if (groups.size === 2 && singles.length >= 1 && keyed.length > 2) return singles[0][0];
  return 'mixed';
}

export function matrixRow(scenario: Scenario, results: Record<string, ScenarioResult>): MatrixRow {
  const first = Object.values(results)[0];
  const model = first?.comparison.model;
  const verdicts: Record<string, Verdict | null> = { model: model ? { violated: [], outcome: model } : null };
  for (const [name, r] of Object.entries(results))
    verdicts[name] = { violated: r.judgement.violations.map((v) => v.invariant), outcome: r.comparison.real };
  return { scenario, results, odd: oddOneOut(verdicts) };
}

const compact = (o: Outcome) => `${shapeOf(o.final).replaceAll(`${TOPIC}-`, '') || '-'}${o.stable ? '' : ' unsettled'} ${o.gains}a`;

const cell = (r: ScenarioResult) => {
  const v = r.judgement.violations.map((x) => x.invariant);
  return `${v.length ? `✗ ${v.join(',')}` : 'ok'} ${compact(r.comparison.real)}`;
};

/** The table of `--broker kafka`: per scenario the model's and each target's outcome, and the odd one out. */
export function formatMatrix(rows: MatrixRow[]): string {
  const targets = [...new Set(rows.flatMap((r) => Object.keys(r.results)))];
  const head = ['scenario', 'model', ...targets, 'odd one out'];
  const body = rows.map((r) => {
    const m = Object.values(r.results)[0]?.comparison.model;
    return [r.scenario.name, m ? compact(m) : 'no model', ...targets.map((t) => (r.results[t] ? cell(r.results[t]) : '')), r.odd];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    line(head),
    ...body.map(line),
    '',
    'cells: invariants (ok or the violated ones), final assignment as partition counts per consumer up to names, settled or not, Na = assignments received',
  ].join('\n');
}
