import { expect, test } from 'vitest';
import { cooperativeSticky, defineVariant, range, stickyAssign } from '../index.ts';
import { campaign } from '../random/campaign.ts';
import { session, worldConfig } from '../run/config.ts';
import { validate } from './load.ts';

// The package entry exports the built-in assignors and the sticky engine, so a variant changes
// one decision by wrapping a built-in, without copying its code.

test('a variant wraps a built-in assignor in a few lines, and check catches what it breaks', () => {
  const variant = defineVariant({
    name: 'sticky-hands-first-partition-twice',
    description: 'cooperative-sticky, but the first member also gets the last member’s first partition',
    protocol: 'cooperative',
    breaks: ['single-owner'],
    assignor: {
      ...cooperativeSticky,
      assign: (input) => {
        const out = cooperativeSticky.assign(input);
        const ids = Object.keys(out).sort();
        const stolen = out[ids[ids.length - 1]]?.[0];
        if (ids.length > 1 && stolen) out[ids[0]] = [...out[ids[0]], stolen];
        return out;
      },
    },
  });
  expect(validate(variant, 'inline')).toBe(variant);
  const config = worldConfig({ protocol: 'cooperative', assignor: 'cooperative-sticky', members: 3, partitions: 6, variant });
  const r = campaign(session(config, variant), { runs: 200, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.invariant).toBe('single-owner');
});

test('the sticky engine and the other built-ins are the ones the models use', () => {
  const member = { topics: ['t0'], ownedPartitions: [], generationId: -1, groupInstanceId: null };
  const input = { subscriptions: { a: member, b: member }, topics: { t0: 4 } };
  expect([...stickyAssign(input).assignment.values()].flat()).toHaveLength(4);
  expect(range.assign(input)).toEqual({ a: ['t0-0', 't0-1'], b: ['t0-2', 't0-3'] });
});
