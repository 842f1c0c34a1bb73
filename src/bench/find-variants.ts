import { campaign } from '../random/campaign.ts';
import { FIND_SEED, FIND_STEPS, type FoundRun, findPlans, readFoundRuns, writeFoundRuns } from './found-runs.ts';
import { session } from '../run/config.ts';
import { catalogue } from '../variants/catalogue.ts';
import type { Variant } from '../variants/variant.ts';
import { historicalBugs, historicalKey, historicalVariant } from './historical.ts';

// npm run bench:find [-- NAME ...] [-- --write]: for every broken variant of the catalogue, what
// `check --variant NAME` with default options does: the runs (over its protocol/assignor
// campaigns, in check's order) and seconds until the first violation, finding only (no
// shrinking). FIND_RUNS (default 1000, check's default) caps each campaign, FIND_SECONDS (default
// 120) each variant. A variant not caught within the cap is "missed". `--write` records where
// each variant was caught in src/bench/fixtures/found-runs.json, which a test replays.
// Then the same for the bugs consumer groups shipped (examples/historical, src/bench/historical.ts).

const RUNS = Number(process.env.FIND_RUNS ?? 1000);
const SECONDS = Number(process.env.FIND_SECONDS ?? 120);
const args = process.argv.slice(2);
const write = args.includes('--write');
const names = args.filter((a) => a !== '--write');
const chosen = catalogue.filter((v) => v.breaks.length > 0 && (names.length === 0 || names.includes(v.name)));

console.log(
  `check --variant NAME, default options (3 members x 6 partitions, ${FIND_STEPS} steps, seed ${FIND_SEED}), ${RUNS} runs per campaign`,
);
const recorded: Record<string, FoundRun> = write ? readFoundRuns() : {};

/** What `check --variant` with default options does: the first violation, or nothing within the caps. */
function find(key: string, variant: Variant, declared: string[] | undefined): boolean {
  const started = performance.now();
  const deadline = Date.now() + SECONDS * 1000;
  let before = 0;
  let where = '';
  let caught: FoundRun | undefined;
  for (const plan of findPlans(variant)) {
    const r = campaign(session(plan.config, variant), { runs: RUNS, seed: FIND_SEED, maxSteps: FIND_STEPS, shrink: false, deadline });
    if (r.failure) {
      before += r.failure.runIndex + 1;
      caught = { campaign: plan.name, run: r.failure.runIndex, invariant: r.failure.violation.invariant };
      const undeclared = declared && !declared.includes(caught.invariant) ? ' (NOT DECLARED)' : '';
      where = `${plan.name} run ${caught.run}: ${caught.invariant}${undeclared}`;
      break;
    }
    before += r.runs;
    if (r.stopped) {
      where = 'time limit';
      break;
    }
  }
  if (caught) recorded[key] = caught;
  else delete recorded[key];
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${key.padEnd(30)} ${(caught ? 'yes' : 'MISSED').padEnd(8)} ${String(before).padStart(7)} ${secs.padStart(8)}  ${where}`);
  return caught !== undefined;
}

console.log(`${'variant'.padEnd(30)} ${'caught'.padEnd(8)} ${'runs'.padStart(7)} ${'seconds'.padStart(8)}  where`);
let missed = 0;
for (const variant of chosen) if (!find(variant.name, variant, variant.breaks)) missed++;
console.log(`\n${chosen.length - missed} of ${chosen.length} broken variants caught`);

// The bugs consumer groups shipped (all of them unless names were given).
const bugs = historicalBugs().filter((b) => names.length === 0 || names.includes(b.bug));
if (bugs.length > 0) {
  console.log('\nbugs consumer groups shipped, re-planted as variants (examples/historical):');
  let caughtBugs = 0;
  for (const b of bugs) if (find(historicalKey(b), await historicalVariant(b), undefined)) caughtBugs++;
  console.log(`\n${caughtBugs} of ${bugs.length} shipped bugs caught`);
}
if (write) {
  writeFoundRuns(recorded);
  console.log('wrote src/bench/fixtures/found-runs.json');
}
