import { runCli } from './cli-for-tests.ts';
import { expect, test } from 'vitest';

// The command line's manners: help without arguments, suggestions for typos on one line, the
// exit codes in every help text, colours off on request.

const cli = (args: string[], env: Record<string, string> = { NO_COLOR: '1' }) => runCli(args, { env });

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

test.each([
  [['explore', '--liveness', '--no-liveness'], 'rebalance-check: --liveness and --no-liveness contradict each other: give one'],
  [['check', '--upgrade', '--protocol', 'consumer'], 'rebalance-check: --upgrade runs its own protocols and assignors'],
  [
    ['check', '--path', 'garbage'],
    "rebalance-check: --path must be a fast-check replay path such as 12:0:3 (as printed by a failure), got 'garbage'",
  ],
  [
    ['replay', 'counterexamples/leader-not-rechosen-leader-is-member-e1ba9967.json', '--html', '/nonexistent-dir/page.html'],
    'rebalance-check: cannot write /nonexistent-dir/page.html: no such file or directory',
  ],
  [
    ['compare', 'eager', 'cooperative', '--scenario', 'scale-out', '--runs', '1', '--html', '/nonexistent-dir/cmp.html'],
    'rebalance-check: cannot write /nonexistent-dir/cmp.html: no such file or directory',
  ],
])('contradictions and unusable paths: one line, exit 2: %j', (args, line) => {
  const r = cli(args);
  expect(r.code).toBe(2);
  expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.err).toContain(line);
});

test('--help shows every enforced range and each default once, as typed', () => {
  expect(cli(['check', '--help']).out).toMatch(/--members <n> +consumer processes \[1-16\] \(default: 3\)/);
  expect(cli(['explore', '--help']).out).toMatch(/--members <n> +consumer processes \(default: 3, or the variant's\) \[1-4\]/);
  const compare = cli(['compare', '--help']).out;
  expect(compare.replace(/\s+/g, ' ')).toContain('(default: 1-10)');
  for (const command of ['check', 'explore', 'compare', 'replay', 'assignor']) {
    const options = cli([command, '--help']).out.split(/\n(?= {2}-)/);
    expect(options.filter((o) => (o.match(/default:/g) ?? []).length > 1)).toEqual([]);
  }
});
