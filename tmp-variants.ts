import { invariants } from './properties/index.ts';
import { campaign } from './src/random/campaign.ts';
import { allFaults, assignorsFor, session, worldConfig } from './src/run/config.ts';
import { findVariant } from './src/variants/catalogue.ts';
import { variantAssignors, variantProtocols } from './src/variants/variant.ts';
for (const name of process.argv.slice(2)) {
  const variant = findVariant(name)!;
  const protocol = variantProtocols(variant)[0];
  const assignor = variantAssignors(variant)?.[0] ?? (assignorsFor(protocol).includes('range') ? 'range' : assignorsFor(protocol)[0]);
  const config = worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: allFaults, variant });
  for (const id of variant.breaks) {
    const s = { ...session(config, variant), invariants: invariants.filter((i) => i.id === id) };
    let t = Date.now();
    const r = campaign(s, { runs: 20000, seed: 42, maxSteps: 60, shrink: false });
    console.log(name, id, 'alone:', r.failure ? `found after ${r.runs} runs: ${r.failure.violation.message}` : 'NOT FOUND', Date.now() - t, 'ms');
  }
  let t = Date.now();
  const s = session(config, variant);
  const r = campaign(s, { runs: 20000, seed: 42, maxSteps: 60, shrink: false });
  console.log(name, 'all on:', r.failure ? `${r.failure.violation.invariant} after ${r.runs}: ${r.failure.violation.message}` : 'NOT FOUND', Date.now() - t, 'ms');
  const s2 = { ...s, invariants: s.invariants.filter((i) => !variant.breaks.includes(i.id)) };
  const r2 = campaign(s2, { runs: 200, seed: 42, maxSteps: 60 });
  console.log(name, 'exact:', r2.failure ? `${r2.failure.violation.invariant}: ${r2.failure.violation.message}` : 'ok');
}
