import { readdirSync } from 'node:fs';
import { boundsOfPath, configFor } from '../explore/bounds.ts';
import { session } from '../run/config.ts';
import { explore } from '../explore/bfs.ts';
import { exploreSpec, resolveSpec, type ExploreSpec } from '../explore/spec.ts';
import { findVariant } from '../variants/catalogue.ts';
import { readCounterexample } from '../replay/counterexample.ts';
import { replayStored } from '../replay/replay.ts';

// npm run explore:variants: for every broken variant in the corpus (what random checking
// found, shrunk), the length of that path against the explorer's shortest one on the
// variant's own small instance (its `explore` settings, what `explore --variant` runs). The
// last column explores instead within the tightest bounds that contain the random path
// (boundsOfPath: its instance, fault budgets, length as the depth and most messages in
// flight); those spaces can be far bigger, so they stop at MAX_STATES and say so.

const MAX_STATES = Number(process.env.MAX_STATES ?? 300_000);
const only = process.argv.slice(2);
const files = readdirSync('counterexamples')
  .filter((f) => f.endsWith('.json'))
  .sort();

const instance = (s: ExploreSpec): string => {
  const b = s.bounds;
  const budgets = Object.entries(b.budgets)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`);
  return [
    `${s.protocol}/${s.assignor}${s.static ? ' static' : ''} ${s.members}x${s.partitions}${s.topics > 1 ? `x${s.topics}` : ''}`,
    `depth ${b.maxDepth}`,
    `in flight ${b.maxInFlight}`,
    ...budgets,
    ...(s.liveness ? ['liveness'] : []),
  ].join(', ');
};

console.log(
  `${'variant'.padEnd(28)} ${'invariant'.padEnd(30)} ${'random'.padStart(6)} ${'explore'.padStart(7)} ${'states'.padStart(7)} ${'s'.padStart(5)}  ${"instance (the variant's explore settings)".padEnd(92)} ${'within random bounds'.padStart(21)}`,
);
let bad = 0;
for (const f of files) {
  const cx = readCounterexample(`counterexamples/${f}`);
  if (!cx.variant || (only.length > 0 && !only.includes(cx.variant))) continue;
  const variant = findVariant(cx.variant)!;
  const s0 = session(cx.config, variant);
  const random = replayStored(s0, cx.choices, f).result;
  const path = random.trace.slice(0, random.violation!.step + 1);
  const { spec } = resolveSpec(variant, {});
  const r = exploreSpec(spec);
  const found = r.violation ? String(r.violation.path.length) : 'none';
  if (!r.violation || r.violation.path.length > path.length || !variant.breaks.includes(r.violation.invariant)) bad++;
  const bounds = boundsOfPath(cx.config, s0.model, path);
  const old = explore(session(configFor(cx.config, bounds.budgets), variant), bounds, {
    symmetry: true,
    liveness: cx.violation.invariant === 'eventually-stable',
    maxStates: MAX_STATES,
  });
  const other = old.violation && old.violation.invariant !== r.violation?.invariant ? `, ${old.violation.invariant}` : '';
  const oldFound = old.violation
    ? `${old.violation.path.length} (${old.states.toLocaleString('en-US')} states${other})`
    : old.stopped
      ? `>${MAX_STATES / 1000}k states`
      : 'none';
  console.log(
    `${cx.variant.padEnd(28)} ${(r.violation?.invariant ?? '-').padEnd(30)} ${String(path.length).padStart(6)} ${found.padStart(7)} ${r.states.toLocaleString('en-US').padStart(7)} ${r.seconds.toFixed(1).padStart(5)}  ${instance(spec).padEnd(92)} ${oldFound.padStart(21)}`,
  );
}
process.exitCode = bad > 0 ? 1 : 0;
