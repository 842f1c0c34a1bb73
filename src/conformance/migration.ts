import { KafkaBroker } from './broker.ts';
import { formatResult, ownership, runConformanceScript, runScenario, type ScenarioResult } from './conformance.ts';
import type { RealClient } from './ipc.ts';
import type { RunOptions } from './real.ts';
import { brokerTimers, type Scenario, type Timing } from './scenario.ts';

// The online migration between the classic and the consumer protocol on a real broker
// (docs/migration.md, docs/conformance.md): the real Java consumer restarted one by one with the
// other group.protocol, against a broker with group.consumer.migration.policy=bidirectional, and
// the model run on the same scenario.
//
//   npm run conformance:migration
//
// Three scenarios on one broker:
// - rolling-upgrade: three classic consumers (cooperative-sticky, or eager range) restarted one
//   by one with group.protocol=consumer: the group is converted at the first restart, mixed for
//   the second, all consumer-protocol after the third;
// - downgrade-reload: a consumer-protocol group whose second member is restarted as a classic
//   consumer; the first then leaves (the online downgrade) and the broker is killed and started
//   again before the classic member hears of the downgrade's rebalance (its link is cut
//   meanwhile). Kafka reloads the group as Stable (GroupMetadataManager.convertToClassicGroup
//   writes the record, the rebalance it prepares is in memory only): the leaver's partitions stay
//   unowned. The model's eventually-stable exempts exactly this (known Kafka behaviour).
// Then, on a broker of its own with policy upgrade, the open finding of
// classicMembersAddedPartitionScenario (below).

/**
 * Long sessions: a classic member must outlive a broker restart (its session restarts when the
 * group is reloaded, but the JVM's start-up on a loaded machine takes tens of seconds before
 * that), and the broker's KIP-848 session is the same (one broker serves both scenarios).
 */
export const migrationTiming: Timing = { sessionTimeoutMs: 20_000, heartbeatIntervalMs: 100, maxPollIntervalMs: 20_000 };

/** No callback for this long after the last action: the group has settled (nothing here waits for a session to expire). */
export const migrationRunOptions: RunOptions = { quietMs: 4_000, maxWaitMs: 60_000 };

export function rollingUpgradeScenario(protocol: 'eager' | 'cooperative'): Scenario {
  return {
    name: `rolling-upgrade-${protocol}`,
    protocol,
    migration: 'upgrade',
    partitions: 6,
    initial: 3,
    timing: migrationTiming,
    steps: ['c1', 'c2', 'c3'].map((member) => ({ settle: true, gapMs: 0, action: { kind: 'bounce', member } })),
  };
}

export function downgradeReloadScenario(): Scenario {
  return {
    name: 'downgrade-reload',
    protocol: 'cooperative',
    migration: 'downgrade',
    partitions: 4,
    initial: 2,
    timing: migrationTiming,
    steps: [
      // c2 comes back as a classic consumer: a mixed group.
      { settle: true, gapMs: 0, action: { kind: 'bounce', member: 'c2' } },
      // c2 must not hear of the downgrade's rebalance before the broker goes down.
      { settle: true, gapMs: 0, action: { kind: 'cut', member: 'c2' } },
      // The last consumer-protocol member leaves: the online downgrade.
      { settle: false, gapMs: 0, action: { kind: 'leave', member: 'c1' } },
      { settle: false, gapMs: 0, action: { kind: 'brokerRestart' } },
      { settle: false, gapMs: 0, action: { kind: 'heal', member: 'c2' } },
    ],
  };
}

/**
 * An open finding of the model (docs/migration.md): under the `upgrade` policy a consumer group
 * whose consumer-protocol members all came back as classic consumers stays a consumer group, and
 * none of its members notices a partition added to the topic (a classic member of a consumer
 * group is never the leader, and the group refreshes its metadata on a ConsumerGroupHeartbeat or
 * a classic JoinGroup only). Needs a broker with policy `upgrade`.
 */
export function classicMembersAddedPartitionScenario(): Scenario {
  return {
    name: 'upgrade-policy-classic-members-added-partition',
    protocol: 'cooperative',
    migration: 'downgrade',
    migrationPolicy: 'upgrade',
    partitions: 2,
    initial: 2,
    timing: migrationTiming,
    steps: [
      { settle: true, gapMs: 0, action: { kind: 'bounce', member: 'c1' } },
      { settle: true, gapMs: 0, action: { kind: 'bounce', member: 'c2' } },
      { settle: true, gapMs: 0, action: { kind: 'addPartitions', partitions: 3 } },
    ],
  };
}

/** The broker both scenarios run on. */
export const migrationBroker = () => KafkaBroker.start({ ...brokerTimers(migrationTiming), migrationPolicy: 'bidirectional' }, 3);

export async function runMigrationScenario(s: Scenario, broker: KafkaBroker, client: RealClient = 'java'): Promise<ScenarioResult> {
  return runScenario(s, { ...migrationRunOptions, client, kafka: broker });
}

async function main(): Promise<number> {
  const broker = await migrationBroker();
  try {
    for (const s of [rollingUpgradeScenario('cooperative'), rollingUpgradeScenario('eager'), downgradeReloadScenario()]) {
      const r = await runMigrationScenario(s, broker);
      console.log(formatResult(r, true));
    }
  } finally {
    await broker.stop();
  }
  // The open finding needs a broker of its own (policy upgrade); quiet for 45 s shows nothing comes.
  const upgradeOnly = await KafkaBroker.start({ ...brokerTimers(migrationTiming), migrationPolicy: 'upgrade' }, 3);
  try {
    const s = classicMembersAddedPartitionScenario();
    const r = await runScenario(s, { quietMs: 45_000, maxWaitMs: 120_000, client: 'java', kafka: upgradeOnly });
    console.log(formatResult(r, true));
    console.log(ownership(r, 't0-2'));
  } finally {
    await upgradeOnly.stop();
  }
  return 0;
}

runConformanceScript(import.meta.url, 'conformance:migration', main);
