import { invariants } from '/work/wt/oracles/properties/index.ts';
import { campaign } from '/work/wt/oracles/src/random/campaign.ts';
import { allFaults, session, worldConfig } from '/work/wt/oracles/src/run/config.ts';
const ids = (process.env.IDS ?? 'no-needless-rebalance,no-lost-partitions,no-rewind').split(',');
const runs = Number(process.env.RUNS ?? 2000);
const cases: Array<[any, string, number, boolean]> = [
  ['eager', 'range', 1, false], ['eager', 'sticky', 1, true], ['cooperative', 'cooperative-sticky', 1, false], ['cooperative', 'cooperative-sticky', 2, true],
  ['consumer', 'uniform', 1, false], ['consumer', 'range', 2, true],
];
for (const [protocol, assignor, topics, st] of cases) {
  const cfg = worldConfig({ protocol, assignor, members: 3, partitions: 6, topics, faults: allFaults, static: st });
  const s0 = session(cfg);
  const s = { ...s0, invariants: s0.invariants.filter((i) => ids.includes(i.id)) };
  const t = Date.now();
  const r = campaign(s, { runs, seed: Number(process.env.SEED ?? 1), maxSteps: 60, shrink: false });
  console.log(protocol, assignor, topics, st, r.failure ? `FAIL ${r.failure.violation.invariant}: ${r.failure.violation.message} @${r.failure.violation.step} ${JSON.stringify(r.failure.choices.slice(-3))}` : 'ok', Date.now() - t, 'ms');
}
