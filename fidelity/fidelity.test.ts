import { describe, expect, test } from 'vitest';
import { Divergence } from './case.ts';
import { fidelityCases, runCase } from './index.ts';
import { fidelityTable } from './table.ts';
import { kafkaRules } from '../models/consumer-protocol/coordinator-state.ts';

// Kafka's own unit-test cases, ported (fidelity/*.ts); `npm run fidelity` prints them as a table.

describe.each([...new Set(fidelityCases.map((c) => c.area))])('%s', (area) => {
  test.each(fidelityCases.filter((c) => c.area === area).map((c) => [`${c.kafka}: ${c.name}`, c] as const))('%s', (_, c) => {
    expect(runCase(c).failure).toBeUndefined();
  });
});

test('a case that diverges shows up as FAIL with its reason, and the table counts it', () => {
  const broken = {
    ...fidelityCases[0],
    run: () => {
      throw new Divergence('assignment: expected a, got b');
    },
  };
  const text = fidelityTable([runCase(broken), runCase(fidelityCases[1])], false);
  expect(text).toContain('FAIL');
  expect(text).toContain(`FAIL ${broken.kafka}: assignment: expected a, got b`);
  expect(text).toContain("2 cases from Kafka's unit tests: 1 pass, 1 fail.");
});

test('every case names a Kafka test class and method', () => {
  for (const c of fidelityCases) expect(c.kafka).toMatch(/^[A-Z]\w+Test( \([\w-]+\))?\.test\w+/);
});

// The reconciliation rules the model took from Kafka 4.2 on: each case that pins one fails under
// the earlier rule, so the cases tell the versions apart.
test.each([
  ['ownRevocationFree', 'KAFKA-19449', 'testUnrevokedPartitionsToStableWithReturnedPartitionsPendingRevocation'],
  ['keepEpochWhileRevoking', 'KAFKA-19974', 'testUnrevokedPartitionsToUnrevokedPartitions'],
] as const)('without %s (%s), %s fails', (rule, _issue, method) => {
  const c = fidelityCases.find((x) => x.kafka.endsWith(`.${method}`))!;
  const run = c.run as (rules?: typeof kafkaRules) => void;
  expect(() => run({ ...kafkaRules, [rule]: false })).toThrow(Divergence);
  expect(() => run(kafkaRules)).not.toThrow();
});
