// Structural hashing for the explorer's fingerprints (canonical.ts): a value is walked (objects
// in key order, keys hashed too; arrays; strings; numbers; booleans; null) and mixed into two
// 32-bit lanes, with no string built. Two values with equal JSON get equal hashes: fields that
// are undefined (or functions) are skipped in objects and are null in arrays, -0 is 0, and
// NaN and the infinities are null, all as JSON.stringify has them.
//
// Client names inside strings (c1, instance ids i1, member ids c1-4, timer names carrying them:
// the pattern NAME) are what a renaming of the clients changes. Each distinct string is
// tokenized once: the hash of its name-blind template (each name replaced by its letter and a
// placeholder) and the slot index of each name. A walk keeps the hashes of the runs between
// names (`segs`) and those slot indexes (`refs`), so the hash under a renaming maps small
// integers (`Named.under`), and the text is never rewritten.

/** A 53-bit hash of a string (cyrb53). */
export function fingerprint(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Mixes a 53-bit value (or any safe integer) into a two-lane running hash (h[0], h[1]: 32-bit lanes). */
export function mix(h: Uint32Array, f: number): void {
  const a = Math.imul(h[0] ^ (f >>> 0), 2654435761);
  h[1] = Math.imul(h[1] ^ Math.floor(f / 4294967296), 1597334677) ^ (a >>> 15);
  h[0] = a;
}
/** The top 11 bits of the last `finish`: with its 53-bit result, a 64-bit hash. */
let high11 = 0;
export const lastHigh = (): number => high11;
export function finish(h: Uint32Array): number {
  const h1 = Math.imul(h[0] ^ (h[0] >>> 16), 2246822507) ^ Math.imul(h[1] ^ (h[1] >>> 13), 3266489909);
  const h2 = Math.imul(h[1] ^ (h[1] >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  high11 = h2 >>> 21;
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

// A part's hash has 63 bits, held by a double as its bit pattern (the exponent's top bit
// cleared, so never a NaN or an infinity, whose bits a double need not keep; -0 and the
// subnormals are kept): `finishPart` makes one, `mixPart` mixes its two 32-bit words.
const bits = new Float64Array(1);
// Which word of the double holds the sign and exponent (the machine's byte order).
const HIGH = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80 ? 1 : 0;
const LOW = 1 - HIGH;
const words = new Uint32Array(bits.buffer);
export function finishPart(h: Uint32Array): number {
  const h1 = Math.imul(h[0] ^ (h[0] >>> 16), 2246822507) ^ Math.imul(h[1] ^ (h[1] >>> 13), 3266489909);
  const h2 = Math.imul(h[1] ^ (h[1] >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  words[LOW] = h1;
  words[HIGH] = h2 & 0xbfff_ffff;
  return bits[0];
}
export function mixPart(h: Uint32Array, f: number): void {
  bits[0] = f;
  const a = Math.imul(h[0] ^ words[LOW], 2654435761);
  h[1] = Math.imul(h[1] ^ words[HIGH], 1597334677) ^ (a >>> 15);
  h[0] = a;
}
/** The two 32-bit words of a part's hash (in the machine's order), in a view overwritten by the next call. */
export function partWords(f: number): Uint32Array {
  bits[0] = f;
  return words;
}

// Client names (c1), instance ids (i1) and member ids (c1-4) as they appear inside strings.
export const NAME = /\b([ci])([1-9]\d*)\b/g;

/** A string's hash: of its name-blind template, and the slot index of each name in it (null: none). */
type Token = { h: number; refs: number[] | null };
const tokens = new Map<string, Token>();
function tokenOf(s: string): Token {
  let t = tokens.get(s);
  if (t !== undefined) return t;
  let refs: number[] | null = null;
  let template = '';
  let last = 0;
  for (const m of s.matchAll(NAME)) {
    template += `${s.slice(last, m.index)}${m[1]}\u0000`;
    (refs ??= []).push(Number(m[2]) - 1);
    last = m.index + m[0].length;
  }
  if (tokens.size > 200_000) tokens.clear();
  tokens.set(s, (t = { h: refs === null ? fingerprint(s) : fingerprint(template + s.slice(last)), refs }));
  return t;
}

// Tags: structure and the constants, apart from every string's hash and every small integer.
const NULL = 0x1f_3a5c_9e21_b7d3;
const TRUE = 0x0a_77c1_35e9_2b41;
const FALSE = 0x13_5d0e_8a4f_c629;
const ARRAY = 0x06_e2b9_71d8_4f05;
const OBJECT = 0x1c_48f6_0b3e_a917;
const END = 0x0d_91a4_e67c_3b28;
const NAN = 0x17_c03b_5f82_d64e;

// The walk in progress: its lanes, and the runs and names cut so far (null while none).
const lanes = new Uint32Array(2);
let segs: number[] | null = null;
let refs: number[] | null = null;
const restart = (seed: number): void => {
  lanes[0] = 0x2f1b_c3a7 ^ seed;
  lanes[1] = 0x7a4d_1e93;
};

/**
 * A hash that depends on the renaming of the clients: the hashes of the runs between names
 * (one more than the names) and each name's slot index; under a renaming (a mapping id, see
 * `under`), cached.
 */
export class Named {
  /** By mapping (a plain array: a typed one costs more to make, and most of these live for one state). */
  private cache: number[] = [];
  /** The number of slots the renamings in `cache` are of. */
  private n = -1;
  constructor(
    readonly segs: readonly number[],
    readonly refs: readonly number[],
  ) {}
  /**
   * The hash with each name's slot mapped: mapping 0 keeps the names (no symmetry), 1 hides
   * them (the name-blind signature), 2 + i renames by `perms[i]` (perm[slot]: the new slot;
   * a name beyond the n slots becomes one unknown name, as the string key's renaming has it).
   */
  under(mapping: number, perms: readonly (readonly number[])[]): number {
    if (mapping >= 2 && perms[0].length !== this.n) {
      // Mappings 0 and 1 do not depend on the number of slots; the renamings do.
      this.cache.length = Math.min(this.cache.length, 2);
      this.n = perms[0].length;
    }
    const cachedHash = this.cache[mapping];
    if (cachedHash !== undefined) return cachedHash;
    const perm = mapping >= 2 ? perms[mapping - 2] : undefined;
    const n = this.n;
    const h = replay;
    h[0] = 0x5bd1_e995;
    h[1] = 0x1b87_3593;
    for (let i = 0; i < this.refs.length; i++) {
      mixPart(h, this.segs[i]);
      const r = this.refs[i];
      mix(h, mapping === 0 ? r : perm === undefined ? -2 : r < n ? perm[r] : -1);
    }
    mixPart(h, this.segs[this.refs.length]);
    return (this.cache[mapping] = finishPart(h));
  }
}
const replay = new Uint32Array(2);

/** A structural hash: a number when the value names no client (every renaming leaves it be). */
export type Hashed = number | Named;
export const hashUnder = (p: Hashed, mapping: number, perms: readonly (readonly number[])[]): number =>
  typeof p === 'number' ? p : p.under(mapping, perms);

/** Starts a walk (one at a time: walks do not nest). */
export function begin(seed: number): void {
  restart(seed);
  segs = null;
  refs = null;
}
/** Ends the walk: its hash. */
export function end(): Hashed {
  const last = finishPart(lanes);
  if (segs === null || refs === null) return last;
  segs.push(last);
  const named = new Named(segs, refs);
  segs = null;
  refs = null;
  return named;
}

export function mixString(s: string): void {
  const t = tokenOf(s);
  mix(lanes, t.h);
  if (t.refs === null) return;
  for (const r of t.refs) {
    (segs ??= []).push(finishPart(lanes));
    (refs ??= []).push(r);
    restart(0);
  }
}
/** A number as JSON has it: -0 is 0, NaN and the infinities are null. */
export function mixNumber(x: number): void {
  if (Number.isSafeInteger(x)) mix(lanes, x);
  else if (Number.isFinite(x)) mix(lanes, fingerprint(`~${x}`));
  else mix(lanes, NULL);
}
/** A number or null as a template string has it (`${x}`): null and NaN apart. */
export function mixField(x: number | null | undefined): void {
  if (x === null || x === undefined) mix(lanes, NULL);
  else if (Number.isNaN(x)) mix(lanes, NAN);
  else mixNumber(x);
}
export const mixTag = (tag: 'object' | 'end'): void => mix(lanes, tag === 'object' ? OBJECT : END);

/** Whether JSON.stringify leaves a field with this value out of an object. */
export const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Mixes one field of an object (its name and its value), unless JSON would skip it. */
export function mixEntry(k: string, v: unknown): void {
  if (skipped(v)) return;
  mixString(k);
  walk(v);
}

/** Mixes a value as its JSON would read. */
export function walk(v: unknown): void {
  switch (typeof v) {
    case 'string':
      mixString(v);
      return;
    case 'number':
      mixNumber(v);
      return;
    case 'boolean':
      mix(lanes, v ? TRUE : FALSE);
      return;
    case 'object': {
      if (v === null) {
        mix(lanes, NULL);
        return;
      }
      if (Array.isArray(v)) {
        mix(lanes, ARRAY);
        mix(lanes, v.length);
        for (let i = 0; i < v.length; i++) walk(v[i]);
        return;
      }
      mix(lanes, OBJECT);
      const o = v as Record<string, unknown>;
      for (const k in o) mixEntry(k, o[k]);
      mix(lanes, END);
      return;
    }
    default:
      // undefined, a function or a symbol in an array (or at the top): null in JSON.
      mix(lanes, NULL);
  }
}

/** The structural hash of one value. */
export function hashOf(seed: number, v: unknown): Hashed {
  begin(seed);
  walk(v);
  return end();
}
