// The explorer's settings vocabulary, shared by the explorer (src/explore/) and the variant files
// that declare where explore shows them (src/variants/): plain data, no behaviour.

/** Kinds of choice that make the state space grow without end, and so have a budget. */
export const budgetedKinds = [
  'crash',
  'start',
  'close',
  'drop',
  'stall',
  'cut',
  'addPartition',
  'failover',
  'subscribe',
  'process',
  'commit',
  'replace',
  'assignorFails',
  'moveReplica',
  'slowAssignor',
  'createTopic',
  'expireOffsets',
] as const;
export type BudgetedKind = (typeof budgetedKinds)[number];
export type Budgets = Record<BudgetedKind, number>;

/** Ranges of the instance and bounds (the command line and variant files are held to them). */
export const exploreLimits = {
  members: [1, 4],
  partitions: [1, 64],
  topics: [1, 4],
  maxDepth: [0, 10_000],
  maxInFlight: [1, 1000],
  maxDelayMs: [0, 10_000_000],
  budget: [0, 100],
} as const satisfies Record<string, readonly [number, number]>;
