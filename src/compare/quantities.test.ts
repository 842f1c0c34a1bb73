import { expect, test } from 'vitest';
import { findVariant } from '../variants/catalogue.ts';
import { quantitiesCampaign, quantityProperties } from './quantities.ts';

// Every quantity property holds for the shipped designs, and each can fail: a design that
// breaks it is caught, with the failing workload shrunk.

test('every quantity property holds over random workloads of the shipped designs', async () => {
  const results = await quantitiesCampaign({ runs: 12, seed: 7 });
  expect(results.map((r) => r.id)).toEqual(quantityProperties.map((q) => q.id));
  for (const r of results) expect(r.failure, `${r.id}: ${r.failure?.message}`).toBeUndefined();
});

test.each([
  ['cooperative-moves-no-more', 'forgetful-cooperative-sticky'],
  ['static-restart-costs-nothing', 'static-restart-rebalances'],
])('%s fails with variant %s, shrunk', async (id, variantName) => {
  const [r] = await quantitiesCampaign({ runs: 60, seed: 7, only: [id], variant: findVariant(variantName) });
  expect(r.failure, `${variantName} did not break ${id}`).toBeDefined();
  expect(r.failure!.message.length).toBeGreaterThan(0);
  // Shrunk towards the smallest group and fewest partitions that still fail.
  expect(r.failure!.workload.members).toBeLessThanOrEqual(3);
});
