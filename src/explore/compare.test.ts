import { describe, expect, test } from 'vitest';
import { compareDesigns, parseDesign, type ComparisonResult, type DesignResult } from './compare.ts';
import { comparisonHtml, comparisonTable } from './compare-report.ts';
import { compareScenarios, findScenario } from './scenarios/index.ts';

// The relations between eager and cooperative rebalancing that must hold in each built-in
// workload, measured from the runs (2 seeds each), and the table and page that show them.

const designs = await Promise.all(['eager', 'cooperative'].map(parseDesign));
const results = new Map<string, ComparisonResult>(compareScenarios.map((sc) => [sc.name, compareDesigns(designs, sc, { runs: 2, seed: 1 })]));
const pair = (name: string): [DesignResult, DesignResult] => results.get(name)!.designs as [DesignResult, DesignResult];
const mean = (d: DesignResult, k: keyof DesignResult['metrics']) => d.metrics[k].mean;

describe.each(compareScenarios.map((s) => s.name))('%s', (name) => {
  test('every invariant holds for both designs, and every change settles', () => {
    for (const d of pair(name)) {
      expect(d.violations, d.design).toEqual({});
      for (const t of d.timeToStableMs) expect(t.unsettled, `${d.design} after ${t.change}`).toBe(0);
    }
  });
  test('the table names every metric and design', () => {
    const t = comparisonTable(results.get(name)!);
    for (const s of ['rebalances', 'partitions moved', 'stop-the-world', 'time to stable', 'eager', 'cooperative']) expect(t).toContain(s);
  });
});

test('scale-out: eager stops everything and revokes partitions that come back; cooperative pays with a second rebalance', () => {
  const [eager, coop] = pair('scale-out');
  expect(mean(eager, 'stopTheWorldMs')).toBeGreaterThan(mean(coop, 'stopTheWorldMs'));
  expect(mean(eager, 'revokedReturned')).toBeGreaterThan(0);
  expect(mean(coop, 'revokedReturned')).toBe(0);
  expect(mean(coop, 'rebalances')).toBeGreaterThanOrEqual(mean(eager, 'rebalances') + 1);
  // The moving partitions wait for the follow-up rebalance, which the other members only
  // hear of with their next heartbeat.
  expect(mean(coop, 'longestPauseMs')).toBeGreaterThan(mean(eager, 'longestPauseMs'));
  expect(coop.timeToStableMs[0].mean).toBeGreaterThan(eager.timeToStableMs[0].mean);
});

test.each(['scale-in', 'rolling-restart-dynamic', 'crash', 'partitions-added'])('%s: cooperative never stops every partition, eager does', (name) => {
  const [eager, coop] = pair(name);
  expect(mean(coop, 'stopTheWorldMs')).toBe(0);
  expect(mean(eager, 'stopTheWorldMs')).toBeGreaterThan(0);
  expect(mean(coop, 'revokedReturned')).toBeLessThan(mean(eager, 'revokedReturned'));
  expect(mean(coop, 'pausedPartitionSeconds')).toBeLessThan(mean(eager, 'pausedPartitionSeconds'));
});

test('crash: the partitions of the dead member wait for its session timeout', () => {
  const [eager, coop] = pair('crash');
  for (const d of [eager, coop]) expect(d.timeToStableMs[0].mean).toBeGreaterThanOrEqual(10_000);
});

test('network-flap and coordinator-failover with default timers: no rebalance at all', () => {
  for (const name of ['network-flap', 'coordinator-failover']) for (const d of pair(name)) expect(mean(d, 'rebalances'), `${name} ${d.design}`).toBe(0);
});

test('rolling-restart-static keeps partitions with their instance: nothing moves', () => {
  for (const d of pair('rolling-restart-static')) expect(mean(d, 'moved')).toBe(0);
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
