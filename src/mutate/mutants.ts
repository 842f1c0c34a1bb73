import { builtinAssignors } from '../../models/assignors/index.ts';
import { UsageError } from '../core/errors.ts';
import { defineVariant, type Variant } from '../variants/variant.ts';
import type { Overrides } from '../world/model.ts';
import type { Protocol } from '../world/types.ts';
import { assignorMutantSpecs, mutateClientAssignor, mutateServerAssignor, type AssignorMutantSpec } from './assignor-mutants.ts';
import { comparisons } from './comparisons.ts';
import { assignFields } from './fields.ts';
import { implementations, machineIds, machineInfo, type MachineId } from './machines.ts';
import { mapPatches, skipAction, without, writesContext } from './patch.ts';

// The mutants: every one is a variant (named overrides through `machine.provide`, or a wrapped
// assignor), built from its id alone so that a worker thread, or a variant file, builds the same.
//
// Ids: `<machine>/<guard>/true|false|negate`, `<machine>/<action>/skip`,
// `<machine>/<action>/keep:<field>`, `<machine>/<guard>/cmp:<name>`,
// `assignor/<name>/<op>`, `server-assignor/<name>/<op>`.

export interface Mutant {
  id: string;
  /** What its score is counted under: a machine id, `assignor <name>` or `server-assignor <name>`. */
  group: string;
  operator: string;
  description: string;
  protocols: Protocol[];
  /** The assignors to run it with (assignor mutants: the mutated one). */
  assignors?: string[];
}

/** `send` is plumbing (it hands messages to the world), not a protocol decision: not mutated. */
const plumbing = new Set(['send']);

const guardOps = {
  true: 'guard forced true',
  false: 'guard forced false',
  negate: 'guard negated',
} as const;

/** Every mutant, in a fixed order: machines (guards, actions, fields, comparisons), then assignors. */
export function allMutants(): Mutant[] {
  const out: Mutant[] = [];
  const fields = assignFields();
  for (const m of machineIds) {
    const { protocols } = machineInfo(m);
    const impl = implementations(m);
    for (const g of Object.keys(impl.guards)) {
      for (const [op, what] of Object.entries(guardOps))
        out.push({ id: `${m}/${g}/${op}`, group: m, operator: `guard-${op}`, description: `${what}: ${g}`, protocols });
      for (const c of comparisons.filter((x) => x.machine === m && x.guard === g))
        out.push({ id: `${m}/${g}/cmp:${c.name}`, group: m, operator: 'comparison', description: c.description, protocols });
    }
    for (const a of Object.keys(impl.actions)) {
      if (plumbing.has(a)) continue;
      out.push({ id: `${m}/${a}/skip`, group: m, operator: 'action-skip', description: `action skipped: ${a}`, protocols });
      for (const f of fields[m][a] ?? [])
        out.push({
          id: `${m}/${a}/keep:${f}`,
          group: m,
          operator: 'assign-keep',
          description: `${a} leaves ${f} unchanged`,
          protocols,
        });
    }
  }
  for (const s of assignorMutantSpecs()) out.push(assignorMutant(s));
  return out;
}

/** The mutants whose id contains one of the patterns (all of them without any). */
export function selectMutants(all: Mutant[], only: string[] | undefined): Mutant[] {
  if (!only || only.length === 0) return all;
  const chosen = all.filter((m) => only.some((p) => m.id === p || m.id.includes(p)));
  const unmatched = only.filter((p) => !all.some((m) => m.id === p || m.id.includes(p)));
  if (unmatched.length > 0)
    throw new UsageError(`--only ${unmatched.join(',')} matches no mutant (ids look like classic-coordinator/bumpGeneration/skip)`);
  return chosen;
}

/** The mutant of an id, checked against the machines and assignors (without running the field discovery). */
export function parseMutant(id: string): Mutant | undefined {
  const [side, target, op, ...rest] = id.split('/');
  if (rest.length > 0 || op === undefined) return undefined;
  if (side === 'assignor' || side === 'server-assignor')
    return assignorMutantSpecs()
      .map((s) => assignorMutant(s))
      .find((m) => m.id === id);
  if (!(machineIds as readonly string[]).includes(side)) return undefined;
  const m = side as MachineId;
  const { protocols } = machineInfo(m);
  const impl = implementations(m);
  if (Object.hasOwn(impl.guards, target)) {
    if (op in guardOps)
      return { id, group: m, operator: `guard-${op}`, description: `${guardOps[op as keyof typeof guardOps]}: ${target}`, protocols };
    const c = comparisons.find((x) => x.machine === m && x.guard === target && `cmp:${x.name}` === op);
    return c && { id, group: m, operator: 'comparison', description: c.description, protocols };
  }
  if (!Object.hasOwn(impl.actions, target) || plumbing.has(target)) return undefined;
  if (op === 'skip') return { id, group: m, operator: 'action-skip', description: `action skipped: ${target}`, protocols };
  if (op.startsWith('keep:') && writesContext(impl.actions[target]))
    return { id, group: m, operator: 'assign-keep', description: `${target} leaves ${op.slice(5)} unchanged`, protocols };
  return undefined;
}

function assignorMutant(s: AssignorMutantSpec): Mutant {
  const side = s.side === 'client' ? 'assignor' : 'server-assignor';
  const protocols: Protocol[] = s.side === 'client' ? builtinAssignors[s.assignor].supportedProtocols : ['consumer'];
  return {
    id: `${side}/${s.assignor}/${s.op}`,
    group: `${side} ${s.assignor}`,
    operator: s.op,
    description: `${s.assignor}: ${s.description}`,
    protocols,
    assignors: [s.assignor],
  };
}

/**
 * The variant of mutant `id`. `onReach` is called whenever the mutated decision is evaluated
 * (the guard is asked, the action runs, the assignor assigns): how `mutate` tells a survivor
 * from a mutant that was never reached.
 */
export function mutantVariant(id: string, onReach: () => void = () => {}): Variant {
  const mutant = parseMutant(id);
  if (!mutant) throw new UsageError(`unknown mutant '${id}' (see: rebalance-check mutate --list)`);
  const [side, target, op] = id.split('/');
  const base = { name: `mutant:${id}`, description: `Mutant ${id}: ${mutant.description}.`, protocols: mutant.protocols };
  if (side === 'assignor') return defineVariant({ ...base, assignors: { [target]: mutateClientAssignor(target, op, onReach) } });
  if (side === 'server-assignor')
    return defineVariant({ ...base, serverAssignors: { [target]: mutateServerAssignor(target, op, onReach) } });
  const m = side as MachineId;
  const impl = implementations(m);
  const overrides: Overrides = {};
  if (mutant.operator.startsWith('guard-') || mutant.operator === 'comparison') {
    const original = impl.guards[target];
    const changed =
      op === 'true'
        ? () => true
        : op === 'false'
          ? () => false
          : op === 'negate'
            ? (...a: unknown[]) => !original(...a)
            : (comparisons.find((c) => c.machine === m && c.guard === target && `cmp:${c.name}` === op)!.guardImpl as (
                ...a: unknown[]
              ) => boolean);
    overrides.guards = {
      [target]: (...a: never[]) => {
        onReach();
        return changed(...a);
      },
    };
  } else {
    const action = op === 'skip' ? skipAction(onReach) : mapPatches(impl.actions[target], without(op.slice('keep:'.length)), onReach);
    overrides.actions = { [target]: action };
  }
  return defineVariant({ ...base, [machineInfo(m).slot]: overrides });
}
