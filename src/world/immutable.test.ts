import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { allFaults, worldConfig } from '../run/config.ts';
import { buildModel } from './model.ts';
import { startFamily, type Protocol, type WorldConfig } from './types.ts';
import { enabled, initialWorld, step } from './world.ts';

// A step never writes into the world it starts from. The explorer steps one world many times
// (one per choice) and `check`'s invariants compare the world before a step with the one after,
// so a model action or a world function that changes an object it was handed corrupts sibling
// states and blinds before/after invariants. Found once: the classic coordinator's static
// replacement wrote a session timer into the previous context's timers object (withoutTimer
// returns its argument when there is nothing to remove), which made `explore` report a violation
// whose path did not replay. Every world is deep-frozen before it is stepped: a write throws.

function deepFreeze(x: unknown, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  for (const v of Object.values(x)) deepFreeze(v, seen);
  Object.freeze(x);
}

function walk(config: WorldConfig, seed: string, runs: number, steps: number): number {
  const model = buildModel({}, 'compiled', startFamily(config), Boolean(config.migration));
  const rng = seedrandom(seed);
  let stepped = 0;
  for (let r = 0; r < runs; r++) {
    let w = initialWorld(config, model);
    for (let i = 0; i < steps; i++) {
      const choices = enabled(w, config);
      if (choices.length === 0) break;
      deepFreeze(w);
      // Like the explorer: step a sibling first, then the choice taken, from the same frozen world.
      step(w, choices[Math.floor(rng() * choices.length)], config, model);
      w = step(w, choices[Math.floor(rng() * choices.length)], config, model);
      stepped += 2;
    }
  }
  return stepped;
}

const cases: Array<[string, Protocol, string, Partial<WorldConfig>]> = [
  ['eager/range', 'eager', 'range', {}],
  ['cooperative/cooperative-sticky static', 'cooperative', 'cooperative-sticky', { static: true }],
  ['cooperative/cooperative-sticky', 'cooperative', 'cooperative-sticky', {}],
  ['consumer/uniform', 'consumer', 'uniform', {}],
  ['consumer/range static', 'consumer', 'range', { static: true }],
];

describe('no step writes into the world it starts from (every fault on, frozen worlds)', () => {
  for (const [name, protocol, assignor, extra] of cases)
    it(name, () => {
      const config = { ...worldConfig({ protocol, assignor, members: 3, partitions: 3, topics: 2, faults: allFaults }), ...extra };
      expect(walk(config, name, 40, 120)).toBeGreaterThan(1000);
    });
});
