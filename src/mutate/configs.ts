import { builtinAssignors } from '../../models/assignors/index.ts';
import { worldConfig } from '../run/config.ts';
import type { Variant } from '../variants/variant.ts';
import type { ChoiceKind, FaultSettings, Protocol, WorldConfig } from '../world/types.ts';
import { noFaults } from '../world/faults.ts';
import type { TimerSettings } from '../../models/types.ts';
import { session } from '../run/config.ts';
import { BUSY, choiceWeights, swarmBitsOf } from '../run/pick.ts';
import type { Session } from '../run/run.ts';

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
  /** KIP-429's rolling upgrade from eager to cooperative (WorldConfig.upgrade): members restart with other protocols. */
  upgrade?: true;
  /** What the place is for, when it is focused on one behaviour (with `weights` and `steps`): names it in the results. */
  name?: string;
  /**
   * Choice weights changed from pick.ts's choiceWeights, per kind, so that the random runs dwell
   * on what the place is for (restarts, commits and offset cleanups) instead of the faults that
   * every other place already covers.
   */
  weights?: Partial<Record<ChoiceKind, number>>;
  /** Random steps per run, when not the budget's `maxSteps`: a behaviour that needs a long prefix. */
  steps?: number;
  /**
   * Kinds of choice every run of the place may use (swarm testing switches each off in half the
   * runs, pick.ts), and no BUSY mode (faults only while a rebalance is in progress): what the
   * place is for needs them together, outside rebalances.
   */
  always?: ChoiceKind[];
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
 * rounds. Kept above the heartbeat interval: at or below it a member that hears of a rebalance
 * only from its next heartbeat can miss every join phase, and the group never settles (Kafka's
 * behaviour too: docs/fidelity.md, "A rebalance timeout below the heartbeat interval").
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
 * classicCleanup: the classic coordinator's offset cleanup (docs/model.md, section 11) where it
 * deletes something, each in a place of its own: an Empty group (expireOffsetsOfEmptyGroup: every
 * offset goes) and a Stable one (expireUnsubscribedOffsets, KIP-496: the offsets of topics no
 * member subscribes to go). The retention place above mixes both with crashes and 60-step runs,
 * and a run there must commit, empty the group (or drop a topic and settle) and only then clean
 * up, which 30 runs rarely did: here commits, the way to the state and the cleanup are frequent
 * (weights) and runs are longer (steps), with no other fault.
 */
const cleanupWeights: Partial<Record<ChoiceKind, number>> = { process: 12, commit: 12, expireOffsets: 20 };
export const classicCleanup = (protocol: Protocol, assignor: string): Place[] => [
  {
    name: 'cleanup of an Empty group',
    protocol,
    assignor,
    members: 1,
    topics: 1,
    partitions: 2,
    static: false,
    faults: { ...noFaults, leave: true, crash: true, offsetExpiries: 6 },
    weights: { ...cleanupWeights, close: 3, crash: 2, start: 3 },
    steps: 200,
    always: ['process', 'commit', 'close', 'crash', 'start', 'expireOffsets'],
  },
  {
    name: 'cleanup of a Stable group',
    protocol,
    assignor,
    members: 1,
    topics: 2,
    partitions: 1,
    static: false,
    faults: { ...noFaults, subscribe: true, offsetExpiries: 6 },
    weights: { ...cleanupWeights, subscribe: 4 },
    steps: 200,
    always: ['process', 'commit', 'subscribe', 'expireOffsets'],
  },
];

/**
 * classicRestarts: consumers of a classic group that close and start again often (weights), in
 * longer runs, and no other fault: static members come back within their session timeout and
 * replace their old member id (replaceStaticMember and what it keeps), also while the old process
 * still runs (a zombie), once during KIP-429's rolling upgrade, where the restarted members offer
 * other protocols and the group's vote may change (staticReplacementKeepsProtocol); dynamic members empty the group and bring it through
 * another initial rebalance (the KIP-134 delay with its new-member flag), with the 5 s rebalance
 * timeout so that the delay's extensions run out of rebalance time. Elsewhere a restart is rare
 * (start at weight 2 among deliveries at 40) and comes too late in a 60-step run.
 */
const restartWeights: Partial<Record<ChoiceKind, number>> = { close: 4, start: 10, crash: 1 };
const restartFaults: FaultSettings = { ...noFaults, leave: true, crash: true };
/**
 * Static members also restart while the old process still runs (`replace`: a zombie with the same
 * group.instance.id), the case KIP-345's fencing is for: the replacement's new member id must
 * differ from every id the zombie may still use.
 */
/** The small places' shape: 2 members over one topic of 2 partitions. */
const twoByTwo = (protocol: Protocol, assignor: string, isStatic = false): Place => ({
  protocol,
  assignor,
  members: 2,
  topics: 1,
  partitions: 2,
  static: isStatic,
});
const staticRestartWeights: Partial<Record<ChoiceKind, number>> = { ...restartWeights, replace: 6 };
const staticRestartFaults: FaultSettings = { ...restartFaults, zombie: true };
export const classicRestarts = (): Place[] => [
  ...[false, true].map((upgrade) => ({
    name: upgrade ? 'static restarts in a rolling upgrade' : 'static restarts',
    ...twoByTwo('eager', 'range', true),
    faults: staticRestartFaults,
    weights: staticRestartWeights,
    steps: 100,
    ...(upgrade && { upgrade: true as const }),
  })),
  {
    name: 'dynamic restarts',
    ...twoByTwo('eager', 'range'),
    timers: shortRebalance,
    faults: restartFaults,
    weights: restartWeights,
    steps: 100,
  },
];

/**
 * KIP-848 restarts: static members that close (a -2 leave, parked) and start again within their
 * session timeout, taking the parked record with a new member id (admitMember's replacement:
 * target, partition epochs and timers moved to the new id). The static place sent one -2 leave and
 * no replacement in 30 runs: restarts are rare there, and come after the session timeout.
 */
const kip848Restart = (name: string, members: number, isStatic: boolean): Place => ({
  name,
  protocol: 'consumer',
  assignor: 'uniform',
  members,
  topics: 1,
  partitions: 2,
  static: isStatic,
  faults: { ...noFaults, leave: true },
  weights: { close: 4, start: 12 },
  steps: 100,
});
const kip848Restarts: Place[] = [
  kip848Restart('static restarts', 2, true),
  // One dynamic member that leaves (-1) and comes back: the last member of the group leaving, whose
  // removal empties the group's records (its subscribed topics among them), and the -1 leaves
  // that arrive after the member was already fenced.
  kip848Restart('dynamic restarts', 1, false),
];

/** A downgrade (consumer -> classic, cooperative-sticky on the classic side) of a 2 x 2 group. */
const downgrade: Place = { ...twoByTwo('cooperative', 'cooperative-sticky'), migration: 'downgrade' };

/**
 * KIP-848 coordinator: a downgrade in which consumer-protocol members take long to revoke (slow
 * onPartitionsRevoked, its `callback` choice at weight 1 instead of 6) past a 5 s rebalance timeout
 * (max.poll.interval.ms, which KIP-848 members send as their rebalance timeout), so that the last
 * consumer-protocol member of the mixed group can be fenced by its rebalance timeout while only
 * classic members remain: the group must then become a classic group (rebalanceExpires with
 * timerDowngrades). At 2 s, below the 3 s heartbeat interval, the classic consumers of the same
 * place did not settle in some unmutated runs (eventually-stable: Kafka's own livelock, docs/fidelity.md,
 * "A rebalance timeout below the heartbeat interval"), so 5 s.
 */
const slowRevocationDowngrade: Place = {
  ...downgrade,
  name: 'slow revocations in a downgrade',
  timers: { maxPollIntervalMs: 5_000 },
  faults: { ...noFaults, slowCallbacks: true, slowAssignLost: true },
  weights: { callback: 1 },
  steps: 100,
};

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
  const consumer2x2: Place = twoByTwo('consumer', pick('consumer'));
  if (protocols.length === 1 && protocols[0] === 'consumer') places.push({ ...consumer2x2, timers: shortPoll });
  // Before the migration places: a static replacement is a mainline path, and a mutant that breaks
  // it (or the downgrade on a rebalance timeout) should not wait behind six places for the
  // wall-clock cap.
  if (machine === 'kip848-coordinator') places.push(...kip848Restarts, slowRevocationDowngrade);
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
    places.push(downgrade, { ...twoByTwo('eager', 'range'), migration: 'upgrade' });
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
  // Last: the focused places cost the most per run (100 and 200 steps), and the mutants the
  // 5 s places above kill are found there within a second.
  if (machine === 'classic-coordinator' && protocols.includes('eager')) places.push(...classicRestarts());
  if (machine === 'classic-coordinator') places.push(...classicCleanup(first, pick(first)));
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
    ...(p.upgrade && { upgrade: true }),
    variant,
    ...(p.faults ? { faults: p.faults } : {}),
  });
  const withAutoCommit = p.autoCommit === false ? { ...config, autoCommit: false } : config;
  return p.timers ? { ...withAutoCommit, timers: { ...config.timers, ...p.timers } } : withAutoCommit;
}

/** The session a place's random runs use: its config, and its choice weights if it has its own. */
export function placeSession(p: Place, variant?: Variant): Session {
  const s = session(placeConfig(p, variant), variant);
  return {
    ...s,
    ...(p.weights && { weights: { ...choiceWeights, ...p.weights } }),
    ...(p.always && { swarm: { set: swarmBitsOf(p.always), clear: BUSY } }),
  };
}

/** Protocol, assignor, members x topics x partitions, static, timers. */
const shapeOf = (p: Place): string =>
  `${p.protocol}/${p.assignor} ${p.members}x${p.topics > 1 ? `${p.topics}x` : ''}${p.partitions}${p.static ? ' static' : ''}${p.timers ? ` timers ${JSON.stringify(p.timers)}` : ''}`;

const faultsLabel = (f: FaultSettings): string =>
  f.offsetExpiries
    ? ' faults: crash, subscribe, offset cleanup'
    : f.cut
      ? ' faults: cut links, stalls, close, slow revoke callbacks (cut off, weighted)'
      : ' faults: close, slow callbacks and assignor';

export const placeLabel = (p: Place): string =>
  p.name
    ? `${p.name} (${shapeOf(p)}${p.migration ? ` migration ${p.migration}` : ''}${p.upgrade ? ' rolling upgrade' : ''}${p.steps ? `, ${p.steps} steps` : ''})`
    : `${shapeOf(p)}${p.migration ? ` migration ${p.migration}` : ''}${p.pattern ? ' by regex' : ''}${p.faults ? faultsLabel(p.faults) : ''}${p.autoCommit === false ? ' auto-commit off' : ''}`;

/** The assignors a client-side assignor mutant can run with: its own name, under a protocol it supports. */
export const clientProtocols = (name: string): Protocol[] => builtinAssignors[name].supportedProtocols;
