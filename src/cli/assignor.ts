import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkAssignor, type CheckAssignorOptions } from '../assignor-check/check.ts';
import { AssignorLoadError } from '../assignor-check/claims.ts';
import { inModelShape } from '../assignor-check/in-model.ts';
import { describeClaims, propertyLines, summaryLine } from '../assignor-check/report.ts';
import type { AssignorClaims } from '../assignor-check/types.ts';
import { UsageError, positiveInt } from '../core/errors.ts';
import { printViolation } from './report.ts';

interface AssignorOptions {
  runs: number;
  seed: number;
  timeout: number;
  modelRuns: number;
  budget: number;
  balance?: string;
  sticky?: string;
  protocols?: string;
  json?: boolean;
}

export function registerAssignor(program: Command, setExit: (code: number) => void): void {
  program
    .command('assignor <file>')
    .description(
      'property-check your own assignor: a module exporting { name, supportedProtocols?, balance?, sticky?, assign } (exit 0: all hold, 1: findings, 2: bad usage or a file that does not load)',
    )
    .option('--runs <n>', 'generated groups per property', positiveInt('--runs', 1, 100_000), 200)
    .option('--seed <n>', 'seed: same seed and options, same report', positiveInt('--seed', 0, 2 ** 31 - 1), 42)
    .option('--timeout <ms>', 'per-call time limit of assign', positiveInt('--timeout', 1, 600_000), 2000)
    .option('--budget <ms>', 'time budget of one property, runs and shrinking together', positiveInt('--budget', 1, 3_600_000), 60_000)
    .option(
      '--model-runs <n>',
      'protocol model runs for a COOPERATIVE assignor (0 skips them)',
      positiveInt('--model-runs', 0, 100_000),
      30,
    )
    .option('--balance <kind>', "claim to check instead of the assignor's own: global, per-topic or none")
    .option('--sticky <yes|no>', "claim stickiness (or not) instead of the assignor's own")
    .option('--protocols <list>', "supported protocols instead of the assignor's own: eager, cooperative or eager,cooperative")
    .option('--json', 'print the report as JSON')
    .action((file: string, opts: AssignorOptions) => setExit(runAssignorCheck(file, opts)));
}

function claimFlags(opts: AssignorOptions): Partial<AssignorClaims> {
  const claims: Partial<AssignorClaims> = {};
  if (opts.balance !== undefined) {
    if (!['global', 'per-topic', 'none'].includes(opts.balance))
      throw new UsageError(`--balance must be global, per-topic or none, got '${opts.balance}'`);
    claims.balance = opts.balance === 'none' ? undefined : (opts.balance as AssignorClaims['balance']);
  }
  if (opts.sticky !== undefined) {
    if (opts.sticky !== 'yes' && opts.sticky !== 'no') throw new UsageError(`--sticky must be yes or no, got '${opts.sticky}'`);
    claims.sticky = opts.sticky === 'yes';
  }
  if (opts.protocols !== undefined) {
    const list = opts.protocols.split(',').map((p) => p.trim());
    if (list.length === 0 || list.some((p) => p !== 'eager' && p !== 'cooperative'))
      throw new UsageError(`--protocols must list eager and/or cooperative, got '${opts.protocols}'`);
    claims.supportedProtocols = [...new Set(list as AssignorClaims['supportedProtocols'])];
  }
  return claims;
}

function runAssignorCheck(file: string, opts: AssignorOptions): number {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  const options: CheckAssignorOptions = {
    runs: opts.runs,
    seed: opts.seed,
    timeoutMs: opts.timeout,
    modelRuns: opts.modelRuns,
    budgetMs: opts.budget,
    claims: claimFlags(opts),
  };
  let report: ReturnType<typeof checkAssignor>;
  try {
    report = checkAssignor(path, options);
  } catch (e) {
    if (e instanceof AssignorLoadError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  if (opts.json) {
    const results = report.results.map(({ inModel, ...r }) => ({
      ...r,
      ...(inModel ? { inModel: { ...inModel, violation: inModel.violation && { ...inModel.violation, rows: undefined } } } : {}),
    }));
    console.log(JSON.stringify({ ...report, results }, null, 2));
    return report.ok ? 0 : 1;
  }
  console.log(`Assignor ${report.assignor.name} (${describeClaims(report)}), seed ${report.seed}, ${opts.runs} groups per property`);
  for (const p of report.results) {
    for (const line of propertyLines(p)) console.log(`  ${line}`);
    const v = p.inModel?.violation;
    if (v) {
      const shape = `${inModelShape.members} members x ${inModelShape.topics} topics x ${inModelShape.partitions} partitions`;
      printViolation(
        `in the model (cooperative, ${shape}), run ${p.inModel!.runs}: invariant ${v.invariant} violated`,
        v,
        v.rows,
        v.liveness,
      );
    }
  }
  console.log(summaryLine(report));
  return report.ok ? 0 : 1;
}
