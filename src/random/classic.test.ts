import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { runArbitrary } from './campaign.ts';
import { allFaults, noFaults, session, worldConfig } from '../run/config.ts';
import { runPicks } from '../run/run.ts';
import { everyInvariantHolds } from './holds.ts';

// The correct classic models keep every invariant over random runs with all faults on.

describe.each([
  ['eager', 'range', 1],
  ['eager', 'roundrobin', 1],
  ['eager', 'sticky', 2],
  ['eager', 'cooperative-sticky', 2],
  ['cooperative', 'cooperative-sticky', 1],
  ['cooperative', 'cooperative-sticky', 2],
] as const)('%s/%s, 3 members x %i topics of 6 partitions, all faults', (protocol, assignor, topics) => {
  everyInvariantHolds(session(worldConfig({ protocol, assignor, members: 3, partitions: 6, topics, faults: allFaults })), {
    numRuns: 300,
    seed: 7,
  });
});

describe('eager/range with more members than partitions', () => {
  const s = session(worldConfig({ protocol: 'eager', assignor: 'range', members: 4, partitions: 2, faults: allFaults }));
  test.prop([runArbitrary(60)], { numRuns: 200, seed: 11 })('idle members appear and no invariant fails', (picks) => {
    expect(runPicks(s, picks).violation).toBeUndefined();
  });
});

describe('fault-free runs settle', () => {
  const s = session(worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: noFaults }));
  test.prop([fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 100, seed: 3 })(
    'and every partition ends with one owner',
    (picks: number[]) => {
      const r = runPicks(s, picks);
      expect(r.violation).toBeUndefined();
      const owned = r.world.clients.flatMap((c) => (c.snapshot?.context as { owned?: string[] })?.owned ?? []);
      expect(owned.sort()).toEqual(['t0-0', 't0-1', 't0-2', 't0-3', 't0-4', 't0-5']);
    },
  );
});

describe('rolling upgrade eager -> cooperative (two bounces), all faults', () => {
  const s = session(worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults, upgrade: true }));
  everyInvariantHolds(s, { numRuns: 300, seed: 13 }, 'every invariant holds while eager and cooperative members mix');
});
