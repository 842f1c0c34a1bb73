import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadVariant } from '../variants/load.ts';
import type { Variant } from '../variants/variant.ts';

// Bugs that consumer groups shipped, re-planted through the public variant API
// (examples/historical/bugs.json: a catalogue name or a variant file per bug). `npm run bench:find`
// runs `check --variant` with default options on each, as on the catalogue, and records where each
// is caught; found-runs.test.ts replays the recorded runs. A bug the default check misses is
// printed as MISSED: a gap in what the harness looks at, to be closed, not hidden.

export const historicalDir = join(import.meta.dirname, '../../examples/historical');

const entry = z.object({
  bug: z.string(),
  fixed: z.string(),
  summary: z.string(),
  variant: z.string(),
  /** Why the default check does not catch it (yet): a named gap, with the evidence. */
  missed: z.string().optional(),
});
export type HistoricalBug = z.infer<typeof entry>;

export function historicalBugs(): HistoricalBug[] {
  return z.array(entry).parse(JSON.parse(readFileSync(join(historicalDir, 'bugs.json'), 'utf8')));
}

/** The key of a historical bug in found-runs.json. */
export const historicalKey = (b: HistoricalBug): string => `historical/${b.bug}`;

/** The bug's variant: the catalogue's, or its file loaded as `check --variant FILE` loads it. */
export const historicalVariant = (b: HistoricalBug): Promise<Variant> => loadVariant(b.variant, historicalDir);
