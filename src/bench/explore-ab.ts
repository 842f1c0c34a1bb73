// Before and after in one process, for the explorer: the bench's 3x3 cooperative searches
// through two checkouts' code, loaded side by side and run alternately (before, after, before,
// after...), so that the load of a shared machine falls on both alike. Per search: the states
// (which must be the same on both sides), the median CPU seconds and states per CPU second, the
// state store per state, and the peak heap the search added per state (after a full collection
// when node runs with --expose-gc).
//
//   npm run bench:explore-ab -- <other checkout>   (env: ROUNDS=2, DEPTH=40, COMPLETE=1 adds the complete search)
//
// The other checkout needs its node_modules (a symlink to this one's will do).

import type { ExploreSpec } from '../explore/spec.ts';

type Loaded = { spec: typeof import('../explore/spec.ts'); bounds: typeof import('../explore/bounds.ts') };

const other = process.argv[2];
if (!other) {
  console.error('usage: explore-ab.ts <other checkout>');
  process.exit(2);
}
const here = new URL('../..', import.meta.url).pathname;
const load = async (root: string): Promise<Loaded> => ({
  spec: await import(`${root}/src/explore/spec.ts`),
  bounds: await import(`${root}/src/explore/bounds.ts`),
});
const sides = { before: await load(other), after: await load(here) };
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const DEPTH = Number(process.env.DEPTH ?? 40);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const base = (m: Loaded): ExploreSpec => ({
  protocol: 'cooperative',
  assignor: 'cooperative-sticky',
  members: 3,
  partitions: 3,
  topics: 1,
  static: false,
  slowCallbacks: false,
  slowAssignLost: false,
  variant: null,
  bounds: { budgets: { ...m.bounds.noBudgets, crash: 1, start: 1 }, maxDepth: 7, maxInFlight: 8, maxTimeMs: Infinity },
  symmetry: true,
  liveness: true,
  coverage: false,
});
const searches: Array<[string, (m: Loaded) => ExploreSpec]> = [
  ['depth <= 7, liveness', base],
  ['depth <= 7, safety only', (m) => ({ ...base(m), liveness: false })],
  [
    `bounded-delay network, depth <= ${DEPTH}, safety only`,
    (m) => ({ ...base(m), liveness: false, bounds: { ...base(m).bounds, maxDepth: DEPTH, maxDelayMs: 0 } }),
  ],
  [
    `bounded-delay network, depth <= ${DEPTH}, liveness`,
    (m) => ({ ...base(m), bounds: { ...base(m).bounds, maxDepth: DEPTH, maxDelayMs: 0 } }),
  ],
];
if (process.env.COMPLETE === '1')
  searches.push([
    'bounded-delay network, complete, safety only',
    (m) => ({ ...base(m), liveness: false, bounds: { ...base(m).bounds, maxDepth: 10_000, maxDelayMs: 0 } }),
  ]);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number, w: number) => Math.round(x).toLocaleString('en-US').padStart(w);
console.log(`${ROUNDS} rounds; before: ${other}, after: ${here}; CPU seconds, medians\n`);
console.log(
  `${'search'.padEnd(48)} ${'side'.padEnd(6)} ${'states'.padStart(9)} ${'CPU s'.padStart(7)} ${'states/s'.padStart(9)} ${'store/st'.padStart(8)} ${'heap/st'.padStart(8)}`,
);
for (const [label, make] of searches) {
  const runs: Record<string, Array<{ states: number; seconds: number; store: number; heap: number }>> = { before: [], after: [] };
  for (let round = 0; round < ROUNDS; round++)
    for (const side of ['before', 'after'] as const) {
      const m = sides[side];
      gc();
      const heap0 = process.memoryUsage().heapUsed;
      const c0 = cpu();
      const r = m.spec.exploreSpec(make(m));
      const seconds = cpu() - c0;
      runs[side].push({ states: r.states, seconds, store: r.storeBytes / r.states, heap: Math.max(0, r.heapBytes - heap0) / r.states });
    }
  const counts = new Set([...runs.before, ...runs.after].map((r) => r.states));
  for (const side of ['before', 'after'] as const) {
    const rs = runs[side];
    const s = median(rs.map((r) => r.seconds));
    console.log(
      `${label.padEnd(48)} ${side.padEnd(6)} ${fmt(rs[0].states, 9)} ${s.toFixed(1).padStart(7)} ${fmt(rs[0].states / s, 9)} ${fmt(median(rs.map((r) => r.store)), 8)} ${fmt(median(rs.map((r) => r.heap)), 8)}`,
    );
  }
  const ratio = median(runs.before.map((r) => r.seconds)) / median(runs.after.map((r) => r.seconds));
  console.log(`${''.padEnd(48)} after / before: x${ratio.toFixed(2)}${counts.size === 1 ? ', same states' : ', STATE COUNTS DIFFER'}\n`);
}
