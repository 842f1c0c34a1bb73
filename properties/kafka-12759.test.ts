import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import { coord, ctxOf, driftedTopics } from '../src/world/view.ts';
import { balancedWhenStable } from './invariants/balance.ts';

// Found by `check --protocol eager --assignor range --members 2 --topics 2 --partitions 2
// --static --seed 7` on the unmodified model (it was reported as balanced-when-stable): a static
// member's old process (a zombie, c1#1) subscribes to t0 only and rejoins, so generation 6 is
// assigned from c1: [t0] and c2: [t0, t1]; then c1's new process, subscribed to both topics,
// replaces it in Stable. Kafka's coordinator rebalances a static replacement in Stable only if the
// selected protocol changes (GroupMetadataManager.updateStaticMemberThenRebalanceOrCompleteJoin),
// not on a changed subscription (KAFKA-12759, open), and the consumer checks only that its
// assignment is within its subscription (checkAssignmentMatchedSubscription), so the group stays
// Stable with t1 all on c2. The model does the same; the invariants that judge the assignment's
// shape exempt the topics the replacement changed (World.drift), and only those.

const file = join(import.meta.dirname, 'fixtures', 'kafka-12759-static-resubscribe.json');

test('a static replacement with a changed subscription in Stable leaves the older assignment in force, as Kafka does', () => {
  const cx = readCounterexample(file);
  const { result } = replayStored(session(cx.config), cx.choices, 'corpus');
  expect(result.violation).toBeUndefined();
  const w = result.world;
  expect(w.coordinator.value).toBe('Stable');
  expect(driftedTopics(w)).toEqual(['t1']);
  // Both live processes subscribe to both topics, and the coordinator's record says so too.
  const live = w.clients.filter((s) => s.zombieOf === null);
  for (const s of live) expect(ctxOf(s).cfg.topics).toEqual(['t0', 't1']);
  for (const m of Object.values(coord(w).members)) expect(m.subscription.topics).toEqual(['t0', 't1']);
  const t1 = live.map((s) => ctxOf(s).owned.filter((p) => p.startsWith('t1-')).length);
  expect(t1.sort()).toEqual([0, 2]);
});

test('the exemption is the drift record alone: without it the same world breaks balanced-when-stable', () => {
  const cx = readCounterexample(file);
  const { result } = replayStored(session(cx.config), cx.choices, 'corpus');
  const { drift: _d, ...withoutDrift } = result.world;
  expect(balancedWhenStable.check(result.world, null, result.world, cx.config)).toBeUndefined();
  expect(balancedWhenStable.check(withoutDrift, null, withoutDrift, cx.config)).toMatch(
    /partition counts of t1 (0\/2|2\/0) differ by more than one/,
  );
});
