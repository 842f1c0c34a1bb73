import { builtinAssignors } from '../../models/assignors/index.ts';
import { sortedMembers, type Assignor, type AssignInput, type AssignOutput } from '../../models/assignors/types.ts';
import { serverAssignors, type ServerAssignInput, type ServerAssignor } from '../../models/consumer-protocol/assignors.ts';
import type { TopicPartition } from '../../models/types.ts';

// Mutation operators of the built-in assignors: each wraps the real assignor and changes its
// input (what it is told) or its output (what it decides), never its code.

type Out = Record<string, TopicPartition[]>;

/** Members in the assignor's own order, the partitions of an output in a stable order. */
const flat = (out: Out, ids: string[]) => ids.flatMap((m) => out[m] ?? []);

/** Output operators, shared by client-side and server-side assignors (`ids` in Kafka's order). */
const outputOps: Record<string, { description: string; apply: (out: Out, ids: string[], claims: Record<string, string[]>) => Out }> = {
  'rotate-members': {
    description: 'each member gets the assignment computed for the next member (the member order shifted by one)',
    apply: (out, ids) => (ids.length < 2 ? out : Object.fromEntries(ids.map((m, i) => [m, out[ids[(i + 1) % ids.length]] ?? []]))),
  },
  'drop-partition': {
    description: 'the last partition of the assignment is given to nobody',
    apply: (out, ids) => {
      const last = flat(out, ids).at(-1);
      return Object.fromEntries(ids.map((m) => [m, (out[m] ?? []).filter((p) => p !== last)]));
    },
  },
  'duplicate-partition': {
    description: "the first member's first partition is also given to the last member",
    apply: (out, ids) => {
      const first = (out[ids[0]] ?? [])[0];
      const last = ids.at(-1)!;
      if (ids.length < 2 || first === undefined || out[last]?.includes(first)) return out;
      return { ...out, [last]: [...(out[last] ?? []), first] };
    },
  },
  'contested-to-both': {
    description: 'a partition that one member held and another is now given stays with the old holder too',
    apply: (out, ids, claims) => {
      const res: Out = Object.fromEntries(ids.map((m) => [m, [...(out[m] ?? [])]]));
      for (const m of ids)
        for (const p of claims[m] ?? []) if (!res[m].includes(p) && ids.some((o) => o !== m && res[o].includes(p))) res[m].push(p);
      return res;
    },
  },
};

/** Input operators of client-side assignors (the subscriptions the leader passes in). */
const clientInputOps: Record<string, { description: string; apply: (input: AssignInput) => AssignInput }> = {
  'ignore-owned': {
    description: "the assignor is told that nobody owns anything (every subscription's ownedPartitions emptied)",
    apply: (input) => mapSubs(input, (s) => ({ ...s, ownedPartitions: [] })),
  },
  'ignore-generations': {
    description: 'the assignor is told no generation (every generationId -1), so stale claims cannot be told from current ones',
    apply: (input) => mapSubs(input, (s) => ({ ...s, generationId: -1 })),
  },
  'trust-every-claim': {
    description: 'every claim looks current: each generationId is raised to the newest one in the group',
    apply: (input) => {
      const newest = Math.max(-1, ...Object.values(input.subscriptions).map((s) => s.generationId));
      return mapSubs(input, (s) => ({ ...s, generationId: s.ownedPartitions.length > 0 ? newest : s.generationId }));
    },
  },
};

const mapSubs = (
  input: AssignInput,
  f: (s: AssignInput['subscriptions'][string]) => AssignInput['subscriptions'][string],
): AssignInput => ({
  ...input,
  subscriptions: Object.fromEntries(Object.entries(input.subscriptions).map(([m, s]) => [m, f(s)])),
});

/** Input operators of server-side assignors (the coordinator passes the previous target). */
const serverInputOps: Record<string, { description: string; apply: (input: ServerAssignInput) => ServerAssignInput }> = {
  'ignore-previous': {
    description: 'the assignor is not given the previous target assignment (it cannot be sticky)',
    apply: (input) => ({ ...input, previous: {} }),
  },
};

export interface AssignorMutantSpec {
  side: 'client' | 'server';
  assignor: string;
  op: string;
  description: string;
}

export function assignorMutantSpecs(): AssignorMutantSpec[] {
  const specs: AssignorMutantSpec[] = [];
  for (const name of Object.keys(builtinAssignors)) {
    for (const [op, o] of Object.entries(clientInputOps)) specs.push({ side: 'client', assignor: name, op, description: o.description });
    for (const [op, o] of Object.entries(outputOps)) specs.push({ side: 'client', assignor: name, op, description: o.description });
  }
  for (const name of Object.keys(serverAssignors)) {
    for (const [op, o] of Object.entries(serverInputOps)) specs.push({ side: 'server', assignor: name, op, description: o.description });
    for (const [op, o] of Object.entries(outputOps)) specs.push({ side: 'server', assignor: name, op, description: o.description });
  }
  return specs;
}

/** The client-side assignor `name` changed by operator `op`; `onRun` is called on every assignment. */
export function mutateClientAssignor(name: string, op: string, onRun: () => void = () => {}): Assignor {
  const base = builtinAssignors[name];
  const input = clientInputOps[op];
  const output = outputOps[op];
  if (!base || (!input && !output)) throw new Error(`no client assignor mutant ${name}/${op}`);
  return {
    ...base,
    assign(given: AssignInput): AssignOutput {
      onRun();
      if (input) return base.assign(input.apply(given));
      const ids = sortedMembers(given.subscriptions);
      const claims = Object.fromEntries(ids.map((m) => [m, given.subscriptions[m].ownedPartitions]));
      return output.apply(base.assign(given), ids, claims);
    },
  };
}

/** The server-side (KIP-848) assignor `name` changed by operator `op`. */
export function mutateServerAssignor(name: string, op: string, onRun: () => void = () => {}): ServerAssignor {
  const base = serverAssignors[name];
  const input = serverInputOps[op];
  const output = outputOps[op];
  if (!base || (!input && !output)) throw new Error(`no server assignor mutant ${name}/${op}`);
  return {
    ...base,
    assign(given: ServerAssignInput) {
      onRun();
      if (input) return base.assign(input.apply(given));
      const ids = Object.keys(given.members).sort();
      return output.apply(base.assign(given), ids, given.previous);
    },
  };
}
