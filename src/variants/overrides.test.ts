import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { overridableNames } from './overrides.ts';
import { overridesMarkdown, undocumented } from './overrides-doc.ts';
import { validate } from './load.ts';

// The reference of overridable names cannot go stale: every guard and action of the machines
// is described, every description names one, and docs/overrides.md is what `npm run docs` writes.

test('every guard and action of the machines is described, and every description names one', () => {
  expect(undocumented()).toEqual({ missing: [], stale: [] });
  expect(overridableNames('coordinator').guards).toContain('isCommitGenerationStale');
  expect(overridableNames('consumer').actions).toContain('revokeAllOwned');
});

test('docs/overrides.md is up to date (run `npm run docs` if this fails)', () => {
  expect(readFileSync(new URL('../../docs/overrides.md', import.meta.url), 'utf8')).toBe(overridesMarkdown());
});

test('a variant overriding a name the machine does not have is rejected, naming it', () => {
  expect(() => validate({ name: 'x', description: 'y', coordinator: { guards: { isCommitGenStale: () => false } } }, 'v.ts')).toThrow(
    'coordinator has no guard "isCommitGenStale"',
  );
  expect(() => validate({ name: 'x', description: 'y', consumer: { actions: { revokeEverything: () => {} } } }, 'v.ts')).toThrow(
    'consumer has no action "revokeEverything"',
  );
  expect(() => validate({ name: 'x', description: 'y', breaks: ['nope'] }, 'v.ts')).toThrow('unknown invariant "nope"');
  expect(() => validate({ name: 'x', description: 'y', protocol: 'lazy' }, 'v.ts')).toThrow('unknown protocol "lazy"');
  expect(
    validate({ name: 'x', description: 'y', protocol: 'eager', coordinator: { guards: { sessionExpired: () => false } } }, 'v.ts'),
  ).toMatchObject({ name: 'x', protocols: ['eager'], breaks: [] });
  // A consumer-protocol variant is checked against the KIP-848 machines, not the classic ones.
  const kip848 = overridableNames('coordinator', 'consumer').actions[0];
  expect(
    validate({ name: 'x', description: 'y', protocol: 'consumer', coordinator: { actions: { [kip848]: () => {} } } }, 'v.ts'),
  ).toMatchObject({ protocols: ['consumer'] });
  expect(() =>
    validate({ name: 'x', description: 'y', protocol: 'consumer', coordinator: { guards: { sessionExpired: () => false } } }, 'v.ts'),
  ).toThrow('coordinator (consumer protocol) has no guard "sessionExpired"');
});
