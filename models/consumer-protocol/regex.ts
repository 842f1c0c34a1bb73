import { matchingTopics, sortedUnique, type Topics } from '../types.ts';
import { sameJoined } from '../records.ts';
import type { ConsumerGroupMember, GroupContext, ResolvedRegex } from './coordinator-state.ts';

// KIP-848 server-side regular expressions (GroupMetadataManager.maybeUpdateRegularExpressions,
// refreshRegularExpressions, handleRegularExpressionsResult). A member sends its pattern as
// SubscribedTopicRegex; the coordinator resolves it against the metadata image asynchronously
// (an executor task; the model: the coordinator timer `regex:group`, armed at the heartbeat's
// time and fired as a step of its own), and the member's subscription is its topic names plus
// the topics the regex resolved to.

/**
 * REGEX_BATCH_REFRESH_MIN_INTERVAL_MS: a group's regular expressions are not resolved again within
 * this time of the last resolution. Kafka: 10 s against a 5 s heartbeat interval; scaled like the
 * model's other timers to two of its 3 s heartbeat intervals.
 */
export const REGEX_REFRESH_INTERVAL_MS = 6_000;

/** The coordinator timer of a scheduled resolution (the executor's `<groupId>-regex` task). */
export const REGEX_TIMER = 'regex:group';

/**
 * Runs for REGEX_REFRESH_INTERVAL_MS from the last resolution: while it runs no new one is
 * scheduled. Kafka compares `now` with the resolution's stored time; the model keeps the time as a
 * deadline, as every time it stores, so that states a heartbeat interval apart compare by what is
 * left of it (src/explore/canonical.ts keeps deadlines relative to now). Firing it does nothing else.
 */
export const REGEX_INTERVAL_TIMER = 'regexInterval:group';

/** What a metadata image offers a regex: its topic names (Kafka compares image offsets that added topics). */
export const imageOf = (topics: Topics): string => Object.keys(topics).sort().join();

/** The topics a member subscribes to: its names and its regex's resolution (ConsumerGroup.subscribedTopicNames). */
export function memberTopics(m: ConsumerGroupMember, resolved: Record<string, ResolvedRegex> | undefined): string[] {
  if (m.regex === undefined) return m.topics;
  const r = resolved?.[m.regex];
  return r === undefined ? m.topics : sortedUnique([...m.topics, ...r.topics]);
}

/** The regular expressions the members subscribe to. */
export function subscribedRegexes(members: Record<string, ConsumerGroupMember>): string[] {
  const out = new Set<string>();
  for (const m of Object.values(members)) if (m.regex !== undefined) out.add(m.regex);
  return [...out].sort();
}

/**
 * maybeUpdateRegularExpressions' conditions to schedule a resolution, checked on every heartbeat:
 * (0) the group subscribes to a regex, (1) none is scheduled, (2) the last resolution is older
 * than the minimum interval, and (3) a subscribed regex is unresolved or (4) the image has topics
 * newer than the last resolution.
 */
export function refreshDue(ctx: GroupContext, topics: Topics): boolean {
  const regexes = subscribedRegexes(ctx.members);
  if (regexes.length === 0 || ctx.timers[REGEX_TIMER] !== undefined || ctx.timers[REGEX_INTERVAL_TIMER] !== undefined) return false;
  const resolved = ctx.resolvedRegexes ?? {};
  const image = imageOf(topics);
  return regexes.some((r) => resolved[r] === undefined || resolved[r].image !== image);
}

/**
 * The resolution's result applied to the group (handleRegularExpressionsResult): each regex still
 * subscribed is stored with its topics; `changed` when some regex now resolves to other topics
 * (Kafka then bumps the group epoch). Regexes nobody subscribes to any more are dropped
 * (Kafka writes their tombstones when their last member leaves or changes its regex).
 */
export function resolveRegexes(ctx: GroupContext, topics: Topics): { resolvedRegexes: Record<string, ResolvedRegex>; changed: boolean } {
  const before = ctx.resolvedRegexes ?? {};
  const image = imageOf(topics);
  const resolvedRegexes: Record<string, ResolvedRegex> = {};
  let changed = false;
  for (const r of subscribedRegexes(ctx.members)) {
    const matched = matchingTopics(r, topics);
    if (before[r] === undefined || !sameJoined(before[r].topics, matched)) changed = true;
    resolvedRegexes[r] = { topics: matched, image };
  }
  return { resolvedRegexes, changed };
}

/** The resolutions still subscribed to once `members` remain (a removed member's regex may go). */
export function pruneRegexes(
  resolved: Record<string, ResolvedRegex> | undefined,
  members: Record<string, ConsumerGroupMember>,
): Record<string, ResolvedRegex> | undefined {
  if (resolved === undefined) return undefined;
  const keep = subscribedRegexes(members);
  if (Object.keys(resolved).every((r) => keep.includes(r))) return resolved;
  return Object.fromEntries(Object.entries(resolved).filter(([r]) => keep.includes(r)));
}
