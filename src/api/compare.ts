// `compare(designs, options)`: the same seeded workloads through several designs, measured.
import { UsageError } from '../core/errors.ts';
import { compareDesigns, defaultTiming, parseDesign, type ComparisonResult, type Design, type Timing } from '../compare/compare.ts';
import { compareScenarios, findScenario } from '../compare/scenarios/index.ts';

export interface CompareOptions {
  /** A scenario name (`scale-out`, `crash`, ...) or `all` (default). */
  scenario?: string;
  /** Seeds seed, seed+1, ... (default: 5 runs from seed 1, as the CLI). */
  runs?: number;
  seed?: number;
  timing?: Timing;
  /** Keep the first seed's ownership timeline per design (for reports). */
  timelines?: boolean;
}

/** Designs as the CLI takes them: `eager`, `cooperative/range`, a variant name or file, `cooperative+VARIANT`. */
export async function compare(designs: string[], options: CompareOptions = {}): Promise<ComparisonResult[]> {
  if (designs.length === 0) throw new UsageError('compare needs at least one design');
  const parsed: Design[] = [];
  for (const d of designs) parsed.push(await parseDesign(d));
  const name = options.scenario ?? 'all';
  const scenarios = name === 'all' ? compareScenarios : [findScenario(name)];
  if (scenarios.some((s) => s === undefined))
    throw new UsageError(`unknown scenario '${name}' (known: ${compareScenarios.map((s) => s.name).join(', ')}, all)`);
  return scenarios.map((sc) =>
    compareDesigns(parsed, sc!, {
      runs: options.runs ?? 5,
      seed: options.seed ?? 1,
      timelines: options.timelines,
      timing: options.timing ?? defaultTiming,
    }),
  );
}
