import { runCli } from './cli-for-tests.ts';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

// `explore` as a user meets it: the summary, a counterexample that replays, one-line errors.

const cli = (...args: string[]) => runCli(args);

test('a correct small instance: exit 0 and the summary', () => {
  const r = cli(
    'explore',
    '--members',
    '2',
    '--partitions',
    '1',
    '--max-depth',
    '4',
    '--workers',
    '2',
    '--measure-reduction',
    '--coverage',
  );
  expect(r.code).toBe(0);
  expect(r.out).toMatch(
    /✓ cooperative\/cooperative-sticky \(2 members x 1 partitions\): [\d,]+ distinct states, [\d,]+ transitions, diameter 4, /,
  );
  expect(r.out).toMatch(/states\/s/);
  expect(r.out).toMatch(/reduction x\d\.\d\d/);
  expect(r.out).toMatch(/2 workers walked the same graph/);
  expect(r.out).toMatch(/hint: .*--max-delay 0/);
  expect(r.out).toMatch(/never reached choice kinds \(\d+\): .*drop/);
});

test('a bounded-delay search of a small instance is complete, and says so', () => {
  const r = cli(
    'explore',
    '--members',
    '1',
    '--partitions',
    '1',
    '--max-depth',
    '10000',
    '--max-delay',
    '0',
    '--crashes',
    '0',
    '--restarts',
    '0',
  );
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/message delay <= 0 ms/);
  expect(r.out).toMatch(/42 distinct states/);
  expect(r.out).toMatch(/complete: no bound cut anything off .*within the delay bound/);
  expect(r.out).not.toMatch(/hint:/);
});

test('a broken variant: exit 1, a shortest counterexample file, and replay reproduces it', () => {
  const out = mkdtempSync(join(tmpdir(), 'rebalance-explore-'));
  const r = cli(
    'explore',
    '--variant',
    'leader-not-rechosen',
    '--protocol',
    'eager',
    '--members',
    '1',
    '--partitions',
    '1',
    '--leaves',
    '1',
    '--restarts',
    '0',
    '--crashes',
    '0',
    '--max-depth',
    '6',
    '--workers',
    '1',
    '--out',
    out,
  );
  expect(r.code).toBe(1);
  expect(r.out).toContain('invariant leader-is-member violated after');
  const files = readdirSync(out);
  expect(files).toHaveLength(1);
  const replay = cli('replay', join(out, files[0]));
  expect(replay.code).toBe(1);
  expect(replay.out).toContain('leader-is-member');
});

test("--variant alone explores the variant's own instance and bounds; a flag given replaces its piece", () => {
  const own = cli('explore', '--variant', 'no-generation-bump', '--workers', '1', '--no-save');
  expect(own.code).toBe(1);
  expect(own.out).toContain(
    "(1 members x 1 partitions) with the variant's explore settings: depth <= 4, in flight <= 1; faults: none; symmetry on, liveness off",
  );
  expect(own.out).toContain('invariant generation-advance violated after 4 steps');
  const shallower = cli('explore', '--variant', 'no-generation-bump', '--workers', '1', '--no-save', '--max-depth', '3', '--liveness');
  expect(shallower.code).toBe(0);
  expect(shallower.out).toContain(
    "with the variant's explore settings (--max-depth, --liveness from the command line): depth <= 3, in flight <= 1; faults: none; symmetry on, liveness on",
  );
});

test.each([
  [['explore', '--shard', '3/2'], '--shard 3/2'],
  [['check', '--shard', '0/3'], '--shard 0/3'],
])('bad usage %j exits 2 with one line', (args, message) => {
  const r = cli(...args);
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toContain(message);
});

test('explore stops at --max-states or --max-memory and says what was explored, with exit 0 and "not exhausted"', () => {
  const states = cli('explore', '--members', '2', '--partitions', '1', '--max-depth', '5', '--max-states', '300', '--no-save');
  expect(states.code).toBe(0);
  expect(states.out).toMatch(/300 distinct states/);
  expect(states.out).toMatch(/bounded: .*stopped at --max-states 300: not exhausted/);
  const memory = cli('explore', '--members', '3', '--partitions', '3', '--max-depth', '12', '--max-memory', '16', '--no-save');
  expect(memory.code).toBe(0);
  expect(memory.out).toMatch(/stopped at the memory cap \(16 MB of heap\) with [\d,]+ states reached: not exhausted/);
  expect(cli('explore', '--max-memory', '2').err).toMatch(/^rebalance-check: --max-memory/);
});
