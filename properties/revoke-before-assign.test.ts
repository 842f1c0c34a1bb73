import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import { revokeBeforeAssign } from './invariants/revoke-before-assign.ts';
import { clientState, common, coord, ctxOf } from '../src/world/view.ts';
import type { World } from '../src/world/types.ts';

// The static-member gap revoke-before-assign recognises (docs/fidelity.md, "A static member that
// misses the join phase"): found by the default `check` (eager, cooperative-sticky, static, seed
// 42), replayed here on the unchanged model. c2 learns of the rebalance late, its slow
// onPartitionsRevoked is still running when the join phase ends at the rebalance timeout, and the
// coordinator keeps it (static) while the leader c1 is handed two partitions c2 still holds.

const file = join(import.meta.dirname, 'fixtures', 'static-missed-join-revoke-before-assign.json');

test('a static member kept through a join phase it missed is excused, and only it', () => {
  const cx = readCounterexample(file);
  const s = session(cx.config, undefined, false);
  const { result } = replayStored(s, cx.choices, 'corpus');
  expect(result.violation).toBeUndefined();
  const w = result.world;
  const [c1, c2] = w.clients;
  // Kafka's outcome: c2 is still a member, still inside onPartitionsRevoked of generation 2,
  // while c1 owns two of its partitions in generation 3.
  expect(coord(w).generation).toBe(3);
  expect(coord(w).members[ctxOf(c2).memberId]).toBeDefined();
  expect(clientState(c2)).toBe('revoking');
  expect(ctxOf(c2).generation).toBe(2);
  const shared = common(c1).owned.filter((p) => common(c2).owned.includes(p));
  expect(shared.length).toBeGreaterThan(0);
  // The last step handed c1 its partitions; judged on the world before it.
  const before = replayStored(s, cx.choices.slice(0, -1), 'corpus').result.world;
  expect(revokeBeforeAssign.check(before, null, w, cx.config)).toBeUndefined();
  // The excuse is what lets it pass: the same world with c2 dynamic, or with c2 having rejoined
  // (joining, so its JoinGroup told the coordinator what it holds), is a violation.
  const withC2 = (patch: (c: World['clients'][number]) => World['clients'][number]): World => ({
    ...w,
    clients: w.clients.map((c) => (c === c2 ? patch(c) : c)),
  });
  const dynamic = withC2((c) => ({
    ...c,
    snapshot: { ...c.snapshot!, context: { ...ctxOf(c), cfg: { ...ctxOf(c).cfg, instanceId: null } } } as typeof c.snapshot,
  }));
  const rejoined = withC2((c) => ({ ...c, snapshot: { ...c.snapshot!, value: 'joining' } as typeof c.snapshot }));
  const adopted = withC2((c) => ({ ...c, formation: w.formation }));
  for (const bad of [dynamic, rejoined, adopted]) {
    expect(revokeBeforeAssign.check(before, null, bad, cx.config)).toMatch(/^c1 was given t0-\d while c2, still a member, owns it$/);
  }
});
