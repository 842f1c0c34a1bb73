import { describe, expect, test } from 'vitest';
import { zombieFenced } from '../../properties/invariants/zombie-fenced.ts';
import { noFaults, session, worldConfig } from '../run/config.ts';
import type { Choice, Protocol, World } from './types.ts';
import { clientState, common, groupMembers, isLive } from './view.ts';
import { enabled, initialWorld, step } from './world.ts';

// Zombie static processes: `replace` leaves a member's process running (paused or cut off) while a
// replacement starts with the same group.instance.id. Kafka fences the zombie: classic answers its
// requests FENCED_INSTANCE_ID once the replacement holds the instance (the newcomer wins), KIP-848
// refuses the replacement with UNRELEASED_INSTANCE_ID while the zombie's member is active.

function scenario(protocol: Protocol) {
  const config = worldConfig({
    protocol,
    assignor: protocol === 'consumer' ? 'uniform' : 'range',
    members: 1,
    partitions: 1,
    static: true,
    faults: { ...noFaults, zombie: true },
  });
  const s = session(config);
  let w: World = initialWorld(s.config, s.model);
  const apply = (c: Choice) => {
    const before = w;
    w = step(w, c, s.config, s.model);
    expect(zombieFenced.check(before, c, w, s.config)).toBeUndefined();
  };
  /** Delivers the oldest message of that kind to or from the process (slot name, incarnation), or fires the next timer. */
  const deliver = (kind: string, inc: number) => {
    const m = w.net.find((x) => x.body.kind === kind && x.body.client.inc === inc);
    expect(m, `${kind} of incarnation ${inc} in flight`).toBeDefined();
    apply({ kind: 'deliver', id: m!.id });
  };
  const fire = (target: string, timer: string) => {
    const c = enabled(w, s.config).find((x) => x.kind === 'fire' && x.target === target && x.timer === timer);
    expect(c, `timer ${target}.${timer} due`).toBeDefined();
    apply(c!);
  };
  return {
    get w() {
      return w;
    },
    config: s.config,
    apply,
    deliver,
    fire,
  };
}

describe('zombie static processes', () => {
  test('classic: the replacement takes the instance over, the zombie is fenced with FENCED_INSTANCE_ID and dies', () => {
    const r = scenario('eager');
    r.deliver('JoinGroup', 1);
    r.fire('coordinator', 'join');
    r.deliver('JoinGroupResponse', 1);
    r.deliver('SyncGroup', 1);
    r.deliver('SyncGroupResponse', 1);
    expect(common(r.w.clients[0]).owned).toEqual(['t0-0']);
    expect(enabled(r.w, r.config)).toContainEqual({ kind: 'replace', client: 'c1' });
    r.apply({ kind: 'replace', client: 'c1' });
    const [c1, zombie] = r.w.clients;
    expect([c1.name, c1.inc, zombie.name, zombie.inc, zombie.zombieOf]).toEqual(['c1', 2, 'c1#1', 1, 'c1']);
    // The zombie still runs and owns what it had; no second zombie, and no replacement of a zombie.
    expect(common(zombie).owned).toEqual(['t0-0']);
    expect(enabled(r.w, r.config).filter((c) => c.kind === 'replace')).toEqual([]);
    // The replacement's JoinGroup (no member id, a known instance): a static replacement.
    r.deliver('JoinGroup', 2);
    r.deliver('JoinGroupResponse', 2);
    r.deliver('SyncGroup', 2);
    r.deliver('SyncGroupResponse', 2);
    expect(common(r.w.clients[0]).owned).toEqual(['t0-0']);
    expect(groupMembers(r.w).map((m) => m.memberId)).toEqual([common(r.w.clients[0]).memberId]);
    // The zombie heartbeats with its old member id: fenced, fatal.
    r.fire('c1#1', 'heartbeat');
    r.deliver('Heartbeat', 1);
    expect(r.w.net.find((m) => m.body.kind === 'HeartbeatResponse')?.body).toMatchObject({ error: 'FENCED_INSTANCE_ID' });
    r.deliver('HeartbeatResponse', 1);
    const dead = r.w.clients[1];
    expect(isLive(dead)).toBe(false);
    expect(clientState(dead)).toBe('fatal');
    // A dead zombie is never restarted: its slot's replacement is the process that runs.
    expect(enabled(r.w, r.config).filter((c) => (c as { client?: string }).client === 'c1#1')).toEqual([]);
  });

  test('KIP-848: the replacement is refused (UNRELEASED_INSTANCE_ID) while the zombie is an active member', () => {
    const r = scenario('consumer');
    r.deliver('ConsumerGroupHeartbeat', 1);
    r.deliver('ConsumerGroupHeartbeatResponse', 1);
    r.apply({ kind: 'replace', client: 'c1' });
    r.deliver('ConsumerGroupHeartbeat', 2);
    expect(r.w.net.find((m) => m.body.kind === 'ConsumerGroupHeartbeatResponse')?.body).toMatchObject({ error: 'UNRELEASED_INSTANCE_ID' });
    r.deliver('ConsumerGroupHeartbeatResponse', 2);
    const [replacement, zombie] = r.w.clients;
    expect(clientState(replacement)).toBe('fatal');
    expect(isLive(zombie)).toBe(true);
    expect(groupMembers(r.w).map((m) => m.memberId)).toEqual([common(zombie).memberId]);
  });
});
