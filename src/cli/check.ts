import type { Command } from 'commander';
import pc from 'picocolors';
import { defaultShrinkBudget, type CampaignResult, type FoundRun } from '../random/campaign.ts';
import { protocols } from '../run/config.ts';
import { type CampaignPlan, type CheckOptions as ApiCheckOptions, planCampaigns } from '../api/check.ts';
import { catalogue } from '../variants/catalogue.ts';
import { loadVariant } from '../variants/load.ts';
import type { Variant } from '../variants/variant.ts';
import { startFamily, type WorldConfig } from '../world/types.ts';
import { UsageError, maxTimeHelp, positiveInt, seconds } from '../core/errors.ts';
import { progressLine } from './progress.ts';
import { count, printPass, printViolation } from './report.ts';
import { Coverage, formatCoverage } from '../run/coverage.ts';
import { extendCheck, finishCheck, runCampaign, validateCiOptions, type CiOptions } from './check-ci.ts';
import type { CampaignOutcome } from './reporters.ts';
import { runQuantities } from './quantities.ts';
import { parseShard } from '../core/shard.ts';
import { buildModel } from '../world/model.ts';
import { timeline } from '../replay/timeline.ts';
import { writeCounterexample } from '../replay/save.ts';
import type { Interpreter } from '../world/model.ts';
import { interpreterHelp, parseInterpreter, useInterpreter } from './interpreter.ts';
import { num as n } from '../core/format.ts';
import { interrupted, noteDone, pastDeadline } from '../core/control.ts';
import { defaultTimeLimit, timeLimitHelp } from './supervise.ts';

/** A fast-check replay path: `12:0:3` (numbers joined by colons). */
function replayPath(raw: string): string {
  if (!/^\d+(:\d+)*$/.test(raw))
    throw new UsageError(`--path must be a fast-check replay path such as 12:0:3 (as printed by a failure), got '${raw}'`);
  return raw;
}

/**
 * The command line's options: the library's `check` options (one shape for a run, src/api/check.ts),
 * with every default filled in by commander, and what only the command line has. Commander hands
 * protocol, migration and policy over as the strings typed; planCampaigns checks them.
 */
type CheckOptions = CiOptions &
  Required<
    Pick<ApiCheckOptions, 'members' | 'partitions' | 'topics' | 'runs' | 'seed' | 'maxSteps' | 'faults' | 'liveness' | 'shrinkInstance'>
  > &
  Pick<ApiCheckOptions, 'protocol' | 'assignor' | 'static' | 'racks' | 'pattern' | 'upgrade' | 'migration' | 'migrationPolicy'> &
  CliOnlyOptions;

interface CliOnlyOptions {
  out: string;
  save: boolean;
  /** A catalogue name or a file, loaded before the run. */
  variant?: string;
  interpreter?: Interpreter;
  path?: string;
  json?: boolean;
  coverage?: boolean;
  shard?: string;
  maxTime?: number;
  timeLimit: number;
}

export function registerCheck(program: Command, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('check the invariants over random event sequences (exit 0: all hold, 1: violation, 2: bad usage)')
    .option('--protocol <name>', `rebalance protocol: ${protocols.join(', ')} (default: all of them, or the variant's)`)
    .option(
      '--assignor <name>',
      'assignor (default: every assignor the protocol supports, one after another; consumer protocol: the server-side uniform, range)',
    )
    .option('--members <n>', 'consumer processes', positiveInt('--members', 1, 16), 3)
    .option('--partitions <n>', 'partitions of each topic', positiveInt('--partitions', 1, 256), 6)
    .option('--topics <n>', 'topics, every member subscribed to all', positiveInt('--topics', 1, 8), 1)
    .option(
      '--runs <n>',
      'random runs per assignor (run i of a seed is the same whatever --runs is: more runs never lose a failure)',
      positiveInt('--runs', 1, 10_000_000),
      1000,
    )
    .option('--seed <n>', 'seed: same seed and options, same runs', positiveInt('--seed', 0, 2 ** 31 - 1), 42)
    .option('--max-steps <n>', 'longest random prefix of a run, in steps', positiveInt('--max-steps', 1, 100_000), 60)
    .option(
      '--variant <name|file>',
      `a design variant: a catalogue name (${catalogue.map((v) => v.name).join(', ')}) or a variant file (./my-variant.ts)`,
    )
    .option('--static', 'static membership: every consumer has a group.instance.id (KIP-345)')
    .option(
      '--racks <n>',
      'KIP-881: brokers on n racks, a client.rack per consumer, replicas that move rack (docs/model.md, "Racks")',
      positiveInt('--racks', 0, 8),
    )
    .option(
      '--pattern',
      'consumers subscribe by regular expression and a matching topic may be created (docs/model.md, "Regular-expression subscriptions")',
    )
    .option('--upgrade', 'rolling upgrade from eager range to cooperative-sticky in two bounces (KIP-429)')
    .option(
      '--migration <dir>',
      'online migration between the classic and the consumer protocol, a rolling switch of group.protocol: upgrade (classic -> consumer) or downgrade (docs/migration.md)',
    )
    .option(
      '--migration-policy <policy>',
      'group.consumer.migration.policy with --migration: bidirectional (default), upgrade, downgrade, disabled',
    )
    .option('--no-faults', 'no message loss, crashes, leaves, stalls or new partitions (delays and reordering remain)')
    .option('--no-liveness', 'skip the fair schedule and the eventual-stability check after each run')
    .option(
      '--path <path>',
      'fast-check replay path (re-runs one case of a campaign), as printed by a failure: numbers joined by colons',
      replayPath,
    )
    .option('--out <dir>', 'where failing checks write counterexample files', 'counterexamples')
    .option('--no-save', 'do not write a counterexample file')
    .option('--no-shrink-instance', 'keep the instance size of the first failure (skip trying fewer members, partitions, topics)')
    .option('--coverage', 'report which machine states, transitions, error codes and choices the runs reached, and which never')
    .option('--shard <i/n>', 'run only shard i of n (run k goes to shard k mod n); the n shards together are the whole campaign')
    .option('--max-time <s>', maxTimeHelp, seconds('--max-time'))
    .option('--time-limit <s>', timeLimitHelp, seconds('--time-limit', 3600), defaultTimeLimit)
    .option('--interpreter <name>', interpreterHelp, parseInterpreter)
    .option('--json', 'print the results as JSON')
    .action(async (opts: CheckOptions) => {
      const variant = opts.variant === undefined ? undefined : await loadVariant(opts.variant);
      setExit(opts.quantities ? await runQuantities(opts, variant) : runCheck(opts, variant));
    });
  extendCheck(program);
}

function runCheck(opts: CheckOptions, variant: Variant | undefined): number {
  useInterpreter(opts);
  validateCiOptions(opts);
  const plans = planCampaigns({ ...opts, variant }, variant);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const outcomes: CampaignOutcome[] = [];
  const results: Array<{ label: string; result: CampaignResult; file?: string; replay: string }> = [];
  let failed = false;
  // Runs of the campaigns before this one (what the supervisor says if it must stop the command at once).
  let runsBefore = 0;
  const deadline = opts.maxTime === undefined ? undefined : Date.now() + opts.maxTime * 1000;
  const skipped: string[] = [];
  for (const plan of plans) {
    const { protocol, assignor, config, label } = plan;
    if (pastDeadline(deadline)) {
      skipped.push(`${protocol}/${assignor}`);
      continue;
    }
    const progress = progressLine(label, opts.runs);
    const started = performance.now();
    const coverage = opts.coverage
      ? new Coverage(buildModel(variant, 'compiled', startFamily(config), Boolean(config.migration)))
      : undefined;
    // The failure as found, at once: shrinking may take a while, or be cut short by --max-time.
    const onFound = (f: FoundRun) => {
      progress.done();
      if (!opts.json)
        console.log(
          `${pc.red('✗')} ${label}: invariant ${pc.bold(f.violation.invariant)} violated in run ${n(f.index)} after ${count(f.choices.length, 'random step')} (unshrunk): ${f.violation.message}`,
        );
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
          noteDone('runs', runsBefore + done);
        },
        onFound,
      },
      opts.json === true,
    );
    const found = campaign.found;
    progress.done();
    runsBefore += found.result.runs;
    const outcome: CampaignOutcome = {
      name: label,
      seconds: (performance.now() - started) / 1000,
      invariants: found.session.invariants.map((i) => i.id),
      goals: campaign.goals,
      properties: {
        protocol: plan.protocol,
        assignor: plan.assignor,
        seed: campaign.seed,
        runs: found.result.runs,
        'max-steps': campaign.maxSteps,
      },
    };
    outcomes.push(outcome);
    const printCoverage = () => {
      if (coverage && !opts.json) for (const line of formatCoverage(coverage.report())) console.log(pc.dim(`  ${line}`));
    };
    const { result } = found;
    if (!found.counterexample || !found.failure) {
      results.push({ label, result, replay: '' });
      if (!opts.json) printPass(label, result, (performance.now() - started) / 1000);
      if (!opts.json && result.stopped) console.log(pc.yellow(`  ${stopWhy()} after ${n(result.runs)} of ${n(opts.runs)} runs`));
      printCoverage();
      continue;
    }
    failed = true;
    const cx = found.counterexample;
    const f = found.failure;
    const file = opts.save ? writeCounterexample(opts.out, cx) : undefined;
    const replay = file ? `npx rebalance-check replay ${file}` : replayCommand({ ...opts, maxSteps: campaign.maxSteps }, plan, result);
    outcome.violation = { invariant: f.violation.invariant, statement: f.violation.statement, message: f.violation.message, replay, file };
    results.push({ label, result, file, replay });
    if (!opts.json) {
      const b = cx.shrink.before;
      const a = cx.shrink.after;
      const header =
        `${label}: invariant ${pc.bold(f.violation.invariant)} violated after ${count(a.steps, 'random step')} with ${count(a.members, 'member')} x ${count(a.partitions, 'partition')}` +
        ` (shrunk from ${count(b.steps, 'step')}, ${count(b.members, 'member')} x ${count(b.partitions, 'partition')}${timerChanges(b.timers, a.timers)}${shrinkCut(f.shrunk)})`;
      printViolation(header, f.violation, timeline(found.session, f.choices), f.violation.choice === null);
      if (file) console.log(`  Saved: ${file}`);
      console.log(`  Replay: ${pc.bold(replay)}`);
    }
    printCoverage();
    break;
  }
  if (skipped.length > 0 && !opts.json)
    console.log(pc.yellow(`not run (${interrupted() ? 'interrupted' : '--max-time deadline passed'}): ${skipped.join(', ')}`));
  const code = finishCheck(opts, outcomes, failed, opts.json === true);
  if (opts.json)
    console.log(
      JSON.stringify(
        {
          ok: code === 0,
          results: results.map((r, i) => ({ ...r, goals: outcomes[i]?.goals })),
          ...(skipped.length > 0 && { notRun: skipped }),
          ...(interrupted() && { interrupted: true }),
        },
        null,
        2,
      ),
    );
  return code;
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
