import pc from 'picocolors';
import type { AssignInput, AssignOutput } from '../../models/assignors/types.ts';
import type { AssignorReport, PropertyResult } from './check.ts';

/** The claims in words, for the report's header. */
export function describeClaims(r: AssignorReport): string {
  const a = r.assignor;
  const balance = a.balance ? `${a.balance} balance` : 'no balance claim';
  return `${a.supportedProtocols.join(' + ')}; ${balance}; ${a.sticky ? 'sticky' : 'not claimed sticky'}`;
}

function inputLines(input: AssignInput): string[] {
  const topics = Object.entries(input.topics)
    .map(([t, n]) => `${t}=${n}`)
    .join(', ');
  const lines = [`topics (partition counts): ${topics || '(none)'}`];
  for (const [m, s] of Object.entries(input.subscriptions)) {
    const owns = s.ownedPartitions.length ? s.ownedPartitions.join(' ') : '-';
    lines.push(
      `${m}: subscribes ${s.topics.join(' ') || '-'}; owns ${owns}; generation ${s.generationId}${s.groupInstanceId ? `; instance ${s.groupInstanceId}` : ''}`,
    );
  }
  return lines;
}

const outputLines = (out: AssignOutput): string[] => Object.entries(out).map(([m, ps]) => `${m}: ${ps.length ? ps.join(' ') : '-'}`);

/** One property's lines: the verdict, then, when it fails, the shrunk input and the outputs. */
export function propertyLines(p: PropertyResult): string[] {
  const budget = p.interrupted ? ', stopped at the time budget' : '';
  if (p.status === 'holds')
    return [
      `${pc.green('✓')} ${p.id}: ${p.statement} ${pc.dim(`(${p.runs} ${p.id === 'cooperative-in-model' ? 'runs' : 'groups'}${budget})`)}`,
    ];
  if (p.status === 'not-claimed') return [pc.dim(`- ${p.id}: not claimed`)];
  if (p.status === 'not-checked') return [pc.dim(`- ${p.id}: not checked (${p.reason})`)];
  const lines = [`${pc.red('✗')} ${p.id}: ${p.statement}`];
  const cx = p.counterexample;
  if (cx) {
    lines.push(`    ${pc.red(cx.failure.message)}`);
    lines.push(pc.dim(`    input (group ${p.runs} failed; shrunk in ${cx.shrinks} steps${budget}):`));
    lines.push(...inputLines(cx.input).map((l) => `      ${l}`));
    for (const o of cx.failure.outputs) {
      lines.push(pc.dim(`    ${o.label}:`));
      lines.push(...outputLines(o.output).map((l) => `      ${l}`));
    }
    lines.push(pc.dim(`    input as JSON: ${JSON.stringify(cx.input)}`));
  }
  if (p.inModel?.callFailed) lines.push(`    ${pc.red(`assign ${p.inModel.callFailed}`)} (inside the protocol model)`);
  return lines;
}

export function summaryLine(r: AssignorReport): string {
  const checked = r.results.filter((p) => p.status === 'holds' || p.status === 'fails');
  const failed = checked.filter((p) => p.status === 'fails');
  return failed.length === 0
    ? pc.green(`All ${checked.length} applicable properties hold.`)
    : pc.red(`${failed.length} of ${checked.length} applicable properties fail: ${failed.map((p) => p.id).join(', ')}.`);
}
