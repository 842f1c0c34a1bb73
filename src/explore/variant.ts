import type { ModelChanges } from '../world/model.ts';
import type { Protocol, WorldConfig } from '../world/types.ts';

/**
 * A design variant: named overrides of the machines' guards and actions (xstate's
 * `provide`), replacement assignors, and settings. Broken variants declare the invariants
 * they are expected to break; the catalogue test holds them to it.
 */
export interface Variant extends ModelChanges {
  name: string;
  description: string;
  /** Protocols the variant applies to (default: the classic ones, eager and cooperative). */
  protocols?: Protocol[];
  /** Invariant ids this variant is expected to violate (empty for a correct alternative). */
  breaks: string[];
  /** Config changes the variant needs (e.g. a fault it depends on). */
  settings?: Partial<Pick<WorldConfig, 'members' | 'topics' | 'faults' | 'timers' | 'autoCommit' | 'static'>>;
}

export const defineVariant = (v: Variant): Variant => v;

/** The protocols a variant runs on. */
export const variantProtocols = (v: Variant): Protocol[] => v.protocols ?? ['eager', 'cooperative'];

/** The assignors a variant replaces (client-side ones, or server-side ones of the consumer protocol). */
export const variantAssignors = (v: Variant): string[] | undefined =>
  v.assignors ? Object.keys(v.assignors) : v.serverAssignors ? Object.keys(v.serverAssignors) : undefined;
