import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../api/check.ts';
import { describeFailure, protocolTest } from './vitest.ts';

// The helper as a user's suite uses it: a campaign that holds is a passing test, a broken design
// pinned with expectViolation is a passing test, and a failure reads like a counterexample.
const out = mkdtempSync(join(tmpdir(), 'rc-vitest-'));

describe('protocolTest', () => {
  protocolTest('eager range holds every invariant', { protocol: 'eager', assignor: 'range', members: 2, partitions: 2, runs: 20 });
  protocolTest('a coordinator that keeps a departed leader is caught', {
    variant: 'leader-not-rechosen',
    assignor: 'range',
    members: 2,
    partitions: 2,
    runs: 200,
    shrinkInstance: false,
    expectViolation: 'leader-is-member',
    out,
  });
});

test("a failure's text names the invariant, lists the steps and the replay command", async () => {
  const options = { variant: 'leader-not-rechosen', assignor: 'range', members: 2, partitions: 2, runs: 200, shrinkInstance: false, out };
  const text = await describeFailure(await check(options), options);
  expect(text).toMatch(/invariant leader-is-member violated/);
  expect(text).toMatch(/^ +1 +0 {2}deliver JoinGroup#\d c\d->coordinator$/m);
  expect(text).toMatch(/Replay: npx rebalance-check replay .*\.json/);
});
