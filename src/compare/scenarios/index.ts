import { coldStart } from './cold-start.ts';
import { coordinatorFailover } from './coordinator-failover.ts';
import { crash } from './crash.ts';
import { networkFlap } from './network-flap.ts';
import { partitionsAdded } from './partitions-added.ts';
import { protocolUpgrade } from './protocol-upgrade.ts';
import { rollingRestartDynamic, rollingRestartStatic } from './rolling-restart.ts';
import { scaleIn } from './scale-in.ts';
import { scaleOut } from './scale-out.ts';
import type { CompareScenario } from './types.ts';

export type { Change, CompareScenario, ScriptStep } from './types.ts';

/** The built-in workloads of `compare --scenario NAME`, in the order `--scenario all` runs them. */
export const compareScenarios: CompareScenario[] = [
  scaleOut,
  scaleIn,
  rollingRestartDynamic,
  rollingRestartStatic,
  crash,
  networkFlap,
  partitionsAdded,
  coordinatorFailover,
  coldStart,
  protocolUpgrade,
];

export const findScenario = (name: string): CompareScenario | undefined => compareScenarios.find((s) => s.name === name);
