import { runCli } from './cli-for-tests.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// `rebalance-check assignor <file>` as a user meets it: findings exit 1 with a shrunk
// counterexample, a file that cannot be checked exits 2 with one line.

const cli = (...args: string[]) => runCli(['assignor', ...args]);
const noStack = (s: string) => expect(s).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);

test('the broken example is caught with a minimal counterexample: one partition, two members, exit 1', () => {
  const r = cli('examples/broken-assignor.ts', '--runs', '100');
  expect(r.code).toBe(1);
  const block = r.out.slice(r.out.indexOf('✗ exactly-once'));
  expect(block).toContain('t0-0 is assigned to m0 and m1');
  const input = block.slice(block.indexOf('input ('), block.indexOf('output:'));
  expect(input).toContain('topics (partition counts): t0=1\n');
  expect(input.match(/^ +m\d+: /gm)?.map((l) => l.trim())).toEqual(['m0:', 'm1:']);
  expect(block).toMatch(/output:\n +m0: t0-0\n +m1: t0-0\n/);
  expect(r.out).toContain('1 of 5 applicable properties fail: exactly-once.');
  noStack(r.out + r.err);
});

test('the kafkajs adapter prints its findings: its roundRobin gives partitions to members not subscribed to them', () => {
  const r = cli('adapters/kafkajs-roundrobin.ts', '--runs', '100', '--json');
  expect(r.code).toBe(1);
  const report = JSON.parse(r.out);
  expect(report.ok).toBe(false);
  const failed = report.results.filter((p: { status: string }) => p.status === 'fails').map((p: { id: string }) => p.id);
  expect(failed).toEqual(['subscribers-only']);
});

test('claims can be set from the command line: range claimed sticky is caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-'));
  const file = join(dir, 'range.ts');
  writeFileSync(file, `import { range } from '${process.cwd()}/models/assignors/range.ts';\nexport default range;\n`);
  expect(cli(file, '--runs', '50').code).toBe(0);
  const r = cli(file, '--runs', '50', '--sticky', 'yes');
  expect(r.code).toBe(1);
  expect(r.out).toContain('✗ sticky-keeps-owned');
});

describe('bad assignors are reported, not crashed on: exit 1 with the failing input', () => {
  test.each([
    ['throws.ts', [], 'assign threw RangeError: cannot share topic t0'],
    ['garbage.ts', [], 'assign returned [{"topic":"t0","partitions":[0]}], not an object of member id -> partitions'],
    ['endless.ts', ['--timeout', '150', '--budget', '2000'], 'assign did not return within 150 ms'],
  ])('%s', (file, extra, message) => {
    const r = cli(`examples/bad-assignors/${file}`, '--runs', '20', ...extra);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ well-formed');
    expect(r.out).toContain(message);
    expect(r.out).toContain('input as JSON: {"topics"');
    noStack(r.out + r.err);
  });
});

describe('a file that cannot be checked exits 2 with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-'));
  const syntax = join(dir, 'syntax.ts');
  writeFileSync(syntax, 'export default { name: "x", assign( };\n');
  const badClaim = join(dir, 'claim.ts');
  writeFileSync(badClaim, 'export default { name: "x", balance: "perfect", assign: () => ({}) };\n');
  test.each([
    [['examples/bad-assignors/no-export.ts'], 'exports no assignor (expected a default export or a named `assignor` export)'],
    [['no/such/file.ts'], 'no such file: no/such/file.ts'],
    [[syntax], 'failed to load'],
    [[badClaim], "balance must be 'global' or 'per-topic', got \"perfect\""],
    [['examples/broken-assignor.ts', '--balance', 'perfect'], '--balance must be global, per-topic or none'],
    [['examples/broken-assignor.ts', '--protocols', 'eager,magic'], '--protocols must list eager and/or cooperative'],
  ])('%j', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });
});
