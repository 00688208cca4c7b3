// Order statistics for durations: the median (mean of the two middle values for an even count), the
// 90th percentile by the nearest-rank method and the mean. Pure; incident durations are heavy-tailed,
// so every report carries the median and p90 next to the mean.

/** The median (the mean of the two middle values for an even count); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * The p-th percentile by the nearest-rank method: the value at rank ceil(p/100 * n) of the sorted
 * values (1-based), so it is always one of the values; undefined when empty.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1];
}

export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** n, median, p90 and mean of a sample. */
export interface Summary {
  n: number;
  median?: number;
  p90?: number;
  mean?: number;
}

export function summarize(values: readonly number[]): Summary {
  return { n: values.length, median: median(values), p90: percentile(values, 90), mean: mean(values) };
}

/** The longest span of months a table or chart lists month by month (100 years). */
export const MAX_MONTHS = 1200;

/**
 * Every month `YYYY-MM` from `first` to `last`, inclusive; undefined when that is more than
 * `max` months (a record dated in year 1 must not make a table or a chart of 24,000 empty months:
 * callers then show only the months that have data).
 */
export function monthRange(first: string, last: string, max = MAX_MONTHS): string[] | undefined {
  const start = monthIndex(first);
  const end = monthIndex(last);
  if (end - start + 1 > max) return undefined;
  const out: string[] = [];
  for (let k = start; k <= end; k++)
    out.push(`${String(Math.floor(k / 12)).padStart(4, "0")}-${String((k % 12) + 1).padStart(2, "0")}`);
  return out;
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** How many months `first` to `last` spans, both included. */
export function monthSpan(first: string, last: string): number {
  return monthIndex(last) - monthIndex(first) + 1;
}
