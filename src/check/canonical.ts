import type { AnyMachineSnapshot } from 'xstate';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { Msg, World } from '../world/types.ts';

// The canonical form of a world for the explorer: two worlds with the same key have the same
// futures and the same invariant verdicts. What is left out or renumbered, and why it is safe:
// - observer bookkeeping that no choice or invariant reads: `metrics`, `processed` (feeds only
//   metrics), `sent` (what the last step sent: invariants read it from the step's result),
//   `formations` (only a source of fresh ids);
// - message ids (renumbered by position; choices name messages by id only within one world);
// - correlation ids, per client incarnation, replaced by their rank (the machines and the
//   invariants only compare them for equality, and new ones are always above every old one);
// - formations, replaced by their rank (invariants only compare them for equality);
// - time: every deadline is kept relative to `now` (the machines only read `now` to set
//   deadlines `now + x`, the world fires the earliest one, and the only invariant that reads
//   the clock, eventually-stable, measures durations). So a heartbeat round that ends where it
//   began, one interval later, is the same state.
// With `symmetry`, client slots are interchangeable: the key is the smallest over renamings of
// c1..cN (member ids, instance ids and timer names carry the name and are renamed with it).
// Without `ordered`, the in-flight messages are a multiset: `enabled` offers every message
// whatever its position and `step` appends, so the order only matters to the fair schedule.

export interface KeyOptions {
  symmetry: boolean;
  /** Keep the absolute clock (a bound on virtual time needs it). */
  absoluteTime?: boolean;
  /** Keep the order of in-flight messages (the fair schedule delivers the oldest first). */
  ordered: boolean;
}

type Endpoint = { client: string; inc: number };

const shiftTimers = (timers: Record<string, number>, now: number): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const k in timers) out[k] = timers[k] - now;
  return out;
};

/** Rank of each value among the sorted distinct values (null stays null). */
function ranks(values: Iterable<number | null>): Map<number, number> {
  const sorted = [...new Set([...values].filter((v): v is number => v !== null))].sort((a, b) => a - b);
  return new Map(sorted.map((v, i) => [v, i]));
}

/** Correlation ids per endpoint `client#inc`, ranked. */
function corrRanks(w: World): Map<string, Map<number, number>> {
  const byEndpoint = new Map<string, number[]>();
  const add = (e: Endpoint, corr: number | null | undefined) => {
    if (corr === null || corr === undefined) return;
    const k = `${e.client}#${e.inc}`;
    const list = byEndpoint.get(k);
    if (list) list.push(corr);
    else byEndpoint.set(k, [corr]);
  };
  for (const s of w.clients) {
    if (!s.snapshot) continue;
    const c = s.snapshot.context as ConsumerContext;
    const e = { client: s.name, inc: s.inc };
    add(e, c.nextCorr);
    for (const k in c.inflight) add(e, c.inflight[k as keyof ConsumerContext['inflight']]?.corr);
  }
  for (const m of w.net) add(m.body.client, m.body.corr);
  const g = w.coordinator.context as CoordinatorContext;
  for (const id in g.members) {
    add(g.members[id].client, g.members[id].joinCorr);
    add(g.members[id].client, g.members[id].syncCorr);
  }
  const out = new Map<string, Map<number, number>>();
  for (const [k, list] of byEndpoint) out.set(k, ranks(list));
  return out;
}

/**
 * The parts of the key: one string per client slot (in slot order) and one for everything
 * else, each still naming clients as in the world (renaming is done on the strings).
 */
function parts(w: World, ordered: boolean, absoluteTime: boolean): { slots: string[]; rest: string; net: string[] } {
  const corr = corrRanks(w);
  const rc = (e: Endpoint, v: number | null | undefined) => (v === null || v === undefined ? v : corr.get(`${e.client}#${e.inc}`)!.get(v));
  const formation = ranks([w.formation, w.persistedFormation, ...w.clients.map((s) => s.formation), ...w.net.map((m) => m.formation)]);
  const rf = (f: number | null) => (f === null ? null : formation.get(f));
  const slots = w.clients.map((s) => {
    const snap = s.snapshot as AnyMachineSnapshot | null;
    let machine: unknown = null;
    if (snap) {
      const c = snap.context as ConsumerContext;
      const e = { client: s.name, inc: s.inc };
      const inflight: Record<string, unknown> = {};
      for (const k in c.inflight) {
        const x = c.inflight[k as keyof ConsumerContext['inflight']];
        if (x) inflight[k] = { ...x, corr: rc(e, x.corr) };
      }
      // cfg holds the construction settings; only what a bounce or a subscription change can vary is kept.
      const cfg = [c.cfg.protocol, c.cfg.assignors, c.cfg.topics];
      machine = [snap.value, snap.status, { ...c, cfg, nextCorr: rc(e, c.nextCorr), inflight, timers: shiftTimers(c.timers, w.now) }];
    }
    return JSON.stringify([s.name, s.inc, s.status, s.cut, rf(s.formation), s.phase, machine]);
  });
  const g = w.coordinator.context as CoordinatorContext;
  const members: Record<string, unknown> = {};
  for (const id in g.members) {
    const m = g.members[id];
    members[id] = { ...m, joinCorr: rc(m.client, m.joinCorr), syncCorr: rc(m.client, m.syncCorr) };
  }
  const coordinator = [w.coordinator.value, w.coordinator.status, { ...g, members, timers: shiftTimers(g.timers, w.now) }];
  const rest = JSON.stringify([absoluteTime ? w.now : 0, w.coordinatorEpoch, rf(w.formation), rf(w.persistedFormation), w.topics, coordinator]);
  const net = w.net.map((m: Msg) => JSON.stringify([m.to, rf(m.formation), { ...m.body, corr: rc(m.body.client, m.body.corr) }]));
  if (!ordered) net.sort();
  return { slots, rest, net };
}

// Client names (c1), instance ids (i1) and member ids (c1-4) as they appear inside strings.
const NAME = /\b([ci])([1-9]\d*)\b/g;

function rename(s: string, to: readonly number[]): string {
  return s.replace(NAME, (_, p: string, n: string) => `${p}${to[Number(n) - 1] + 1}`);
}

function permutations(n: number): number[][] {
  if (n <= 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}
const permCache = new Map<number, number[][]>();

/** The canonical key of a world (see the file comment). */
export function canonicalKey(w: World, opts: KeyOptions): string {
  const { slots, rest, net } = parts(w, opts.ordered, opts.absoluteTime ?? false);
  const n = slots.length;
  if (!opts.symmetry || n === 1) return `${rest}|${slots.join('|')}|${net.join('|')}`;
  // Only renamings that sort the slots by their name-blind signature can give the smallest key;
  // the minimum over those is the same for every member of a symmetry class.
  const signature = slots.map((s) => s.replace(NAME, '#'));
  let perms = permCache.get(n);
  if (!perms) permCache.set(n, (perms = permutations(n)));
  let best: string | undefined;
  for (const perm of perms) {
    // perm[i]: the new index of slot i. Keep it only if it sorts the signatures.
    const order: number[] = new Array(n);
    for (let i = 0; i < n; i++) order[perm[i]] = i;
    let sorted = true;
    for (let j = 1; j < n && sorted; j++) if (signature[order[j - 1]] > signature[order[j]]) sorted = false;
    if (!sorted) continue;
    const renamedNet = net.map((m) => rename(m, perm));
    if (!opts.ordered) renamedNet.sort();
    const key = `${rename(rest, perm)}|${order.map((i) => rename(slots[i], perm)).join('|')}|${renamedNet.join('|')}`;
    if (best === undefined || key < best) best = key;
  }
  return best!;
}

/** A 53-bit hash of a string (cyrb53): the explorer stores fingerprints, as TLC does. */
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

export const stateHash = (w: World, opts: KeyOptions): number => fingerprint(canonicalKey(w, opts));
