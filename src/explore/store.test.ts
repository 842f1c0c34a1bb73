import { expect, test } from 'vitest';
import { FingerprintMap, FingerprintSet } from './store.ts';

// The packed tables against JS's own Set and Map on the same fingerprints (53 bits, and for the
// set 11 more), through several growths, with 0, 2^53 - 1 and fingerprints that share their
// low 32 bits.

const fingerprints = (n: number): number[] => {
  const out = [0, 2 ** 53 - 1, 2 ** 32, 2 ** 33, 1];
  let x = 0x12345678;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    // Every tenth repeats an earlier one; some differ from another only above bit 32.
    out.push(i % 10 === 9 ? out[i >> 1] : (x % 2 ** 21) * 2 ** 32 + (Math.imul(x, 2654435761) >>> 0));
  }
  return out;
};

test('FingerprintSet keeps all 64 bits: fingerprints that differ only in the 11 bits above 53 are distinct', () => {
  const set = new FingerprintSet(8);
  const reference = new Set<string>();
  const added: boolean[] = [];
  const expected: boolean[] = [];
  for (const [i, f] of fingerprints(20_000).entries()) {
    for (const high of [0, 1, 2047, i % 2048]) {
      added.push(set.add(f, high));
      expected.push(!reference.has(`${f}/${high}`));
      reference.add(`${f}/${high}`);
    }
  }
  expect(added).toEqual(expected);
  expect(set.size).toBe(reference.size);
  expect([set.has(0, 0), set.has(0, 1), set.has(2 ** 53 - 1, 2047), set.has(3, 5)]).toEqual([true, true, true, reference.has('3/5')]);
});

test('FingerprintSet adds and finds exactly what a Set does, through growth', () => {
  const set = new FingerprintSet(8);
  const reference = new Set<number>();
  const added: boolean[] = [];
  const expected: boolean[] = [];
  for (const f of fingerprints(50_000)) {
    added.push(set.add(f));
    expected.push(!reference.has(f));
    reference.add(f);
  }
  expect(added).toEqual(expected);
  expect(expected.filter((x) => !x).length).toBeGreaterThan(4000);
  expect(set.size).toBe(reference.size);
  expect([...reference].every((f) => set.has(f))).toBe(true);
  expect(set.has(12345.5e3)).toBe(reference.has(12345.5e3));
  expect([...set.values()].sort((a, b) => a - b)).toEqual([...reference].sort((a, b) => a - b));
  expect(set.bytes).toBeLessThan(reference.size * 8 * 3);
});

test('FingerprintMap keeps the last 32-bit value of each key, and no value that is not one', () => {
  const map = new FingerprintMap(8);
  const reference = new Map<number, number>();
  for (const [i, f] of fingerprints(20_000).entries()) {
    map.set(f, i);
    reference.set(f, i);
  }
  expect(map.size).toBe(reference.size);
  expect([...reference].every(([k, v]) => map.get(k) === v)).toBe(true);
  expect(map.get(2 ** 52 + 3)).toBeUndefined();
  map.set(7, -1);
  expect(map.get(7)).toBe(-1);
  // A fraction or a value beyond 32 bits is not kept (a cache may forget; it must not lie).
  map.set(8, 1.5);
  map.set(9, 2 ** 31);
  expect([map.get(8), map.get(9)]).toEqual([undefined, undefined]);
});
