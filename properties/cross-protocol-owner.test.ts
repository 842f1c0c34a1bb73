import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readCounterexample } from '../src/replay/counterexample.ts';
import { replayStored } from '../src/replay/replay.ts';
import { session } from '../src/run/config.ts';
import type { World } from '../src/world/types.ts';
import { clientFamily, common } from '../src/world/view.ts';
import { crossProtocolOwner } from './invariants/cross-protocol-owner.ts';

// Found by `check --migration upgrade` (run 942 of seed 42): c2, now on the consumer protocol, is
// inside onPartitionsAssigned for all six partitions when its request times out; its full
// heartbeat to the coordinator it finds again reports what it owned before the callback (none,
// as Kafka's client reports currentAssignment), the coordinator takes that as the release and
// the classic member c3 gets t0-3 and t0-4 by SyncGroup; then c2's callback returns and installs
// all six. single-owner excuses that stale install (docs/model.md); across protocols it is the
// same Kafka behaviour, and only it is excused.

const file = join(import.meta.dirname, 'fixtures', 'upgrade-callback-reports-empty.json');

function doubleOwned(w: World): string[] {
  const classic = w.clients.filter((s) => s.snapshot && clientFamily(s) === 'classic').flatMap((s) => common(s).owned);
  return w.clients
    .filter((s) => s.snapshot && clientFamily(s) === 'consumer')
    .flatMap((s) => common(s).owned.filter((p) => classic.includes(p)));
}

test('a consumer-protocol member installing what it reported as not owned is excused, and only that', () => {
  const cx = readCounterexample(file);
  const s = session(cx.config, undefined, false);
  const worlds: World[] = [];
  const run = { ...s, liveness: true, observe: (_b: World, _c: unknown, a: World) => void worlds.push(a) };
  const { result } = replayStored(run, cx.choices, 'corpus');
  expect(result.violation).toBeUndefined();
  const w = worlds.find((x) => doubleOwned(x).length > 0);
  expect(w && doubleOwned(w)).toEqual(['t0-3', 't0-4']);
  expect(crossProtocolOwner.check(w!, null, w!, cx.config)).toBeUndefined();
  // Without the unreported record (a heartbeat that did report the partitions), it is a double owner.
  const reported: World = { ...w!, clients: w!.clients.map((c) => ({ ...c, unreported: [] })) };
  expect(crossProtocolOwner.check(reported, null, reported, cx.config)).toMatch(
    /t0-3 is owned by the classic member c3 and the consumer-protocol member c2/,
  );
});
