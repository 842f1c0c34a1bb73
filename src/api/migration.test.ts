import { expect, test } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { planCampaigns } from './check.ts';

// `check --migration`: the campaigns it plans and the options it refuses (one line, exit 2 in the CLI).

test('check --migration plans one campaign per classic side, every fault on, the policy bidirectional by default', () => {
  const plans = planCampaigns({ migration: 'upgrade' }, undefined);
  expect(plans.map((p) => [p.protocol, p.assignor, p.migration, p.config.migrationPolicy])).toEqual([
    ['eager', 'range', 'upgrade', 'bidirectional'],
    ['cooperative', 'cooperative-sticky', 'upgrade', 'bidirectional'],
  ]);
  expect(plans.every((p) => p.config.faults.crash && p.config.faults.failover > 0)).toBe(true);
  const one = planCampaigns({ migration: 'downgrade', protocol: 'eager', migrationPolicy: 'downgrade' }, undefined);
  expect(one.map((p) => [p.protocol, p.config.migration, p.config.migrationPolicy])).toEqual([['eager', 'downgrade', 'downgrade']]);
});

test.each([
  [{ migration: 'sideways' }, /unknown --migration/],
  [{ migration: 'upgrade', migrationPolicy: 'sometimes' }, /unknown --migration-policy/],
  [{ migrationPolicy: 'upgrade' }, /needs --migration/],
  [{ migration: 'upgrade', protocol: 'consumer' }, /classic side/],
  [{ migration: 'upgrade', static: true }, /static/],
  [{ migration: 'upgrade', upgrade: true }, /pick one/],
])('%o is refused', (options, message) => {
  expect(() => planCampaigns(options as never, undefined)).toThrow(UsageError);
  expect(() => planCampaigns(options as never, undefined)).toThrow(message);
});
