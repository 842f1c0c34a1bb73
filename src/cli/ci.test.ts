import { runCli } from './cli-for-tests.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateJunit } from './junit-for-tests.ts';
import { expect, test } from 'vitest';

// The CI options on the command line: --require-goals, --reporter junit|github, --quantities.

const cli = (...args: string[]) => runCli(args);

function validJunit(file: string): string {
  const xml = readFileSync(file, 'utf8');
  validateJunit(xml);
  return xml;
}

test('--require-goals fails with exit 1, naming the goals, when the runs are too short to reach them', () => {
  const r = cli('check', '--protocol', 'cooperative', '--runs', '2', '--max-steps', '1', '--no-faults', '--require-goals');
  expect(r.err).toBe('');
  expect(r.code).toBe(1);
  expect(r.out).toContain('--require-goals:');
  expect(r.out).toMatch(/cooperative\/cooperative-sticky \(3 members x 6 partitions\): [a-z-]+: /);
  // --no-faults: the failover goals do not apply, so they are not asked for.
  expect(r.out).not.toMatch(/: failover-awaiting-sync: /);
  expect(r.out).toMatch(/not applicable here: .*failover-awaiting-sync \(needs coordinator failover/);
});

test('--goals alone reports without failing; a JUnit report lists the goals as testcases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-ci-'));
  const file = join(dir, 'sub', 'junit.xml');
  const r = cli(
    'check',
    '--protocol',
    'cooperative',
    '--runs',
    '2',
    '--max-steps',
    '1',
    '--no-faults',
    '--goals',
    '--reporter',
    'junit',
    '--report-file',
    file,
  );
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/goals: \d+\/\d+ reached/);
  const xml = validJunit(file);
  expect(xml).toContain('name="goal stale-sync-group"');
  expect(xml).not.toContain('<failure');
});

test('a violation: JUnit failure and GitHub annotation carry the invariant and the replay command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-ci-'));
  const file = join(dir, 'junit.xml');
  const r = cli(
    'check',
    '--variant',
    'leader-not-rechosen',
    '--runs',
    '500',
    '--out',
    dir,
    '--reporter',
    'junit,github',
    '--report-file',
    file,
  );
  expect(r.code).toBe(1);
  const annotation = r.out.split('\n').find((l) => l.startsWith('::error '))!;
  expect(annotation).toMatch(/^::error file=[^,]*leader-is-member[^,]*\.json,title=rebalance-check check%3A leader-is-member violated::/);
  expect(annotation).toContain('Replay: npx rebalance-check replay ');
  const xml = validJunit(file);
  expect(xml).toMatch(/<failure type="invariant" message="leader-is-member: [^"]*">/);
  expect(xml).toContain('Replay: npx rebalance-check replay ');
});

test('explore --require-goals and --reporter junit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-ci-'));
  const file = join(dir, 'explore.xml');
  const r = cli(
    'explore',
    '--protocol',
    'eager',
    '--members',
    '2',
    '--partitions',
    '1',
    '--max-depth',
    '6',
    '--require-goals',
    '--reporter',
    'junit',
    '--report-file',
    file,
  );
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/goals: \d+\/\d+ reached/);
  expect(r.out).toContain('--require-goals:');
  const xml = validJunit(file);
  expect(xml).toContain('<testsuite name="eager/');
  expect(xml).toContain('<failure type="goal"');
});

test('bad CI options are one line and exit 2', () => {
  const r = cli('check', '--reporter', 'xml', '--runs', '1');
  expect(r.code).toBe(2);
  expect(r.err.trim()).toBe("rebalance-check: unknown --reporter 'xml' (known: junit, github)");
  const q = cli('check', '--quantities', '--quantity', 'nope');
  expect(q.code).toBe(2);
  expect(q.err.trim().split('\n')).toHaveLength(1);
});
