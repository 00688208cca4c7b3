// Deadline arithmetic for regulatory clocks: elapsed hours in UTC, calendar days and months on the
// dates of the regulator's zone (ending at the end of the last day, months clamped to a shorter
// month's last day), business days minus a holiday calendar, and DORA's roll of a weekend or
// holiday deadline to noon of the next working day. Pure; every time goes through parseInstant.

import { addBusinessDays, dayNumber, isBusinessDay, localDate } from "../lifecycle/calendar.js";
import { parseInstant, parseTime } from "../lifecycle/time.js";
import type { Within } from "./types.js";

const HOUR_MS = 3_600_000;
const END_OF_DAY = "23:59:59";

/** The instant of a local wall-clock time (`HH:MM` or `HH:MM:SS`) on `date` in `zone`. */
export function instantAt(date: string, time: string, zone: string): number {
  // parseTime reads a local time in the zone (a time in a DST gap moves forward, as Temporal does).
  const ms = parseInstant(parseTime(`${date} ${time.length === 5 ? `${time}:00` : time}`, new Date(0), zone));
  if (ms === undefined) throw new RangeError(`not a local time: ${date} ${time}`);
  return ms;
}

function fromDayNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** `date` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n);
}

/** `date` plus `n` calendar months; a day the target month lacks becomes its last day. */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  const day = Math.min(d, monthDays);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export interface ClockZone {
  zone: string;
  holidays: ReadonlySet<string>;
  /** HH:MM at which a day-counted period ends; default the end of the day. */
  cutoff?: string;
}

/** The end of a period of `within` that starts at `startMs` (see templates/regulatory/rules.yaml). */
export function addPeriod(startMs: number, within: Within, z: ClockZone): number {
  if ("hours" in within) return startMs + within.hours * HOUR_MS;
  const date = localDate(new Date(startMs), z.zone);
  const end = z.cutoff ?? END_OF_DAY;
  if ("days" in within) return instantAt(addDays(date, within.days), end, z.zone);
  if ("months" in within) return instantAt(addMonths(date, within.months), end, z.zone);
  // A clock that starts on a weekend or holiday starts on the next business day (Form 8-K General
  // Instruction B.1): that day is day 0.
  let first = date;
  while (!isBusinessDay(first, z.holidays)) first = addDays(first, 1);
  return instantAt(addBusinessDays(first, within.business_days, z.holidays), end, z.zone);
}

/** A deadline on a weekend or holiday in the zone moves to 12:00 of the next working day. */
export function rollToNoon(ms: number, z: ClockZone): number {
  let date = localDate(new Date(ms), z.zone);
  if (isBusinessDay(date, z.holidays)) return ms;
  while (!isBusinessDay(date, z.holidays)) date = addDays(date, 1);
  return instantAt(date, "12:00", z.zone);
}

/** The last day of the calendar year of `ms` in the zone, at the same local time of day. */
export function endOfYear(ms: number, zone: string): number {
  const date = localDate(new Date(ms), zone);
  return instantAt(`${date.slice(0, 4)}-12-31`, "00:00", zone);
}

/** A period as people say it: `24 h`, `60 days`, `4 business days`, `1 month`. */
export function describeWithin(within: Within): string {
  if ("hours" in within) return `${within.hours} h`;
  if ("days" in within) return `${within.days} ${within.days === 1 ? "day" : "days"}`;
  if ("months" in within) return `${within.months} ${within.months === 1 ? "month" : "months"}`;
  return `${within.business_days} business ${within.business_days === 1 ? "day" : "days"}`;
}
