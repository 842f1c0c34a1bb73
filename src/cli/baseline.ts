import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { checkBaseline, formatBaselineCheck, makeBaseline, parseBaseline, type Baseline } from '../compare/baseline.ts';
import { parseDesign, type ComparisonResult, type Design } from '../compare/compare.ts';
import { UsageError } from '../core/errors.ts';

// `compare --baseline FILE` and `--update-baseline`, kept apart from compare.ts.

export interface BaselineOptions {
  baseline?: string;
  updateBaseline?: boolean;
}

export function addBaselineOptions(cmd: Command): Command {
  return cmd
    .option(
      '--baseline <file>',
      'check the figures against a baseline file (its runs, seed, timing, scenarios and designs unless given): exit 1 on a regression',
    )
    .option('--update-baseline', 'write the figures measured to the --baseline file instead of checking them');
}

/** What a baseline run measures: the file's settings, and its designs when none are named. */
export interface BaselinePlan {
  base?: Baseline;
  specs: string[];
}

/** Reads the baseline (when checking) and decides the designs. */
export function planBaseline(specs: string[], opts: BaselineOptions): BaselinePlan {
  if (opts.updateBaseline && !opts.baseline) throw new UsageError('--update-baseline needs --baseline FILE (where to write it)');
  if (!opts.baseline || opts.updateBaseline) return { specs };
  if (!existsSync(opts.baseline)) throw new UsageError(`baseline file ${opts.baseline} not found (write one with --update-baseline)`);
  const base = parseBaseline(readFileSync(opts.baseline, 'utf8'), opts.baseline);
  const named = specs.length > 0 ? specs : [...new Set(Object.values(base.figures).flatMap((d) => Object.keys(d)))];
  return { base, specs: named };
}

/**
 * A design as named on the command line; `LABEL=SPEC` measures SPEC under LABEL, so a changed
 * design can be held to the baseline of the one it replaces (`cooperative=./my-variant.ts`).
 */
export async function parseLabelledDesign(spec: string): Promise<Design> {
  const eq = spec.indexOf('=');
  if (eq < 0) return parseDesign(spec);
  const label = spec.slice(0, eq);
  if (label === '') throw new UsageError(`design '${spec}': empty label before '='`);
  return { ...(await parseDesign(spec.slice(eq + 1))), spec: label };
}

/** After measuring: write the baseline, or check against it. Returns the exit code (1: a figure regressed). */
export function finishBaseline(opts: BaselineOptions, plan: BaselinePlan, results: ComparisonResult[], json: boolean): number {
  if (!opts.baseline) return 0;
  if (opts.updateBaseline) {
    mkdirSync(dirname(opts.baseline), { recursive: true });
    // A rewritten baseline keeps the tolerances someone chose for it.
    const old = existsSync(opts.baseline) ? safeTolerances(opts.baseline) : undefined;
    writeFileSync(opts.baseline, `${JSON.stringify(makeBaseline(results, old), null, 2)}\n`);
    if (!json) console.log(`baseline written: ${opts.baseline}`);
    return 0;
  }
  const c = checkBaseline(plan.base!, results);
  if (json) console.log(JSON.stringify({ baseline: opts.baseline, ...c }, null, 2));
  else {
    for (const line of formatBaselineCheck(c)) console.log(line.startsWith('regressed') ? pc.red(line) : pc.green(line));
    for (const u of c.unknown) console.log(pc.yellow(`not in the baseline: ${u}`));
    for (const m of c.missing) console.log(pc.yellow(`in the baseline but not measured: ${m}`));
    const improved = c.changes.length - c.regressions.length;
    console.log(
      c.regressions.length > 0
        ? `${pc.red('✗')} baseline ${opts.baseline}: ${c.regressions.length} figure${c.regressions.length === 1 ? '' : 's'} regressed`
        : `${pc.green('✓')} baseline ${opts.baseline}: no figure regressed${improved > 0 ? ` (${improved} improved: --update-baseline records them)` : ''}`,
    );
  }
  return c.regressions.length > 0 ? 1 : 0;
}

function safeTolerances(file: string): Baseline['tolerances'] | undefined {
  try {
    return parseBaseline(readFileSync(file, 'utf8'), file).tolerances;
  } catch {
    return undefined;
  }
}
