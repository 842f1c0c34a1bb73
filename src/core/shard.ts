import { UsageError } from './errors.ts';

/** One of `count` shards, `index` from 0. Parsed from `i/n` with i from 1, as vitest's --shard. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(raw: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!m) throw new UsageError(`--shard must look like i/n (e.g. 1/4), got '${raw}'`);
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) throw new UsageError(`--shard ${raw}: need 1 <= i <= n`);
  return { index: i - 1, count: n };
}

/** Whether run number `run` (from 0) of a campaign belongs to the shard: runs are dealt round-robin. */
export const ownsRun = (shard: Shard | undefined, run: number): boolean => !shard || run % shard.count === shard.index;
