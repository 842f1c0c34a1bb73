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

/** The same world, with the coordinator's stored subscription of `owner` listing what it owns (its JoinGroup reported it). */
function reportingOwned(w: World, owner: World['clients'][number]): World {
  const id = ctxOf(owner).memberId;
  const record = coord(w).members[id];
  const reported = { ...record, subscription: { ...record.subscription, ownedPartitions: ctxOf(owner).owned } };
  return {
    ...w,
    coordinator: { ...w.coordinator, context: { ...coord(w), members: { ...coord(w).members, [id]: reported } } } as World['coordinator'],
  };
}

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
  // Rejoined: joining, and its JoinGroup reached the coordinator in time to report what it holds.
  const joining = withC2((c) => ({ ...c, snapshot: { ...c.snapshot!, value: 'joining' } as typeof c.snapshot }));
  const rejoined = reportingOwned(joining, c2);
  const adopted = withC2((c) => ({ ...c, formation: w.formation }));
  for (const bad of [dynamic, rejoined, adopted]) {
    expect(revokeBeforeAssign.check(before, null, bad, cx.config)).toMatch(/^c1 was given t0-\d while c2, still a member, owns it$/);
  }
});

// Found by `check --protocol cooperative --assignor cooperative-sticky --static --runs 2000` (run
// 1,708 of seed 42): c2, a static member that restarted into a Stable group earlier (the
// coordinator stored the new process's subscription, owning nothing, and handed it its old
// assignment), learns of a rebalance late; its JoinGroup is still on its way when the join phase
// ends at the rebalance timeout, so the leader assigns from that subscription and gives c1 a
// partition c2 holds. Kafka's gap, as above: the coordinator does not wait for a static member.

const inFlight = join(import.meta.dirname, 'fixtures', 'static-join-in-flight-revoke-before-assign.json');

test('a static member whose JoinGroup had not reached the coordinator when the phase ended is excused, and only then', () => {
  const cx = readCounterexample(inFlight);
  const s = session(cx.config, undefined, false);
  const { result } = replayStored(s, cx.choices, 'corpus');
  expect(result.violation).toBeUndefined();
  const before = replayStored(s, cx.choices.slice(0, -1), 'corpus').result.world;
  const w = result.world;
  const c2 = w.clients.find((c) => c.name === 'c2')!;
  expect(clientState(c2)).toBe('joining');
  const record = coord(w).members[ctxOf(c2).memberId];
  expect(record.joinCorr).toBeNull();
  expect(record.subscription.ownedPartitions).toEqual([]);
  expect(ctxOf(c2).owned).toContain('t0-0');
  // Had its JoinGroup reported t0-0, the leader would have known: a violation.
  const reported = reportingOwned(w, c2);
  expect(revokeBeforeAssign.check(before, null, reported, cx.config)).toMatch(/^c1 was given t0-0 while c2, still a member, owns it$/);
});
