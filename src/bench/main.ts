import seedrandom from 'seedrandom';
import { allFaults, session, worldConfig } from '../check/config.ts';
import { runPicks, type Session } from '../check/run.ts';
import { buildModel } from '../world/model.ts';

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
console.log(`3 members x 6 partitions, all faults, every invariant, ${RUNS} runs of ${STEPS} random steps (node ${process.version}, one core)\n`);
console.log(`${'configuration'.padEnd(92)} ${'runs/s'.padStart(9)} ${'steps/s'.padStart(9)} ${'x baseline'.padStart(10)}`);
const hot: number[] = [];
for (const sc of scenarios) {
  const config = worldConfig({ protocol: sc.protocol, assignor: sc.assignor, members: 3, partitions: 6, faults: allFaults, static: sc.static });
  for (const liveness of [false, true]) {
    const fast = session(config, undefined, liveness);
    const plain: Session = { ...fast, model: buildModel({}, 'plain') };
    const what = `${sc.label}, ${liveness ? '+ fair schedule and liveness check' : 'safety invariants only'}`;
    const base = measure(plain, inputs);
    const mine = measure(fast, inputs);
    if (!liveness) hot.push(mine.runsPerSec);
    for (const [label, m] of [[`baseline xstate transition(): ${what}`, base], [`reused scope (hot loop):      ${what}`, mine]] as const) {
      console.log(`${label.padEnd(92)} ${fmt(m.runsPerSec)} ${fmt(m.stepsPerSec)} ${(m.runsPerSec / base.runsPerSec).toFixed(2).padStart(10)}`);
    }
  }
}
const worst = Math.min(...hot);
console.log(`\ntarget: >= 1,000 runs/s of ${STEPS}-step runs on one core (safety invariants): ${worst >= 1000 ? 'met' : 'NOT met'} (slowest ${fmt(worst).trim()} runs/s)`);
