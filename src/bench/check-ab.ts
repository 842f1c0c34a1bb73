import { createHash } from 'node:crypto';
import { benchCampaigns, benchPicks, cpuSeconds } from './campaigns.ts';

// Before and after in one process: the check campaigns of `npm run bench` (3 members x 6
// partitions, all faults, 50-step random runs) through two checkouts' code, loaded side by side
// and run alternately in chunks of 20 runs, so that the load of a shared machine falls on both
// alike. Rates per CPU second, the median of the rounds. Each campaign also compares a digest of
// every run's trace and verdict (half the runs with swarm bits and run modes): a speed change
// must leave them identical.
//
//   node --max-semi-space-size=32 --import tsx src/bench/check-ab.ts <other checkout> [RUNS=400 ROUNDS=2 ONLY=coop]
//
// The other checkout needs its node_modules (a symlink to this one's will do).

type Loaded = {
  cfg: typeof import('../run/config.ts');
  run: typeof import('../run/run.ts');
};

const other = process.argv[2];
if (!other) {
  console.error('usage: check-ab.ts <other checkout>');
  process.exit(2);
}
const here = new URL('../..', import.meta.url).pathname;
const load = async (root: string): Promise<Loaded> => ({
  cfg: await import(`${root}/src/run/config.ts`),
  run: await import(`${root}/src/run/run.ts`),
});
const before = await load(other);
const after = await load(here);
const RUNS = Number(process.env.RUNS ?? 400);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const CHUNK = 20;
const inputs = benchPicks(RUNS);
const cpu = cpuSeconds;
const scenarios = benchCampaigns;

function digest(m: Loaded, s: ReturnType<Loaded['cfg']['session']>): string {
  const h = createHash('sha1');
  for (const [i, picks] of inputs.entries()) {
    const r = m.run.runPicks(s, i % 2 ? picks : { swarm: (i * 7919) % 0x10000, picks });
    h.update(JSON.stringify(r.trace));
    h.update(JSON.stringify(r.violation ?? null));
  }
  return h.digest('hex');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${RUNS} runs per campaign, ${ROUNDS} rounds; before: ${other}, after: ${here}; runs per CPU second\n`);
for (const sc of scenarios) {
  if (process.env.ONLY && !sc.label.startsWith(process.env.ONLY)) continue;
  for (const liveness of [false, true]) {
    const sessionOf = (m: Loaded) =>
      m.cfg.session(
        m.cfg.worldConfig({
          protocol: sc.protocol,
          assignor: sc.assignor,
          members: 3,
          partitions: 6,
          faults: m.cfg.allFaults,
          static: sc.static,
        }),
        undefined,
        liveness,
        'compiled',
      );
    const sb = sessionOf(before);
    const sa = sessionOf(after);
    const same = digest(before, sb) === digest(after, sa);
    const tb: number[] = [];
    const ta: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let b = 0;
      let a = 0;
      for (let i = 0; i < inputs.length; i += CHUNK) {
        const chunk = inputs.slice(i, i + CHUNK);
        // Alternate which goes first, so neither always meets the other's garbage.
        for (const first of i % (2 * CHUNK) === 0 ? [true, false] : [false, true]) {
          const t0 = cpu();
          for (const p of chunk) (first ? before : after).run.runPicks(first ? sb : sa, p);
          if (first) b += cpu() - t0;
          else a += cpu() - t0;
        }
      }
      tb.push(b);
      ta.push(a);
    }
    const rb = RUNS / median(tb);
    const ra = RUNS / median(ta);
    console.log(
      `${`${sc.label}, ${liveness ? '+ fair schedule and liveness' : 'safety only'}`.padEnd(75)} before ${rb.toFixed(0).padStart(5)}  after ${ra.toFixed(0).padStart(5)}  x${(ra / rb).toFixed(2)}  ${same ? 'same runs' : 'DIFFERENT RUNS'}`,
    );
    if (!same) process.exitCode = 1;
  }
}
