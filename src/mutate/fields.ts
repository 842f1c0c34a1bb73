import { campaign } from '../random/campaign.ts';
import { session } from '../run/config.ts';
import { defineVariant } from '../variants/variant.ts';
import { placeConfig, placesFor } from './configs.ts';
import { implementations, machineIds, machineInfo, type MachineId } from './machines.ts';
import { mapPatches } from './patch.ts';

// Which context fields each action writes, read from the actions themselves: a baseline
// campaign of the unmutated model with every context-writing action wrapped to record the keys
// of its patches. (An `assign` is code: the fields it writes are only known by running it.) An
// action the baseline never runs gets no field mutants; its `skip` mutant shows it unreached.

export type Fields = Record<MachineId, Record<string, string[]>>;

const BASELINE = { runs: 40, seed: 1, maxSteps: 60 };

let cache: Fields | undefined;

export function assignFields(): Fields {
  if (cache) return cache;
  const seen = Object.fromEntries(machineIds.map((m) => [m, {} as Record<string, Set<string>>])) as Record<
    MachineId,
    Record<string, Set<string>>
  >;
  for (const family of [
    ['classic-coordinator', 'classic-consumer'],
    ['kip848-coordinator', 'kip848-member'],
  ] as MachineId[][]) {
    const overrides: Record<string, { actions: Record<string, unknown> }> = {};
    for (const m of family) {
      const actions: Record<string, unknown> = {};
      for (const [name, action] of Object.entries(implementations(m).actions)) {
        const record = (p: Record<string, unknown>) => {
          for (const k of Object.keys(p)) (seen[m][name] ??= new Set()).add(k);
          return p;
        };
        const wrapped = mapPatches(action, record);
        if (wrapped) actions[name] = wrapped;
      }
      overrides[machineInfo(m).slot] = { actions };
    }
    const variant = defineVariant({
      name: 'field-recorder',
      description: 'records patches',
      ...overrides,
      protocols: machineInfo(family[0]).protocols,
    });
    for (const place of placesFor(machineInfo(family[0]).protocols)) campaign(session(placeConfig(place, variant), variant), BASELINE);
  }
  cache = Object.fromEntries(
    machineIds.map((m) => [m, Object.fromEntries(Object.entries(seen[m]).map(([a, s]) => [a, [...s].sort()]))]),
  ) as Fields;
  return cache;
}
