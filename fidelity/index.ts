import { Divergence, type FidelityCase, type NotPorted } from './case.ts';
import { classicCases } from './classic.ts';
import { consumerCoordinatorCases } from './consumer-coordinator.ts';
import { clientAssignorCases, clientAssignorsNotPorted } from './client-assignors.ts';
import { rackAssignorCases, rackAssignorsNotPorted } from './rack-assignors.ts';
import { reconciliationCases, reconciliationNotPorted } from './reconciliation.ts';
import { serverAssignorCases, serverAssignorsNotPorted } from './server-assignors.ts';

export type { FidelityCase, NotPorted } from './case.ts';

/** Every ported case, by area. */
export const fidelityCases: FidelityCase[] = [
  ...clientAssignorCases,
  ...rackAssignorCases,
  ...serverAssignorCases,
  ...reconciliationCases,
  ...consumerCoordinatorCases,
  ...classicCases,
];

/** Kafka tests in the covered classes that are not ported, with the reason. */
export const notPorted: NotPorted[] = [
  ...clientAssignorsNotPorted,
  ...rackAssignorsNotPorted,
  ...serverAssignorsNotPorted,
  ...reconciliationNotPorted,
];

export interface CaseResult {
  c: FidelityCase;
  /** The divergence, or undefined when the model agrees with Kafka's test. */
  failure?: string;
}

/** Runs one case; an exception other than a Divergence is a failure too (the message says so). */
export function runCase(c: FidelityCase): CaseResult {
  try {
    c.run();
    return { c };
  } catch (e) {
    return { c, failure: e instanceof Divergence ? e.message : `threw ${e instanceof Error ? e.message : String(e)}` };
  }
}
