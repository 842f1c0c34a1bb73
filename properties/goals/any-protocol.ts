import type { Goal } from '../goal.ts';
import { actsAsMember, common } from '../../src/world/view.ts';
import { liveSlot, needs } from './facts.ts';

// Goals every protocol has: the application side of a consumer (poll loop, callbacks).

export const pollTimeoutMember: Goal = {
  id: 'poll-timeout-leaves',
  statement: 'A member stops calling poll() past max.poll.interval.ms while in the group: it leaves and must rejoin.',
  protocols: ['eager', 'cooperative', 'consumer'],
  needs: needs.stall,
  // Stalls likelier and longer, time passing faster.
  steer: { stall: 4, resume: 0.05, fire: 3 },
  reached(before, choice) {
    if (choice.kind !== 'fire' || choice.timer !== 'poll') return false;
    const s = liveSlot(before, choice.target);
    return s !== undefined && common(s).stalled && actsAsMember(before, s);
  },
};

export const crashInRevocationCallback: Goal = {
  id: 'crash-in-revocation-callback',
  statement: 'A consumer crashes inside onPartitionsRevoked.',
  protocols: ['eager', 'cooperative', 'consumer'],
  needs: needs.crashInCallback,
  // Crashes likelier, callbacks slower to finish, and membership churn so that revocations happen.
  steer: { deliver: 3, crash: 3, start: 4, callback: 0.05, drop: 0.2, cut: 0.2, stall: 0.2 },
  reached(before, choice) {
    if (choice.kind !== 'crash') return false;
    const s = liveSlot(before, choice.client);
    return s !== undefined && s.snapshot!.value === 'revoking';
  },
};
export const anyProtocolGoals: Goal[] = [pollTimeoutMember, crashInRevocationCallback];
