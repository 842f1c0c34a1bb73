import pc from 'picocolors';
import { num as n } from '../core/format.ts';

// The progress of a long command on stderr: one line rewritten in place on a terminal (every
// 200 ms), a plain line every few seconds otherwise (CI logs), so a campaign is never silent.

export function progressLine(label: string, total: number, opts: { everyMs?: number; enabled?: boolean } = {}) {
  const tty = process.stderr.isTTY === true;
  const enabled = opts.enabled ?? true;
  const every = tty ? 200 : (opts.everyMs ?? 5000);
  const start = performance.now();
  let last = start;
  let shown = false;
  const line = (done: number, now: number) => {
    const secs = (now - start) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    return `${label}: ${n(done)}/${n(total)} runs, ${n(rate)} runs/s, ${secs.toFixed(0)} s`;
  };
  return {
    tick(done: number) {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < every) return;
      last = now;
      shown = true;
      if (tty) process.stderr.write(`\r${pc.dim(line(done, now))}\x1b[K`);
      else process.stderr.write(`${line(done, now)}\n`);
    },
    /** Say what happens now (e.g. "shrinking"), on a terminal only: it is there to watch, not to log. */
    note(text: string) {
      if (!enabled || !tty) return;
      process.stderr.write(`\r${pc.dim(text)}\x1b[K`);
      shown = true;
    },
    done() {
      if (enabled && tty && shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
