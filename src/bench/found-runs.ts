import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planCampaigns } from '../api/check.ts';
import { session } from '../run/config.ts';
import type { Variant } from '../variants/variant.ts';
import { campaign } from '../random/campaign.ts';

// Where `check --variant NAME` with default options first catches each broken variant of the
// catalogue: the campaign (in check's order) and the run of seed 42. Runs are prefix-stable (run i
// depends only on the seed and i), so one recorded run replays alone, and a test can hold "the
// default check catches every broken variant" in seconds instead of minutes.
// `npm run bench:find -- --write` rewrites the file.

export const foundRunsFile = join(import.meta.dirname, 'fixtures', 'found-runs.json');

/** Check's defaults, as `check --variant NAME` runs them. */
export const FIND_SEED = 42;
export const FIND_STEPS = 60;

export interface FoundRun {
  /** The campaign's name as check prints it, e.g. `cooperative/cooperative-sticky`. */
  campaign: string;
  /** Runs before it in that campaign (its index). */
  run: number;
  invariant: string;
}

export function readFoundRuns(): Record<string, FoundRun> {
  return JSON.parse(readFileSync(foundRunsFile, 'utf8'));
}

export function writeFoundRuns(found: Record<string, FoundRun>): void {
  const sorted = Object.fromEntries(Object.entries(found).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(foundRunsFile, `${JSON.stringify(sorted, null, 2)}\n`);
}

const campaignName = (p: { protocol: string; assignor: string; upgrade: boolean; static: boolean; idle?: boolean }) =>
  p.upgrade ? 'upgrade' : `${p.protocol}/${p.assignor}${p.static ? ' static' : ''}${p.idle ? ' idle' : ''}`;

/** The variant's default campaigns, in check's order. */
export function findPlans(variant: Variant) {
  return planCampaigns({}, variant).map((p) => ({ ...p, name: campaignName(p) }));
}

/** Replays one recorded run alone: the invariant it violates, if any. */
export function replayFound(variant: Variant, found: FoundRun): string | undefined {
  const plan = findPlans(variant).find((p) => p.name === found.campaign);
  if (!plan) return undefined;
  const r = campaign(session(plan.config, variant), {
    runs: 1,
    seed: FIND_SEED,
    maxSteps: FIND_STEPS,
    path: String(found.run),
    shrinkBudget: 0,
  });
  return r.failure?.violation.invariant;
}
