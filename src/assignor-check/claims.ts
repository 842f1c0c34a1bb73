import type { RebalanceProtocol } from '../../models/assignors/types.ts';
import type { AssignorMeta } from './types.ts';

/** The file does not load, or exports no usable assignor, or declares bad claims: exit 2. */
export class AssignorLoadError extends Error {}

const protocols: RebalanceProtocol[] = ['eager', 'cooperative'];

/** Validates the name and claims an assignor declares; a bad declaration is a load error. */
export function claimsOf(raw: unknown): AssignorMeta {
  const a = (raw ?? {}) as Record<string, unknown>;
  if (typeof a.name !== 'string' || a.name === '') throw new AssignorLoadError('the assignor needs a non-empty string `name`');
  const supported = a.supportedProtocols ?? ['eager'];
  if (!Array.isArray(supported) || supported.length === 0 || supported.some((p) => !protocols.includes(p as RebalanceProtocol))) {
    throw new AssignorLoadError(`supportedProtocols must be a non-empty list of ${protocols.join(', ')}`);
  }
  if (a.balance !== undefined && a.balance !== 'global' && a.balance !== 'per-topic')
    throw new AssignorLoadError(`balance must be 'global' or 'per-topic', got ${JSON.stringify(a.balance)}`);
  if (a.sticky !== undefined && typeof a.sticky !== 'boolean')
    throw new AssignorLoadError(`sticky must be true or false, got ${JSON.stringify(a.sticky)}`);
  return { name: a.name, supportedProtocols: [...new Set(supported as RebalanceProtocol[])], balance: a.balance, sticky: a.sticky };
}
