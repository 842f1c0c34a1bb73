import { builtinAssignors } from '../../models/assignors/index.ts';
import { session, worldConfig } from '../run/config.ts';
import type { Variant } from '../variants/variant.ts';
import type { ChoiceKind, FaultSettings, Protocol, WorldConfig } from '../world/types.ts';
import { choiceWeights } from '../run/pick.ts';
import type { Session } from '../run/run.ts';
import { noFaults } from '../world/faults.ts';
import type { TimerSettings } from '../../models/types.ts';

// Where a mutant is checked: two random-campaign instances per mutant, one dynamic and one
// static (KIP-345 paths exist only there), so that every named decision has a place to run.

export interface Place {
  protocol: Protocol;
  assignor: string;
  members: number;
  topics: number;
  partitions: number;
  static: boolean;
  /** Timers changed from the defaults for this place. */
  timers?: Partial<TimerSettings>;
  /** Faults, when not every fault (the default). */
  faults?: FaultSettings;
  /** An online migration (a mixed group): `protocol` and `assignor` are then the classic side's. */
  migration?: 'upgrade' | 'downgrade';
  /** Consumers subscribe by regular expression (KIP-848: the coordinator resolves it). */
  pattern?: boolean;
  /** enable.auto.commit, when not on (the default). */
  autoCommit?: false;
  /**
   * Choice weights changed from pick.ts's (a fault the place is about made likelier, or what ends
   * it made rarer). The runs are still a function of (place, seed): counterexamples replay by
   * their choices, whatever the weights that picked them.
   */
  weights?: Partial<Record<ChoiceKind, number>>;
}

/**
 * KIP-848 only: a poll timeout (max.poll.interval.ms) below the heartbeat interval, so that a
 * stall outlasts it within a few steps. At the default timers (30 s against 3 s heartbeats) the
 * poll-timeout leave (STALE, the member's sendLeave) needs a stall left alone through ten
 * heartbeat rounds, which 60-step runs never reach.
 */
const shortPoll: Partial<TimerSettings> = { maxPollIntervalMs: 2_000 };

/**
 * Classic coordinator only: a rebalance timeout (max.poll.interval.ms, which the classic consumer
 * sends as its rebalance timeout) of 5 s, below the 10 s session timeout and not much above the
 * 3 s initial delay. At the defaults (30 s) a member that stops answering is removed by its session
 * timer before any join or pending-sync deadline, so the decisions those deadlines make (members
 * that missed the join phase or never synced, a join phase nobody rejoined, the KIP-134 extension
 * running out of rebalance time) are never the ones that act. Kafka allows it: only the heartbeat
 * interval must be below the session timeout.
 */
const shortRebalance: Partial<TimerSettings> = { maxPollIntervalMs: 5_000 };

/**
 * The classic consumer's own: max.poll.interval.ms (also its rebalance timeout) of 1.5 s, with
 * heartbeats every second, so that a stall reaches the KIP-62 poll timeout (the leave and the
 * heartbeat thread's later re-check) within a few steps; at the defaults it needs ten heartbeat
 * rounds. Kept above the heartbeat interval: the model re-checks an expired poll timer one
 * heartbeat interval later while the heartbeat thread is off (recheckPollLater).
 */
const classicShortPoll: Partial<TimerSettings> = { heartbeatIntervalMs: 1_000, maxPollIntervalMs: 1_500 };

/**
 * The classic consumer's quiet group: closes (and restarts), slow rebalance callbacks and slow
 * leader assignors, and no other fault. With every fault on a member rarely reaches STABLE
 * before something else happens to it, so close() from STABLE with partitions (its auto-commit,
 * its onPartitionsRevoked and the LeaveGroup of a member that owned something) was reached a few
 * times in 200 runs; and the slow assignor is off in the default places (as in `check`). Three
 * members over two partitions, so that one owns nothing when it closes.
 */
const quietClose: FaultSettings = { ...noFaults, leave: true, slowCallbacks: true, slowAssignLost: true, slowAssignor: true };

/**
 * KIP-848 member only: a member cut off from its coordinator. Links cut long enough that the
 * heartbeat and then every FindCoordinator time out (request.timeout.ms at 1 s, so a cut link
 * makes the coordinator unknown within a step or two, and keeps it unknown while it lasts), with
 * stalls (max.poll.interval.ms at 2 s: the poll timer fires while the coordinator is unknown, and
 * the heartbeat manager re-checks it later, recheckPollLater), closes and slow onPartitionsRevoked
 * (a fence answered during close(), once the link heals after the session ran out). Fast
 * onPartitionsLost, unlike every other place: a fence then drops the owned partitions at once
 * (`fence`), instead of through the lost callback. In the default places a cut rarely lasts
 * through a heartbeat's 5 s request timeout, so the decisions that read whether the coordinator
 * is known were evaluated a few times at most.
 */
const cutOffTimers: Partial<TimerSettings> = { maxPollIntervalMs: 2_000, requestTimeoutMs: 1_000 };
const cutOff: FaultSettings = { ...noFaults, cut: true, stall: true, leave: true, slowCallbacks: true };
/**
 * At pick.ts's weights (a cut or a stall 1 against 40 for a delivery, a heal or a resume 3) a
 * poll timer fired once in 30 runs of this place; with cuts and stalls twenty times likelier,
 * heals and resumes three times rarer, closes six times likelier and callbacks returning a third
 * as often, about 60 times, and a fence answered during close() a few times.
 */
const cutOffWeights: Partial<Record<ChoiceKind, number>> = { cut: 20, stall: 20, heal: 1, resume: 1, close: 6, callback: 2 };

/**
 * The coordinators' offset cleanup (docs/model.md, section 11): one member over two topics, with
 * crashes (the group empties), subscription changes (a topic's offsets expire in a live group) and
 * two cleanups per run, and no other fault, so that runs reach a settled group before it acts.
 */
const withRetention: FaultSettings = { ...noFaults, crash: true, subscribe: true, offsetExpiries: 2 };

/**
 * A dynamic 3 x 4 group, and a static 2-member group over two topics (subscription changes need
 * two); `machine` adds the places its decisions need (KIP-848: a short poll timeout; the classic
 * coordinator: a short rebalance timeout; the classic consumer: a dynamic 2 x 2 group with a short
 * poll timeout).
 */
export function placesFor(protocols: Protocol[], assignor?: string, machine?: string): Place[] {
  const defaultAssignor = (p: Protocol) => (p === 'consumer' ? 'uniform' : p === 'cooperative' ? 'cooperative-sticky' : 'range');
  const pick = (p: Protocol) => assignor ?? defaultAssignor(p);
  const first = protocols.includes('cooperative') ? 'cooperative' : protocols[0];
  const second = protocols.includes('eager') ? 'eager' : protocols[0];
  // KIP-848's other server-side assignor runs in the static place, so both are exercised.
  const secondAssignor = assignor ?? (second === 'consumer' ? 'range' : defaultAssignor(second));
  const places: Place[] = [
    { protocol: first, assignor: pick(first), members: 3, topics: 1, partitions: 4, static: false },
    { protocol: second, assignor: secondAssignor, members: 2, topics: 2, partitions: 2, static: true },
  ];
  if (machine === 'classic-consumer')
    places.push(
      { protocol: first, assignor: pick(first), members: 2, topics: 1, partitions: 2, static: false, timers: classicShortPoll },
      { protocol: first, assignor: pick(first), members: 3, topics: 1, partitions: 2, static: false, faults: quietClose },
    );
  // A dynamic KIP-848 group of 2 members over one topic of 2 partitions, the timers and faults of each place apart.
  const consumer2x2: Place = { protocol: 'consumer', assignor: pick('consumer'), members: 2, topics: 1, partitions: 2, static: false };
  if (protocols.length === 1 && protocols[0] === 'consumer') places.push({ ...consumer2x2, timers: shortPoll });
  // KIP-848 member mutants get the same quiet group twice (the slow assignor is a classic leader's
  // fault, absent there): with auto-commit on, where close() commits, and off, where it must not
  // and where a reconciliation revokes without committing first (every other place runs with
  // auto-commit on, so those paths would otherwise never run).
  if (machine === 'kip848-member')
    places.push(
      { protocol: 'consumer', assignor: pick('consumer'), members: 3, topics: 1, partitions: 2, static: false, faults: quietClose },
      {
        protocol: 'consumer',
        assignor: pick('consumer'),
        members: 3,
        topics: 1,
        partitions: 2,
        static: false,
        faults: quietClose,
        autoCommit: false,
      },
      // Cut off from the coordinator (cutOff above): the last place, reached by what the others leave alive.
      { ...consumer2x2, timers: cutOffTimers, faults: cutOff, weights: cutOffWeights },
    );
  // The KIP-848 coordinator's decisions for classic members (a mixed group: ConsumerGroup members
  // with classicMemberMetadata) and its conversions run only while a group migrates: a downgrade
  // (consumer -> classic) brings classic JoinGroups to the consumer group from the first bounce;
  // an upgrade (classic -> consumer, eager/range on the classic side) converts a classic group
  // (fromClassicGroup) and then sees its classic members leave it one by one (each bounce closes
  // a classic consumer: a LeaveGroup to the consumer group) and heartbeat at generations the
  // conversion and the joiners moved on. The classic coordinator's side of the same steps (a
  // joining ConsumerGroupHeartbeat to a classic group, the upgrade policy, the conversion and the
  // consumer group handed back to it) runs there too.
  if (machine === 'kip848-coordinator' || machine === 'classic-coordinator')
    places.push(
      {
        protocol: 'cooperative',
        assignor: 'cooperative-sticky',
        members: 2,
        topics: 1,
        partitions: 2,
        static: false,
        migration: 'downgrade',
      },
      { protocol: 'eager', assignor: 'range', members: 2, topics: 1, partitions: 2, static: false, migration: 'upgrade' },
    );
  if (machine === 'kip848-coordinator')
    places.push(
      // The coordinator's regex decisions (scheduling, resolving, the refresh interval) run only
      // for members subscribed by regular expression.
      { protocol: 'consumer', assignor: 'uniform', members: 2, topics: 1, partitions: 2, static: false, pattern: true },
    );
  if (machine === 'classic-coordinator' || machine === 'kip848-coordinator')
    places.push({ protocol: first, assignor: pick(first), members: 1, topics: 2, partitions: 1, static: false, faults: withRetention });
  // Dynamic: members removed for missing a join phase or a SyncGroup; static: a join phase no
  // member rejoins while static members, kept until their sessions end, remain.
  if (machine === 'classic-coordinator' && protocols.includes('eager'))
    places.push(
      { protocol: 'eager', assignor: pick('eager'), members: 3, topics: 1, partitions: 4, static: false, timers: shortRebalance },
      { protocol: 'eager', assignor: pick('eager'), members: 2, topics: 1, partitions: 2, static: true, timers: shortRebalance },
    );
  return places;
}

export function placeConfig(p: Place, variant?: Variant): WorldConfig {
  const config = worldConfig({
    protocol: p.protocol,
    assignor: p.assignor,
    members: p.members,
    partitions: p.partitions,
    topics: p.topics,
    static: p.static,
    ...(p.migration && { migration: p.migration }),
    ...(p.pattern && { pattern: true }),
    variant,
    ...(p.faults ? { faults: p.faults } : {}),
  });
  const withAutoCommit = p.autoCommit === false ? { ...config, autoCommit: false } : config;
  return p.timers ? { ...withAutoCommit, timers: { ...config.timers, ...p.timers } } : withAutoCommit;
}

/** The session a place runs: its world config, the variant, and its choice weights. */
export function placeSession(p: Place, variant?: Variant): Session {
  const s = session(placeConfig(p, variant), variant);
  return p.weights ? { ...s, weights: { ...choiceWeights, ...p.weights } } : s;
}

const faultsLabel = (f: FaultSettings): string =>
  f.offsetExpiries
    ? ' faults: crash, subscribe, offset cleanup'
    : f.cut
      ? ' faults: cut links, stalls, close, slow revoke callbacks (cut off, weighted)'
      : ' faults: close, slow callbacks and assignor';

export const placeLabel = (p: Place): string =>
  `${p.protocol}/${p.assignor} ${p.members}x${p.topics > 1 ? `${p.topics}x` : ''}${p.partitions}${p.static ? ' static' : ''}${p.timers ? ` timers ${JSON.stringify(p.timers)}` : ''}${p.migration ? ` migration ${p.migration}` : ''}${p.pattern ? ' by regex' : ''}${p.faults ? faultsLabel(p.faults) : ''}${p.autoCommit === false ? ' auto-commit off' : ''}`;

/** The assignors a client-side assignor mutant can run with: its own name, under a protocol it supports. */
export const clientProtocols = (name: string): Protocol[] => builtinAssignors[name].supportedProtocols;
