import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import { downgradeReloadedBeforeRebalance, eventuallyStable } from './invariants/eventually-stable.ts';
import { common, coord, coordState, ctxOf, isSettled, liveClients } from '../src/world/view.ts';

// The gap eventually-stable exempts as known Kafka behaviour (docs/migration.md, "A downgrade
// reloaded before its rebalance"): the online downgrade writes a Stable classic group record
// without the leaver and prepares its rebalance only in memory; a coordinator failover in between
// reloads the group as Stable and nobody is asked to rejoin. Found by
// `check --migration downgrade --protocol cooperative --seed 7 --runs 3600` (run 3559).

const file = join(import.meta.dirname, 'fixtures', 'downgrade-reloaded-before-rebalance.json');
const cx = readCounterexample(file);
const failoverAt = cx.choices.findIndex((c) => c.kind === 'failover');

test('a failover between the downgrade and its rebalance leaves the leaver’s partitions unowned, and only that is excused', () => {
  const { result } = replayStored(session(cx.config), cx.choices, 'fixture');
  expect(result.violation).toBeUndefined();
  const w = result.world;
  // Kafka's outcome: a Stable classic group at the generation the downgrade wrote, its one member
  // content at that generation, owning 3 of the 8 partitions; the group is not settled.
  expect(w.family).toBe('classic');
  expect(coordState(w)).toBe('Stable');
  expect(w.downgrade).not.toBeNull();
  expect(w.formation).toBe(w.downgrade!.formation);
  expect(w.coordinatorEpoch).toBeGreaterThan(w.downgrade!.coordinatorEpoch);
  expect(isSettled(w)).toBe(false);
  expect(downgradeReloadedBeforeRebalance(w)).toBe(true);
  const [c1] = liveClients(w);
  expect(ctxOf(c1).generation).toBe(coord(w).generation);
  expect(common(c1).owned).toEqual(['t0-4', 't0-5', 't0-6']);
  expect(w.topics).toEqual({ t0: 8 });
  expect(eventuallyStable.check(w, null, w, cx.config)).toBeUndefined();

  // Narrow: the same world without a failover since the downgrade (the model skipped the
  // downgrade's rebalance), or with a member that has a rejoin pending, is a violation.
  const noFailover = { ...w, coordinatorEpoch: w.downgrade!.coordinatorEpoch };
  expect(eventuallyStable.check(w, null, noFailover, cx.config)).toMatch(/group not stable/);
  const otherFormation = { ...w, formation: w.formation + 100 };
  expect(eventuallyStable.check(w, null, otherFormation, cx.config)).toMatch(/group not stable/);
  const rejoining = {
    ...w,
    clients: w.clients.map((s) =>
      s === c1 ? { ...s, snapshot: { ...s.snapshot!, context: { ...ctxOf(s), rejoinNeeded: true } } as typeof s.snapshot } : s,
    ),
  };
  expect(eventuallyStable.check(w, null, rejoining, cx.config)).toMatch(/group not stable/);
  const consumerFamily = { ...w, family: 'consumer' as const };
  expect(downgradeReloadedBeforeRebalance(consumerFamily)).toBe(false);
});

test('without the failover the downgrade’s rebalance runs and the group settles with every partition owned', () => {
  expect(failoverAt).toBeGreaterThan(0);
  const { result } = replayStored(session(cx.config), cx.choices.slice(0, failoverAt), 'fixture');
  expect(result.violation).toBeUndefined();
  const w = result.world;
  expect(w.downgrade).not.toBeNull();
  expect(isSettled(w)).toBe(true);
  expect(downgradeReloadedBeforeRebalance(w)).toBe(false);
  expect(
    liveClients(w)
      .flatMap((s) => common(s).owned)
      .sort(),
  ).toEqual(Array.from({ length: w.topics.t0 }, (_, i) => `t0-${i}`).sort());
});
