import seedrandom from 'seedrandom';
import { expect, test } from 'vitest';
import { allFaults, session, worldConfig, type CheckConfigInput } from '../run/config.ts';
import { runPicks } from '../run/run.ts';
import { fairChoice, fairChoiceByEnabled } from './quiesce.ts';
import type { World } from './types.ts';

// The fair schedule picks its next choice without listing every enabled one (quietChoice); it
// must pick exactly what the first choice of each kind in enabled()'s list would be.

const configs: CheckConfigInput[] = [
  { protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults },
  { protocol: 'cooperative', assignor: 'cooperative-sticky', members: 3, partitions: 6, faults: allFaults, static: true, topics: 2 },
  { protocol: 'consumer', assignor: 'uniform', members: 3, partitions: 6, faults: allFaults, static: true },
  { protocol: 'cooperative', assignor: 'cooperative-sticky', members: 3, partitions: 4, faults: allFaults, migration: 'upgrade' },
  { protocol: 'cooperative', assignor: 'cooperative-sticky', members: 3, partitions: 4, faults: allFaults, racks: 2 },
];

test.each(configs.map((c) => [`${c.protocol}${c.migration ? ` ${c.migration}` : ''}${c.racks ? ' racks' : ''}`, c] as const))(
  'the fair schedule picks what enabled() lists first: %s',
  (_label, input) => {
    const config = worldConfig(input);
    const s = session(config);
    const rng = seedrandom(`quiet ${_label}`);
    let compared = 0;
    let quiet = 0;
    const compare = (w: World) => {
      expect(fairChoice(w, config)).toEqual(fairChoiceByEnabled(w, config));
      compared++;
      if (w.net.length === 0) quiet++;
    };
    s.observe = (_before, _choice, after) => compare(after);
    for (let run = 0; run < 20; run++)
      runPicks(
        s,
        Array.from({ length: 60 }, () => Math.floor(rng() * 0x7fffffff)),
      );
    // Most worlds have messages in flight; the comparison must have met many without.
    expect(quiet).toBeGreaterThan(50);
    expect(compared).toBeGreaterThan(500);
  },
);
