import { fc } from '@fast-check/vitest';
import { afterAll, describe, expect, test } from 'vitest';
import { planCampaigns } from '../src/api/check.ts';
import { symmetryHolds } from '../src/explore/bfs.ts';
import { stateHash } from '../src/explore/canonical.ts';
import { runArbitrary } from '../src/random/campaign.ts';
import { session } from '../src/run/config.ts';
import { runPicks, type Session } from '../src/run/run.ts';
import { catalogue } from '../src/variants/catalogue.ts';
import type { Variant } from '../src/variants/variant.ts';
import { initialWorld } from '../src/world/world.ts';
import type { Choice, World, WorldConfig } from '../src/world/types.ts';
import { invariants } from './index.ts';
import type { Invariant } from './invariant.ts';
import { generationAdvance } from './invariants/generation-advance.ts';
import { requestDeadlines } from './invariants/request-deadlines.ts';
import { singleOwner } from './invariants/single-owner.ts';

// The explorer judges a state rule once per distinct state (src/explore/bfs.ts): an invariant
// declared `judges: 'state'`, and the `split.state` of a mixed one, must be a function of the
// world after the step, up to the explorer's state key (the same verdict 1000 ms later, with the
// step's output emptied; renaming the clients is not tried: the invariants compare names only for
// equality), and a split must say what `check` says.
// These tests hold every declaration to account on random runs of every default campaign, of
// the migrations, and of the broken catalogue variants that break such rules (their runs go on
// past the violation: the verdicts there are not all "nothing wrong").

/** What the explorer's coarsest state key says (no clock, no message ages; symmetry where it holds). */
const keyOf = (w: World, config: WorldConfig): number =>
  stateHash(w, { symmetry: symmetryHolds(config), ordered: false, absoluteTime: false, messageAge: false });

/**
 * The same world `dt` ms later: the clock and every deadline and start time moved by `dt`, and
 * `sent` (the step's output) emptied. The state key leaves both out, so a state rule must not
 * tell the two apart.
 */
function shifted(w: World, dt: number): World {
  const timers = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v + dt]));
  const snapshot = <S extends { context: unknown }>(snap: S): S => {
    const context = snap.context as { timers: Record<string, number> };
    return { ...snap, context: { ...context, timers: timers(context.timers) } };
  };
  return {
    ...w,
    now: w.now + dt,
    coordinator: snapshot(w.coordinator),
    clients: w.clients.map((s) => ({
      ...s,
      snapshot: s.snapshot && snapshot(s.snapshot),
      callbackSince: s.callbackSince === null ? null : s.callbackSince + dt,
    })),
    net: w.net.map((m) => ({ ...m, sentAt: m.sentAt + dt })),
    sent: [],
  };
}

/**
 * Audits the declarations of `invs` on the steps of runs of one session, in run order: the
 * first broken declaration it meets, worded, or undefined.
 */
class Audit {
  /** Verdicts of a declared state rule that found something wrong. */
  wrong = 0;
  constructor(
    private readonly invs: readonly Invariant[],
    private readonly config: WorldConfig,
    private readonly start: World,
  ) {}

  /** Judges one step; `earlier` is a step of the same run before it (another before and choice), if any. */
  step(before: World, choice: Choice, after: World, earlier?: { before: World; choice: Choice }): string | undefined {
    const { config } = this;
    // Every check in order, as a run makes them (some remember the last world they passed).
    const verdicts = this.invs.map((inv) => inv.check(before, choice, after, config));
    // The same state, later (what the audit changes must be what the key leaves out).
    const later = shifted(after, 1000);
    if (keyOf(later, config) !== keyOf(after, config)) return `the shifted world has another state key after ${choice.kind}`;
    for (let i = 0; i < this.invs.length; i++) {
      const inv = this.invs[i];
      const v = verdicts[i];
      if (inv.judges === 'state') {
        if (v !== undefined) this.wrong++;
        // Another before and choice: the run's first world, and an earlier step of the run.
        const others: Array<[World, Choice | null]> = [[this.start, choice]];
        if (earlier) others.push([earlier.before, earlier.choice]);
        for (const [b, c] of others) {
          const w = inv.check(b, c, after, config);
          if (w !== v) return `${inv.id} (judges 'state') says ${show(v)} after ${choice.kind}, ${show(w)} from another before`;
        }
        // The same state at another time (the message may differ: it may name the time).
        if ((inv.check(before, choice, later, config) === undefined) !== (v === undefined))
          return `${inv.id} (judges 'state') says ${show(v)} after ${choice.kind}, not so 1000 ms later`;
      } else if (inv.split) {
        const s = inv.split.state(after, config);
        if (s !== undefined) this.wrong++;
        if (s !== undefined && v === undefined) return `${inv.id}'s split.state says ${show(s)} but check passes after ${choice.kind}`;
        if (s === undefined) {
          const w = inv.split.step(before, choice, after, config);
          if (w !== v) return `${inv.id}'s split.step says ${show(w)} where check says ${show(v)} after ${choice.kind}`;
        }
        if ((inv.split.state(later, config) === undefined) !== (s === undefined))
          return `${inv.id}'s split.state says ${show(s)} after ${choice.kind}, not so 1000 ms later`;
      }
    }
    return undefined;
  }
}

const show = (m: string | undefined) => (m === undefined ? 'nothing' : `'${m}'`);

/** Runs `runs` random runs of the session (its invariants set aside: the run goes on past a violation) under an audit. */
function audit(s: Session, invs: readonly Invariant[], runs: number, seed: number): { problem?: string; steps: number; wrong: number } {
  const a = new Audit(invs, s.config, initialWorld(s.config, s.model));
  let problem: string | undefined;
  let steps = 0;
  for (const picks of fc.sample(runArbitrary(60), { numRuns: runs, seed })) {
    let last: { before: World; choice: Choice } | undefined;
    runPicks(
      {
        ...s,
        invariants: [],
        observe: (before, choice, after) => {
          steps++;
          problem ??= a.step(before, choice, after, last);
          last = { before, choice };
        },
      },
      picks,
    );
    if (problem) break;
  }
  return { problem, steps, wrong: a.wrong };
}

const safetyOf = (s: Session) => s.invariants.filter((i) => i.kind === 'safety');
const declared = (i: Invariant) => i.judges === 'state' || i.split !== undefined;

const plans = [
  ...planCampaigns({}, undefined),
  ...planCampaigns({ migration: 'upgrade' }, undefined),
  ...planCampaigns({ migration: 'downgrade' }, undefined),
];

describe('every declared state rule is one, on random runs of every default campaign and the migrations', () => {
  test.each(plans.map((p) => [p.label, p] as const))('%s', (_label, plan) => {
    const s = session(plan.config);
    const r = audit(s, safetyOf(s), 20, 5);
    expect(r.problem).toBeUndefined();
    expect(r.steps).toBeGreaterThan(400);
  });
});

/** Broken catalogue variants that break a declared state rule: there the rules also say "wrong". */
const breakers: Variant[] = catalogue.filter((v) => v.breaks.some((id) => invariants.some((i) => i.id === id && declared(i))));

describe('and on the broken variants that break one', () => {
  let wrong = 0;
  test('there are such variants', () => {
    expect(breakers.length).toBeGreaterThan(5);
  });
  // Their runs give the audit verdicts that are not all "nothing wrong" to compare.
  afterAll(() => expect(wrong).toBeGreaterThan(1000));
  test.each(breakers.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
    // Its first two campaigns (a variant's own protocols and assignors).
    for (const plan of planCampaigns({}, variant).slice(0, 2)) {
      const s = session(plan.config, variant);
      const r = audit(s, safetyOf(s), 12, 9);
      expect(r.problem, plan.label).toBeUndefined();
      wrong += r.wrong;
    }
  });
});

describe('the audit catches a wrong declaration', () => {
  const plan = plans.find((p) => p.protocol === 'eager' && !p.static && !p.upgrade && !p.migration)!;
  const s = session(plan.config);
  const with_ = (inv: Invariant) => safetyOf(s).map((i) => (i.id === inv.id ? inv : i));

  test('the declarations as they are pass', () => {
    expect(audit(s, safetyOf(s), 25, 5).problem).toBeUndefined();
  });

  test('a step invariant declared a state one (generation-advance compares generations across the step)', () => {
    const wrong = audit(s, with_({ ...generationAdvance, judges: 'state' }), 25, 5);
    expect(wrong.problem).toMatch(/generation-advance \(judges 'state'\) says nothing .* 'generation went/);
  });

  test('a state rule that reads what the state key leaves out (the absolute clock)', () => {
    const clock: Invariant = {
      ...singleOwner,
      id: 'clock',
      check: (_b, _c, after) => (Math.floor(after.now / 1000) % 2 === 1 ? 'odd second' : undefined),
      judges: 'state',
    };
    expect(audit(s, [...safetyOf(s), clock], 25, 5).problem).toMatch(/^clock \(judges 'state'\) says .* not so 1000 ms later/);
  });

  test("a split whose state rule check does not judge, or whose step rule is not check's", () => {
    const split = requestDeadlines.split!;
    const stricter = { ...requestDeadlines, split: { ...split, state: () => 'always' } };
    expect(audit(s, with_(stricter), 5, 5).problem).toMatch(/request-deadlines's split.state says 'always' but check passes/);
    const otherStep = { ...requestDeadlines, split: { ...split, step: () => 'never' } };
    expect(audit(s, with_(otherStep), 5, 5).problem).toMatch(/request-deadlines's split.step says 'never' where check says nothing/);
  });
});
