import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

// The command line's manners: help without arguments, suggestions for typos on one line, the
// exit codes in every help text, colours off on request.

const cli = (args: string[], env: Record<string, string> = { NO_COLOR: '1' }) => {
  const r = spawnSync(process.execPath, ['bin/rebalance-check.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('no arguments: the overview with every command and the exit codes, exit 0', () => {
  const r = cli([]);
  expect(r.code).toBe(0);
  expect(r.err).toBe('');
  for (const command of ['check', 'replay', 'explore', 'compare', 'assignor', 'variants'])
    expect(r.out).toMatch(new RegExp(`^  ${command} `, 'm'));
  expect(r.out).toContain('Exit codes:');
});

test.each([
  [['chek'], "rebalance-check: unknown command 'chek' (Did you mean check?)"],
  [['check', '--protocl', 'eager'], "rebalance-check: unknown option '--protocl' (Did you mean --protocol?)"],
])('a typo gets one line with the suggestion, exit 2: %j', (args, line) => {
  const r = cli(args);
  expect(r.code).toBe(2);
  expect(r.err).toBe(`${line}\n`);
});

test.each(['check', 'replay', 'explore', 'compare', 'assignor', 'variants'])('%s --help lists the exit codes', (command) => {
  const r = cli([command, '--help']);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
});

test('--no-color anywhere turns colours off, even where colours would be forced', () => {
  const args = ['check', '--protocol', 'eager', '--assignor', 'range', '--runs', '3', '--members', '1', '--partitions', '1'];
  const coloured = cli(args, { FORCE_COLOR: '1' });
  expect(coloured.out).toContain('\x1b[');
  const plain = cli([...args, '--no-color'], { FORCE_COLOR: '1' });
  expect(plain.code).toBe(0);
  expect(plain.out).not.toContain('\x1b[');
});
