import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { noBudgets } from '../explore/bounds.ts';
import { exploreParallel } from '../explore/parallel.ts';
import type { ExploreSpec } from '../explore/spec.ts';
import { noFaults, session, worldConfig } from '../run/config.ts';
import { runPicks } from '../run/run.ts';
import { num as fmt } from '../core/format.ts';

// The anchors: equivalent models of the classic eager protocol (2 consumers x 2 partitions,
// range, at most one lost message, messages delivered before time moves on) for Spin and Quint,
// in bench/anchors (each file's header says what it abstracts and why its state count differs
// from ours). Run when `spin` (and gcc) or Quint are installed: Quint from QUINT_BIN, or
// `quint` on the PATH (npm package @informalsystems/quint; bench/anchors/quint-package.json
// holds the override it needs). Their speed is printed next to ours, measured in this run.

const dir = resolve(import.meta.dirname, '../../bench/anchors');

const found = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).error === undefined;

/** The children's CPU seconds from the last line bash's `times` printed ("0m0.350s 0m0.020s"). */
const childCpu = (out: string): number => {
  const last = out.trim().split('\n').at(-1)!;
  return [...last.matchAll(/(\d+)m([\d.]+)s/g)].reduce((t, m) => t + Number(m[1]) * 60 + Number(m[2]), 0);
};

/** Spin on classic-eager.pml: states stored, seconds, bytes per state; undefined if not installed. */
function spin(): { states: number; seconds: number; bytesPerState: number } | undefined {
  if (!found('spin', ['-V']) || !found('gcc', ['--version'])) return undefined;
  const work = mkdtempSync(join(tmpdir(), 'anchor-spin-'));
  copyFileSync(join(dir, 'classic-eager.pml'), join(work, 'classic-eager.pml'));
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0 && cmd !== './pan') throw new Error(`bench: ${cmd} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('spin', ['-a', 'classic-eager.pml']);
  run('gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c']);
  // bash's `times` prints the CPU time of the children (pan): user and system.
  const out = run('bash', ['-c', './pan -m100000; times']);
  const states = Number(/(\d+) states, stored/.exec(out)?.[1]);
  const seconds = childCpu(out);
  const mb = Number(/([\d.]+)\s+actual memory usage for states/.exec(out)?.[1]);
  return { states, seconds, bytesPerState: (mb * 1024 * 1024) / states };
}

/** Quint's simulator on classic-eager.qnt: steps per second; undefined if not installed. */
function quint(samples: number): { steps: number; seconds: number } | undefined {
  const bin = process.env.QUINT_BIN ?? 'quint';
  if (!found(bin, ['--version'])) return undefined;
  const home = process.env.QUINT_HOME ?? mkdtempSync(join(tmpdir(), 'anchor-quint-'));
  const args = ['run', '--backend', 'typescript', '--max-samples', String(samples), '--max-steps', '60', join(dir, 'classic-eager.qnt')];
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', '"$@" 2>&1; times', 'quint', bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, QUINT_HOME: home },
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - t0) / 1000;
  const out = r.stdout;
  const ms = Number(/\((\d+)ms at [\d.]+ traces\/second\)/.exec(out)?.[1]);
  const average = Number(/average=([\d.]+)/.exec(out)?.[1]);
  if (!Number.isFinite(ms) || !Number.isFinite(average)) throw new Error(`bench: could not read quint's output:\n${out.slice(-2000)}`);
  // Quint times its simulation on the wall clock; scaled by the CPU share its process got
  // (CPU time over wall time, start-up included) to compare with our CPU-second rates.
  const share = Math.min(1, childCpu(out) / wall);
  // A trace of n states is n - 1 steps.
  return { steps: samples * (average - 1), seconds: (ms / 1000) * share };
}

export async function anchors(target: (what: string, met: boolean, figures: string) => void, cpuSeconds: () => number): Promise<void> {
  console.log(
    '\nanchor instance: eager/range 2 members x 2 partitions, at most 1 lost message, no crash or restart, --max-delay 0, safety only\n',
  );
  const spec: ExploreSpec = {
    protocol: 'eager',
    assignor: 'range',
    members: 2,
    partitions: 2,
    topics: 1,
    static: false,
    slowCallbacks: false,
    slowAssignLost: false,
    variant: null,
    bounds: { budgets: { ...noBudgets, drop: 1 }, maxDepth: 10_000, maxInFlight: 8, maxTimeMs: Infinity, maxDelayMs: 0 },
    symmetry: true,
    liveness: false,
    coverage: false,
  };
  const timed = async (x: ExploreSpec) => {
    const c0 = cpuSeconds();
    const r = await exploreParallel(x, 1);
    return { ...r, seconds: cpuSeconds() - c0 };
  };
  const ours = await timed(spec);
  const oursFlat = await timed({ ...spec, symmetry: false });
  const rate = ours.states / ours.seconds;
  const flatRate = oursFlat.states / oursFlat.seconds;
  console.log(
    `  rebalance-check explore (symmetry):    ${fmt(ours.states).padStart(9)} states ${ours.seconds.toFixed(2).padStart(7)} s ${fmt(rate).padStart(9)} states/s`,
  );
  console.log(
    `  rebalance-check explore (no symmetry): ${fmt(oursFlat.states).padStart(9)} states ${oursFlat.seconds.toFixed(2).padStart(7)} s ${fmt(flatRate).padStart(9)} states/s`,
  );
  const s = spin();
  if (!s) console.log('  Spin: not installed (apt-get install spin), skipped');
  else {
    const spinRate = s.states / s.seconds;
    console.log(
      `  Spin (pan -DSAFETY):                   ${fmt(s.states).padStart(9)} states ${s.seconds.toFixed(2).padStart(7)} s ${fmt(spinRate).padStart(9)} states/s, ${fmt(s.bytesPerState)} bytes/state`,
    );
    const best = Math.max(rate, flatRate);
    console.log(
      `  Spin / ours, states/s: x${(spinRate / best).toFixed(1)}. The state counts differ by design: the .pml has no clock (any armed timer may fire once the network is empty), one member record per client, no commits, metadata or poll timer, and saturating ids (its header lists each).`,
    );
    target(
      "explore within 5x of Spin's states/s on the anchor instance",
      spinRate / best <= 5,
      `Spin ${fmt(spinRate)}, ours ${fmt(best)} states/s (x${(spinRate / best).toFixed(1)})`,
    );
  }

  // Quint's simulator against check's random runs of the same length on the same instance.
  const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, faults: { ...noFaults, loss: true } });
  const sess = session(config, undefined, false);
  const rng = seedrandom('anchor');
  const runs = Number(process.env.BENCH_ANCHOR_RUNS ?? 2000);
  const inputs = Array.from({ length: runs }, () => Array.from({ length: 60 }, () => Math.floor(rng() * 0x7fffffff)));
  let steps = 0;
  const t0 = cpuSeconds();
  for (const p of inputs) steps += runPicks(sess, p).trace.length;
  const secs = cpuSeconds() - t0;
  console.log(`\n  rebalance-check check (60-step runs, safety): ${fmt(steps / secs).padStart(9)} steps/s (${fmt(runs / secs)} runs/s)`);
  const q = existsSync(join(dir, 'classic-eager.qnt')) ? quint(Number(process.env.BENCH_QUINT_SAMPLES ?? 100)) : undefined;
  if (!q) console.log('  Quint: not installed (set QUINT_BIN, see bench/anchors/README.md), skipped');
  else {
    const qRate = q.steps / q.seconds;
    console.log(
      `  Quint simulator (typescript backend):          ${fmt(qRate).padStart(9)} steps/s; ours / Quint: x${(steps / secs / qRate).toFixed(1)}`,
    );
  }
}
