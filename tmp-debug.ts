import { campaign } from './src/random/campaign.ts';
import { allFaults, session, worldConfig } from './src/run/config.ts';
import { findVariant } from './src/variants/catalogue.ts';
import { initialWorld, step } from './src/world/world.ts';
import { coord, coordState } from './src/world/view.ts';
const variant = findVariant('rejoin-always-rebalances')!;
const config = worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults, variant });
const s = { ...session(config, variant) };
s.invariants = s.invariants.filter((i) => i.id === 'commit-formation');
const r = campaign(s, { runs: 20000, seed: 42, maxSteps: 60, shrink: true });
let w = initialWorld(config, s.model);
for (const c of r.failure!.trace) {
  const b = w;
  w = step(w, c, config, s.model);
  const m = c.kind === 'deliver' ? b.net.find((x) => x.id === c.id) : undefined;
  const body: any = m?.body;
  if (coordState(b) !== coordState(w) || body?.to === 'coordinator' || body?.kind === 'JoinGroup') {
    const known = body?.memberId ? coord(b).members[body.memberId] : undefined;
    console.log(JSON.stringify(c), coordState(b), '->', coordState(w), body?.kind, body?.memberId, known ? JSON.stringify([known.protocols, known.subscription]) : '', body?.kind === 'JoinGroup' ? JSON.stringify([body.protocols, body.subscription]) : '', 'leader', coord(b).leaderId);
  }
}
console.log(r.failure!.violation);
import { runChoices } from './src/run/run.ts';
const plain = session(config);
console.log('correct model on same choices:', runChoices(plain, r.failure!.choices).violation);
