import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from './cli-for-tests.ts';

// `check --jobs N` runs the campaigns on worker threads and must print what one thread prints:
// the same campaigns in the same order, the same first failure, the same counterexample file.

const rates = (s: string) => s.replace(/\([\d,]+ runs\/s\)/g, '(_ runs/s)').replace(/"seconds": [\d.e-]+/g, '"seconds": _');

test('a failing variant: --jobs 2 prints and saves what --jobs 1 does, and stops at the same campaign', () => {
  const runs = [1, 2].map((jobs) => {
    const cwd = mkdtempSync(join(tmpdir(), `rebalance-check-jobs${jobs}-`));
    const r = runCli(['check', '--protocol', 'eager', '--variant', 'eager-no-revoke', '--runs', '10', '--jobs', String(jobs)], { cwd });
    return { ...r, files: readdirSync(join(cwd, 'counterexamples')) };
  });
  expect(runs[0].code).toBe(1);
  expect(runs[1].code).toBe(1);
  expect(rates(runs[1].out)).toBe(rates(runs[0].out));
  expect(runs[0].files).toHaveLength(1);
  expect(runs[1].files).toEqual(runs[0].files);
  // With several jobs the unshrunk failure is also said at once on stderr.
  expect(runs[1].err).toContain('(unshrunk)');
});

test('passing campaigns: --jobs 3 gives the JSON report of --jobs 1', () => {
  const args = ['check', '--protocol', 'eager', '--runs', '10', '--no-save', '--json'];
  const one = runCli([...args, '--jobs', '1']);
  const three = runCli([...args, '--jobs', '3']);
  expect(one.code).toBe(0);
  expect(three.code).toBe(0);
  expect(JSON.parse(one.out).results).toHaveLength(4);
  expect(rates(three.out)).toBe(rates(one.out));
});
