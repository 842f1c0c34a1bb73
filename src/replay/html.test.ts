import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { partitionColour, pauseSummary, renderHtml, type HtmlReport } from './html.ts';
import { scaleOutComparisonHtml } from './render-demo.ts';
import { scaleOutScenario } from './scenarios.ts';
import { session } from '../run/config.ts';
import { findVariant } from '../variants/catalogue.ts';
import { readCounterexample } from './counterexample.ts';
import { replayStored } from './replay.ts';
import { timeline } from './timeline.ts';
import type { TimelineRow } from './timeline.ts';

const eager = scaleOutScenario('eager');
const cooperative = scaleOutScenario('cooperative');

/** The consumer lanes of every swim-lane chart on the page, in order. */
const laneLabels = (html: string) => [...html.matchAll(/<text class="lane-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

// Assertions on the page that name what is missing instead of printing the whole page.
const found = (html: string, what: string | RegExp) => (typeof what === 'string' ? html.includes(what) : what.test(html));
const has = (html: string, what: string | RegExp) => expect(found(html, what), `the page lacks ${what}`).toBe(true);
const lacks = (html: string, what: string | RegExp) => expect(found(html, what), `the page contains ${what}`).toBe(false);

function selfContained(html: string) {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  // Anything that could fetch: absolute URLs anywhere, src/href attributes to other documents,
  // stylesheets, scripts, imported fonts. url(...) only for the page's own SVG patterns and markers.
  const forbidden: Array<[string, RegExp]> = [
    ['an absolute URL', /https?:\/\//i],
    ['a src attribute', /<[^>]*\ssrc\s*=/i],
    ['a href to another document', /<[^>]*\shref\s*=\s*"(?!#)/i],
    ['a <link>', /<link\b/i],
    ['a <script>', /<script\b/i],
    ['an @import or @font-face', /@import|@font-face/i],
    ['a url() to another document', /url\((?!#)/],
  ];
  for (const [what, re] of forbidden) {
    const m = re.exec(html);
    expect(m && html.slice(Math.max(0, m.index - 60), m.index + 60), `the page has ${what}`).toBeNull();
  }
}

describe('scale-out scenario', () => {
  test('2 consumers become stable, then c3 joins and the group settles with 3', () => {
    for (const { rows } of [eager, cooperative]) {
      const start = rows.findIndex((r) => r.choice?.kind === 'start' && r.choice.client === 'c3');
      expect(start).toBeGreaterThan(0);
      const before = rows[start - 1];
      expect(before.group.state).toBe('Stable');
      expect(before.members.filter((m) => m.state === 'stable').map((m) => m.name)).toEqual(['c1', 'c2']);
      const last = rows[rows.length - 1];
      expect(last.group.state).toBe('Stable');
      expect(last.members.map((m) => [m.name, m.state, m.owned.length])).toEqual([
        ['c1', 'stable', 2],
        ['c2', 'stable', 2],
        ['c3', 'stable', 2],
      ]);
    }
  });

  test('is deterministic and replays by meaning', () => {
    expect(scaleOutScenario('eager').choices).toEqual(eager.choices);
    expect(eager.rows.map((r) => r.state)).toEqual(scaleOutScenario('eager').rows.map((r) => r.state));
  });

  test('eager stops every consumer at once; cooperative pauses only the moved partitions', () => {
    const e = pauseSummary(eager.rows);
    const c = pauseSummary(cooperative.rows);
    expect(e.paused).toEqual(['t0-0', 't0-1', 't0-2', 't0-3', 't0-4', 't0-5']);
    expect(e.allUnownedSteps).toBeGreaterThan(0);
    expect(e.stopped).toEqual(['c1', 'c2']);
    expect(c.paused).toEqual(['t0-4', 't0-5']);
    expect(c.allUnownedSteps).toBe(0);
    expect(c.stopped).toEqual([]);
  });
});

describe('renderHtml', () => {
  const violation = { invariant: 'single-owner', statement: 'At most one <owner>.', message: 'c1 & c2 both own <t0-1>', step: 30 };

  test('a single timeline: self-contained, one lane per consumer, the violation marked', () => {
    const html = renderHtml({ title: 'eager scale-out', rows: eager.rows, violation });
    selfContained(html);
    expect(laneLabels(html)).toEqual(['c1', 'c2', 'c3']);
    // Steps are numbered from 1, as in the terminal timeline: index 30 is step 31.
    has(html, /class="viol-label"[^>]*>✗ single-owner at step 31: c1 &amp; c2 both own &lt;t0-1&gt;/);
    has(html, /<tr id="main-step-30" class="viol">/);
    // The sequence view and the table are there, one table row per timeline row.
    has(html, '<svg class="seq"');
    expect(html.match(/<tr id="main-step-/g)).toHaveLength(eager.rows.length);
  });

  test('no violation marker without a violation', () => {
    const html = renderHtml({ title: 't', rows: eager.rows });
    lacks(html, 'class="viol-label"');
    lacks(html, 'class="viol"');
  });

  test('a violation after the last step (liveness) is marked at the end', () => {
    const html = renderHtml({
      title: 't',
      rows: eager.rows,
      violation: { ...violation, invariant: 'eventually-stable', step: eager.rows.length },
    });
    has(html, /class="viol-label"[^>]*>✗ eventually-stable \(after the last step\)/);
    has(html, 'after the last step: eventually-stable');
  });

  test('escapes every text it inserts', () => {
    const rows: TimelineRow[] = eager.rows.map((r, i) => (i === 3 ? { ...r, text: 'deliver <img src=x onerror=alert(1)>' } : r));
    const report: HtmlReport = {
      title: '<script>alert(1)</script>',
      subtitle: 'a <b>bold</b> "claim"',
      rows,
      violation,
      compare: [{ label: 'eager <i>x</i>', rows }],
    };
    const html = renderHtml(report);
    selfContained(html);
    for (const raw of ['<script>', '<b>bold</b>', '<img', '<i>x</i>', '<owner>', '<t0-1>']) lacks(html, raw);
    has(html, '&lt;script&gt;alert(1)&lt;/script&gt;');
    has(html, 'deliver &lt;img src=x onerror=alert(1)&gt;');
    has(html, 'eager &lt;i&gt;x&lt;/i&gt;');
  });

  test('compare: one chart per timeline on the same scales, with a pause summary each', () => {
    const html = scaleOutComparisonHtml();
    selfContained(html);
    expect(laneLabels(html)).toEqual(['c1', 'c2', 'c3', 'c1', 'c2', 'c3']);
    const widths = [...html.matchAll(/<svg class="lanes" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    // Same scales: both charts span the longer timeline's steps at the same pixels per step.
    const stepW = Number(/one column per step \((\d+) px\)/.exec(html)![1]);
    expect(stepW).toBeGreaterThanOrEqual(4);
    expect(widths[0]).toBe(widths[1]);
    expect(widths[0]).toBeGreaterThanOrEqual(Math.max(eager.rows.length, cooperative.rows.length) * stepW);
    has(html, 'paused: all 6 partitions');
    has(html, 'paused: 2 of 6 partitions (t0-4, t0-5)');
    has(html, 'all without an owner at once: never');
    has(html, 'all stopped');
  });
});

// ---------------------------------------------------------------------------------------------
// The page in a real browser: Debian's chromium takes a screenshot, and the PNG must show the
// partition colours of the lanes in quantity (a blank or broken page has none).

const CHROMIUM = '/usr/bin/chromium';

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what chromium writes) to RGB triples. */
function decodePng(buf: Buffer): { width: number; height: number; rgb: Uint8Array } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colourType, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6))
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
      channels = colourType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i];
      const a = i >= channels ? px[y * stride + i - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = i >= channels && y > 0 ? px[(y - 1) * stride + i - channels] : 0;
      let p = 0;
      if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else if (filter === 4) {
        const q = a + b - c;
        const pa = Math.abs(q - a);
        const pb = Math.abs(q - b);
        const pc = Math.abs(q - c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[y * stride + i] = (v + p) & 255;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.set(px.subarray(i * channels, i * channels + 3), i * 3);
  return { width, height, rgb };
}

function countColours(img: { rgb: Uint8Array }, hexes: string[]): Map<string, number> {
  const want = new Map(hexes.map((h) => [parseInt(h.slice(1), 16), h]));
  const counts = new Map(hexes.map((h) => [h, 0]));
  for (let i = 0; i < img.rgb.length; i += 3) {
    const h = want.get((img.rgb[i] << 16) | (img.rgb[i + 1] << 8) | img.rgb[i + 2]);
    if (h) counts.set(h, counts.get(h)! + 1);
  }
  return counts;
}

/** Renders a page in headless chromium and returns the screenshot's pixels. */
function screenshot(html: string): { width: number; height: number; rgb: Uint8Array } {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with apt-get update && apt-get install -y chromium`);
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-html-'));
  try {
    const page = join(dir, 'page.html');
    const png = join(dir, 'shot.png');
    writeFileSync(page, html);
    const r = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--screenshot=${png}`,
        '--window-size=1400,1000',
        `file://${page}`,
      ],
      { timeout: 25_000, encoding: 'utf8' },
    );
    const log = `${r.error ?? ''}\n${r.stderr ?? ''}`.trim();
    expect(r.error, log).toBeUndefined();
    expect(existsSync(png), `no screenshot written (exit ${r.status}):\n${log}`).toBe(true);
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([1400, 1000]);
    return img;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A fresh machine has no chromium: skip with the reason printed. CI installs it (.ci/run) and
// must run these, so there a missing browser fails instead.
const noBrowser = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`;
if (noBrowser && process.env.CI) throw new Error(`headless-browser tests cannot run in CI: ${noBrowser}`);
if (noBrowser) console.warn(`skipping headless-browser tests: ${noBrowser}`);

describe.skipIf(noBrowser !== null)('in a headless browser', () => {
  test('the eager-vs-cooperative page renders its swim lanes', { timeout: 30_000 }, () => {
    const img = screenshot(scaleOutComparisonHtml());
    // Six partitions, six colours: each appears as bars in the lanes of both charts (a legend
    // swatch alone is under 200 pixels): about 8,000-11,000 pixels each here.
    const colours = Array.from({ length: 6 }, (_, i) => partitionColour(i));
    const counts = countColours(img, colours);
    for (const c of colours) expect(counts.get(c), `pixels of ${c}: ${[...counts]}`).toBeGreaterThan(4000);
    // Eager's moment with no owner at all is drawn (the red band in the "no owner" lane).
    expect(countColours(img, ['#ffcdd2']).get('#ffcdd2')).toBeGreaterThan(500);
  });

  test('a replayed counterexample renders its lanes and the violation', { timeout: 30_000 }, () => {
    // What `replay FILE --html` writes, for a corpus file: one consumer keeps t0-0 into JoinGroup.
    const corpus = join(import.meta.dirname, '..', '..', 'counterexamples');
    const file = join(corpus, readdirSync(corpus).find((f) => f.startsWith('eager-no-revoke-'))!);
    const cx = readCounterexample(file);
    const s = session(cx.config, findVariant(cx.variant!));
    const { result, choices } = replayStored(s, cx.choices, file);
    const v = result.violation!;
    const img = screenshot(
      renderHtml({
        title: 'replay',
        rows: timeline(s, choices),
        violation: { invariant: v.invariant, statement: v.statement, message: v.message, step: v.step },
      }),
    );
    const counts = countColours(img, [partitionColour(0)]);
    expect(counts.get(partitionColour(0)), 'pixels of the partition bar').toBeGreaterThan(1000);
    // The violation line and the failing row of the message sequence are drawn.
    expect(countColours(img, ['#d62728']).get('#d62728'), 'pixels of the violation line').toBeGreaterThan(100);
    expect(countColours(img, ['#fbd5d5']).get('#fbd5d5'), 'pixels of the failing sequence row').toBeGreaterThan(500);
  });
});
