import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

// `check --jobs` (src/cli/check-parallel.ts): the default `check`, every campaign, through the
// command line, on 1 worker and on as many as there are cores, alternately. Wall clock, not CPU
// time: what parallel campaigns buy is the wall clock of the command. Both read the same
// machine in the same minutes, so the ratio is what to read.

const repo = join(import.meta.dirname, '../..');

function wallSeconds(runs: number, jobs: number): number {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(repo, 'bin/rebalance-check.js'), 'check', '--runs', String(runs), '--jobs', String(jobs), '--no-save'],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  if (r.status !== 0) throw new Error(`check --jobs ${jobs} exited ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  return (performance.now() - started) / 1000;
}

export function benchJobs(runs: number, rounds = 2): void {
  const cores = availableParallelism();
  if (cores < 2) {
    console.log('\ncheck --jobs: one core here, nothing to compare');
    return;
  }
  const times: Record<number, number[]> = { 1: [], [cores]: [] };
  for (let i = 0; i < rounds; i++) for (const jobs of [1, cores]) times[jobs].push(wallSeconds(runs, jobs));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const one = median(times[1]);
  const many = median(times[cores]);
  console.log(
    `\nthe default check (every campaign, ${runs} runs each) by the command line, wall clock, median of ${rounds} rounds, alternately:`,
  );
  console.log(`  --jobs 1:        ${one.toFixed(1).padStart(7)} s`);
  console.log(`  --jobs ${String(cores).padEnd(9)} ${many.toFixed(1).padStart(7)} s   x${(one / many).toFixed(2)} (${cores} cores)`);
}
