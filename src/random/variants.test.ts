import { describe, expect, test } from 'vitest';
import { invariants } from '../../properties/index.ts';
import { campaign } from './campaign.ts';
import { allFaults, assignorsFor, session, worldConfig } from '../run/config.ts';
import { runChoices } from '../run/run.ts';
import { catalogue } from '../variants/catalogue.ts';
import { variantAssignors, variantProtocols } from '../variants/variant.ts';

// Every broken variant is caught, by an invariant it declares, and the failing run replays
// by meaning (unshrunk: shrinking is tested by the CLI and corpus tests, and costs minutes
// here). Together they show every invariant can fail.

const cases = catalogue.flatMap((v) => v.breaks.map((id) => [v.name, id, v] as const));

describe.each(cases)('variant %s', (_name, id, variant) => {
  test(`breaks ${id} (checked alone)`, () => {
    const protocol = variantProtocols(variant)[0];
    const assignor = variantAssignors(variant)?.[0] ?? (assignorsFor(protocol).includes('range') ? 'range' : assignorsFor(protocol)[0]);
    const config = worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, variant });
    const s = { ...session(config, variant), invariants: invariants.filter((i) => i.id === id) };
    const r = campaign(s, { runs: 20000, seed: 42, maxSteps: 60, shrink: false });
    expect(r.failure, 'no violation found').toBeDefined();
    expect(r.failure!.violation.invariant).toBe(id);
    expect(runChoices(s, r.failure!.choices).violation?.invariant).toBe(id);
  });
});

test.each(catalogue.filter((v) => v.breaks.length > 0).map((v) => [v.name, v] as const))(
  'with every invariant on, %s is caught by one it declares',
  (_name, variant) => {
    const protocol = variantProtocols(variant)[0];
    const assignor = variantAssignors(variant)?.[0] ?? (assignorsFor(protocol).includes('range') ? 'range' : assignorsFor(protocol)[0]);
    const s = session(worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, variant }), variant);
    const r = campaign(s, { runs: 20000, seed: 42, maxSteps: 60, shrink: false });
    expect(variant.breaks).toContain(r.failure?.violation.invariant);
  },
);

/**
 * "Exactly" for random testing: with the invariants a variant declares switched off, no other
 * invariant fails in EXACT_RUNS seeded runs (seed 42, every fault on). Broken variants run on
 * their first protocol; alternative designs (which declare nothing) on every protocol.
 */
const EXACT_RUNS = 200;
const exactCases = catalogue.flatMap((v) =>
  (v.breaks.length > 0 ? [variantProtocols(v)[0]] : variantProtocols(v)).map((p) => [v.name, p, v] as const),
);

test.each(exactCases)(`%s (%s) breaks no invariant beyond those it declares in ${EXACT_RUNS} seeded runs`, (_name, protocol, variant) => {
  const assignor = variantAssignors(variant)?.[0] ?? (assignorsFor(protocol).includes('range') ? 'range' : assignorsFor(protocol)[0]);
  const s0 = session(worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, variant }), variant);
  const s = { ...s0, invariants: s0.invariants.filter((i) => !variant.breaks.includes(i.id)) };
  const r = campaign(s, { runs: EXACT_RUNS, seed: 42, maxSteps: 60 });
  expect(r.failure && `${r.failure.violation.invariant}: ${r.failure.violation.message}`).toBeUndefined();
});

test('every invariant is broken by some variant in the catalogue', () => {
  const broken = new Set(catalogue.flatMap((v) => v.breaks));
  expect(invariants.map((i) => i.id).filter((id) => !broken.has(id))).toEqual([]);
});
