import { expect, test } from 'vitest';
import { noFaults, session, worldConfig } from '../run/config.ts';
import type { Choice, Protocol, World } from './types.ts';
import { common, committedOffsets, groupStateName } from './view.ts';
import { initialWorld, quietChoice, step } from './world.ts';

// Offset retention step by step (docs/model.md, section 11): the cleanup keeps what a group still
// needs (KIP-211, KIP-496), deletes what it does not, and a consumer with auto.offset.reset=latest
// then starts at the log end, the skipped records counted. Every safety invariant holds at every step.

function walk(protocol: Protocol, assignor: string, topics = 1) {
  const config = worldConfig({
    protocol,
    assignor,
    members: 1,
    partitions: 1,
    topics,
    faults: { ...noFaults, crash: true, subscribe: topics > 1, offsetExpiries: 2 },
    offsetReset: 'latest',
  });
  const s = session(config);
  const safety = s.invariants.filter((i) => i.kind === 'safety');
  let w: World = initialWorld(s.config, s.model);
  const apply = (c: Choice) => {
    const before = w;
    w = step(w, c, s.config, s.model);
    for (const i of safety) expect(i.check(before, c, w, s.config), `${i.id} after ${JSON.stringify(c)}`).toBeUndefined();
  };
  /** Deliveries first, then the fair schedule's callbacks, metadata and timers, until `done`. */
  const until = (done: (w: World) => boolean) => {
    for (let i = 0; i < 200 && !done(w); i++) {
      const c: Choice | undefined = w.net.length > 0 ? { kind: 'deliver', id: w.net[0].id } : quietChoice(w);
      if (!c) break;
      apply(c);
    }
    expect(done(w)).toBe(true);
  };
  const c1 = () => w.clients[0];
  const owns =
    (...ps: string[]) =>
    (x: World) =>
      x.clients[0].status === 'running' && ps.every((p) => common(x.clients[0]).owned.includes(p)) && x.net.length === 0;
  return { apply, until, owns, c1, world: () => w };
}

test.each([
  ['eager', 'range'],
  ['consumer', 'uniform'],
] as const)('%s: a Stable group keeps its offsets; once Empty they expire and a restart resets to latest', (protocol, assignor) => {
  const { apply, until, owns, c1, world } = walk(protocol, assignor);
  until(owns('t0-0'));
  // A new group has no committed offset: latest starts past the one record produced (Kafka's documented behaviour).
  expect(common(c1()).positions['t0-0']).toBe(1);
  expect(world().metrics.skippedRecords).toBe(1);
  apply({ kind: 'process', client: 'c1' });
  apply({ kind: 'commit', client: 'c1' });
  until((w) => committedOffsets(w)['t0-0']?.offset === 2);
  // The group still consumes t0: the cleanup leaves its offset (KIP-211, KIP-496).
  apply({ kind: 'expireOffsets' });
  expect(committedOffsets(world())['t0-0']?.offset).toBe(2);
  apply({ kind: 'crash', client: 'c1' });
  until((w) => groupStateName(w) === 'Empty');
  apply({ kind: 'expireOffsets' });
  expect(committedOffsets(world())).toEqual({});
  apply({ kind: 'start', client: 'c1' });
  until(owns('t0-0'));
  // Record 2, produced while the group was away, is skipped: the offset had legitimately expired.
  expect(common(c1()).positions['t0-0']).toBe(3);
  expect(world().metrics.skippedRecords).toBe(2);
});

test.each([
  ['eager', 'range'],
  ['consumer', 'uniform'],
] as const)('%s: in a Stable group only the offsets of a topic no member subscribes to any more expire (KIP-496)', (protocol, assignor) => {
  const { apply, until, owns, world } = walk(protocol, assignor, 2);
  until(owns('t0-0', 't1-0'));
  apply({ kind: 'commit', client: 'c1' });
  until((w) => Object.keys(committedOffsets(w)).length === 2);
  apply({ kind: 'subscribe', client: 'c1', topics: ['t0'] });
  if (protocol === 'consumer') apply({ kind: 'fire', target: 'c1', timer: 'heartbeat' });
  until((w) => groupStateName(w) === 'Stable' && w.net.length === 0 && !common(w.clients[0]).owned.includes('t1-0'));
  apply({ kind: 'expireOffsets' });
  expect(Object.keys(committedOffsets(world()))).toEqual(['t0-0']);
});
