import { describe, expect, test } from 'vitest';
import { range } from './range.ts';
import { roundrobin } from './roundrobin.ts';
import type { MemberSubscription } from './types.ts';

const sub = (topics: string[], groupInstanceId: string | null = null): MemberSubscription => ({
  topics,
  ownedPartitions: [],
  generationId: -1,
  groupInstanceId,
});

describe('range (RangeAssignorTest)', () => {
  test('two consumers, one topic with three partitions: the first gets the extra one', () => {
    expect(range.assign({ topics: { t1: 3 }, subscriptions: { c1: sub(['t1']), c2: sub(['t1']) } })).toEqual({
      c1: ['t1-0', 't1-1'],
      c2: ['t1-2'],
    });
  });
  test('two topics: balance holds per topic, not across topics', () => {
    const out = range.assign({ topics: { t1: 3, t2: 3 }, subscriptions: { c1: sub(['t1', 't2']), c2: sub(['t1', 't2']) } });
    expect(out).toEqual({ c1: ['t1-0', 't1-1', 't2-0', 't2-1'], c2: ['t1-2', 't2-2'] });
  });
  test('more consumers than partitions leaves the last ones idle', () => {
    expect(range.assign({ topics: { t1: 1 }, subscriptions: { a: sub(['t1']), b: sub(['t1']) } })).toEqual({ a: ['t1-0'], b: [] });
  });
  test('static members sort by instance id ahead of dynamic ones', () => {
    const out = range.assign({ topics: { t1: 2 }, subscriptions: { z: sub(['t1'], 'i1'), a: sub(['t1']) } });
    expect(out).toEqual({ z: ['t1-0'], a: ['t1-1'] });
  });
  test('a topic missing from the metadata is skipped', () => {
    expect(range.assign({ topics: {}, subscriptions: { a: sub(['t1']) } })).toEqual({ a: [] });
  });
});

describe('roundrobin (RoundRobinAssignorTest)', () => {
  test('two consumers, two topics of three partitions deal in turn', () => {
    const out = roundrobin.assign({ topics: { t1: 3, t2: 3 }, subscriptions: { c1: sub(['t1', 't2']), c2: sub(['t1', 't2']) } });
    expect(out).toEqual({ c1: ['t1-0', 't1-2', 't2-1'], c2: ['t1-1', 't2-0', 't2-2'] });
  });
  test('members not subscribed to a topic are skipped', () => {
    const out = roundrobin.assign({ topics: { t1: 1, t2: 2 }, subscriptions: { c1: sub(['t1']), c2: sub(['t1', 't2']) } });
    expect(out).toEqual({ c1: ['t1-0'], c2: ['t2-0', 't2-1'] });
  });
});
