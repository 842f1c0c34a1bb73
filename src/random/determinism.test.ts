import { expect, test } from 'vitest';
import { campaign } from './campaign.ts';
import { allFaults, session, worldConfig } from '../run/config.ts';
import { findVariant } from '../variants/catalogue.ts';

test('a campaign is a function of (config, seed)', () => {
  const variant = findVariant('eager-no-revoke')!;
  const run = () =>
    campaign(
      session(worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults: allFaults, variant }), variant),
      { runs: 500, seed: 5, maxSteps: 60 },
    );
  const a = run();
  const b = run();
  expect(a.failure).toBeDefined();
  expect(JSON.stringify(b)).toBe(JSON.stringify(a));
});
