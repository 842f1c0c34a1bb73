import type { CheckOptions as ApiCheckOptions } from '../api/check.ts';
import type { Interpreter } from '../world/model.ts';
import type { CiOptions } from './check-ci.ts';

/**
 * The command line's options: the library's `check` options (one shape for a run, src/api/check.ts),
 * with every default filled in by commander, and what only the command line has. Commander hands
 * protocol, migration and policy over as the strings typed; planCampaigns checks them.
 */
export type CheckOptions = CiOptions &
  Required<
    Pick<ApiCheckOptions, 'members' | 'partitions' | 'topics' | 'runs' | 'seed' | 'maxSteps' | 'faults' | 'liveness' | 'shrinkInstance'>
  > &
  Pick<
    ApiCheckOptions,
    | 'protocol'
    | 'assignor'
    | 'static'
    | 'racks'
    | 'pattern'
    | 'offsetRetention'
    | 'offsetReset'
    | 'upgrade'
    | 'migration'
    | 'migrationPolicy'
  > &
  CliOnlyOptions;

export interface CliOnlyOptions {
  out: string;
  save: boolean;
  /** A catalogue name or a file, loaded before the run. */
  variant?: string;
  interpreter?: Interpreter;
  path?: string;
  json?: boolean;
  coverage?: boolean;
  shard?: string;
  maxTime?: number;
  timeLimit: number;
  /** Campaigns run at once, each on a worker thread (check-parallel.ts). */
  jobs: number;
}
