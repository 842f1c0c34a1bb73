// The package's public API (`import { defineVariant, checkAssignor } from 'rebalance-check'`): plain re-exports.

export { defineVariant, isVariant } from './variants/variant.ts';
export type { Variant, VariantInput, VariantSettings } from './variants/variant.ts';
export type { Overrides } from './world/model.ts';
export type { Assignor, AssignInput, AssignOutput, MemberSubscription, RebalanceProtocol } from '../models/assignors/types.ts';
export type { TimerSettings } from '../models/types.ts';
export type { FaultSettings, Protocol } from './world/types.ts';
export { assign, enqueueActions } from 'xstate';
export { checkAssignor, type AssignorReport, type CheckAssignorOptions, type PropertyResult } from './assignor-check/check.ts';
export { AssignorLoadError } from './assignor-check/claims.ts';
export type { AssignorClaims, UserAssignor } from './assignor-check/types.ts';
export { mutantVariant } from './mutate/mutants.ts';
