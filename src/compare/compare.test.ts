import { describe, expect, test } from 'vitest';
import { compareDesigns, parseDesign, runScenario, scenarioSession, type ComparisonResult, type DesignResult } from './compare.ts';
import { comparisonHtml, comparisonTable } from './report.ts';
import { compareScenarios, findScenario } from './scenarios/index.ts';
import { served } from './metrics.ts';
import { inRevocationCallback, liveOwners } from '../world/view.ts';
import { initialWorld, step } from '../world/world.ts';
import type { World } from '../world/types.ts';

// The relations between eager, cooperative and KIP-848 consumer-protocol rebalancing that must
// hold in each built-in workload, measured from the runs (2 seeds each), and the table and page
// that show them.

const designs = await Promise.all(['eager', 'cooperative', 'consumer'].map(parseDesign));
const results = new Map<string, ComparisonResult>(
  compareScenarios.map((sc) => [sc.name, compareDesigns(designs, sc, { runs: 2, seed: 1 })]),
);
const all = (name: string): [DesignResult, DesignResult, DesignResult] =>
  results.get(name)!.designs as [DesignResult, DesignResult, DesignResult];
const mean = (d: DesignResult, k: keyof DesignResult['metrics']) => d.metrics[k].mean;

describe.each(compareScenarios.map((s) => s.name))('%s', (name) => {
  test('every invariant holds for every design, and every change settles', () => {
    for (const d of all(name)) {
      expect(d.violations, d.design).toEqual({});
      for (const t of d.timeToStableMs) expect(t.unsettled, `${d.design} after ${t.change}`).toBe(0);
    }
  });
  test('the table names every metric and design', () => {
    const t = comparisonTable(results.get(name)!);
    for (const s of ['rebalances', 'partitions moved', 'stop-the-world', 'time to stable', 'eager', 'cooperative', 'consumer'])
      expect(t).toContain(s);
  });
});

test('scale-out: eager stops everything and revokes partitions that come back; cooperative pays with a second rebalance', () => {
  const [eager, coop] = all('scale-out');
  expect(mean(eager, 'stopTheWorldMs')).toBeGreaterThan(mean(coop, 'stopTheWorldMs'));
  expect(mean(eager, 'revokedReturned')).toBeGreaterThan(0);
  expect(mean(coop, 'revokedReturned')).toBe(0);
  expect(mean(coop, 'rebalances')).toBeGreaterThanOrEqual(mean(eager, 'rebalances') + 1);
  // The moving partitions wait for the follow-up rebalance, which the other members only
  // hear of with their next heartbeat.
  expect(mean(coop, 'longestPauseMs')).toBeGreaterThan(mean(eager, 'longestPauseMs'));
  expect(coop.timeToStableMs[0].mean).toBeGreaterThan(eager.timeToStableMs[0].mean);
});

test.each(['scale-in', 'rolling-restart-dynamic', 'crash', 'partitions-added'])(
  '%s: cooperative never stops every partition, eager does',
  (name) => {
    const [eager, coop] = all(name);
    expect(mean(coop, 'stopTheWorldMs')).toBe(0);
    expect(mean(eager, 'stopTheWorldMs')).toBeGreaterThan(0);
    // In a rolling restart each bounced member's own partitions come back to it under both
    // protocols; eager also reshuffles the others (a restarted member's new id sorts last).
    if (name === 'rolling-restart-dynamic') expect(mean(coop, 'moved')).toBeLessThan(mean(eager, 'moved'));
    else expect(mean(coop, 'revokedReturned')).toBeLessThan(mean(eager, 'revokedReturned'));
    expect(mean(coop, 'pausedPartitionSeconds')).toBeLessThan(mean(eager, 'pausedPartitionSeconds'));
  },
);

test('crash: the partitions of the dead member wait for its session timeout', () => {
  for (const d of all('crash')) expect(d.timeToStableMs[0].mean).toBeGreaterThanOrEqual(10_000);
});

test('network-flap and coordinator-failover with default timers: no rebalance at all', () => {
  for (const name of ['network-flap', 'coordinator-failover'])
    for (const d of all(name)) expect(mean(d, 'rebalances'), `${name} ${d.design}`).toBe(0);
});

test('rolling-restart-static keeps partitions with their instance: nothing moves', () => {
  for (const d of all('rolling-restart-static')) expect(mean(d, 'moved')).toBe(0);
});

/**
 * Partitions whose owner before `change` (a choice kind) is their owner at the end, and those of
 * them that, in some world after it, were not processed while their owner was not inside
 * onPartitionsRevoked (the application thread runs the callback, so it processes nothing
 * then). Replays the run's choices (the runner's idle time changes no state).
 */
function pausesOfUnmoved(design: number, name: string, change: string, seed: number): { unmoved: string[]; paused: string[] } {
  const sc = findScenario(name)!;
  const s = scenarioSession(designs[design], sc);
  const run = runScenario(s, sc, seed);
  let w: World = initialWorld(s.config, s.model);
  const worlds: World[] = [];
  let before: Map<string, string[]> | null = null;
  for (const c of run.choices) {
    if (before === null && c.kind === change) before = liveOwners(w);
    w = step(w, c, s.config, s.model);
    if (before !== null) worlds.push(w);
  }
  const end = liveOwners(w);
  const unmoved = [...before!].filter(([p, o]) => o.length === 1 && end.get(p)?.join() === o.join()).map(([p]) => p);
  const inCallback = (x: World, owner: string) => inRevocationCallback(x.clients.find((c) => c.name === owner)!);
  const paused = unmoved.filter((p) => worlds.some((x) => !served(x).has(p) && !inCallback(x, before!.get(p)![0])));
  return { unmoved, paused };
}

test('scale-out, consumer protocol: no stop-the-world, one new target, unmoved partitions pause only for a revocation callback', () => {
  const [eager, coop, kip848] = all('scale-out');
  expect(mean(kip848, 'stopTheWorldMs')).toBe(0);
  expect(mean(kip848, 'revokedReturned')).toBe(0);
  expect(mean(kip848, 'moved')).toBeLessThanOrEqual(mean(coop, 'moved'));
  // The coordinator computes the target once; members reconcile towards it without a second round.
  expect(mean(kip848, 'rebalances')).toBeLessThan(mean(coop, 'rebalances'));
  expect(mean(kip848, 'pausedPartitionSeconds')).toBeLessThanOrEqual(mean(coop, 'pausedPartitionSeconds'));
  expect(mean(eager, 'stopTheWorldMs')).toBeGreaterThan(0);
  for (const seed of [1, 2]) {
    const k = pausesOfUnmoved(2, 'scale-out', 'start', seed);
    expect(k.unmoved.length, `seed ${seed}`).toBeGreaterThan(0);
    expect(k.paused, `seed ${seed}`).toEqual([]);
    // The same check catches eager's revoke-everything: its unmoved partitions do pause.
    expect(pausesOfUnmoved(0, 'scale-out', 'start', seed).paused.length, `eager seed ${seed}`).toBeGreaterThan(0);
  }
});

test.each(['scale-in', 'rolling-restart-dynamic', 'crash', 'partitions-added'])(
  '%s, consumer protocol: never stops every partition, pauses less than eager',
  (name) => {
    const [eager, , kip848] = all(name);
    expect(mean(kip848, 'stopTheWorldMs')).toBe(0);
    expect(mean(kip848, 'pausedPartitionSeconds')).toBeLessThan(mean(eager, 'pausedPartitionSeconds'));
  },
);

test('rolling-restart-static, consumer protocol: a static member back from its -2 leave takes over its assignment without a group epoch bump', () => {
  const kip848 = all('rolling-restart-static')[2];
  expect(mean(kip848, 'rebalances')).toBe(0);
  expect(mean(kip848, 'generations')).toBe(0);
});

test('a run is a function of the seed', () => {
  const sc = findScenario('scale-out')!;
  const a = compareDesigns(designs, sc, { runs: 2, seed: 7 });
  const b = compareDesigns(designs, sc, { runs: 2, seed: 7 });
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
});

test('designs: protocol/assignor, variants, and bad ones', async () => {
  expect(await parseDesign('eager/roundrobin')).toMatchObject({ protocol: 'eager', assignor: 'roundrobin' });
  expect(await parseDesign('cooperative')).toMatchObject({ protocol: 'cooperative', assignor: 'cooperative-sticky' });
  expect((await parseDesign('cooperative+no-initial-delay')).variant?.name).toBe('no-initial-delay');
  await expect(parseDesign('eager/nope')).rejects.toThrow("unknown assignor 'nope'");
  await expect(parseDesign('nope')).rejects.toThrow("unknown --variant 'nope'");
});

test('the HTML page is self-contained and has a bar chart per metric and a timeline per design', () => {
  const sc = findScenario('scale-out')!;
  const html = comparisonHtml(compareDesigns(designs, sc, { runs: 1, seed: 1, timelines: true }));
  expect(html).not.toMatch(/https?:\/\/|<script|<link|@import/i);
  expect(html.match(/<svg class="bars"/g)?.length).toBeGreaterThanOrEqual(9);
  expect(html).toContain('<h3>eager</h3>');
  expect(html).toContain('<h3>cooperative</h3>');
  expect(html).toContain('<h3>consumer</h3>');
});

test('cold-start: the initial rebalance delay buys one rebalance for a later start', async () => {
  const sc = findScenario('cold-start')!;
  const [withDelay, without] = compareDesigns([designs[0], await parseDesign('eager+no-initial-delay')], sc, { runs: 2, seed: 1 }).designs;
  expect(mean(withDelay, 'rebalances')).toBe(1);
  expect(mean(without, 'rebalances')).toBeGreaterThan(1);
  expect(mean(without, 'revokedReturned')).toBeGreaterThan(0);
  expect(mean(withDelay, 'stopTheWorldMs')).toBeGreaterThan(mean(without, 'stopTheWorldMs'));
  expect(without.violations).toEqual({});
});

test('protocol-upgrade: converting the group costs the classic fleets unowned partition time the consumer-protocol control does not pay', () => {
  const [eager, coop, control] = all('protocol-upgrade');
  for (const d of [eager, coop]) expect(mean(d, 'unownedPartitionSeconds')).toBeGreaterThan(mean(control, 'unownedPartitionSeconds'));
});
