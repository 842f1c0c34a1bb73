import type { AssignInput, AssignOutput, RebalanceProtocol } from '../../models/assignors/types.ts';

/**
 * What an assignor promises, checked only when claimed (the built-ins declare theirs):
 * `balance` with identical subscriptions (`global`: member partition counts differ by at most
 * one; `per-topic`: the same for each topic's subscribers, as range); `sticky`: members keep
 * their valid owned partitions as far as balance allows. COOPERATIVE support is claimed by
 * listing 'cooperative' in `supportedProtocols`.
 */
export interface AssignorClaims {
  supportedProtocols: RebalanceProtocol[];
  balance?: 'global' | 'per-topic';
  sticky?: boolean;
}

/**
 * An assignor as users write it: the model's `Assignor` shape, except that `assign` may return
 * a Promise (as kafkajs's assigners do) and `supportedProtocols` defaults to eager.
 */
export interface UserAssignor extends Partial<AssignorClaims> {
  name: string;
  assign(input: AssignInput): AssignOutput | Promise<AssignOutput>;
}

/** The name and claims of the assignor under check. */
export interface AssignorMeta extends AssignorClaims {
  name: string;
}

/** One call of the user's assign: its raw result, or why there is none. */
export type CallOutcome =
  | { ok: true; value: unknown; ms: number }
  | { ok: false; problem: 'threw' | 'timeout' | 'uncopyable' | 'async'; message: string };

/** Calls the user's assign synchronously, whatever it does; `close` frees what it holds. */
export interface Callee {
  meta: AssignorMeta;
  call(input: AssignInput): CallOutcome;
  close(): void;
}
