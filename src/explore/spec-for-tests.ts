import { noBudgets } from './bounds.ts';
import type { ExploreSpec } from './spec.ts';

/** The explorer tests' instance: cooperative 2x1, one crash and one restart, depth 6, no liveness; `o` changes any of it. */
export const testSpec = (o: Partial<ExploreSpec> = {}): ExploreSpec => ({
  protocol: 'cooperative',
  assignor: 'cooperative-sticky',
  members: 2,
  partitions: 1,
  topics: 1,
  static: false,
  slowCallbacks: false,
  slowAssignLost: false,
  variant: null,
  bounds: { budgets: { ...noBudgets, crash: 1, start: 1 }, maxDepth: 6, maxInFlight: 8, maxTimeMs: Infinity },
  symmetry: true,
  liveness: false,
  coverage: false,
  ...o,
});
