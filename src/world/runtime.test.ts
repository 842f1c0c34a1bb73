import seedrandom from 'seedrandom';
import { expect, test } from 'vitest';
import { allFaults, worldConfig } from '../check/config.ts';
import { buildModel } from './model.ts';
import { enabled, initialWorld, step } from './world.ts';
import type { World } from './types.ts';

// The hot loop's reused-scope transition must be indistinguishable from xstate's transition().

const canonical = (w: World) =>
  JSON.stringify({
    ...w,
    coordinator: { value: w.coordinator.value, context: w.coordinator.context },
    clients: w.clients.map((c) => ({ ...c, snapshot: c.snapshot && { value: c.snapshot.value, status: c.snapshot.status, context: c.snapshot.context } })),
  });

test('fast runner equals xstate transition() on 200 random walks of 80 steps', () => {
  const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults });
  const fast = buildModel({}, 'fast');
  const plain = buildModel({}, 'plain');
  const rng = seedrandom('runtime-equivalence');
  let compared = 0;
  for (let run = 0; run < 200; run++) {
    let a = initialWorld(config, fast);
    let b = initialWorld(config, plain);
    expect(canonical(a)).toBe(canonical(b));
    for (let i = 0; i < 80; i++) {
      const choices = enabled(a, config);
      expect(enabled(b, config)).toEqual(choices);
      const c = choices[Math.floor(rng() * choices.length)];
      a = step(a, c, config, fast);
      b = step(b, c, config, plain);
      expect(canonical(a)).toBe(canonical(b));
      compared++;
    }
  }
  expect(compared).toBe(16_000);
});

test('the same holds for the consumer-protocol (KIP-848) machines: 50 random walks of 80 steps', () => {
  const config = worldConfig({ protocol: 'consumer', assignor: 'uniform', members: 3, partitions: 6, faults: allFaults, static: true });
  const fast = buildModel({}, 'fast', 'consumer');
  const plain = buildModel({}, 'plain', 'consumer');
  const rng = seedrandom('runtime-equivalence-consumer');
  for (let run = 0; run < 50; run++) {
    let a = initialWorld(config, fast);
    let b = initialWorld(config, plain);
    for (let i = 0; i < 80; i++) {
      const choices = enabled(a, config);
      expect(enabled(b, config)).toEqual(choices);
      const c = choices[Math.floor(rng() * choices.length)];
      a = step(a, c, config, fast);
      b = step(b, c, config, plain);
      expect(canonical(a)).toBe(canonical(b));
    }
  }
});
