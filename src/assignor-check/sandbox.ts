import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { AssignInput } from '../../models/assignors/types.ts';
import { AssignorLoadError, claimsOf } from './claims.ts';
import type { AssignorMeta, Callee, CallOutcome, UserAssignor } from './types.ts';

const workerFile = new URL('./worker.mjs', import.meta.url);

interface Thread {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

function startThread(file: string): Thread {
  const shared = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerFile, { workerData: { file, port: port2, shared }, transferList: [port2], stdout: true, stderr: true });
  worker.unref();
  // The user's console output and uncaught errors stay out of our report.
  worker.stdout.resume();
  worker.stderr.resume();
  worker.on('error', () => {});
  return { worker, port: port1, flag: new Int32Array(shared) };
}

/** Ends the thread; the port is closed too, or it would keep the process alive. */
function stop(t: Thread): void {
  t.port.close();
  void t.worker.terminate();
}

/** Waits synchronously for the thread's next answer; undefined if none came in time. */
function awaitAnswer(t: Thread, timeoutMs: number): CallOutcome | undefined {
  Atomics.wait(t.flag, 0, 0, timeoutMs);
  const got = receiveMessageOnPort(t.port);
  Atomics.store(t.flag, 0, 0);
  return got?.message as CallOutcome | undefined;
}

/**
 * Runs the assignor exported by `file` in a worker thread and calls it synchronously with a
 * per-call time limit. A synchronous infinite loop cannot be interrupted in the thread that
 * runs it, so the caller blocks on Atomics.wait with a timeout instead, terminates a thread that
 * overran, and starts a fresh one for the next call. Waiting synchronously (rather than with
 * promises) lets the same assignor run inside the protocol model, whose machines call `assign`
 * synchronously; it also lets an async `assign` (kafkajs) be checked like a synchronous one.
 */
export function workerCallee(file: string, opts: { timeoutMs: number; loadTimeoutMs?: number }): Callee {
  const loadTimeoutMs = opts.loadTimeoutMs ?? 20_000;
  let thread: Thread | undefined;
  const load = (): AssignorMeta => {
    thread = startThread(file);
    const answer = awaitAnswer(thread, loadTimeoutMs);
    try {
      if (answer?.ok) return claimsOf(answer.value);
    } catch (e) {
      stop(thread);
      thread = undefined;
      throw e;
    }
    stop(thread);
    thread = undefined;
    throw new AssignorLoadError(answer ? answer.message : `did not finish loading within ${loadTimeoutMs} ms`);
  };
  const meta = load();
  return {
    meta,
    call(input: AssignInput): CallOutcome {
      if (!thread) load();
      const t = thread!;
      t.port.postMessage(input);
      const answer = awaitAnswer(t, opts.timeoutMs);
      if (answer) return answer;
      stop(t);
      thread = undefined;
      return { ok: false, problem: 'timeout', message: `did not return within ${opts.timeoutMs} ms` };
    },
    close() {
      if (thread) stop(thread);
      thread = undefined;
    },
  };
}

/**
 * Calls an assignor object in this thread. Exceptions are caught, but a call cannot be
 * interrupted: one that overran the limit is reported once it returns, and an endless one
 * hangs. An async assign cannot be awaited synchronously here; check such assignors by file.
 */
export function inThreadCallee(assignor: UserAssignor, opts: { timeoutMs: number }): Callee {
  const meta = claimsOf(assignor);
  if (typeof assignor.assign !== 'function') throw new AssignorLoadError('the assignor needs an `assign` function');
  return {
    meta,
    call(input: AssignInput): CallOutcome {
      const started = performance.now();
      try {
        const value: unknown = assignor.assign(structuredClone(input));
        const ms = performance.now() - started;
        if (value instanceof Promise || typeof (value as { then?: unknown } | null)?.then === 'function') {
          return {
            ok: false,
            problem: 'async',
            message: 'returned a Promise: check an async assignor by file, so that it runs in a worker thread',
          };
        }
        if (ms > opts.timeoutMs)
          return { ok: false, problem: 'timeout', message: `took ${Math.round(ms)} ms, over the ${opts.timeoutMs} ms limit` };
        return { ok: true, value, ms };
      } catch (e) {
        return { ok: false, problem: 'threw', message: `threw ${oneLine(e)}` };
      }
    },
    close() {},
  };
}

export function oneLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return text.split('\n')[0];
}
