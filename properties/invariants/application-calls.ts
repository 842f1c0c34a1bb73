import type { Invariant } from '../invariant.ts';
import type { ConsumerOffsetCommitRequest } from '../../models/consumer-protocol/messages.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, common, isLive, isProcessOf } from '../../src/world/view.ts';
import type { Choice, World } from '../../src/world/types.ts';

/**
 * What the application asks of a KIP-848 consumer takes effect (AsyncKafkaConsumer):
 * - `process`: poll() returned a record of every partition it owns and fetches, and the
 *   application consumed it: each position moves on by one (SubscriptionState's position is
 *   the offset after the last record returned);
 * - `commit`: commitAsync() of the consumed offsets sends an OffsetCommit carrying exactly the
 *   positions of the owned partitions, once the coordinator is known (CommitRequestManager);
 * - `subscribe`: subscribe() replaces the subscription at once; the next heartbeat carries it.
 * The world offers these choices only when the application may make them (src/world/world.ts).
 */
/**
 * The classic consumer's subscribe() (ClassicKafkaConsumer.subscribeInternal:
 * SubscriptionState.subscribe) replaces the subscription at once; the next poll() sees that it
 * differs from the one the last JoinGroup carried (rejoinNeededOrPending) and rejoins. Its
 * processing and commits are at-least-once's (clauses 1 and 2).
 */
function classicSubscribe(before: World, choice: Extract<Choice, { kind: 'subscribe' }>, after: World): string | undefined {
  const b = before.clients.find((s) => s.name === choice.client);
  const a = after.clients.find((s) => s.name === choice.client);
  if (!b || !a || !isLive(b) || !isLive(a) || a.inc !== b.inc || clientFamily(a) !== 'classic') return undefined;
  const topics = common(a).cfg.topics;
  if (topics.join() !== choice.topics.join())
    return `${a.name} was asked to subscribe to ${choice.topics.join(',')} but subscribes to ${topics.join(',')}`;
  return undefined;
}

export const applicationCalls: Invariant = {
  id: 'application-calls',
  statement:
    "The application's calls take effect: processing moves every owned partition's position on by one, a commit sends the positions of the owned partitions (KIP-848; classic: at-least-once), a subscribe replaces the subscription (both protocols).",
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (choice?.kind === 'subscribe' && after.family === 'classic') return classicSubscribe(before, choice, after);
    if (!choice || !('client' in choice) || after.family !== 'consumer') return undefined;
    if (choice.kind !== 'process' && choice.kind !== 'commit' && choice.kind !== 'subscribe') return undefined;
    const b = before.clients.find((s) => s.name === choice.client);
    const a = after.clients.find((s) => s.name === choice.client);
    if (!b || !a || !isLive(b) || !isLive(a) || a.inc !== b.inc || clientFamily(a) !== 'consumer') return undefined;
    const cb = memberCtxOf(b);
    const ca = memberCtxOf(a);
    if (choice.kind === 'process') {
      for (const p of cb.owned) {
        const from = cb.positions[p] ?? 0;
        if (ca.owned.includes(p) && (ca.positions[p] ?? 0) !== from + 1)
          return `${a.name} processed a record of ${p} but its position went from ${from} to ${ca.positions[p] ?? 0}`;
      }
      return undefined;
    }
    if (choice.kind === 'subscribe') {
      if (ca.cfg.topics.join() !== choice.topics.join())
        return `${a.name} was asked to subscribe to ${choice.topics.join(',')} but subscribes to ${ca.cfg.topics.join(',')}`;
      return undefined;
    }
    if (cb.coordinator === null) return undefined;
    const sent = after.sent.find((m) => m.body.kind === 'OffsetCommit' && isProcessOf(m.body.client, a));
    if (!sent) return `${a.name}'s application committed but no OffsetCommit was sent`;
    const offsets = (sent.body as ConsumerOffsetCommitRequest).offsets;
    for (const p of cb.owned)
      if (offsets[p] !== (cb.positions[p] ?? 0))
        return `${a.name} committed ${p} at ${offsets[p]}, its position is ${cb.positions[p] ?? 0}`;
    return undefined;
  },
};
