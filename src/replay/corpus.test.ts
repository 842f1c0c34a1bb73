import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { session } from '../run/config.ts';
import { findVariant } from '../variants/catalogue.ts';
import { readCounterexample } from './counterexample.ts';
import { replayStored } from './replay.ts';

// The regression corpus: every file under counterexamples/ is replayed with every invariant on.
// A file made against a broken variant must still fail on the invariant it recorded (the
// variant and the invariant are still wired up); a file with no variant records a bug that
// was fixed in the models and must stay fixed (the same steps now hold every invariant).

const dir = join(import.meta.dirname, '..', '..', 'counterexamples');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the corpus holds files for both kinds', () => {
  const kinds = new Set(files.map((f) => readCounterexample(join(dir, f)).variant === null));
  expect([...kinds].sort()).toEqual([false, true]);
});

describe.each(files)('%s', (name) => {
  const cx = readCounterexample(join(dir, name));
  test(cx.variant === null ? `stays fixed: ${cx.violation.invariant} holds` : `still fails: ${cx.violation.invariant}`, () => {
    const variant = cx.variant === null ? undefined : findVariant(cx.variant);
    if (cx.variant !== null) expect(variant, `unknown variant ${cx.variant}`).toBeDefined();
    const { result } = replayStored(session(cx.config, variant), cx.choices, name);
    if (cx.variant === null) expect(result.violation).toBeUndefined();
    else {
      expect(result.violation?.invariant).toBe(cx.violation.invariant);
      expect(result.violation?.step).toBe(cx.violation.step);
    }
  });
});
