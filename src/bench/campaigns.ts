import seedrandom from 'seedrandom';
import { allFaults, worldConfig } from '../run/config.ts';
import type { WorldConfig } from '../world/types.ts';

// What the check benches share: the campaigns they time (3 members x 6 partitions, all faults),
// their inputs, and the clock they read.

/** The check campaigns of the benches: the two classic ones of `npm run bench`, then KIP-848. */
export const benchCampaigns = [
  { label: 'eager/range', protocol: 'eager', assignor: 'range', static: false },
  { label: 'cooperative/cooperative-sticky static', protocol: 'cooperative', assignor: 'cooperative-sticky', static: true },
  { label: 'consumer/uniform', protocol: 'consumer', assignor: 'uniform', static: false },
] as const;

/** A campaign's config: 3 members x 6 partitions, all faults. */
export const campaignConfig = (c: (typeof benchCampaigns)[number]): WorldConfig =>
  worldConfig({ protocol: c.protocol, assignor: c.assignor, members: 3, partitions: 6, faults: allFaults, static: c.static });

/** `n` runs' worth of random picks, `steps` a run, the same in every bench (seed `bench`). */
export function benchPicks(n: number, steps = 50): number[][] {
  const rng = seedrandom('bench');
  return Array.from({ length: n }, () => Array.from({ length: steps }, () => Math.floor(rng() * 0x7fffffff)));
}

// Rates are per CPU second of this process (user + system), not per wall-clock second: the
// machine is shared, and under load a wall clock measures the other processes too.
export const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
