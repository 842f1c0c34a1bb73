import type { AnyMachineSnapshot } from 'xstate';
import { errorFor, reply } from '../../../models/classic/coordinator-state.ts';
import type { ClassicRequest } from '../../../models/classic/messages.ts';
import { errorReply, type ConsumerRequest } from '../../../models/consumer-protocol/messages.ts';
import { runnersOf, type Model } from '../model.ts';
import type { Msg, ProtocolFamily, World, WorldConfig } from '../types.ts';
import type { ProtocolAdapter } from './adapter.ts';

// The online migration between the classic and the consumer protocol (a mixed group). Kafka's
// GroupMetadataManager holds one group of either type and replaces it by one of the other type
// when a request or a departure calls for it (convertToConsumerGroup, convertToClassicGroup).
// The machines decide when (their `conversion` context field and `Converted`/`converted` state);
// here the world hands the group to the other family's coordinator: a fresh one that takes the
// old group over with its named conversion action (fromClassicGroup / fromConsumerGroup).

type Adapters = Record<ProtocolFamily, ProtocolAdapter>;

/** The group in `w` becomes a group of the other type, at `now`. */
export function convertGroup(w: World, now: number, config: WorldConfig, model: Model, adapters: Adapters): World {
  const to: ProtocolFamily = w.family === 'classic' ? 'consumer' : 'classic';
  const runner = runnersOf(model, to).coordinator;
  const [fresh] = runner.initial(adapters[to].coordinatorInput(config, now));
  const old = w.coordinator.context as { conversion: { leaving: string | null } };
  const event =
    to === 'consumer'
      ? { type: 'CONVERT_FROM_CLASSIC', now, group: old, topics: w.topics }
      : { type: 'CONVERT_FROM_CONSUMER', now, group: old, leaving: old.conversion.leaving };
  const [coordinator, sends] = runner.send(fresh, event);
  if (sends.length > 0) throw new Error('a group conversion sent messages');
  const next: World = { ...w, family: to, coordinator: coordinator as AnyMachineSnapshot };
  if (to === 'consumer') return next;
  // The classic group is a new formation of the group (its generation is the old group epoch), written at once.
  const formation = w.formations + 1;
  // An online downgrade proper (convertToClassicGroup) when members remain; an empty consumer
  // group replaced by a classic one is not one.
  const members = Object.keys((coordinator.context as { members: Record<string, unknown> }).members).length;
  return {
    ...next,
    formations: formation,
    formation,
    persistedFormation: formation,
    downgrade: members > 0 ? { formation, coordinatorEpoch: w.coordinatorEpoch } : w.downgrade,
  };
}

const isConsumerRequest = (body: Msg['body']): boolean =>
  body.kind === 'ConsumerGroupHeartbeat' || (body.kind === 'OffsetCommit' && 'memberEpoch' in body);

/** NOT_COORDINATOR in the protocol the request was sent in. */
export function notCoordinatorReply(body: Msg['body']): Msg['body'] {
  if (isConsumerRequest(body)) return errorReply(body as ConsumerRequest, 'NOT_COORDINATOR');
  const b = body as ClassicRequest;
  return reply(b, errorFor(b.kind, 'NOT_COORDINATOR'));
}

/**
 * OffsetCommit carries one field, GenerationIdOrMemberEpoch, whichever protocol the member speaks;
 * the model's two message shapes name it `generation` and `memberEpoch`, so in a mixed group a
 * commit is given both names before either coordinator reads it.
 */
export function normalizeCommit(body: Msg['body']): Msg['body'] {
  if (body.kind !== 'OffsetCommit') return body;
  const epoch = 'memberEpoch' in body ? body.memberEpoch : (body as { generation: number }).generation;
  return { ...body, generation: epoch, memberEpoch: epoch } as Msg['body'];
}
