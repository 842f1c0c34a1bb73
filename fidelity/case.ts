import { isDeepStrictEqual, inspect } from 'node:util';

/**
 * One case ported from a Kafka unit test: the inputs and expected outputs are Kafka's (facts),
 * the code is ours. `exact` cases compare outputs; `properties` cases assert what Kafka's test
 * asserts where its exact output depends on an order Kafka leaves unspecified (a HashMap's).
 */
export interface FidelityCase {
  /** Short description of the case. */
  name: string;
  /** The Kafka test it comes from: `Class.method` (the module in `area`). */
  kafka: string;
  area: 'client assignors' | 'server assignors' | 'KIP-848 reconciliation' | 'KIP-848 coordinator' | 'classic protocol';
  check: 'exact' | 'properties';
  /** Throws an Error naming the divergence. */
  run(): void;
}

/** A Kafka test not ported, and why (shown in the table so the gap is visible). */
export interface NotPorted {
  kafka: string;
  area: FidelityCase['area'];
  reason: string;
}

export class Divergence extends Error {}

export function same(actual: unknown, expected: unknown, what = 'result'): void {
  if (!isDeepStrictEqual(actual, expected))
    throw new Divergence(
      `${what}: expected ${inspect(expected, { depth: 6, breakLength: 200 })}, got ${inspect(actual, { depth: 6, breakLength: 200 })}`,
    );
}

export function holds(condition: boolean, what: string): void {
  if (!condition) throw new Divergence(what);
}

/** Member -> sorted partitions, members with none left out (Kafka omits or empties them alike). */
export function normal(assignment: Record<string, readonly string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of Object.keys(assignment).sort()) if (assignment[m].length > 0) out[m] = [...assignment[m]].sort();
  return out;
}

/** Kafka's `mkAssignment(mkTopicAssignment(t, ps...), ...)` as model partitions, in the given topic order. */
export function parts(byTopic: Record<string, number[]>): string[] {
  return Object.entries(byTopic).flatMap(([t, ps]) => ps.map((p) => `${t}-${p}`));
}
