import type { Command } from 'commander';
import pc from 'picocolors';
import { missedGoals, type GoalHit } from '../run/goals.ts';

// The reachability goals on the command line (check and explore): --goals prints the hits per
// goal, --require-goals fails the command when a goal that applies was never reached.

export interface GoalOptions {
  goals?: boolean;
  requireGoals?: boolean;
}

export function addGoalOptions(cmd: Command): Command {
  return cmd
    .option('--goals', 'report how often each reachability goal (a named situation where bugs live) was reached')
    .option('--require-goals', 'exit 1 when a goal that applies to the configuration was never reached (implies --goals)');
}

export const tracksGoals = (opts: GoalOptions): boolean => opts.goals === true || opts.requireGoals === true;

/** Sums the reports of several campaigns: a goal applies if it applies to one of them. */
export function mergeGoalReports(reports: GoalHit[][]): GoalHit[] {
  const byId = new Map<string, GoalHit>();
  for (const r of reports)
    for (const g of r) {
      const old = byId.get(g.id);
      if (!old) byId.set(g.id, { ...g });
      else {
        old.hits += g.hits;
        if (g.applies) {
          old.applies = true;
          delete old.needs;
        }
      }
    }
  return [...byId.values()];
}

/** `goals: 17/18 reached`, then a line per goal: hits, id; the missed ones named; those that do not apply with what they need. */
export function formatGoals(report: GoalHit[]): string[] {
  const applicable = report.filter((g) => g.applies);
  const reached = applicable.filter((g) => g.hits > 0).length;
  const lines = [`goals: ${reached}/${applicable.length} reached`];
  const width = Math.max(1, ...applicable.map((g) => String(g.hits).length));
  for (const g of applicable) lines.push(`  ${g.hits === 0 ? '✗' : ' '} ${String(g.hits).padStart(width)}  ${g.id}`);
  const na = report.filter((g) => !g.applies);
  if (na.length > 0) lines.push(`  not applicable here: ${na.map((g) => `${g.id} (needs ${g.needs ?? 'another protocol'})`).join(', ')}`);
  return lines;
}

/** The goals a campaign had to reach and did not, as `campaign: goal`. */
export function missedPerCampaign(campaigns: Array<{ name: string; goals?: GoalHit[] }>): Array<{ campaign: string; goal: GoalHit }> {
  return campaigns.flatMap((c) => missedGoals(c.goals ?? []).map((goal) => ({ campaign: c.name, goal })));
}

/** Prints the summed report and, with --require-goals, each campaign's missed goals; returns whether the requirement failed. */
export function printGoals(campaigns: Array<{ name: string; goals?: GoalHit[] }>, opts: GoalOptions, json: boolean): boolean {
  const missed = missedPerCampaign(campaigns);
  if (!json) for (const line of formatGoals(mergeGoalReports(campaigns.map((c) => c.goals ?? [])))) console.log(pc.dim(`  ${line}`));
  const failed = opts.requireGoals === true && missed.length > 0;
  if (failed && !json) {
    console.log(`${pc.red('✗')} --require-goals: ${missed.length === 1 ? 'a goal was' : `${missed.length} goals were`} never reached:`);
    for (const m of missed) console.log(`  ${m.campaign}: ${pc.bold(m.goal.id)}: ${m.goal.statement}`);
  }
  return failed;
}
