import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { check, compare, explore, mutate, planCampaigns, replay, UsageError, validate } from '../index.ts';

// The library API as a user's program calls it: typed results, nothing printed, bad input as a
// UsageError naming the problem.

test('check: a correct instance holds; the report names each campaign', async () => {
  const r = await check({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, runs: 30 });
  expect(r.ok).toBe(true);
  expect(r.campaigns.map((c) => c.label)).toEqual(['eager/range (2 members x 2 partitions)']);
  expect(r.campaigns[0].result.runs).toBe(30);
});

test('check: every protocol and assignor without options narrowing them', async () => {
  const r = await check({ members: 1, partitions: 1, runs: 2 });
  expect(r.campaigns.map((c) => `${c.protocol}/${c.assignor}`)).toContain('consumer/uniform');
  expect(r.campaigns.map((c) => `${c.protocol}/${c.assignor}`)).toContain('eager/roundrobin');
});

test('check: a broken variant gives a shrunk counterexample that replay reproduces', async () => {
  const r = await check({ variant: 'leader-not-rechosen', assignor: 'range', members: 2, partitions: 2, runs: 200, shrinkInstance: false });
  expect(r.ok).toBe(false);
  const failed = r.campaigns.find((c) => !c.ok);
  expect(failed?.violation?.invariant).toBe('leader-is-member');
  const again = await replay(failed!.counterexample!);
  expect(again.reproduces).toBe(true);
  expect(again.rows.length).toBeGreaterThan(1);
});

test('check: bad options are a UsageError naming the problem', async () => {
  await expect(check({ protocol: 'lazy' as never })).rejects.toThrow(UsageError);
  await expect(check({ protocol: 'consumer', assignor: 'sticky' })).rejects.toThrow("unknown --assignor 'sticky' for protocol consumer");
  await expect(check({ variant: 'no-such-variant' })).rejects.toThrow(/unknown --variant 'no-such-variant'/);
});

test('explore: a complete search of a small instance, and a violation of a broken variant', async () => {
  const ok = await explore({ protocol: 'eager', assignor: 'range', members: 1, partitions: 1, maxDelayMs: 0, maxDepth: 10_000 });
  expect(ok.ok).toBe(true);
  expect(ok.complete).toBe(true);
  expect(ok.result.states).toBeGreaterThan(10);
  const bad = await explore({ variant: 'leader-not-rechosen' });
  expect(bad.ok).toBe(false);
  expect(bad.counterexample?.violation.invariant).toBe('leader-is-member');
  expect((await replay(bad.counterexample!)).reproduces).toBe(true);
});

test('replay: a corpus file reproduces; an unreadable one is a UsageError', async () => {
  const r = await replay('counterexamples/leader-not-rechosen-leader-is-member-e1ba9967.json');
  expect(r.reproduces).toBe(true);
  expect(r.violation?.invariant).toBe('leader-is-member');
  await expect(replay(join(mkdtempSync(join(tmpdir(), 'rc-')), 'missing.json'))).rejects.toThrow(UsageError);
});

test('compare: cooperative moves fewer partitions than eager on a scale-out', async () => {
  const [r] = await compare(['eager', 'cooperative'], { scenario: 'scale-out', runs: 1 });
  const [eager, cooperative] = r.designs;
  expect(cooperative.metrics.moved.mean).toBeLessThanOrEqual(eager.metrics.moved.mean);
  expect(eager.metrics.stopTheWorldMs.mean).toBeGreaterThan(0);
  await expect(compare(['eager'], { scenario: 'nope' })).rejects.toThrow("unknown scenario 'nope'");
});

test('with no option picking campaigns, check also plans every campaign with static members, then the rolling upgrade, then with idle members', () => {
  const labels = planCampaigns({}, undefined).map((p) => p.label);
  const plain = labels.filter((l) => !l.includes('static') && !l.startsWith('upgrade') && !l.includes(' idle'));
  // The same campaigns (the static ones over two topics: subscription changes need them).
  const name = (l: string) => l.slice(0, l.indexOf(' ('));
  expect(labels.filter((l) => l.includes(' static ')).map((l) => name(l.replace(/ static( 2 racks)?/, '')))).toEqual(plain.map(name));
  // The classic ones with racks (KIP-881), the KIP-848 ones without (its server assignors ignore racks).
  expect(labels).toContain('eager/range static 2 racks (3 members x 2 topics x 3 partitions)');
  expect(labels).toContain('consumer/range static (3 members x 2 topics x 3 partitions)');
  // Idle members: the plain campaigns again over fewer partitions than members, after the upgrade.
  const upgrade = labels.indexOf('upgrade eager range -> cooperative-sticky (3 members x 6 partitions)');
  expect(labels.slice(upgrade + 1)).toEqual(plain.map((l) => `${name(l)} idle (3 members x 2 partitions)`));
  expect(planCampaigns({ protocol: 'eager', assignor: 'range' }, undefined).map((p) => p.label)).toEqual([
    'eager/range (3 members x 6 partitions)',
  ]);
  expect(planCampaigns({ static: true }, undefined).every((p) => p.static && !p.upgrade)).toBe(true);
});

test('explore: the state and memory caps end a search that has no end, and the report says it is not complete', async () => {
  const full = await explore({ members: 2, partitions: 1, maxDepth: 5 });
  expect(full.result.states).toBeGreaterThan(500);
  const states = await explore({ members: 2, partitions: 1, maxDepth: 5, maxStates: 500 });
  expect(states.result.stopped).toBe(true);
  expect(states.result.states).toBe(500);
  expect(states.complete).toBe(false);
  // One byte of heap: the first poll (after 1,024 transitions) stops it.
  const memory = await explore({ members: 2, partitions: 1, maxDepth: 5, maxHeapBytes: 1 });
  expect(memory.result.heapCapped).toBe(true);
  expect(memory.result.states).toBeLessThan(full.result.states);
  expect(memory.complete).toBe(false);
});

test('validate: a real log holds; a planted double owner is the first violation, with its line', () => {
  const file = 'src/conformance/fixtures/logs/cooperative-kafka-java.jsonl';
  const good = validate(file, { protocol: 'cooperative' });
  expect(good.ok).toBe(true);
  expect(good.checked).toEqual(['single-owner', 'revoke-before-reassign']);
  const text = [
    '{"time":1,"process":"a","member":"a","generation":1,"event":"assign","partitions":["t-0"]}',
    '{"time":2,"process":"b","member":"b","generation":1,"event":"assign","partitions":["t-0"]}',
  ].join('\n');
  const bad = validate({ text });
  expect(bad.violation).toMatchObject({ invariant: 'single-owner', lineNumber: 2 });
  expect(() => validate({ text: '{"time":1}' })).toThrow(UsageError);
  expect(() => validate('no-such.log')).toThrow(/cannot read no-such.log: ENOENT/);
});

test('mutate: a known survivor is reported, and is ok only when recorded', async () => {
  const only = ['classic-consumer/hasOwned/false'];
  const budget = { runs: 5, exploreStates: 50 };
  const dir = mkdtempSync(join(tmpdir(), 'rc-api-mutate-'));
  const none = join(dir, 'none.json');
  writeFileSync(none, '{}');
  const r = await mutate({ only, budget, survivors: none });
  // Not killed either way: it survives, or (with so small a budget) its mutated code is not reached.
  expect(r.results.map((m) => m.id)).toEqual(only);
  expect(['survived', 'not-reached']).toContain(r.results[0].status);
  expect(r.ok).toBe(false);
  expect(r.unrecorded).toEqual(only);
});
