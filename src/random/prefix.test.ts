import { expect, test } from 'vitest';
import { campaign } from './campaign.ts';
import { findCounterexample } from './find.ts';
import { allFaults, session, worldConfig } from '../run/config.ts';
import { findVariant } from '../variants/catalogue.ts';

// Runs are prefix-stable: run i of a seed is generated from (seed, i) alone, and shrinking's
// budget does not depend on --runs, so a failure found with N runs is found at the same run,
// and reported identically, with 10 N runs.

const variant = findVariant('leader-not-rechosen')!;
const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults, variant });

test('a planted bug found at run k with --runs N is found at run k with --runs 10N, and shrinks to the same counterexample', () => {
  const s = session(config, variant);
  const first = campaign(s, { runs: 10_000, seed: 42, maxSteps: 60, shrink: false });
  const k = first.failure!.runIndex;
  expect(k).toBeGreaterThan(0);
  const n = k + 1;
  const few = findCounterexample(config, variant, { runs: n, seed: 42, maxSteps: 60, shrinkBudget: 300, shrinkInstance: false });
  const many = findCounterexample(config, variant, { runs: 10 * n, seed: 42, maxSteps: 60, shrinkBudget: 300, shrinkInstance: false });
  expect(few.failure!.runIndex).toBe(k);
  expect(many.failure!.runIndex).toBe(k);
  expect(JSON.stringify(many.counterexample)).toBe(JSON.stringify(few.counterexample));
});

test('a deadline stops a campaign where it fell: the runs before it are the same runs', () => {
  const s = session(config, undefined);
  const done: number[] = [];
  const r = campaign(s, { runs: 1_000_000, seed: 42, maxSteps: 60, deadline: Date.now() + 300, onRun: (n) => done.push(n) });
  expect(r.stopped).toBe('deadline');
  expect(r.runs).toBe(done.length);
  expect(r.runs).toBeLessThan(1_000_000);
});
