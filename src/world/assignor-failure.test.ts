import { describe, expect, test } from 'vitest';
import { assignorFailureNoEffect } from '../../properties/invariants/assignor-failure.ts';
import { noFaults, session, worldConfig } from '../run/config.ts';
import type { Choice, World } from './types.ts';
import { clientState, isLive } from './view.ts';
import { enabled, initialWorld, step } from './world.ts';

// KIP-848: the server assignor runs while the coordinator handles a heartbeat. The `assignorFails`
// choice delivers a heartbeat that makes the coordinator compute a new target and makes the
// assignor throw: Kafka answers UNKNOWN_SERVER_ERROR, writes nothing, and the client fails.

describe('KIP-848 server assignor failure in the world', () => {
  const config = worldConfig({
    protocol: 'consumer',
    assignor: 'uniform',
    members: 2,
    partitions: 2,
    faults: { ...noFaults, assignorFailure: true },
  });
  const s = session(config);
  const apply = (w: World, c: Choice) => {
    const after = step(w, c, s.config, s.model);
    expect(assignorFailureNoEffect.check(w, c, after, s.config)).toBeUndefined();
    return after;
  };

  test('offered for a joining heartbeat; the group stays as it was and the member fails fatally', () => {
    let w = initialWorld(s.config, s.model);
    const choice = enabled(w, s.config).find((c) => c.kind === 'assignorFails' && c.client === 'c1');
    expect(choice).toBeDefined();
    const group0 = w.coordinator.context;
    w = apply(w, choice!);
    expect(w.coordinator.context).toEqual(group0);
    const answer = w.net.find((m) => m.body.kind === 'ConsumerGroupHeartbeatResponse' && m.body.client.client === 'c1')!;
    expect((answer.body as { error: string }).error).toBe('UNKNOWN_SERVER_ERROR');
    w = apply(w, { kind: 'deliver', id: answer.id });
    const c1 = w.clients.find((x) => x.name === 'c1')!;
    expect(isLive(c1)).toBe(false);
    expect(clientState(c1)).toBe('fatal');
  });

  test('not offered for a heartbeat that computes no target', () => {
    let w = initialWorld(s.config, s.model);
    // c1 joins and gets its assignment; its acknowledging heartbeat changes nothing in the group.
    for (const kind of ['ConsumerGroupHeartbeat', 'ConsumerGroupHeartbeatResponse']) {
      const m = w.net.find((x) => x.body.kind === kind && x.body.client.client === 'c1')!;
      w = apply(w, { kind: 'deliver', id: m.id });
    }
    const ack = w.net.find((m) => m.to === 'coordinator' && m.body.client.client === 'c1');
    expect(ack?.body).toMatchObject({ kind: 'ConsumerGroupHeartbeat', memberEpoch: 1 });
    expect(
      enabled(w, s.config)
        .filter((c) => c.kind === 'assignorFails')
        .map((c) => (c as { client: string }).client),
    ).toEqual(['c2']);
  });
});
