// KAFKA-9823 (fixed by pull request 8445, Kafka 2.6, April 2020): the classic consumer acted on an
// OffsetCommit error (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION) whatever generation the commit was
// sent with: it reset its generation (and, for UNKNOWN_MEMBER_ID, its member id) and rejoined,
// even when the generation had already changed since (the heartbeat thread reset it, or the
// member joined a newer generation). A stale answer thus threw away a membership that was fine;
// a cooperative member that loses its generation treats all it owns as lost. The fix remembers
// the generation each request was sent with and acts on such an error only if it is unchanged
// (generationUnchanged); otherwise the commit fails with RebalanceInProgressException and nothing
// is reset. The same pull request did so for heartbeats (the catalogue's `stale-heartbeat-resets`)
// and JoinGroup / SyncGroup.
// Planted: a commit error is acted on whenever it answers the commit in flight, without comparing
// the generation and member id it was sent with, as before the fix.
import { defineVariant } from '../../src/index.ts';

type Args = {
  context: { inflight: { commit?: { corr: number } } };
  event: { type: string; msg?: { corr: number; error: string } };
};

export default defineVariant({
  name: 'kafka-9823-stale-commit-error-resets',
  description: 'KAFKA-9823: an OffsetCommit error resets the generation even when it changed since the commit was sent.',
  protocols: ['cooperative', 'eager'],
  consumer: {
    guards: {
      // The built-in guard also requires the generation and member id the commit was sent with.
      commitErrorCurrent: ({ context, event }: Args, code: string) =>
        event.type === 'RESPONSE' && event.msg!.error === code && context.inflight.commit?.corr === event.msg!.corr,
    } as never,
  },
});
