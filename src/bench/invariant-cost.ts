import { benchCampaigns, benchPicks, campaignConfig, cpuSeconds } from './campaigns.ts';
import type { Invariant } from '../../properties/invariant.ts';
import { session } from '../run/config.ts';
import { runPicks, type Session } from '../run/run.ts';
import type { Choice, World } from '../world/types.ts';

// Where a `check` step's time goes among the safety invariants: each invariant's share of the
// CPU time of a default campaign (3 members x 6 partitions, all faults, 50-step random runs,
// fair schedule and liveness), to say which invariants are worth making cheaper.
//
// How: the campaign's runs are timed as `check` runs them; the same runs are run once more with
// every step recorded (the worlds are never changed once made, so keeping them is free of
// copies); then each safety invariant alone is timed over every recorded step, in order (so
// that the invariants' own caches keyed by the previous step's world work as in a run). An
// invariant timed alone pays for the step facts (step-facts.ts) that in a run the first
// invariant asking computes for the others, so the shares add up to more than the invariants'
// real part; every invariant in turn at each step, as `check` runs them, is timed too (their
// real part together). The liveness invariants (checked once per run) are left out.
//
//   node --import tsx src/bench/invariant-cost.ts     (RUNS=300 TOP=12)
// or as a section of `npm run bench` (BENCH_INVARIANT_COST=0 skips it).

type Step = [World, Choice, World];

/** CPU seconds of these invariants, in turn at each step, over the whole list of steps, once warmed up. */
function timeOver(invs: readonly Invariant[], steps: readonly Step[], s: Session): number {
  let t0 = 0;
  for (let round = 0; round < 2; round++) {
    t0 = cpuSeconds();
    for (const [b, c, a] of steps) for (const inv of invs) inv.check(b, c, a, s.config);
  }
  return cpuSeconds() - t0;
}

export interface InvariantCost {
  campaign: string;
  runsPerSec: number;
  steps: number;
  /** Each safety invariant's CPU seconds over the campaign's steps, as a share of the campaign's CPU time. */
  shares: Array<{ id: string; share: number }>;
  /** Every safety invariant in turn at each step, as `check` runs them: their share together. */
  together: number;
}

export function invariantCosts(runs: number): InvariantCost[] {
  const inputs = benchPicks(runs);
  const out: InvariantCost[] = [];
  for (const c of benchCampaigns) {
    const s = session(campaignConfig(c), undefined, true, 'compiled');
    for (const p of inputs) runPicks(s, p); // warm-up: the same runs once, so that the JIT has settled
    const t0 = cpuSeconds();
    for (const p of inputs) runPicks(s, p);
    const total = cpuSeconds() - t0;
    const steps: Step[] = [];
    const recording: Session = { ...s, observe: (b, ch, a) => steps.push([b, ch, a]) };
    for (const p of inputs) runPicks(recording, p);
    const safety = s.invariants.filter((inv) => inv.kind === 'safety');
    const shares = safety.map((inv) => ({ id: inv.id, share: timeOver([inv], steps, s) / total })).sort((x, y) => y.share - x.share);
    const together = timeOver(safety, steps, s) / total;
    out.push({ campaign: c.label, runsPerSec: runs / total, steps: steps.length, shares, together });
  }
  return out;
}

/** Prints each campaign's invariants by share, the `top` largest by name. */
export function benchInvariantCost(runs: number, top = 12): void {
  console.log(
    `\nsafety invariants' share of a default campaign's CPU time (${runs} runs of 50 random steps + fair schedule; each invariant timed alone over the recorded steps)`,
  );
  for (const r of invariantCosts(runs)) {
    const all = r.shares.reduce((x, y) => x + y.share, 0);
    const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;
    console.log(
      `\n  ${r.campaign}: ${Math.round(r.runsPerSec)} runs/s, ${r.steps} steps; ${r.shares.length} safety invariants: ${pct(r.together).trim()} of the time run in turn as check runs them (${pct(all).trim()} timed one by one)`,
    );
    for (const x of r.shares.slice(0, top)) console.log(`    ${pct(x.share)}  ${x.id}`);
    const rest = r.shares.slice(top).reduce((x, y) => x + y.share, 0);
    if (r.shares.length > top) console.log(`    ${pct(rest)}  the other ${r.shares.length - top}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchInvariantCost(Number(process.env.RUNS ?? 300), Number(process.env.TOP ?? 12));
