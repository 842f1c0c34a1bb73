import { describe, expect, test } from 'vitest';
import { invariants } from '../../properties/index.ts';
import { campaign } from './campaign.ts';
import { allFaults, assignorsFor, session, worldConfig } from '../run/config.ts';
import { runChoices } from '../run/run.ts';
import { catalogue } from '../variants/catalogue.ts';
import { variantAssignors, variantProtocols } from '../variants/variant.ts';

// `npm run test:slow` (not part of the default `npm test`, which it would take past its ten
// minutes on two cores): every broken variant is caught by each invariant it declares, checked
// alone, and with every invariant on by one it declares, in at most 20,000 seeded runs; the
// failing run replays by meaning. The default run keeps the cheap evidence: every variant's
// corpus counterexample still fails on its invariant (src/replay/corpus.test.ts), the explorer
// finds every variant (src/explore/bfs.test.ts), and the "exactly" checks (variants.test.ts).

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
