import { run, type RunResult, type Session } from '../run/run.ts';
import type { Choice, World } from '../world/types.ts';
import { enabled, initialWorld, step } from '../world/world.ts';
import { CounterexampleError } from './counterexample.ts';
import { describeRef, fromStored, toStored, type StoredChoice } from './meaning.ts';

/** Concrete choices -> choices by meaning, by re-walking the world they were made in. */
export function storeChoices(session: Session, choices: readonly Choice[]): StoredChoice[] {
  let w: World = initialWorld(session.config, session.model);
  return choices.map((c) => {
    const s = toStored(c, w);
    w = step(w, c, session.config, session.model);
    return s;
  });
}

/** Key order does not matter (a validated file may list fields in another order). */
const canonical = (c: Choice) => JSON.stringify(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : 1)));
const sameChoice = (a: Choice, b: Choice) => canonical(a) === canonical(b);

function describeStored(s: StoredChoice): string {
  if ('message' in s) return `${s.kind} ${describeRef(s.message)}`;
  if (s.kind === 'fire') return `timer ${s.target}.${s.timer}`;
  if (s.kind === 'addPartition') return `add a partition to ${s.topic}`;
  if (s.kind === 'createTopic') return `create topic ${s.topic}`;
  if (s.kind === 'failover') return 'coordinator failover';
  if (s.kind === 'expireOffsets') return 'offset retention passes: the coordinator expires offsets';
  if (s.kind === 'moveReplica') return `move ${s.partition}'s replica to the next rack`;
  return `${s.kind} ${s.client}`;
}

/**
 * Re-executes stored choices (then the fair schedule). A choice that does not apply to the
 * world any more (the model changed) is reported with its step, never silently skipped.
 */
export function replayStored(session: Session, stored: readonly StoredChoice[], file: string): { result: RunResult; choices: Choice[] } {
  const concrete: Choice[] = [];
  const result = run(session, (w) => (i) => {
    if (i >= stored.length) return undefined;
    const c = fromStored(stored[i], w);
    const why =
      typeof c === 'string' ? c : enabled(w, session.config).some((e) => sameChoice(e, c)) ? null : 'it is not possible in that state';
    if (why !== null) throw new CounterexampleError(`${file}: step ${i + 1} (${describeStored(stored[i])}) no longer applies: ${why}`);
    concrete.push(c as Choice);
    return c as Choice;
  });
  return { result, choices: concrete };
}
