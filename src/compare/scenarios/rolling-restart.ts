import type { CompareScenario } from './types.ts';
import { client } from './types.ts';

const restarts = ['c1', 'c2', 'c3'].map((c) => ({
  label: `${c} restarts`,
  steps: [client('close', c), { kind: 'closed' as const, client: c }, client('start', c)],
}));

/** Every consumer closes and starts again, one at a time, each once the group is stable. */
export const rollingRestartDynamic: CompareScenario = {
  name: 'rolling-restart-dynamic',
  description: 'Rolling restart of 3 dynamic members: each closes (LeaveGroup) and starts again with a new member id.',
  members: 3,
  partitions: 6,
  faults: { leave: true },
  changes: restarts,
};

/** The same with group.instance.id: a static member sends no LeaveGroup and rejoins in place (KIP-345). */
export const rollingRestartStatic: CompareScenario = {
  name: 'rolling-restart-static',
  description: 'Rolling restart of 3 static members (group.instance.id): no LeaveGroup, each rejoins within its session timeout.',
  members: 3,
  partitions: 6,
  static: true,
  faults: { leave: true },
  changes: restarts,
};
