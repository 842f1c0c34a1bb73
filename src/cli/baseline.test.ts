import { runCli } from './cli-for-tests.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

// compare --baseline: a baseline written with --update-baseline is met exactly by the same
// designs (runs are seeded), and a planted regression (the design replaced by a variant that
// revokes everything, under the same name) is caught with exit 1 and named.

const cli = (...args: string[]) => runCli(args);

test('--update-baseline writes the figures; the same designs meet them exactly; a planted regression fails naming the figure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-baseline-'));
  const file = join(dir, 'b.json');
  const w = cli('compare', 'eager', 'cooperative', '--scenario', 'scale-out', '--runs', '2', '--baseline', file, '--update-baseline');
  expect(w.err).toBe('');
  expect(w.code).toBe(0);
  const base = JSON.parse(readFileSync(file, 'utf8'));
  expect(base.format).toBe('rebalance-check/baseline@1');
  expect(Object.keys(base.figures['scale-out'])).toEqual(['eager', 'cooperative']);
  expect(base.figures['scale-out'].cooperative).toHaveProperty('stopTheWorldMs');

  const same = cli('compare', '--baseline', file);
  expect(same.code).toBe(0);
  expect(same.out).toContain('no figure regressed');

  const planted = cli('compare', '--baseline', file, 'eager', 'cooperative=cooperative+cooperative-revokes-all');
  expect(planted.code).toBe(1);
  expect(planted.out).toMatch(/regressed scale-out \/ cooperative \/ \w+: /);
  expect(planted.out).toMatch(/✗ baseline .*: \d+ figures? regressed/);
  expect(planted.out).not.toMatch(/regressed scale-out \/ eager/);
});

test('a tolerance lets a figure rise that much; a malformed baseline is one line and exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-baseline-'));
  const file = join(dir, 'b.json');
  expect(cli('compare', 'cooperative', '--scenario', 'scale-out', '--runs', '1', '--baseline', file, '--update-baseline').code).toBe(0);
  const base = JSON.parse(readFileSync(file, 'utf8'));
  const figs = base.figures['scale-out'].cooperative;
  figs.moved -= 1;
  base.tolerances.moved = { relative: 0, absolute: 1 };
  writeFileSync(file, JSON.stringify(base));
  expect(cli('compare', '--baseline', file).code).toBe(0);
  base.tolerances.moved = { relative: 0, absolute: 0.5 };
  writeFileSync(file, JSON.stringify(base));
  const r = cli('compare', '--baseline', file);
  expect(r.code).toBe(1);
  expect(r.out).toContain('regressed scale-out / cooperative / moved');

  writeFileSync(file, '{"format": "rebalance-check/baseline@1", "runs": "x"}');
  const bad = cli('compare', '--baseline', file);
  expect(bad.code).toBe(2);
  expect(bad.err.trim().split('\n')).toHaveLength(1);
  expect(bad.err).toContain('"runs" and "seed" must be numbers');
  expect(cli('compare', 'eager', '--update-baseline').code).toBe(2);
});

test('the committed baseline of the shipped designs is met', () => {
  const r = cli('compare', '--baseline', 'baselines/compare.json');
  expect(r.err).toBe('');
  expect(r.out).toContain('no figure regressed');
  expect(r.code).toBe(0);
});
