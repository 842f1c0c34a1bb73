import type { AssignInput, AssignOutput } from '../../models/assignors/types.ts';
import type { Callee } from './types.ts';

/** The assignor gave no usable assignment: it threw, overran, or returned a bad shape. */
export class CallFailed extends Error {}

/** Calls through the callee and the output guard; a failed call throws CallFailed. */
export function assignVia(callee: Callee): (input: AssignInput) => AssignOutput {
  return (input) => {
    const r = callee.call(input);
    if (!r.ok) throw new CallFailed(r.message);
    const g = guardOutput(input, r.value);
    if ('problem' in g) throw new CallFailed(g.problem);
    return g.output;
  };
}

/**
 * Checks that what assign returned has the shape of an assignment for this input: an object
 * from known member ids to lists of `topic-partition` strings naming partitions that exist in
 * the metadata. Members left out get an empty assignment, as the group coordinator gives
 * members missing from the leader's SyncGroup. Duplicates, missing and unsubscribed partitions
 * are left to the properties. Returns the assignment, or what is wrong with it.
 */
export function guardOutput(input: AssignInput, value: unknown): { output: AssignOutput } | { problem: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { problem: `returned ${describe(value)}, not an object of member id -> partitions` };
  const output: AssignOutput = Object.fromEntries(Object.keys(input.subscriptions).map((m) => [m, []]));
  for (const [member, partitions] of Object.entries(value)) {
    if (!Object.hasOwn(input.subscriptions, member)) return { problem: `assigned partitions to unknown member ${JSON.stringify(member)}` };
    if (!Array.isArray(partitions)) return { problem: `returned ${describe(partitions)} for ${member}, not a list of partitions` };
    for (const p of partitions as unknown[]) {
      if (typeof p !== 'string' || !/^.+-(0|[1-9]\d*)$/.test(p))
        return { problem: `returned ${describe(p)} for ${member}, not a partition like "topic-0"` };
      const i = p.lastIndexOf('-');
      const count = Object.hasOwn(input.topics, p.slice(0, i)) ? input.topics[p.slice(0, i)] : undefined;
      if (count === undefined || Number(p.slice(i + 1)) >= count) return { problem: `assigned unknown partition ${p} to ${member}` };
    }
    output[member] = [...(partitions as string[])];
  }
  return { output };
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  const json = JSON.stringify(v);
  return json === undefined ? String(v) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
