import fc from 'fast-check';
import { parseDesign, runScenario, scenarioSession, type Design } from './compare.ts';
import type { RunMetrics } from './metrics.ts';
import type { Change, CompareScenario } from './scenarios/index.ts';
import { client } from './scenarios/types.ts';
import type { Variant } from '../variants/variant.ts';

// The `quantities` campaign of `check`: properties over the figures of random runs, not over
// single steps. Each draws a random workload (group size, partitions, one change to a stable
// group) and a seed, runs it through the designs the property compares (as `compare` does:
// seeded latencies, timed callbacks), and states how their figures must relate. A failure is
// shrunk by fast-check like any other: fewer members, fewer partitions, a simpler change.

export interface Workload {
  members: number;
  partitions: number;
  change: 'join' | 'leave' | 'crash' | 'add-partition' | 'restart';
  /** Which member the change acts on (modulo the group size). */
  who: number;
  seed: number;
}

export interface QuantityProperty {
  id: string;
  statement: string;
  /** Design specs (as `compare` takes them); the design under test is the last one: a --variant applies to it. */
  designs: string[];
  /** Static membership for every design. */
  static?: boolean;
  /** Kinds of change the property is stated for. */
  changes: Workload['change'][];
  /** A message when the figures break the property (one RunMetrics per design, in order). */
  check(m: RunMetrics[]): string | undefined;
}

export const quantityProperties: QuantityProperty[] = [
  {
    id: 'cooperative-moves-no-more',
    statement: 'After one change to a stable group, cooperative (cooperative-sticky) moves no more partitions than eager (range).',
    designs: ['eager', 'cooperative'],
    changes: ['join', 'leave', 'crash', 'add-partition'],
    check: ([eager, coop]) => (coop.moved > eager.moved ? `cooperative moved ${coop.moved} partitions, eager ${eager.moved}` : undefined),
  },
  {
    id: 'static-restart-costs-nothing',
    statement: 'A static member that restarts within its session timeout causes no rebalance and moves no partition (KIP-345).',
    designs: ['cooperative'],
    static: true,
    changes: ['restart'],
    check: ([m]) =>
      m.rebalances > 0 || m.moved > 0 ? `the restart cost ${m.rebalances} rebalances and moved ${m.moved} partitions` : undefined,
  },
];

/** The script of a workload: a stable group, then the one change. */
export function workloadScenario(w: Workload, isStatic: boolean): CompareScenario {
  const name = (i: number) => `c${(i % w.members) + 1}`;
  const last = `c${w.members}`;
  const change: Change =
    w.change === 'join'
      ? { label: `${last} starts`, steps: [client('start', last)] }
      : w.change === 'leave'
        ? { label: `${name(w.who)} leaves`, steps: [client('close', name(w.who))] }
        : w.change === 'crash'
          ? { label: `${name(w.who)} crashes`, steps: [client('crash', name(w.who))] }
          : w.change === 'add-partition'
            ? { label: 'a partition is added', steps: [{ kind: 'addPartition', topic: 't0' }] }
            : {
                label: `${name(w.who)} restarts`,
                steps: [client('close', name(w.who)), { kind: 'closed', client: name(w.who) }, client('start', name(w.who))],
              };
  return {
    name: `random-${w.change}`,
    description: `${w.members} members x ${w.partitions} partitions, ${change.label}`,
    members: w.members,
    partitions: w.partitions,
    ...(w.change === 'join' && { initial: w.members - 1 }),
    static: isStatic,
    faults: { leave: true, crash: true, addPartitions: 1 },
    changes: [change],
  };
}

export const workloadArbitrary = (changes: Workload['change'][]): fc.Arbitrary<Workload> =>
  fc.record({
    members: fc.integer({ min: 2, max: 4 }),
    partitions: fc.integer({ min: 1, max: 8 }),
    change: fc.constantFrom(...changes),
    who: fc.nat({ max: 3 }),
    seed: fc.nat({ max: 1_000_000 }),
  });

export interface QuantityResult {
  id: string;
  statement: string;
  runs: number;
  failure?: { workload: Workload; scenario: string; message: string; shrinks: number; path: string };
}

/** Runs every property (or those named) over `runs` random workloads; `variant` replaces the design under test. */
export async function quantitiesCampaign(opts: {
  runs: number;
  seed: number;
  variant?: Variant;
  only?: string[];
  path?: string;
}): Promise<QuantityResult[]> {
  const out: QuantityResult[] = [];
  for (const q of quantityProperties) {
    if (opts.only && !opts.only.includes(q.id)) continue;
    const designs: Design[] = [];
    for (const spec of q.designs) designs.push(await parseDesign(spec));
    // The design under test, changed by the variant (its protocol and assignor kept).
    if (opts.variant) designs[designs.length - 1] = { ...designs[designs.length - 1], variant: opts.variant };
    const measure = (w: Workload): RunMetrics[] =>
      designs.map((d) => {
        const sc = workloadScenario(w, q.static === true);
        return runScenario(scenarioSession(d, sc), sc, w.seed).metrics;
      });
    const property = fc.property(workloadArbitrary(q.changes), (w) => q.check(measure(w)) === undefined);
    const details = fc.check(property, { numRuns: opts.runs, seed: opts.seed, path: opts.path });
    if (!details.failed) {
      out.push({ id: q.id, statement: q.statement, runs: details.numRuns });
      continue;
    }
    if (details.errorInstance && !details.counterexample) throw details.errorInstance;
    const [w] = details.counterexample!;
    out.push({
      id: q.id,
      statement: q.statement,
      runs: details.numRuns,
      failure: {
        workload: w,
        scenario: workloadScenario(w, q.static === true).description,
        message: q.check(measure(w))!,
        shrinks: details.numShrinks,
        path: details.counterexamplePath ?? '',
      },
    });
  }
  return out;
}
