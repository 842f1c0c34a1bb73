import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { partitionsOf } from '../types.ts';
import { serverRange, uniform, type ServerAssignInput } from './assignors.ts';

// Server-side assignors (group-coordinator: UniformAssignor with its homogeneous builder, and
// RangeAssignor): every partition assigned once, balance, and stickiness of uniform.

const input = fc
  .record({ members: fc.integer({ min: 1, max: 6 }), partitions: fc.integer({ min: 0, max: 20 }), seed: fc.nat() })
  .map(({ members, partitions, seed }): ServerAssignInput => {
    const ids = Array.from({ length: members }, (_, i) => `m${(i * 7 + seed) % 97}-${i}`);
    const all = partitionsOf({ t: partitions }, ['t']);
    // A previous target: some partitions spread arbitrarily (some unassigned, some of gone members).
    const previous: Record<string, string[]> = {};
    all.forEach((p, i) => {
      if ((i + seed) % 3 === 0) return;
      const owner = (i * 5 + seed) % (members + 1) === members ? 'gone' : ids[(i * 5 + seed) % members];
      (previous[owner] ??= []).push(p);
    });
    return { topics: { t: partitions }, members: Object.fromEntries(ids.map((id) => [id, { topics: ['t'], instanceId: null }])), previous };
  });

const counts = (out: Record<string, string[]>) => Object.values(out).map((ps) => ps.length);

describe.each([uniform, serverRange])('server assignor %s', (assignor) => {
  test.prop([input], { numRuns: 200, seed: 1 })('assigns every partition exactly once, balanced within one', (inp) => {
    const out = assignor.assign(inp);
    expect(Object.values(out).flat().sort()).toEqual(partitionsOf(inp.topics, ['t']).sort());
    expect(Math.max(...counts(out)) - Math.min(...counts(out))).toBeLessThanOrEqual(1);
  });
});

test.prop([input], { numRuns: 200, seed: 2 })('uniform is sticky: a member keeps previous partitions up to its quota', (inp) => {
  const out = uniform.assign(inp);
  const n = Object.keys(inp.members).length;
  const quota = Math.floor((inp.topics.t ?? 0) / n);
  for (const [m, prev] of Object.entries(inp.previous)) {
    if (!out[m]) continue;
    const kept = prev.filter((p) => out[m].includes(p)).length;
    expect(kept).toBeGreaterThanOrEqual(Math.min(prev.length, quota));
  }
});

test('uniform keeps a stable assignment when nothing changed', () => {
  const members = { a: { topics: ['t'], instanceId: null }, b: { topics: ['t'], instanceId: null } };
  const first = uniform.assign({ topics: { t: 5 }, members, previous: {} });
  expect(uniform.assign({ topics: { t: 5 }, members, previous: first })).toEqual(first);
});

test('server range gives contiguous ranges, the first members one extra (RangeAssignor)', () => {
  const members = { a: { topics: ['t'], instanceId: null }, b: { topics: ['t'], instanceId: null } };
  expect(serverRange.assign({ topics: { t: 5 }, members, previous: {} })).toEqual({ a: ['t-0', 't-1', 't-2'], b: ['t-3', 't-4'] });
});
