import type { Session } from '../check/run.ts';
import type { Choice, World } from '../world/types.ts';
import { initialWorld, step } from '../world/world.ts';
import { fairSchedule } from '../check/quiesce.ts';
import { describeChoice, describeWorld } from './describe.ts';

export interface TimelineRow {
  index: number;
  now: number;
  choice: string;
  state: string;
  fair: boolean;
}

/** Re-executes choices (then the fair schedule) and returns one row per step. */
export function timeline(session: Session, choices: readonly Choice[]): TimelineRow[] {
  const { config, model } = session;
  let w: World = initialWorld(config, model);
  const rows: TimelineRow[] = [{ index: -1, now: 0, choice: 'start', state: describeWorld(w), fair: false }];
  choices.forEach((c, i) => {
    const after = step(w, c, config, model);
    rows.push({ index: i, now: after.now, choice: describeChoice(c, w), state: describeWorld(after), fair: false });
    w = after;
  });
  if (!session.liveness) return rows;
  let i = choices.length;
  const fair = fairSchedule(w, config, model);
  for (let r = fair.next(); !r.done; r = fair.next()) {
    const [c, after] = r.value;
    rows.push({ index: i++, now: after.now, choice: describeChoice(c, w), state: describeWorld(after), fair: true });
    w = after;
  }
  return rows;
}
