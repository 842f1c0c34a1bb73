import type { Invariant } from '../invariant.ts';
import { delivered, sameProcesses } from '../step-facts.ts';
import { clientFamily, committedOffsets, common, ctxOf, isProcessOf } from '../../src/world/view.ts';
import type { ClientSlot, Choice, World } from '../../src/world/types.ts';

// At-least-once hygiene for the classic consumer: records are processed twice only where the
// protocol allows it. With offset-handover (a new owner starts at or after the committed offset)
// and no-rewind (a retained position never moves back), what remains is that (1) processing
// moves the position past what it processed, (2) the application's commit carries the
// positions, and (3) an eager revocation after a successful pre-revocation auto-commit hands
// over nothing to reprocess.

const prepare = new Set(['stable', 'committing']);
const revocation = new Set(['revoking', 'joining']);
const isClassic = (s: ClientSlot): boolean => clientFamily(s) === 'classic';
const targets = (choice: Choice | null, s: ClientSlot): boolean =>
  choice !== null && 'client' in choice && choice.client === s.name && (choice.kind === 'process' || choice.kind === 'commit');

/** (1) poll() returns the record at the position and the fetch position moves past it (SubscriptionState.position). */
function processedPastPosition(b: ClientSlot, a: ClientSlot): string | undefined {
  const pb = common(b).positions;
  const pa = common(a).positions;
  for (const p of common(b).owned) {
    if (!common(a).owned.includes(p)) continue;
    if ((pa[p] ?? 0) !== (pb[p] ?? 0) + 1)
      return `${a.name} processed the record at ${p}@${pb[p] ?? 0} but its position is now ${pa[p] ?? 0}, not ${(pb[p] ?? 0) + 1}: the record will be processed again`;
  }
  return undefined;
}

/** (2) commitAsync() commits subscriptions.allConsumed(): every owned position, to the coordinator it knows. */
function commitCarriesPositions(b: ClientSlot, after: World): string | undefined {
  const c = ctxOf(b);
  if (c.coordinator === null) return undefined;
  const sent = after.sent.find((m) => m.to === 'coordinator' && m.body.kind === 'OffsetCommit' && isProcessOf(m.body.client, b));
  if (!sent) return `${b.name} was asked to commit ${c.owned.join(', ')} but sent no OffsetCommit`;
  const offsets = (sent.body as { offsets: Record<string, number> }).offsets;
  for (const p of c.owned)
    if (offsets[p] !== (c.positions[p] ?? 0))
      return `${b.name} committed ${p} at ${offsets[p] ?? 'nothing'}, not its position ${c.positions[p] ?? 0}`;
  return undefined;
}

/**
 * (3) ConsumerCoordinator.onJoinPrepare with enable.auto.commit: the commit of every position
 * is sent before the revocation and waited for; an EAGER member fetches nothing meanwhile (its
 * partitions are pending revocation), so once the commit succeeded the next owner starts where
 * this member stopped. Checked at the step that ends onJoinPrepare (on to onPartitionsRevoked,
 * or straight to the JoinGroup) other than by the commit's own answer: the positions must then
 * be committed already. Exempt: onJoinPrepare's timer (the rebalance timeout) ended the wait.
 * A reset generation is a loss (onPartitionsLost: duplicates allowed), not a revocation.
 * COOPERATIVE members go on fetching after that commit, as Kafka's do, so records processed
 * since may be processed again by the next owner: not checked.
 */
function eagerRevocationCommitted(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot, after: World): string | undefined {
  const cb = ctxOf(b);
  const ca = ctxOf(a);
  if (cb.cfg.protocol !== 'eager' || !cb.cfg.autoCommit) return undefined;
  // The step that ends onJoinPrepare: on to the revocation callback, or (fast callbacks) to the JoinGroup.
  if (!prepare.has(String(b.snapshot!.value)) || !revocation.has(String(a.snapshot!.value))) return undefined;
  if (cb.generation < 0 || cb.memberId === '' || ca.generation !== cb.generation || ca.memberId !== cb.memberId) return undefined;
  if (choice?.kind === 'fire' && choice.target === b.name && choice.timer === 'joinPrepare') return undefined;
  // The commit's answer ends onJoinPrepare: an error lets the join go on without it; NONE means
  // stored (commit-acknowledged). The store may since hold a lower offset only because the
  // world's network reorders requests of one connection, which Kafka's does not (an older
  // commitAsync of this member arriving after the auto-commit), so it is not looked at here.
  const m = delivered(before, choice);
  if (m?.body.kind === 'OffsetCommitResponse') return undefined;
  const committed = committedOffsets(after);
  for (const p of cb.owned) {
    const at = cb.positions[p] ?? 0;
    if ((committed[p]?.offset ?? 0) < at)
      return `${b.name} went on to revoke ${p} at position ${at} with only ${committed[p]?.offset ?? 0} committed: its pre-revocation auto-commit did not succeed first`;
  }
  return undefined;
}

export const atLeastOnce: Invariant = {
  id: 'at-least-once',
  statement:
    'Classic consumers: processing moves the position past the record, a commit carries every owned position, and an eager revocation whose auto-commit succeeded leaves nothing to reprocess.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    for (const [b, a] of sameProcesses(before, after)) {
      if (!isClassic(b) || !isClassic(a)) continue;
      if (targets(choice, b)) {
        const bad = choice!.kind === 'process' ? processedPastPosition(b, a) : commitCarriesPositions(b, after);
        if (bad) return bad;
      }
      const bad = eagerRevocationCommitted(before, choice, b, a, after);
      if (bad) return bad;
    }
    return undefined;
  },
};
