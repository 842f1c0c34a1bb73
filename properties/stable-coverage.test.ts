import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import { stableCoverage } from './invariants/stable-coverage.ts';
import { common, coord, isSettled, liveClients } from '../src/world/view.ts';

// The KIP-814 gap stable-coverage recognises (docs/fidelity.md, "The static leader and
// SkipAssignment"): a partition added after the group's assignment was computed, seen by a static
// leader only after it restarted, stays unowned in Kafka. These are the corpus's steps for the
// skip-without-snapshot variant, replayed on the unchanged model.

const file = join(import.meta.dirname, '..', 'counterexamples', 'skip-without-snapshot-stable-coverage-518faa89.json');

test('a partition added before the static leader returns stays unowned, and only that is excused', () => {
  const cx = readCounterexample(file);
  const { result } = replayStored(session(cx.config), cx.choices, 'corpus');
  expect(result.violation).toBeUndefined();
  const w = result.world;
  expect(isSettled(w)).toBe(true);
  // Kafka's outcome: the group is Stable, the leader does not rejoin, and t0-1 has no owner.
  expect(liveClients(w).flatMap((s) => common(s).owned)).toEqual(['t0-0']);
  expect(w.topics).toEqual({ t0: 2 });
  const leader = liveClients(w)[0];
  expect(leader.skippedAssignment).toBe(true);
  expect(Object.values(coord(w).members).map((m) => m.assignment)).toEqual([['t0-0']]);
  // The excuse is what lets it pass: the same world with a leader that computed the assignment
  // itself is a violation. (The partition was also in nobody's stored assignment when the static
  // leader was replaced in place, so the stranded record excuses it too: both are taken away.)
  expect(w.stranded?.partitions).toEqual(['t0-1']);
  const computedByLeader = { ...w, stranded: undefined, clients: w.clients.map((s) => ({ ...s, skippedAssignment: false })) };
  expect(stableCoverage.check(w, null, computedByLeader, cx.config)).toBe('t0-1 has no owner in the stable group');
  expect(stableCoverage.check(w, null, w, cx.config)).toBeUndefined();
});
