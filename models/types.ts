// Vocabulary shared by every model. Kept as plain strings and numbers so that
// snapshots are JSON and can be hashed, stored and replayed.

/** A topic partition written the way Kafka prints it: `topic-partition`. */
export type TopicPartition = string;

/** Topic name -> partition count, as a member's metadata shows it. */
export type Topics = Record<string, number>;

export const tp = (topic: string, partition: number): TopicPartition => `${topic}-${partition}`;

export function parseTp(p: TopicPartition): { topic: string; partition: number } {
  const i = p.lastIndexOf('-');
  return { topic: p.slice(0, i), partition: Number(p.slice(i + 1)) };
}

/** Every partition of the given topics, sorted by topic then partition number. */
export function partitionsOf(topics: Topics, subscribed: readonly string[]): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const t of [...subscribed].sort()) {
    const n = topics[t] ?? 0;
    for (let i = 0; i < n; i++) out.push(tp(t, i));
  }
  return out;
}

/** Timer settings, in virtual milliseconds (Kafka's config names in comments). */
export interface TimerSettings {
  /** session.timeout.ms */
  sessionTimeoutMs: number;
  /** heartbeat.interval.ms */
  heartbeatIntervalMs: number;
  /** max.poll.interval.ms; also the JoinGroup RebalanceTimeoutMs */
  maxPollIntervalMs: number;
  /** group.initial.rebalance.delay.ms (broker) */
  initialRebalanceDelayMs: number;
  /** request.timeout.ms for Heartbeat, SyncGroup, OffsetCommit, LeaveGroup */
  requestTimeoutMs: number;
  /** retry.backoff.ms */
  retryBackoffMs: number;
}

// Scaled-down defaults: the ratios of Kafka's defaults that matter to the protocol
// (heartbeat < session < rebalance timeout) with values small enough to read in a trace.
export const defaultTimers: TimerSettings = {
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 3_000,
  maxPollIntervalMs: 30_000,
  initialRebalanceDelayMs: 3_000,
  requestTimeoutMs: 5_000,
  retryBackoffMs: 100,
};

export const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/**
 * The pattern of a consumer that subscribes by regular expression (the world's `pattern` runs):
 * every topic the world names (`t0`, `t1`, ... and the topics created during a run) matches it.
 * Classic: `subscribe(java.util.regex.Pattern)`, matched by the client against its metadata;
 * KIP-848: `subscribe(SubscriptionPattern)`, sent as SubscribedTopicRegex and resolved by the
 * group coordinator.
 */
export const SUBSCRIPTION_PATTERN = 't\\d+';

const compiled = new Map<string, RegExp>();

/** The topics whose whole name matches `pattern` (Pattern.matcher(topic).matches()), sorted. */
export function matchingTopics(pattern: string, topics: Topics): string[] {
  let re = compiled.get(pattern);
  if (re === undefined) compiled.set(pattern, (re = new RegExp(`^(?:${pattern})$`)));
  return Object.keys(topics)
    .filter((t) => re.test(t))
    .sort();
}
