import type { Command } from 'commander';
import pc from 'picocolors';
import type { CampaignResult } from '../random/campaign.ts';
import { protocols } from '../run/config.ts';
import { planCampaigns } from '../api/check.ts';
import { catalogue } from '../variants/catalogue.ts';
import { loadVariant } from '../variants/load.ts';
import type { Variant } from '../variants/variant.ts';
import { UsageError, maxTimeHelp, offsetResetOption, positiveInt, seconds } from '../core/errors.ts';
import { progressLine } from './progress.ts';
import { extendCheck, finishCheck, validateCiOptions } from './check-ci.ts';
import type { CheckOptions } from './check-options.ts';
import { runPlansParallel } from './check-parallel.ts';
import { finishPlan, runPlan, type PlanDone } from './check-plan.ts';
import type { CampaignOutcome } from './reporters.ts';
import { runQuantities } from './quantities.ts';
import { parseShard } from '../core/shard.ts';
import { interpreterHelp, parseInterpreter, useInterpreter } from './interpreter.ts';
import { interrupted, noteDone } from '../core/control.ts';
import { defaultTimeLimit, timeLimitHelp } from './supervise.ts';

export { replayCommand } from './check-plan.ts';

/** A fast-check replay path: `12:0:3` (numbers joined by colons). */
function replayPath(raw: string): string {
  if (!/^\d+(:\d+)*$/.test(raw))
    throw new UsageError(`--path must be a fast-check replay path such as 12:0:3 (as printed by a failure), got '${raw}'`);
  return raw;
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
    .option('--offset-retention', "the coordinator's offset cleanup may run once per run (docs/model.md, section 11)")
    .option(
      '--offset-reset <how>',
      'auto.offset.reset of every consumer: earliest (default) or latest',
      offsetResetOption('--offset-reset'),
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
    .option(
      '--jobs <n>',
      'campaigns run at once, each on a worker thread; the output is the same as with one',
      positiveInt('--jobs', 1, 64),
      1,
    )
    .option('--json', 'print the results as JSON')
    .action(async (opts: CheckOptions) => {
      const variant = opts.variant === undefined ? undefined : await loadVariant(opts.variant);
      setExit(opts.quantities ? await runQuantities(opts, variant) : await runCheck(opts, variant));
    });
  extendCheck(program);
}

async function runCheck(opts: CheckOptions, variant: Variant | undefined): Promise<number> {
  useInterpreter(opts);
  validateCiOptions(opts);
  const plans = planCampaigns({ ...opts, variant }, variant);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const outcomes: CampaignOutcome[] = [];
  const results: Array<{ label: string; result: CampaignResult; file?: string; replay: string }> = [];
  let failed = false;
  const deadline = opts.maxTime === undefined ? undefined : Date.now() + opts.maxTime * 1000;
  const skipped: string[] = [];
  // A campaign's report, in plan order whichever thread ran it; false after a failure (stop there).
  const report = (done: PlanDone): boolean => {
    if (done.skipped) {
      skipped.push(done.skipped);
      return true;
    }
    outcomes.push(done.outcome!);
    results.push(finishPlan(done, opts));
    if (done.failure) failed = true;
    return !done.failure;
  };
  const jobs = Math.min(opts.jobs, plans.length);
  if (jobs <= 1) {
    // Runs of the campaigns before this one (what the supervisor says if it must stop the command at once).
    let runsBefore = 0;
    for (const [index, plan] of plans.entries()) {
      const done = runPlan(plan, index, {
        opts,
        variant,
        shard,
        deadline,
        progress: true,
        onRuns: (n) => noteDone('runs', runsBefore + n),
      });
      runsBefore += done.result?.runs ?? 0;
      if (!report(done)) break;
    }
  } else {
    const progress = progressLine(`check (${jobs} jobs, ${plans.length} campaigns)`, opts.runs * plans.length);
    await runPlansParallel(opts, plans.length, jobs, deadline, {
      onDone: (done, lines) => {
        progress.done();
        for (const line of lines) console.log(line);
        return report(done);
      },
      onRuns: (total) => {
        progress.tick(total);
        noteDone('runs', total);
      },
      onFound: (line) => {
        progress.done();
        console.error(line);
      },
    });
    progress.done();
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
