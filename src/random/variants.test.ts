import { expect, test } from 'vitest';
import { invariants } from '../../properties/index.ts';
import { campaign } from './campaign.ts';
import { allFaults, assignorsFor, session, worldConfig } from '../run/config.ts';
import { catalogue } from '../variants/catalogue.ts';
import { variantAssignors, variantProtocols } from '../variants/variant.ts';

// The catalogue's variants break nothing beyond what they declare, and together they break
// every invariant. That each declared break is found by random runs is variants.slow.test.ts
// (npm run test:slow).

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
