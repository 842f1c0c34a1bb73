import { expect, test } from 'vitest';
import { installsResolved } from '../../properties/invariants/installs-resolved.ts';
import type { MemberContext } from '../../models/consumer-protocol/member-state.ts';
import { noFaults, session, worldConfig } from '../run/config.ts';
import type { Choice, World } from './types.ts';
import { clientState } from './view.ts';
import { initialWorld, step } from './world.ts';

// KIP-848 assignments name topics by id. A member that subscribes to a topic new to it lacks its
// metadata until a metadata response brings it; the coordinator may assign the topic first. The
// member reconciles the part it can resolve, keeps the rest pending, and installs it when the
// metadata arrives (AbstractMembershipManager.maybeReconcile, findResolvableAssignmentAndTriggerMetadataUpdate).

test('a topic assigned before the member has its metadata is installed once the metadata arrives', () => {
  const config = worldConfig({
    protocol: 'consumer',
    assignor: 'uniform',
    members: 1,
    partitions: 1,
    topics: 2,
    faults: { ...noFaults, subscribe: true },
  });
  const s = session(config);
  let w: World = initialWorld(s.config, s.model);
  const apply = (c: Choice) => {
    const before = w;
    w = step(w, c, s.config, s.model);
    expect(installsResolved.check(before, c, w, s.config)).toBeUndefined();
  };
  const member = () => w.clients[0].snapshot!.context as MemberContext;
  const deliverAll = () => {
    for (let i = 0; i < 10 && w.net.length > 0; i++) apply({ kind: 'deliver', id: w.net[0].id });
  };
  apply({ kind: 'subscribe', client: 'c1', topics: ['t0'] });
  deliverAll();
  expect(member().owned).toEqual(['t0-0']);
  // Back to both topics: t1 is new to the subscription, so the metadata lacks it for now.
  apply({ kind: 'subscribe', client: 'c1', topics: ['t0', 't1'] });
  expect(member().metadata.t1).toBeUndefined();
  apply({ kind: 'fire', target: 'c1', timer: 'heartbeat' });
  deliverAll();
  // The coordinator assigned t1-0; the member holds only t0-0 and keeps t1-0 pending.
  expect(member().owned).toEqual(['t0-0']);
  expect(member().target).toEqual(['t0-0', 't1-0']);
  expect(clientState(w.clients[0])).toBe('stable');
  // The metadata update triggers the next reconciliation (auto-commit first, then install and ack).
  apply({ kind: 'metadata', client: 'c1' });
  expect(clientState(w.clients[0])).toBe('reconciling');
  deliverAll();
  expect(member().owned).toEqual(['t0-0', 't1-0']);
  expect(member().target).toBeNull();
});
