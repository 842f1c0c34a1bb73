import seedrandom from 'seedrandom';
import { allFaults, session, worldConfig } from '../check/config.ts';
import { runPicks, type Session } from '../check/run.ts';
import { buildModel } from '../world/model.ts';

// npm run bench: runs/s and steps/s of the random runner on 3 members x 6 partitions,
// 50-step runs, every invariant on, all faults on. The baseline is the same runs through
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
const rows: Array<[string, ReturnType<typeof measure>]> = [];
for (const liveness of [false, true]) {
  const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults });
  const fast = session(config, undefined, liveness);
  const plain: Session = { ...fast, model: buildModel({}, 'plain') };
  const label = liveness ? '50 random steps + fair schedule and liveness check' : '50 random steps, safety invariants';
  rows.push([`baseline xstate transition(), ${label}`, measure(plain, inputs)]);
  rows.push([`reused scope (the hot loop),   ${label}`, measure(fast, inputs)]);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
console.log(`eager/range, 3 members x 6 partitions, all faults, ${RUNS} runs (node ${process.version}, one core)\n`);
console.log(`${'configuration'.padEnd(88)} ${'runs/s'.padStart(9)} ${'steps/s'.padStart(9)} ${'x baseline'.padStart(10)}`);
for (let i = 0; i < rows.length; i += 2) {
  const base = rows[i][1];
  for (const [label, m] of [rows[i], rows[i + 1]]) {
    console.log(`${label.padEnd(88)} ${fmt(m.runsPerSec)} ${fmt(m.stepsPerSec)} ${(m.runsPerSec / base.runsPerSec).toFixed(2).padStart(10)}`);
  }
}
const hot = rows[1][1];
console.log(`\ntarget: >= 1,000 runs/s of 50-step runs on one core: ${hot.runsPerSec >= 1000 ? 'met' : 'NOT met'} (${fmt(hot.runsPerSec).trim()} runs/s)`);
