import { describe, expect, test } from 'vitest';
import { migrationInvariants } from '../../properties/index.ts';
import { everyInvariantHolds } from './holds.ts';
import { allFaults, session, worldConfig } from '../run/config.ts';
import { run } from '../run/run.ts';
import { enabled } from '../world/world.ts';
import { clientFamily } from '../world/view.ts';

// Mixed groups (docs/migration.md): a rolling switch of group.protocol with every fault on keeps
// every migration invariant, in both directions, from eager and from cooperative classic members.

const cases = [
  ['upgrade', 'eager', 'range'],
  ['upgrade', 'cooperative', 'cooperative-sticky'],
  ['downgrade', 'eager', 'range'],
  ['downgrade', 'cooperative', 'cooperative-sticky'],
] as const;

describe.each(cases)('migration %s, classic side %s/%s, 3 members x 6 partitions, all faults', (migration, protocol, assignor) => {
  everyInvariantHolds(session(worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, migration })), {
    numRuns: 60,
    seed: 19,
  });
});

test('migration runs check the migration invariants, and the runs do convert the group and mix the protocols', () => {
  const s = session(
    worldConfig({ protocol: 'cooperative', assignor: 'cooperative-sticky', members: 3, partitions: 6, migration: 'upgrade' }),
  );
  expect(s.invariants).toBe(migrationInvariants);
  let conversions = 0;
  let mixedSteps = 0;
  let seed = 1;
  const rng = () => (seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff;
  for (let r = 0; r < 20; r++)
    run(
      {
        ...s,
        observe: (before, _choice, after) => {
          if (before.family !== after.family) conversions++;
          const live = after.clients.filter((c) => c.snapshot?.status === 'active');
          if (after.family === 'consumer' && new Set(live.map(clientFamily)).size > 1) mixedSteps++;
        },
      },
      (w) => {
        const choices = enabled(w, s.config);
        return (i) => (i < 80 ? choices[Math.floor(rng() * choices.length)] : undefined);
      },
    );
  expect(conversions).toBeGreaterThan(20);
  expect(mixedSteps).toBeGreaterThan(100);
});
