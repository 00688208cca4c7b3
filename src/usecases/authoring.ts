// Small pieces the authoring use cases share: handles as stored, the time of an edit, and inserting
// a timeline entry in time order.

import type { Config } from "../config/types.js";
import { parseInstant, parseTime } from "../lifecycle/time.js";
import { appendIn, insertIn, type KeyOrder } from "../yaml/edit.js";

/** What every command that changes an existing record takes. */
export interface CommonOptions {
  dir: string;
  dryRun?: boolean;
  by?: string;
  at?: string;
  /** For tests: the current time. */
  now?: Date;
}

type Obj = Record<string, unknown>;

/** `@alice` and `alice` name the same person; handles are stored without `@`. */
export function handle(value: string): string {
  return value.startsWith("@") ? value.slice(1) : value;
}

export function now(opts: CommonOptions): Date {
  return opts.now ?? new Date();
}

export function timeFor(opts: CommonOptions, config: Config): string {
  return parseTime(opts.at ?? "now", now(opts), config.timezone);
}

/** Inserts a timeline entry keeping the timeline in time order (after entries at the same time). */
export function addTimelineEntry(text: string, before: Obj, entry: Obj, order: KeyOrder): string {
  const timeline = Array.isArray(before.timeline) ? before.timeline : [];
  const at = parseInstant(entry.at) ?? Number.NaN;
  let index = timeline.length;
  while (index > 0) {
    const prev = timeline[index - 1] as Obj | undefined;
    const prevAt = parseInstant(prev?.at) ?? Number.NaN;
    if (Number.isNaN(prevAt) || prevAt <= at) break;
    index--;
  }
  return index >= timeline.length
    ? appendIn(text, ["timeline"], entry, order)
    : insertIn(text, ["timeline"], index, entry, order);
}
