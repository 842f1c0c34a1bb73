import pc from 'picocolors';
import type { CampaignResult } from '../random/campaign.ts';
import type { Violation } from '../run/run.ts';
import type { TimelineRow } from '../replay/timeline.ts';

import { count, num as n } from '../core/format.ts';

export { count };

export function printPass(label: string, result: CampaignResult, seconds: number): void {
  const m = result.metrics;
  const rate = seconds > 0 ? ` (${n(Math.round(result.runs / seconds))} runs/s)` : '';
  // A campaign stopped early (Ctrl-C, --max-time) held so far, no more: no tick for it.
  const mark = result.stopped ? pc.yellow('…') : pc.green('✓');
  const held = result.stopped ? 'all invariants held so far' : 'all invariants hold';
  console.log(`${mark} ${label}: ${n(result.runs)} runs, ${n(result.steps)} steps, ${held}${rate}`);
  console.log(
    pc.dim(
      `  zombies: longest ${n(m.maxZombieMs)} ms with partitions outside the current generation; ` +
        `${n(m.maxOverlapMs)} ms max double ownership; ${n(m.duplicateRecords)} records processed twice; ` +
        `${n(m.fencedCommits)} stale commits fenced; ${n(m.rebalances)} rebalances` +
        (m.skippedRecords ? `; ${n(m.skippedRecords)} records skipped by auto.offset.reset=latest` : ''),
    ),
  );
}

/** The header line, the invariant, the message, then the timeline up to the failing step. */
export function printViolation(
  header: string,
  v: Pick<Violation, 'statement' | 'message' | 'step'>,
  rows: TimelineRow[],
  liveness: boolean,
): void {
  console.log(`${pc.red('✗')} ${header}`);
  console.log(`  ${v.statement}`);
  console.log(`  ${pc.red(v.message)}`);
  console.log(pc.dim('  Steps (number, virtual ms, choice; ~ marks the fair schedule that runs after the faults stop):'));
  const last = v.step;
  let hidden = 0;
  const flushHidden = () => {
    if (hidden > 0) console.log(pc.dim(`  ~         (${hidden} heartbeat steps of the fair schedule)`));
    hidden = 0;
  };
  for (const r of rows) {
    if (r.index > last) break;
    if (r.fair && r.index !== last && isRoutineHeartbeat(r.text)) {
      hidden++;
      continue;
    }
    flushHidden();
    const mark = r.index === last ? pc.red('✗') : r.fair ? pc.dim('~') : ' ';
    const line = `  ${mark} ${String(r.index + 1).padStart(3)} ${String(r.now).padStart(7)}  ${r.text}`;
    console.log(r.fair ? pc.dim(line) : line);
    if (r.index === last || r.index === -1) console.log(pc.dim(`              ${r.state}`));
  }
  flushHidden();
  if (liveness) console.log(pc.dim(`              ${rows[rows.length - 1].state}`));
}

/** Heartbeats answered NONE are the background of every fair schedule: shown as a count. */
const isRoutineHeartbeat = (choice: string): boolean =>
  /\.heartbeat$/.test(choice) || /deliver Heartbeat#/.test(choice) || /HeartbeatResponse#\d+ \S+ NONE$/.test(choice);
