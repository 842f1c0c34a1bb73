import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { runArbitrary } from './campaign.ts';
import { runPicks, type Session } from '../run/run.ts';
import { describeChoice } from '../world/describe.ts';

/** The property every protocol suite states: random runs (swarm faults, then the fair schedule) keep every invariant of the session. */
export function everyInvariantHolds(
  s: Session,
  opts: { numRuns: number; seed: number; maxSteps?: number },
  name = 'every invariant holds after every step',
): void {
  test.prop([runArbitrary(opts.maxSteps ?? 60)], { numRuns: opts.numRuns, seed: opts.seed })(name, (picks) => {
    const r = runPicks(s, picks);
    expect(
      r.violation,
      r.violation && `${r.violation.invariant}: ${r.violation.message} at ${describeChoice(r.violation.choice)}`,
    ).toBeUndefined();
  });
}
