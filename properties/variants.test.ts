import { describe, expect, test } from 'vitest';
import { invariants } from './index.ts';
import { campaign } from '../src/check/campaign.ts';
import { allFaults, assignorsFor, session, worldConfig } from '../src/check/config.ts';
import { runChoices } from '../src/check/run.ts';
import { catalogue } from '../src/explore/catalogue.ts';
import { variantAssignors, variantProtocols } from '../src/explore/variant.ts';

// Every broken variant is caught, by an invariant it declares, and its shrunk
// counterexample replays by meaning. Together they show every invariant can fail.

const cases = catalogue.flatMap((v) => v.breaks.map((id) => [v.name, id, v] as const));

describe.each(cases)('variant %s', (_name, id, variant) => {
  test(`breaks ${id} (checked alone)`, () => {
    const protocol = variantProtocols(variant)[0];
    const assignor = variantAssignors(variant)?.[0] ?? (assignorsFor(protocol).includes('range') ? 'range' : assignorsFor(protocol)[0]);
    const config = worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, variant });
    const s = { ...session(config, variant), invariants: invariants.filter((i) => i.id === id) };
    const r = campaign(s, { runs: 20000, seed: 42, maxSteps: 60 });
    expect(r.failure, 'no violation found').toBeDefined();
    expect(r.failure!.violation.invariant).toBe(id);
    expect(runChoices(s, r.failure!.choices).violation?.invariant).toBe(id);
  });
});

test.each(catalogue.map((v) => [v.name, v] as const))('with every invariant on, %s is caught by one it declares', (_name, variant) => {
  const protocol = variantProtocols(variant)[0];
  const assignor = variantAssignors(variant)?.[0] ?? (assignorsFor(protocol).includes('range') ? 'range' : assignorsFor(protocol)[0]);
  const s = session(worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, variant }), variant);
  const r = campaign(s, { runs: 20000, seed: 42, maxSteps: 60 });
  expect(variant.breaks).toContain(r.failure?.violation.invariant);
});

test('every invariant is broken by some variant in the catalogue', () => {
  const broken = new Set(catalogue.flatMap((v) => v.breaks));
  expect(invariants.map((i) => i.id).filter((id) => !broken.has(id))).toEqual([]);
});
