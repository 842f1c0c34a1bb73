import { campaign } from '../random/campaign.ts';
import { FIND_SEED, FIND_STEPS, type FoundRun, findPlans, readFoundRuns, writeFoundRuns } from './found-runs.ts';
import { session } from '../run/config.ts';
import { catalogue } from '../variants/catalogue.ts';

// npm run bench:find [-- NAME ...] [-- --write]: for every broken variant of the catalogue, what
// `check --variant NAME` with default options does: the runs (over its protocol/assignor
// campaigns, in check's order) and seconds until the first violation, finding only (no
// shrinking). FIND_RUNS (default 1000, check's default) caps each campaign, FIND_SECONDS (default
// 120) each variant. A variant not caught within the cap is "missed". `--write` records where
// each variant was caught in src/bench/fixtures/found-runs.json, which a test replays.

const RUNS = Number(process.env.FIND_RUNS ?? 1000);
const SECONDS = Number(process.env.FIND_SECONDS ?? 120);
const args = process.argv.slice(2);
const write = args.includes('--write');
const names = args.filter((a) => a !== '--write');
const chosen = catalogue.filter((v) => v.breaks.length > 0 && (names.length === 0 || names.includes(v.name)));

console.log(
  `check --variant NAME, default options (3 members x 6 partitions, ${FIND_STEPS} steps, seed ${FIND_SEED}), ${RUNS} runs per campaign`,
);
console.log(`${'variant'.padEnd(30)} ${'caught'.padEnd(8)} ${'runs'.padStart(7)} ${'seconds'.padStart(8)}  where`);
const recorded: Record<string, FoundRun> = write ? readFoundRuns() : {};
let missed = 0;
for (const variant of chosen) {
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
      where = `${plan.name} run ${caught.run}: ${caught.invariant}${variant.breaks.includes(caught.invariant) ? '' : ' (NOT DECLARED)'}`;
      break;
    }
    before += r.runs;
    if (r.stopped) {
      where = 'time limit';
      break;
    }
  }
  if (caught) recorded[variant.name] = caught;
  else {
    missed++;
    delete recorded[variant.name];
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${variant.name.padEnd(30)} ${(caught ? 'yes' : 'MISSED').padEnd(8)} ${String(before).padStart(7)} ${secs.padStart(8)}  ${where}`,
  );
}
console.log(`\n${chosen.length - missed} of ${chosen.length} broken variants caught`);
if (write) {
  writeFoundRuns(recorded);
  console.log('wrote src/bench/fixtures/found-runs.json');
}
