import type { Command } from 'commander';
import pc from 'picocolors';
import { quantitiesCampaign, quantityProperties, type QuantityResult } from '../compare/quantities.ts';
import { UsageError } from '../core/errors.ts';
import type { Variant } from '../variants/variant.ts';
import { emitReport, type CampaignOutcome, type ReporterOptions } from './reporters.ts';

// `check --quantities`: the quantities campaign (src/compare/quantities.ts) on the command line.

export interface QuantityOptions extends ReporterOptions {
  quantities?: boolean;
  quantity?: string;
  runs: number;
  seed: number;
  path?: string;
  variant?: string;
  json?: boolean;
}

export function addQuantityOptions(cmd: Command): Command {
  return cmd
    .option(
      '--quantities',
      'run the quantities campaign instead: properties over the figures of random runs (see docs/ci.md), shrunk like any failure',
    )
    .option('--quantity <id>', `with --quantities, only this property (${quantityProperties.map((q) => q.id).join(', ')})`);
}

export async function runQuantities(opts: QuantityOptions, variant: Variant | undefined): Promise<number> {
  if (opts.quantity !== undefined && !quantityProperties.some((q) => q.id === opts.quantity))
    throw new UsageError(`unknown --quantity '${opts.quantity}' (known: ${quantityProperties.map((q) => q.id).join(', ')})`);
  if (opts.path !== undefined && opts.quantity === undefined) throw new UsageError('--path with --quantities needs --quantity ID');
  const started = performance.now();
  const results = await quantitiesCampaign({
    runs: opts.runs,
    seed: opts.seed,
    variant,
    only: opts.quantity === undefined ? undefined : [opts.quantity],
    path: opts.path,
  });
  const seconds = (performance.now() - started) / 1000;
  const outcomes = results.map((r) => outcomeOf(r, opts, seconds / results.length));
  if (opts.json) console.log(JSON.stringify({ ok: results.every((r) => !r.failure), results }, null, 2));
  else for (const r of results) printResult(r, replayOf(r, opts));
  emitReport(opts, 'check', outcomes);
  return results.some((r) => r.failure) ? 1 : 0;
}

function replayOf(r: QuantityResult, opts: QuantityOptions): string {
  const parts = ['npx rebalance-check check --quantities', `--quantity ${r.id}`, `--seed ${opts.seed}`];
  if (opts.variant) parts.push(`--variant ${opts.variant}`);
  if (r.failure) parts.push(`--path ${r.failure.path}`);
  return parts.join(' ');
}

function printResult(r: QuantityResult, replay: string): void {
  if (!r.failure) {
    console.log(`${pc.green('✓')} quantity ${r.id}: ${r.runs} random runs hold`);
    console.log(pc.dim(`  ${r.statement}`));
    return;
  }
  const f = r.failure;
  console.log(`${pc.red('✗')} quantity ${pc.bold(r.id)} fails (shrunk ${f.shrinks} times): ${f.scenario}, seed ${f.workload.seed}`);
  console.log(`  ${r.statement}`);
  console.log(`  ${pc.red(f.message)}`);
  console.log(`  Replay: ${pc.bold(replay)}`);
}

function outcomeOf(r: QuantityResult, opts: QuantityOptions, seconds: number): CampaignOutcome {
  return {
    name: `quantity ${r.id}`,
    seconds,
    invariants: [r.id],
    ...(r.failure && {
      violation: {
        invariant: r.id,
        statement: r.statement,
        message: `${r.failure.message} (${r.failure.scenario}, seed ${r.failure.workload.seed})`,
        replay: replayOf(r, opts),
      },
    }),
    properties: { seed: opts.seed, runs: r.runs },
  };
}
