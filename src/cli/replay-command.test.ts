import { expect, test } from 'vitest';
import { planCampaigns } from '../api/check.ts';
import { replayCommand } from './check.ts';

// The command printed when a failure is not saved must rebuild the campaign's own instance: the
// default check's static campaigns run 2 topics of half the partitions, not the options' shape.
test('the replay command of a default static campaign names its own topics and partitions', () => {
  const plan = planCampaigns({ members: 3, partitions: 6 }, undefined).find((p) => p.static);
  expect(plan).toBeDefined();
  const opts = {
    members: 3,
    partitions: 6,
    topics: 1,
    runs: 10,
    seed: 7,
    maxSteps: 60,
    faults: true,
    liveness: true,
    shrinkInstance: true,
  };
  const cmd = replayCommand({ ...opts, out: 'counterexamples', save: false, timeLimit: 0, jobs: 1 }, plan!, {
    runs: 1,
    steps: 1,
    seed: 7,
  } as never);
  expect(cmd).toContain('--topics 2');
  expect(cmd).toContain('--partitions 3');
  expect(cmd).toContain('--static');
  expect(cmd).toContain('--seed 7');
});
