import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { errorCodes } from '../../models/classic/messages.ts';
import { consumerErrorCodes } from '../../models/consumer-protocol/messages.ts';
import type { Model } from '../world/model.ts';
import type { MachineRunner } from '../world/runtime.ts';
import type { Choice, ChoiceKind, World } from '../world/types.ts';
import { choiceWeights } from './pick.ts';

// What a set of runs (random `check` or `explore`) reached, against everything the model
// could do: the machines' state nodes and transitions (each guarded candidate of each
// state x event, read from the XState definitions), the error codes, and the kinds of choice.
// The point is the list of what was never reached: what the runs did not test.

interface StateNodeLike {
  id: string;
  states: Record<string, StateNodeLike>;
  transitions: Map<string, Array<{ target?: ReadonlyArray<{ id: string }> }>>;
  always?: unknown[];
}

export interface CoverageSection {
  reached: number;
  total: number;
  missing: string[];
}

export interface CoverageReport {
  states: CoverageSection;
  transitions: CoverageSection;
  errors: CoverageSection;
  choices: CoverageSection;
}

type Guard = string | { type?: string; params?: unknown; guards?: Guard[]; name?: string } | ((...a: never[]) => unknown) | undefined;

/** A guard in words: `isFencedInstance`, `isTimer(poll)`, `answersJoin & isError`. */
function guardText(g: Guard): string {
  if (g === undefined) return 'otherwise';
  if (typeof g === 'string') return g;
  const inner = (g as { guards?: Guard[] }).guards;
  if (inner) return inner.map(guardText).join(' & ');
  const o = g as { type?: string; params?: unknown; name?: string };
  if (o.type) return o.params === undefined ? o.type : `${o.type}(${String(o.params)})`;
  return o.name || 'inline';
}

/** `machine:State` (the root is "any state"). */
const stateName = (name: string, machine: AnyStateMachine, id: string): string =>
  `${name}:${id === machine.id ? '(any state)' : id.slice(machine.id.length + 1)}`;

/** `machine:State Event#i [guard]`: the i-th candidate of that state for that event. */
const transitionName = (name: string, machine: AnyStateMachine, id: string, event: string, i: number, guard: Guard): string =>
  `${stateName(name, machine, id)} ${event}#${i + 1} [${guardText(guard)}]`;

/** Every state node and every transition candidate of a machine. */
function inventory(name: string, machine: AnyStateMachine): { states: string[]; transitions: string[] } {
  const states: string[] = [];
  const transitions: string[] = [];
  const walk = (node: StateNodeLike) => {
    if (node !== (machine.root as unknown)) states.push(stateName(name, machine, node.id));
    for (const [event, candidates] of node.transitions)
      candidates.forEach((t, i) => transitions.push(transitionName(name, machine, node.id, event, i, (t as { guard?: Guard }).guard)));
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(machine.root as unknown as StateNodeLike);
  return { states, transitions };
}

/**
 * The model's families with the prefix their machines' names get: none for one family
 * (`coordinator:Stable`), the family's for a migration run's two (`classic-coordinator:Stable`,
 * `consumer-coordinator:Stable`), whose machines share state names.
 */
function familiesOf(model: Model): Array<readonly [string, Model]> {
  if (!model.byFamily) return [['', model]];
  return [
    ['classic-', model.byFamily.classic],
    ['consumer-', model.byFamily.consumer],
  ];
}

export class Coverage {
  private reached = { states: new Set<string>(), transitions: new Set<string>(), errors: new Set<string>(), choices: new Set<string>() };
  private all: { states: string[]; transitions: string[]; errors: string[]; choices: string[] };

  /** The model's machines (both families' in a migration run), and their families' error codes. */
  constructor(model: Model) {
    const families = familiesOf(model);
    const states: string[] = [];
    const transitions: string[] = [];
    const errors = new Set<string>();
    for (const [prefix, m] of families) {
      for (const [name, machine] of [
        [`${prefix}coordinator`, m.machines.coordinator],
        [`${prefix}consumer`, m.machines.consumer],
      ] as const) {
        const inv = inventory(name, machine);
        states.push(...inv.states);
        transitions.push(...inv.transitions);
      }
      for (const e of m.family === 'consumer' ? consumerErrorCodes : errorCodes) errors.add(e);
    }
    this.all = { states, transitions, errors: [...errors], choices: Object.keys(choiceWeights) as ChoiceKind[] };
  }

  /** The model with its runners wrapped to record which transition each event took. */
  wrap(model: Model): Model {
    const wrapped = familiesOf(model).map(
      ([prefix, m]): Model => ({
        ...m,
        coordinator: this.recording(`${prefix}coordinator`, m.machines.coordinator, m.coordinator),
        consumer: this.recording(`${prefix}consumer`, m.machines.consumer, m.consumer),
      }),
    );
    if (!model.byFamily) return wrapped[0];
    const [classic, consumer] = wrapped;
    const start = model.family === 'classic' ? classic : consumer;
    return { ...start, byFamily: { classic, consumer } };
  }

  private recording(name: string, machine: AnyStateMachine, runner: MachineRunner): MachineRunner {
    const seen = this.reached;
    return {
      initial: (input) => {
        const r = runner.initial(input);
        // The initial state may be transient (Loading): it is entered before the eventless move.
        for (const t of (machine.root as unknown as { initial?: { target: ReadonlyArray<{ id: string }> } }).initial?.target ?? [])
          seen.states.add(stateName(name, machine, t.id));
        seen.states.add(stateName(name, machine, `${machine.id}.${String(r[0].value)}`));
        return r;
      },
      send: (snapshot: AnyMachineSnapshot, event) => {
        for (const t of machine.getTransitionData(snapshot as never, event as never) as unknown as Array<{
          source: StateNodeLike;
          eventType: string;
          guard?: Guard;
          target?: ReadonlyArray<{ id: string }>;
        }>) {
          const i = t.source.transitions.get(t.eventType)?.indexOf(t as never) ?? -1;
          seen.transitions.add(transitionName(name, machine, t.source.id, t.eventType, i, t.guard));
          // Transient states (left at once by an eventless transition) show only as targets.
          for (const target of t.target ?? []) seen.states.add(stateName(name, machine, target.id));
        }
        const r = runner.send(snapshot, event);
        seen.states.add(stateName(name, machine, `${machine.id}.${String(r[0].value)}`));
        return r;
      },
    };
  }

  /** Records one step: its kind of choice and the error codes of the responses it sent. */
  observe = (_before: World, choice: Choice, after: World): void => {
    this.reached.choices.add(choice.kind);
    for (const m of after.sent) {
      const error = (m.body as { error?: string }).error;
      if (error !== undefined) this.reached.errors.add(error);
    }
  };

  /** Adds what another collector reached (shards, workers). */
  merge(items: string[][]): void {
    const [s, t, e, c] = items;
    for (const x of s) this.reached.states.add(x);
    for (const x of t) this.reached.transitions.add(x);
    for (const x of e) this.reached.errors.add(x);
    for (const x of c) this.reached.choices.add(x);
  }

  reachedItems(): string[][] {
    return [[...this.reached.states], [...this.reached.transitions], [...this.reached.errors], [...this.reached.choices]];
  }

  report(): CoverageReport {
    const section = (all: string[], got: Set<string>): CoverageSection => ({
      reached: all.filter((x) => got.has(x)).length,
      total: all.length,
      missing: all.filter((x) => !got.has(x)),
    });
    return {
      states: section(this.all.states, this.reached.states),
      transitions: section(this.all.transitions, this.reached.transitions),
      errors: section(this.all.errors, this.reached.errors),
      choices: section(this.all.choices, this.reached.choices),
    };
  }
}

/** Prints the report: reached/total per section, then what was never reached. */
export function formatCoverage(r: CoverageReport): string[] {
  const pct = (s: CoverageSection) => `${s.reached}/${s.total} (${Math.round((100 * s.reached) / Math.max(1, s.total))}%)`;
  const lines = [
    `coverage: machine states ${pct(r.states)}, transitions ${pct(r.transitions)}, error codes ${pct(r.errors)}, choice kinds ${pct(r.choices)}`,
  ];
  const names = { states: 'machine states', transitions: 'transitions', errors: 'error codes', choices: 'choice kinds' } as const;
  for (const k of ['states', 'transitions', 'errors', 'choices'] as const) {
    if (r[k].missing.length > 0) lines.push(`  never reached ${names[k]} (${r[k].missing.length}): ${r[k].missing.join(', ')}`);
  }
  return lines;
}
