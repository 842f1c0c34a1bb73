import { availableParallelism } from 'node:os';
import seedrandom from 'seedrandom';
import { noBudgets } from '../explore/bounds.ts';
import { exploreParallel } from '../explore/parallel.ts';
import { exploreSpec, type ExploreSpec } from '../explore/spec.ts';
import { allFaults, session, worldConfig } from '../run/config.ts';
import { runPicks, type Session } from '../run/run.ts';
import { buildModel } from '../world/model.ts';
import { runMutation } from '../mutate/mutate.ts';
import { defaultBudget } from '../mutate/run-mutant.ts';
import { figures, scores, targetLines } from '../mutate/score.ts';
import { defaultSurvivorsFile, loadSurvivors } from '../mutate/survivors.ts';

// npm run bench: runs/s and steps/s of the random runner on 3 members x 6 partitions,
// 50-step runs, every invariant on, all faults on; eager and cooperative + static. The baseline is the same runs through
// xstate's public transition() (a fresh actor scope per call), measured in the same process,
// so the ratio is what to read: absolute times on shared machines are noisy.

const RUNS = Number(process.env.BENCH_RUNS ?? 2000);
const STEPS = 50;

function picks(n: number): number[][] {
  const rng = seedrandom('bench');
  return Array.from({ length: n }, () => Array.from({ length: STEPS }, () => Math.floor(rng() * 0x7fffffff)));
}

function measure(s: Session, inputs: number[][]): { runsPerSec: number; stepsPerSec: number; steps: number } {
  let steps = 0;
  for (const p of inputs.slice(0, 50)) runPicks(s, p); // warm-up
  const t0 = performance.now();
  for (const p of inputs) steps += runPicks(s, p).trace.length;
  const secs = (performance.now() - t0) / 1000;
  return { runsPerSec: inputs.length / secs, stepsPerSec: steps / secs, steps };
}

const inputs = picks(RUNS);
const scenarios = [
  { label: 'eager/range', protocol: 'eager', assignor: 'range', static: false },
  { label: 'cooperative/cooperative-sticky static', protocol: 'cooperative', assignor: 'cooperative-sticky', static: true },
] as const;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
console.log(
  `3 members x 6 partitions, all faults, every invariant, ${RUNS} runs of ${STEPS} random steps (node ${process.version}, one core)\n`,
);
console.log(`${'configuration'.padEnd(92)} ${'runs/s'.padStart(9)} ${'steps/s'.padStart(9)} ${'x baseline'.padStart(10)}`);
const hot: number[] = [];
for (const sc of scenarios) {
  const config = worldConfig({
    protocol: sc.protocol,
    assignor: sc.assignor,
    members: 3,
    partitions: 6,
    faults: allFaults,
    static: sc.static,
  });
  for (const liveness of [false, true]) {
    const fast = session(config, undefined, liveness);
    const plain: Session = { ...fast, model: buildModel({}, 'plain') };
    const what = `${sc.label}, ${liveness ? '+ fair schedule and liveness check' : 'safety invariants only'}`;
    const base = measure(plain, inputs);
    const mine = measure(fast, inputs);
    if (!liveness) hot.push(mine.runsPerSec);
    for (const [label, m] of [
      [`baseline xstate transition(): ${what}`, base],
      [`reused scope (hot loop):      ${what}`, mine],
    ] as const) {
      console.log(
        `${label.padEnd(92)} ${fmt(m.runsPerSec)} ${fmt(m.stepsPerSec)} ${(m.runsPerSec / base.runsPerSec).toFixed(2).padStart(10)}`,
      );
    }
  }
}
const worst = Math.min(...hot);
console.log(
  `\ntarget: >= 1,000 runs/s of ${STEPS}-step runs on one core (safety invariants): ${worst >= 1000 ? 'met' : 'NOT met'} (slowest ${fmt(worst).trim()} runs/s)`,
);

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
  variant: null,
  bounds: { budgets: { ...noBudgets, crash: 1, start: 1 }, maxDepth: EXPLORE_DEPTH, maxInFlight: 8, maxTimeMs: Infinity },
  symmetry: true,
  liveness: true,
  coverage: false,
};
const complete: ExploreSpec = { ...exploreCase, bounds: { ...exploreCase.bounds, maxDepth: 10_000, maxDelayMs: 0 } };
const header = () =>
  console.log(
    `${'configuration'.padEnd(60)} ${'states'.padStart(9)} ${'transitions'.padStart(11)} ${'seconds'.padStart(8)} ${'states/s'.padStart(9)} ${'x baseline'.padStart(10)}`,
  );
type Run = [label: string, spec: ExploreSpec, workers: number, memo?: boolean];
async function table(runs: Run[]): Promise<Record<string, { states: number; rate: number; seconds: number }>> {
  const measured: Record<string, { states: number; rate: number; seconds: number }> = {};
  let baseSeconds = 0;
  for (const [label, spec, w, memo] of runs) {
    const r = memo === false ? { ...exploreSpec(spec, { memo: false }), workers: 1 } : await exploreParallel(spec, w);
    if (r.violation) throw new Error(`bench: ${label} found a violation (${r.violation.invariant})`);
    const rate = r.states / r.seconds;
    if (baseSeconds === 0) baseSeconds = r.seconds;
    measured[label] = { states: r.states, rate, seconds: r.seconds };
    console.log(
      `${label.padEnd(60)} ${fmt(r.states)} ${fmt(r.transitions).padStart(11)} ${r.seconds.toFixed(1).padStart(8)} ${fmt(rate)} ${(baseSeconds / r.seconds).toFixed(2).padStart(10)}`,
    );
  }
  return measured;
}

console.log(
  `\nexplore cooperative/cooperative-sticky 3 members x 3 partitions, 1 crash, 1 restart, depth <= ${EXPLORE_DEPTH}, every invariant, liveness walks on\n`,
);
header();
const bounded: Run[] = [
  ['baseline: no symmetry, 1 worker', { ...exploreCase, symmetry: false }, 1],
  ['symmetry, 1 worker', exploreCase, 1],
  [`symmetry, ${workers} workers`, exploreCase, workers],
  ['safety only (no liveness walks), symmetry, 1 worker', { ...exploreCase, liveness: false }, 1],
];
const measured = await table(bounded);
const reduction = measured[bounded[0][0]].states / measured[bounded[1][0]].states;
console.log(
  `\nsymmetry reduction factor: x${reduction.toFixed(2)} (${fmt(measured[bounded[0][0]].states).trim()} states without, ${fmt(measured[bounded[1][0]].states).trim()} with; 3! = 6 is the most 3 clients can give)`,
);

if (process.env.BENCH_COMPLETE !== '0') {
  console.log(`\nexplore the same instance completely: bounded-delay network (--max-delay 0), no depth bound, every invariant\n`);
  header();
  const full: Run[] = [
    ['baseline: no memoised transitions, liveness, 1 worker', complete, 1, false],
    ['liveness, 1 worker', complete, 1],
    [`liveness, ${workers} workers`, complete, workers],
    ['safety only, 1 worker', { ...complete, liveness: false }, 1],
    [`safety only, ${workers} workers`, { ...complete, liveness: false }, workers],
  ];
  const m = await table(full);
  Object.assign(measured, m);
  const withLiveness = Math.min(m[full[1][0]].seconds, m[full[2][0]].seconds);
  const safetyOnly = Math.min(m[full[3][0]].seconds, m[full[4][0]].seconds);
  console.log(
    `\ntarget: the complete 3x3 search with one crash and one restart in under 60 s: ${withLiveness < 60 ? 'met' : 'NOT met'} with liveness walks (best ${withLiveness.toFixed(1)} s), ${safetyOnly < 60 ? 'met' : 'NOT met'} safety only (best ${safetyOnly.toFixed(1)} s)`,
  );

  // KIP-848 has no symmetry (member ids name the client), so 3 members would be 6 times more
  // states than classic's reduced search (over a million): 2 members x 3 partitions.
  console.log(`\nexplore consumer/uniform (KIP-848) 2 members x 3 partitions completely, the same budgets and network (no symmetry)\n`);
  header();
  const consumer: ExploreSpec = { ...complete, protocol: 'consumer', assignor: 'uniform', members: 2, symmetry: false };
  Object.assign(
    measured,
    await table([
      ['consumer: liveness, 1 worker', consumer, 1],
      ['consumer: safety only, 1 worker', { ...consumer, liveness: false }, 1],
    ]),
  );
}
const best = Math.max(...Object.values(measured).map((m) => m.rate));
console.log(
  `target: >= 200,000 distinct states/s on one core: ${best >= 200_000 ? 'met' : 'NOT met'} (best ${fmt(best).trim()} states/s; see docs/explore.md, Exhaustive exploration)`,
);

// Mutation analysis (docs/mutate.md): the score and the targets. BENCH_MUTATE=quick (the
// default) runs every 20th mutant, `full` all of them (as `npx rebalance-check mutate`), 0 none.
const mutateMode = process.env.BENCH_MUTATE ?? 'quick';
if (mutateMode !== '0') {
  const shard = mutateMode === 'full' ? undefined : { index: 0, count: 20 };
  const started = performance.now();
  const results = await runMutation({ shard, budget: defaultBudget, jobs: 1 });
  const records = loadSurvivors(defaultSurvivorsFile);
  const { total } = scores(results, records);
  console.log(
    `\nmutation analysis, ${mutateMode === 'full' ? 'every mutant' : 'every 20th mutant (BENCH_MUTATE=full for all)'}: ${total.mutants} mutants, ${total.killed} killed, ${total.survived} survived, ${total.notReached} not reached, ${total.equivalent} recorded equivalent; ${((performance.now() - started) / 1000).toFixed(0)} s on one worker\n`,
  );
  for (const line of targetLines(figures(results, records))) console.log(`target: ${line}`);
}
