import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { userProject } from './user-project-for-tests.ts';

// `mutate` as a user meets it: the exit code says whether every survivor is recorded, and a
// mutant written out as a variant file replays with `check`.

const { project, cli } = userProject('mutate');

// The application never processes a record: no invariant requires progress (mutants/survivors.json).
const survivor = 'classic-consumer/hasOwned/false';
const small = ['--runs', '5', '--states', '50'];

test('an unrecorded survivor makes mutate exit 1 naming it; recorded with a reason, exit 0', () => {
  const empty = join(project, 'none.json');
  writeFileSync(empty, '{}');
  const planted = cli('mutate', '--only', survivor, ...small, '--survivors', empty);
  expect(planted.code).toBe(1);
  expect(planted.err).toContain(`not recorded in ${empty}: ${survivor}`);
  expect(planted.out).toContain('UNRECORDED');
  // Said on stderr as soon as it is known, then the progress line (plain lines off a terminal).
  expect(planted.err).toMatch(new RegExp(`unrecorded survivor: (survived|not-reached) ${survivor}`));
  expect(planted.err).toMatch(/mutants: 1\/1 \(killed 0, survived \d, not reached \d\)/);

  const recorded = join(project, 'recorded.json');
  writeFileSync(recorded, JSON.stringify({ [survivor]: { kind: 'needs-oracle', reason: 'no invariant asks that owners make progress' } }));
  const ok = cli('mutate', '--only', survivor, ...small, '--survivors', recorded, '--json');
  expect(ok.code).toBe(0);
  const report = JSON.parse(ok.out);
  expect(report.results[0]).toMatchObject({ id: survivor, record: { kind: 'needs-oracle' } });
  // Not killed either way: it survives, or (with so small a budget) its mutated code is not reached.
  expect(['survived', 'not-reached']).toContain(report.results[0].status);
  expect(report.unrecorded).toEqual([]);
});

test('a mutant written as a variant file replays with check and is found', () => {
  const w = cli('mutate', '--write-variant', 'classic-coordinator/bumpGeneration/skip', 'mutant.ts');
  expect(w.code).toBe(0);
  expect(readFileSync(join(project, 'mutant.ts'), 'utf8')).toContain('mutantVariant("classic-coordinator/bumpGeneration/skip")');
  const r = cli('check', '--variant', './mutant.ts', '--protocol', 'eager', '--assignor', 'range', '--runs', '50', '--no-save');
  expect(r.code).toBe(1);
  expect(r.out).toContain('generation-advance');
});

test('no mutant chosen or finished: says so, prints no score', () => {
  // Shard 2 of 2 of a single mutant holds nothing.
  const r = cli('mutate', '--only', survivor, '--shard', '2/2');
  expect(r.code).toBe(0);
  expect(r.out).toContain('no mutant finished (0 of 0): no score');
  expect(r.out).not.toContain('100');
});

test('bad usage: one line, exit 2', () => {
  const bad = join(project, 'bad.json');
  writeFileSync(bad, JSON.stringify({ x: { kind: 'maybe', reason: 'no idea at all' } }));
  for (const [args, message] of [
    [['mutate', '--only', 'no-such-mutant'], '--only no-such-mutant matches no mutant'],
    [['mutate', '--only', survivor, '--survivors', bad], `survivors file ${bad}: x.kind`],
    [['mutate', '--write-variant', 'nope/x/y', 'f.ts'], "unknown mutant 'nope/x/y'"],
    [['mutate', '--shard', '3/2'], '--shard 3/2'],
  ] as const) {
    const r = cli(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(message);
  }
});
