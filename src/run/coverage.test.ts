import { expect, test } from 'vitest';
import { buildModel } from '../world/model.ts';
import { Coverage } from './coverage.ts';

// The inventory is the campaign's own model: a KIP-848 campaign once listed the classic machines
// and error codes as "never reached" (coverage of the wrong protocol, silently).

const inventoryOf = (family: 'classic' | 'consumer', mixed = false) => new Coverage(buildModel({}, 'compiled', family, mixed)).report();
const all = (s: { missing: string[] }) => s.missing; // nothing reached yet: missing is the inventory

test('a KIP-848 model: its own machines and error codes, none of the classic ones', () => {
  const r = inventoryOf('consumer');
  expect(all(r.states)).toEqual(expect.arrayContaining(['coordinator:active', 'consumer:reconciling', 'consumer:acknowledging']));
  expect(all(r.states)).not.toContain('coordinator:CompletingRebalance');
  expect(all(r.errors)).toEqual(expect.arrayContaining(['FENCED_MEMBER_EPOCH', 'STALE_MEMBER_EPOCH', 'UNKNOWN_SERVER_ERROR']));
  expect(all(r.errors)).not.toContain('REBALANCE_IN_PROGRESS');
});

test('a classic model: the classic machines and error codes', () => {
  const r = inventoryOf('classic');
  expect(all(r.states)).toContain('coordinator:CompletingRebalance');
  expect(all(r.errors)).toContain('REBALANCE_IN_PROGRESS');
  expect(all(r.errors)).not.toContain('FENCED_MEMBER_EPOCH');
});

test('a migration model: both families, named apart', () => {
  const r = inventoryOf('classic', true);
  expect(all(r.states)).toEqual(expect.arrayContaining(['classic-coordinator:CompletingRebalance', 'consumer-consumer:reconciling']));
  expect(all(r.errors)).toEqual(expect.arrayContaining(['REBALANCE_IN_PROGRESS', 'FENCED_MEMBER_EPOCH']));
});
