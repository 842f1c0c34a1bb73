import { describe, expect, test } from 'vitest';
import { invariants } from './index.ts';
import { campaign } from '../src/check/campaign.ts';
import { allFaults, assignorsFor, session, worldConfig } from '../src/check/config.ts';
import { runChoices } from '../src/check/run.ts';
import { catalogue } from '../src/explore/catalogue.ts';

// Every broken variant is caught, by an invariant it declares, and its shrunk
// counterexample replays by meaning. Together they show every invariant can fail.

describe.each(catalogue.map((v) => [v.name, v] as const))('variant %s', (_name, variant) => {
  test(`is caught by ${variant.breaks.join(', ')}`, () => {
    const protocol = variant.protocols?.[0] ?? 'eager';
    const assignor = variant.assignors ? Object.keys(variant.assignors)[0] : assignorsFor(protocol).includes('range') ? 'range' : assignorsFor(protocol)[0];
    const config = worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, variant });
    const s = session(config, variant);
    const r = campaign(s, { runs: 3000, seed: 42, maxSteps: 60 });
    expect(r.failure, 'no violation found').toBeDefined();
    expect(variant.breaks).toContain(r.failure!.violation.invariant);
    expect(runChoices(s, r.failure!.choices).violation?.invariant).toBe(r.failure!.violation.invariant);
  });
});

test('every invariant is broken by some variant in the catalogue', () => {
  const broken = new Set(catalogue.flatMap((v) => v.breaks));
  expect(invariants.map((i) => i.id).filter((id) => !broken.has(id))).toEqual([]);
});
