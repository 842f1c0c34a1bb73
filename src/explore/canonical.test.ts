import { expect, test } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { noBudgets, faultsFor } from './bounds.ts';
import { canonicalKey } from './canonical.ts';
import { session, worldConfig } from '../run/config.ts';
import type { Choice, World } from '../world/types.ts';
import { enabled, initialWorld, step } from '../world/world.ts';

// What the canonical form merges, and what it must keep apart.

const s = session(worldConfig({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, faults: faultsFor(noBudgets) }));
const run = (pick: (w: World, choices: Choice[]) => Choice | undefined, steps: number): World => {
  let w = initialWorld(s.config, s.model);
  for (let i = 0; i < steps; i++) {
    const c = pick(w, enabled(w, s.config));
    if (!c) break;
    w = step(w, c, s.config, s.model);
  }
  return w;
};
const plain = { symmetry: false, ordered: false };
const sym = { symmetry: true, ordered: false };
// Oldest message first, else the earliest timer: into a stable group with heartbeats going.
const w = run((_x, cs) => cs.find((c) => c.kind === 'deliver') ?? cs.find((c) => c.kind === 'fire'), 30);

const shiftTimers = (snap: AnyMachineSnapshot, dt: number): AnyMachineSnapshot => {
  const ctx = snap.context as { timers: Record<string, number> };
  return {
    ...snap,
    context: { ...ctx, timers: Object.fromEntries(Object.entries(ctx.timers).map(([k, v]) => [k, v + dt])) },
  } as AnyMachineSnapshot;
};

test('a world shifted in time, with other message ids and other metrics, has the same key', () => {
  const shifted: World = {
    ...w,
    now: w.now + 7000,
    coordinator: shiftTimers(w.coordinator, 7000),
    clients: w.clients.map((c) => (c.snapshot ? { ...c, snapshot: shiftTimers(c.snapshot, 7000) } : c)),
    net: w.net.map((m) => ({ ...m, id: m.id + 100 })).reverse(),
    nextMsgId: w.nextMsgId + 100,
    metrics: { ...w.metrics, rebalances: 99, zombieMs: 12345 },
    processed: { 't0-0': 42 },
  };
  expect(w.net.length + Object.keys((w.coordinator.context as { timers: object }).timers).length).toBeGreaterThan(0);
  expect(canonicalKey(shifted, plain)).toBe(canonicalKey(w, plain));
  // Only the order-keeping form (the fair schedule's) tells the message order apart.
  if (w.net.length > 1) expect(canonicalKey(shifted, { ...plain, ordered: true })).not.toBe(canonicalKey(w, { ...plain, ordered: true }));
});

test('a deadline moved relative to the others gives another key', () => {
  const moved: World = { ...w, coordinator: shiftTimers(w.coordinator, 1) };
  expect(canonicalKey(moved, plain)).not.toBe(canonicalKey(w, plain));
});

test('mirror images (c1 and c2 swapped) share a key only under symmetry', () => {
  const first = (name: string) => (x: World, cs: Choice[]) =>
    cs.find((c) => c.kind === 'deliver' && x.net.find((m) => m.id === c.id)!.body.client.client === name) ??
    cs.find((c) => c.kind === 'deliver');
  const a = run(first('c1'), 3);
  const b = run(first('c2'), 3);
  expect(canonicalKey(a, plain)).not.toBe(canonicalKey(b, plain));
  expect(canonicalKey(a, sym)).toBe(canonicalKey(b, sym));
});

test('the fingerprint tells worlds apart exactly as the key does (every state of a small exploration, each key form)', async () => {
  const { explore } = await import('./bfs.ts');
  const { stateHash, lastStateHashHigh } = await import('./canonical.ts');
  const worlds: World[] = [];
  const config = { ...s.config, members: 3, faults: faultsFor({ ...noBudgets, crash: 1, start: 1 }) };
  const s3 = session(
    worldConfig({ protocol: 'cooperative', assignor: 'cooperative-sticky', members: 3, partitions: 2, faults: config.faults }),
  );
  explore(
    s3,
    { budgets: { ...noBudgets, crash: 1, start: 1 }, maxDepth: 5, maxInFlight: 8, maxTimeMs: Infinity },
    { symmetry: false, liveness: false, observe: (_b, _c, after) => void worlds.push(after) },
  );
  expect(worlds.length).toBeGreaterThan(2000);
  for (const opts of [plain, sym, { ...plain, ordered: true }, { ...sym, messageAge: true }]) {
    const hashOfKey = new Map<string, string>();
    const keyOfHash = new Map<string, string>();
    let disagreements = 0;
    for (const x of worlds) {
      const k = canonicalKey(x, opts);
      // All 64 bits: the 53 returned and the 11 above them.
      const h = `${stateHash(x, opts)}/${lastStateHashHigh()}`;
      if ((hashOfKey.get(k) ?? h) !== h || (keyOfHash.get(h) ?? k) !== k) disagreements++;
      hashOfKey.set(k, h);
      keyOfHash.set(h, k);
    }
    expect(disagreements).toBe(0);
    expect(hashOfKey.size).toBeGreaterThan(opts.symmetry ? 100 : 500);
  }
});

test('a field the canonical form does not know (one added to the world later) changes the key and the fingerprint', async () => {
  const { stateHash } = await import('./canonical.ts');
  expect(w.net.length).toBeGreaterThan(0);
  const withField = <T extends object>(x: T, v: unknown): T => ({ ...x, addedLater: v });
  const variants: Array<[string, (v: unknown) => World]> = [
    ['world', (v) => withField(w, v) as World],
    ['client slot', (v) => ({ ...w, clients: w.clients.map((c, i) => (i === 1 ? withField(c, v) : c)) })],
    ['message', (v) => ({ ...w, net: w.net.map((m, i) => (i === 0 ? withField(m, v) : m)) })],
  ];
  for (const opts of [plain, sym, { ...plain, ordered: true }]) {
    for (const [where, add] of variants) {
      const keys = [w, add(1), add(2), add({ by: 'c2' })].map((x) => canonicalKey(x, opts));
      const hashes = [w, add(1), add(2), add({ by: 'c2' })].map((x) => stateHash(x, opts));
      expect(new Set(keys).size, `${where}: ${JSON.stringify(opts)}`).toBe(4);
      expect(new Set(hashes).size, `${where}: ${JSON.stringify(opts)}`).toBe(4);
      // Absent and undefined are one state.
      expect(canonicalKey(add(undefined), opts)).toBe(keys[0]);
    }
  }
});

test('a consumer setting (cfg) the canonical form does not know changes the key', () => {
  const slot = w.clients.findIndex((c) => c.snapshot);
  const withSetting = (v: unknown): World => ({
    ...w,
    clients: w.clients.map((c, i) => {
      if (i !== slot || !c.snapshot) return c;
      const ctx = c.snapshot.context as { cfg: object };
      return { ...c, snapshot: { ...c.snapshot, context: { ...ctx, cfg: { ...ctx.cfg, pattern: v } } } as AnyMachineSnapshot };
    }),
  });
  const keys = [w, withSetting('t.*'), withSetting('u.*')].map((x) => canonicalKey(x, sym));
  expect(new Set(keys).size).toBe(3);
  expect(canonicalKey(withSetting(undefined), sym)).toBe(keys[0]);
});

test("the group's type (family) is part of the key", () => {
  const other: World = { ...w, family: w.family === 'classic' ? 'consumer' : 'classic' };
  expect(canonicalKey(other, plain)).not.toBe(canonicalKey(w, plain));
});
