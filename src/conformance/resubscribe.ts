import { KafkaBroker } from './broker.ts';
import { formatResult, runConformanceScript, runScenario } from './conformance.ts';
import { brokerTimers, defaultTiming, type Scenario } from './scenario.ts';

// KAFKA-12759 (docs/fidelity.md, "A static member resubscribed in Stable"): a static group over
// two topics, eager range. c1 subscribes to t0 only, so the group's assignment gives all of t1 to
// c2. Then c1's process is killed and started again under the same group.instance.id within the
// session timeout, subscribed to both topics. The broker replaces the member in place and
// rebalances only if the group's selected protocol would change, not on a changed subscription:
// does c1 ever get a share of t1?
//
//   npm run conformance:resubscribe
//
// Runs on a real Kafka broker with Apache Kafka's Java consumer, and prints the trace with the
// model's outcome for the same scenario.

const SESSION = 15_000;

export function resubscribeScenario(): Scenario {
  return {
    name: 'kafka-12759-resubscribe',
    protocol: 'eager',
    partitions: 2,
    topics: 2,
    initial: 2,
    static: true,
    timing: { sessionTimeoutMs: SESSION, heartbeatIntervalMs: 1000, maxPollIntervalMs: 20_000 },
    steps: [
      { settle: true, gapMs: 0, action: { kind: 'subscribe', member: 'c1', topics: ['t0'] } },
      { settle: true, gapMs: 0, action: { kind: 'restart', member: 'c1' } },
    ],
  };
}

async function main(): Promise<number> {
  const broker = await KafkaBroker.start(brokerTimers(defaultTiming), 2);
  try {
    // Quiet means no callback for three session timeouts.
    const r = await runScenario(resubscribeScenario(), { client: 'java', kafka: broker, quietMs: 3 * SESSION });
    console.log(formatResult(r, true));
    const t1 = (final: Record<string, string[]> | undefined) => (final?.c1 ?? []).filter((p) => p.startsWith('t1-')).join(',') || 'none';
    console.log(`  c1's share of t1: real ${t1(r.comparison.real.final)}; model ${t1(r.comparison.model?.final)}`);
  } finally {
    await broker.stop();
  }
  return 0;
}

runConformanceScript(import.meta.url, 'resubscribe', main);
