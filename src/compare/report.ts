import Table from 'cli-table3';
import { esc, renderHtml } from '../replay/html.ts';
import { metricInfo, type ComparisonResult, type DesignResult, type MetricName, type Stat } from './compare.ts';

// How a comparison is shown: a terminal table (metrics down, designs across), and an HTML page
// with a bar chart per metric and the ownership timelines of the first seed side by side.

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function number(n: number, unit: string): string {
  if (Number.isNaN(n)) return '-';
  if (unit === 's') return `${n.toFixed(2)} s`;
  const r = Math.abs(n - Math.round(n)) < 1e-9 ? thousands(Math.round(n)) : n >= 100 ? thousands(Math.round(n)) : n.toFixed(1);
  return unit === 'ms' ? `${r} ms` : r;
}

/** `mean` or `mean (min-max)` over the seeds. */
export function formatStat(s: Stat, unit: string): string {
  const mean = number(s.mean, unit);
  if (Number.isNaN(s.mean) || s.min === s.max) return mean;
  return `${mean} (${number(s.min, unit).replace(/ m?s$/, '')}–${number(s.max, unit)})`;
}

function cell(d: DesignResult, key: (typeof metricInfo)[number]['key'], unit: string, runs: number): string {
  if (key === 'violations') {
    const ids = Object.entries(d.violations);
    if (ids.length === 0) return '0';
    return `${d.violatingRuns}/${runs} runs: ${ids.map(([id, v]) => `${id} (${v.runs})`).join(', ')}`;
  }
  if (key === 'timeToStableMs')
    return d.timeToStableMs.map((t) => (t.unsettled > 0 ? `${t.unsettled} unsettled` : formatStat(t, unit))).join('\n');
  return formatStat(d.metrics[key as MetricName], unit);
}

export function comparisonTable(r: ComparisonResult): string {
  const t = new Table({ head: ['', ...r.designs.map((d) => d.design)], style: { head: [], border: [] }, wordWrap: true });
  for (const m of metricInfo)
    t.push([
      m.key === 'timeToStableMs' ? `${m.label}\n(${r.scenario.changes.join(', ')})` : m.label,
      ...r.designs.map((d) => cell(d, m.key, m.unit, r.runs)),
    ]);
  const head = `${r.scenario.name}: ${r.scenario.description}\n  ${r.scenario.members} members x ${r.scenario.partitions} partitions; ${r.runs} seeded run${r.runs === 1 ? '' : 's'} from seed ${r.seed}; latency ${r.timing.latencyMs.join('-')} ms; onPartitionsRevoked ${r.timing.revocationCallbackMs} ms; mean (min–max)`;
  return `${head}\n${t.toString()}`;
}

// ---------------------------------------------------------------------------------------------
// HTML

const BAR_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#17becf', '#e377c2', '#8c564b', '#bcbd22'];

/** A horizontal bar chart: one bar per design (the mean), with a whisker from min to max. */
function barChart(title: string, unit: string, values: Array<{ label: string; stat: Stat }>): string {
  const rowH = 22;
  const left = 190;
  const width = 330;
  const h = values.length * rowH + 26;
  const max = Math.max(1e-9, ...values.map((v) => (Number.isNaN(v.stat.max) ? 0 : v.stat.max)));
  const x = (n: number) => left + (Number.isNaN(n) ? 0 : (n / max) * width);
  const bars = values.map((v, i) => {
    const y = 20 + i * rowH;
    const colour = BAR_COLOURS[i % BAR_COLOURS.length];
    const whisker =
      v.stat.min !== v.stat.max
        ? `<line x1="${x(v.stat.min)}" x2="${x(v.stat.max)}" y1="${y + 7}" y2="${y + 7}" stroke="#333" stroke-width="1.5"/>`
        : '';
    return (
      `<text x="${left - 6}" y="${y + 11}" text-anchor="end" class="bar-name">${esc(v.label)}</text>` +
      `<rect x="${left}" y="${y}" width="${Math.max(0, x(v.stat.mean) - left)}" height="14" fill="${colour}"><title>${esc(`${v.label}: ${formatStat(v.stat, unit)}`)}</title></rect>${whisker}` +
      `<text x="${x(Number.isNaN(v.stat.max) ? v.stat.mean : Math.max(v.stat.mean, v.stat.max)) + 5}" y="${y + 11}" class="bar-value">${esc(formatStat(v.stat, unit))}</text>`
    );
  });
  return `<svg class="bars" width="${left + width + 170}" height="${h}" role="img" aria-label="${esc(title)}"><text x="0" y="12" class="bar-title">${esc(title)}</text>${bars.join('')}</svg>`;
}

const BAR_CSS = `<style>.bars{display:block;margin:4px 0 10px}.bar-title{font-size:12.5px;font-weight:600;fill:#263238}.bar-name{font-size:11.5px;fill:#333}.bar-value{font-size:11px;fill:#333}.bar-grid{display:flex;flex-wrap:wrap;gap:0 24px}</style>`;

/** The bar charts of one comparison, one per metric (time to stable: one per change). */
export function comparisonCharts(r: ComparisonResult): string {
  const charts: string[] = [];
  for (const m of metricInfo) {
    if (m.key === 'violations') {
      charts.push(
        barChart(
          m.label,
          '',
          r.designs.map((d) => ({ label: d.design, stat: { mean: d.violatingRuns, min: d.violatingRuns, max: d.violatingRuns } })),
        ),
      );
    } else if (m.key === 'timeToStableMs') {
      r.scenario.changes.forEach((c, i) =>
        charts.push(
          barChart(
            `time to stable after: ${c}`,
            m.unit,
            r.designs.map((d) => ({ label: d.design, stat: d.timeToStableMs[i] })),
          ),
        ),
      );
    } else {
      charts.push(
        barChart(
          m.label,
          m.unit,
          r.designs.map((d) => ({ label: d.design, stat: d.metrics[m.key as MetricName] })),
        ),
      );
    }
  }
  const violations = r.designs.flatMap((d) =>
    Object.entries(d.violations).map(
      ([id, v]) => `<li><b>${esc(d.design)}</b>: ${esc(id)} in ${v.runs} of ${r.runs} runs — ${esc(v.message)}</li>`,
    ),
  );
  return `${BAR_CSS}<h2>${esc(r.scenario.name)}: ${esc(r.scenario.description)}</h2><p class="note">${r.runs} seeded runs from seed ${r.seed}; bars show the mean, whiskers min to max. ${esc(r.scenario.members)} members x ${esc(r.scenario.partitions)} partitions; changes: ${esc(r.scenario.changes.join(', '))}.</p><div class="bar-grid">${charts.join('')}</div>${violations.length ? `<ul>${violations.join('')}</ul>` : ''}`;
}

/** One self-contained page: the bar charts, then the first seed's ownership timelines on the same scales. */
export function comparisonHtml(r: ComparisonResult): string {
  const withRows = r.designs.filter((d) => d.rows);
  if (withRows.length === 0) throw new Error('internal: comparisonHtml needs the timelines (compareDesigns with timelines: true)');
  return renderHtml({
    title: `compare ${r.designs.map((d) => d.design).join(' vs ')}: ${r.scenario.name}`,
    subtitle: `${r.scenario.description} Same script and seeds for every design; seeded random delivery order, ${r.timing.latencyMs.join('–')} ms network latency, onPartitionsRevoked takes ${r.timing.revocationCallbackMs} ms.`,
    extra: `${comparisonCharts(r)}<p class="note">Ownership timelines below: seed ${r.seed}, one per design.</p>`,
    rows: withRows[0].rows!,
    compare: withRows.map((d) => ({ label: d.design, rows: d.rows! })),
  });
}

/** A page with the bar charts of several scenarios and links to their pages. */
export function comparisonIndexHtml(results: Array<{ result: ComparisonResult; page: string }>): string {
  const sections = results.map(
    ({ result, page }) =>
      `${comparisonCharts(result)}<p><a href="${esc(page)}">ownership timelines for ${esc(result.scenario.name)}</a></p>`,
  );
  const title = `compare ${results[0]?.result.designs.map((d) => d.design).join(' vs ') ?? ''}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{margin:16px 18px;font:13px/1.4 system-ui,sans-serif;color:#212121}h2{font-size:15px;margin:14px 0 2px}.note{color:#555;font-size:12px}</style></head><body><h1>${esc(title)}</h1>${sections.join('')}</body></html>`;
}
