// The package's public API: a plain list of re-exports.
export { checkAssignor, type AssignorReport, type CheckAssignorOptions, type PropertyResult } from './assignor-check/check.ts';
export { AssignorLoadError } from './assignor-check/claims.ts';
export type { AssignorClaims, UserAssignor } from './assignor-check/types.ts';
export type { Assignor, AssignInput, AssignOutput, MemberSubscription, RebalanceProtocol } from '../models/assignors/types.ts';
