// SVG bar charts drawn at build time (no script, no library) and the statistics behind the metrics
// page: medians of TTD/TTA/TTM/TTR by severity, incidents per month and per category. Pure.

/** One bar: its label, its value (for the length) and the value as shown. */
export interface Bar {
  label: string;
  value: number;
  display: string;
  /** No measurement for this bar (e.g. a month without incidents): the row shows no bar. */
  missing?: boolean;
}

export interface BarChart {
  /** Unique within the page; used for `aria-labelledby`. */
  id: string;
  /** The chart's `<title>`. */
  title: string;
  /** The chart's `<desc>`: what is measured and how. */
  description: string;
  /** Header of the value column in the data table. */
  valueLabel: string;
  bars: Bar[];
}

function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const WIDTH = 640;
const LABEL = 230;
const VALUE = 80;
const ROW = 26;
const PAD = 8;

/** A label cut to `max` characters with an ellipsis, keeping a trailing count such as ` (n=12)`. */
function shorten(label: string, max: number): string {
  if (label.length <= max) return label;
  const count = / \(n=\d+\)$/.exec(label)?.[0] ?? "";
  return `${label.slice(0, Math.max(1, max - count.length - 1)).trimEnd()}…${count}`;
}

/** A horizontal bar chart as an `<svg role="img">` with `<title>` and `<desc>`. */
export function renderBarChart(chart: BarChart): string {
  const id = chart.id.replace(/[^a-z0-9-]/gi, "-");
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  const span = WIDTH - LABEL - VALUE - 2 * PAD;
  const height = Math.max(1, chart.bars.length) * ROW + 2 * PAD;
  const rows = chart.bars.map((b, i) => {
    const y = PAD + i * ROW;
    const w = max > 0 ? Math.max(1, Math.round((b.value / max) * span)) : 0;
    const label = shorten(b.label, 30);
    return (
      `<g class="bar"><text x="${LABEL - 6}" y="${y + ROW / 2}" text-anchor="end" dominant-baseline="middle">${esc(label)}</text>` +
      (b.missing ? "" : `<rect x="${LABEL}" y="${y + 4}" width="${w}" height="${ROW - 8}"></rect>`) +
      `<text x="${LABEL + (b.missing ? 0 : w) + 6}" y="${y + ROW / 2}" dominant-baseline="middle" class="value">${esc(b.display)}</text></g>`
    );
  });
  const empty =
    chart.bars.length === 0
      ? `<text x="${WIDTH / 2}" y="${height / 2}" text-anchor="middle" dominant-baseline="middle">No data</text>`
      : "";
  return (
    `<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" ` +
    `xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${id}-title">${esc(chart.title)}</title><desc id="${id}-desc">${esc(chart.description)}</desc>` +
    `${rows.join("")}${empty}</svg>`
  );
}

// The metrics page and `incident stats` share one median (src/metrics/summary.ts).
export { median } from "../metrics/summary.js";
