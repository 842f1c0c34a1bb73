// The explorer's packed stores: fingerprints (the canonical states' hashes, see canonical.ts)
// in open-addressing tables of typed arrays, with no object, boxed number or hidden-class entry
// per state. A JS Set<number> spends about 40 bytes per 53-bit entry (a heap number and a
// hash-table entry) and holds at most 2^24 of them; here a state's 64-bit fingerprint is two
// 32-bit words (8 bytes), the liveness memo's 53-bit key and value 12 bytes, and each table is
// kept at most 70% full.

const MAX_LOAD = 0.7;
const EMPTY = 0;
const TWO32 = 4294967296;

/** The slot a fingerprint starts probing at: its low 32 bits mixed with the high ones, masked. */
const home = (key: number, mask: number): number => (Math.imul((key >>> 0) ^ Math.floor(key / TWO32), 0x9e3779b1) >>> 0) & mask;
const home2 = (lo: number, hi: number, mask: number): number => (Math.imul(lo ^ hi, 0x9e3779b1) >>> 0) & mask;

/**
 * A set of 64-bit fingerprints, each given as a 53-bit integer and the 11 bits above it
 * (`stateHash` and `lastStateHashHigh`), kept as two 32-bit words.
 */
export class FingerprintSet {
  // (0, 0) marks an empty slot; the fingerprint 0 itself is the flag `zero`.
  private lo: Uint32Array;
  private hi: Uint32Array;
  private mask: number;
  private zero = false;
  size = 0;

  constructor(capacity = 1 << 10) {
    this.lo = new Uint32Array(capacity);
    this.hi = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds a fingerprint (`key` below 2^53, `high` below 2^11); false if it was there already. */
  add(key: number, high = 0): boolean {
    const lo = key >>> 0;
    const hi = (Math.floor(key / TWO32) | (high << 21)) >>> 0;
    if ((lo | hi) === 0) {
      if (this.zero) return false;
      this.zero = true;
      this.size++;
      return true;
    }
    const los = this.lo;
    const his = this.hi;
    for (let i = home2(lo, hi, this.mask); ; i = (i + 1) & this.mask) {
      const l = los[i];
      const h = his[i];
      if (l === lo && h === hi) return false;
      if ((l | h) === EMPTY) {
        los[i] = lo;
        his[i] = hi;
        if (++this.size > this.lo.length * MAX_LOAD) this.grow();
        return true;
      }
    }
  }

  has(key: number, high = 0): boolean {
    const lo = key >>> 0;
    const hi = (Math.floor(key / TWO32) | (high << 21)) >>> 0;
    if ((lo | hi) === 0) return this.zero;
    for (let i = home2(lo, hi, this.mask); ; i = (i + 1) & this.mask) {
      const l = this.lo[i];
      const h = this.hi[i];
      if (l === lo && h === hi) return true;
      if ((l | h) === EMPTY) return false;
    }
  }

  /** Every fingerprint's 53 low bits, in table order (the fingerprint 0 first). */
  values(): Float64Array {
    const out = new Float64Array(this.size);
    let j = 0;
    if (this.zero) out[j++] = 0;
    for (let i = 0; i < this.lo.length; i++)
      if ((this.lo[i] | this.hi[i]) !== EMPTY) out[j++] = (this.hi[i] & 0x1fffff) * TWO32 + this.lo[i];
    return out;
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.lo.byteLength + this.hi.byteLength;
  }

  private grow(): void {
    const lo = this.lo;
    const hi = this.hi;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(lo.length * 2);
    this.mask = this.lo.length - 1;
    for (let j = 0; j < lo.length; j++) {
      if ((lo[j] | hi[j]) === EMPTY) continue;
      let i = home2(lo[j], hi[j], this.mask);
      while ((this.lo[i] | this.hi[i]) !== EMPTY) i = (i + 1) & this.mask;
      this.lo[i] = lo[j];
      this.hi[i] = hi[j];
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
