import pc from 'picocolors';
import type { CampaignPlan } from '../api/check.ts';
import { num as n } from '../core/format.ts';
import { interrupted, pastDeadline } from '../core/control.ts';
import { defaultShrinkBudget, type CampaignResult, type FoundRun } from '../random/campaign.ts';
import type { Counterexample } from '../replay/counterexample.ts';
import { writeCounterexample } from '../replay/save.ts';
import { timeline } from '../replay/timeline.ts';
import { Coverage, formatCoverage } from '../run/coverage.ts';
import type { Variant } from '../variants/variant.ts';
import { buildModel } from '../world/model.ts';
import { startFamily, type WorldConfig } from '../world/types.ts';
import { runCampaign } from './check-ci.ts';
import { progressLine } from './progress.ts';
import { count, printPass, printViolation } from './report.ts';
import type { CampaignOutcome } from './reporters.ts';
import type { CheckOptions } from './check-options.ts';

// One campaign of `check`, from its plan to what it printed: the same code runs it on the
// command's thread (one job) and on a campaign worker (`--jobs`, check-parallel.ts). What needs
// the whole command's view (writing the counterexample file, which only the first failure in
// plan order may do) is left to `finishPlan`, run by the command's thread.

export interface PlanDone {
  index: number;
  label: string;
  /** `protocol/assignor` when the --max-time deadline (or Ctrl-C) came before the campaign started. */
  skipped?: string;
  outcome?: CampaignOutcome;
  result?: CampaignResult;
  /** The campaign failed: its counterexample, not yet saved, and the replay command if it is not saved. */
  failure?: { cx: Counterexample; replay: string };
  /** Lines printed after the result (the coverage report). */
  after: string[];
}

export interface PlanContext {
  opts: CheckOptions;
  variant: Variant | undefined;
  shard: { index: number; count: number } | undefined;
  deadline: number | undefined;
  /** Runs done so far in this campaign. */
  onRuns?: (done: number) => void;
  /** A failure was found (before shrinking): where the notice goes when stdout is collected. */
  onFound?: (line: string) => void;
  /** Show the campaign's own progress line (one job; with several the command shows one line for all). */
  progress: boolean;
}

export function runPlan(plan: CampaignPlan, index: number, ctx: PlanContext): PlanDone {
  const { opts, variant, shard, deadline } = ctx;
  const { protocol, assignor, config, label } = plan;
  if (pastDeadline(deadline)) return { index, label, skipped: `${protocol}/${assignor}`, after: [] };
  const progress = progressLine(label, opts.runs, { enabled: ctx.progress });
  const started = performance.now();
  const coverage = opts.coverage
    ? new Coverage(buildModel(variant, 'compiled', startFamily(config as WorldConfig), Boolean(config.migration)))
    : undefined;
  // The failure as found, at once: shrinking may take a while, or be cut short by --max-time.
  const onFound = (f: FoundRun) => {
    progress.done();
    const line = `${pc.red('✗')} ${label}: invariant ${pc.bold(f.violation.invariant)} violated in run ${n(f.index)} after ${count(f.choices.length, 'random step')} (unshrunk): ${f.violation.message}`;
    if (!opts.json) console.log(line);
    if (!opts.json) ctx.onFound?.(line);
    progress.note(`${label}: shrinking (instance, then steps; at most ${n(defaultShrinkBudget)} candidate runs)`);
  };
  const campaign = runCampaign(
    config,
    variant,
    {
      ...opts,
      shard,
      coverage,
      deadline,
      onRun: (done) => {
        progress.tick(done);
        ctx.onRuns?.(done);
      },
      onFound,
    },
    opts.json === true,
  );
  const found = campaign.found;
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  const outcome: CampaignOutcome = {
    name: label,
    seconds,
    invariants: found.session.invariants.map((i) => i.id),
    goals: campaign.goals,
    properties: { protocol, assignor, seed: campaign.seed, runs: found.result.runs, 'max-steps': campaign.maxSteps },
  };
  const after = coverage && !opts.json ? formatCoverage(coverage.report()).map((line) => pc.dim(`  ${line}`)) : [];
  const { result } = found;
  if (!found.counterexample || !found.failure) {
    if (!opts.json) printPass(label, result, seconds);
    if (!opts.json && result.stopped) console.log(pc.yellow(`  ${stopWhy()} after ${n(result.runs)} of ${n(opts.runs)} runs`));
    return { index, label, outcome, result, after };
  }
  const cx = found.counterexample;
  const f = found.failure;
  outcome.violation = { invariant: f.violation.invariant, statement: f.violation.statement, message: f.violation.message, replay: '' };
  if (!opts.json) {
    const b = cx.shrink.before;
    const a = cx.shrink.after;
    const header =
      `${label}: invariant ${pc.bold(f.violation.invariant)} violated after ${count(a.steps, 'random step')} with ${count(a.members, 'member')} x ${count(a.partitions, 'partition')}` +
      ` (shrunk from ${count(b.steps, 'step')}, ${count(b.members, 'member')} x ${count(b.partitions, 'partition')}${timerChanges(b.timers, a.timers)}${shrinkCut(f.shrunk)})`;
    printViolation(header, f.violation, timeline(found.session, f.choices), f.violation.choice === null);
  }
  const replay = replayCommand({ ...opts, maxSteps: campaign.maxSteps }, plan, result);
  return { index, label, outcome, result, failure: { cx, replay }, after };
}

/**
 * The end of a campaign's report, on the command's thread: a failure's counterexample is saved
 * (named in the report and the outcome), then the coverage lines. Returns the JSON result entry.
 */
export function finishPlan(done: PlanDone, opts: CheckOptions): { label: string; result: CampaignResult; file?: string; replay: string } {
  const result = done.result as CampaignResult;
  if (!done.failure) {
    for (const line of done.after) console.log(line);
    return { label: done.label, result, replay: '' };
  }
  const file = opts.save ? writeCounterexample(opts.out, done.failure.cx) : undefined;
  const replay = file ? `npx rebalance-check replay ${file}` : done.failure.replay;
  if (done.outcome?.violation) Object.assign(done.outcome.violation, { replay, file });
  if (!opts.json) {
    if (file) console.log(`  Saved: ${file}`);
    console.log(`  Replay: ${pc.bold(replay)}`);
  }
  for (const line of done.after) console.log(line);
  return { label: done.label, result, file, replay };
}

/** `; timers: initialRebalanceDelayMs 3000 -> 0, ...` for the settings instance shrinking changed. */
function timerChanges(before: WorldConfig['timers'] | undefined, after: WorldConfig['timers'] | undefined): string {
  if (!before || !after) return '';
  const changed = (Object.keys(before) as Array<keyof typeof before>).filter((k) => before[k] !== after[k]);
  return changed.length ? `; timers: ${changed.map((k) => `${k} ${before[k]} -> ${after[k]}`).join(', ')}` : '';
}

export function replayCommand(opts: CheckOptions, plan: CampaignPlan, result: CampaignResult): string {
  const parts = [
    'npx rebalance-check check',
    // --upgrade picks its own protocols and assignors.
    ...(plan.upgrade ? [] : [`--protocol ${plan.protocol}`, `--assignor ${plan.assignor}`]),
    // The campaign's own instance: the default check's static campaigns have a shape of their own.
    `--members ${plan.config.members}`,
    `--partitions ${Object.values(plan.config.topics)[0]}`,
  ];
  const topics = Object.keys(plan.config.topics).length;
  if (topics > 1) parts.push(`--topics ${topics}`);
  if (opts.variant) parts.push(`--variant ${opts.variant}`);
  if (plan.static) parts.push('--static');
  if (plan.config.racks) parts.push(`--racks ${plan.config.racks}`);
  if (plan.config.pattern) parts.push('--pattern');
  if (plan.config.faults.offsetExpiries) parts.push('--offset-retention');
  if (plan.config.offsetReset === 'latest') parts.push('--offset-reset latest');
  if (plan.upgrade) parts.push('--upgrade');
  if (plan.migration) parts.push(`--migration ${plan.migration}`);
  if (plan.migration && plan.config.migrationPolicy !== 'bidirectional') parts.push(`--migration-policy ${plan.config.migrationPolicy}`);
  if (!opts.faults) parts.push('--no-faults');
  if (!opts.liveness) parts.push('--no-liveness');
  parts.push(`--max-steps ${opts.maxSteps}`, `--seed ${result.seed}`);
  if (result.failure) parts.push(`--path ${result.failure.path}`);
  return parts.join(' ');
}

/** Why the counterexample may not be the smallest: shrinking ran out of budget or time. */
const shrinkCut = (why: string): string =>
  why === 'budget' ? '; shrinking stopped at its budget' : why === 'deadline' ? `; shrinking ${stopWhy()}: not fully shrunk` : '';

/** Why a campaign stopped early: Ctrl-C (under the supervisor, src/cli/supervise.ts) or --max-time. */
const stopWhy = (): string => (interrupted() ? 'interrupted (Ctrl-C)' : 'stopped at the --max-time deadline');
