import { expect, test } from 'vitest';
import { type Hashed, hashOf, hashUnder, NAME } from './structural.ts';

// The fingerprint's structural hash must tell values apart exactly as their JSON does, and a
// renaming of the clients applied to the hash must equal the hash of the renamed value.

const perms = [
  [0, 1, 2],
  [1, 0, 2],
  [2, 0, 1],
  [1, 2, 0],
];
const AS_IS = 0;
const BLIND = 1;
const plain = (v: unknown): number => hashUnder(hashOf(9, v), AS_IS, perms);

test('values with equal JSON hash alike; values with other JSON hash apart', () => {
  const groups: unknown[][] = [
    [{ a: 1, b: undefined }, { a: 1 }, { a: 1, f: () => 0 }],
    [
      [1, undefined],
      [1, null],
      [1, () => 0],
      [1, Number.NaN],
      [1, Number.POSITIVE_INFINITY],
    ],
    [0, -0],
    [{ x: [0.5, 'c1-2'] }],
    [{ x: [0.5, 'c2-2'] }],
    [{ b: 1, a: 1 }],
    [{ a: 1, b: 1 }],
    [[1]],
    [['1']],
    [[true]],
    [['true']],
    [[[]]],
    [[{}]],
    [[null]],
    ['c1'],
    ['i1'],
    ['c12'],
    ['c1c'],
    [{}],
    [[]],
  ];
  const hashes = groups.map((g) => {
    for (const v of g.slice(1)) expect(JSON.stringify(v)).toBe(JSON.stringify(g[0]));
    const hs = new Set(g.map(plain));
    expect(hs.size, JSON.stringify(g[0])).toBe(1);
    return [...hs][0];
  });
  expect(new Set(hashes).size).toBe(groups.length);
});

const renameText = (s: string, perm: readonly number[]): string =>
  s.replace(NAME, (_, p: string, n: string) => `${p}${perm[Number(n) - 1] + 1}`);
// Keys and strings alike (member ids are keys of the coordinator's members).
const renameValue = (v: unknown, perm: readonly number[]): unknown =>
  typeof v === 'string'
    ? renameText(v, perm)
    : Array.isArray(v)
      ? v.map((x) => renameValue(x, perm))
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [renameText(k, perm), renameValue(x, perm)]))
        : v;

test('a renaming maps the names the hash recorded: the same as hashing the renamed value', () => {
  const v = {
    members: { 'c1-4': { client: 'c1', instance: 'i1', timers: ['session:c1-4'] }, 'c3-1': { client: 'c3' } },
    owner: { t0: 'c2', t1: 'c3' },
    note: 'no names here',
  };
  const h: Hashed = hashOf(9, v);
  expect(typeof h).not.toBe('number');
  for (let pi = 0; pi < perms.length; pi++) {
    // Under renaming pi, the value's hash is the renamed value's hash with the names kept as they are.
    const renamed = hashOf(9, renameValue(v, perms[pi]));
    expect(hashUnder(h, 2 + pi, perms)).toBe(hashUnder(renamed, 2, perms));
    // And the name-blind signature does not depend on the names.
    expect(hashUnder(renamed, BLIND, perms)).toBe(hashUnder(h, BLIND, perms));
  }
  // Two renamings that give other values give other hashes.
  expect(hashUnder(h, 2, perms)).not.toBe(hashUnder(h, 3, perms));
  // A value that names no client is one number, whatever the renaming.
  expect(typeof hashOf(9, { note: 'no names here', n: [1, 2] })).toBe('number');
});
