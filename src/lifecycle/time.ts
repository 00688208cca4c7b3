// Times as people type them on the command line (`now`, `-15m`, `2026-03-04T10:02:00Z`, or a local
// time without offset) turned into RFC 3339 strings with an explicit offset in the configured zone.

import { UserError } from "../diagnostics/errors.js";

export class TimeError extends UserError {}

const RELATIVE = /^-(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

export function parseTime(input: string, now: Date, timeZone: string): string {
  const value = input.trim();
  if (value === "now") return formatInZone(now, timeZone);
  const rel = RELATIVE.exec(value);
  if (rel)
    return formatInZone(
      new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]),
      timeZone,
    );
  if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/.test(value)) {
    if (Number.isNaN(Date.parse(value))) throw new TimeError(`not a valid time: ${value}`);
    return value.replace(" ", "T");
  }
  const local = LOCAL.exec(value);
  if (local)
    return fromLocal(
      local.slice(1).map((p) => Number(p ?? 0)),
      timeZone,
    );
  throw new TimeError(
    `cannot read the time \`${value}\`: use now, -15m, -2h, -1d, an RFC 3339 time such as 2026-03-04T10:02:00Z, or 2026-03-04 10:02 in ${timeZone}`,
  );
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const DAY_MS = 86_400_000;
/** Per zone and UTC day: the offset that holds all day, or null when the day has a transition. */
const dayOffsets = new Map<string, Map<number, number | null>>();

/**
 * Offset of `timeZone` from UTC at `date`, in minutes. Asking Intl costs microseconds, and a
 * postmortem or a site asks for every timestamp; offsets change at most once a day, so the offset
 * of a UTC day whose first and last second agree is kept and reused for every instant in it.
 */
function offsetMinutes(date: Date, timeZone: string): number {
  const t = date.getTime();
  if (!Number.isFinite(t)) return exactOffsetMinutes(date, timeZone);
  let days = dayOffsets.get(timeZone);
  if (!days) {
    days = new Map();
    dayOffsets.set(timeZone, days);
  }
  const day = Math.floor(t / DAY_MS);
  let known = days.get(day);
  if (known === undefined) {
    const first = exactOffsetMinutes(new Date(day * DAY_MS), timeZone);
    const last = exactOffsetMinutes(new Date((day + 1) * DAY_MS - 1000), timeZone);
    known = first === last ? first : null;
    if (days.size > 100_000) days.clear();
    days.set(day, known);
  }
  return known ?? exactOffsetMinutes(date, timeZone);
}

function exactOffsetMinutes(date: Date, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

export function formatInZone(date: Date, timeZone: string): string {
  const offset = offsetMinutes(date, timeZone);
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offset * 60_000);
  const stamp = local.toISOString().slice(0, 19);
  if (offset === 0 && (timeZone === "UTC" || timeZone === "Etc/UTC")) return `${stamp}Z`;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${stamp}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * The instant a local wall-clock time names in the zone. Around a change of offset a wall time can
 * name two instants (clocks go back: the earlier one is taken) or none (clocks go forward: it is
 * read with the offset from before the change, so 02:30 in a gap from 02:00 to 03:00 is 03:30), as
 * RFC 5545 and JavaScript's Temporal ("compatible") do.
 */
function fromLocal([y, mo, d, h, mi, s]: number[], timeZone: string): string {
  const naive = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  const before = offsetMinutes(new Date(naive - DAY_MS), timeZone);
  const offsets = new Set([
    before,
    offsetMinutes(new Date(naive), timeZone),
    offsetMinutes(new Date(naive + DAY_MS), timeZone),
  ]);
  const names = [...offsets]
    .map((o) => naive - o * 60_000)
    .filter((t) => t + offsetMinutes(new Date(t), timeZone) * 60_000 === naive)
    .sort((a, b) => a - b);
  return formatInZone(new Date(names[0] ?? naive - before * 60_000), timeZone);
}
