// Small helpers over the plain records (string-keyed objects) the models keep in their contexts.

/**
 * A copy of `rec` without the given keys, in the same key order as `{ ...rec }` with the keys
 * deleted. Spreading and then deleting makes V8 turn the copy into a slow dictionary-mode
 * object, which every later read of it pays for (timers are read at every step of a run); this
 * builds the copy with only the kept keys, so it stays a fast object. The result is always a
 * new object, as the spread was, so callers may keep treating it as their own.
 */
export function omit<T>(rec: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k in rec) if (!keys.includes(k)) out[k] = rec[k];
  return out;
}

/**
 * `a.join() === b.join()`, without building the two strings when the lists are the same element
 * by element (the common case: a subscription or an assignment compared with the one last sent).
 * Elements equal one by one join to equal strings; otherwise the strings decide, as before.
 */
export function sameJoined(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length === b.length) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (i === a.length) return true;
  }
  return a.join() === b.join();
}
