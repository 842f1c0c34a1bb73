import seedrandom from 'seedrandom';
import { expect, test } from 'vitest';
import { allFaults, worldConfig } from '../run/config.ts';
import { buildModel } from './model.ts';
import { enabled, initialWorld, step } from './world.ts';
import type { World, WorldConfig } from './types.ts';

// The hot loop's reused-scope transition must be indistinguishable from xstate's transition().

const canonical = (w: World) =>
  JSON.stringify({
    ...w,
    coordinator: { value: w.coordinator.value, context: w.coordinator.context },
    clients: w.clients.map((c) => ({
      ...c,
      snapshot: c.snapshot && { value: c.snapshot.value, status: c.snapshot.status, context: c.snapshot.context },
    })),
  });

/** Walks both runners through the same random choices; returns the number of steps compared. */
function walkBoth(config: WorldConfig, family: 'classic' | 'consumer', seed: string, runs: number, steps: number): number {
  const fast = buildModel({}, 'fast', family);
  const plain = buildModel({}, 'plain', family);
  const rng = seedrandom(seed);
  let compared = 0;
  for (let run = 0; run < runs; run++) {
    let a = initialWorld(config, fast);
    let b = initialWorld(config, plain);
    expect(canonical(a)).toBe(canonical(b));
    for (let i = 0; i < steps; i++) {
      const choices = enabled(a, config);
      expect(enabled(b, config)).toEqual(choices);
      const c = choices[Math.floor(rng() * choices.length)];
      a = step(a, c, config, fast);
      b = step(b, c, config, plain);
      expect(canonical(a)).toBe(canonical(b));
      compared++;
    }
  }
  return compared;
}

test('fast runner equals xstate transition() on 200 random walks of 80 steps', () => {
  const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults });
  expect(walkBoth(config, 'classic', 'runtime-equivalence', 200, 80)).toBe(16_000);
});

test('the same holds for the consumer-protocol (KIP-848) machines: 50 random walks of 80 steps', () => {
  const config = worldConfig({ protocol: 'consumer', assignor: 'uniform', members: 3, partitions: 6, faults: allFaults, static: true });
  expect(walkBoth(config, 'consumer', 'runtime-equivalence-consumer', 50, 80)).toBe(4_000);
});
