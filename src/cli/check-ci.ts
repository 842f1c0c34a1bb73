import type { Command } from 'commander';
import pc from 'picocolors';
import { findCounterexample, type Found } from '../random/find.ts';
import { campaignSteeredByGoals } from '../random/steer.ts';
import { GoalTracker, type GoalHit } from '../run/goals.ts';
import type { Variant } from '../variants/variant.ts';
import type { WorldConfig } from '../world/types.ts';
import { addGoalOptions, printGoals, tracksGoals, type GoalOptions } from './goals.ts';
import { addQuantityOptions, type QuantityOptions } from './quantities.ts';
import { addReporterOptions, emitReport, parseReporters, type CampaignOutcome, type ReporterOptions } from './reporters.ts';

// What `check` does for CI, kept apart from check.ts: reachability goals (--goals,
// --require-goals, steering rounds for missed goals) and reports (--reporter junit|github).

export type CiOptions = GoalOptions & ReporterOptions & Pick<QuantityOptions, 'quantities' | 'quantity'>;

/** Adds the goal and reporter options to the `check` command. */
export function extendCheck(program: Command): void {
  const cmd = program.commands.find((c) => c.name() === 'check');
  if (cmd) addQuantityOptions(addReporterOptions(addGoalOptions(cmd)));
}

/** Checks the CI options before any run (a bad --reporter is a usage error, exit 2). */
export const validateCiOptions = (opts: CiOptions): void => void parseReporters(opts);

export interface CampaignRun {
  found: Found;
  /** Seed and prefix length of the campaign whose result `found` holds (a steering round's, when one failed). */
  seed: number;
  maxSteps: number;
  goals?: GoalHit[];
}

type FindOpts = Parameters<typeof findCounterexample>[2];

/** One campaign of `check`: plain, or with its goals tracked and, when some were missed, steering rounds. */
export function runCampaign(config: WorldConfig, variant: Variant | undefined, opts: FindOpts & CiOptions, json: boolean): CampaignRun {
  if (!tracksGoals(opts)) return { found: findCounterexample(config, variant, opts), seed: opts.seed, maxSteps: opts.maxSteps };
  const goals = new GoalTracker(config);
  const s = campaignSteeredByGoals(config, variant, { ...opts, goalTracker: goals });
  if (s.extraRuns > 0 && !json)
    console.log(
      pc.dim(
        `  steering: ${s.extraRuns} more runs of up to ${s.maxSteps === opts.maxSteps ? opts.maxSteps * 3 : s.maxSteps} steps for goals not reached; reached ${s.newlyReached.length > 0 ? s.newlyReached.join(', ') : 'none of them'}`,
      ),
    );
  return { found: s.found, seed: s.seed, maxSteps: s.maxSteps, goals: goals.report() };
}

/** After every campaign: the goal report (summed), the --require-goals verdict, the CI report. Returns the exit code. */
export function finishCheck(opts: CiOptions, outcomes: CampaignOutcome[], failed: boolean, json: boolean): number {
  let goalsFailed = false;
  if (tracksGoals(opts)) {
    // After a violation the campaigns that did not run cannot be asked to have reached anything.
    goalsFailed = printGoals(outcomes, failed ? { goals: true } : opts, json);
  }
  emitReport(
    opts,
    'check',
    outcomes.map((o) => ({ ...o, goalsRequired: opts.requireGoals === true && !failed })),
  );
  return failed || goalsFailed ? 1 : 0;
}

/** Adds the goal and reporter options to the `explore` command. */
export function extendExplore(program: Command): void {
  const cmd = program.commands.find((c) => c.name() === 'explore');
  if (cmd) addReporterOptions(addGoalOptions(cmd));
}

/**
 * After an exploration: the goal report of the transitions checked, and the CI report. Returns
 * the exit code the goals add (1: --require-goals and one was missed) and the lines to print.
 */
export function finishExplore(
  opts: CiOptions,
  config: WorldConfig,
  outcome: Omit<CampaignOutcome, 'goals'>,
  counts: Record<string, number> | undefined,
  json: boolean,
): { code: number; print: () => void; goals?: GoalHit[] } {
  const goals = counts && new GoalTracker(config);
  goals?.merge(counts!);
  const report = goals?.report();
  const full: CampaignOutcome = { ...outcome, goals: report, goalsRequired: opts.requireGoals === true && !outcome.violation };
  emitReport(opts, 'explore', [full]);
  let failed = false;
  const print = () => {
    if (report) failed = printGoals([full], full.goalsRequired ? opts : { goals: true }, json);
  };
  // Decide now (printing is later): the same rule printGoals applies.
  if (report && full.goalsRequired) failed = report.some((g) => g.applies && g.hits === 0);
  return { code: failed ? 1 : 0, print, goals: report };
}
