import { clientRack } from '../../../models/assignors/racks.ts';
import { SUBSCRIPTION_PATTERN } from '../../../models/types.ts';
import type { AnyMachineSnapshot } from 'xstate';
import type { Model } from '../model.ts';
import type { ClientSlot, Msg, World, WorldConfig } from '../types.ts';

/**
 * What the world loop needs to know about a protocol's machines and messages. The loop itself
 * (src/world/world.ts: enabled, step, the network, faults, clock) is the same for every protocol.
 */
export interface ProtocolAdapter {
  /** The coordinator machine's input: fresh, or loading what the previous coordinator left (failover). */
  coordinatorInput(config: WorldConfig, now: number, previous?: AnyMachineSnapshot): unknown;
  /** The client machine's input for a (re)start of the slot. */
  clientInput(config: WorldConfig, slot: ClientSlot, inc: number, w: World): unknown;
  /** The coordinator machine's event for a request addressed to the current coordinator. */
  requestEvent(w: World, body: Msg['body']): { type: string; now: number; [k: string]: unknown };
  /** NOT_COORDINATOR from a broker that is no longer the coordinator. */
  notCoordinator(body: Msg['body']): Msg['body'];
  /** An OffsetCommit error that is the coordinator fencing a stale member (counted in the metrics). */
  fencedCommitError(error: string): boolean;
  /** Observer's bookkeeping after the coordinator handled an event (formations, rebalance count). */
  afterCoordinator(before: World, after: World): World;
  /** The formation a process belongs to after its machine moved (classic generations only). */
  clientFormation(slot: ClientSlot, snapshot: AnyMachineSnapshot): number | null;
  /** Observer's record of a process's step (what it sent, what it installed), as a slot patch. */
  observeClient(w: World, before: ClientSlot, after: ClientSlot, sends: Msg['body'][]): Partial<ClientSlot>;
  /** Observer's bookkeeping after a response reached a process. */
  afterResponse(after: World, slotName: string, msg: Msg): World;
  /**
   * A client's requests reach the coordinator in the order sent (they may still be lost): a
   * delivery is enabled only for the oldest request in flight from the process.
   */
  orderedRequests: boolean;
  /** The formation current after a failover. */
  formationAfterFailover(w: World): number;
}

export type { Model };

/** What a client process starts with in both protocols. */
export function commonClientInput(config: WorldConfig, slot: ClientSlot, inc: number, w: World) {
  return {
    client: slot.name,
    inc,
    now: w.now,
    // A restarted static member comes back with the same group.instance.id.
    instanceId: config.static ? `i${slot.name.slice(1)}` : null,
    topics: Object.keys(config.topics),
    ...(config.pattern ? { pattern: SUBSCRIPTION_PATTERN } : {}),
    metadata: { ...w.topics },
    settings: config.timers,
    autoCommit: config.autoCommit,
    ...(config.offsetReset === 'latest' ? { offsetReset: config.offsetReset } : {}),
    coordinator: w.coordinatorEpoch,
    slowCallbacks: config.faults.slowCallbacks,
    slowAssignLost: config.faults.slowAssignLost,
    // KIP-881: client.rack by slot, and the replica racks the metadata shows at start.
    ...(config.racks ? { rack: clientRack(config.racks, slot.name), racks: config.racks, metadataRacks: { ...w.rackMoves } } : {}),
  };
}
