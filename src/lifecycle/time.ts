// The one clock: `parseInstant` reads a stored RFC 3339 time (the schema's `date-time` format and
// every rule that compares, orders or measures times use it, so what validates is what computes),
// and `parseTime` turns what people type on the command line (`now`, `-15m`,
// `2026-03-04T10:02:00Z`, or a local time without offset) into an RFC 3339 string with an explicit
// offset in the configured zone. `formatDate` and `formatDuration` show times and spans to people
// (postmortems, reminders, metrics, the site) the same way everywhere.

import { UsageError } from "../diagnostics/errors.js";

/** A time typed on the command line that cannot be read: a usage error (exit 2). */
export class TimeError extends UsageError {}

/**
 * Milliseconds since 1970 of an RFC 3339 instant, or undefined when `s` is not one:
 * `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|+hh:mm|-hh:mm)`, `T` and `Z` also lower case (RFC 3339 5.6).
 * The date must exist (2026-02-30 does not; leap years count), hours are 00-23, minutes and seconds
 * 00-59: a leap second (`:60`) is refused, because no clock here can compute it and a time that
 * cannot be computed would let a rule skip it. Offsets go up to 23:59. No space separator, no
 * `+00` or `+0000`. Fractions are kept to the millisecond (truncated).
 *
 * Self-contained on purpose (no reference outside its body): the build copies its source into the
 * precompiled schema validators, so the schema and the rules run the same code.
 */
export function parseInstant(s: unknown): number | undefined {
  if (typeof s !== "string") return undefined;
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offset = (m[8] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  // Days since 1970-01-01 by arithmetic (H. Hinnant's days_from_civil): Date.UTC reads years 0-99
  // as 1900-1999, and no Date is needed for years 0000-9999.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  const ms = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  return ((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000 + ms;
}

/** Whether `s` is an RFC 3339 instant `parseInstant` can compute: the schema's `date-time` format. */
export function isInstant(s: unknown): boolean {
  return parseInstant(s) !== undefined;
}

const RELATIVE = /^-(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseTime(input: string, now: Date, timeZone: string): string {
  const value = input.trim();
  if (value === "now") return formatInZone(now, timeZone);
  const rel = RELATIVE.exec(value);
  if (rel)
    return formatInZone(
      new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]),
      timeZone,
    );
  const offset = WITH_OFFSET.exec(value);
  if (offset) {
    // Typed forms are written in the one stored form: `T`, seconds, upper-case `Z`.
    const zone = offset[4] === "z" ? "Z" : offset[4];
    const stored = `${offset[1]}T${offset[2]}${offset[3] ?? ":00"}${zone}`;
    if (parseInstant(stored) === undefined) throw new TimeError(notATime(value));
    return stored;
  }
  const local = LOCAL.exec(value);
  if (local) {
    // Read through the one parser as if in UTC: Date.UTC would roll 2026-13-01 over to 2027-01-01
    // and 10:60 to 11:00 (and read year 0050 as 1950).
    const [y, mo, d, h, mi, s = "00"] = local.slice(1);
    const naive = parseInstant(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    if (naive === undefined) throw new TimeError(notATime(value));
    return fromLocal(naive, timeZone);
  }
  throw new TimeError(
    `cannot read the time \`${value}\`: use now, -15m, -2h, -1d, an RFC 3339 time such as 2026-03-04T10:02:00Z, or 2026-03-04 10:02 in ${timeZone}`,
  );
}

function notATime(value: string): string {
  return `\`${value}\` is not a time: months are 01-12, days exist in their month, hours 00-23, minutes and seconds 00-59, offsets up to 23:59`;
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
  // Not Date.UTC, which reads years 0-99 as 1900-1999.
  const utc = new Date(0);
  utc.setUTCFullYear(get("year"), get("month") - 1, get("day"));
  utc.setUTCHours(get("hour"), get("minute"), get("second"), 0);
  const asUtc = utc.getTime();
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
 * The instant a local wall-clock time (`naive`: its fields read as UTC) names in the zone. Around a change of offset a wall time can
 * name two instants (clocks go back: the earlier one is taken) or none (clocks go forward: it is
 * read with the offset from before the change, so 02:30 in a gap from 02:00 to 03:00 is 03:30), as
 * RFC 5545 and JavaScript's Temporal ("compatible") do.
 */
function fromLocal(naive: number, timeZone: string): string {
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

/** Milliseconds as `2d 3h`, `1h 23m`, `5m` or `40s` (the two largest units); undefined when negative. */
export function formatDuration(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return min > 0 ? `${h}h ${min}m` : `${h}h`;
  return `${min}m`;
}

/** An RFC 3339 time shown in the zone: `2025-07-11 16:12 UTC` or `2025-07-11 18:12 +02:00`. */
export function formatDate(iso: string, timeZone: string): string {
  const ms = parseInstant(iso);
  // Validate refuses an uncomputable time (TIME_INVALID); shown as written, never as a wrong time.
  if (ms === undefined) return iso;
  const stamp = formatInZone(new Date(ms), timeZone);
  const offset = stamp.slice(19);
  return `${stamp.slice(0, 10)} ${stamp.slice(11, 16)} ${offset === "Z" ? "UTC" : offset}`;
}
