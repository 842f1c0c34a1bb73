import { and, not, or, stateIn, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { MachineRunner } from './runtime.ts';

// A compiled machine: the XState machine stays the description of the protocol (what users
// read and override with `provide`); this module reads its normalised state-node tree and its
// implementations (a variant's overrides included) once, and runs transitions with a small
// interpreter over plain data: no actor, no scope, one context copy per step at most (the first
// `assign` copies, later ones in the same step write into that copy), one snapshot object per
// step. It follows xstate 5's macrostep (SCXML) for the subset the machines use:
//
// - compound and atomic states (any depth), final states directly under the root;
// - `on` transitions with guards, targets (`reenter` included), `always` (eventless)
//   transitions, `entry`/`exit` actions, `initial` actions;
// - guards: named (with params), inline, `and`, `or`, `not`, `stateIn`;
// - actions: `assign`, `enqueueActions` (with `check`, `enqueue(name | {type, params})`,
//   `enqueue.assign`), and custom actions (returned in order, as xstate's `transition()` does);
//
// Anything else (parallel or history states, `after`, `invoke`, wildcard events, `raise`,
// `sendTo`, `emit`, `spawn`, `cancel`, `log`, nested final states, machine `output`) throws
// `Unsupported` while compiling, so `buildModel` falls back to xstate for that machine. Actions
// queued at run time by `enqueueActions` can only be checked when they run: an unsupported one
// throws there, naming itself. `src/world/compiled.test.ts` holds the result to xstate's own
// `transition()` for every machine and every catalogue variant.

export class Unsupported extends Error {}

/** An action xstate hands to the executor (a custom action), as `transition()` returns it. */
export interface Emitted {
  type: string;
  params: unknown;
}

type Ctx = Record<string, unknown>;
type Ev = { type: string; [k: string]: unknown };

/** The mutable record of one macrostep. */
interface Step {
  ctx: Ctx;
  /** ctx is a copy made in this step, so later assigns may write into it. */
  owned: boolean;
  /** Something assigned since the last microstep began (xstate: a new snapshot object). */
  assigned: boolean;
  ev: Ev;
  leaf: number;
  out: Emitted[];
}

type Guard = (ctx: Ctx, ev: Ev, leaf: number) => boolean;
type Action = (st: Step) => void;

interface NodeLike {
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  order: number;
  parent?: NodeLike;
  states: Record<string, NodeLike>;
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
  entry: unknown[];
  exit: unknown[];
  invoke: unknown[];
  after: unknown[];
  initial?: { target: NodeLike[]; actions: unknown[] };
  output?: unknown;
}
interface TransitionLike {
  source: NodeLike;
  target?: NodeLike[];
  guard?: unknown;
  actions: unknown[];
  reenter: boolean;
}

interface Node {
  sn: NodeLike;
  parent: number;
  entry: Action[];
  exit: Action[];
  always: Transition[];
  /** This node's own transitions by event type. */
  on: Map<string, Transition[]>;
}

interface Transition {
  source: number;
  target: number;
  reenter: boolean;
  guard: Guard | null;
  actions: Action[];
  /** Per active leaf: the precomputed effect (lazily built). */
  effects: Array<Effect | undefined>;
}

interface Effect {
  exit: Action[];
  actions: Action[];
  entry: Action[];
  leaf: number;
  /** A final state under the root is entered: the machine is done. */
  done: boolean;
}

/** What `enqueue.assign(...)` queues. */
class Assignment {
  constructor(readonly assignment: unknown) {}
}

/** A machine snapshot as the world reads it: value, context, status. */
class Snapshot {
  constructor(
    readonly value: unknown,
    readonly context: Ctx,
    readonly status: string,
    readonly leaf: number,
    readonly error?: unknown,
  ) {}
}

// xstate's higher-order guards, recognised by their check functions.
const checkOf = (g: unknown) => (g as { check: unknown }).check;
const checkAnd = checkOf(and([]));
const checkOr = checkOf(or([]));
const checkNot = checkOf(not(() => true));
const checkStateIn = checkOf(stateIn('x'));

const builtinType = (impl: unknown): string | undefined =>
  typeof impl === 'function' && 'resolve' in impl ? String((impl as { type?: string }).type) : undefined;

const describe = (x: unknown): string => (typeof x === 'string' ? x : typeof x === 'function' ? x.name || 'inline' : JSON.stringify(x));

/** Compiles one machine (its config and implementations, as `provide` left them). */
export function compileMachine(machine: AnyStateMachine): MachineRunner {
  const impl = machine.implementations as { guards: Record<string, unknown>; actions: Record<string, unknown> };
  const root = machine.root as unknown as NodeLike;
  const nodes: Node[] = [];
  const index = new Map<NodeLike, number>();
  const where = (sn: NodeLike) => `state '${sn.id}' of machine '${machine.id}'`;

  // ---- state nodes -----------------------------------------------------------------
  const visit = (sn: NodeLike, parent: number) => {
    if (sn.type === 'parallel' || sn.type === 'history') throw new Unsupported(`${sn.type} ${where(sn)}`);
    if (sn.invoke.length) throw new Unsupported(`invoke in ${where(sn)}`);
    if (sn.after.length) throw new Unsupported(`delayed (after) transitions in ${where(sn)}`);
    if (sn.type === 'final' && sn.parent !== root) throw new Unsupported(`final ${where(sn)} below the root`);
    if (sn.initial?.actions.length) throw new Unsupported(`initial actions in ${where(sn)}`);
    const i = nodes.length;
    index.set(sn, i);
    nodes.push({ sn, parent, entry: [], exit: [], always: [], on: new Map() });
    for (const child of Object.values(sn.states)) visit(child, i);
  };
  visit(root, -1);
  if (nodes.length === 1) throw new Unsupported(`machine '${machine.id}' without states`);
  if (root.output !== undefined) throw new Unsupported(`output of machine '${machine.id}'`);

  const isLeaf = (i: number) => nodes[i].sn.type === 'atomic' || nodes[i].sn.type === 'final';
  /** Strict ancestors, nearest first. */
  const ancestors = (i: number): number[] => {
    const out: number[] = [];
    for (let p = nodes[i].parent; p !== -1; p = nodes[p].parent) out.push(p);
    return out;
  };
  const isDescendant = (i: number, of: number) => ancestors(i).includes(of);
  /** The leaf a node's default entry ends in, and the nodes entered on the way (outside in). */
  const defaultEntry = (i: number): number[] => {
    const path = [i];
    while (!isLeaf(path[path.length - 1])) {
      const sn = nodes[path[path.length - 1]].sn;
      const first = sn.initial?.target[0];
      if (!first) throw new Unsupported(`compound ${where(sn)} without an initial state`);
      path.push(index.get(first)!);
    }
    return path;
  };
  const stateValueOf = (leaf: number): unknown => {
    const keys = [leaf, ...ancestors(leaf)]
      .reverse()
      .slice(1)
      .map((i) => nodes[i].sn.key);
    let v: unknown = keys[keys.length - 1];
    for (let k = keys.length - 2; k >= 0; k--) v = { [keys[k]]: v };
    return v;
  };
  const values = nodes.map((_, i) => (isLeaf(i) ? stateValueOf(i) : undefined));
  const leafOfValue = new Map<string, number>();
  nodes.forEach((_, i) => {
    if (isLeaf(i)) leafOfValue.set(JSON.stringify(values[i]), i);
  });

  // ---- guards --------------------------------------------------------------------------
  const guardOf = (g: unknown, at: string, depth = 0): Guard => {
    if (depth > 20) throw new Unsupported(`guard cycle at ${at}`);
    const inline = typeof g === 'function';
    const name = typeof g === 'string' ? g : inline ? undefined : (g as { type: string }).type;
    const resolved = inline ? g : impl.guards[name!];
    if (resolved === undefined) throw new Unsupported(`guard '${name}' is not implemented (${at})`);
    if (typeof resolved !== 'function') return guardOf(resolved, at, depth + 1);
    if ('check' in resolved) {
      const b = resolved as unknown as { guards?: unknown[]; stateValue?: unknown; check: unknown };
      const kind = b.check;
      if (kind === checkAnd) {
        const parts = b.guards!.map((x) => guardOf(x, at, depth + 1));
        return (c, e, l) => {
          for (const p of parts) if (!p(c, e, l)) return false;
          return true;
        };
      }
      if (kind === checkOr) {
        const parts = b.guards!.map((x) => guardOf(x, at, depth + 1));
        return (c, e, l) => {
          for (const p of parts) if (p(c, e, l)) return true;
          return false;
        };
      }
      if (kind === checkNot) {
        const inner = guardOf(b.guards![0], at, depth + 1);
        return (c, e, l) => !inner(c, e, l);
      }
      if (kind === checkStateIn) {
        const matching = stateInLeaves(b.stateValue);
        return (_c, _e, l) => matching[l];
      }
      throw new Unsupported(`a built-in guard other than and/or/not/stateIn (${at})`);
    }
    const fn = resolved as (args: { context: Ctx; event: Ev }, params: unknown) => boolean;
    const params = inline || typeof g === 'string' ? undefined : (g as { params?: unknown }).params;
    if (typeof params === 'function') return (context, event) => fn({ context, event }, params({ context, event }));
    return (context, event) => fn({ context, event }, params);
  };
  /** For each leaf: is the configuration it stands for in `stateValue`? */
  const stateInLeaves = (stateValue: unknown): boolean[] => {
    if (typeof stateValue === 'string' && stateValue.startsWith('#')) {
      const target = nodes.findIndex((n) => `#${n.sn.id}` === stateValue);
      if (target < 0) throw new Unsupported(`stateIn('${stateValue}'): no such state`);
      return nodes.map((_, l) => isLeaf(l) && (l === target || isDescendant(l, target)));
    }
    const path = typeof stateValue === 'string' ? stateValue.split('.') : flatten(stateValue);
    return nodes.map((_, l) => {
      if (!isLeaf(l)) return false;
      const keys = [l, ...ancestors(l)]
        .reverse()
        .slice(1)
        .map((i) => nodes[i].sn.key);
      return path.every((k, j) => keys[j] === k);
    });
  };
  const flatten = (v: unknown): string[] => {
    if (typeof v === 'string') return [v];
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length !== 1) throw new Unsupported('stateIn with a parallel state value');
    return [entries[0][0], ...flatten(entries[0][1])];
  };

  // ---- actions -------------------------------------------------------------------------
  const apply = (st: Step, partial: Ctx) => {
    if (st.owned) Object.assign(st.ctx, partial);
    else {
      st.ctx = Object.assign({}, st.ctx, partial);
      st.owned = true;
    }
    st.assigned = true;
  };
  /** xstate's assign: a function of (context, event) or an object of values and such functions. */
  const runAssign = (st: Step, assignment: unknown, p: unknown) => {
    if (typeof assignment === 'function') {
      apply(st, (assignment as (args: object, p: unknown) => Ctx)({ context: st.ctx, event: st.ev }, p));
      return;
    }
    const args = { context: st.ctx, event: st.ev };
    const partial: Ctx = {};
    for (const k in assignment as Ctx) {
      const v = (assignment as Ctx)[k];
      partial[k] = typeof v === 'function' ? v(args, p) : v;
    }
    apply(st, partial);
  };
  const assignAction =
    (assignment: unknown, params: (st: Step) => unknown): Action =>
    (st) =>
      runAssign(st, assignment, params(st));
  const checks = new Map<unknown, Guard>();
  const enqueueAction = (collect: (args: object, p: unknown) => void, params: (st: Step) => unknown, at: string): Action => {
    // One enqueue and one check function per action (not per call): they write to the queue
    // and read the step of the call under way.
    let queue: unknown[] = [];
    let current: Step | undefined;
    const refuse = (what: string) => () => {
      throw new Unsupported(`enqueue.${what} in ${at} is not supported by the compiled interpreter (use --interpreter xstate)`);
    };
    const enqueue = Object.assign(
      (a: unknown) => {
        queue.push(a);
      },
      {
        assign: (assignment: unknown) => queue.push(new Assignment(assignment)),
        cancel: refuse('cancel'),
        raise: refuse('raise'),
        sendTo: refuse('sendTo'),
        sendParent: refuse('sendParent'),
        spawnChild: refuse('spawnChild'),
        stopChild: refuse('stopChild'),
        emit: refuse('emit'),
      },
    );
    const check = (g: unknown) => {
      let c = checks.get(g);
      if (!c) checks.set(g, (c = guardOf(g, at)));
      return c(current!.ctx, current!.ev, current!.leaf);
    };
    return (st) => {
      const q: unknown[] = [];
      queue = q;
      current = st;
      // Queued actions run after the callback returns, each seeing the context as it is then.
      collect({ context: st.ctx, event: st.ev, enqueue, check, self: undefined, system: undefined }, params(st));
      for (const a of q) {
        if (a instanceof Assignment) runAssign(st, a.assignment, undefined);
        else runDynamic(st, a, at);
      }
    };
  };
  /** Actions queued at run time: names compiled once; objects (made per call) resolved in place. */
  const dynamic = new Map<unknown, Action>();
  const runDynamic = (st: Step, a: unknown, at: string) => {
    if (a !== null && typeof a === 'object') {
      const { type, params } = a as { type: string; params?: unknown };
      const resolved = impl.actions[type];
      if (builtinType(resolved) === undefined) {
        st.out.push({ type, params: typeof params === 'function' ? params({ context: st.ctx, event: st.ev }) : params });
        return;
      }
    }
    let c = dynamic.get(a);
    if (!c) {
      c = actionOf(a, at);
      if (typeof a !== 'object') dynamic.set(a, c);
    }
    c(st);
  };
  const actionOf = (a: unknown, at: string): Action => {
    const inline = typeof a === 'function';
    const type = typeof a === 'string' ? a : inline ? undefined : (a as { type: string }).type;
    const resolved = inline ? a : impl.actions[type!];
    const rawParams = inline || typeof a === 'string' ? undefined : (a as { params?: unknown }).params;
    const params: (st: Step) => unknown =
      typeof rawParams === 'function' ? (st) => (rawParams as (x: object) => unknown)({ context: st.ctx, event: st.ev }) : () => rawParams;
    const builtin = builtinType(resolved);
    if (builtin === undefined) {
      // A custom action: xstate hands it to the executor; the world reads `send` ones.
      const name = typeof a === 'string' ? a : inline ? (a as { name?: string }).name || '(anonymous)' : type!;
      return (st) => {
        st.out.push({ type: name, params: params(st) });
      };
    }
    if (builtin === 'xstate.assign') return assignAction((resolved as { assignment: unknown }).assignment, params);
    if (builtin === 'xstate.enqueueActions')
      return enqueueAction((resolved as unknown as { collect: (args: object, p: unknown) => void }).collect, params, at);
    throw new Unsupported(`action ${builtin} (${describe(type ?? a)}) in ${at}`);
  };
  const actionsOf = (list: unknown[], at: string): Action[] => list.map((a) => actionOf(a, at));

  // ---- transitions ---------------------------------------------------------------------
  const transitionOf = (t: TransitionLike, at: string): Transition => {
    if (t.target && t.target.length > 1) throw new Unsupported(`several targets at ${at}`);
    const target = t.target?.length ? index.get(t.target[0])! : -1;
    return {
      source: index.get(t.source)!,
      target,
      reenter: t.reenter,
      guard: t.guard === undefined ? null : guardOf(t.guard, at),
      actions: actionsOf(t.actions, at),
      effects: [],
    };
  };
  nodes.forEach((n) => {
    const at = where(n.sn);
    n.entry = actionsOf(n.sn.entry, `entry of ${at}`);
    n.exit = actionsOf(n.sn.exit, `exit of ${at}`);
    n.always = (n.sn.always ?? []).map((t) => transitionOf(t, `always of ${at}`));
    for (const [event, ts] of n.sn.transitions) {
      if (event.includes('*') || event.startsWith('xstate.')) throw new Unsupported(`event descriptor '${event}' in ${at}`);
      n.on.set(
        event,
        ts.map((t) => transitionOf(t, `${event} in ${at}`)),
      );
    }
  });

  /** The transition's exit set, actions and entry set when `leaf` is active (xstate's microstep). */
  const effectOf = (t: Transition, leaf: number): Effect => {
    if (t.target === -1) return { exit: [], actions: t.actions, entry: [], leaf, done: false };
    const s = t.source;
    const tg = t.target;
    // getTransitionDomain
    let domain: number;
    if (!t.reenter && (tg === s || isDescendant(tg, s))) domain = s;
    else {
      const lca = ancestors(tg).find((a) => isDescendant(s, a));
      domain = lca ?? (t.reenter ? -1 : 0);
    }
    const inDomain = (i: number) => domain === -1 || isDescendant(i, domain);
    const active = [leaf, ...ancestors(leaf)];
    const exit = active.filter((i) => inDomain(i) || (t.reenter && s === domain && i === domain));
    exit.sort((a, b) => nodes[b].sn.order - nodes[a].sn.order);
    const enter = new Set<number>();
    if (tg !== s || s !== domain || t.reenter) enter.add(tg);
    const below = defaultEntry(tg);
    for (const i of below.slice(1)) enter.add(i);
    for (const a of ancestors(tg)) {
      if (a === domain) break;
      enter.add(a);
    }
    const entered = [...enter].sort((a, b) => nodes[a].sn.order - nodes[b].sn.order);
    const newLeaf = below[below.length - 1];
    return {
      exit: exit.flatMap((i) => nodes[i].exit),
      actions: t.actions,
      entry: entered.flatMap((i) => nodes[i].entry),
      leaf: newLeaf,
      done: entered.some((i) => nodes[i].sn.type === 'final'),
    };
  };
  // For each leaf, the candidates per event: the leaf's own first, then each ancestor's (xstate
  // tries a node's parent only when none of the node's transitions is enabled).
  const candidates: Array<Map<string, Transition[]>> = nodes.map((_, l) => {
    const m = new Map<string, Transition[]>();
    if (!isLeaf(l)) return m;
    for (const i of [l, ...ancestors(l)])
      for (const [e, ts] of nodes[i].on) {
        const list = m.get(e) ?? [];
        list.push(...ts);
        m.set(e, list);
      }
    return m;
  });
  const eventless: Transition[][] = nodes.map((_, l) => (isLeaf(l) ? [l, ...ancestors(l)].flatMap((i) => nodes[i].always) : []));
  /** All final states' exit actions run once the machine is done (xstate: on entering a top final state). */
  const runAll = (list: Action[], st: Step) => {
    for (let i = 0; i < list.length; i++) list[i](st);
  };

  /** One microstep; returns whether the machine is done. */
  const microstep = (t: Transition, st: Step): boolean => {
    let e = t.effects[st.leaf];
    if (!e) e = t.effects[st.leaf] = effectOf(t, st.leaf);
    runAll(e.exit, st);
    runAll(e.actions, st);
    st.leaf = e.leaf;
    runAll(e.entry, st);
    if (e.done) {
      // xstate runs every active node's exit actions, innermost first, when the machine is done.
      for (const i of [e.leaf, ...ancestors(e.leaf)]) runAll(nodes[i].exit, st);
      return true;
    }
    return false;
  };

  /** The eventless loop that ends every macrostep (xstate's macrostep). */
  const settle = (st: Step, done: boolean, status: string = 'active'): Snapshot => {
    let select = true;
    while (!done && select) {
      const list = eventless[st.leaf];
      let chosen: Transition | undefined;
      for (const t of list)
        if (t.guard === null || t.guard(st.ctx, st.ev, st.leaf)) {
          chosen = t;
          break;
        }
      if (!chosen) break;
      const before = st.leaf;
      st.assigned = false;
      done = microstep(chosen, st);
      // xstate selects eventless transitions again only if the microstep changed the snapshot.
      select = st.assigned || st.leaf !== before;
    }
    return new MachineSnapshot(values[st.leaf], st.ctx, done ? 'done' : status, st.leaf);
  };

  const leafOf = (snap: AnyMachineSnapshot): number => {
    if (snap instanceof Snapshot) return snap.leaf;
    const l = leafOfValue.get(JSON.stringify(snap.value));
    if (l === undefined) throw new Error(`compiled ${machine.id}: unknown state value ${JSON.stringify(snap.value)}`);
    return l;
  };

  // Snapshots carry what xstate's getTransitionData needs (coverage reads transitions with it).
  class MachineSnapshot extends Snapshot {}
  Object.defineProperties(MachineSnapshot.prototype, {
    machine: { value: machine },
    _nodes: {
      get(this: Snapshot) {
        return [this.leaf, ...ancestors(this.leaf)].reverse().map((i) => nodes[i].sn);
      },
    },
    matches: {
      value(this: Snapshot, v: unknown) {
        return stateInLeaves(v)[this.leaf];
      },
    },
  });

  const initialPath = defaultEntry(0);
  const initialEntry = initialPath.flatMap((i) => nodes[i].entry);
  const contextConfig = (machine.config as { context?: unknown }).context;

  const runner: CompiledRunner = {
    initialFull(input) {
      const ev: Ev = { type: 'xstate.init', input };
      const out: Emitted[] = [];
      let ctx: Ctx;
      try {
        ctx =
          typeof contextConfig === 'function'
            ? Object.assign({}, contextConfig({ spawn: undefined, input, self: undefined }))
            : Object.assign({}, (contextConfig as Ctx | undefined) ?? {});
      } catch (error) {
        return [new MachineSnapshot(undefined, {}, 'error', 0, error) as never, out];
      }
      const st: Step = {
        ctx,
        owned: typeof contextConfig === 'function',
        assigned: false,
        ev,
        leaf: initialPath[initialPath.length - 1],
        out,
      };
      try {
        runAll(initialEntry, st);
        const done = nodes[st.leaf].sn.type === 'final';
        if (done) for (const i of [st.leaf, ...ancestors(st.leaf)]) runAll(nodes[i].exit, st);
        return [settle(st, done) as never, out];
      } catch (error) {
        if (error instanceof Unsupported) throw error;
        // xstate's getInitialSnapshot: an error while starting is an error snapshot.
        return [new MachineSnapshot(stateValueOf(initialPath[initialPath.length - 1]), st.ctx, 'error', st.leaf, error) as never, out];
      }
    },
    sendFull(snapshot, event) {
      const leaf = leafOf(snapshot);
      const out: Emitted[] = [];
      const st: Step = { ctx: snapshot.context, owned: false, assigned: false, ev: event as Ev, leaf, out };
      const list = candidates[leaf].get(event.type);
      // xstate's macrostep runs the eventless loop only while the machine is active.
      let done = snapshot.status !== 'active';
      if (list !== undefined)
        for (const t of list)
          if (t.guard === null || t.guard(st.ctx, st.ev, leaf)) {
            done = microstep(t, st);
            break;
          }
      const next = settle(st, done, snapshot.status);
      // Nothing changed: the same snapshot object, as xstate returns (identity caches rely on it).
      if (st.ctx === snapshot.context && next.leaf === leaf && next.status === snapshot.status) return [snapshot, out];
      return [next as never, out];
    },
    initial(input) {
      const [s, out] = runner.initialFull(input);
      return [s, sendsOf(out)];
    },
    send(snapshot, event) {
      const [s, out] = runner.sendFull(snapshot, event);
      return [s, sendsOf(out)];
    },
  };
  return runner;
}

const sendsOf = (out: Emitted[]): unknown[] => {
  const sends: unknown[] = [];
  for (const a of out) if (a.type === 'send') sends.push(a.params);
  return sends;
};

/** A compiled machine's runner, with every emitted custom action for the equivalence test. */
export interface CompiledRunner extends MachineRunner {
  initialFull(input: unknown): [AnyMachineSnapshot, Emitted[]];
  sendFull(snapshot: AnyMachineSnapshot, event: { type: string }): [AnyMachineSnapshot, Emitted[]];
}
