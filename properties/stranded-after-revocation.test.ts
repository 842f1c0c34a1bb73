import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import { coord, strandedPartitions } from '../src/world/view.ts';
import { stableCoverage } from './invariants/stable-coverage.ts';

// Found by `check --protocol cooperative --assignor cooperative-sticky --static --racks 2`
// (seed 42, run 532; shrinking stopped at its budget): the stranded-revocation shape
// (stranded-revocation.test.ts), but the replaced leader's old process finished revoking t0-1
// before the new process's JoinGroup replaced it in place, so no live process owns t0-1 any more.
// The partition was withheld by generation 2's cooperative assignment because the replaced
// member claimed it (ownedPartitions in its JoinGroup); nobody rejoins for it, as in Kafka
// (docs/fidelity.md, "A static member restarted while it revokes"). The replica move early in
// the run plays no part.

const file = join(import.meta.dirname, 'fixtures', 'stranded-after-revocation.json');
const replayed = () => {
  const cx = readCounterexample(file);
  return { cx, ...replayStored(session(cx.config), cx.choices, 'corpus') };
};

test('a partition the replaced member claimed and already revoked is recorded as stranded', () => {
  const { result } = replayed();
  expect(result.violation).toBeUndefined();
  const w = result.world;
  expect(w.coordinator.value).toBe('Stable');
  expect(strandedPartitions(w)).toContain('t0-1');
  const stored = Object.values(coord(w).members).flatMap((m) => m.assignment ?? []);
  expect(stored).not.toContain('t0-1');
});

test('without the stranded record the same world fails stable-coverage', () => {
  const { cx, result } = replayed();
  const { stranded: _s, ...without } = result.world;
  expect(stableCoverage.check(without, null, without, cx.config)).toMatch(/t0-1 has no owner/);
});
