import { runCli } from './cli-for-tests.ts';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// The command line as a user meets it: exit codes, one-line errors, and a replay
// command that reproduces the failure it was printed for.

const cli = (...args: string[]) => runCli(args);

describe('bad usage exits 2 with one line naming the problem', () => {
  test.each([
    [['check', '--members', 'abc'], '--members must be a whole number'],
    [['check', '--protocol', 'nope'], "unknown --protocol 'nope'"],
    [['check', '--assignor', 'nope'], "unknown --assignor 'nope'"],
    [['check', '--variant', 'nope'], "unknown --variant 'nope'"],
    [
      ['check', '--protocol', 'consumer', '--assignor', 'sticky'],
      "unknown --assignor 'sticky' for protocol consumer (known: range, uniform)",
    ],
    [['check', '--protocol', 'eager', '--variant', 'premature-grant'], 'variant premature-grant applies to consumer, not eager'],
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

const tmp = () => mkdtempSync(join(tmpdir(), 'rebalance-check-'));

test('a broken variant exits 1, saves a counterexample, and its printed replay command reproduces it', () => {
  const out = tmp();
  const r = cli('check', '--variant', 'leader-not-rechosen', '--runs', '500', '--out', out);
  expect(readdirSync(out)).toHaveLength(1);
  expect(r.code).toBe(1);
  expect(r.out).toContain('invariant leader-is-member violated');
  // The instance and the timers were shrunk too: the failure needs one member and no delay.
  const { shrink, config } = JSON.parse(readFileSync(join(out, readdirSync(out)[0]), 'utf8'));
  expect(shrink.before).toMatchObject({ members: 3, partitions: 6 });
  expect(shrink.after).toMatchObject({ members: 1, partitions: 1, timers: config.timers });
  expect(config.timers.initialRebalanceDelayMs).toBe(0);
  expect(config.timers.sessionTimeoutMs).toBeLessThan(shrink.before.timers.sessionTimeoutMs);
  expect(r.out).toContain('initialRebalanceDelayMs 3000 -> 0');
  const replay = r.out
    .match(/Replay: npx rebalance-check (.*)/)![1]
    .trim()
    .split(/\s+/);
  const again = cli(...replay);
  expect(again.code).toBe(1);
  // The statement and message under the last ✗ header (check prints the unshrunk failure first).
  const message = (s: string) => {
    const lines = s.split('\n');
    const at = lines.map((l) => l.startsWith('✗')).lastIndexOf(true);
    return lines.slice(at + 1, at + 3).join('\n');
  };
  expect(r.out).toMatch(/✗ .* violated in run \d+ after \d+ random steps? \(unshrunk\)/);
  expect(message(again.out)).toBe(message(r.out));
});

describe('replay', () => {
  const out = tmp();
  cli('check', '--variant', 'eager-no-revoke', '--runs', '500', '--out', out);
  const file = join(out, readdirSync(out)[0]);
  const original = JSON.parse(readFileSync(file, 'utf8'));
  const variantOf = (patch: (d: typeof original) => void) => {
    const d = structuredClone(original);
    patch(d);
    const f = join(out, 'fixed.json');
    writeFileSync(f, JSON.stringify(d));
    return f;
  };

  test('prints the timeline and exits 1 when the violation reproduces', () => {
    const r = cli('replay', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`invariant ${original.violation.invariant} violated`);
    expect(r.out).toMatch(/✗ +\d+ +\d+ {2}/); // the marked failing step
  });

  test('exits 0 when the bug is fixed (the same steps against the correct model)', () => {
    const r = cli(
      'replay',
      variantOf((d) => (d.variant = null)),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('no longer fails');
  });

  test.each([
    ['bad JSON', (f: string) => writeFileSync(f, '{"format": '), 'not valid JSON'],
    [
      'a newer format',
      (f: string) => writeFileSync(f, JSON.stringify({ ...original, format: 'rebalance-check/counterexample@2' })),
      'is newer than',
    ],
    [
      'an unknown choice kind',
      (f: string) => writeFileSync(f, JSON.stringify({ ...original, choices: [{ kind: 'teleport', client: 'c1' }] })),
      'choices.0.kind',
    ],
    [
      'a step that no longer applies',
      (f: string) =>
        writeFileSync(
          f,
          JSON.stringify({ ...original, choices: [{ kind: 'deliver', message: { kind: 'JoinGroup', client: 'c1', inc: 1, corr: 999 } }] }),
        ),
      'step 1',
    ],
    ['an unknown variant', (f: string) => writeFileSync(f, JSON.stringify({ ...original, variant: 'nope' })), 'unknown variant'],
  ])('a file with %s gets one line and exit 2', (_what, write, message) => {
    const f = join(out, `broken-${_what.replaceAll(' ', '-')}.json`);
    write(f);
    const r = cli('replay', f);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(message);
  });

  test('--html writes a self-contained page', () => {
    const html = join(out, 'report.html');
    expect(cli('replay', file, '--html', html).code).toBe(1);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/https?:\/\//);
  });
});

test('the same (config, seed) gives byte-identical counterexamples in two separate processes', () => {
  const a = tmp();
  const b = tmp();
  // A variant found quickly, so both processes also shrink the instance in seconds.
  const ra = cli('check', '--variant', 'leader-not-rechosen', '--runs', '500', '--out', a, '--json');
  const rb = cli('check', '--variant', 'leader-not-rechosen', '--runs', '500', '--out', b, '--json');
  expect(ra.code).toBe(1);
  expect(readdirSync(a)).toEqual(readdirSync(b));
  expect(readFileSync(join(a, readdirSync(a)[0]), 'utf8')).toBe(readFileSync(join(b, readdirSync(b)[0]), 'utf8'));
  expect(ra.out.replaceAll(a, '')).toBe(rb.out.replaceAll(b, ''));
});

test('--json prints a parseable result', () => {
  const r = cli('check', '--runs', '20', '--assignor', 'range', '--json');
  expect(r.code).toBe(0);
  const parsed = JSON.parse(r.out);
  expect(parsed.ok).toBe(true);
  expect(parsed.results[0].result.runs).toBe(20);
});
