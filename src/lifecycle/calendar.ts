// Calendar arithmetic on local dates: the local date of an instant in a time zone, business days
// (Monday to Friday, minus configured holidays), and when an action item is overdue. Shared by
// `incident stats` and `incident remind` so both judge a date the same way. Pure; dates are
// YYYY-MM-DD.

import type { ActionItem } from "../model/types.js";
import { formatInZone, parseInstant } from "./time.js";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date (YYYY-MM-DD) of `instant` (a Date or an RFC 3339 time) in `timeZone`. */
export function localDate(instant: Date | string, timeZone: string): string {
  const date = typeof instant === "string" ? new Date(parseInstant(instant) ?? Number.NaN) : instant;
  return formatInZone(date, timeZone).slice(0, 10);
}

/** Days since 1970-01-01 of a YYYY-MM-DD date; NaN when it is not one. */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  // 2026-02-30 would roll over to March: not a date.
  return back === date ? ms / 86_400_000 : Number.NaN;
}

function fromDayNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** Saturday and Sunday are not business days, nor is any date in `holidays`. */
export function isBusinessDay(date: string, holidays: ReadonlySet<string>): boolean {
  const n = dayNumber(date);
  if (Number.isNaN(n)) return false;
  // 1970-01-01 was a Thursday (4); 0 = Sunday.
  const weekday = (((n + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/**
 * The date `n` business days after `date`: the next business day counts as 1, so a Friday plus one
 * business day is the Monday after it (or the Tuesday when that Monday is a holiday).
 */
export function addBusinessDays(date: string, n: number, holidays: ReadonlySet<string>): string {
  let day = dayNumber(date);
  if (Number.isNaN(day)) throw new RangeError(`not a date: ${date}`);
  let left = Math.max(0, Math.floor(n));
  while (left > 0) {
    day += 1;
    if (isBusinessDay(fromDayNumber(day), holidays)) left -= 1;
  }
  return fromDayNumber(day);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * How many days an action item is overdue on `today` (a local date): it is still open or in progress
 * and its due date is before today. Undefined when it is not overdue.
 */
export function actionDaysOverdue(item: ActionItem, today: string): number | undefined {
  if (item.status !== "open" && item.status !== "in_progress") return undefined;
  if (typeof item.due !== "string") return undefined;
  const days = daysBetween(item.due, today);
  return days > 0 ? days : undefined;
}
