import type { GroupContext, GroupInput } from '../../../models/consumer-protocol/coordinator-state.ts';
import { errorReply, type ConsumerRequest } from '../../../models/consumer-protocol/messages.ts';
import type { MemberInput } from '../../../models/consumer-protocol/member-state.ts';
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
  formationAfterFailover: (w) => w.formation,
  // A broker handles one request per connection at a time, in order (the channel is muted until
  // the response is sent). Without this a heartbeat superseded after a timeout could be handled
  // after its successor, and KIP-848's previous-epoch tolerance would accept it.
  orderedRequests: true,
};
