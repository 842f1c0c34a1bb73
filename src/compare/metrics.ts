import type { World } from '../world/types.ts';
import { canProcess, common, groupEpoch, liveOwners } from '../world/view.ts';
import { partitionsOf } from '../../models/types.ts';

// What a design costs in one scripted run, measured from the world after every step. Owners
// are consumer processes (slots c1, c2, ...): a restarted process that gets a partition back
// is the same owner. Virtual time only passes on timers (deliveries take none), so the
// millisecond figures count waits for heartbeats, join delays and session timeouts.

export interface RunMetrics {
  /** Classic: join phases the coordinator completed; consumer protocol: new target assignments (target epoch bumps). */
  rebalances: number;
  /** Times the generation or group epoch (or, after a failover, the coordinator) changed. */
  generations: number;
  /** Partitions taken up by a different process than their previous owner. */
  moved: number;
  /** Partitions revoked (left without any owner) and then given back to the same process. */
  revokedReturned: number;
  /** Sum over partitions of the virtual seconds with no live owner. */
  unownedPartitionSeconds: number;
  /** Sum over partitions of the virtual seconds in which nobody processed them (no owner, or the owner cannot process). */
  pausedPartitionSeconds: number;
  /** The longest time one partition went unprocessed, in ms. */
  longestPauseMs: number;
  /** Virtual ms during which no partition at all was processed: the stop-the-world time. */
  stopTheWorldMs: number;
  /** Per change: ms from its last scripted step until the group was stable again (null: never). */
  timeToStableMs: Array<number | null>;
}

/** Partitions some live process is processing: it owns them and can fetch (see canProcess). */
export function served(w: World): Set<string> {
  const out = new Set<string>();
  for (const s of w.clients) if (canProcess(s)) for (const p of common(s).owned) out.add(p);
  return out;
}

export class MetricsRecorder {
  private lastOwners = new Map<string, string[]>();
  private pausedSince = new Map<string, number>();
  private unownedMs = 0;
  private pausedMs = 0;
  private longest = 0;
  private allStopped = 0;
  private moved = 0;
  private returned = 0;
  private generations = 0;
  private readonly rebalances0: number;
  private readonly times: Array<number | null> = [];

  /** Starts measuring at `w` (a stable group): its owners are every partition's previous owner. */
  constructor(readonly start: World) {
    this.rebalances0 = start.metrics.rebalances;
    const owners = liveOwners(start);
    const busy = served(start);
    for (const p of this.partitions(start)) {
      const o = owners.get(p) ?? [];
      if (o.length > 0) this.lastOwners.set(p, o);
      if (!busy.has(p)) this.pausedSince.set(p, start.now);
    }
  }

  private partitions(w: World): string[] {
    return partitionsOf(w.topics, Object.keys(w.topics));
  }

  /** One step from `before` to `after`. */
  step(before: World, after: World): void {
    const dt = after.now - before.now;
    const partitions = this.partitions(after);
    if (dt > 0) {
      const owners = liveOwners(before);
      const busy = served(before);
      const all = this.partitions(before);
      let unowned = 0;
      let paused = 0;
      for (const p of all) {
        if ((owners.get(p) ?? []).length === 0) unowned++;
        if (!busy.has(p)) paused++;
      }
      this.unownedMs += unowned * dt;
      this.pausedMs += paused * dt;
      if (paused > 0 && paused === all.length) this.allStopped += dt;
    }
    if (groupEpoch(before) !== groupEpoch(after) || before.coordinatorEpoch !== after.coordinatorEpoch) this.generations++;
    const prev = liveOwners(before);
    const cur = liveOwners(after);
    const busy = served(after);
    for (const p of partitions) {
      const since = this.pausedSince.get(p);
      if (!busy.has(p)) {
        if (since === undefined) this.pausedSince.set(p, after.now);
      } else if (since !== undefined) {
        this.longest = Math.max(this.longest, after.now - since);
        this.pausedSince.delete(p);
      }
      const now = cur.get(p) ?? [];
      if (now.length === 0) continue;
      const last = this.lastOwners.get(p) ?? [];
      const was = prev.get(p) ?? [];
      for (const o of now) {
        if (was.includes(o)) continue; // still owned
        if (last.includes(o)) this.returned++;
        else if (last.length > 0) this.moved++; // a new partition's first owner is not a move
      }
      this.lastOwners.set(p, now);
    }
  }

  /** A change's last scripted step was at `from`; the group was stable again at `at` (null: not within the bound). */
  changeSettled(from: number, at: number | null): void {
    this.times.push(at === null ? null : at - from);
  }

  result(end: World): RunMetrics {
    let longest = this.longest;
    for (const since of this.pausedSince.values()) longest = Math.max(longest, end.now - since);
    return {
      rebalances: end.metrics.rebalances - this.rebalances0,
      generations: this.generations,
      moved: this.moved,
      revokedReturned: this.returned,
      unownedPartitionSeconds: this.unownedMs / 1000,
      pausedPartitionSeconds: this.pausedMs / 1000,
      longestPauseMs: longest,
      stopTheWorldMs: this.allStopped,
      timeToStableMs: [...this.times],
    };
  }
}
