import { campaign } from '../random/campaign.ts';
import { planCampaigns } from '../api/check.ts';
import { session } from '../run/config.ts';
import { catalogue } from '../variants/catalogue.ts';

// npm run bench:find [-- NAME ...]: for every broken variant of the catalogue, what
// `check --variant NAME` with default options does: the runs (over its protocol/assignor
// campaigns, in check's order) and seconds until the first violation, finding only (no
// shrinking). FIND_RUNS (default 1000, check's default) caps each campaign, FIND_SECONDS (default
// 120) each variant. A variant not caught within the cap is "missed".

const RUNS = Number(process.env.FIND_RUNS ?? 1000);
const SECONDS = Number(process.env.FIND_SECONDS ?? 120);
const names = process.argv.slice(2);
const chosen = catalogue.filter((v) => v.breaks.length > 0 && (names.length === 0 || names.includes(v.name)));

console.log(`check --variant NAME, default options (3 members x 6 partitions, 60 steps, seed 42), ${RUNS} runs per campaign`);
console.log(`${'variant'.padEnd(30)} ${'caught'.padEnd(8)} ${'runs'.padStart(7)} ${'seconds'.padStart(8)}  where`);
let missed = 0;
for (const variant of chosen) {
  const started = performance.now();
  const deadline = Date.now() + SECONDS * 1000;
  let before = 0;
  let where = '';
  let caught = false;
  for (const { protocol, assignor, config } of planCampaigns({}, variant)) {
    const r = campaign(session(config, variant), { runs: RUNS, seed: 42, maxSteps: 60, shrink: false, deadline });
    if (r.failure) {
      before += r.failure.runIndex + 1;
      where = `${protocol}/${assignor} run ${r.failure.runIndex}: ${r.failure.violation.invariant}`;
      caught = true;
      break;
    }
    before += r.runs;
    if (r.stopped) {
      where = 'time limit';
      break;
    }
  }
  if (!caught) missed++;
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${variant.name.padEnd(30)} ${(caught ? 'yes' : 'MISSED').padEnd(8)} ${String(before).padStart(7)} ${secs.padStart(8)}  ${where}`,
  );
}
console.log(`\n${chosen.length - missed} of ${chosen.length} broken variants caught`);
