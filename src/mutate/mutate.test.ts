import { expect, test } from 'vitest';
import type { Choice, World } from '../world/types.ts';
import { campaign } from '../random/campaign.ts';
import { session } from '../run/config.ts';
import { validate } from '../variants/load.ts';
import { placeConfig, placeLabel, placeSession, placesFor } from './configs.ts';
import { mutateClientAssignor, mutateServerAssignor } from './assignor-mutants.ts';
import { implementations, machineIds } from './machines.ts';
import { allMutants, mutantVariant, parseMutant } from './mutants.ts';
import { livelockGuard, runMutant, type MutantResult } from './run-mutant.ts';
import { figures, scores, targetLines } from './score.ts';

// Mutation analysis in small: the operators make the changes they name, every mutant is a valid
// variant, and a handful run to the verdict they must get.

const tiny = { runs: 10, maxSteps: 60, seed: 42, exploreStates: 200, maxSeconds: 20 };

test('every named guard gets three mutants, every action but send a skip, and every id parses back', () => {
  const all = allMutants();
  const ids = new Set(all.map((m) => m.id));
  expect(ids.size).toBe(all.length);
  for (const m of machineIds) {
    const impl = implementations(m);
    for (const g of Object.keys(impl.guards)) for (const op of ['true', 'false', 'negate']) expect(ids).toContain(`${m}/${g}/${op}`);
    for (const a of Object.keys(impl.actions)) if (a !== 'send') expect(ids).toContain(`${m}/${a}/skip`);
  }
  // The field mutants come from running the actions: a few every reader knows must be there.
  expect(ids).toContain('classic-coordinator/bumpGeneration/keep:generation');
  expect(ids).toContain('classic-coordinator/addMember/keep:members');
  for (const m of all) expect(parseMutant(m.id)).toEqual(m);
  expect(parseMutant('classic-coordinator/noSuchGuard/true')).toBeUndefined();
});

test('every mutant is a variant that passes the variant-file validation', () => {
  for (const m of allMutants()) expect(() => validate(mutantVariant(m.id), m.id)).not.toThrow();
});

test('assignor operators change what they name', () => {
  const input = {
    topics: { t: 2 },
    subscriptions: {
      a: { topics: ['t'], ownedPartitions: ['t-0'], generationId: 3, groupInstanceId: null },
      b: { topics: ['t'], ownedPartitions: ['t-0'], generationId: 2, groupInstanceId: null },
    },
  };
  expect(mutateClientAssignor('range', 'drop-partition').assign(input)).toEqual({ a: ['t-0'], b: [] });
  expect(mutateClientAssignor('range', 'duplicate-partition').assign(input)).toEqual({ a: ['t-0'], b: ['t-1', 't-0'] });
  expect(mutateClientAssignor('range', 'rotate-members').assign(input)).toEqual({ a: ['t-1'], b: ['t-0'] });
  expect(mutateClientAssignor('range', 'contested-to-both').assign(input)).toEqual({ a: ['t-0'], b: ['t-1', 't-0'] });
  const server = { topics: { t: 2 }, members: { a: { topics: ['t'], instanceId: null } }, previous: { a: ['t-1'] } };
  expect(mutateServerAssignor('uniform', 'drop-partition').assign(server)).toEqual({ a: ['t-1'] });
});

test('a few mutants get their verdicts: killed by the invariant that guards the decision', () => {
  const gen = runMutant('classic-coordinator/bumpGeneration/skip', tiny);
  expect(gen.status).toBe('killed');
  expect(gen.kill?.invariant).toBe('generation-advance');
  const drop = runMutant('assignor/range/drop-partition', tiny);
  expect(drop.status).toBe('killed');
  expect(drop.kill?.invariant).toBe('stable-coverage');
  expect(drop.reached).toBeGreaterThan(0);
  // Same mutant, same budget: the same verdict and counterexample length.
  expect(runMutant('assignor/range/drop-partition', tiny).kill?.steps).toBe(drop.kill?.steps);
});

test('the score leaves recorded equivalent mutants out, and nothing else', () => {
  const r = (id: string, status: 'killed' | 'survived') =>
    ({ id, group: 'g', operator: 'o', description: '', protocols: [], status, seconds: 0, runs: 0, states: 0, reached: 1 }) as MutantResult;
  const results = [r('a', 'killed'), r('b', 'survived'), r('c', 'survived')];
  expect(scores(results, {}).total.score).toBeCloseTo(1 / 3);
  expect(scores(results, { b: { kind: 'equivalent', reason: 'no observable difference' } }).total.score).toBeCloseTo(1 / 2);
  expect(scores(results, { b: { kind: 'needs-oracle', reason: 'no invariant looks at it yet' } }).total.score).toBeCloseTo(1 / 3);
});

test('with no mutant finished there is no score, not 100%', () => {
  expect(scores([], {}).total.score).toBeNull();
  expect(targetLines(figures([], {}))[0]).toMatch(/^mutation score n\/a: .*NOT met$/);
});

test('the livelock guard never fires on the unmutated models', () => {
  for (const protocols of [['eager', 'cooperative'], ['consumer']] as const)
    for (const place of placesFor([...protocols])) {
      const s = { ...session(placeConfig(place)), observe: livelockGuard() };
      expect(campaign(s, { runs: 30, seed: 7, maxSteps: 60 }).failure).toBeUndefined();
    }
});

test('the focused places (weights, steps) find nothing wrong with the unmutated models', () => {
  const focused = [
    ...placesFor(['eager', 'cooperative'], undefined, 'classic-coordinator'),
    ...placesFor(['consumer'], undefined, 'kip848-coordinator'),
  ].filter((p) => p.name !== undefined);
  expect(focused.length).toBeGreaterThanOrEqual(6);
  for (const place of focused) {
    const s = { ...placeSession(place), observe: livelockGuard() };
    const r = campaign(s, { runs: 30, seed: 42, maxSteps: place.steps ?? 60 });
    expect(r.failure && `${placeLabel(place)}: ${r.failure.violation.invariant}: ${r.failure.violation.message}`).toBeUndefined();
  }
});

test('the cleanup of an Empty group is reached in its place, and not without its always-on kinds', () => {
  const place = placesFor(['eager', 'cooperative'], undefined, 'classic-coordinator').find((p) => p.name === 'cleanup of an Empty group')!;
  const emptyCleanups = (s: ReturnType<typeof placeSession>) => {
    let n = 0;
    const observe = (before: World, choice: Choice) => {
      if (choice.kind === 'expireOffsets' && before.coordinator.value === 'Empty') n++;
    };
    campaign({ ...s, observe }, { runs: 30, seed: 42, maxSteps: place.steps!, shrink: false });
    return n;
  };
  const s = placeSession(place);
  expect(emptyCleanups(s)).toBeGreaterThan(0);
  // The same weights and steps with swarm testing's own kinds and modes: none in 30 runs.
  expect(emptyCleanups({ ...s, swarm: undefined })).toBe(0);
});
