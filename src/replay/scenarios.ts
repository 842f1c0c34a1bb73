import { noFaults, session as makeSession, worldConfig } from '../run/config.ts';
import type { Session } from '../run/run.ts';
import type { Choice, World } from '../world/types.ts';
import { enabled, initialWorld, step } from '../world/world.ts';
import { isSettled, nextDeadline } from '../world/view.ts';
import { timeline, type TimelineRow } from './timeline.ts';

// Deterministic scenarios for reports: built by a small driver loop over the world, so that
// they follow the models as they change instead of hard-coding message ids.

export interface Scenario {
  session: Session;
  /** The choices of the scenario (the timeline's fair schedule adds nothing: the group ends settled). */
  choices: Choice[];
  rows: TimelineRow[];
}

/** At most this many steps per phase: a scenario that does not settle is a bug, not a hang. */
const MAX_PHASE_STEPS = 2_000;

/** FIFO delivery: the oldest message in flight, otherwise the earliest timer. */
function fifoChoice(w: World, s: Session): Choice | undefined {
  if (w.net.length > 0) return { kind: 'deliver', id: w.net[0].id };
  return enabled(w, s.config).find((c) => c.kind === 'fire');
}

/** Runs FIFO steps from `w` until `done` holds; appends the choices to `out`. */
function driveUntil(w: World, s: Session, out: Choice[], done: (w: World) => boolean, what: string): World {
  for (let i = 0; !done(w); i++) {
    const c = fifoChoice(w, s);
    if (!c || i >= MAX_PHASE_STEPS) throw new Error(`scenario: ${what} not reached after ${i} steps`);
    w = step(w, c, s.config, s.model);
    out.push(c);
  }
  return w;
}

/** Runs FIFO steps for `ms` of virtual time: every message and every timer due by then (one heartbeat round). */
function driveFor(w: World, s: Session, out: Choice[], ms: number): World {
  const until = w.now + ms;
  return driveUntil(w, s, out, (x) => x.net.length === 0 && nextDeadline(x) > until, `time ${until}`);
}

/**
 * Scale-out: 3 consumer slots x 6 partitions, no faults. c3 is closed at time 0 and its first
 * JoinGroup dropped, c1 and c2 form a stable group (and heartbeat once), then c3 starts and
 * joins; the run ends one heartbeat round after the group is stable again. Eager uses
 * `range`, cooperative `cooperative-sticky`.
 */
export function scaleOutScenario(protocol: 'eager' | 'cooperative'): Scenario {
  const assignor = protocol === 'eager' ? 'range' : 'cooperative-sticky';
  const s = makeSession(worldConfig({ protocol, assignor, members: 3, partitions: 6, faults: noFaults }));
  const choices: Choice[] = [];
  let w = initialWorld(s.config, s.model);
  const apply = (c: Choice) => {
    w = step(w, c, s.config, s.model);
    choices.push(c);
  };
  // c3 is not running yet: close it at time 0 and drop the JoinGroup it had already sent (a
  // pending member would otherwise hold up the next join phase until its timeout). Neither
  // choice is enabled without faults; the world applies them all the same.
  apply({ kind: 'close', client: 'c3' });
  for (const m of w.net.filter((x) => x.body.client.client === 'c3')) apply({ kind: 'drop', id: m.id });
  const heartbeat = s.config.timers.heartbeatIntervalMs;
  w = driveUntil(w, s, choices, isSettled, 'a stable group of c1 and c2');
  w = driveFor(w, s, choices, heartbeat);
  apply({ kind: 'start', client: 'c3' });
  w = driveUntil(w, s, choices, (x) => x.net.length === 0 && isSettled(x), 'a stable group of c1, c2 and c3');
  // One more heartbeat round, so that the new assignment shows for a while.
  driveFor(w, s, choices, heartbeat);
  return { session: s, choices, rows: timeline(s, choices) };
}
