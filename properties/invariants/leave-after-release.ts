import type { Invariant } from '../invariant.ts';
import type { Msg } from '../../src/world/types.ts';
import { common, isLive, processOf } from '../../src/world/view.ts';

/** A LeaveGroup (classic) or a leave heartbeat, epoch -1 or -2 (KIP-848). */
const isLeave = (m: Msg): boolean =>
  m.to === 'coordinator' &&
  (m.body.kind === 'LeaveGroup' || (m.body.kind === 'ConsumerGroupHeartbeat' && (m.body as { memberEpoch: number }).memberEpoch < 0));

/**
 * close() releases before it leaves: ConsumerCoordinator/AbstractCoordinator.close run
 * onLeavePrepare (the revoke or lost callback, then an empty assignment) before maybeLeaveGroup,
 * and the KIP-848 leaveGroup sends the leave heartbeat only once its callback completed and the
 * assignment is cleared. A leave while still holding partitions lets the coordinator hand them on
 * while the application still processes or commits them. The heartbeat thread's leave on
 * max.poll.interval.ms (KIP-62) is the one leave that precedes the release (the next poll()
 * runs onPartitionsLost), so a step that fires the poll timer is not judged.
 */
export const leaveAfterRelease: Invariant = {
  id: 'leave-after-release',
  statement: 'A closing consumer leaves the group (LeaveGroup, or a leave heartbeat) only after it released every partition it owned.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(_before, choice, after) {
    if (choice?.kind === 'fire' && choice.timer === 'poll') return undefined;
    for (const m of after.sent) {
      if (!isLeave(m)) continue;
      const s = processOf(after, m.body.client)!;
      if (isLive(s) && s.inc === m.body.client.inc && common(s).owned.length > 0)
        return `${s.name} leaves the group still owning [${common(s).owned.join(',')}]`;
    }
    return undefined;
  },
};
