import type { GroupContext, GroupInput } from '../../../models/consumer-protocol/coordinator-state.ts';
import { errorReply, type ConsumerRequest } from '../../../models/consumer-protocol/messages.ts';
import type { MemberInput } from '../../../models/consumer-protocol/member-state.ts';
import type { MemberContext } from '../../../models/consumer-protocol/member-state.ts';
import type { ClientSlot, Msg, World } from '../types.ts';
import { commonClientInput, type ProtocolAdapter } from './adapter.ts';

/**
 * The KIP-848 consumer protocol: ConsumerGroupHeartbeat and epochs. Every group change is
 * persisted as records before it is answered, so a failover reloads the whole group (epochs,
 * assignments, targets); epochs are identities and no formation bookkeeping is needed.
 */
export const consumerAdapter: ProtocolAdapter = {
  coordinatorInput(config, now, previous): GroupInput {
    const base = {
      sessionTimeoutMs: config.timers.sessionTimeoutMs,
      heartbeatIntervalMs: config.timers.heartbeatIntervalMs,
      migrationPolicy: config.migrationPolicy,
    };
    return previous ? { ...base, load: { context: previous.context as GroupContext, now } } : base;
  },
  clientInput(config, slot, inc, w): MemberInput {
    // group.remote.assignor names the server assignor. A migrating consumer's `assignor` is its
    // classic partition.assignment.strategy, which the consumer protocol ignores: the broker's default.
    const assignor = config.migration ? null : config.assignor;
    return { ...commonClientInput(config, slot, inc, w), assignor };
  },
  // The coordinator reads the brokers' current metadata image when it handles a request.
  requestEvent: (w, body) => ({ type: (body as ConsumerRequest).kind, now: w.now, msg: body, topics: w.topics }),
  notCoordinator: (body) => errorReply(body as ConsumerRequest, 'NOT_COORDINATOR'),
  fencedCommitError: (error) => error === 'STALE_MEMBER_EPOCH' || error === 'UNKNOWN_MEMBER_ID',
  afterCoordinator(before, after) {
    const t0 = (before.coordinator.context as GroupContext).targetEpoch;
    const t1 = (after.coordinator.context as GroupContext).targetEpoch;
    return t1 > t0 ? { ...after, metrics: { ...after.metrics, rebalances: after.metrics.rebalances + 1 } } : after;
  },
  clientFormation: () => null,
  afterResponse: (after) => after,
  observeClient: observeMember,
  formationAfterFailover: (w) => w.formation,
  // A broker handles one request per connection at a time, in order (the channel is muted until
  // the response is sent). Without this a heartbeat superseded after a timeout could be handled
  // after its successor, and KIP-848's previous-epoch tolerance would accept it.
  orderedRequests: true,
};

const memberOf = (s: ClientSlot): MemberContext | null =>
  s.status === 'running' && s.snapshot !== null ? (s.snapshot.context as MemberContext) : null;

/**
 * The observer's record of partitions a heartbeat reported as not owned while a reconciliation
 * was adding them (ConsumerHeartbeatRequestManager sends `currentAssignment`, which excludes what
 * is being assigned until onPartitionsAssigned returns). A partition stays recorded while the
 * process is still installing it or owns it.
 */
function observeMember(_w: World, _before: ClientSlot, after: ClientSlot, sends: Msg['body'][]): Partial<ClientSlot> {
  const m = memberOf(after);
  if (m === null) return {};
  const goal = m.reconciling?.assignment ?? [];
  let unreported = after.unreported.filter((p) => m.owned.includes(p) || goal.includes(p));
  for (const body of sends) {
    const owned = body.kind === 'ConsumerGroupHeartbeat' ? (body as { owned: string[] | null }).owned : null;
    if (owned === null) continue;
    const omitted = goal.filter((p) => !owned.includes(p) && !m.owned.includes(p) && !unreported.includes(p));
    if (omitted.length > 0) unreported = [...unreported, ...omitted].sort();
  }
  const same = unreported.length === after.unreported.length && unreported.every((p, i) => p === after.unreported[i]);
  return same ? {} : { unreported };
}
