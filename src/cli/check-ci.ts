import type { Command } from 'commander';
import pc from 'picocolors';
import { findCounterexample, type Found } from '../random/find.ts';
import { campaignSteeredByGoals } from '../random/steer.ts';
import { GoalTracker, type GoalHit } from '../run/goals.ts';
import type { Variant } from '../variants/variant.ts';
import type { WorldConfig } from '../world/types.ts';
import { addGoalOptions, printGoals, tracksGoals, type GoalOptions } from './goals.ts';
import { addReporterOptions, emitReport, parseReporter, type CampaignOutcome, type ReporterOptions } from './reporters.ts';

// What `check` does for CI, kept apart from check.ts: reachability goals (--goals,
// --require-goals, steering rounds for missed goals) and reports (--reporter junit|github).

export type CiOptions = GoalOptions & ReporterOptions;

/** Adds the goal and reporter options to the `check` command. */
export function extendCheck(program: Command): void {
  const cmd = program.commands.find((c) => c.name() === 'check');
  if (cmd) addReporterOptions(addGoalOptions(cmd));
}

/** Checks the CI options before any run (a bad --reporter is a usage error, exit 2). */
export const validateCiOptions = (opts: CiOptions): void => void parseReporter(opts);

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
  emitReport(opts, 'check', outcomes.map((o) => ({ ...o, goalsRequired: opts.requireGoals === true && !failed })));
  return failed || goalsFailed ? 1 : 0;
}
