import type { Model } from './model.ts';
import type { Choice, World, WorldConfig } from './types.ts';
import { isLive, ctxOf, isSettled } from './view.ts';
import { enabled, quietChoice, step } from './world.ts';

/**
 * How long a group may take to settle once faults stop. A lost JoinGroup waits for its
 * client-side timeout (rebalance timeout + 5 s); a crashed member is found by the session
 * timeout or, parked in a join phase, by the pending-sync timeout; a join phase lasts at most
 * the rebalance timeout and the first one at least the initial delay. Four rounds of the
 * longest of these cover a crash found mid-rebalance followed by the rebalance it causes.
 */
export const MAX_FAIR_STEPS = 20_000;

export function settleBoundMs(config: WorldConfig): number {
  const t = config.timers;
  return t.initialRebalanceDelayMs + 4 * (t.maxPollIntervalMs + 5000) + 2 * t.sessionTimeoutMs;
}

/** Choices that end the faults: cut links heal and stalled applications resume. */
export function healingChoices(w: World): Choice[] {
  const heal = w.clients.filter((s) => s.cut).map((s) => ({ kind: 'heal', client: s.name }) as Choice);
  const resume = w.clients.filter((s) => isLive(s) && ctxOf(s).stalled).map((s) => ({ kind: 'resume', client: s.name }) as Choice);
  return [...heal, ...resume];
}

/**
 * The fair schedule's next choice once faults have stopped: the oldest message first, then a
 * running rebalance callback, then metadata that reached the brokers but not a member yet
 * (Kafka refreshes it every metadata.max.age.ms), then the earliest timer; undefined when
 * nothing can happen.
 */
export function fairChoice(w: World, _config?: WorldConfig): Choice | undefined {
  if (w.net.length > 0) return { kind: 'deliver', id: w.net[0].id };
  return quietChoice(w);
}

/** fairChoice as the first choice of each kind in `enabled`'s list (what quietChoice must equal; its test uses it). */
export function fairChoiceByEnabled(w: World, config: WorldConfig): Choice | undefined {
  if (w.net.length > 0) return { kind: 'deliver', id: w.net[0].id };
  const choices = enabled(w, config);
  return choices.find((c) => c.kind === 'callback') ?? choices.find((c) => c.kind === 'metadata') ?? choices.find((c) => c.kind === 'fire');
}

/**
 * The fair schedule: deliver the oldest message, otherwise finish a running rebalance callback,
 * otherwise refresh stale metadata, otherwise fire the earliest timer. Stops as
 * soon as the group is settled or the bound has passed. Yields every step so the caller can
 * check safety invariants on it too.
 */
export function* fairSchedule(w: World, config: WorldConfig, model: Model): Generator<[Choice, World], World> {
  for (const c of healingChoices(w)) {
    const next = step(w, c, config, model);
    yield [c, next];
    w = next;
  }
  const deadline = w.now + settleBoundMs(config);
  // Steps that take no virtual time (deliveries, callbacks) are bounded too: a cycle among
  // them would otherwise never reach the time bound.
  for (let steps = 0; !isSettled(w) && steps < MAX_FAIR_STEPS; steps++) {
    const choice = fairChoice(w, config);
    if (!choice) break;
    const next = step(w, choice, config, model);
    if (next.now > deadline) break;
    yield [choice, next];
    w = next;
  }
  return w;
}
