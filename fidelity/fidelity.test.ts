import { describe, expect, test } from 'vitest';
import { Divergence } from './case.ts';
import { fidelityCases, runCase } from './index.ts';
import { fidelityTable } from './table.ts';

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
