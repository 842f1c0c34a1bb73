import pc from 'picocolors';
import { compare, showOwnership, type Comparison } from './compare.ts';
import { runReal, type RealRun, type RunOptions } from './real.ts';
import { describeScenario, type Scenario } from './scenario.ts';
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

export const invariantsOf = (s: Scenario) => realInvariants.filter((i) => i.protocols.includes(s.protocol));

/** The result in a few lines: verdict, scenario, invariants, zombies, differences. */
export function formatResult(r: ScenarioResult, showTrace = false): string {
  const { scenario: s, judgement: j, comparison: c } = r;
  const ok = j.violations.length === 0;
  const lines = [`${ok ? pc.green('✓') : pc.red('✗')} ${pc.bold(s.name)} ${describeScenario(s)} (${(r.run.wallMs / 1000).toFixed(1)} s)`];
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
