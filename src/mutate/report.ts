import Table from 'cli-table3';
import { esc } from '../replay/html.ts';
import type { MutantResult } from './run-mutant.ts';
import { figures, scores, targetLines, type GroupScore } from './score.ts';
import type { SurvivorRecords } from './survivors.ts';

// The mutation report: a score table per machine and assignor, then every mutant not killed
// with what the survivors file says of it; as text, JSON or a self-contained HTML page.

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const row = (g: GroupScore) => [g.group, g.mutants, g.killed, g.survived, g.notReached, g.equivalent, pct(g.score)];
const head = ['machine / assignor', 'mutants', 'killed', 'survived', 'not reached', 'equivalent', 'score'];

export function scoreTable(results: MutantResult[], records: SurvivorRecords): string {
  const { groups, total } = scores(results, records);
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const g of groups) t.push(row(g));
  t.push(row(total));
  return t.toString();
}

/** One line per mutant not killed: status, id, and the record's kind and reason (or UNRECORDED). */
export function survivorLines(results: MutantResult[], records: SurvivorRecords): string[] {
  return results
    .filter((r) => r.status !== 'killed')
    .map((r) => {
      const rec = records[r.id];
      const note = rec ? `${rec.kind}: ${rec.reason}` : 'UNRECORDED';
      return `${r.status === 'survived' ? 'survived   ' : 'not reached'} ${r.id}${r.capped ? ' (capped)' : ''}  ${note}`;
    });
}

export function killLine(r: MutantResult): string {
  if (r.status !== 'killed' || !r.kill)
    return `${r.status} ${r.id}: ${r.runs} runs, ${r.states} states, decision evaluated ${r.reached} times, ${r.seconds.toFixed(1)} s${r.capped ? ' (capped)' : ''}`;
  const k = r.kill;
  const steps = k.steps === undefined ? '' : ` after ${k.steps} steps`;
  return `killed ${r.id}: ${k.engine} ${k.invariant}${steps} in ${(r.killSeconds ?? r.seconds).toFixed(2)} s (${k.place})`;
}

export function mutationJson(results: MutantResult[], records: SurvivorRecords, extra: Record<string, unknown>) {
  const { groups, total } = scores(results, records);
  return {
    ...extra,
    score: total,
    groups,
    figures: figures(results, records),
    results: results.map((r) => ({ ...r, record: records[r.id] })),
  };
}

export function mutationHtml(results: MutantResult[], records: SurvivorRecords, title: string): string {
  const { groups, total } = scores(results, records);
  const cells = (xs: unknown[], tag = 'td') => `<tr>${xs.map((x) => `<${tag}>${esc(x)}</${tag}>`).join('')}</tr>`;
  const summary = `<table>${cells(head, 'th')}${[...groups, total].map((g) => cells(row(g))).join('')}</table>`;
  const detail = results.map((r) => {
    const rec = records[r.id];
    const what = r.kill ? `${r.kill.engine} ${r.kill.invariant}${r.kill.steps === undefined ? '' : `, ${r.kill.steps} steps`}` : '';
    return `<tr class="${r.status}">${[
      r.id,
      r.status,
      what,
      r.kill?.place ?? '',
      (r.killSeconds ?? r.seconds).toFixed(2),
      rec ? `${rec.kind}: ${rec.reason}` : r.status === 'killed' ? '' : 'UNRECORDED',
    ]
      .map((x) => `<td>${esc(x)}</td>`)
      .join('')}</tr>`;
  });
  const figs = targetLines(figures(results, records))
    .map((l) => `<li>${esc(l)}</li>`)
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{margin:16px 18px;font:13px/1.4 system-ui,sans-serif;color:#212121}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}tr.survived td{background:#fff3e0}tr.not-reached td{background:#eceff1}</style></head><body><h1>${esc(title)}</h1><ul>${figs}</ul>${summary}<h2>Mutants</h2><table>${cells(['mutant', 'status', 'by', 'where', 'seconds', 'record'], 'th')}${detail.join('')}</table></body></html>`;
}
