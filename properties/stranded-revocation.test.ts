import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import { coord, strandedPartitions } from '../src/world/view.ts';
import { idleOnlyWhenOutnumbered } from './invariants/idle-members.ts';
import { stableCoverage } from './invariants/stable-coverage.ts';

// Found by the default check (cooperative/cooperative-sticky static, seed 42, run 578; shrunk):
// c2, the leader, is told by generation 4's assignment to give up two partitions; while its
// onPartitionsRevoked runs, its process is replaced (same group.instance.id). The new process
// joins the Stable group, is replaced in place with SkipAssignment (KIP-814) and gets the stored
// assignment; it has nothing to revoke, so nobody triggers the follow-up rebalance, and the old
// process's follow-up JoinGroup is fenced. Kafka leaves the partitions unassigned (docs/fidelity.md,
// "A static member restarted while it revokes"); the world records them (World.stranded) and the
// assignment-shape invariants excuse exactly those.

const file = join(import.meta.dirname, 'fixtures', 'stranded-revocation.json');
const replayed = () => {
  const cx = readCounterexample(file);
  return { cx, ...replayStored(session(cx.config), cx.choices, 'corpus') };
};

test('a static replacement mid-revocation leaves the revoked partitions unassigned, as Kafka does', () => {
  const { result } = replayed();
  expect(result.violation).toBeUndefined();
  const w = result.world;
  expect(w.coordinator.value).toBe('Stable');
  const stranded = strandedPartitions(w);
  expect(stranded.length).toBeGreaterThan(0);
  // In nobody's stored assignment, and nobody owns them.
  const stored = Object.values(coord(w).members).flatMap((m) => m.assignment ?? []);
  for (const p of stranded) expect(stored).not.toContain(p);
});

test('the exemption is the stranded record alone: without it the same world is a violation', () => {
  const { cx, result } = replayed();
  const { stranded: _s, ...without } = result.world;
  const verdict =
    idleOnlyWhenOutnumbered.check(without, null, without, cx.config) ?? stableCoverage.check(without, null, without, cx.config);
  expect(verdict).toMatch(/is idle with|has no owner/);
  expect(idleOnlyWhenOutnumbered.check(result.world, null, result.world, cx.config)).toBeUndefined();
  expect(stableCoverage.check(result.world, null, result.world, cx.config)).toBeUndefined();
});
