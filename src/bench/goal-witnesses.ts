// Finds, for every reachability goal, one random run that reaches it, and stores the run's
// choices (by meaning, up to the step that reached it) in src/run/fixtures/goal-witnesses.json.
// src/run/goals.test.ts replays them: each goal is shown reachable in milliseconds, through
// the same step function every engine uses. Run again when the model changes:
//   npx tsx src/bench/goal-witnesses.ts
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { goals, goalsFor } from '../../properties/goals/index.ts';
import { runArbitrary } from '../random/campaign.ts';
import { steeredWeights } from '../random/steer.ts';
import { allFaults, session, worldConfig } from '../run/config.ts';
import { runPicks } from '../run/run.ts';
import type { Choice, Protocol, WorldConfig } from '../world/types.ts';

export const witnessConfigs: Array<{ protocol: Protocol; assignor: string; static?: boolean; upgrade?: boolean }> = [
  { protocol: 'eager', assignor: 'range' },
  { protocol: 'cooperative', assignor: 'cooperative-sticky' },
  { protocol: 'consumer', assignor: 'uniform' },
  { protocol: 'eager', assignor: 'range', static: true },
  { protocol: 'consumer', assignor: 'uniform', static: true },
  { protocol: 'eager', assignor: 'range', upgrade: true },
];

const configOf = (c: (typeof witnessConfigs)[number]): WorldConfig => worldConfig({ ...c, members: 3, partitions: 6, faults: allFaults });

interface Witness {
  goal: string;
  config: WorldConfig;
  choices: Choice[];
}

const out: Witness[] = [];
for (const g of goals) {
  const c = witnessConfigs.find((x) => goalsFor(configOf(x)).some((y) => y.id === g.id));
  if (!c) throw new Error(`no witness configuration applies to ${g.id}`);
  const config = configOf(c);
  let found: Witness | undefined;
  for (let seed = 1; !found && seed <= 400; seed++) {
    let at = -1;
    let index = 0;
    const s = {
      ...session(config),
      weights: seed % 2 === 0 ? steeredWeights([g.id]) : undefined,
      observe: (b: Parameters<typeof g.reached>[0], ch: Choice, a: Parameters<typeof g.reached>[0]) => {
        if (at < 0 && g.reached(b, ch, a, config)) at = index;
        index++;
      },
    };
    for (const input of fc.sample(runArbitrary(seed % 3 === 0 ? 60 : 180), { seed, numRuns: 50 })) {
      at = -1;
      index = 0;
      const r = runPicks(s, input);
      if (at >= 0 && !r.violation) {
        found = { goal: g.id, config, choices: r.trace.slice(0, at + 1) };
        break;
      }
    }
  }
  if (!found) throw new Error(`no run reached ${g.id}`);
  console.log(`${g.id}: ${found.choices.length} steps (${c.protocol}${c.static ? ' static' : ''}${c.upgrade ? ' upgrade' : ''})`);
  out.push(found);
}
writeFileSync(new URL('../run/fixtures/goal-witnesses.json', import.meta.url), `${JSON.stringify(out)}\n`);
