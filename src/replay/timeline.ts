import type { Session } from '../run/run.ts';
import type { Choice, Msg, World } from '../world/types.ts';
import { initialWorld, step } from '../world/world.ts';
import { fairSchedule } from '../world/quiesce.ts';
import { groupOf, groupState } from '../world/consumer-view.ts';
import { clientState, common, coord, coordState, ctxOf, epochOf } from '../world/view.ts';
import { describeChoice, describeMessage, describeWorld } from '../world/describe.ts';

/** One consumer process as a timeline row shows it. */
export interface MemberView {
  name: string;
  /** Machine state (`joining`, `stable`, ...) or the slot status (`crashed`, `closed`, `absent`). */
  state: string;
  live: boolean;
  /** Classic: the generation; consumer protocol: the member epoch. */
  generation: number;
  memberId: string;
  owned: string[];
  isLeader: boolean;
  stalled: boolean;
  cut: boolean;
  protocol: 'eager' | 'cooperative' | 'consumer' | null;
}

/** A message sent during a step. */
export interface MessageView {
  id: number;
  kind: string;
  /** `c1`, ..., `coordinator` or `brokers`. */
  from: string;
  to: string;
  error: string | null;
  text: string;
}

export interface TimelineRow {
  /** Step index in the trace; -1 for the initial state. */
  index: number;
  /** Virtual time after the step, in ms. */
  now: number;
  choice: Choice | null;
  /** The choice in words. */
  text: string;
  /** The step belongs to the fair schedule that runs after the faults stop. */
  fair: boolean;
  /** `generation` is the group epoch in the consumer protocol (no leader there). */
  group: { state: string; generation: number; leader: string | null; epoch: number; members: string[]; family: World['family'] };
  members: MemberView[];
  /** Messages the step sent (requests and responses). */
  sent: MessageView[];
  /** The message the step delivered or dropped, if any. */
  handled: MessageView | null;
  /** The whole state in one line, for terminals. */
  state: string;
}

function messageView(m: Msg): MessageView {
  const b = m.body;
  const fromClient = m.to === 'coordinator';
  const peer = b.kind === 'FindCoordinator' || b.kind === 'FindCoordinatorResponse' ? 'brokers' : 'coordinator';
  return {
    id: m.id,
    kind: b.kind,
    from: fromClient ? b.client.client : peer,
    to: fromClient ? peer : b.client.client,
    error: 'error' in b ? b.error : null,
    text: describeMessage(m),
  };
}

function groupView(w: World): TimelineRow['group'] {
  if (w.family === 'consumer') {
    const g = groupOf(w);
    return {
      state: groupState(w),
      generation: g.groupEpoch,
      leader: null,
      epoch: w.coordinatorEpoch,
      members: Object.keys(g.members),
      family: w.family,
    };
  }
  const g = coord(w);
  return {
    state: coordState(w),
    generation: g.generation,
    leader: g.leaderId,
    epoch: w.coordinatorEpoch,
    members: Object.keys(g.members),
    family: w.family,
  };
}

export function rowOf(index: number, choice: Choice | null, before: World | null, after: World, fair: boolean): TimelineRow {
  const handled = choice && (choice.kind === 'deliver' || choice.kind === 'drop') ? before?.net.find((m) => m.id === choice.id) : undefined;
  return {
    index,
    now: after.now,
    choice,
    text: choice ? describeChoice(choice, before ?? undefined) : 'start',
    fair,
    group: groupView(after),
    members: after.clients.map((s) => {
      const c = s.snapshot ? common(s) : null;
      return {
        name: s.name,
        state: clientState(s),
        live: c !== null && s.snapshot!.status === 'active',
        generation: c ? epochOf(s) : -1,
        memberId: c?.memberId ?? '',
        owned: c ? [...c.owned] : [],
        isLeader: c && after.family === 'classic' ? ctxOf(s).isLeader : false,
        stalled: c?.stalled ?? false,
        cut: s.cut,
        protocol: (c?.cfg.protocol as MemberView['protocol']) ?? null,
      };
    }),
    sent: after.sent.map(messageView),
    handled: handled ? messageView(handled) : null,
    state: describeWorld(after),
  };
}

/** Re-executes choices (then the fair schedule) and returns one row per step, the initial state first. */
export function timeline(session: Session, choices: readonly Choice[]): TimelineRow[] {
  const { config, model } = session;
  let w: World = initialWorld(config, model);
  const rows: TimelineRow[] = [rowOf(-1, null, null, w, false)];
  choices.forEach((c, i) => {
    const after = step(w, c, config, model);
    rows.push(rowOf(i, c, w, after, false));
    w = after;
  });
  if (!session.liveness) return rows;
  let i = choices.length;
  const fair = fairSchedule(w, config, model);
  for (let r = fair.next(); !r.done; r = fair.next()) {
    const [c, after] = r.value;
    rows.push(rowOf(i++, c, w, after, true));
    w = after;
  }
  return rows;
}
