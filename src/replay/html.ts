import type { MemberView, TimelineRow } from './timeline.ts';

// A self-contained HTML report of one run: inline CSS and inline SVG, no script, no external
// resource. Three views of the same rows: partition ownership per consumer (swim lanes), the
// messages between the processes (a sequence diagram) and the steps as a table. With
// `compare`, several timelines are drawn on the same scales one above the other.

export interface HtmlReport {
  title: string;
  subtitle?: string;
  /** The timeline shown in full (sequence view and table); the violation refers to it. */
  rows: TimelineRow[];
  violation?: { invariant: string; statement: string; message: string; step: number };
  /** Timelines to compare on the same scales (e.g. eager vs cooperative for one scenario). */
  compare?: Array<{ label: string; rows: TimelineRow[] }>;
  /** Trusted HTML (inline only, no external resource) placed after the subtitle, e.g. compare's bar charts. */
  extra?: string;
}

// ---------------------------------------------------------------------------------------------
// Colours

/** Partition colours, in partition order (topic, then number); red and grey are kept for marks. */
export const PARTITION_PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#17becf',
  '#e377c2',
  '#bcbd22',
  '#8c564b',
  '#393b79',
  '#e7ba52',
  '#637939',
  '#7b4173',
  '#3182bd',
  '#e6550d',
  '#31a354',
  '#756bb1',
];

/** The colour of the i-th partition: the palette, then hues spaced by the golden angle. */
export function partitionColour(i: number): string {
  if (i < PARTITION_PALETTE.length) return PARTITION_PALETTE[i];
  return hslHex((i * 137.508) % 360, 0.55, 0.45);
}

function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

const GROUP_FILL: Record<string, string> = {
  Empty: '#eeeeee',
  PreparingRebalance: '#fbd9a8',
  CompletingRebalance: '#bcd8f0',
  Stable: '#d7ecd3',
  Dead: '#9e9e9e',
};
/** Light versions drawn across the lanes while the coordinator rebalances. */
const BAND_FILL: Record<string, string> = { PreparingRebalance: '#fdf0dc', CompletingRebalance: '#e4eff9' };
const GROUP_SHORT: Record<string, string> = { PreparingRebalance: 'Preparing', CompletingRebalance: 'Completing' };

const MEMBER_STRIP: Record<string, string> = { stable: '#a6d99d', unjoined: '#c9c9c9', fatal: '#555555' };
const MEMBER_STRIP_REBALANCING = '#f3d27a';
const memberStrip = (state: string) => MEMBER_STRIP[state] ?? MEMBER_STRIP_REBALANCING;

const RED = '#d62728';
const STALL = '#ef6c00';
const CUT = '#6a1b9a';
const REVOKE = '#4e342e';
const NOT_LIVE = '#e3e3e3';

// ---------------------------------------------------------------------------------------------
// Text

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const ms = (n: number) => `${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ms`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Partitions sorted by topic, then number. */
function sortPartitions(ps: Iterable<string>): string[] {
  const key = (p: string) => {
    const m = /^(.*)-(\d+)$/.exec(p);
    return m ? ([m[1], Number(m[2])] as const) : ([p, 0] as const);
  };
  return [...new Set(ps)].sort((a, b) => {
    const [ta, na] = key(a);
    const [tb, nb] = key(b);
    return ta < tb ? -1 : ta > tb ? 1 : na - nb;
  });
}

const partitionsOf = (rows: TimelineRow[]) => rows.flatMap((r) => r.members.flatMap((m) => m.owned));

/** Generations (classic) are `g<n>`; in the consumer protocol the group epoch is `ge<n>` and a member epoch `e<n>`. */
const genOf = (g: TimelineRow['group']) => `${g.family === 'consumer' ? 'ge' : 'g'}${g.generation}`;
const memberGen = (m: MemberView) => `${m.protocol === 'consumer' ? 'e' : 'g'}${m.generation}`;

function memberLine(m: MemberView): string {
  if (!m.live) return `${m.name}: ${m.state}`;
  const flags = [m.isLeader ? 'leader' : '', m.stalled ? 'stalled' : '', m.cut ? 'link cut' : ''].filter(Boolean).join(', ');
  return `${m.name}: ${m.state} ${memberGen(m)}${flags ? ` (${flags})` : ''} [${m.owned.join(', ')}]`;
}

const groupLine = (r: TimelineRow) =>
  r.group.family === 'consumer'
    ? `group ${r.group.state} group epoch=${r.group.generation}${r.group.epoch > 0 ? ` coordinator epoch=${r.group.epoch}` : ''}`
    : `group ${r.group.state} gen=${r.group.generation} leader=${r.group.leader ?? '-'}${r.group.epoch > 0 ? ` epoch=${r.group.epoch}` : ''}`;

// Steps are numbered from 1 as in the terminal timeline and the replay header (0 is the start).
const stepNo = (r: TimelineRow) => r.index + 1;
const stepLabel = (r: TimelineRow) => (r.index < 0 ? 'initial state' : `step ${stepNo(r)}`);

// ---------------------------------------------------------------------------------------------
// Pauses

export interface PauseSummary {
  /** Partitions seen in the timeline, sorted. */
  partitions: string[];
  /** Partitions that lost their owner at least once after their first assignment. */
  paused: string[];
  /** Sum over partitions of the steps (rows) without a live owner after the first assignment. */
  unownedSteps: number;
  /** The same in virtual milliseconds (each row lasts until the next row's time). */
  unownedMs: number;
  longest: { partition: string; steps: number; ms: number } | null;
  /** Rows, after the first assignment, in which no partition at all had a live owner. */
  allUnownedSteps: number;
  allUnownedMs: number;
  /** Consumers that went from owning partitions to owning none while running. */
  stopped: string[];
}

export function pauseSummary(rows: TimelineRow[], partitions = sortPartitions(partitionsOf(rows))): PauseSummary {
  const dur = rows.map((r, j) => (j + 1 < rows.length ? rows[j + 1].now - r.now : 0));
  const owned = rows.map((r) => new Set(r.members.filter((m) => m.live).flatMap((m) => m.owned)));
  const s: PauseSummary = {
    partitions,
    paused: [],
    unownedSteps: 0,
    unownedMs: 0,
    longest: null,
    allUnownedSteps: 0,
    allUnownedMs: 0,
    stopped: [],
  };
  for (const p of partitions) {
    let seen = false;
    let run: { steps: number; ms: number } | null = null;
    const close = () => {
      if (run && (!s.longest || run.steps > s.longest.steps || (run.steps === s.longest.steps && run.ms > s.longest.ms)))
        s.longest = { partition: p, ...run };
      run = null;
    };
    rows.forEach((_, j) => {
      if (owned[j].has(p)) {
        seen = true;
        close();
      } else if (seen) {
        if (!run) {
          run = { steps: 0, ms: 0 };
          if (!s.paused.includes(p)) s.paused.push(p);
        }
        run.steps++;
        run.ms += dur[j];
        s.unownedSteps++;
        s.unownedMs += dur[j];
      }
    });
    close();
  }
  const first = owned.findIndex((o) => o.size > 0);
  if (first >= 0) {
    for (let j = first; j < rows.length; j++) {
      if (partitions.every((p) => !owned[j].has(p))) {
        s.allUnownedSteps++;
        s.allUnownedMs += dur[j];
      }
    }
  }
  const stopped = new Set<string>();
  for (let j = 1; j < rows.length; j++) {
    for (const m of rows[j].members) {
      const before = rows[j - 1].members.find((x) => x.name === m.name);
      if (before?.live && before.owned.length > 0 && m.live && m.owned.length === 0) stopped.add(m.name);
    }
  }
  s.stopped = [...stopped].sort();
  return s;
}

function summaryText(s: PauseSummary): string {
  const parts = [
    `paused: ${s.paused.length > 0 && s.paused.length === s.partitions.length ? `all ${s.partitions.length} partitions` : `${s.paused.length} of ${s.partitions.length} partitions${s.paused.length ? ` (${s.paused.join(', ')})` : ''}`}`,
    `all without an owner at once: ${s.allUnownedSteps > 0 ? `${plural(s.allUnownedSteps, 'step')} (${ms(s.allUnownedMs)})` : 'never'}`,
    `without an owner: ${plural(s.unownedSteps, 'partition-step')} (${ms(s.unownedMs).replace(' ms', ' partition-ms')})`,
    `longest pause: ${s.longest ? `${plural(s.longest.steps, 'step')} (${ms(s.longest.ms)}, ${s.longest.partition})` : 'none'}`,
    `consumers stopped: ${s.stopped.length ? s.stopped.join(', ') : 'none'}`,
  ];
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Swim lanes: ownership per consumer

interface Scale {
  /** Pixels per step column. */
  stepW: number;
  /** Columns drawn (the longest timeline's rows). */
  cols: number;
  lanes: string[];
  partitions: string[];
  colour: Map<string, string>;
}

const LEFT = 92;
const RIGHT = 24;
const PLOT_WIDTH = 1200;

function scaleFor(timelines: TimelineRow[][]): Scale {
  const cols = Math.max(1, ...timelines.map((r) => r.length));
  const stepW = Math.max(4, Math.min(24, Math.floor(PLOT_WIDTH / cols)));
  const lanes = [...new Set(timelines.flatMap((rows) => rows.flatMap((r) => r.members.map((m) => m.name))))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const partitions = sortPartitions(timelines.flatMap(partitionsOf));
  return { stepW, cols, lanes, partitions, colour: new Map(partitions.map((p, i) => [p, partitionColour(i)])) };
}

/** Runs of equal keys over the columns: [start, end) with the key; null keys are skipped. */
function runs<K>(n: number, keyAt: (j: number) => K | null): Array<{ from: number; to: number; key: K }> {
  const out: Array<{ from: number; to: number; key: K }> = [];
  for (let j = 0; j < n; j++) {
    const k = keyAt(j);
    const last = out[out.length - 1];
    if (k !== null && last && last.to === j && last.key === k) last.to = j + 1;
    else if (k !== null) out.push({ from: j, to: j + 1, key: k });
  }
  return out;
}

function rowTooltip(r: TimelineRow): string {
  return [`${stepLabel(r)} · ${ms(r.now)}${r.fair ? ' · fair schedule' : ''}`, r.text, groupLine(r), ...r.members.map(memberLine)].join(
    '\n',
  );
}

function barHeight(p: number): number {
  if (p <= 6) return 8;
  if (p <= 12) return 7;
  return Math.max(2, Math.floor(84 / p));
}

function swimLanes(rows: TimelineRow[], sc: Scale, id: string, violation?: HtmlReport['violation']): string {
  const W = sc.stepW;
  const P = sc.partitions.length;
  const barH = barHeight(P);
  const markZone = 7;
  const laneH = markZone + Math.max(1, P) * (barH + 1) + 5;
  const laneGap = 4;
  // With a violation, its label gets a row of its own at the top.
  const top0 = violation ? 15 : 0;
  const stepAxisY = top0 + 10;
  const groupTop = top0 + 24;
  const groupH = 14;
  const lanesTop = groupTop + groupH + 4;
  // The consumer lanes, then one more lane: partitions that have no running owner.
  const ownersBottom = lanesTop + sc.lanes.length * (laneH + laneGap) - laneGap;
  const lanesBottom = ownersBottom + laneGap + laneH;
  const width = LEFT + sc.cols * W + RIGHT;
  const height = lanesBottom + 32;
  const x = (j: number) => LEFT + j * W;
  const laneTop = (i: number) => lanesTop + i * (laneH + laneGap);
  const n = rows.length;
  const out: string[] = [];
  out.push(
    `<svg class="lanes" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="partition ownership per consumer">`,
  );
  out.push(
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${NOT_LIVE}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c2c2c2" stroke-width="2"/></pattern>` +
      `<pattern id="${id}-stall" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffe0b2"/><line x1="0" y1="0" x2="0" y2="6" stroke="${STALL}" stroke-width="3"/></pattern></defs>`,
  );

  // Step axis (top): a number every k columns, k chosen so that labels are >= 28 px apart.
  const every = [1, 2, 5, 10, 20, 50, 100, 200, 500].find((k) => k * W >= 28) ?? 1000;
  out.push(`<text class="axis-title" x="${LEFT - 6}" y="${stepAxisY}" text-anchor="end">step</text>`);
  rows.forEach((r, j) => {
    if (r.index >= 0 && r.index % every === 0)
      out.push(`<text class="axis" x="${x(j) + W / 2}" y="${stepAxisY}" text-anchor="middle">${stepNo(r)}</text>`);
  });
  // Fair schedule: a thin band under the step numbers.
  for (const f of runs(n, (j) => (rows[j].fair ? 'fair' : null))) {
    out.push(
      `<rect x="${x(f.from)}" y="${stepAxisY + 4}" width="${(f.to - f.from) * W}" height="4" fill="#b39ddb"><title>fair schedule (after the faults stop): steps ${stepNo(rows[f.from])}–${stepNo(rows[f.to - 1])}</title></rect>`,
    );
  }

  // Coordinator: state strip, rebalance bands across the lanes, generation ticks.
  out.push(`<text class="lane-label small" x="${LEFT - 6}" y="${groupTop + groupH - 4}" text-anchor="end">group</text>`);
  for (const g of runs(n, (j) => rows[j].group.state)) {
    const band = BAND_FILL[g.key];
    if (band)
      out.push(`<rect x="${x(g.from)}" y="${groupTop}" width="${(g.to - g.from) * W}" height="${lanesBottom - groupTop}" fill="${band}"/>`);
  }
  for (const g of runs(n, (j) => rows[j].group.state)) {
    const w = (g.to - g.from) * W;
    out.push(
      `<rect x="${x(g.from)}" y="${groupTop}" width="${w}" height="${groupH}" fill="${GROUP_FILL[g.key] ?? '#eeeeee'}" stroke="#ffffff" stroke-width="0.5"><title>${esc(`coordinator ${g.key}, ${stepLabel(rows[g.from])} to ${stepLabel(rows[g.to - 1])}`)}</title></rect>`,
    );
    const label = GROUP_SHORT[g.key] ?? g.key;
    if (w >= label.length * 5.6 + 6)
      out.push(`<text class="band-label" x="${x(g.from) + 3}" y="${groupTop + groupH - 4}">${esc(label)}</text>`);
  }
  for (let j = 1; j < n; j++) {
    const a = rows[j - 1].group;
    const b = rows[j].group;
    if (a.generation === b.generation && a.epoch === b.epoch) continue;
    const gx = x(j);
    out.push(
      `<line x1="${gx}" y1="${groupTop - 6}" x2="${gx}" y2="${lanesBottom}" stroke="#555" stroke-width="1" stroke-dasharray="2,3"/>`,
    );
    out.push(`<line x1="${gx}" y1="${groupTop - 7}" x2="${gx}" y2="${groupTop + groupH}" stroke="#222" stroke-width="2"/>`);
    const label = `${genOf(b)}${b.epoch !== a.epoch ? ` e${b.epoch}` : ''}`;
    out.push(
      `<text class="gen" x="${gx + 3}" y="${groupTop - 1}">${esc(label)}<title>${esc(`${stepLabel(rows[j])}: generation ${a.generation} → ${b.generation}${b.epoch !== a.epoch ? `, coordinator epoch ${b.epoch}` : ''}`)}</title></text>`,
    );
  }

  // Lanes.
  sc.lanes.forEach((name, i) => {
    const top = laneTop(i);
    const member = (j: number) => rows[j].members.find((m) => m.name === name);
    out.push(`<rect x="${LEFT}" y="${top}" width="${n * W}" height="${laneH}" fill="none" stroke="#bdbdbd" stroke-width="1"/>`);
    out.push(`<text class="lane-label" x="${LEFT - 8}" y="${top + laneH / 2 + 5}" text-anchor="end">${esc(name)}</text>`);
    // Not running: hatched grey with the slot status.
    for (const d of runs(n, (j) => {
      const m = member(j);
      return !m || m.live ? null : m.state;
    })) {
      const w = (d.to - d.from) * W;
      out.push(
        `<rect x="${x(d.from)}" y="${top}" width="${w}" height="${laneH}" fill="url(#${id}-hatch)"><title>${esc(`${name} ${d.key}, ${stepLabel(rows[d.from])} to ${stepLabel(rows[d.to - 1])}`)}</title></rect>`,
      );
      if (w >= d.key.length * 6.5 + 8)
        out.push(`<text class="dead-label" x="${x(d.from) + w / 2}" y="${top + laneH / 2 + 4}" text-anchor="middle">${esc(d.key)}</text>`);
    }
    // Partition bars: one sub-row per partition, the same in every lane.
    sc.partitions.forEach((p, k) => {
      const y = top + markZone + k * (barH + 1);
      for (const b of runs(n, (j) => {
        const m = member(j);
        return m?.live && m.owned.includes(p) ? p : null;
      })) {
        const w = (b.to - b.from) * W;
        out.push(`<rect class="bar" x="${x(b.from)}" y="${y}" width="${w}" height="${barH}" fill="${sc.colour.get(p)}"/>`);
        if (barH >= 8 && w >= p.length * 5 + 6)
          out.push(`<text class="bar-label" x="${x(b.from) + 3}" y="${y + barH - 1.5}">${esc(p)}</text>`);
      }
    });
    // Member state strip at the bottom of the lane (stable, rebalancing, unjoined).
    for (const st of runs(n, (j) => {
      const m = member(j);
      return m?.live ? m.state : null;
    })) {
      out.push(
        `<rect x="${x(st.from)}" y="${top + laneH - 5}" width="${(st.to - st.from) * W}" height="4" fill="${memberStrip(st.key)}"><title>${esc(`${name} ${st.key}, ${stepLabel(rows[st.from])} to ${stepLabel(rows[st.to - 1])}`)}</title></rect>`,
      );
    }
    // Stalled application and cut link: strips at the top of the lane.
    for (const st of runs(n, (j) => (member(j)?.live && member(j)!.stalled ? 'stalled' : null))) {
      out.push(
        `<rect x="${x(st.from)}" y="${top + 1}" width="${(st.to - st.from) * W}" height="4" fill="url(#${id}-stall)"><title>${esc(`${name} stalled (no poll), ${stepLabel(rows[st.from])} to ${stepLabel(rows[st.to - 1])}`)}</title></rect>`,
      );
    }
    for (const c of runs(n, (j) => (member(j)?.cut ? 'cut' : null))) {
      out.push(
        `<line x1="${x(c.from)}" y1="${top + 6.5}" x2="${x(c.to)}" y2="${top + 6.5}" stroke="${CUT}" stroke-width="2.5" stroke-dasharray="5,3"><title>${esc(`${name}'s link cut, ${stepLabel(rows[c.from])} to ${stepLabel(rows[c.to - 1])}`)}</title></line>`,
      );
    }
  });

  // No owner: partitions assigned before that no running consumer owns now, in pale colours;
  // red where no partition at all has an owner.
  {
    const top = ownersBottom + laneGap;
    const owned = rows.map((r) => new Set(r.members.filter((m) => m.live).flatMap((m) => m.owned)));
    const first = new Map<string, number>();
    sc.partitions.forEach((p) =>
      first.set(
        p,
        owned.findIndex((o) => o.has(p)),
      ),
    );
    const anyFirst = owned.findIndex((o) => o.size > 0);
    out.push(`<rect x="${LEFT}" y="${top}" width="${n * W}" height="${laneH}" fill="#fafafa" stroke="#e57373" stroke-width="1"/>`);
    out.push(`<text class="lane-label noowner" x="${LEFT - 8}" y="${top + laneH / 2 + 4}" text-anchor="end">no owner</text>`);
    for (const a of runs(n, (j) => (anyFirst >= 0 && j >= anyFirst && sc.partitions.every((p) => !owned[j].has(p)) ? 'all' : null))) {
      const w = (a.to - a.from) * W;
      out.push(
        `<rect x="${x(a.from)}" y="${top}" width="${w}" height="${laneH}" fill="#ffcdd2"><title>${esc(`no partition has an owner, ${stepLabel(rows[a.from])} to ${stepLabel(rows[a.to - 1])}`)}</title></rect>`,
      );
      if (w >= 70) out.push(`<text class="stop-label" x="${x(a.from) + w / 2}" y="${top + 7}" text-anchor="middle">all stopped</text>`);
    }
    sc.partitions.forEach((p, k) => {
      const y = top + markZone + k * (barH + 1);
      const f = first.get(p)!;
      for (const b of runs(n, (j) => (f >= 0 && j > f && !owned[j].has(p) ? p : null))) {
        out.push(
          `<rect x="${x(b.from)}" y="${y}" width="${(b.to - b.from) * W}" height="${barH}" fill="${sc.colour.get(p)}" fill-opacity="0.4" stroke="${sc.colour.get(p)}" stroke-width="1" stroke-dasharray="2,2"><title>${esc(`${p} has no running owner, ${stepLabel(rows[b.from])} to ${stepLabel(rows[b.to - 1])}`)}</title></rect>`,
        );
      }
    });
  }

  // Time axis (bottom): a tick where the virtual time changes, labelled when there is room.
  const axisY = lanesBottom + 6;
  out.push(`<line x1="${LEFT}" y1="${axisY}" x2="${x(n)}" y2="${axisY}" stroke="#666"/>`);
  out.push(`<text class="axis-title" x="${LEFT - 6}" y="${axisY + 13}" text-anchor="end">virtual ms</text>`);
  // Two label lines: a label that would touch the previous one on the first line goes to the second.
  const lastEnd = [-Infinity, -Infinity];
  rows.forEach((r, j) => {
    if (j > 0 && rows[j - 1].now === r.now) return;
    const label = ms(r.now).replace(' ms', '');
    const line = [0, 1].find((l) => x(j) >= lastEnd[l] + 6);
    out.push(`<line x1="${x(j)}" y1="${axisY}" x2="${x(j)}" y2="${axisY + (line === 1 ? 15 : 5)}" stroke="#666"/>`);
    if (line === undefined) return;
    out.push(`<text class="axis" x="${x(j) + 2}" y="${axisY + 14 + line * 11}">${esc(label)}</text>`);
    lastEnd[line] = x(j) + 2 + label.length * 6;
  });

  // Hover targets: one per column, with the whole state, linking to the table row.
  rows.forEach((r, j) => {
    out.push(
      `<a href="#${id}-step-${r.index}"><rect class="col" x="${x(j)}" y="${groupTop}" width="${W}" height="${lanesBottom - groupTop}"><title>${esc(rowTooltip(r))}</title></rect></a>`,
    );
  });

  // Revocations (a lane loses partitions), on top of the hover targets so they keep their own titles.
  sc.lanes.forEach((name, i) => {
    const top = laneTop(i);
    for (let j = 1; j < n; j++) {
      const a = rows[j - 1].members.find((m) => m.name === name);
      const b = rows[j].members.find((m) => m.name === name);
      if (!a?.live) continue;
      const lost = a.owned.filter((p) => !(b?.live && b.owned.includes(p)));
      if (lost.length === 0) continue;
      const how = b?.live ? 'revokes' : `loses (${b?.state ?? 'gone'})`;
      const mx = x(j);
      out.push(
        `<path d="M${mx - 5},${top} L${mx + 5},${top} L${mx},${top + 7} Z" fill="${REVOKE}" stroke="#ffffff" stroke-width="0.75"><title>${esc(`${stepLabel(rows[j])}: ${name} ${how} ${lost.join(', ')}`)}</title></path>`,
      );
      out.push(
        `<line x1="${mx}" y1="${top + 7}" x2="${mx}" y2="${top + laneH - 5}" stroke="${REVOKE}" stroke-width="1" stroke-dasharray="1.5,2"/>`,
      );
    }
  });

  // The violation.
  if (violation) {
    // A liveness violation comes after the last step: the line goes at the right end.
    const j = rows.findIndex((r) => r.index === violation.step);
    const after = j < 0;
    const vx = after ? x(n) : x(j) + W / 2;
    const label = `✗ ${violation.invariant}${after ? ' (after the last step)' : ` at step ${violation.step + 1}`}: ${violation.message}`;
    const maxChars = Math.max(20, Math.floor(Math.max(vx - LEFT, x(n) - vx) / 6.4));
    const right = x(n) - vx >= vx - LEFT;
    out.push(
      `<line x1="${vx}" y1="2" x2="${vx}" y2="${lanesBottom + 4}" stroke="${RED}" stroke-width="2.5"><title>${esc(label)}</title></line>`,
    );
    out.push(
      `<text class="viol-label" x="${right ? vx + 5 : vx - 5}" y="11" text-anchor="${right ? 'start' : 'end'}">${esc(cut(label, maxChars))}<title>${esc(label)}</title></text>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Sequence view: messages between coordinator, brokers and consumers

const SEQ_ROW = 18;
const SEQ_LEFT = 92;
const SEQ_LANE = 150;

function sequence(rows: TimelineRow[], id: string, violation?: HtmlReport['violation']): string {
  const members = [...new Set(rows.flatMap((r) => r.members.map((m) => m.name)))];
  const usesBrokers = rows.some((r) =>
    [...r.sent, ...(r.handled ? [r.handled] : [])].some((m) => m.from === 'brokers' || m.to === 'brokers'),
  );
  const lanes = ['coordinator', ...(usesBrokers ? ['brokers'] : []), ...members];
  // Lanes closer together when there are many, so that the page stays about 1,300 px wide.
  const gap = Math.max(100, Math.min(SEQ_LANE, Math.floor(560 / Math.max(1, lanes.length - 1))));
  const firstLane = SEQ_LEFT + 112;
  const laneX = new Map(lanes.map((l, i) => [l, firstLane + i * gap]));
  const textX = firstLane + (lanes.length - 1) * gap + 90;
  const width = textX + 470;
  const n = rows.length;
  const height = n * SEQ_ROW + 12;
  const y = (j: number) => j * SEQ_ROW + SEQ_ROW / 2 + 4;
  const violationRow = violation ? rows.findIndex((r) => r.index === violation.step) : -1;

  const head: string[] = [`<svg class="seq-head" width="${width}" height="26" viewBox="0 0 ${width} 26">`];
  head.push(
    `<text class="axis-title" x="8" y="17">step</text><text class="axis-title" x="${SEQ_LEFT - 6}" y="17" text-anchor="end">ms</text><text class="axis-title" x="${SEQ_LEFT + 4}" y="17">gen</text>`,
  );
  for (const l of lanes) {
    const lx = laneX.get(l)!;
    head.push(
      `<rect x="${lx - 52}" y="3" width="104" height="20" rx="4" fill="${l === 'coordinator' ? '#37474f' : l === 'brokers' ? '#607d8b' : '#455a64'}"/><text class="seq-lane" x="${lx}" y="17" text-anchor="middle">${esc(l)}</text>`,
    );
  }
  head.push(`<text class="axis-title" x="${textX}" y="17">choice</text></svg>`);

  const out: string[] = [
    `<svg class="seq" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="message sequence">`,
  ];
  const arrow = (name: string, colour: string) =>
    `<marker id="${id}-${name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  out.push(`<defs>${arrow('req', '#1565c0')}${arrow('ok', '#2e7d32')}${arrow('err', '#e65100')}${arrow('gone', '#9e9e9e')}</defs>`);

  // Row backgrounds: zebra, fair schedule, violation.
  rows.forEach((r, j) => {
    const fill = j === violationRow ? '#fbd5d5' : r.fair ? (j % 2 ? '#f1edf9' : '#f6f3fc') : j % 2 ? '#f7f7f7' : null;
    if (fill) out.push(`<rect x="0" y="${y(j) - SEQ_ROW / 2}" width="${width}" height="${SEQ_ROW}" fill="${fill}"/>`);
  });
  // Lifelines: coordinator coloured by group state, consumers by member state, grey dashes when not running.
  for (const g of runs(n, (j) => rows[j].group.state)) {
    const lx = laneX.get('coordinator')!;
    out.push(
      `<rect x="${lx - 3}" y="${y(g.from) - SEQ_ROW / 2}" width="6" height="${(g.to - g.from) * SEQ_ROW}" fill="${GROUP_FILL[g.key] ?? '#eeeeee'}" stroke="#9e9e9e" stroke-width="0.5"><title>${esc(`coordinator ${g.key}`)}</title></rect>`,
    );
  }
  if (usesBrokers) {
    const lx = laneX.get('brokers')!;
    out.push(`<line x1="${lx}" y1="0" x2="${lx}" y2="${height}" stroke="#90a4ae" stroke-width="2"/>`);
  }
  for (const name of members) {
    const lx = laneX.get(name)!;
    for (const s of runs(n, (j) => {
      const m = rows[j].members.find((x) => x.name === name);
      return m ? (m.live ? m.state : `not:${m.state}`) : null;
    })) {
      const y0 = y(s.from) - SEQ_ROW / 2;
      const h = (s.to - s.from) * SEQ_ROW;
      if (s.key.startsWith('not:'))
        out.push(
          `<line x1="${lx}" y1="${y0}" x2="${lx}" y2="${y0 + h}" stroke="#bdbdbd" stroke-width="2" stroke-dasharray="3,4"><title>${esc(`${name} ${s.key.slice(4)}`)}</title></line>`,
        );
      else
        out.push(
          `<rect x="${lx - 3}" y="${y0}" width="6" height="${h}" fill="${memberStrip(s.key)}" stroke="#9e9e9e" stroke-width="0.5"><title>${esc(`${name} ${s.key}`)}</title></rect>`,
        );
    }
  }
  // Generation changes, in a gutter column of their own (the coordinator's events sit on its lifeline).
  for (let j = 1; j < n; j++) {
    if (rows[j].group.generation !== rows[j - 1].group.generation || rows[j].group.epoch !== rows[j - 1].group.epoch) {
      out.push(
        `<text class="gen" x="${SEQ_LEFT + 4}" y="${y(j) + 4}">${genOf(rows[j].group)}${rows[j].group.epoch !== rows[j - 1].group.epoch ? ` e${rows[j].group.epoch}` : ''}</text>`,
      );
    }
  }

  // Gutter and choice text.
  rows.forEach((r, j) => {
    const timeChanged = j === 0 || rows[j - 1].now !== r.now;
    out.push(
      `<a href="#${id}-step-${r.index}"><text class="gutter" x="8" y="${y(j) + 4}">${r.fair ? '~' : ''}${r.index < 0 ? 'init' : stepNo(r)}</text></a>`,
    );
    out.push(
      `<text class="gutter${timeChanged ? ' strong' : ' faint'}" x="${SEQ_LEFT - 6}" y="${y(j) + 4}" text-anchor="end">${esc(ms(r.now).replace(' ms', ''))}</text>`,
    );
    out.push(
      `<text class="choice${j === violationRow ? ' viol-text' : ''}" x="${textX}" y="${y(j) + 4}">${esc(cut((j === violationRow ? '✗ ' : '') + r.text, 76))}<title>${esc(rowTooltip(r))}</title></text>`,
    );
  });

  // Events that are not messages: timers, process starts and stops, faults.
  rows.forEach((r, j) => {
    const c = r.choice;
    if (!c || c.kind === 'deliver' || c.kind === 'drop') return;
    const lane =
      'client' in c
        ? c.client
        : c.kind === 'fire'
          ? c.target
          : c.kind === 'failover' || c.kind === 'expireOffsets'
            ? 'coordinator'
            : usesBrokers
              ? 'brokers'
              : 'coordinator';
    const lx = laneX.get(lane) ?? laneX.get('coordinator')!;
    const timer = c.kind === 'fire';
    const label = timer
      ? c.timer
      : c.kind === 'addPartition'
        ? `+partition ${c.topic}`
        : c.kind === 'createTopic'
          ? `+topic ${c.topic}`
          : c.kind;
    const bad = ['crash', 'close', 'stall', 'cut', 'failover'].includes(c.kind);
    const w = Math.min(gap - 14, label.length * 5.6 + (timer ? 22 : 12));
    const tx = lx + (timer ? 6 : 0);
    // A timer gets a small clock face (drawn, so that it needs no glyph from the fonts).
    const clock = timer
      ? `<circle cx="${lx - w / 2 + 8}" cy="${y(j)}" r="4.5" fill="#fff" stroke="#f57f17" stroke-width="1.2"/><path d="M${lx - w / 2 + 8},${y(j) - 3} V${y(j)} H${lx - w / 2 + 10.5}" stroke="#f57f17" stroke-width="1.1" fill="none"/>`
      : '';
    out.push(
      `<g><title>${esc(`${stepLabel(r)}: ${r.text}`)}</title><rect x="${lx - w / 2}" y="${y(j) - 7}" width="${w}" height="14" rx="7" fill="${bad ? '#ffebee' : '#fffde7'}" stroke="${bad ? '#c62828' : '#f9a825'}"/>${clock}<text class="event" x="${tx}" y="${y(j) + 4}" text-anchor="middle">${esc(cut(label, Math.floor((w - (timer ? 20 : 8)) / 5.6)))}</text></g>`,
    );
  });

  // Messages: from the step that sent them to the step that delivered or dropped them.
  const handledAt = new Map<number, number>();
  const sentIds = new Set(rows.flatMap((r) => r.sent.map((m) => m.id)));
  rows.forEach((r, j) => {
    if (r.handled) handledAt.set(r.handled.id, j);
  });
  // Messages sent when the world started (before the first row) leave from the initial row.
  const sentAt = rows.map((r, j) =>
    j === 0 ? [...rows.flatMap((x) => (x.handled && !sentIds.has(x.handled.id) ? [x.handled] : [])), ...r.sent] : r.sent,
  );
  rows.forEach((r, j) => {
    for (const m of sentAt[j]) {
      const x1 = laneX.get(m.from);
      const x2 = laneX.get(m.to);
      if (x1 === undefined || x2 === undefined) continue;
      const k = handledAt.get(m.id);
      const dir = x2 >= x1 ? 1 : -1;
      const isReq = m.to === 'coordinator' || m.to === 'brokers';
      const errored = m.error !== null && m.error !== 'NONE';
      const kind = m.kind.replace(/Response$/, 'Resp');
      const label = `${kind}${errored ? ` ${m.error}` : ''}`;
      const ys = y(j);
      let x2e = x2 - dir * 4;
      const ye = k !== undefined ? y(k) : height - 2;
      let style = isReq ? 'req' : errored ? 'err' : 'ok';
      let colour = isReq ? '#1565c0' : errored ? '#e65100' : '#2e7d32';
      let extra = '';
      let dash = '';
      let endMark = `marker-end="url(#${id}-${style})"`;
      let note = '';
      if (k === undefined) {
        colour = '#9e9e9e';
        dash = ' stroke-dasharray="4,3"';
        endMark = `marker-end="url(#${id}-gone)"`;
        note = ' (still in flight at the end)';
      } else if (rows[k].choice?.kind === 'drop') {
        // Lost: the line stops short of the receiver and ends in a cross.
        x2e = x1 + (x2 - x1) * 0.7;
        colour = RED;
        dash = ' stroke-dasharray="4,3"';
        endMark = '';
        extra = `<path d="M${x2e - 4},${ye - 4} L${x2e + 4},${ye + 4} M${x2e - 4},${ye + 4} L${x2e + 4},${ye - 4}" stroke="${RED}" stroke-width="2"/>`;
        note = ` (dropped at step ${stepNo(rows[k])})`;
      } else if (!isReq) {
        const before = rows[k - 1]?.members.find((x) => x.name === m.to);
        if (before && !before.live) {
          colour = '#9e9e9e';
          style = 'gone';
          endMark = `marker-end="url(#${id}-gone)"`;
          note = ` (discarded: ${m.to} is ${before.state})`;
        }
      }
      if (k !== undefined && rows[k].choice?.kind !== 'drop') note ||= ` (delivered at step ${stepNo(rows[k])})`;
      const title = `${stepLabel(r)}: ${m.text}${note}`;
      const lx = x1 + (x2e - x1) * 0.5;
      const ly = ys + (ye - ys) * 0.5 - 3;
      out.push(
        `<g class="msg"><title>${esc(title)}</title><line x1="${x1 + dir * 4}" y1="${ys}" x2="${x2e}" y2="${ye}" stroke="${colour}" stroke-width="1.4"${dash} ${endMark}/>${extra}<text class="msg-label" x="${lx}" y="${ly}" text-anchor="middle" fill="${colour}">${esc(label)}${note.startsWith(' (dropped') ? ' ✗' : ''}</text></g>`,
      );
    }
  });
  if (violationRow < 0 && violation) {
    out.push(`<line x1="0" y1="${height - 2}" x2="${width}" y2="${height - 2}" stroke="${RED}" stroke-width="3"/>`);
  }
  out.push('</svg>');
  return `<div class="seq-wrap"><div class="seq-sticky">${head.join('')}</div>${out.join('')}</div>`;
}

// ---------------------------------------------------------------------------------------------
// Steps table

function stepsTable(rows: TimelineRow[], sc: Scale, id: string, violation?: HtmlReport['violation']): string {
  const members = [...new Set(rows.flatMap((r) => r.members.map((m) => m.name)))];
  const chip = (p: string) => `<span class="chip" style="background:${sc.colour.get(p) ?? '#777'}">${esc(p)}</span>`;
  const out: string[] = ['<table class="steps"><thead><tr><th>#</th><th>ms</th><th>choice</th><th>group</th>'];
  for (const m of members) out.push(`<th>${esc(m)}</th>`);
  out.push('</tr></thead><tbody>');
  const vIndex = violation ? rows.findIndex((r) => r.index === violation.step) : -1;
  rows.forEach((r, j) => {
    const prev = rows[j - 1];
    const cls = [j === vIndex ? 'viol' : '', r.fair ? 'fair' : ''].filter(Boolean).join(' ');
    out.push(`<tr id="${id}-step-${r.index}"${cls ? ` class="${cls}"` : ''}>`);
    out.push(
      `<td class="num">${r.fair ? '~' : ''}${r.index < 0 ? '' : stepNo(r)}</td><td class="num">${esc(ms(r.now).replace(' ms', ''))}</td>`,
    );
    out.push(`<td class="choice-cell">${j === vIndex ? '<b>✗</b> ' : ''}${esc(r.text)}</td>`);
    const g = `${r.group.state} ${genOf(r.group)}${r.group.leader ? ` L=${r.group.leader}` : ''}${r.group.epoch > 0 ? ` e${r.group.epoch}` : ''}`;
    const gPrev = prev
      ? `${prev.group.state} ${genOf(prev.group)}${prev.group.leader ? ` L=${prev.group.leader}` : ''}${prev.group.epoch > 0 ? ` e${prev.group.epoch}` : ''}`
      : '';
    out.push(
      `<td class="${g !== gPrev ? 'changed' : ''}"><span class="gs" style="background:${GROUP_FILL[r.group.state] ?? '#eee'}">${esc(g)}</span></td>`,
    );
    for (const name of members) {
      const m = r.members.find((x) => x.name === name);
      const pm = prev?.members.find((x) => x.name === name);
      if (!m) {
        out.push('<td></td>');
        continue;
      }
      const key = (v?: MemberView) => (v ? `${v.state}|${v.generation}|${v.owned.join()}|${v.stalled}|${v.cut}|${v.isLeader}` : '');
      const flags = [m.isLeader ? 'L' : '', m.stalled ? 'stalled' : '', m.cut ? 'cut' : ''].filter(Boolean).join(' ');
      const body = m.live
        ? `${esc(m.state)} ${memberGen(m)}${flags ? ` ${esc(flags)}` : ''} ${m.owned.map(chip).join('')}`
        : `<span class="dead">${esc(m.state)}${m.cut ? ' cut' : ''}</span>`;
      out.push(`<td class="${key(m) !== key(pm) ? 'changed' : ''}">${body}</td>`);
    }
    out.push('</tr>');
  });
  if (violation && vIndex < 0)
    out.push(
      `<tr class="viol"><td></td><td></td><td colspan="${2 + members.length}"><b>✗</b> ${esc(`after the last step: ${violation.invariant}: ${violation.message}`)}</td></tr>`,
    );
  out.push('</tbody></table>');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Page

function legend(sc: Scale): string {
  const sw = (style: string, label: string) => `<span class="lg"><span class="sw" style="${style}"></span>${esc(label)}</span>`;
  const parts = sc.partitions.map((p) => sw(`background:${sc.colour.get(p)}`, p));
  parts.push('<span class="lg-sep"></span>');
  parts.push(sw(`background:${BAND_FILL.PreparingRebalance};border:1px solid ${GROUP_FILL.PreparingRebalance}`, 'PreparingRebalance'));
  parts.push(sw(`background:${BAND_FILL.CompletingRebalance};border:1px solid ${GROUP_FILL.CompletingRebalance}`, 'CompletingRebalance'));
  parts.push(sw(`background:${GROUP_FILL.Stable}`, 'Stable'));
  parts.push(`<span class="lg"><b class="gen-k">g2</b> generation changes</span>`);
  parts.push(`<span class="lg"><span class="tri">▼</span> revocation (lane loses partitions)</span>`);
  parts.push(sw(`background:repeating-linear-gradient(45deg,#c2c2c2 0 2px,${NOT_LIVE} 2px 5px)`, 'not running (crashed, closed)'));
  parts.push(sw(`background:${MEMBER_STRIP.stable};height:5px`, 'member stable'));
  parts.push(sw(`background:${MEMBER_STRIP_REBALANCING};height:5px`, 'member rebalancing'));
  parts.push(sw(`background:repeating-linear-gradient(45deg,${STALL} 0 2px,#ffe0b2 2px 5px);height:5px`, 'stalled'));
  parts.push(sw(`border-top:3px dashed ${CUT};height:0`, 'link cut'));
  parts.push(sw(`background:${RED};width:3px`, 'violation'));
  return `<div class="legend">${parts.join('')}</div>`;
}

const CSS = `
*{box-sizing:border-box}
body{margin:16px 18px;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#212121;background:#fff}
h1{font-size:20px;margin:0 0 2px}
h2{font-size:15px;margin:12px 0 2px}
h3{font-size:14px;margin:6px 0 0}
.sub{color:#555;margin:0 0 6px}
.note{color:#555;margin:2px 0 4px;font-size:12px}
.violation{border:2px solid ${RED};background:#fdecea;padding:6px 10px;margin:6px 0;border-radius:4px}
.violation b{color:${RED}}
.summary{margin:2px 0 4px;font-size:12.5px}
.summary b{font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center;font-size:12px;margin:4px 0 6px}
.lg{display:inline-flex;align-items:center;gap:5px}
.lg-sep{width:8px}
.sw{display:inline-block;width:16px;height:11px}
.tri{color:${REVOKE};font-size:11px}
.gen-k{font-size:11px}
.chart{overflow-x:auto;margin:0 0 4px}
svg text{font-family:inherit}
.axis{font-size:10px;fill:#555}
.axis-title{font-size:10px;fill:#777;font-style:italic}
.lane-label{font-size:13px;font-weight:600;fill:#263238}
.lane-label.small{font-size:11px;font-weight:400;fill:#555}
.lane-label.noowner{font-size:11px;font-weight:600;fill:#c62828}
.stop-label{font-size:9.5px;font-weight:700;fill:#b71c1c}
.band-label{font-size:9.5px;fill:#5d4037}
.bar-label{font-size:7.5px;fill:#fff;pointer-events:none}
.dead-label{font-size:11px;fill:#757575;font-style:italic}
.gen{font-size:10.5px;font-weight:700;fill:#212121}
.viol-label{font-size:11px;font-weight:700;fill:${RED};paint-order:stroke;stroke:#fff;stroke-width:3px}
.col{fill:#000;fill-opacity:0;cursor:pointer}
.col:hover{fill-opacity:.07}
.seq-wrap{max-height:640px;overflow:auto;border:1px solid #ddd}
.seq-sticky{position:sticky;top:0;background:#fff;z-index:1;border-bottom:1px solid #ddd;width:max-content}
.seq-lane{font-size:12px;font-weight:600;fill:#fff}
.gutter{font-size:10.5px;fill:#444}
.gutter.faint{fill:#bbb}
.gutter.strong{font-weight:600}
.choice{font-size:11px;fill:#333}
.viol-text{fill:${RED};font-weight:700}
.event{font-size:9.5px;fill:#333}
.msg-label{font-size:9.5px;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.msg:hover line{stroke-width:3}
table.steps{border-collapse:collapse;font-size:11.5px;margin-top:4px}
.steps th{position:sticky;top:0;background:#eceff1;text-align:left;padding:3px 6px;border-bottom:1px solid #b0bec5}
.steps td{padding:2px 6px;border-bottom:1px solid #eee;vertical-align:top;white-space:nowrap}
.steps td.num{text-align:right;color:#555}
.steps td.choice-cell{white-space:normal;min-width:280px;max-width:460px}
.steps tr.fair td{background:#f8f6fc}
.steps tr.viol td{background:#fbd5d5}
.steps tr:target td{outline:2px solid #1565c0}
.steps td.changed{font-weight:600}
.chip{display:inline-block;color:#fff;border-radius:3px;padding:0 3px;margin-right:2px;font-size:10.5px;font-weight:400}
.gs{border-radius:3px;padding:0 3px}
.dead{color:#9e9e9e;font-style:italic}
details{margin:6px 0}
summary{cursor:pointer;font-weight:600}
`;

function timelineDetails(
  rows: TimelineRow[],
  sc: Scale,
  id: string,
  label: string | null,
  open: boolean,
  violation?: HtmlReport['violation'],
): string {
  const body = [
    `<h2>Messages${label ? ` — ${esc(label)}` : ''}</h2>`,
    '<p class="note">One row per step, top to bottom. An arrow runs from the step that sent a message to the step that delivered it (blue requests, green responses, orange error responses, red dashes with a cross for a lost message, grey for a response to a process that is gone or a message still in flight). Lifelines are coloured by state. ~ marks the fair schedule.</p>',
    sequence(rows, id, violation),
    `<h2>Steps${label ? ` — ${esc(label)}` : ''}</h2>`,
    '<p class="note">State after each step; bold cells changed in that step. Hover or click a column of the chart to get here.</p>',
    stepsTable(rows, sc, id, violation),
  ].join('');
  if (label === null) return body;
  return `<details${open ? ' open' : ''}><summary>${esc(label)}: messages and steps (${rows.length} rows)</summary>${body}</details>`;
}

export function renderHtml(report: HtmlReport): string {
  const compare = report.compare && report.compare.length > 0 ? report.compare : null;
  const timelines = compare ? compare.map((c) => c.rows) : [report.rows];
  const sc = scaleFor([report.rows, ...timelines]);
  const v = report.violation;
  const parts: string[] = [];
  parts.push(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(report.title)}</title><style>${CSS}</style></head><body>`,
  );
  parts.push(`<h1>${esc(report.title)}</h1>`);
  if (report.subtitle) parts.push(`<p class="sub">${esc(report.subtitle)}</p>`);
  if (report.extra) parts.push(report.extra);
  if (v) {
    parts.push(
      `<div class="violation"><b>✗ ${esc(v.invariant)}</b> violated ${v.step >= 0 ? `at step ${v.step}` : ''}: ${esc(v.message)}<br><span class="note">${esc(v.statement)}</span></div>`,
    );
  }
  parts.push(
    `<p class="note"><b>Scale:</b> one column per step (${sc.stepW} px), not proportional to time: many steps happen in the same virtual millisecond; the virtual ms are labelled under the lanes where they change. Every lane has one row per partition at the same height, so a moving partition jumps lanes at its height.</p>`,
  );
  parts.push(legend(sc));

  if (compare) {
    parts.push('<h2>Partition ownership, compared on the same scales</h2>');
    parts.push(
      '<p class="note">A pause: steps in which a partition assigned before has no running owner (the <i>no owner</i> lane). Deliveries take no virtual time, so ms only count waits for timers (heartbeats, join delays); partition-steps count protocol steps.</p>',
    );
    compare.forEach((c, i) => {
      const s = pauseSummary(c.rows, sc.partitions);
      const isMain = c.rows === report.rows;
      parts.push(`<h3>${esc(c.label)}</h3><p class="summary">${esc(summaryText(s))}</p>`);
      parts.push(`<div class="chart">${swimLanes(c.rows, sc, `t${i}`, isMain ? v : undefined)}</div>`);
    });
    const mainInCompare = compare.findIndex((c) => c.rows === report.rows);
    if (mainInCompare < 0) {
      parts.push(`<h3>${esc(report.title)}</h3><p class="summary">${esc(summaryText(pauseSummary(report.rows, sc.partitions)))}</p>`);
      parts.push(`<div class="chart">${swimLanes(report.rows, sc, 'main', v)}</div>`);
      parts.push(timelineDetails(report.rows, sc, 'main', null, true, v));
    }
    compare.forEach((c, i) => {
      const isMain = c.rows === report.rows;
      parts.push(timelineDetails(c.rows, sc, `t${i}`, c.label, isMain, isMain ? v : undefined));
    });
  } else {
    parts.push('<h2>Partition ownership</h2>');
    parts.push(`<p class="summary">${esc(summaryText(pauseSummary(report.rows, sc.partitions)))}</p>`);
    parts.push(`<div class="chart">${swimLanes(report.rows, sc, 'main', v)}</div>`);
    parts.push(timelineDetails(report.rows, sc, 'main', null, true, v));
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
