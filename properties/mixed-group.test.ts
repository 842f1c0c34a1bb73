import { expect, test } from 'vitest';
import { mixedGroupAnswers } from './invariants/mixed-group-answers.ts';
import { mixedGroupType } from './invariants/mixed-group-type.ts';
import { campaign } from '../src/random/campaign.ts';
import { allFaults, session, worldConfig } from '../src/run/config.ts';
import { run } from '../src/run/run.ts';
import { delivered } from './step-facts.ts';
import { enabled } from '../src/world/world.ts';
import type { MigrationPolicy } from '../models/consumer-protocol/migration-policy.ts';

// The two oracles of a mixed group's coordinator (docs/oracles.md, "Mixed groups: the consumer
// group's answers to classic members and the group's type"): the unmodified models hold them
// under every group.consumer.migration.policy in both directions, and the runs reach what they
// judge (classic requests answered by a consumer group; conversions and refused conversions).
// That they can fail: the variants classic-join-no-sync-timeout and empty-group-takes-classic-join
// (corpus counterexamples, explore settings).

const policies: MigrationPolicy[] = ['bidirectional', 'upgrade', 'downgrade', 'disabled'];
const only = [mixedGroupAnswers, mixedGroupType];
const classicKinds = ['JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup'];

test.each(policies.flatMap((p) => (['upgrade', 'downgrade'] as const).map((m) => [m, p] as const)))(
  'migration %s with policy %s holds mixed-group-answers and mixed-group-type (120 runs, all faults)',
  (migration, migrationPolicy) => {
    const config = worldConfig({
      protocol: 'cooperative',
      assignor: 'cooperative-sticky',
      members: 3,
      partitions: 4,
      faults: allFaults,
      migration,
      migrationPolicy,
    });
    const s = { ...session(config), invariants: only };
    const r = campaign(s, { runs: 120, seed: 7, maxSteps: 60 });
    expect(r.failure && `${r.failure.violation.invariant}: ${r.failure.violation.message}`).toBeUndefined();
  },
);

test('the runs reach what the oracles judge: classic requests to a consumer group, and both conversions as the policy allows', () => {
  const reached = (migration: 'upgrade' | 'downgrade', migrationPolicy: MigrationPolicy) => {
    const s = session(
      worldConfig({ protocol: 'eager', assignor: 'range', members: 2, partitions: 2, faults: allFaults, migration, migrationPolicy }),
    );
    const seen = { classicToConsumer: 0, upgrades: 0, downgrades: 0 };
    let seed = 3;
    const rng = () => (seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 40; i++) {
      const r = run(
        {
          ...s,
          invariants: only,
          observe: (before, choice, after) => {
            const m = delivered(before, choice);
            if (before.family === 'consumer' && m?.to === 'coordinator' && classicKinds.includes(m.body.kind)) seen.classicToConsumer++;
            if (before.family === 'classic' && after.family === 'consumer') seen.upgrades++;
            if (before.family === 'consumer' && after.family === 'classic') seen.downgrades++;
          },
        },
        (w) => {
          const choices = enabled(w, s.config);
          return (step) => (step < 60 ? choices[Math.floor(rng() * choices.length)] : undefined);
        },
      );
      expect(r.violation).toBeUndefined();
    }
    return seen;
  };
  const down = reached('downgrade', 'bidirectional');
  expect(down.classicToConsumer).toBeGreaterThan(20);
  expect(down.downgrades).toBeGreaterThan(0);
  const up = reached('upgrade', 'bidirectional');
  expect(up.upgrades).toBeGreaterThan(0);
  expect(up.classicToConsumer).toBeGreaterThan(20);
});
