import type { AnyMachineSnapshot } from 'xstate';
import type { ConsumerConfig, ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { MemberConfig } from '../../models/consumer-protocol/member-state.ts';
import type { CoordinatorContext } from '../../models/classic/coordinator-state.ts';
import type { ClientSlot, Msg, World } from '../world/types.ts';
import {
  begin,
  end,
  fingerprint,
  finish,
  finishPart,
  type Hashed,
  hashOf,
  hashUnder,
  lastHigh,
  mix,
  mixEntry,
  mixField,
  mixNumber,
  mixPart,
  mixString,
  mixTag,
  NAME,
  partWords,
  walk,
} from './structural.ts';

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
//
// Two forms of the same key: `canonicalKey` (strings: each part's text, JSON for the machine
// contexts and message bodies, renaming done on the text), the reference that tests read; and
// `stateHash` (the explorer's fingerprint), built from the same parts with the same fields left
// out, but hashed structurally (structural.ts: no JSON, no string built), client names held as
// slot indexes that a renaming maps, and the messages summed instead of sorted. A test checks
// that the two tell the same worlds apart on every state of small explorations.

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
// their serializations (the key) and structural hashes (the fingerprint) are cached by identity.
/** A serialization for the string key, with its name-blind signature. */
class Text {
  sig: string | undefined;
  constructor(readonly text: string) {}
}
/**
 * A part of the key: a cached serialization or a short string made anew (heads, relative timers,
 * tags); or, for the fingerprint only, a part's structural hash (`Hashed`, see below): a number
 * when it names no client, else a `Named` (its hash as a function of the renaming).
 */
type Part = string | Text | Hashed;
const textOf = (p: Part): string => (typeof p === 'string' ? p : p instanceof Text ? p.text : String(p));
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

/** The world's formations, sorted and distinct (a formation's rank is its index); reused, one world at a time. */
const formations: number[] = [];
function sortFormations(w: World): number[] {
  const out = formations;
  out.length = 0;
  const add = (f: number | null) => {
    if (f !== null && !out.includes(f)) out.push(f);
  };
  add(w.formation);
  add(w.persistedFormation);
  for (const s of w.clients) add(s.formation);
  for (const m of w.net) add(m.formation);
  return out.sort((a, b) => a - b);
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

// The same three as structural hashes (the fingerprint), with exactly the same fields left out
// or made relative: equal JSON, equal hash. Cached by identity like the texts.
const hashCache = new WeakMap<object, Hashed>();
// Looked up before the walk's function is called (no closure made per lookup: most are hits).
const remember = (o: object, h: Hashed): Hashed => {
  hashCache.set(o, h);
  return h;
};

const snapshotHash = (snap: AnyMachineSnapshot): Hashed => hashCache.get(snap) ?? remember(snap, snapshotWalk(snap));
function snapshotWalk(snap: AnyMachineSnapshot): Hashed {
  const c = snap.context as ConsumerContext;
  const { cfg } = c;
  begin(1);
  walk(snap.value);
  walk(snap.status);
  walk(cfg.protocol);
  walk(cfg.assignors);
  walk(cfg.topics);
  mixTag('object');
  for (const k in c) if (k !== 'cfg' && k !== 'timers' && k !== 'nextCorr' && k !== 'inflight') mixEntry(k, c[k as keyof ConsumerContext]);
  mixTag('end');
  mixTag('object');
  for (const k in c.inflight) {
    const x = c.inflight[k as keyof ConsumerContext['inflight']] as Record<string, unknown> | null | undefined;
    if (!x) continue;
    mixString(k);
    // { ...x, corr: distance }: the distance where x has its corr, else last.
    mixTag('object');
    const corr = c.nextCorr - (x.corr as number);
    for (const f in x)
      if (f === 'corr') mixEntry(f, corr);
      else mixEntry(f, x[f]);
    if (!('corr' in x)) mixEntry('corr', corr);
    mixTag('end');
  }
  mixTag('end');
  mixOtherFields(cfg, CFG_FIELDS);
  return end();
}

const coordinatorHash = (snap: AnyMachineSnapshot): Hashed => hashCache.get(snap) ?? remember(snap, coordinatorWalk(snap));
function coordinatorWalk(snap: AnyMachineSnapshot): Hashed {
  const g = snap.context as CoordinatorContext;
  begin(2);
  walk(snap.value);
  walk(snap.status);
  mixTag('object');
  for (const k in g) {
    if (k === 'timers') continue;
    if (k !== 'members') {
      mixEntry(k, g[k as keyof CoordinatorContext]);
      continue;
    }
    mixString(k);
    mixTag('object');
    for (const id in g.members) {
      const m = g.members[id] as unknown as Record<string, unknown>;
      mixString(id);
      mixTag('object');
      for (const f in m) if (f !== 'joinCorr' && f !== 'syncCorr') mixEntry(f, m[f]);
      mixTag('end');
    }
    mixTag('end');
  }
  // No members field at all: the text has it as {}, last.
  if (!('members' in g)) {
    mixString('members');
    mixTag('object');
    mixTag('end');
  }
  mixTag('end');
  return end();
}

const messageHash = (m: Msg): Hashed => hashCache.get(m.body) ?? remember(m.body, messageWalk(m));
function messageWalk(m: Msg): Hashed {
  begin(3);
  walk(m.to);
  mixTag('object');
  const body = m.body as unknown as Record<string, unknown>;
  for (const k in body) if (k !== 'corr') mixEntry(k, body[k]);
  mixTag('end');
  return end();
}

/** Timers relative to now (their names can carry client names). */
function timersHash(timers: Record<string, number>, now: number): Hashed {
  begin(4);
  for (const k in timers) {
    mixString(k);
    mixNumber(timers[k] - now);
  }
  return end();
}

/** A short string part of the fingerprint (rare ones: marks, records of some runs). */
function stringHash(s: string): Hashed {
  begin(5);
  mixString(s);
  return end();
}

function downgradeMark(w: World, rf: (f: number | null) => number | null | undefined): string[] {
  const d = w.downgrade;
  if (d === null || (d.formation !== w.formation && d.formation !== w.persistedFormation)) return [];
  return [`d${rf(d.formation)}${w.coordinatorEpoch > d.coordinatorEpoch ? 'r' : ''}`];
}

// Every field of a world, a client slot and a message that `parts` reads, or leaves out on
// purpose (the file comment says why). Any other field, one added to the world later, enters the
// key as it is (its name and JSON, in a string part, so renaming reaches client names in it; in
// the fingerprint, its structural hash, whose client names are slot indexes like any other): a
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

/** `otherFields` mixed into the walk in progress (nothing when there are none); whether there were any. */
function mixOtherFields(o: object, known: ReadonlySet<string>): boolean {
  let any = false;
  for (const k in o) {
    if (known.has(k)) continue;
    const v = (o as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (!any) mixTag('object');
    any = true;
    mixString(k);
    walk(v);
  }
  if (any) mixTag('end');
  return any;
}
/** `otherFields` as a part of the fingerprint; undefined when there are none. */
function otherHash(o: object, known: ReadonlySet<string>): Hashed | undefined {
  begin(6);
  return mixOtherFields(o, known) ? end() : undefined;
}

/**
 * The parts of the key: one string per client slot (in slot order), the rest, and one per
 * message, each still naming clients as in the world (the key renames the strings, the
 * fingerprint maps the slot indexes its hashes recorded). `numeric`: the fingerprint's parts.
 */
function parts(w: World, absoluteTime: boolean, messageAge: boolean, numeric = false): { slots: Part[][]; rest: Part[]; net: Part[][] } {
  const sorted = sortFormations(w);
  // Formations as their ranks (invariants only compare them for equality).
  const rf = (f: number | null) => (f === null ? null : sorted.indexOf(f));
  // The fingerprint's form of a short string part (the rare ones: marks, records of some runs).
  const short = (x: string): Part => (numeric ? stringHash(x) : x);
  const slots = w.clients.map((s): Part[] => {
    // No name: a slot's name is its position (after renaming, the position it is moved to).
    let head: Part;
    if (numeric) {
      begin(7);
      mixNumber(s.inc);
      mixString(s.status);
      mixNumber(s.cut ? 1 : 0);
      mixField(rf(s.formation));
      mixNumber(s.phase);
      mixNumber(s.skippedAssignment ? 1 : 0);
      head = end();
    } else head = `${s.inc},${s.status},${s.cut},${rf(s.formation)},${s.phase},${s.skippedAssignment ? 1 : 0}`;
    // This branch's per-process records, only when set (the common case hashes as before): the
    // KIP-848 unreported partitions, a zombie's slot, a pending assignor failure, and (bounded
    // delay) how long the callback has run.
    const extra =
      (s.unreported.length > 0 ? `u${s.unreported.join('+')}` : '') +
      (s.zombieOf !== null ? `z${s.zombieOf}` : '') +
      (s.assignorFails ? 'a' : '') +
      (s.assignorSlow ? 's' : '') +
      (messageAge && s.callbackSince !== null ? `c${w.now - s.callbackSince}` : '');
    // With any field the form does not know: in the string, appended; in the fingerprint, a part.
    const more: Part[] = [];
    if (numeric) {
      if (extra !== '') more.push(stringHash(extra));
      const other = otherHash(s, SLOT_FIELDS);
      if (other !== undefined) more.push(other);
    } else if (extra !== '' || otherFields(s, SLOT_FIELDS) !== '') more.push(extra + otherFields(s, SLOT_FIELDS));
    if (!s.snapshot) return [head, ...more];
    const timers = (s.snapshot.context as ConsumerContext).timers;
    return numeric
      ? [head, snapshotHash(s.snapshot), timersHash(timers, w.now), ...more]
      : [head, snapshotText(s.snapshot), timersText(timers, w.now), ...more];
  });
  const g = w.coordinator.context as CoordinatorContext;
  let parked: Part = '';
  if (numeric) begin(8);
  for (const id in g.members) {
    const m = g.members[id];
    if (m.joinCorr === null && m.syncCorr === null) continue;
    if (numeric) {
      mixString(id);
      mixField(corrOf(w, m.client, m.joinCorr));
      mixField(corrOf(w, m.client, m.syncCorr));
    } else parked += `${id}:${corrOf(w, m.client, m.joinCorr)}/${corrOf(w, m.client, m.syncCorr)},`;
  }
  if (numeric) parked = end();
  let head: Part;
  if (numeric) {
    begin(9);
    mixNumber(absoluteTime ? w.now : 0);
    mixNumber(w.coordinatorEpoch);
    mixField(rf(w.formation));
    mixField(rf(w.persistedFormation));
    mixString(w.family);
    head = end();
  } else head = `${absoluteTime ? w.now : 0},${w.coordinatorEpoch},${rf(w.formation)},${rf(w.persistedFormation)},${w.family}`;
  const rest: Part[] = [
    head,
    // The last downgrade (migration runs), only while its formation can be current (it is the
    // current or the persisted one: formations are never reissued otherwise), and whether a
    // failover came since: all eventually-stable's known-Kafka exemption reads of it.
    ...downgradeMark(w, rf).map(short),
    // Topics a static replacement changed in this generation (KAFKA-12759), only while current.
    ...(w.drift !== undefined && w.drift.formation === w.formation ? [short(`s${w.drift.topics.join(',')}`)] : []),
    // Partitions a static replacement stranded in this generation, only while current.
    ...(w.stranded !== undefined && w.stranded.formation === w.formation ? [short(`x${w.stranded.partitions.join(',')}`)] : []),
    // The brokers' topics change only when a partition is added: the same object, serialized once.
    numeric ? (hashCache.get(w.topics) ?? remember(w.topics, hashOf(10, w.topics))) : cached(w.topics, () => JSON.stringify(w.topics)),
    // KIP-881: replica moves, only with racks (absent otherwise, so keys without racks are unchanged).
    ...(w.rackMoves ? [numeric ? hashOf(11, w.rackMoves) : JSON.stringify(w.rackMoves)] : []),
    // Offset retention runs only: the cleanups spent, and `processed`, which a `latest` reset reads
    // as the log end and the skipped-record oracle reads too (absent otherwise, keys unchanged).
    ...(w.retention
      ? [numeric ? hashOf(13, [w.retention.expiries, w.processed]) : `r${w.retention.expiries};${JSON.stringify(w.processed)}`]
      : []),
    numeric ? coordinatorHash(w.coordinator) : coordinatorText(w.coordinator),
    parked,
    numeric ? timersHash(g.timers, w.now) : timersText(g.timers, w.now),
  ];
  const other = numeric ? otherHash(w, WORLD_FIELDS) : otherFields(w, WORLD_FIELDS);
  if (other !== undefined && other !== '') rest.push(other);
  // In world order; the string key sorts them when they are a multiset, the fingerprint sums them.
  const net = w.net.map((m: Msg): Part[] => {
    let tag: Part;
    if (numeric) {
      begin(12);
      mixField(rf(m.formation));
      mixField(corrOf(w, m.body.client, m.body.corr));
      if (messageAge) mixNumber(w.now - m.sentAt);
      tag = end();
    } else tag = `${rf(m.formation)},${corrOf(w, m.body.client, m.body.corr)}${messageAge ? `,${w.now - m.sentAt}` : ''}`;
    const other = numeric ? otherHash(m, MSG_FIELDS) : otherFields(m, MSG_FIELDS);
    const body = numeric ? messageHash(m) : messageText(m);
    return other === undefined || other === '' ? [body, tag] : [body, tag, other];
  });
  return { slots, rest, net };
}

const compareParts = (a: string[], b: string[]): number => {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
};

// The string key renames client names (NAME) inside the strings; the fingerprint maps the slot
// indexes its structural hashes recorded for them instead (structural.ts).
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
  if (r === undefined) byPerm.set(permKey, (r = s.replace(NAME, (_, p: string, n: string) => `${p}${to[Number(n) - 1] + 1}`)));
  return r;
}
const renameAll = (xs: string[], to: readonly number[], permKey: string) => xs.map((x) => rename(x, to, permKey));

function permutations(n: number): number[][] {
  if (n <= 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}
const permCache = new Map<number, number[][]>();
const permsOf = (n: number): number[][] => {
  let perms = permCache.get(n);
  if (!perms) permCache.set(n, (perms = permutations(n)));
  return perms;
};

const signatureCache = new Map<string, string>();
/** A slot's name-blind signature, for the string key. */
const textSignature = (slot: Part[]): string =>
  slot
    .map((p) => {
      if (p instanceof Text) return (p.sig ??= p.text.replace(NAME, '#'));
      const x = textOf(p);
      if (!HAS_NAME.test(x)) return x;
      let sig = signatureCache.get(x);
      if (sig === undefined) {
        if (signatureCache.size > 200_000) signatureCache.clear();
        signatureCache.set(x, (sig = x.replace(NAME, '#')));
      }
      return sig;
    })
    .join('\u0001');

/**
 * Whether renaming by `perm` (perm[i]: the new index of slot i) sorts the slots by signature,
 * filling `order` (order[j]: the slot moved to index j). Only such renamings can give the
 * smallest form; the minimum over those is the same for every member of a symmetry class.
 */
function sorts<T>(perm: readonly number[], signature: readonly T[], order: number[]): boolean {
  const n = perm.length;
  for (let i = 0; i < n; i++) order[perm[i]] = i;
  for (let j = 1; j < n; j++) if (signature[order[j - 1]] > signature[order[j]]) return false;
  return true;
}

/** The key as a list of strings: the rest, then each slot, then each message, with markers between. */
const flatten = (rest: string[], slots: string[][], net: string[][]): string[] => {
  const out = [...rest];
  for (const s of slots) out.push('\u0002', ...s);
  out.push('\u0003');
  for (const m of net) out.push('\u0002', ...m);
  return out;
};

/** The canonical key of a world as a list of strings (see the file comment): the reference form. */
export function canonicalParts(w: World, opts: KeyOptions): string[] {
  const p = parts(w, opts.absoluteTime ?? false, opts.messageAge ?? false);
  const slots = p.slots.map((x) => x.map(textOf));
  const rest = p.rest.map(textOf);
  const net = p.net.map((x) => x.map(textOf));
  if (!opts.ordered) net.sort(compareParts);
  const n = slots.length;
  if (!opts.symmetry || n === 1) return flatten(rest, slots, net);
  const signature = p.slots.map(textSignature);
  let best: string[] | undefined;
  const order: number[] = new Array(n);
  for (const perm of permsOf(n)) {
    if (!sorts(perm, signature, order)) continue;
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

/** The 11 bits above the 53 of the last state fingerprint (`stateHash`, `stateHashes`): the explorer's store keeps all 64. */
let stateHigh = 0;
export const lastStateHashHigh = (): number => stateHigh;
/** The same for the last `hashOfParts`. */
let partsHigh = 0;

/**
 * The fingerprint of a world's canonical form (the explorer's state identity), after an
 * optional prefix: 64 bits, returned as its low 53 (a safe integer) with the 11 above them read
 * right after from `lastStateHashHigh()`. It is computed from the parts' structural hashes
 * (structural.ts), not from the key's strings: the in-flight messages are combined by a
 * commutative sum (a multiset) instead of sorted, and under symmetry the form kept is the
 * renaming with the smallest fingerprint, which, like the smallest key, is the same for every
 * member of a symmetry class. Equal keys give equal fingerprints; a test checks the converse
 * on every state of small explorations.
 */
export function stateHash(w: World, opts: KeyOptions, prefix = ''): number {
  const h = hashOfParts(parts(w, opts.absoluteTime ?? false, opts.messageAge ?? false, true), opts, seedOf(prefix));
  stateHigh = partsHigh;
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
  const high = partsHigh;
  const fair = hashOfParts(p, FAIR, 0);
  stateHigh = high;
  return [state, fair];
}

// Mappings of the client names (Named.under): 0 keeps them, 1 hides them, 2 + i renames by permsOf(n)[i].
const AS_IS = 0;
const BLIND = 1;
const NO_PERMS: number[][] = [];
const sigLanes = new Uint32Array(2);
/** A slot's name-blind signature, as a number (any total order on the name-blind content will do). */
function signatureOf(slot: Part[]): number {
  sigLanes[0] = 0x3c6e_f372;
  sigLanes[1] = 0x1d8e_4e27;
  for (const x of slot) mixPart(sigLanes, hashUnder(x as Hashed, BLIND, NO_PERMS));
  return finish(sigLanes);
}

function hashOfParts({ slots, rest, net }: ReturnType<typeof parts>, opts: KeyOptions, seed: number): number {
  const n = slots.length;
  if (!opts.symmetry || n === 1) {
    const h = combined(seed, rest, slots, net, opts.ordered, AS_IS, NO_PERMS, identity(n));
    partsHigh = lastHigh();
    return h;
  }
  const signature = slots.map(signatureOf);
  const perms = permsOf(n);
  let best = Infinity;
  let bestHigh = 0;
  const order: number[] = new Array(n);
  for (let pi = 0; pi < perms.length; pi++) {
    if (!sorts(perms[pi], signature, order)) continue;
    const h = combined(seed, rest, slots, net, opts.ordered, 2 + pi, perms, order);
    const high = lastHigh();
    // The smallest of the 64 bits: the 53 first, then the 11 above them.
    if (h < best || (h === best && high < bestHigh)) {
      best = h;
      bestHigh = high;
    }
  }
  partsHigh = bestHigh;
  return best;
}

const lanes = new Uint32Array(2);
const start = (seed: number): Uint32Array => {
  lanes[0] = 0x9e3779b9 ^ seed;
  lanes[1] = 0x85ebca6b;
  return lanes;
};
/** The parts' hashes under one mapping of the names, slots in `order`, mixed (the last `finish` is the whole's). */
function combined(
  seed: number,
  rest: Part[],
  slots: Part[][],
  net: Part[][],
  ordered: boolean,
  mapping: number,
  perms: readonly (readonly number[])[],
  order: readonly number[],
): number {
  let netLo = 0;
  let netHi = 0;
  const netOrdered: number[] = [];
  for (const m of net) {
    const h = start(0x2545f491);
    for (const x of m) mixPart(h, hashUnder(x as Hashed, mapping, perms));
    const f = finishPart(h);
    if (ordered) netOrdered.push(f);
    else {
      const w = partWords(f);
      netLo = (netLo + w[0]) >>> 0;
      netHi = (netHi + w[1]) >>> 0;
    }
  }
  const h = start(seed);
  for (const x of rest) mixPart(h, hashUnder(x as Hashed, mapping, perms));
  for (let j = 0; j < order.length; j++) {
    const slot = slots[order[j]];
    mix(h, slot.length);
    for (const x of slot) mixPart(h, hashUnder(x as Hashed, mapping, perms));
  }
  mix(h, net.length);
  if (ordered) for (const f of netOrdered) mixPart(h, f);
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
