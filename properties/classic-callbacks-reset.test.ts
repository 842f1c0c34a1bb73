import { expect, test } from 'vitest';
import { campaign } from '../src/random/campaign.ts';
import { session, worldConfig } from '../src/run/config.ts';
import { historicalBugs, historicalVariant } from '../src/bench/historical.ts';
import { classicCallbacks } from './invariants/classic-callbacks.ts';

// classic-callbacks: a JoinGroup after a member id or generation reset goes out holding nothing
// (onJoinPrepare gives everything up as lost). KAFKA-12983's plant (examples/historical) rejoins
// without onJoinPrepare and keeps what it held: caught with fast callbacks too, where no callback
// state is there to be skipped. The unmodified models hold it in the same campaign.

const fastCallbacks = (variant?: Parameters<typeof worldConfig>[0]['variant']) => {
  const config = worldConfig({ protocol: 'cooperative', assignor: 'cooperative-sticky', members: 3, partitions: 6, variant });
  return { ...config, faults: { ...config.faults, slowCallbacks: false, slowAssignLost: false } };
};
const opts = { runs: 300, seed: 42, maxSteps: 60, shrink: false };

test('KAFKA-12983 planted: a cooperative member rejoins after a reset still holding partitions', async () => {
  const variant = await historicalVariant(historicalBugs().find((b) => b.bug === 'KAFKA-12983')!);
  const r = campaign({ ...session(fastCallbacks(variant), variant), invariants: [classicCallbacks] }, opts);
  expect(r.failure?.violation.message).toMatch(/rejoins after its member id or generation was reset still holding \[/);
});

test('the unmodified models give everything up before such a JoinGroup', () => {
  const r = campaign({ ...session(fastCallbacks()), invariants: [classicCallbacks] }, opts);
  expect(r.failure?.violation).toBeUndefined();
});
