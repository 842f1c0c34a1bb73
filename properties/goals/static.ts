import type { JoinGroupRequest } from '../../models/classic/messages.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import type { Goal } from '../goal.ts';
import { coord, coordState } from '../../src/world/view.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import { answered, deliveredRequest, needs } from './facts.ts';

// Goals of static membership (KIP-345, and KIP-848's static members).

/** A JoinGroup from a restarted static process (no member id yet) whose group.instance.id the coordinator still maps. */
function staticRejoin(before: Parameters<typeof coord>[0], choice: Parameters<Goal['reached']>[1]): boolean {
  const j = deliveredRequest(before, choice, 'JoinGroup') as JoinGroupRequest | undefined;
  return (
    j !== undefined &&
    j.memberId === '' &&
    j.instanceId !== null &&
    Object.values(coord(before).members).some((m) => m.instanceId === j.instanceId)
  );
}

export const staticRestartPreparing: Goal = {
  id: 'static-restart-while-preparing',
  statement: 'A static member restarts and rejoins while the group is in PreparingRebalance.',
  protocols: ['eager', 'cooperative'],
  needs: needs.static,
  reached: (before, choice) => staticRejoin(before, choice) && coordState(before) === 'PreparingRebalance',
};

export const staticRestartStable: Goal = {
  id: 'static-restart-in-stable',
  statement: 'A static member restarts and rejoins a Stable group that still maps its instance id (replaced in place, KIP-345).',
  protocols: ['eager', 'cooperative'],
  needs: needs.static,
  reached: (before, choice) => staticRejoin(before, choice) && coordState(before) === 'Stable',
};

export const fencedInstance: Goal = {
  id: 'static-instance-fenced',
  statement: 'A static member is replaced by a newer process with its group.instance.id: the old one is answered FENCED_INSTANCE_ID.',
  protocols: ['eager', 'cooperative'],
  needs: needs.static,
  reached: (_before, _choice, after) => answered(after, 'FENCED_INSTANCE_ID'),
};
export const staticRejoinAfterStaticLeave: Goal = {
  id: 'kip848-static-rejoin-after-leave',
  statement: 'A KIP-848 static member left with epoch -2 and a new process rejoins with its group.instance.id.',
  protocols: ['consumer'],
  needs: needs.staticLeave,
  reached(before, choice) {
    const h = deliveredRequest(before, choice, 'ConsumerGroupHeartbeat') as ConsumerGroupHeartbeatRequest | undefined;
    if (h === undefined || h.memberEpoch !== 0 || h.instanceId === null) return false;
    return Object.values(groupOf(before).members).some((m) => m.instanceId === h.instanceId && m.memberEpoch === -2);
  },
};

export const unreleasedInstance: Goal = {
  id: 'kip848-unreleased-instance-id',
  statement: 'A KIP-848 static member restarts before its old process was released: UNRELEASED_INSTANCE_ID.',
  protocols: ['consumer'],
  needs: needs.staticCrash,
  reached: (_before, _choice, after) => answered(after, 'UNRELEASED_INSTANCE_ID'),
};

export const staticGoals: Goal[] = [
  staticRestartPreparing,
  staticRestartStable,
  fencedInstance,
  staticRejoinAfterStaticLeave,
  unreleasedInstance,
];
