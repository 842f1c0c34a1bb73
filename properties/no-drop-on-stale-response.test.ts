import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import { catalogue } from '../src/variants/catalogue.ts';
import { clientState, ctxOf } from '../src/world/view.ts';

// Found by `check --variant stale-heartbeat-resets --protocol cooperative` (seed 42, shrunk):
// c1 is inside onPartitionsAssigned of generation 2 when the answer to a heartbeat it sent in
// generation 1 arrives, ILLEGAL_GENERATION. The variant resets the generation anyway. Its
// partitions are not dropped in that step (the reset loses them at the next join, through
// onPartitionsLost, which takes time of its own), so the invariant judges the reset itself.

const file = join(import.meta.dirname, 'fixtures', 'stale-heartbeat-reset-in-callback.json');
const variant = catalogue.find((v) => v.name === 'stale-heartbeat-resets')!;

test('a stale heartbeat error that resets the generation of a member holding partitions is a violation', () => {
  const cx = readCounterexample(file);
  const { result } = replayStored(session(cx.config, variant, false), cx.choices, 'corpus');
  expect(result.violation?.invariant).toBe('no-drop-on-stale-response');
  expect(result.violation?.message).toMatch(/c1 reset its generation holding t0-0/);
  // Nothing was dropped yet: the partition is still owned, inside the callback.
  const c1 = result.world.clients[0];
  expect(clientState(c1)).toBe('assigning');
  expect(ctxOf(c1).owned).toEqual(['t0-0']);
});

test('the unchanged model ignores the same stale answer and keeps its generation', () => {
  const cx = readCounterexample(file);
  const { result } = replayStored(session(cx.config, undefined, false), cx.choices, 'corpus');
  expect(result.violation).toBeUndefined();
  expect(ctxOf(result.world.clients[0]).generation).toBe(2);
});
