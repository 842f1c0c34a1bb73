import { expect, test } from 'vitest';
import { planCampaigns } from '../src/api/check.ts';
import { FIND_SEED, FIND_STEPS } from '../src/bench/found-runs.ts';
import { historicalBugs, historicalVariant } from '../src/bench/historical.ts';
import { campaign } from '../src/random/campaign.ts';
import { session } from '../src/run/config.ts';
import { catalogue } from '../src/variants/catalogue.ts';
import type { Variant } from '../src/variants/variant.ts';

// member-id-kept: a classic consumer forgets its member id only on UNKNOWN_MEMBER_ID or when it
// leaves. Runs of the default check (seed 42, 60 steps), replayed alone: with a variant that
// forgets the id where Kafka keeps it the oracle fails at that step; the unmodified models pass
// every invariant on those seeded runs.

/** The first violation in one run of the default dynamic campaign protocol/assignor, with `variant` or the unmodified models. */
function violationAt(variant: Variant | undefined, protocol: string, assignor: string, run: number) {
  const p = planCampaigns({}, variant).find(
    (x) => x.protocol === protocol && x.assignor === assignor && !x.static && !x.upgrade && !x.idle,
  )!;
  const r = campaign(session(p.config, variant), { runs: 1, seed: FIND_SEED, maxSteps: FIND_STEPS, path: String(run), shrinkBudget: 0 });
  return r.failure?.violation;
}

const disconnect = catalogue.find((v) => v.name === 'disconnect-loses-membership')!;

test('a consumer that forgets its member id when it loses the coordinator violates member-id-kept', () => {
  const v = violationAt(disconnect, 'eager', 'cooperative-sticky', 1);
  expect(v?.invariant).toBe('member-id-kept');
  expect(v?.message).toMatch(/forgot its member id/);
});

test('KAFKA-13419 re-planted: forgetting the member id on ILLEGAL_GENERATION violates member-id-kept', async () => {
  const bug = historicalBugs().find((b) => b.bug === 'KAFKA-13419')!;
  const v = violationAt(await historicalVariant(bug), 'cooperative', 'cooperative-sticky', 380);
  expect(v?.invariant).toBe('member-id-kept');
  expect(v?.message).toMatch(/ILLEGAL_GENERATION/);
});

test('the unmodified models hold member-id-kept over the runs that catch the plants', () => {
  expect(violationAt(undefined, 'eager', 'cooperative-sticky', 1)).toBeUndefined();
  // The first 400 runs of the campaign where the KAFKA-13419 plant fails at run 380.
  const p = planCampaigns({}, undefined).find((x) => x.protocol === 'cooperative' && !x.static && !x.upgrade && !x.idle)!;
  const r = campaign(session(p.config, undefined), { runs: 400, seed: FIND_SEED, maxSteps: FIND_STEPS, shrink: false });
  expect(r.failure?.violation).toBeUndefined();
});
