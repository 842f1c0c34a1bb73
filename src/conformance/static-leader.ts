import { KafkaBroker } from './broker.ts';
import { formatResult, ownership, runConformanceScript, runScenario } from './conformance.ts';
import type { RealClient } from './ipc.ts';
import { brokerTimers, defaultTiming, type Scenario } from './scenario.ts';

// The static-leader question (KIP-814): a static group's leader is restarted (kill -9, started
// again under the same group.instance.id within the session timeout, so the broker hands it its
// old assignment without a rebalance), then a partition is added. Does the group end with the
// new partition owned? Before KIP-814 the restarted leader did not know it was the leader and
// so did not watch the topic's partition count; with it, the broker tells it (skipAssignment)
// and it rejoins when the count changes.
//
//   npm run conformance:static-leader [-- java|librdkafka]
//
// Runs on a real Kafka broker, classic eager (range) and cooperative (cooperative-sticky), and
// prints each trace with the model's outcome for the same scenario.

const SESSION = 15_000;

/**
 * `after` (the KIP-814 fix at work): the restart, then the partition is added. `before` (the gap
 * KIP-814 leaves, docs/fidelity.md): the partition is added and the leader killed at once, before
 * its next metadata refresh, so the old process never saw the partition and the new one starts
 * with metadata that already has it.
 */
export function staticLeaderScenario(protocol: 'eager' | 'cooperative', added: 'after' | 'before' = 'after'): Scenario {
  const restart = { kind: 'restart', member: 'c1' } as const;
  const add = { kind: 'addPartitions', partitions: 3 } as const;
  return {
    name: `static-leader-${protocol}${added === 'before' ? '-added-before' : ''}`,
    protocol,
    partitions: 2,
    initial: 1,
    static: true,
    // A session long enough for a JVM to restart within it on a loaded machine.
    timing: { sessionTimeoutMs: SESSION, heartbeatIntervalMs: 1000, maxPollIntervalMs: 20_000 },
    steps: [
      // c1 alone first: it is the group's leader; c2 then joins.
      { settle: true, gapMs: 0, action: { kind: 'join' } },
      ...(added === 'after'
        ? [
            { settle: true, gapMs: 0, action: restart },
            { settle: true, gapMs: 0, action: add },
          ]
        : [
            { settle: true, gapMs: 0, action: add },
            { settle: false, gapMs: 0, immediately: true, action: restart },
          ]),
    ],
  };
}

async function main(): Promise<number> {
  const client = (process.argv[2] ?? 'java') as RealClient;
  if (client !== 'java' && client !== 'librdkafka') {
    console.error(`static-leader: unknown client "${client}" (expected java or librdkafka)`);
    return 2;
  }
  const broker = await KafkaBroker.start(brokerTimers(defaultTiming), 2);
  try {
    for (const [protocol, added] of [
      ['eager', 'after'],
      ['cooperative', 'after'],
      ['eager', 'before'],
      ['cooperative', 'before'],
    ] as const) {
      const r = await runScenario(staticLeaderScenario(protocol, added), { client, kafka: broker });
      console.log(formatResult(r, true));
      console.log(ownership(r, 't0-2'));
    }
  } finally {
    await broker.stop();
  }
  return 0;
}

runConformanceScript(import.meta.url, 'static-leader', main);
