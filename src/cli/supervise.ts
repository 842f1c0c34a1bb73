import { BroadcastChannel, Worker } from 'node:worker_threads';
import { controlBytes, doneSoFar, requestStop, userCodeChannel, userCodeSlots, type UserCodeName } from '../core/control.ts';

// `check` and `explore` run synchronously for minutes, with a variant's own code inside (guards,
// actions, assignors). Run in this thread, neither Ctrl-C nor a watchdog could act while they
// run: a signal handler runs only when the event loop is free. So the command runs on a worker
// thread (command-worker.js) and this thread supervises it through shared cells
// (src/core/control.ts):
// - Ctrl-C raises the stop flag: the search stops as at a --max-time deadline and prints what it
//   did (runs, states, a failure found and how far it was shrunk); the exit code is then 130. A
//   second Ctrl-C, or a search that has not stopped 5 s later (stuck in a variant's code), ends
//   it at once.
// - A watchdog: a variant's guard, action or assignor call that has not returned within
//   --time-limit seconds ends the command with one line naming it, exit 2.
// This module imports little: it starts before the command's own modules load (in the worker).

/** Commands that run supervised. */
export const supervisedCommands = ['check', 'explore'];

/** Default of --time-limit, seconds. */
export const defaultTimeLimit = 10;

export const timeLimitHelp =
  "longest a variant's own guard, action or assignor call may run (wall-clock seconds) before the command stops with exit 2, naming it";

const GRACE_MS = 5000;
const TICK_MS = 100;

/** The command named on the command line (the first word that is not an option). */
export const commandOf = (argv: string[]): string | undefined => argv.slice(2).find((a) => !a.startsWith('-'));

/** `--time-limit S` as given (the command validates it; a bad value never reaches the watchdog). */
function timeLimitMs(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--time-limit' || a.startsWith('--time-limit='));
  const raw = i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const s = Number(raw);
  return (raw !== undefined && Number.isFinite(s) && s > 0 ? s : defaultTimeLimit) * 1000;
}

/** Runs `main(argv)` on a worker thread, supervised; resolves to the exit code. */
export function supervise(argv: string[]): Promise<number> {
  const buffer = new SharedArrayBuffer(controlBytes);
  const cells = new Int32Array(buffer);
  const names = new Map<number, string>();
  const channel = new BroadcastChannel(userCodeChannel);
  channel.onmessage = (e) => {
    const { id, where } = (e as { data: UserCodeName }).data;
    names.set(id, where);
  };
  const limitMs = timeLimitMs(argv);
  const tty = (s: NodeJS.WriteStream) => ({ isTTY: s.isTTY, columns: s.columns });
  const worker = new Worker(new URL('./command-worker.js', import.meta.url), {
    workerData: { argv, control: buffer, tty: { stdout: tty(process.stdout), stderr: tty(process.stderr) } },
    argv: argv.slice(2),
  });
  return new Promise((resolve) => {
    let interruptedAt: number | undefined;
    let ended = false;
    const end = (code: number, line?: string) => {
      if (ended) return;
      ended = true;
      clearInterval(watch);
      process.off('SIGINT', onInterrupt);
      channel.close();
      if (line) {
        // What the worker printed before it was stopped comes first; then the line.
        void worker.terminate().then(() => {
          console.error(line);
          resolve(code);
        });
      } else resolve(code);
    };
    /** Said when the command is ended at once: what it had done, as far as it told. */
    const done = () => {
      const so = doneSoFar(cells);
      return so ? ` after ${so}` : '';
    };
    const onInterrupt = () => {
      if (interruptedAt !== undefined) return end(130, `rebalance-check: interrupted again: stopped at once${done()}`);
      interruptedAt = performance.now();
      requestStop(cells);
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.stderr.write('rebalance-check: interrupted: finishing the run in progress (Ctrl-C again to stop at once)\n');
    };
    process.on('SIGINT', onInterrupt);
    // Per thread: the user code seen running at the last tick, and since when it ran without a return.
    const seen = new Map<number, { id: number; entries: number; since: number }>();
    const watch = setInterval(() => {
      const now = performance.now();
      userCodeSlots(cells).forEach((slot, t) => {
        if (slot.id === 0) return void seen.delete(t);
        const last = seen.get(t);
        if (!last || last.id !== slot.id || last.entries !== slot.entries) return void seen.set(t, { ...slot, since: now });
        if (now - last.since >= limitMs) {
          const where = names.get(slot.id) ?? "a variant's own code";
          end(2, `rebalance-check: ${where} did not return within ${limitMs / 1000} s (--time-limit; wall-clock): stopped`);
        }
      });
      if (interruptedAt !== undefined && now - interruptedAt >= GRACE_MS) {
        const stuck = userCodeSlots(cells).find((s) => s.id !== 0);
        const inside = stuck ? ` (inside ${names.get(stuck.id) ?? "a variant's own code"})` : '';
        end(130, `rebalance-check: interrupted: the search did not stop within ${GRACE_MS / 1000} s${inside}: stopped at once${done()}`);
      }
    }, TICK_MS);
    worker.on('error', (e) => {
      // A bug of ours, not the user's: shown in full, as an uncaught error would be.
      console.error(e);
      end(1);
    });
    worker.on('exit', (code) => end(interruptedAt !== undefined ? 130 : code));
  });
}
