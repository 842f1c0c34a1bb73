import { KafkaBroker } from './broker.ts';
import { formatResult, ownership, runConformanceScript, runScenario } from './conformance.ts';
import { brokerTimers, defaultTiming, type Scenario } from './scenario.ts';

// The stranded-revocation question (docs/fidelity.md, "A static member restarted while it
// revokes"): a cooperative static group, c1 alone owns t0-0 and t0-1; c2 joins, and generation 2
// tells c1 to give up t0-1 (withheld from c2 until c1 has revoked it, KIP-429). While c1's
// onPartitionsRevoked runs, its process is killed and started again under the same
// group.instance.id within the session timeout. The follow-up rebalance that would hand t0-1 to
// c2 is the revoking member's job, and the new process has nothing to revoke. Does the group end
// with t0-1 owned?
//
//   npm run conformance:stranded
//
// Runs on a real Kafka broker with Apache Kafka's Java consumer (cooperative-sticky), and prints
// the trace with the model's outcome for the same scenario (slow revoke callbacks).

const SESSION = 15_000;

export function strandedScenario(): Scenario {
  return {
    name: 'stranded-revocation',
    protocol: 'cooperative',
    partitions: 2,
    initial: 1,
    static: true,
    // Long enough for the JVM to restart within the session timeout and to act inside the callback.
    revokeDelayMs: 8000,
    timing: { sessionTimeoutMs: SESSION, heartbeatIntervalMs: 1000, maxPollIntervalMs: 30_000 },
    steps: [
      { settle: true, gapMs: 0, action: { kind: 'join' } },
      { settle: false, whileRevoking: 'c1', gapMs: 0, action: { kind: 'restart', member: 'c1' } },
    ],
  };
}

async function main(): Promise<number> {
  const broker = await KafkaBroker.start(brokerTimers(defaultTiming), 2);
  try {
    // Quiet means no callback for three session timeouts: the heartbeats, metadata refreshes (every
    // second) and the leader's metadata check have all had their chance to notice.
    const r = await runScenario(strandedScenario(), { client: 'java', kafka: broker, quietMs: 3 * SESSION });
    console.log(formatResult(r, true));
    console.log(ownership(r, 't0-1'));
  } finally {
    await broker.stop();
  }
  return 0;
}

runConformanceScript(import.meta.url, 'stranded', main);
