// The explorer's packed stores: 53-bit fingerprints (the canonical states' hashes, see
// canonical.ts) in open-addressing tables of plain Float64Arrays, with no object, boxed number
// or hidden-class entry per state. A JS Set<number> spends about 40 bytes per 53-bit entry (a
// heap number and a hash-table entry) and holds at most 2^24 of them; here an entry is 8 bytes
// (12 with a value) and the table is kept at most 70% full.

const MAX_LOAD = 0.7;
const EMPTY = 0;

/** The slot a fingerprint starts probing at: its low 32 bits mixed with the high ones, masked. */
const home = (key: number, mask: number): number => (Math.imul((key >>> 0) ^ Math.floor(key / 4294967296), 0x9e3779b1) >>> 0) & mask;

/** A set of fingerprints (non-negative integers below 2^53). */
export class FingerprintSet {
  // Keys are stored plus one, so that an empty slot (0) is never a stored key.
  private keys: Float64Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 10) {
    this.keys = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds a fingerprint; false if it was there already. */
  add(key: number): boolean {
    const stored = key + 1;
    const keys = this.keys;
    for (let i = home(key, this.mask); ; i = (i + 1) & this.mask) {
      const k = keys[i];
      if (k === stored) return false;
      if (k === EMPTY) {
        keys[i] = stored;
        if (++this.size > this.keys.length * MAX_LOAD) this.grow();
        return true;
      }
    }
  }

  has(key: number): boolean {
    const stored = key + 1;
    for (let i = home(key, this.mask); ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === stored) return true;
      if (k === EMPTY) return false;
    }
  }

  /** Every fingerprint, in table order. */
  values(): Float64Array {
    const out = new Float64Array(this.size);
    let j = 0;
    for (const k of this.keys) if (k !== EMPTY) out[j++] = k - 1;
    return out;
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.keys.byteLength;
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Float64Array(old.length * 2);
    this.mask = this.keys.length - 1;
    for (const k of old) {
      if (k === EMPTY) continue;
      let i = home(k - 1, this.mask);
      while (this.keys[i] !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = k;
    }
  }
}

/**
 * A cache from fingerprints to 32-bit integers (the liveness memo's milliseconds): a value that
 * is not one (a fraction, or beyond 2^31 - 1) is not kept, and `get` misses it later.
 */
export class FingerprintMap {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 10) {
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get(key: number): number | undefined {
    const stored = key + 1;
    for (let i = home(key, this.mask); ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === stored) return this.vals[i];
      if (k === EMPTY) return undefined;
    }
  }

  set(key: number, value: number): void {
    if (value !== (value | 0)) return;
    const stored = key + 1;
    for (let i = home(key, this.mask); ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === stored) {
        this.vals[i] = value;
        return;
      }
      if (k === EMPTY) {
        this.keys[i] = stored;
        this.vals[i] = value;
        if (++this.size > this.keys.length * MAX_LOAD) this.grow();
        return;
      }
    }
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Float64Array(keys.length * 2);
    this.vals = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (k === EMPTY) continue;
      let i = home(k - 1, this.mask);
      while (this.keys[i] !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.vals[i] = vals[j];
    }
  }
}
