import { expect, test } from 'vitest';
import { nextDeadline } from '../world/view.ts';
import type { World } from '../world/types.ts';
import { initialWorld } from '../world/world.ts';
import { stateHash } from './canonical.ts';
import { noBudgets, type Bounds } from './bounds.ts';
import { explore } from './bfs.ts';
import { findVariant } from '../variants/catalogue.ts';
import { exploreSpec, resolveSpec, specSession, type ExploreSpec } from './spec.ts';
import { testSpec } from './spec-for-tests.ts';

// A bounded-delay network makes small instances finite: these explorations have no depth
// bound that cuts anything, so "no violation" covers every behaviour within the budgets.

const bounds = (o: Partial<Bounds> = {}): Bounds => ({
  budgets: noBudgets,
  maxDepth: 10_000,
  maxInFlight: 8,
  maxTimeMs: Infinity,
  maxDelayMs: 0,
  ...o,
});
const spec = (o: Partial<ExploreSpec> = {}): ExploreSpec => testSpec({ members: 1, bounds: bounds(), ...o });
const regexSpec = (protocol: ExploreSpec['protocol'], assignor: string, members: number, o: Partial<ExploreSpec> = {}) =>
  spec({ protocol, assignor, members, pattern: true, bounds: bounds({ budgets: { ...noBudgets, createTopic: 1 } }), ...o });

test.each([
  // [instance, with symmetry, without]
  ['cooperative 1x1, no faults', spec(), 42, 42],
  ['cooperative 2x1, no faults', spec({ members: 2 }), 378, 755],
  ['cooperative 1x1, 1 crash, 1 restart', spec({ bounds: bounds({ budgets: { ...noBudgets, crash: 1, start: 1 } }) }), 519, 519],
  [
    'eager/range 2x2, 1 drop',
    spec({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, bounds: bounds({ budgets: { ...noBudgets, drop: 1 } }) }),
    5166,
    10331,
  ],
  [
    'consumer/uniform 2x1, 1 crash, 1 restart (no symmetry: member ids name the client)',
    spec({ protocol: 'consumer', assignor: 'uniform', members: 2, bounds: bounds({ budgets: { ...noBudgets, crash: 1, start: 1 } }) }),
    // 3980 before uniform followed Kafka 4.0's UniformHomogeneousAssignmentBuilder, 6303 with it
    // (the extra partition went to the first member in member order, not to the one that held
    // it), 3980 again with Kafka 4.1's (KAFKA-18688: the member that held it keeps it).
    3980,
    3980,
  ],
  // Rebalance callbacks that take time (revoked, assigned, lost), a close() in several steps with
  // its auto-commit and LeaveGroup, and a commit that may fall inside a callback.
  [
    'cooperative 1x1, every callback slow, 1 close, 1 restart, 1 commit',
    spec({ slowCallbacks: true, slowAssignLost: true, bounds: bounds({ budgets: { ...noBudgets, close: 1, start: 1, commit: 1 } }) }),
    2304,
    2304,
  ],
  [
    'consumer/uniform 1x1, every callback slow, 1 close, 1 restart, 1 commit',
    spec({
      protocol: 'consumer',
      assignor: 'uniform',
      slowCallbacks: true,
      slowAssignLost: true,
      bounds: bounds({ budgets: { ...noBudgets, close: 1, start: 1, commit: 1 } }),
    }),
    // 333 before main's KIP-848 reconciliation-epoch fix merged in (fewer distinct epochs); 322
    // until uniform followed KAFKA-18688 (a restart's second member id no longer takes the partition).
    333,
    333,
  ],
  // A zombie: the static member's process runs on while its replacement starts; KIP-848 refuses
  // the replacement (UNRELEASED_INSTANCE_ID) while the zombie's member is active.
  [
    'consumer/uniform 1x1 static, 1 zombie',
    spec({ protocol: 'consumer', assignor: 'uniform', static: true, bounds: bounds({ budgets: { ...noBudgets, replace: 1 } }) }),
    35,
    35,
  ],
  // A dynamic member's zombie: the replacement joins as a new member beside it (complete).
  [
    'eager/range 1x1 dynamic, 1 zombie',
    spec({ protocol: 'eager', assignor: 'range', bounds: bounds({ budgets: { ...noBudgets, replace: 1 } }) }),
    1293,
    1293,
  ],
  // The leader's assignor throws once: the round fails, the leader rejoins.
  ['cooperative 2x1, 1 assignor failure', spec({ members: 2, bounds: bounds({ budgets: { ...noBudgets, assignorFails: 1 } }) }), 828, 1655],
  // KIP-848: the server assignor throws on a heartbeat that computes a target: UNKNOWN_SERVER_ERROR,
  // nothing written, the member fails fatally; the other member gets the partition.
  [
    'consumer/uniform 2x1, 1 server assignor failure',
    spec({ protocol: 'consumer', assignor: 'uniform', members: 2, bounds: bounds({ budgets: { ...noBudgets, assignorFails: 1 } }) }),
    // 157 until uniform followed KAFKA-18688 (the first member in member order no longer takes the extra partition).
    103,
    103,
  ],
  // KIP-848 topic resolution: a member subscribes to a topic again, whose metadata it then lacks;
  // the coordinator assigns it at once and the member installs it only once the metadata arrives.
  // (115 states before KAFKA-19449 was modelled: a partition given back while the member was
  // revoking it waited a heartbeat in UNRELEASED_PARTITIONS.)
  [
    'consumer/uniform 1x1 with 2 topics, 2 subscription changes',
    spec({ protocol: 'consumer', assignor: 'uniform', topics: 2, bounds: bounds({ budgets: { ...noBudgets, subscribe: 2 } }) }),
    109,
    109,
  ],
  // KIP-881 racks (no symmetry: each client has its own client.rack): rack-aware range placing two
  // members on their racks, and a replica moving to the other rack, which the leader (it has a
  // client.rack) sees in its metadata and rejoins for.
  ['eager/range 2x2, 2 racks', spec({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, racks: 2 }), 755, 755],
  // A slow assignor (classic leader, onLeaderElected) that may outlast the rebalance timeout: the
  // coordinator's pending-sync expiry removes the leader, its poll timer makes it leave (KIP-62),
  // and its late SyncGroup is refused.
  [
    'eager/range 1x1, 1 slow assignor',
    spec({ protocol: 'eager', assignor: 'range', bounds: bounds({ budgets: { ...noBudgets, slowAssignor: 1 } }) }),
    740,
    740,
  ],
  [
    'cooperative 1x2, 2 racks, 1 replica move',
    spec({ partitions: 2, racks: 2, bounds: bounds({ budgets: { ...noBudgets, moveReplica: 1 } }) }),
    650,
    650,
  ],
  // Regular-expression subscriptions with a matching topic created during the run: classic
  // consumers match the pattern on a metadata refresh and rejoin; the KIP-848 coordinator
  // resolves the regex asynchronously, at most once per refresh interval.
  ['eager/range 1x1, pattern, 1 topic created', regexSpec('eager', 'range', 1), 357, 357],
  [
    'consumer/uniform 2x1, pattern, 1 topic created (no symmetry: member ids name the client)',
    regexSpec('consumer', 'uniform', 2),
    4773,
    4773,
  ],
])('complete exploration, pinned state counts: %s', (_name, s, withSymmetry, without) => {
  const a = exploreSpec(s);
  const b = exploreSpec({ ...s, symmetry: false });
  for (const r of [a, b]) {
    expect(r.violation).toBeUndefined();
    expect(r.cut).toMatchObject({ depth: 0, inFlight: 0, time: 0 });
  }
  expect([a.states, b.states]).toEqual([withSymmetry, without]);
});

// Classic zombies are not finite even with --max-delay 0: every JoinGroup without a member id
// (the replacement's, a late first one of the zombie, a retry after a timeout) replaces the static
// member under a new member id, and the model numbers member ids (Kafka: a UUID). So this search is
// pinned to a depth.
test('bounded exploration, pinned state count: eager/range 1x1 static, 1 zombie, depth 22', () => {
  const s = spec({
    protocol: 'eager',
    assignor: 'range',
    static: true,
    bounds: bounds({ budgets: { ...noBudgets, replace: 1 }, maxDepth: 22 }),
  });
  const r = exploreSpec(s);
  expect(r.violation).toBeUndefined();
  expect(r.states).toBe(274);
  expect(r.cut.depth).toBeGreaterThan(0);
});

test('no timer fires while a deliverable message is older than the bound', () => {
  const maxDelayMs = 100;
  const s = spec({ members: 2, bounds: bounds({ maxDelayMs, maxDepth: 40, budgets: { ...noBudgets, crash: 1, start: 1 } }) });
  const { session } = specSession(s);
  let fires = 0;
  const r = explore(session, s.bounds, {
    symmetry: true,
    liveness: false,
    observe: (before, choice) => {
      if (choice.kind !== 'fire') return;
      fires++;
      const due = nextDeadline(before);
      for (const m of before.net) expect(due - m.sentAt).toBeLessThanOrEqual(maxDelayMs);
    },
  });
  expect(fires).toBeGreaterThan(100);
  expect(r.cut.delay).toBeGreaterThan(0);
});

test('without the bound the same instance does not end: 12 steps already reach far more states than the whole bounded space', () => {
  const whole = exploreSpec(spec()).states;
  const r = exploreSpec(spec({ bounds: bounds({ maxDelayMs: Infinity, maxDepth: 12 }) }));
  expect(r.states).toBeGreaterThan(whole * 10);
  expect(r.cut.depth).toBeGreaterThan(0);
});

test.each([
  ['cooperative 3x1, no faults', spec({ members: 3 }), 4546, 27262],
  [
    'eager/range 2x2, 1 drop',
    spec({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, bounds: bounds({ budgets: { ...noBudgets, drop: 1 } }) }),
    5166,
    10331,
  ],
])(
  'symmetry is exact on a complete space (%s): the states without it, up to renaming the clients, are exactly those with it',
  (_name, s, withSymmetry, without) => {
    const { session } = specSession(s);
    const keyOpts = { symmetry: true, ordered: false, messageAge: true };
    const reached = (symmetry: boolean) => {
      // A node is its world and the budgets it has used: track those along the observed steps.
      const used = new Map<World, string>();
      const root = initialWorld(session.config, session.model);
      const keys = new Set<string>([`${stateHash(root, keyOpts)}/`]);
      const r = explore(session, s.bounds, {
        symmetry,
        liveness: false,
        observe: (before, c, after) => {
          const u = `${used.get(before) ?? ''}${c.kind === 'drop' ? 'd' : ''}`;
          used.set(after, u);
          keys.add(`${stateHash(after, keyOpts)}/${u}`);
        },
      });
      expect(r.cut).toMatchObject({ depth: 0, inFlight: 0, time: 0 });
      return { keys, states: r.states };
    };
    const sym = reached(true);
    const plain = reached(false);
    expect([sym.states, plain.states]).toEqual([withSymmetry, without]);
    expect(sym.keys.size).toBe(sym.states);
    expect([...plain.keys].sort()).toEqual([...sym.keys].sort());
  },
);

test("a variant's explore settings may bound the delay: the search is complete", () => {
  const variant = {
    ...findVariant('no-generation-bump')!,
    explore: { members: 1, partitions: 1, maxDepth: 10_000, maxInFlight: 8, maxDelayMs: 0 },
  };
  const { spec: s } = resolveSpec(variant, {});
  expect(s.bounds.maxDelayMs).toBe(0);
  const r = explore(specSession(s, variant).session, s.bounds, { symmetry: true, liveness: false });
  expect(r.violation?.invariant).toBe('generation-advance');
  // Given on the command line, the bound replaces the variant's.
  expect(resolveSpec(variant, { maxDelayMs: 50 }).spec.bounds.maxDelayMs).toBe(50);
});

test('racks: the complete 1x2 search reaches a replica move and the metadata refresh that shows it; rack-blind range is caught in the complete 2x2 search', () => {
  const moves = exploreSpec(
    spec({ partitions: 2, racks: 2, coverage: true, bounds: bounds({ budgets: { ...noBudgets, moveReplica: 1 } }) }),
  );
  const reached = new Set(moves.coverage!.flat());
  expect(reached.has('moveReplica')).toBe(true);
  expect(reached.has('metadata')).toBe(true);
  const blind = findVariant('rack-blind-range')!;
  const { spec: s } = resolveSpec(blind, { maxDelayMs: 0, maxDepth: 10_000 });
  const r = exploreSpec(s, {}, blind);
  expect(r.violation?.invariant).toBe('rack-aligned');
});

test('slow assignor: the complete 1x1 search reaches the leader removed while its assignor runs; the late-snapshot variant is caught', () => {
  const s = spec({ protocol: 'eager', assignor: 'range', coverage: true, bounds: bounds({ budgets: { ...noBudgets, slowAssignor: 1 } }) });
  const reached = new Set(exploreSpec(s).coverage!.flat());
  for (const item of [
    'consumer:computing',
    'consumer:computing TIMER#2 [isTimer(poll)]',
    'consumer:computing RESPONSE#1 [heartbeatErrorCurrent(UNKNOWN_MEMBER_ID)]',
    'coordinator:CompletingRebalance TIMER#2 [pendingSyncExpired]',
    'slowAssignor',
  ])
    expect(reached.has(item), item).toBe(true);
  const late = findVariant('slow-assignor-late-snapshot')!;
  const { spec: v } = resolveSpec(late, {});
  expect(exploreSpec(v, {}, late).violation?.invariant).toBe('stable-coverage');
});

// A dynamic zombie cut off past its session: the coordinator drops its member and must answer its
// requests UNKNOWN_MEMBER_ID. Pinned to a depth (member ids are numbered, as above); the broken
// variant that answers its Heartbeat NONE is caught within the same bounds, first by the oracle
// of the coordinator's answers (Kafka's is UNKNOWN_MEMBER_ID), before the zombie acts on it.
test('bounded exploration, pinned state count: eager/range 1x1 dynamic, 1 zombie, 1 cut, depth 16', () => {
  const s = spec({
    protocol: 'eager',
    assignor: 'range',
    bounds: bounds({ budgets: { ...noBudgets, replace: 1, cut: 1 }, maxDepth: 16 }),
  });
  const r = exploreSpec(s);
  expect(r.violation).toBeUndefined();
  expect(r.states).toBe(6201);
  const broken = exploreSpec({ ...s, variant: 'expired-member-heartbeats' });
  expect(broken.violation?.invariant).toBe('classic-group-answers');
});

test('regex subscriptions: the complete searches reach a topic created, the metadata refresh and the coordinator resolution; the broken variants are caught', () => {
  const classic = new Set(exploreSpec(regexSpec('eager', 'range', 1, { coverage: true })).coverage!.flat());
  for (const item of ['createTopic', 'metadata']) expect(classic.has(item), item).toBe(true);
  const kip848 = new Set(exploreSpec(regexSpec('consumer', 'uniform', 1, { coverage: true })).coverage!.flat());
  for (const item of [
    'createTopic',
    'metadata',
    'coordinator:active TIMER#7 [isTimer(regex)]',
    'coordinator:active TIMER#8 [isTimer(regexInterval)]',
  ])
    expect(kip848.has(item), item).toBe(true);
  for (const [name, invariant] of [
    ['pattern-matched-once', 'stable-coverage'],
    ['regex-resolved-once', 'eventually-stable'],
    ['regex-no-rebalance', 'stable-coverage'],
  ]) {
    const v = findVariant(name)!;
    const { spec: s } = resolveSpec(v, { maxDelayMs: 0, maxDepth: 10_000 });
    expect(exploreSpec(s, {}, v).violation?.invariant, name).toBe(invariant);
  }
});

// Offset retention (docs/model.md, section 11): one member commits, crashes, the group empties
// (session expiry), the offset cleanup may run, and the restarted member resets to `latest`.
const retentionSpec = (protocol: ExploreSpec['protocol'], assignor: string, o: Partial<ExploreSpec> = {}) =>
  spec({
    protocol,
    assignor,
    offsetReset: 'latest',
    bounds: bounds({ budgets: { ...noBudgets, process: 1, commit: 1, crash: 1, start: 1, expireOffsets: 1 } }),
    ...o,
  });

test.each([
  ['eager/range 1x1', retentionSpec('eager', 'range'), 9176],
  // 1512 until uniform followed KAFKA-18688.
  ['consumer/uniform 1x1', retentionSpec('consumer', 'uniform'), 1411],
])(
  'offset retention, complete exploration, pinned state count: %s, 1 commit, 1 crash, 1 restart, 1 offset cleanup, latest',
  (_n, s, states) => {
    const r = exploreSpec({ ...s, coverage: true });
    expect(r.violation).toBeUndefined();
    expect(r.cut).toMatchObject({ depth: 0, inFlight: 0, time: 0 });
    expect(r.states).toBe(states);
    const reached = r.coverage!.flat();
    expect(reached).toContain('expireOffsets');
    // Classic: the cleanup in Empty (every offset), in Stable (the unsubscribed topics'), and during a
    // rebalance (nothing); KIP-848: one rule for every state.
    expect(reached.filter((x) => x.includes('EXPIRE_OFFSETS')).sort()).toEqual(
      s.protocol === 'consumer'
        ? ['coordinator:active EXPIRE_OFFSETS#1 [otherwise]']
        : [
            'coordinator:(any state) EXPIRE_OFFSETS#1 [otherwise]',
            'coordinator:Empty EXPIRE_OFFSETS#1 [otherwise]',
            'coordinator:Stable EXPIRE_OFFSETS#1 [otherwise]',
          ],
    );
  },
);

test('offset retention: the broken variants are caught by a complete search', () => {
  for (const [name, invariant] of [
    ['offsets-expire-while-active', 'offsets-retained'],
    ['unsubscribed-offsets-kept', 'offsets-retained'],
    ['consumer-offsets-expire-subscribed', 'offsets-retained'],
    ['latest-ignores-committed', 'skip-only-on-reset'],
  ]) {
    const v = findVariant(name)!;
    const { spec: s } = resolveSpec(v, { maxDelayMs: 0, maxDepth: 10_000 });
    expect(exploreSpec(s, {}, v).violation?.invariant, name).toBe(invariant);
  }
});
