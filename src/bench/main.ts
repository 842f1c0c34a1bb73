import { availableParallelism } from 'node:os';
import { noBudgets } from '../explore/bounds.ts';
import { exploreParallel } from '../explore/parallel.ts';
import type { ExploreSpec } from '../explore/spec.ts';
import { session } from '../run/config.ts';
import { runPicks, type Session } from '../run/run.ts';
import { buildModel } from '../world/model.ts';
import { anchors } from './anchors.ts';
import { runMutation } from '../mutate/mutate.ts';
import { defaultBudget } from '../mutate/run-mutant.ts';
import { figures, scores, targetLines } from '../mutate/score.ts';
import { benchCampaigns, benchPicks, campaignConfig, cpuSeconds } from './campaigns.ts';
import { benchJobs } from './check-jobs.ts';
import { benchInvariantCost } from './invariant-cost.ts';
import { defaultSurvivorsFile, loadSurvivors } from '../mutate/survivors.ts';

// npm run bench: runs/s and steps/s of the random runner on 3 members x 6 partitions,
// 50-step runs, every invariant on, all faults on; eager and cooperative + static. The baseline is the same runs through
// xstate's public transition() (a fresh actor scope per call), measured in the same process,
// so the ratio is what to read: absolute times on shared machines are noisy.

const RUNS = Number(process.env.BENCH_RUNS ?? 2000);
const STEPS = 50;

function measure(s: Session, inputs: number[][]): { runsPerSec: number; stepsPerSec: number; steps: number } {
  let steps = 0;
  for (const p of inputs.slice(0, 50)) runPicks(s, p); // warm-up
  const t0 = cpuSeconds();
  for (const p of inputs) steps += runPicks(s, p).trace.length;
  const secs = cpuSeconds() - t0;
  return { runsPerSec: inputs.length / secs, stepsPerSec: steps / secs, steps };
}

const inputs = benchPicks(RUNS, STEPS);
// The classic campaigns (the KIP-848 one has no xstate baseline here; bench:ab times it).
const scenarios = benchCampaigns.filter((c) => c.protocol !== 'consumer');
const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
/** Every target of issue 15, printed at the end with met / not met. */
const targets: string[] = [];
const target = (what: string, met: boolean, figures: string) => targets.push(`${met ? 'met    ' : 'NOT met'}  ${what}: ${figures}`);
console.log(
  `3 members x 6 partitions, all faults, every invariant, ${RUNS} runs of ${STEPS} random steps (node ${process.version}, one core; rates per CPU second)\n`,
);
console.log(`${'configuration'.padEnd(92)} ${'runs/s'.padStart(9)} ${'steps/s'.padStart(9)} ${'x baseline'.padStart(10)}`);
const compiledRates: number[] = [];
for (const sc of scenarios) {
  const config = campaignConfig(sc);
  for (const liveness of [false, true]) {
    const compiled = session(config, undefined, liveness, 'compiled');
    const fast = session(config, undefined, liveness, 'xstate');
    const plain: Session = { ...fast, model: buildModel({}, 'plain') };
    const what = `${sc.label}, ${liveness ? '+ fair schedule and liveness check' : 'safety invariants only'}`;
    const base = measure(plain, inputs);
    const xs = measure(fast, inputs);
    const mine = measure(compiled, inputs);
    if (liveness) compiledRates.push(mine.runsPerSec);
    for (const [label, m] of [
      [`baseline xstate transition(): ${what}`, base],
      [`xstate, reused scope:         ${what}`, xs],
      [`compiled machines:            ${what}`, mine],
    ] as const) {
      console.log(
        `${label.padEnd(92)} ${fmt(m.runsPerSec)} ${fmt(m.stepsPerSec)} ${(m.runsPerSec / base.runsPerSec).toFixed(2).padStart(10)}`,
      );
    }
  }
}
const worst = Math.min(...compiledRates);
target(
  `check >= 1,000 runs/s per default campaign (${STEPS}-step runs, every invariant, fair schedule and liveness)`,
  worst >= 1000,
  `slowest campaign ${fmt(worst).trim()} runs/s`,
);
if (process.env.BENCH_JOBS !== '0') benchJobs(Number(process.env.BENCH_JOBS_RUNS ?? 300));
if (process.env.BENCH_INVARIANT_COST !== '0') benchInvariantCost(Math.min(RUNS, 500));

// Exhaustive exploration on the 3-member cooperative instance (3 partitions, one crash and one
// restart). Two searches:
// - depth-bounded, with unbounded message delays (the space is infinite without a bound):
//   baseline without symmetry, which also gives the reduction factor;
// - complete, on a bounded-delay network (--max-delay 0): every behaviour within the budgets,
//   the instance the 60 s target names. Baseline: the same search without memoised
//   machine transitions, on one thread.
// "x baseline" is the baseline's time over this one's, for the same search.
const EXPLORE_DEPTH = Number(process.env.BENCH_EXPLORE_DEPTH ?? 7);
const workers = availableParallelism();
const exploreCase: ExploreSpec = {
  protocol: 'cooperative',
  assignor: 'cooperative-sticky',
  members: 3,
  partitions: 3,
  topics: 1,
  static: false,
  slowCallbacks: false,
  slowAssignLost: false,
  variant: null,
  bounds: { budgets: { ...noBudgets, crash: 1, start: 1 }, maxDepth: EXPLORE_DEPTH, maxInFlight: 8, maxTimeMs: Infinity },
  symmetry: true,
  liveness: true,
  coverage: false,
};
const complete: ExploreSpec = { ...exploreCase, bounds: { ...exploreCase.bounds, maxDepth: 10_000, maxDelayMs: 0 } };
const header = () =>
  console.log(
    `${'configuration'.padEnd(60)} ${'states'.padStart(9)} ${'transitions'.padStart(11)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)} ${'states/s'.padStart(9)} ${'bytes/st'.padStart(8)} ${'store/st'.padStart(8)} ${'x baseline'.padStart(10)}`,
  );
type Measured = { states: number; rate: number; seconds: number; bytesPerState: number; storePerState: number };
type Run = [label: string, spec: ExploreSpec, workers: number];
async function table(runs: Run[]): Promise<Record<string, Measured>> {
  const measured: Record<string, Measured> = {};
  let baseSeconds = 0;
  for (const [label, spec, w] of runs) {
    const heapBefore = process.memoryUsage().heapUsed;
    const c0 = cpuSeconds();
    const r = await exploreParallel(spec, w);
    // One worker runs in this thread: its CPU time is the search's. Several: wall clock.
    const seconds = w === 1 ? cpuSeconds() - c0 : r.seconds;
    if (r.violation) throw new Error(`bench: ${label} found a violation (${r.violation.invariant})`);
    const rate = r.states / seconds;
    // Peak heap the search added, per distinct state (the whole store: fingerprints, parent
    // links, the frontier's worlds and the memoised transitions); one thread only.
    const bytesPerState = w === 1 ? Math.max(0, r.heapBytes - heapBefore) / r.states : Number.NaN;
    // The state store alone (fingerprint table, parent links, liveness memo): what Spin's
    // "memory usage for states" counts.
    const storePerState = r.storeBytes / r.states;
    if (baseSeconds === 0) baseSeconds = seconds;
    measured[label] = { states: r.states, rate, seconds, bytesPerState, storePerState };
    console.log(
      `${label.padEnd(60)} ${fmt(r.states)} ${fmt(r.transitions).padStart(11)} ${r.seconds.toFixed(1).padStart(7)} ${(w === 1 ? seconds.toFixed(1) : '-').padStart(7)} ${fmt(rate)} ${(Number.isNaN(bytesPerState) ? '-' : fmt(bytesPerState).trim()).padStart(8)} ${fmt(storePerState).trim().padStart(8)} ${(baseSeconds / seconds).toFixed(2).padStart(10)}`,
    );
  }
  return measured;
}
const xstate = (spec: ExploreSpec): ExploreSpec => ({ ...spec, interpreter: 'xstate' });

console.log(
  `\nexplore cooperative/cooperative-sticky 3 members x 3 partitions, 1 crash, 1 restart, depth <= ${EXPLORE_DEPTH}, every invariant; baseline: xstate's interpreter\n`,
);
header();
const bounded: Run[] = [
  ['before (--interpreter xstate): symmetry, liveness, 1 worker', xstate(exploreCase), 1],
  ['compiled: symmetry, liveness, 1 worker', exploreCase, 1],
  [`compiled: symmetry, liveness, ${workers} workers`, exploreCase, workers],
  ['compiled: no symmetry, liveness, 1 worker', { ...exploreCase, symmetry: false }, 1],
  ['before (--interpreter xstate): safety only, 1 worker', xstate({ ...exploreCase, liveness: false }), 1],
  ['compiled: safety only, 1 worker', { ...exploreCase, liveness: false }, 1],
];
const measured = await table(bounded);
const reduction = measured[bounded[3][0]].states / measured[bounded[1][0]].states;
console.log(
  `\nsymmetry reduction factor: x${reduction.toFixed(2)} (${fmt(measured[bounded[3][0]].states).trim()} states without, ${fmt(measured[bounded[1][0]].states).trim()} with; 3! = 6 is the most 3 clients can give)`,
);

if (process.env.BENCH_COMPLETE !== '0') {
  console.log(
    `\nexplore the same instance completely: bounded-delay network (--max-delay 0), no depth bound, every invariant; baseline: xstate's interpreter\n`,
  );
  header();
  const full: Run[] = [
    ['before (--interpreter xstate): liveness, 1 worker', xstate(complete), 1],
    ['compiled: liveness, 1 worker', complete, 1],
    [`compiled: liveness, ${workers} workers`, complete, workers],
    ['compiled: safety only, 1 worker', { ...complete, liveness: false }, 1],
    [`compiled: safety only, ${workers} workers`, { ...complete, liveness: false }, workers],
  ];
  const m = await table(full);
  const live = [m[full[1][0]], m[full[2][0]]];
  const safe = [m[full[3][0]], m[full[4][0]]];
  const best = (xs: Measured[]) => xs.reduce((a, b) => (b.rate > a.rate ? b : a));
  target(
    'explore >= 200,000 states/s, 3x3 cooperative, safety only',
    best(safe).rate >= 200_000,
    `best ${fmt(best(safe).rate).trim()} states/s`,
  );
  target(
    'explore >= 100,000 states/s, 3x3 cooperative, with liveness',
    best(live).rate >= 100_000,
    `best ${fmt(best(live).rate).trim()} states/s`,
  );
  target(
    'complete 3x3 cooperative search, 1 crash + 1 restart, with liveness, < 10 s',
    best(live).seconds < 10,
    `best ${best(live).seconds.toFixed(1)} s for ${fmt(best(live).states).trim()} states (before: ${m[full[0][0]].seconds.toFixed(1)} s)`,
  );
  const bytes = m[full[1][0]].bytesPerState;
  const store = m[full[1][0]].storePerState;
  target(
    '<= 100 bytes per stored state (the store: fingerprint table, parent links, liveness memo; as Spin counts it)',
    store <= 100,
    `${fmt(store).trim()} bytes of store per state; ${fmt(bytes).trim()} bytes of peak heap per state, frontier worlds, caches and garbage included (complete search, liveness, 1 worker)`,
  );

  // KIP-848 has no symmetry (member ids name the client), so 3 members would be 6 times more
  // states than classic's reduced search (over a million): 2 members x 3 partitions.
  console.log(`\nexplore consumer/uniform (KIP-848) 2 members x 3 partitions completely, the same budgets and network (no symmetry)\n`);
  header();
  const consumer: ExploreSpec = { ...complete, protocol: 'consumer', assignor: 'uniform', members: 2, symmetry: false };
  await table([
    ['before (--interpreter xstate): liveness, 1 worker', xstate(consumer), 1],
    ['compiled: liveness, 1 worker', consumer, 1],
    ['compiled: safety only, 1 worker', { ...consumer, liveness: false }, 1],
  ]);
}

if (process.env.BENCH_COMPLETE === '0')
  for (const what of [
    'explore >= 200,000 / >= 100,000 states/s (safety only / liveness)',
    'complete 3x3 search < 10 s',
    '<= 100 bytes per stored state',
  ])
    targets.push(`not measured  ${what}: the complete search was skipped (BENCH_COMPLETE=0)`);

await anchors(target, cpuSeconds);

console.log('\ntargets (issue 15):');
for (const t of targets) console.log(`  ${t}`);

// Mutation analysis (docs/mutate.md): the score and the targets. BENCH_MUTATE=quick (the
// default) runs every 20th mutant, `full` all of them (as `npx rebalance-check mutate`), 0 none.
const mutateMode = process.env.BENCH_MUTATE ?? 'quick';
if (mutateMode !== '0') {
  const shard = mutateMode === 'full' ? undefined : { index: 0, count: 20 };
  const started = performance.now();
  const { results } = await runMutation({ shard, budget: defaultBudget, jobs: 1 });
  const records = loadSurvivors(defaultSurvivorsFile);
  const { total } = scores(results, records);
  console.log(
    `\nmutation analysis, ${mutateMode === 'full' ? 'every mutant' : 'every 20th mutant (BENCH_MUTATE=full for all)'}: ${total.mutants} mutants, ${total.killed} killed, ${total.survived} survived, ${total.notReached} not reached, ${total.equivalent} recorded equivalent; ${((performance.now() - started) / 1000).toFixed(0)} s on one worker\n`,
  );
  for (const line of targetLines(figures(results, records))) console.log(`target: ${line}`);
}
