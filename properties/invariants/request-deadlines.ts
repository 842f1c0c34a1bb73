import type { Invariant } from '../invariant.ts';
import { Passed } from '../step-facts.ts';
import { clientFamily, ctxOf, isLive, isProcessOf } from '../../src/world/view.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';

// The classic consumer's own deadlines. NetworkClient fails every in-flight request after
// request.timeout.ms (a JoinGroup after max(request.timeout.ms, rebalance timeout + 5 s),
// AbstractCoordinator's joinGroupTimeoutMs), and a request that was answered has no deadline
// left: a stray timeout would mark the coordinator unknown or rejoin for nothing. The heartbeat
// thread sends a heartbeat every heartbeat.interval.ms while the member is COMPLETING_REBALANCE
// or STABLE, and checks max.poll.interval.ms (KIP-62) while the application is stalled or inside
// a rebalance callback.

const kinds = ['find', 'join', 'sync', 'heartbeat', 'commit', 'leave'] as const;

/** Each kind's timer name, made once: a key built per lookup costs more than the rest of the check. */
const timerOf: Record<(typeof kinds)[number], string> = {
  find: 'req:find',
  join: 'req:join',
  sync: 'req:sync',
  heartbeat: 'req:heartbeat',
  commit: 'req:commit',
  leave: 'req:leave',
};
/** Requests whose timer exists only while they are in flight (a failed leader round arms req:sync alone; a MEMBER_ID_REQUIRED answer leaves req:join to the next JoinGroup). */
const strict = new Set(['find', 'heartbeat', 'commit', 'leave']);
/** The rebalance callbacks, and the leader's assignor (`computing`, a slow assignor), which also runs inside poll(). */
const callbackStates = new Set(['revoking', 'assigning', 'losing', 'computing']);
/** close() does not poll: the KIP-62 clock stops (closeStart). */
const closing = new Set(['closing', 'releasing', 'leaving']);

function deadlines(s: ClientSlot, now: number): string | undefined {
  const c = ctxOf(s);
  const t = c.cfg.settings;
  const state = String(s.snapshot!.value);
  for (const k of kinds) {
    // close() no longer looks the coordinator up: a FindCoordinator timeout there is only dropped (simplified).
    if (k === 'find' && closing.has(state)) continue;
    // A JoinGroup that timed out while the coordinator is looked up again waits for the retry backoff.
    const due = c.timers[timerOf[k]] ?? (k === 'join' ? c.timers.retry : undefined);
    const most = k === 'join' ? Math.max(t.requestTimeoutMs, t.maxPollIntervalMs + 5000) : t.requestTimeoutMs;
    if (c.inflight[k] !== undefined && (due === undefined || due - now > most))
      return `${s.name} has a ${k} request in flight ${due === undefined ? 'that never times out' : `timing out in ${due - now} ms`} (at most ${most} ms)`;
    if (strict.has(k) && due !== undefined && c.inflight[k] === undefined)
      return `${s.name} has a ${k} request timeout armed with no ${k} request in flight`;
  }
  // NetworkClient has a timeout only for a request on the wire. The model's two stand-ins without
  // one stay in their own state: a leader whose round failed waits on req:sync in `syncing`, and
  // a JoinGroup answered MEMBER_ID_REQUIRED is followed at once by the next one in `joining`.
  // Anywhere else a JoinGroup or SyncGroup timeout is left over from an answered request and
  // would make the member rejoin or look its coordinator up for nothing.
  if (c.timers['req:join'] !== undefined && state !== 'joining')
    return `${s.name} is ${state} with a JoinGroup request timeout armed (only a JoinGroup on the wire has one)`;
  if (c.timers['req:sync'] !== undefined && state !== 'syncing')
    return `${s.name} is ${state} with a SyncGroup request timeout armed (only a SyncGroup on the wire has one)`;
  // joinGroupIfNeeded: a JoinGroup that failed (coordinator error, timeout, coordinator unknown)
  // is sent again after retry.backoff.ms, not when some other timer happens to prompt it.
  if (state === 'joining' && c.inflight.join === undefined && (c.timers.retry === undefined || c.timers.retry - now > t.retryBackoffMs))
    return `${s.name} is joining with no JoinGroup in flight and ${c.timers.retry === undefined ? 'no retry due' : `its retry in ${c.timers.retry - now} ms`} (at most ${t.retryBackoffMs} ms)`;
  if ((state === 'syncing' || state === 'stable') && c.generation >= 0) {
    const hb = c.timers.heartbeat;
    if (hb === undefined || hb - now > t.heartbeatIntervalMs)
      return `${s.name} is ${state} with ${hb === undefined ? 'no heartbeat due' : `its next heartbeat in ${hb - now} ms`} (at most ${t.heartbeatIntervalMs} ms)`;
  }
  const poll = c.timers.poll;
  // Once KIP-62 made it leave (generation reset), the clock restarts only with the next poll().
  if (c.stalled && c.generation >= 0 && !closing.has(state) && (poll === undefined || poll - now > t.maxPollIntervalMs))
    return `${s.name} is stalled with ${poll === undefined ? 'no poll timer' : `its poll timer due in ${poll - now} ms`} (at most ${t.maxPollIntervalMs} ms)`;
  if (!c.stalled && !callbackStates.has(state) && !closing.has(state) && poll !== undefined)
    return `${s.name} polls (not stalled, in no callback) but its max.poll.interval.ms timer is armed`;
  return undefined;
}

/** A callback entered while polling starts the max.poll.interval.ms clock (a stalled process has it running already). */
function callbackTimed(before: World, s: ClientSlot, now: number): string | undefined {
  const state = String(s.snapshot!.value);
  if (!callbackStates.has(state)) return undefined;
  // A zombie made in this step was its slot's process before it (same incarnation, the slot's name).
  const b = before.clients.find((x) => x.inc === s.inc && (x.name === s.name || x.name === s.zombieOf));
  if (b && isLive(b) && callbackStates.has(String(b.snapshot!.value))) return undefined;
  const c = ctxOf(s);
  const poll = c.timers.poll;
  if (poll === undefined || poll - now > c.cfg.settings.maxPollIntervalMs)
    return `${s.name} entered a rebalance callback (${state}) without max.poll.interval.ms running`;
  return undefined;
}

/**
 * The JoinGroup answer enables the heartbeat thread (HeartbeatThread.enable: heartbeat.resetTimeouts),
 * so the first heartbeat of the new generation is due a full heartbeat.interval.ms after it: a
 * heartbeat timer left over from before the join (the thread is disabled in PREPARING_REBALANCE)
 * would fire early.
 */
function heartbeatRestarted(before: World, s: ClientSlot, now: number): string | undefined {
  const state = String(s.snapshot!.value);
  if (state !== 'syncing' && state !== 'computing') return undefined;
  const b = before.clients.find((x) => x.inc === s.inc && x.name === s.name);
  if (!b || !isLive(b) || String(b.snapshot!.value) !== 'joining') return undefined;
  const c = ctxOf(s);
  if (c.timers.heartbeat !== now + c.cfg.settings.heartbeatIntervalMs)
    return `${s.name} got its JoinGroup answer with its next heartbeat ${c.timers.heartbeat === undefined ? 'not scheduled' : `due in ${c.timers.heartbeat - now} ms`}, not a full ${c.cfg.settings.heartbeatIntervalMs} ms later`;
  return undefined;
}

/** States where the heartbeat thread runs and checks the poll timer (not joining or unjoined, where it is disabled). */
const heartbeatThreadOn = new Set(['stable', 'syncing', 'committing', 'revoking', 'assigning', 'computing']);

/**
 * KIP-62: when the heartbeat thread finds max.poll.interval.ms expired it calls maybeLeaveGroup:
 * a dynamic member with a member id and a known coordinator sends LeaveGroup (a static one
 * sends none: KIP-345), and the generation and member id are reset, so the next poll() rejoins
 * as a new member.
 */
function pollTimeoutLeaves(before: World, choice: Choice | null, after: World): string | undefined {
  if (choice?.kind !== 'fire' || choice.timer !== 'poll') return undefined;
  const b = before.clients.find((x) => x.name === choice.target);
  const a = after.clients.find((x) => x.name === choice.target);
  if (!b || !a || !isLive(b) || !isLive(a) || a.inc !== b.inc || clientFamily(b) !== 'classic') return undefined;
  const cb = ctxOf(b);
  // With the coordinator unknown the heartbeat thread looks it up first and checks the poll
  // timer only once it is found; the model leaves at once (simplified), which is not judged here.
  if (!heartbeatThreadOn.has(String(b.snapshot!.value)) || cb.coordinator === null) return undefined;
  const ca = ctxOf(a);
  if (ca.generation !== -1 || ca.memberId !== '')
    return `${a.name}'s max.poll.interval.ms expired but it keeps generation ${ca.generation} and member id '${ca.memberId}'`;
  const leaves = cb.cfg.instanceId === null && cb.memberId !== '';
  const sent = after.sent.some((m) => m.to === 'coordinator' && m.body.kind === 'LeaveGroup' && isProcessOf(m.body.client, b));
  if (leaves !== sent)
    return `${a.name}'s max.poll.interval.ms expired and it ${sent ? 'sent' : 'did not send'} a LeaveGroup (${cb.cfg.instanceId === null ? 'dynamic' : 'static'} member)`;
  return undefined;
}

/**
 * A timer that fires is used up: the step removes it or schedules it again later. One left at
 * its deadline would fire again at the same instant without end, and, being the world's earliest
 * deadline, keep every later timer (and virtual time) from moving.
 */
function timerConsumed(before: World, choice: Choice | null, after: World): string | undefined {
  if (choice?.kind !== 'fire' || choice.target === 'coordinator') return undefined;
  const b = before.clients.find((x) => x.name === choice.target);
  const a = after.clients.find((x) => x.name === choice.target);
  if (!b || !a || !isLive(a) || a.inc !== b.inc || clientFamily(a) !== 'classic') return undefined;
  const due = ctxOf(a).timers[choice.timer];
  if (due !== undefined && due <= after.now)
    return `${a.name}'s ${choice.timer} timer fired but is still due at ${due} ms (now ${after.now} ms)`;
  return undefined;
}

/** `deadlines` over every live classic process: the state rule of this invariant. */
function everyDeadline(after: World): string | undefined {
  for (const s of after.clients)
    if (isLive(s) && clientFamily(s) === 'classic') {
      const bad = deadlines(s, after.now);
      if (bad) return bad;
    }
  return undefined;
}

/** What `check` says when every process keeps its deadlines: the rules that read the step. */
function stepRules(before: World, choice: Choice | null, after: World): string | undefined {
  const left = pollTimeoutLeaves(before, choice, after) ?? timerConsumed(before, choice, after);
  if (left) return left;
  for (const s of after.clients)
    if (isLive(s) && clientFamily(s) === 'classic') {
      const bad = callbackTimed(before, s, after.now) ?? heartbeatRestarted(before, s, after.now);
      if (bad) return bad;
    }
  return undefined;
}

const passed = new Passed();

export const requestDeadlines: Invariant = {
  id: 'request-deadlines',
  statement:
    'A classic consumer times out every request in flight (and only those) within its timeout, retries a failed JoinGroup after the retry backoff, heartbeats every heartbeat interval while joined (the first a full interval after the JoinGroup answer), and enforces max.poll.interval.ms while stalled or in a callback (leaving the group when it expires).',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after: World, config) {
    const left = pollTimeoutLeaves(before, choice, after) ?? timerConsumed(before, choice, after);
    if (left) return passed.note(after, config, left);
    // `deadlines` is a function of the process and the time: a process the step left as it was
    // was judged (and passed) on `before` already. Every rule of it that reads the time fails
    // only when a deadline is too far ahead (`due - now > most`), so one that passed stays passed
    // as the clock moves on: the verdict holds at any later time too.
    const same = passed.passed(before, config) && before.now <= after.now;
    for (const s of after.clients) {
      if (!isLive(s) || clientFamily(s) !== 'classic') continue;
      const bad =
        (same && before.clients.includes(s) ? undefined : deadlines(s, after.now)) ??
        callbackTimed(before, s, after.now) ??
        heartbeatRestarted(before, s, after.now);
      if (bad) return passed.note(after, config, bad);
    }
    return passed.note(after, config, undefined);
  },
  // `check` judges `deadlines` on every process it does not know passed (and one it knows passed
  // still passes), after the step's own rules, which it returns first.
  split: { state: everyDeadline, step: stepRules },
};
