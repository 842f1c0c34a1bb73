import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Counterexample } from './counterexample.ts';

/** Writes the file as `<variant or protocol>-<invariant>-<content hash>.json`; returns its path. */
export function writeCounterexample(dir: string, cx: Counterexample): string {
  const text = `${JSON.stringify(cx, null, 2)}\n`;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  mkdirSync(dir, { recursive: true });
  // A variant file's path becomes its base name.
  const label = cx.variant === null ? cx.protocol : cx.variant.replace(/^.*[\\/]/, '').replace(/\.[mc]?[tj]s$/, '');
  const path = join(dir, `${label}-${cx.violation.invariant}-${hash}.json`);
  writeFileSync(path, text);
  return path;
}
