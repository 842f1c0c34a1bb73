import { describe, expect, test } from 'vitest';
import { validateJunit } from './junit-for-tests.ts';
import { githubAnnotations, junitXml, type CampaignOutcome } from './reporters.ts';

// The CI reports: JUnit XML validated against the JUnit schema CI readers use (our copy of the
// Jenkins xunit plugin's junit-10 constraints, src/cli/fixtures/junit.xsd, checked with libxml2
// compiled to WebAssembly), and GitHub workflow commands with their escaping.

const outcomes: CampaignOutcome[] = [
  {
    name: 'eager/range (3 members x 6 partitions)',
    seconds: 1.25,
    invariants: ['single-owner', 'commit-fencing'],
    goals: [
      { id: 'failover-awaiting-sync', statement: 'The coordinator fails over while a member awaits SyncGroup.', hits: 3, applies: true },
      { id: 'crash-in-revocation-callback', statement: 'A consumer crashes inside onPartitionsRevoked.', hits: 0, applies: true },
      { id: 'static-restart-in-stable', statement: 'x', hits: 0, applies: false, needs: 'static membership' },
    ],
    goalsRequired: true,
    properties: { seed: 42, runs: 1000 },
  },
  {
    name: 'cooperative/cooperative-sticky <&> "quoted"',
    seconds: 0.5,
    invariants: ['single-owner', 'commit-fencing'],
    violation: {
      invariant: 'commit-fencing',
      statement: 'The coordinator stores an offset commit only from a current member.',
      message: 'commit from c1 with generation 1 was accepted while the group is at generation 2: 100%, done',
      replay: 'npx rebalance-check replay counterexamples/commit-fencing-1234.json',
      file: 'counterexamples/commit-fencing-1234.json',
    },
  },
];

const validate = validateJunit;

describe('JUnit XML', () => {
  const xml = junitXml('check', outcomes, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));

  test('validates against the JUnit schema', () => {
    expect(() => validate(xml)).not.toThrow();
  });

  test('the validator rejects what the schema forbids (a testsuite without its counts)', () => {
    const stripped = xml.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1');
    expect(stripped).not.toBe(xml);
    expect(() => validate(stripped)).toThrow();
  });

  test('a testsuite per campaign, a testcase per invariant and per goal that applies, a failure per violation and missed required goal', () => {
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuites name="rebalance-check check" tests="6" failures="2" errors="0" time="1.750">');
    expect(xml).toContain('name="invariant single-owner"');
    expect(xml).toContain('name="goal failover-awaiting-sync"');
    expect(xml).not.toContain('goal static-restart-in-stable');
    expect(xml).toContain('<failure type="goal" message="goal crash-in-revocation-callback never reached">');
    expect(xml).toContain('<failure type="invariant" message="commit-fencing: commit from c1');
    expect(xml).toContain('Replay: npx rebalance-check replay counterexamples/commit-fencing-1234.json');
    expect(xml).toContain('name="cooperative/cooperative-sticky &lt;&amp;&gt; &quot;quoted&quot;"');
    expect(xml).toContain('timestamp="2026-01-02T03:04:05"');
    expect(xml).toContain('<property name="seed" value="42"/>');
  });
});

describe('GitHub annotations', () => {
  const lines = githubAnnotations('check', outcomes);

  test('one ::error per violation and per required goal never reached, nothing for what passed', () => {
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error title=rebalance-check check%3A goal crash-in-revocation-callback never reached::eager/range (3 members x 6 partitions): A consumer crashes inside onPartitionsRevoked.',
    );
  });

  test('the violation names the counterexample file and the replay command, escaped as workflow commands require', () => {
    expect(lines[1]).toMatch(
      /^::error file=counterexamples\/commit-fencing-1234\.json,title=rebalance-check check%3A commit-fencing violated::/,
    );
    expect(lines[1]).toContain('100%25%2C done'.replace('%2C', ','));
    expect(lines[1]).toContain('%0AReplay: npx rebalance-check replay counterexamples/commit-fencing-1234.json');
    expect(lines[1].split('\n')).toHaveLength(1);
  });

  test('goals not required give no annotation', () => {
    expect(githubAnnotations('check', [{ ...outcomes[0], goalsRequired: false }])).toEqual([]);
  });
});
