import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';

// Found by the default check's KIP-848 static campaign over two topics (consumer/uniform, run 85):
// a member is assigned a partition of a topic its metadata does not name yet (it installs only
// the rest), then drops that topic from its subscription. The new target equals what it holds;
// Kafka's maybeReconcile still acknowledges it (the local assignment epoch is bumped, so the
// heartbeat reports the owned partitions at once), and the coordinator, which takes an omitted
// owned list as "still owns" (CurrentAssignmentBuilder.ownsRevokedPartitions), stops waiting.
// Without that acknowledgement the model's member left the coordinator waiting (heartbeat-cadence).

test('a target that drops an unresolved part is acknowledged at once, and the group settles', () => {
  const cx = readCounterexample(join(import.meta.dirname, 'fixtures', 'kip848-unresolved-dropped-ack.json'));
  const { result } = replayStored(session(cx.config), cx.choices, 'corpus');
  expect(result.violation).toBeUndefined();
});
