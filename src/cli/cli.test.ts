import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

// The command line as a user meets it: exit codes, one-line errors, and a replay
// command that reproduces the failure it was printed for.

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/rebalance-check.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('bad usage exits 2 with one line naming the problem', () => {
  test.each([
    [['check', '--members', 'abc'], '--members must be a whole number'],
    [['check', '--protocol', 'nope'], "unknown --protocol 'nope'"],
    [['check', '--assignor', 'nope'], "unknown --assignor 'nope'"],
    [['check', '--variant', 'nope'], "unknown --variant 'nope'"],
    [['check', '--runs', '0'], '--runs must be between'],
    [['check', '--frobnicate'], "unknown option '--frobnicate'"],
  ])('%j', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });
});

test('a correct model passes: exit 0', () => {
  const r = cli('check', '--runs', '50', '--assignor', 'roundrobin');
  expect(r.code).toBe(0);
  expect(r.out).toContain('all invariants hold');
});

test('a broken variant exits 1 and its printed replay command reproduces it', () => {
  const r = cli('check', '--variant', 'leader-not-rechosen', '--runs', '500');
  expect(r.code).toBe(1);
  expect(r.out).toContain('invariant leader-is-member violated');
  const replay = r.out.match(/Replay: npx rebalance-check (.*)/)![1].trim().split(/\s+/);
  const again = cli(...replay);
  expect(again.code).toBe(1);
  const message = (s: string) => s.split('\n').slice(1, 3).join('\n');
  expect(message(again.out)).toBe(message(r.out));
});

test('--json prints a parseable result', () => {
  const r = cli('check', '--runs', '20', '--assignor', 'range', '--json');
  expect(r.code).toBe(0);
  const parsed = JSON.parse(r.out);
  expect(parsed.ok).toBe(true);
  expect(parsed.results[0].result.runs).toBe(20);
});
