import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cliEnv, repo } from './cli-for-tests.ts';

// Ctrl-C: the supervisor (src/cli/supervise.ts) stops the search as a --max-time deadline does;
// the command prints what it did and exits 130.

/** Runs the command and sends SIGINT once `started` matches its output (the search is under way). */
function interrupted(args: string[], started: RegExp, delayMs = 500): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(repo, 'bin/rebalance-check.js'), ...args], {
      env: cliEnv(),
    });
    let out = '';
    let err = '';
    let sent = false;
    const watch = () => {
      if (!sent && started.test(out + err)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), delayMs);
      }
    };
    child.stdout.on('data', (d) => {
      out += d;
      watch();
    });
    child.stderr.on('data', (d) => {
      err += d;
      watch();
    });
    child.on('exit', (code) => done({ code, out, err }));
  });
}

test('Ctrl-C during check prints the runs done and exits 130', async () => {
  const r = await interrupted(
    ['check', '--protocol', 'eager', '--assignor', 'range', '--runs', '10000000', '--no-save'],
    // The progress line (every 5 s when not on a terminal).
    /runs\/s/,
  );
  expect(r.code, r.err).toBe(130);
  expect(r.err).toContain('rebalance-check: interrupted: finishing the run in progress');
  expect(r.out).toMatch(/^… eager\/range \(3 members x 6 partitions\): [\d,]+ runs, [\d,]+ steps, all invariants held so far/);
  expect(r.out).toMatch(/interrupted \(Ctrl-C\) after [\d,]+ of 10,000,000 runs/);
}, 30_000);

test('Ctrl-C during explore prints the states explored and exits 130', async () => {
  const r = await interrupted(
    ['explore', '--protocol', 'eager', '--assignor', 'range', '--members', '3', '--partitions', '3', '--no-save'],
    /^exploring/,
  );
  expect(r.code, r.err).toBe(130);
  expect(r.out).toMatch(/bounded: interrupted \(Ctrl-C\) with [\d,]+ states reached: not exhausted/);
}, 30_000);

test('Ctrl-C during mutate stops the mutants running, prints the table of those that finished and exits 130', async () => {
  const ids = ['protocolIncompatible/true', 'protocolIncompatible/false', 'protocolIncompatible/negate'];
  const r = await interrupted(
    ['mutate', '--only', ids.map((id) => `classic-coordinator/${id}`).join(','), '--max-seconds', '2', '--verbose'],
    // The first mutant's line: the second is under way.
    /classic-coordinator\/protocolIncompatible\/true/,
    0,
  );
  expect(r.code, r.err).toBe(130);
  expect(r.err).toContain('rebalance-check: interrupted: reporting the mutants that finished');
  expect(r.out).toMatch(/│ all +│ 1 +│/);
  expect(r.out).toContain('interrupted (Ctrl-C) after 1 of 3 mutants');
}, 60_000);

test('Ctrl-C while a failure is shrunk prints the unshrunk violation and the counterexample as far as it got, exit 130', async () => {
  const r = await interrupted(
    ['check', '--variant', 'double-assign', '--protocol', 'eager', '--assignor', 'range', '--no-save'],
    // Printed at once when run 0 fails; instance shrinking then takes seconds.
    /\(unshrunk\)/,
    0,
  );
  expect(r.code, r.err).toBe(130);
  expect(r.out).toContain('invariant single-owner violated in run 0 after 2 random steps (unshrunk)');
  expect(r.out).toContain('shrinking interrupted (Ctrl-C): not fully shrunk');
  expect(r.out).toContain('Replay: npx rebalance-check check');
}, 30_000);
