import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { invariantsFor } from '../../properties/index.ts';
import { everyInvariantHolds } from './holds.ts';
import { allFaults, noFaults, session, worldConfig } from '../run/config.ts';
import { runPicks } from '../run/run.ts';
import { common } from '../world/view.ts';

// The correct KIP-848 models keep every invariant over random runs with all faults on: the
// shared invariants (declared once, read through protocol-neutral views) and the
// consumer-protocol ones, in the same world as the classic suites (src/random/classic.test.ts).

test('the shared invariants run on both protocols, declared once', () => {
  const consumer = invariantsFor('consumer').map((i) => i.id);
  const classic = new Set([...invariantsFor('eager'), ...invariantsFor('cooperative')].map((i) => i.id));
  const shared = consumer.filter((id) => classic.has(id));
  expect(shared).toEqual(
    expect.arrayContaining([
      'single-owner',
      'stable-coverage',
      'idle-only-when-outnumbered',
      'balanced-when-stable',
      'offset-handover',
      'one-member-per-instance',
      'eventually-stable',
    ]),
  );
  expect(consumer).toEqual(
    expect.arrayContaining([
      'exclusive-holding',
      'release-acknowledged',
      'owner-bookkeeping',
      'epochs-grow',
      'fenced-releases-first',
      'stale-requests-no-effect',
      'static-rejoin-no-bump',
      'reaches-target',
    ]),
  );
});

describe.each([
  ['uniform', 1, false],
  ['range', 1, false],
  ['uniform', 2, false],
  ['uniform', 1, true],
] as const)('consumer/%s, 3 members x %i topics of 6 partitions, static %s, all faults', (assignor, topics, isStatic) => {
  everyInvariantHolds(
    session(worldConfig({ protocol: 'consumer', assignor, members: 3, partitions: 6, topics, static: isStatic, faults: allFaults })),
    { numRuns: 100, seed: 7 },
  );
});

describe('consumer/range with more members than partitions', () => {
  everyInvariantHolds(
    session(worldConfig({ protocol: 'consumer', assignor: 'range', members: 4, partitions: 2, faults: allFaults })),
    { numRuns: 100, seed: 11 },
    'idle members appear and no invariant fails',
  );
});

describe('fault-free consumer-protocol runs settle', () => {
  const s = session(worldConfig({ protocol: 'consumer', assignor: 'uniform', members: 3, partitions: 6, faults: noFaults }));
  test.prop([fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 100, seed: 3 })(
    'and every partition ends with one owner',
    (picks: number[]) => {
      const r = runPicks(s, picks);
      expect(r.violation).toBeUndefined();
      const owned = r.world.clients.flatMap((c) => (c.snapshot ? common(c).owned : []));
      expect(owned.sort()).toEqual(['t0-0', 't0-1', 't0-2', 't0-3', 't0-4', 't0-5']);
    },
  );
});
