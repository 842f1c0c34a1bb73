import type { ClassicResponse } from '../models/classic/messages.ts';
import type { Choice, ClientSlot, Msg, World, WorldConfig } from '../src/world/types.ts';
import { common, isLive, isProcessOf } from '../src/world/view.ts';

// Facts about one step that several invariants need. Every invariant is checked on the same
// step in turn, so each fact remembers its last answer (worlds and choices are never changed
// once made): the first invariant that asks computes it, the others read it.

let deliveredKey: [World | undefined, Choice | null] = [undefined, null];
let deliveredFact: Msg | undefined;

/** The message a `deliver` choice handed over, if any. */
export function delivered(before: World, choice: Choice | null): Msg | undefined {
  if (choice?.kind !== 'deliver') return undefined;
  if (deliveredKey[0] === before && deliveredKey[1] === choice) return deliveredFact;
  let found: Msg | undefined;
  for (const m of before.net)
    if (m.id === choice.id) {
      found = m;
      break;
    }
  deliveredKey = [before, choice];
  deliveredFact = found;
  return found;
}

/** The response delivered to this slot's process in this step, if any. */
export function responseTo(before: World, choice: Choice | null, slot: ClientSlot): ClassicResponse | undefined {
  const m = delivered(before, choice);
  return m && m.to === 'client' && isProcessOf(m.body.client, slot) ? (m.body as ClassicResponse) : undefined;
}

let sameKey: [World | undefined, World | undefined] = [undefined, undefined];
let sameFact: ReadonlyArray<readonly [ClientSlot, ClientSlot]> = [];

/** Pairs of (before, after) for every process that was live, and is still the same process, across the step. */
export function sameProcesses(before: World, after: World): ReadonlyArray<readonly [ClientSlot, ClientSlot]> {
  if (sameKey[0] === before && sameKey[1] === after) return sameFact;
  const out: Array<[ClientSlot, ClientSlot]> = [];
  for (const a of after.clients) {
    // A zombie made in this step has no slot before it (its process was its slot's, and is unchanged).
    let b: ClientSlot | undefined;
    for (const s of before.clients)
      if (s.name === a.name) {
        b = s;
        break;
      }
    if (b && isLive(a) && isLive(b) && a.inc === b.inc) out.push([b, a]);
  }
  sameKey = [before, after];
  sameFact = out;
  return out;
}

let changedKey: [World | undefined, World | undefined] = [undefined, undefined];
let changedFact: ReadonlyArray<readonly [ClientSlot, ClientSlot]> = [];

/**
 * The pairs of `sameProcesses` whose slot the step replaced. A slot the step left as it was is
 * the same object in both worlds (most of them: a step moves one process or the coordinator), and
 * for an invariant that compares a process with itself across the step (what it gained, dropped,
 * its positions or epoch) such a pair can only pass: those invariants look at these pairs alone.
 */
export function changedProcesses(before: World, after: World): ReadonlyArray<readonly [ClientSlot, ClientSlot]> {
  if (changedKey[0] === before && changedKey[1] === after) return changedFact;
  const out = sameProcesses(before, after).filter(([b, a]) => b !== a);
  changedKey = [before, after];
  changedFact = out;
  return out;
}

export const minus = (xs: readonly string[], ys: readonly string[]): string[] => xs.filter((x) => !ys.includes(x));

/** Partitions the process gained in this step. */
export const gained = (b: ClientSlot, a: ClientSlot): string[] => minus(common(a).owned, common(b).owned);
export const dropped = (b: ClientSlot, a: ClientSlot): string[] => minus(common(b).owned, common(a).owned);

/**
 * The last world an invariant found nothing wrong with, as the `after` of a step, and under which
 * config. An invariant whose verdict on one part of a world (a process, the coordinator) is a
 * function of that part (and the time) may skip the parts a step left as they were (the same
 * objects: worlds are never changed once made) when the step starts from the world it passed:
 * it would judge them as it did then, and found nothing.
 */
export class Passed {
  private world: World | undefined;
  private config: WorldConfig | undefined;
  /** This invariant last passed `before`, under `config`. */
  passed(before: World, config: WorldConfig | undefined): boolean {
    return this.world === before && this.config === config;
  }
  /** Records the verdict on `after` and returns it. */
  note(after: World, config: WorldConfig | undefined, verdict: string | undefined): string | undefined {
    this.world = verdict === undefined ? after : undefined;
    this.config = config;
    return verdict;
  }
  /** The invariant did not judge the last world (not its protocol's): nothing to skip next time. */
  forget(): undefined {
    this.world = undefined;
    return undefined;
  }
}

/**
 * The last inputs (up to three parts, compared by identity) on which a check found nothing
 * wrong. For a check that is a pure function of the parts it is given (it reads nothing else,
 * and parts are never changed once made: worlds, snapshots and contexts are replaced, not
 * edited), the same parts get the same verdict, so a check handed the parts it last passed
 * need not run again. Unlike `Passed` this does not need the step to start from the world the
 * check passed: the coordinator a step left as it was is the same object in `after` as in
 * `before`, whichever step came before.
 */
export class PassedParts<A, B = undefined, C = undefined> {
  private a: A | undefined;
  private b: B | undefined;
  private c: C | undefined;
  private held = false;
  /** The check last passed on exactly these parts. */
  has(a: A, b?: B, c?: C): boolean {
    return this.held && this.a === a && this.b === b && this.c === c;
  }
  /** Records the verdict on these parts and returns it. */
  note(verdict: string | undefined, a: A, b?: B, c?: C): string | undefined {
    this.held = verdict === undefined;
    this.a = a;
    this.b = b;
    this.c = c;
    return verdict;
  }
}

const keys = new Map<string, Map<string, string>>();
/**
 * `${prefix}${id}`, made once per (prefix, id): a timer name built at every lookup costs more than
 * the check that reads it (the engine must look the new string up before it can use it as a key).
 */
export function timerKey(prefix: string, id: string): string {
  let byId = keys.get(prefix);
  if (!byId) keys.set(prefix, (byId = new Map()));
  let k = byId.get(id);
  if (k === undefined) {
    // Ids are a run's own (member ids, request kinds): a long campaign makes new ones, so the cache is bounded.
    if (byId.size > 10_000) byId.clear();
    byId.set(id, (k = `${prefix}${id}`));
  }
  return k;
}

/** The error the step answered this KIP-848 member's heartbeat in flight with ('NONE' on success), if it answered it. */
function heartbeatAnswerNow(before: World, choice: Choice | null, b: ClientSlot): string | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'client' || !isProcessOf(m.body.client, b)) return undefined;
  const r = m.body as { kind: string; corr: number; error: string };
  const sent = (b.snapshot!.context as { inflight: { heartbeat?: { corr: number } } }).inflight.heartbeat;
  return r.kind === 'ConsumerGroupHeartbeatResponse' && r.corr === sent?.corr ? r.error : undefined;
}

/** The step answered this KIP-848 member's heartbeat FENCED_MEMBER_EPOCH or UNKNOWN_MEMBER_ID. */
export function memberFencedNow(before: World, choice: Choice | null, b: ClientSlot): boolean {
  const error = heartbeatAnswerNow(before, choice, b);
  return error === 'FENCED_MEMBER_EPOCH' || error === 'UNKNOWN_MEMBER_ID';
}

/**
 * This KIP-848 member's heartbeat in flight failed in the step: answered with an error, or its
 * request timed out (AbstractHeartbeatRequestManager.onErrorResponse / onFailure).
 */
export function memberHeartbeatFailedNow(before: World, choice: Choice | null, b: ClientSlot): boolean {
  if (choice?.kind === 'fire')
    return (
      choice.target === b.name &&
      choice.timer === 'req:heartbeat' &&
      (b.snapshot!.context as { inflight: { heartbeat?: unknown } }).inflight.heartbeat !== undefined
    );
  const error = heartbeatAnswerNow(before, choice, b);
  return error !== undefined && error !== 'NONE';
}

/** The requests of one kind this process sent to the coordinator in the step. */
export const sentByProcess = (after: World, b: ClientSlot, kind: string): Msg[] =>
  after.sent.filter((m) => m.to === 'coordinator' && m.body.kind === kind && isProcessOf(m.body.client, b));

/** The offsets an OffsetCommit must carry: the position of every owned partition (0 if none yet). */
export const consumedOffsets = (owned: readonly string[], positions: Record<string, number>): Record<string, number> =>
  Object.fromEntries(owned.map((p) => [p, positions[p] ?? 0]));

/** The committed offsets are exactly these (same partitions, same offsets). */
export const sameOffsets = (a: Record<string, number>, b: Record<string, number>): boolean =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
