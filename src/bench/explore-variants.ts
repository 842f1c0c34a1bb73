import { readdirSync } from 'node:fs';
import { boundsOfPath, configFor } from '../check/bounds.ts';
import { session } from '../check/config.ts';
import { explore } from '../check/explore.ts';
import { findVariant } from '../explore/catalogue.ts';
import { readCounterexample } from '../trace/counterexample.ts';
import { replayStored } from '../trace/replay.ts';

// npm run explore:variants: for every broken variant in the corpus (what random checking
// found, shrunk), explore with the fault budgets that path used, its length as the depth
// bound and its most messages in flight as that bound, so that path lies inside the explored
// space, and compare the lengths. Variants whose
// space is too big for MAX_STATES are reported as such, not hidden.

const MAX_STATES = Number(process.env.MAX_STATES ?? 300_000);
const only = process.argv.slice(2);
const files = readdirSync('counterexamples').filter((f) => f.endsWith('.json')).sort();
console.log(`${'variant'.padEnd(28)} ${'invariant'.padEnd(30)} ${'random'.padStart(6)} ${'explore'.padStart(7)} ${'states'.padStart(9)} ${'s'.padStart(6)}  bounds`);
let worse = 0;
for (const f of files) {
  const cx = readCounterexample(`counterexamples/${f}`);
  if (!cx.variant || (only.length > 0 && !only.includes(cx.variant))) continue;
  const variant = findVariant(cx.variant)!;
  const s0 = session(cx.config, variant);
  const random = replayStored(s0, cx.choices, f).result;
  const path = random.trace.slice(0, random.violation!.step + 1);
  const bounds = boundsOfPath(cx.config, s0.model, path);
  const r = explore(session(configFor(cx.config, bounds.budgets), variant), bounds, { symmetry: true, liveness: cx.violation.invariant === 'eventually-stable', maxStates: MAX_STATES });
  const found = r.violation ? String(r.violation.path.length) : r.stopped ? `>${MAX_STATES / 1000}k states` : 'none';
  if (r.violation && r.violation.path.length > path.length) worse++;
  const used = [`in flight ${bounds.maxInFlight}`, ...Object.entries(bounds.budgets).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`)].join(', ');
  console.log(`${cx.variant.padEnd(28)} ${(r.violation?.invariant ?? cx.violation.invariant).padEnd(30)} ${String(path.length).padStart(6)} ${found.padStart(7)} ${r.states.toLocaleString('en-US').padStart(9)} ${r.seconds.toFixed(1).padStart(6)}  ${used}`);
}
process.exitCode = worse > 0 ? 1 : 0;
