import type { AnyMachineSnapshot } from 'xstate';
import type { ConsumerConfig, ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { MemberConfig } from '../../models/consumer-protocol/member-state.ts';
import type { CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { ClientSlot, Msg, World } from '../world/types.ts';

// The canonical form of a world for the explorer: two worlds with the same key have the same
// futures and the same invariant verdicts. What is left out or renumbered, and why it is safe:
// - observer bookkeeping that no choice or invariant reads: `metrics`, `processed` (feeds only
//   metrics, except in offset retention runs, where it is kept: a `latest` reset reads it), `sent` (what the last step sent: invariants read it from the step's result),
//   `formations` (only a source of fresh ids);
// - message ids (renumbered by position; choices name messages by id only within one world);
// - correlation ids, kept as the distance below the client's next one (the machines and the
//   invariants only compare them for equality, and new ones are always above every old one),
//   and dropped for processes that are gone (nothing addressed to them is delivered any more);
// - formations, replaced by their rank (invariants only compare them for equality);
// - every other field is kept: the ones `parts` reads are listed (WORLD_FIELDS and its
//   siblings), and a field it does not know enters the key as its JSON (`otherFields`);
// - time: every deadline is kept relative to `now` (the machines only read `now` to set
//   deadlines `now + x`, the world fires the earliest one, and the only invariant that reads
//   the clock, eventually-stable, measures durations). So a heartbeat round that ends where it
//   began, one interval later, is the same state. A callback's start time (`callbackSince`) is
//   kept as its age only with `messageAge` (the bounded-delay network reads it like a message's).
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
  /** Keep how long each message has been in flight (a bounded-delay search reads it). */
  messageAge?: boolean;
}

type Endpoint = { client: string; inc: number };

// Parts of a world that a step did not change are the same objects in the next world, so
// their serializations are cached by identity, in a box that also keeps the serialization's
// fingerprint, its name-blind signature and its fingerprint under each renaming.
class Text {
  fp = -1;
  sig: string | undefined;
  renamed: Float64Array | undefined;
  constructor(readonly text: string) {}
}
/**
 * A part of the key: a cached serialization, a short string made anew (heads, relative timers,
 * tags), or, for the fingerprint only, the hash of such a short part computed from its fields
 * as numbers (no string is built; only for parts that name no client, so renaming leaves them be).
 */
type Part = string | Text | number;
const textOf = (p: Part): string => (typeof p === 'string' ? p : typeof p === 'number' ? String(p) : p.text);
const jsonCache = new WeakMap<object, Text>();
const cached = (o: object, make: () => string): Text => {
  let t = jsonCache.get(o);
  if (t === undefined) jsonCache.set(o, (t = new Text(make())));
  return t;
};

const timersText = (timers: Record<string, number>, now: number): string => {
  let out = '';
  for (const k in timers) out += `${k}=${timers[k] - now},`;
  return out;
};

/** Rank of each value among the sorted distinct values. */
function ranks(values: Array<number | null>): Map<number, number> {
  const sorted: number[] = [];
  for (const v of values) if (v !== null && !sorted.includes(v)) sorted.push(v);
  sorted.sort((a, b) => a - b);
  const out = new Map<number, number>();
  for (let i = 0; i < sorted.length; i++) out.set(sorted[i], i);
  return out;
}

/**
 * Correlation ids as distances below the endpoint's next one (a new id is always above every
 * old one, and ids are only compared for equality). An endpoint that is not the live process
 * of its slot never receives anything again (the world drops responses to it), so its ids are 0.
 */
function corrOf(w: World, e: Endpoint, corr: number | null | undefined): number | null {
  if (corr === null || corr === undefined) return null;
  for (const s of w.clients) {
    if (s.name !== e.client) continue;
    if (s.inc !== e.inc || s.status !== 'running' || !s.snapshot || s.snapshot.status !== 'active') return 0;
    return (s.snapshot.context as ConsumerContext).nextCorr - corr;
  }
  return 0;
}

function snapshotText(snap: AnyMachineSnapshot): Text {
  return cached(snap, () => {
    const c = snap.context as ConsumerContext;
    const inflight: Record<string, unknown> = {};
    for (const k in c.inflight) {
      const x = c.inflight[k as keyof ConsumerContext['inflight']];
      if (x) inflight[k] = { ...x, corr: c.nextCorr - x.corr };
    }
    // cfg holds the construction settings; only what a bounce or a subscription change can vary
    // is kept, and any setting not listed in CFG_FIELDS (one added later).
    const { cfg, timers: _t, nextCorr: _n, inflight: _i, ...rest } = c;
    const other = otherFields(cfg, CFG_FIELDS);
    const key: unknown[] = [snap.value, snap.status, cfg.protocol, cfg.assignors, cfg.topics, rest, inflight];
    if (other !== '') key.push(other);
    return JSON.stringify(key);
  });
}

function coordinatorText(snap: AnyMachineSnapshot): Text {
  return cached(snap, () => {
    const g = snap.context as CoordinatorContext;
    const members: Record<string, unknown> = {};
    for (const id in g.members) {
      const { joinCorr: _j, syncCorr: _s, ...m } = g.members[id];
      members[id] = m;
    }
    const { timers: _t, ...rest } = g;
    return JSON.stringify([snap.value, snap.status, { ...rest, members }]);
  });
}

// By body: the explorer's memoised transitions hand the same body to every world that sends it.
const messageText = (m: Msg): Text =>
  cached(m.body, () => {
    const { corr: _c, ...body } = m.body;
    return JSON.stringify([m.to, body]);
  });

function downgradeMark(w: World, rf: (f: number | null) => number | null | undefined): Part[] {
  const d = w.downgrade;
  if (d === null || (d.formation !== w.formation && d.formation !== w.persistedFormation)) return [];
  return [`d${rf(d.formation)}${w.coordinatorEpoch > d.coordinatorEpoch ? 'r' : ''}`];
}

// Every field of a world, a client slot and a message that `parts` reads, or leaves out on
// purpose (the file comment says why). Any other field, one added to the world later, enters the
// key as it is (its name and JSON, in a string part, so renaming reaches client names in it): a
// field is never left out of the key silently, and leaving one out is a decision written here.
// (canonical.test.ts adds an unknown field to a world, a slot and a message, and checks the key
// and the fingerprint change.)
const WORLD_FIELDS: ReadonlySet<string> = new Set([
  'family',
  'now',
  'coordinator',
  'coordinatorEpoch',
  'formation',
  'formations',
  'persistedFormation',
  'downgrade',
  'drift',
  'stranded',
  'clients',
  'net',
  'nextMsgId',
  'topics',
  'rackMoves',
  'retention',
  'processed',
  'sent',
  'metrics',
] satisfies Array<keyof World>);
const SLOT_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'inc',
  'status',
  'snapshot',
  'cut',
  'formation',
  'phase',
  'callbackSince',
  'skippedAssignment',
  'unreported',
  'zombieOf',
  'assignorFails',
  'assignorSlow',
] satisfies Array<keyof ClientSlot>);
/**
 * A consumer's construction settings (`cfg`, classic and KIP-848): read (protocol, assignors,
 * topics), or fixed for the slot by the world's config or equal to a slot field (the others).
 */
const CFG_FIELDS: ReadonlySet<string> = new Set([
  'protocol',
  'assignors',
  'topics',
  'client',
  'inc',
  'instanceId',
  'assignor',
  'settings',
  'autoCommit',
  'slowCallbacks',
  'slowAssignLost',
  'rack',
  'racks',
  'offsetReset',
] satisfies Array<keyof ConsumerConfig | keyof MemberConfig>);
const MSG_FIELDS: ReadonlySet<string> = new Set(['id', 'to', 'body', 'formation', 'sentAt'] satisfies Array<keyof Msg>);

/** The fields of `o` not in `known` (absent and undefined alike), as `name=JSON;` each; '' when none. */
function otherFields(o: object, known: ReadonlySet<string>): string {
  let out = '';
  for (const k in o) {
    if (known.has(k)) continue;
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out += `${k}=${JSON.stringify(v)};`;
  }
  return out;
}

/**
 * The parts of the key: one string per client slot (in slot order), the rest, and one per
 * message, each still naming clients as in the world (renaming is done on the strings).
 */
function parts(w: World, absoluteTime: boolean, messageAge: boolean, numeric = false): { slots: Part[][]; rest: Part[]; net: Part[][] } {
  const formation = ranks([w.formation, w.persistedFormation, ...w.clients.map((s) => s.formation), ...w.net.map((m) => m.formation)]);
  const rf = (f: number | null) => (f === null ? null : formation.get(f));
  const slots = w.clients.map((s): Part[] => {
    // No name: a slot's name is its position (after renaming, the position it is moved to).
    const head = numeric
      ? fields6(s.inc, wordHash(s.status), s.cut ? 1 : 0, rankOrNull(rf(s.formation)), s.phase, s.skippedAssignment ? 1 : 0)
      : `${s.inc},${s.status},${s.cut},${rf(s.formation)},${s.phase},${s.skippedAssignment ? 1 : 0}`;
    // This branch's per-process records, only when set (the common case hashes as before): the
    // KIP-848 unreported partitions, a zombie's slot, a pending assignor failure, and (bounded
    // delay) how long the callback has run.
    const extra =
      (s.unreported.length > 0 ? `u${s.unreported.join('+')}` : '') +
      (s.zombieOf !== null ? `z${s.zombieOf}` : '') +
      (s.assignorFails ? 'a' : '') +
      (s.assignorSlow ? 's' : '') +
      (messageAge && s.callbackSince !== null ? `c${w.now - s.callbackSince}` : '') +
      otherFields(s, SLOT_FIELDS);
    const more: Part[] = extra === '' ? [] : [extra];
    if (!s.snapshot) return [head, ...more];
    const timers = (s.snapshot.context as ConsumerContext).timers;
    return [
      head,
      snapshotText(s.snapshot),
      numeric ? (timersHash(timers, w.now) ?? timersText(timers, w.now)) : timersText(timers, w.now),
      ...more,
    ];
  });
  const g = w.coordinator.context as CoordinatorContext;
  let parked = '';
  for (const id in g.members) {
    const m = g.members[id];
    if (m.joinCorr !== null || m.syncCorr !== null)
      parked += `${id}:${corrOf(w, m.client, m.joinCorr)}/${corrOf(w, m.client, m.syncCorr)},`;
  }
  const rest: Part[] = [
    numeric
      ? fields6(
          absoluteTime ? w.now : 0,
          w.coordinatorEpoch,
          rankOrNull(rf(w.formation)),
          rankOrNull(rf(w.persistedFormation)),
          wordHash(w.family),
          0,
        )
      : `${absoluteTime ? w.now : 0},${w.coordinatorEpoch},${rf(w.formation)},${rf(w.persistedFormation)},${w.family}`,
    // The last downgrade (migration runs), only while its formation can be current (it is the
    // current or the persisted one: formations are never reissued otherwise), and whether a
    // failover came since: all eventually-stable's known-Kafka exemption reads of it.
    ...downgradeMark(w, rf),
    // Topics a static replacement changed in this generation (KAFKA-12759), only while current.
    ...(w.drift !== undefined && w.drift.formation === w.formation ? [`s${w.drift.topics.join(',')}`] : []),
    // Partitions a static replacement stranded in this generation, only while current.
    ...(w.stranded !== undefined && w.stranded.formation === w.formation ? [`x${w.stranded.partitions.join(',')}`] : []),
    // The brokers' topics change only when a partition is added: the same object, serialized once.
    cached(w.topics, () => JSON.stringify(w.topics)),
    // KIP-881: replica moves, only with racks (absent otherwise, so keys without racks are unchanged).
    ...(w.rackMoves ? [JSON.stringify(w.rackMoves)] : []),
    // Offset retention runs only: the cleanups spent, and `processed`, which a `latest` reset reads
    // as the log end and the skipped-record oracle reads too (absent otherwise, keys unchanged).
    ...(w.retention ? [`r${w.retention.expiries};${JSON.stringify(w.processed)}`] : []),
    coordinatorText(w.coordinator),
    parked,
    timersText(g.timers, w.now),
  ];
  const other = otherFields(w, WORLD_FIELDS);
  if (other !== '') rest.push(other);
  // In world order; the string key sorts them when they are a multiset, the fingerprint sums them.
  const net = w.net.map((m: Msg): Part[] => {
    const other = otherFields(m, MSG_FIELDS);
    const tag = numeric
      ? fields6(
          rankOrNull(rf(m.formation)),
          rankOrNull(corrOf(w, m.body.client, m.body.corr)),
          messageAge ? 1 : 0,
          messageAge ? w.now - m.sentAt : 0,
          0,
          0,
        )
      : `${rf(m.formation)},${corrOf(w, m.body.client, m.body.corr)}${messageAge ? `,${w.now - m.sentAt}` : ''}`;
    return other === '' ? [messageText(m), tag] : [messageText(m), tag, other];
  });
  return { slots, rest, net };
}

// Short parts as numbers: the same fields as their strings, mixed as numbers. A field that is
// not a safe integer (a fraction, say) is mixed as its string's fingerprint.
const partLanes = new Uint32Array(2);
const asInt = (x: number): number => (Number.isSafeInteger(x) ? x : fingerprint(`~${x}`));
/** A rank or a correlation distance, or null (or absent) as NaN (mixed as a fingerprint, apart from every integer). */
const rankOrNull = (x: number | null | undefined): number => (x === null || x === undefined ? Number.NaN : x);
function fields6(a: number, b: number, c: number, d: number, e: number, f: number): number {
  partLanes[0] = 0x27d4eb2f;
  partLanes[1] = 0x165667b1;
  mix(partLanes, asInt(a));
  mix(partLanes, asInt(b));
  mix(partLanes, asInt(c));
  mix(partLanes, asInt(d));
  mix(partLanes, asInt(e));
  mix(partLanes, asInt(f));
  return finish(partLanes);
}
/** Fingerprints of the few words that appear in short parts (statuses, timer names), and whether they name a client. */
const words = new Map<string, number>();
function wordHash(s: string): number {
  let h = words.get(s);
  if (h === undefined) {
    if (words.size > 100_000) words.clear();
    words.set(s, (h = HAS_NAME.test(s) ? -1 : fingerprint(s)));
  }
  return h;
}
/** A client's timers relative to now as a number; undefined if a timer's name names a client (then the string is renamed). */
function timersHash(timers: Record<string, number>, now: number): number | undefined {
  partLanes[0] = 0x61c88647;
  partLanes[1] = 0x7f4a7c15;
  for (const k in timers) {
    const name = wordHash(k);
    if (name < 0) return undefined;
    mix(partLanes, name);
    mix(partLanes, asInt(timers[k] - now));
  }
  return finish(partLanes);
}

const compareParts = (a: string[], b: string[]): number => {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
};

// Client names (c1), instance ids (i1) and member ids (c1-4) as they appear inside strings.
const NAME = /\b([ci])([1-9]\d*)\b/g;
const HAS_NAME = /\b[ci][1-9]/;

const renameCache = new Map<string, Map<string, string>>();
function rename(s: string, to: readonly number[], permKey: string): string {
  if (!HAS_NAME.test(s)) return s;
  let byPerm = renameCache.get(s);
  if (!byPerm) {
    if (renameCache.size > 200_000) renameCache.clear();
    renameCache.set(s, (byPerm = new Map()));
  }
  let r = byPerm.get(permKey);
  if (r === undefined) byPerm.set(permKey, (r = renameOnce(s, to)));
  return r;
}
/** Renaming without the string cache (boxed parts keep their own renamed fingerprints). */
function renameOnce(s: string, to: readonly number[]): string {
  return s.replace(NAME, (_, p: string, n: string) => `${p}${to[Number(n) - 1] + 1}`);
}
const renameAll = (xs: string[], to: readonly number[], permKey: string) => xs.map((x) => rename(x, to, permKey));

function permutations(n: number): number[][] {
  if (n <= 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}
const permCache = new Map<number, number[][]>();
const signatureCache = new Map<string, string>();
const signatureOf = (slot: Part[]): string =>
  slot
    .map((p) => {
      if (typeof p === 'number') return String(p);
      if (typeof p !== 'string') return (p.sig ??= p.text.replace(NAME, '#'));
      const x = p;
      if (!HAS_NAME.test(x)) return x;
      let sig = signatureCache.get(x);
      if (sig === undefined) {
        if (signatureCache.size > 200_000) signatureCache.clear();
        signatureCache.set(x, (sig = x.replace(NAME, '#')));
      }
      return sig;
    })
    .join('\u0001');

/** The key as a list of strings: the rest, then each slot, then each message, with markers between. */
const flatten = (rest: string[], slots: string[][], net: string[][]): string[] => {
  const out = [...rest];
  for (const s of slots) out.push('\u0002', ...s);
  out.push('\u0003');
  for (const m of net) out.push('\u0002', ...m);
  return out;
};

/** The canonical key of a world as a list of strings (see the file comment). */
export function canonicalParts(w: World, opts: KeyOptions): string[] {
  const p = parts(w, opts.absoluteTime ?? false, opts.messageAge ?? false);
  const signature = p.slots.map(signatureOf);
  // The reference form works on the strings themselves.
  const slots = p.slots.map((x) => x.map(textOf));
  const rest = p.rest.map(textOf);
  const net = p.net.map((x) => x.map(textOf));
  if (!opts.ordered) net.sort(compareParts);
  const n = slots.length;
  if (!opts.symmetry || n === 1) return flatten(rest, slots, net);
  // Only renamings that sort the slots by their name-blind signature can give the smallest key;
  // the minimum over those is the same for every member of a symmetry class.
  const perms = permsOf(n);
  let best: string[] | undefined;
  for (const perm of perms) {
    // perm[i]: the new index of slot i. Keep it only if it sorts the signatures.
    const order: number[] = new Array(n);
    for (let i = 0; i < n; i++) order[perm[i]] = i;
    let sorted = true;
    for (let j = 1; j < n && sorted; j++) if (signature[order[j - 1]] > signature[order[j]]) sorted = false;
    if (!sorted) continue;
    const permKey = perm.join('');
    const renamedNet = net.map((m) => renameAll(m, perm, permKey));
    if (!opts.ordered) renamedNet.sort(compareParts);
    const key = flatten(
      renameAll(rest, perm, permKey),
      order.map((i) => renameAll(slots[i], perm, permKey)),
      renamedNet,
    );
    if (best === undefined || compareParts(key, best) < 0) best = key;
  }
  return best!;
}

/** The canonical key as one string (tests, debugging). */
export const canonicalKey = (w: World, opts: KeyOptions): string => canonicalParts(w, opts).join('\u0001');

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

/** Mixes a 53-bit value into a two-lane running hash (h[0], h[1]: 32-bit lanes). */
function mix(h: Uint32Array, f: number): void {
  const a = Math.imul(h[0] ^ (f >>> 0), 2654435761);
  h[1] = Math.imul(h[1] ^ Math.floor(f / 4294967296), 1597334677) ^ (a >>> 15);
  h[0] = a;
}
/** The top 11 bits of the last `finish`: with its 53-bit result, a 64-bit fingerprint. */
let high11 = 0;
function finish(h: Uint32Array): number {
  const h1 = Math.imul(h[0] ^ (h[0] >>> 16), 2246822507) ^ Math.imul(h[1] ^ (h[1] >>> 13), 3266489909);
  const h2 = Math.imul(h[1] ^ (h[1] >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  high11 = h2 >>> 21;
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
/** The 11 bits above the 53 of the last state fingerprint (`stateHash`, `stateHashes`): the explorer's store keeps all 64. */
let stateHigh = 0;
export const lastStateHashHigh = (): number => stateHigh;
const lanes = new Uint32Array(2);
const start = (seed: number): Uint32Array => {
  lanes[0] = 0x9e3779b9 ^ seed;
  lanes[1] = 0x85ebca6b;
  return lanes;
};

// Fingerprints of parts, cached by string; under symmetry, one per renaming of the clients
// (indexed like permutations(n)), filled as needed.
const plainHash = new Map<string, number>();
function partFingerprint(p: Part): number {
  if (typeof p === 'number') return p;
  if (typeof p !== 'string') return p.fp >= 0 ? p.fp : (p.fp = fingerprint(p.text));
  const s = p;
  // Short parts are mostly new strings (heads, relative timers): hashing them is cheaper than a lookup.
  if (s.length < 64) return fingerprint(s);
  let h = plainHash.get(s);
  if (h === undefined) {
    if (plainHash.size > 500_000) plainHash.clear();
    plainHash.set(s, (h = fingerprint(s)));
  }
  return h;
}
const renamedHash = new Map<number, Map<string, Float64Array>>();
function renamedFingerprint(p: Part, pi: number, perms: number[][], permKeys: string[]): number {
  // A numeric part names no client.
  if (typeof p === 'number') return p;
  if (typeof p !== 'string') {
    // A part that names no client is the same under every renaming.
    if (p.renamed === undefined || p.renamed.length !== perms.length)
      p.renamed = new Float64Array(perms.length).fill(HAS_NAME.test(p.text) ? -1 : partFingerprint(p));
    let h = p.renamed[pi];
    if (h < 0) p.renamed[pi] = h = fingerprint(renameOnce(p.text, perms[pi]));
    return h;
  }
  const s = p;
  // Short parts are mostly new strings (heads, relative timers, message tags): no caching.
  if (s.length < 64 && !HAS_NAME.test(s)) return fingerprint(s);
  let byString = renamedHash.get(perms.length);
  if (!byString) renamedHash.set(perms.length, (byString = new Map()));
  let hs = byString.get(s);
  if (hs === undefined) {
    if (byString.size > 500_000) byString.clear();
    // A part that names no client is the same under every renaming.
    hs = new Float64Array(perms.length).fill(HAS_NAME.test(s) ? -1 : fingerprint(s));
    byString.set(s, hs);
  }
  let h = hs[pi];
  if (h < 0) hs[pi] = h = fingerprint(rename(s, perms[pi], permKeys[pi]));
  return h;
}

/**
 * The fingerprint of a world's canonical form (the explorer's state identity), after an
 * optional prefix: 64 bits, returned as its low 53 (a safe integer) with the 11 above them read
 * right after from `lastStateHashHigh()`. It is computed from fingerprints of the parts, not from the key's strings:
 * the in-flight messages are combined by a commutative sum (a multiset) instead of sorted, and
 * under symmetry the form kept is the renaming with the smallest fingerprint, which, like the
 * smallest key, is the same for every member of a symmetry class. Equal keys give equal
 * fingerprints; a test checks the converse on every state of small explorations.
 */
export function stateHash(w: World, opts: KeyOptions, prefix = ''): number {
  const h = hashOfParts(parts(w, opts.absoluteTime ?? false, opts.messageAge ?? false, true), opts, seedOf(prefix));
  stateHigh = high11;
  return h;
}

// The explorer's prefixes (the budgets used) are few and repeat at every state.
const seeds = new Map<string, number>();
function seedOf(prefix: string): number {
  if (prefix === '') return 0;
  let seed = seeds.get(prefix);
  if (seed === undefined) {
    if (seeds.size > 100_000) seeds.clear();
    seeds.set(prefix, (seed = fingerprint(prefix)));
  }
  return seed;
}

/**
 * The fair schedule's fingerprint: the world's form with the message order kept, no symmetry
 * (the fair schedule delivers the oldest message and breaks ties by slot) and the clock
 * relative. The liveness memo's key; `messageAge` as the explorer's key has it (a finer key
 * than needed: the fair schedule lets no time pass while a message is in flight, so past its
 * first steps every age is 0 and nothing is told apart that the memo could have merged).
 */
export const fairHash = (w: World, messageAge = false): number => hashOfParts(parts(w, false, messageAge, true), FAIR, 0);
const FAIR: KeyOptions = { symmetry: false, ordered: true };

/**
 * `stateHash(w, opts, prefix)` and `fairHash(w, opts.messageAge)` from one pass over the
 * world's parts (the explorer needs both for every state the fair schedule leaves).
 */
export function stateHashes(w: World, opts: KeyOptions, prefix: string): [state: number, fair: number] {
  const messageAge = opts.messageAge ?? false;
  if (opts.absoluteTime) return [stateHash(w, opts, prefix), fairHash(w, messageAge)];
  const p = parts(w, false, messageAge, true);
  const state = hashOfParts(p, opts, seedOf(prefix));
  const high = high11;
  const fair = hashOfParts(p, FAIR, 0);
  stateHigh = high;
  return [state, fair];
}

function hashOfParts({ slots, rest, net }: ReturnType<typeof parts>, opts: KeyOptions, seed: number): number {
  const n = slots.length;
  if (!opts.symmetry || n === 1) return combined(seed, rest, slots, net, opts.ordered, partFingerprint, identity(n));
  const signature = slots.map(signatureOf);
  const perms = permsOf(n);
  const keys = permKeysOf(n);
  let best = Infinity;
  let bestHigh = 0;
  const order: number[] = new Array(n);
  for (let pi = 0; pi < perms.length; pi++) {
    const perm = perms[pi];
    for (let i = 0; i < n; i++) order[perm[i]] = i;
    let sorted = true;
    for (let j = 1; j < n && sorted; j++) if (signature[order[j - 1]] > signature[order[j]]) sorted = false;
    if (!sorted) continue;
    const h = combined(seed, rest, slots, net, opts.ordered, (x) => renamedFingerprint(x, pi, perms, keys), order);
    // The smallest of the 64 bits: the 53 first, then the 11 above them.
    if (h < best || (h === best && high11 < bestHigh)) {
      best = h;
      bestHigh = high11;
    }
  }
  high11 = bestHigh;
  return best;
}

function combined(
  seed: number,
  rest: Part[],
  slots: Part[][],
  net: Part[][],
  ordered: boolean,
  hashOf: (p: Part) => number,
  order: readonly number[],
): number {
  let netLo = 0;
  let netHi = 0;
  const netOrdered: number[] = [];
  for (const m of net) {
    const h = start(0x2545f491);
    for (const x of m) mix(h, hashOf(x));
    const f = finish(h);
    if (ordered) netOrdered.push(f);
    else {
      netLo = (netLo + (f >>> 0)) >>> 0;
      netHi = (netHi + Math.floor(f / 4294967296)) >>> 0;
    }
  }
  const h = start(seed);
  for (const x of rest) mix(h, hashOf(x));
  for (let j = 0; j < order.length; j++) {
    const slot = slots[order[j]];
    mix(h, slot.length);
    for (const x of slot) mix(h, hashOf(x));
  }
  mix(h, net.length);
  if (ordered) for (const f of netOrdered) mix(h, f);
  else {
    mix(h, netLo);
    mix(h, netHi);
  }
  return finish(h);
}

const identities = new Map<number, number[]>();
const identity = (n: number): number[] => {
  let id = identities.get(n);
  if (!id) identities.set(n, (id = Array.from({ length: n }, (_, i) => i)));
  return id;
};
const permsOf = (n: number): number[][] => {
  let perms = permCache.get(n);
  if (!perms) permCache.set(n, (perms = permutations(n)));
  return perms;
};
const permKeyCache = new Map<number, string[]>();
const permKeysOf = (n: number): string[] => {
  let keys = permKeyCache.get(n);
  if (!keys) permKeyCache.set(n, (keys = permsOf(n).map((p) => p.join(''))));
  return keys;
};
