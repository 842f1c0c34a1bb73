import { isDeepStrictEqual } from 'node:util';
import seedrandom from 'seedrandom';
import {
  assign,
  createMachine,
  enqueueActions,
  initialTransition,
  raise,
  setup,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
} from 'xstate';
import { describe, expect, it } from 'vitest';
import { allFaults, worldConfig } from '../run/config.ts';
import { runPicks, type Session } from '../run/run.ts';
import { catalogue } from '../variants/catalogue.ts';
import type { Variant } from '../variants/variant.ts';
import { compileMachine, Unsupported, type CompiledRunner } from './compiled.ts';
import { buildModel, fallbacks, type Model } from './model.ts';
import type { MachineRunner } from './runtime.ts';
import { startFamily, type Migration, type Protocol } from './types.ts';

// The compiled interpreter against xstate's own transition(), in lockstep: the world is driven
// by random runs with every fault on (long event streams a machine really meets, with the
// fair schedule after them), and every machine call is made twice, once per interpreter. The
// next state value, status and context must be deep-equal, and the custom actions emitted
// (the `send`s the world reads, and any other) the same, in order.

interface Mismatch {
  machine: string;
  event: unknown;
  what: string;
  xstate: unknown;
  compiled: unknown;
}

const actionsOf = (actions: ReadonlyArray<{ type: string; params?: unknown }>) => actions.map((a) => ({ type: a.type, params: a.params }));

function lockstep(machine: AnyStateMachine, mismatches: Mismatch[], counter: { calls: number }): MachineRunner {
  const compiled = compileMachine(machine) as CompiledRunner;
  const twin = new WeakMap<AnyMachineSnapshot, AnyMachineSnapshot>();
  const compare = (event: unknown, x: [AnyMachineSnapshot, unknown[]], c: [AnyMachineSnapshot, unknown[]]) => {
    counter.calls++;
    const [xs, xa] = x;
    const [cs, ca] = c;
    for (const [what, a, b] of [
      ['value', xs.value, cs.value],
      ['status', xs.status, cs.status],
      ['context', xs.context, cs.context],
      ['actions', actionsOf(xa as never), ca],
    ] as const)
      if (!isDeepStrictEqual(a, b) && mismatches.length < 5) mismatches.push({ machine: machine.id, event, what, xstate: a, compiled: b });
    twin.set(cs, xs);
  };
  const sends = (out: Array<{ type: string; params: unknown }>) => out.filter((a) => a.type === 'send').map((a) => a.params);
  return {
    initial(input) {
      const x = initialTransition(machine, input as never) as unknown as [AnyMachineSnapshot, unknown[]];
      const c = compiled.initialFull(input);
      compare({ type: 'xstate.init' }, x, c);
      return [c[0], sends(c[1])];
    },
    send(snapshot, event) {
      const xs = twin.get(snapshot);
      if (!xs) throw new Error('lockstep: a snapshot the compiled runner did not make');
      const x = transition(machine, xs as never, event as never) as unknown as [AnyMachineSnapshot, unknown[]];
      const c = compiled.sendFull(snapshot, event);
      // Unchanged means the same object in both (the explorer's identity caches rely on it).
      if ((x[0] === xs) !== (c[0] === snapshot) && mismatches.length < 5)
        mismatches.push({ machine: machine.id, event, what: 'identity', xstate: x[0] === xs, compiled: c[0] === snapshot });
      compare(event, x, c);
      return [c[0], sends(c[1])];
    },
  };
}

/** Random runs of one (variant, protocol) through lockstep runners; returns the mismatches found. */
function runLockstep(variant: Variant | undefined, p: Protocol, runs: number, steps: number, seed: string, migration?: Migration) {
  // A migration (the run's or its variant's) names the classic side as its protocol.
  const protocol = (migration ?? variant?.settings?.migration) && p === 'consumer' ? 'cooperative' : p;
  const assignor = protocol === 'consumer' ? 'uniform' : protocol === 'eager' ? 'range' : 'cooperative-sticky';
  const config = worldConfig({ protocol, assignor, members: 3, partitions: 4, faults: allFaults, variant, migration });
  const base: Model = buildModel(variant, 'fast', startFamily(config), Boolean(config.migration));
  const mismatches: Mismatch[] = [];
  const counter = { calls: 0 };
  const wrap = (m: Model): Model => ({
    ...m,
    coordinator: lockstep(m.machines.coordinator, mismatches, counter),
    consumer: lockstep(m.machines.consumer, mismatches, counter),
  });
  const model: Model = base.byFamily
    ? { ...wrap(base), byFamily: { classic: wrap(base.byFamily.classic), consumer: wrap(base.byFamily.consumer) } }
    : wrap(base);
  // No invariants: a broken variant's violation would end its runs early; the fair schedule
  // still runs after the random steps.
  const s: Session = { config, model, invariants: [], liveness: true };
  const rng = seedrandom(seed);
  for (let r = 0; r < runs && mismatches.length === 0; r++)
    runPicks(
      s,
      Array.from({ length: steps }, () => Math.floor(rng() * 0x7fffffff)),
    );
  return { mismatches, calls: counter.calls };
}

// LOCKSTEP_RUNS=n multiplies the runs (the default keeps npm test short).
const scale = Number(process.env.LOCKSTEP_RUNS ?? 1);

describe('compiled machines equal xstate transition()', () => {
  for (const protocol of ['eager', 'cooperative', 'consumer'] as const)
    it(`the ${protocol} machines on long random runs`, () => {
      const { mismatches, calls } = runLockstep(undefined, protocol, 16 * scale, 200, `base-${protocol}`);
      expect(mismatches).toEqual([]);
      expect(calls).toBeGreaterThan(2000);
    });

  // Mixed groups: both families' machines in one run, the group converted between them.
  for (const migration of ['upgrade', 'downgrade'] as const)
    for (const protocol of ['eager', 'cooperative'] as const)
      it(`the machines of a ${migration} migration (${protocol}) on long random runs`, () => {
        const { mismatches, calls } = runLockstep(undefined, protocol, 16 * scale, 200, `migration-${migration}-${protocol}`, migration);
        expect(mismatches).toEqual([]);
        expect(calls).toBeGreaterThan(2000);
      });

  // A variant runs on the protocols whose machines or assignors it changes.
  const names = (family: 'classic' | 'consumer') => {
    const m = buildModel({}, 'fast', family).machines;
    const impl = (x: AnyStateMachine) => x.implementations as { guards: object; actions: object };
    return new Set([m.coordinator, m.consumer].flatMap((x) => [...Object.keys(impl(x).guards), ...Object.keys(impl(x).actions)]));
  };
  const known = { classic: names('classic'), consumer: names('consumer') };
  const touches = (v: Variant, family: 'classic' | 'consumer') =>
    (family === 'classic' ? v.assignors : v.serverAssignors) !== undefined ||
    [v.coordinator, v.consumer].some(
      (o) => o && [...Object.keys(o.guards ?? {}), ...Object.keys(o.actions ?? {})].some((n) => known[family].has(n)),
    );
  for (const variant of catalogue) {
    const protocols: Protocol[] = [
      ...(touches(variant, 'classic') ? (['eager', 'cooperative'] as const) : []),
      ...(touches(variant, 'consumer') ? (['consumer'] as const) : []),
    ];
    if (protocols.length === 0) protocols.push('cooperative');
    it(`variant ${variant.name} (${protocols.join(', ')})`, () => {
      for (const protocol of protocols) {
        const { mismatches, calls } = runLockstep(variant, protocol, 2 * scale, 150, `${variant.name}-${protocol}`);
        expect(mismatches).toEqual([]);
        expect(calls).toBeGreaterThan(150);
      }
    });
  }

  it('every machine of every variant compiles (none falls back to xstate)', () => {
    fallbacks.clear();
    for (const variant of [undefined, ...catalogue])
      for (const family of ['classic', 'consumer'] as const) buildModel(variant, 'compiled', family);
    expect([...fallbacks]).toEqual([]);
  });
});

describe('the compiled interpreter refuses what it does not support', () => {
  it('parallel states, delayed transitions and raise fail at build time; buildModel falls back to xstate', () => {
    const parallel = createMachine({ id: 'p', type: 'parallel', states: { a: {}, b: {} } });
    const delayed = createMachine({ id: 'd', initial: 'a', states: { a: { after: { 10: 'b' } }, b: {} } });
    const raising = createMachine({ id: 'r', initial: 'a', states: { a: { on: { GO: { actions: raise({ type: 'X' }) } } } } });
    for (const m of [parallel, delayed, raising]) expect(() => compileMachine(m)).toThrow(Unsupported);
    fallbacks.clear();
    buildModel({ coordinator: { actions: { clearTimer: raise({ type: 'X' }) as never } } }, 'compiled', 'classic');
    expect([...fallbacks.keys()]).toEqual(['group']);
  });

  it('an action enqueued at run time that it does not support throws, naming it', () => {
    const m = setup({}).createMachine({
      id: 'q',
      initial: 'a',
      context: { n: 0 },
      states: {
        a: {
          on: {
            GO: { actions: enqueueActions(({ enqueue }) => enqueue.raise({ type: 'X' })) },
            INC: { actions: assign(({ context }) => ({ n: context.n + 1 })) },
          },
        },
      },
    });
    const r = compileMachine(m);
    const [s0] = r.initial(undefined);
    const [s1] = r.send(s0, { type: 'INC' });
    expect(s1.context).toEqual({ n: 1 });
    expect(s0.context).toEqual({ n: 0 });
    expect(() => r.send(s1, { type: 'GO' })).toThrow(/enqueue.raise/);
  });
});
