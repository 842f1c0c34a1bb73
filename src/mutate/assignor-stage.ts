import { checkCallee } from '../assignor-check/check.ts';
import { inThreadCallee } from '../assignor-check/sandbox.ts';
import { mutateClientAssignor } from './assignor-mutants.ts';

// A client-side assignor mutant that the protocol runs do not kill gets one more stage: the
// assignor alone, on generated groups, judged by the properties `rebalance-check assignor`
// checks (docs/assignor.md) under the built-in assignor's own claims, as Kafka's assignor tests
// feed AbstractStickyAssignor subscriptions with owned partitions and generations
// (testAssignmentWithConflictingPreviousGenerations,
// testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration). It reaches what the protocol
// runs almost never show a leader: two members claiming one partition at different generations
// (KIP-792), which decides the sticky assignors' `ignore-generations`, `trust-every-claim` and
// `contested-to-both` mutants. Seeded, a fixed number of groups per property: a verdict is a
// function of (mutant, seed).

/** Generated groups per property. */
export const STAGE_RUNS = 100;

export interface StageKill {
  invariant: string;
  message: string;
}

/** The first property the mutated assignor breaks, if any (`onRun` counts its calls, as the mutant's reach). */
export function assignorStage(name: string, op: string, seed: number, budgetMs: number, onRun: () => void): StageKill | undefined {
  const callee = inThreadCallee(mutateClientAssignor(name, op, onRun), { timeoutMs: 2_000 });
  try {
    const report = checkCallee(callee, { runs: STAGE_RUNS, seed, modelRuns: 0, budgetMs: Math.max(1, budgetMs) });
    const failed = report.results.find((r) => r.status === 'fails');
    if (!failed) return undefined;
    const why = failed.counterexample?.failure.message ?? 'fails';
    return { invariant: `assignor:${failed.id}`, message: why };
  } finally {
    callee.close();
  }
}
