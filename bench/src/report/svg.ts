// Horizontal grouped bar charts as standalone SVG (no dependencies): one group per route or scenario, one bar per
// series (peer or runtime), a whisker for min–max, the median printed at the bar's end.

/** One bar. */
export interface Bar {
  readonly series: string;
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
}

/** A group of bars (e.g. one route). */
export interface BarGroup {
  readonly label: string;
  readonly bars: readonly Bar[];
}

/** A chart to draw. */
export interface BarChart {
  readonly title: string;
  readonly unit: string;
  readonly groups: readonly BarGroup[];
  /** Draw the series legend (off when every bar label already names its series). @default true */
  readonly legend?: boolean;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];
const BAR_H = 16;
const GAP = 4;
const GROUP_GAP = 14;
const CHAR_PX = 6.3;
const PLOT = 460;
const RIGHT = 110;

/** Shortens a label to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Escapes text for SVG/XML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function label(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Renders a chart; bars with no value are drawn as "n/a". */
export function renderBarChart(chart: BarChart): string {
  const series = [...new Set(chart.groups.flatMap((g) => g.bars.map((b) => b.series)))];
  const color = (s: string) => PALETTE[series.indexOf(s) % PALETTE.length]!;
  const values = chart.groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.max ?? b.value]));
  const top = Math.max(0, ...values.filter((v) => Number.isFinite(v)));
  const longest = Math.max(0, ...series.map((s) => s.length));
  const LEFT = Math.round(Math.min(380, Math.max(120, 18 + longest * CHAR_PX)));
  const maxChars = Math.floor((LEFT - 18) / CHAR_PX);
  const WIDTH = LEFT + PLOT + RIGHT;
  const scale = top > 0 ? PLOT / top : 0;
  const legend = chart.legend !== false;
  const perRow = 3;
  const column = Math.floor((WIDTH - 24) / perRow);
  const legendRows = legend ? Math.ceil(series.length / perRow) : 0;
  let y = 34 + legendRows * 18;
  const parts: string[] = [];
  if (legend) {
    series.forEach((s, i) => {
      const lx = 12 + (i % perRow) * column;
      const ly = 30 + Math.floor(i / perRow) * 18;
      parts.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color(s)}"/>`);
      parts.push(
        `<text x="${lx + 18}" y="${ly}" class="l">${escapeXml(clip(s, Math.floor((column - 24) / CHAR_PX)))}</text>`,
      );
    });
  }
  for (const group of chart.groups) {
    parts.push(`<text x="12" y="${y + 12}" class="g">${escapeXml(group.label)}</text>`);
    y += 18;
    for (const bar of group.bars) {
      const ok = Number.isFinite(bar.value);
      const w = ok ? Math.max(1, bar.value * scale) : 0;
      parts.push(
        `<text x="${LEFT - 6}" y="${y + 12}" class="s" text-anchor="end">${escapeXml(clip(bar.series, maxChars))}</text>`,
      );
      if (ok) {
        parts.push(
          `<rect x="${LEFT}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${color(bar.series)}"/>`,
        );
        if (bar.min !== undefined && bar.max !== undefined && Number.isFinite(bar.min) && Number.isFinite(bar.max)) {
          const x1 = (LEFT + bar.min * scale).toFixed(1);
          const x2 = (LEFT + bar.max * scale).toFixed(1);
          const my = y + BAR_H / 2;
          parts.push(`<line x1="${x1}" y1="${my}" x2="${x2}" y2="${my}" class="w"/>`);
        }
      }
      const tx = LEFT + Math.max(w, (bar.max ?? 0) * scale) + 6;
      parts.push(`<text x="${tx.toFixed(1)}" y="${y + 12}" class="v">${ok ? label(bar.value) : 'n/a'}</text>`);
      y += BAR_H + GAP;
    }
    y += GROUP_GAP;
  }
  const height = y + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    '<style>text{font-family:system-ui,-apple-system,sans-serif;font-size:11px;fill:#222}.t{font-size:14px;font-weight:600}.g{font-weight:600}.v{fill:#444}.w{stroke:#111;stroke-width:1.2}</style>',
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="16" class="t">${escapeXml(chart.title)} (${escapeXml(chart.unit)})</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
