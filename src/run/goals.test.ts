import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { goals, goalsFor } from '../../properties/goals/index.ts';
import type { Choice, World, WorldConfig } from '../world/types.ts';
import { campaign } from '../random/campaign.ts';
import { findVariant } from '../variants/catalogue.ts';
import { allFaults, session, worldConfig } from './config.ts';
import { GoalTracker, missedGoals } from './goals.ts';
import { runChoices } from './run.ts';

// Every reachability goal is reachable: a stored run (src/bench/goal-witnesses.ts found it)
// replays by meaning through the one step function and reaches it; and no goal is a
// tautology: its run has steps that do not reach it.

interface Witness {
  goal: string;
  config: WorldConfig;
  choices: Choice[];
}
const witnesses: Witness[] = JSON.parse(readFileSync(new URL('./fixtures/goal-witnesses.json', import.meta.url), 'utf8'));

test('at least 20 goals, across classic eager, cooperative, static and KIP-848, with unique ids', () => {
  expect(goals.length).toBeGreaterThanOrEqual(20);
  expect(new Set(goals.map((g) => g.id)).size).toBe(goals.length);
  for (const p of ['eager', 'cooperative', 'consumer'] as const)
    expect(goals.filter((g) => g.protocols.includes(p)).length).toBeGreaterThan(3);
  expect(goals.filter((g) => g.needs?.text.includes('static')).length).toBeGreaterThanOrEqual(4);
});

describe.each(goals.map((g) => [g.id, g] as const))('goal %s', (id, goal) => {
  test('is reached by its stored run, which has steps that do not reach it', () => {
    const w = witnesses.find((x) => x.goal === id);
    expect(w, `no stored run for ${id}: run npx tsx src/bench/goal-witnesses.ts`).toBeDefined();
    expect(goalsFor(w!.config).map((g) => g.id)).toContain(id);
    const tracker = new GoalTracker(w!.config);
    let steps = 0;
    const s = {
      ...session(w!.config),
      liveness: false,
      observe: (b: World, c: Choice, a: World) => {
        steps++;
        tracker.observe(b, c, a);
      },
    };
    const r = runChoices(s, w!.choices);
    expect(r.violation).toBeUndefined();
    expect(r.trace.length).toBe(w!.choices.length);
    expect(tracker.hits.get(id) ?? 0).toBeGreaterThan(0);
    expect(tracker.hits.get(id)).toBeLessThan(steps);
    expect(goal.statement.length).toBeGreaterThan(10);
  });
});

test('a goal that applies and was never reached is reported missed; one that does not apply is not', () => {
  const w = witnesses.find((x) => x.goal === 'failover-awaiting-sync')!;
  const t = new GoalTracker(w.config);
  const report = t.report();
  expect(missedGoals(report).map((g) => g.id)).toContain('failover-awaiting-sync');
  const staticOnly = report.find((g) => g.id === 'static-restart-while-preparing')!;
  expect(staticOnly.applies).toBe(false);
  expect(staticOnly.needs).toMatch(/static/);
  t.merge({ 'failover-awaiting-sync': 2 });
  expect(missedGoals(t.report()).map((g) => g.id)).not.toContain('failover-awaiting-sync');
});

// A goal can fail: under a design that removes the situation it names, a campaign never reaches
// it, where the same campaign on the correct model does (and --require-goals would name it).
test.each([['session-expires-while-cut', 'no-session-expiry']])(
  'goal %s is never reached under the variant %s, and is on the correct model',
  (goal, name) => {
    const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults });
    const hits = (variant?: ReturnType<typeof findVariant>) => {
      const t = new GoalTracker(config);
      // Liveness off: the variants break eventually-stable, and the campaign must run to its end.
      campaign({ ...session(config, variant, false), observe: t.observe }, { runs: 120, seed: 42, maxSteps: 60, shrink: false });
      return t.hits.get(goal) ?? 0;
    };
    expect(hits()).toBeGreaterThan(0);
    expect(hits(findVariant(name))).toBe(0);
  },
);
