// From a draft to the record file: status and timeline made consistent from the source's own times,
// `mode: retrospective`, the provenance block with the content hash, keys in the schema's order;
// updating an imported record with the comment-preserving editor; and the config additions offered
// for what the source names and the config does not know. Pure: strings and plain values.

import { createHash } from "node:crypto";
import { stringify } from "yaml";
import type { Config } from "../config/types.js";
import { appendIn, EditError, type KeyOrder, setIn } from "../yaml/edit.js";
import { type Draft, type ImportSource, isObj, type Obj, type Offer, type Unmapped } from "./types.js";

/** Canonical JSON (sorted keys) of a record without its provenance, hashed with SHA-256. */
export function contentHash(record: Obj): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (isObj(v)) {
      const out: Obj = {};
      for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = canon(v[k]);
      return out;
    }
    return v;
  };
  const { provenance: _, ...rest } = record;
  return createHash("sha256")
    .update(JSON.stringify(canon(rest)))
    .digest("hex");
}

const LABELS: Record<string, string> = {
  impact_started_at: "Impact started",
  detected_at: "Detected",
  declared_at: "Declared",
  acknowledged_at: "Acknowledged",
  triaged_at: "Triaged",
  contained_at: "Contained",
  mitigated_at: "Mitigated",
  impact_ended_at: "Impact ended",
  recovered_at: "Recovered",
  resolved_at: "Resolved",
  closed_at: "Closed",
  canceled_at: "Canceled",
};

const instant = (s: unknown) => (typeof s === "string" ? Date.parse(s) : Number.NaN);

/**
 * The record an import writes for a draft: id, `mode: retrospective`, the status from the source (or
 * `resolved` when the source gives a resolution time and no status, else the initial state), and a
 * timeline that records the move to that status at the source's time for it. Nothing is dated that
 * the source does not date: a missing time is reported, never made up.
 */
export function buildRecord(
  draft: Draft,
  id: string,
  config: Config,
  order: readonly string[],
): { record: Obj; unmapped: Unmapped[] } {
  const unmapped: Unmapped[] = [];
  const r: Obj = structuredClone(draft.record);
  const ts: Obj = isObj(r.timestamps) ? r.timestamps : {};
  const initial = config.lifecycle.states.find((s) => s.initial)?.id ?? "new";
  if (typeof r.status !== "string") {
    r.status = ts.resolved_at !== undefined ? "resolved" : initial;
    if (ts.resolved_at !== undefined)
      draft.fields.status = "timestamps.resolved_at (a resolution time means resolved)";
  }
  const timeline: Obj[] = Array.isArray(r.timeline) ? (r.timeline as Obj[]) : [];
  const lastTo = [...timeline].reverse().find((e) => e.type === "status_change")?.to;
  if (r.status !== (lastTo ?? initial)) {
    const state = config.lifecycle.states.find((s) => s.id === r.status);
    const key = state?.timestamp;
    const at = key ? ts[key] : undefined;
    if (typeof at === "string") {
      timeline.push({
        at,
        type: "status_change",
        from: lastTo ?? initial,
        to: r.status,
        text: `${LABELS[key as string] ?? String(r.status)} (from the imported ${key})`,
      });
    } else {
      unmapped.push({
        field: "timeline",
        reason: `no ${key ?? "time"} in the source to date the move to \`${String(r.status)}\``,
      });
    }
  }
  if (timeline.length === 0) {
    const times = Object.entries(ts)
      .filter(([, v]) => Number.isFinite(instant(v)))
      .sort((a, b) => instant(a[1]) - instant(b[1]));
    const first = times[0];
    if (first)
      timeline.push({
        at: first[1],
        type: "note",
        text: `${LABELS[first[0]] ?? first[0]} (from the imported ${first[0]})`,
      });
    else
      unmapped.push({
        field: "timeline",
        reason: "the source gives no time at all; a record needs one timeline entry",
      });
  }
  // Oldest first, keeping the source's order for entries at the same time.
  const sorted = timeline
    .map((e, i) => ({ e, i, t: instant(e.at) }))
    .sort((a, b) => (a.t === b.t || Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t))
    .map((x) => x.e);
  r.timeline = sorted;
  r.schema_version = 1;
  r.id = id;
  r.mode = "retrospective";
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return k.startsWith("x-") ? order.length : i < 0 ? order.length + 1 : i;
  };
  const out: Obj = {};
  for (const k of Object.keys(r).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)))
    out[k] = r[k];
  return { record: out, unmapped };
}

/** The provenance block: where the record came from, when, its content hash, and field sources. */
export function withProvenance(record: Obj, source: ImportSource, draft: Draft, importedAt: string): Obj {
  const provenance: Obj = { source, source_id: draft.sourceId };
  if (draft.url) provenance.url = draft.url;
  provenance.imported_at = importedAt;
  provenance.record_sha256 = contentHash(record);
  const fields = Object.fromEntries(
    Object.entries(draft.fields)
      .filter(([k]) => k.length <= 200)
      .map(([k, v]) => [k, v.slice(0, 500)]),
  );
  if (Object.keys(fields).length) provenance.fields = fields;
  return { ...record, provenance };
}

export function recordText(modeline: string, record: Obj): string {
  return modeline + stringify(record, { lineWidth: 100, indentSeq: true, version: "1.2" });
}

/** Signals that an edit cannot be made in place; the caller writes the record whole instead. */
class Rewrite extends Error {}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function update(
  text: string,
  path: (string | number)[],
  before: unknown,
  after: unknown,
  order: KeyOrder,
): string {
  if (same(before, after)) return text;
  if (isObj(before) && isObj(after)) {
    if (Object.keys(before).some((k) => !Object.hasOwn(after, k))) throw new Rewrite();
    let out = text;
    for (const [k, v] of Object.entries(after)) {
      out = Object.hasOwn(before, k)
        ? update(out, [...path, k], before[k], v, order)
        : setIn(out, [...path, k], v, order);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (after.length < before.length || !before.every((v, i) => same(v, after[i]))) throw new Rewrite();
    let out = text;
    for (const item of after.slice(before.length)) out = appendIn(out, path, item, order);
    return out;
  }
  if (isObj(before) || Array.isArray(before) || isObj(after) || Array.isArray(after)) throw new Rewrite();
  return setIn(text, path, after, order);
}

/**
 * `text` (holding `before`) changed to hold `after`: spliced in place, so comments and formatting
 * stay, where the change only sets values and appends list items; otherwise (a field or list item
 * gone) the record is written whole and `rewritten` says so.
 */
export function updateText(
  text: string,
  before: Obj,
  after: Obj,
  order: KeyOrder,
  whole: () => string,
): { text: string; rewritten: boolean } {
  try {
    return { text: update(text, [], before, after, order), rewritten: false };
  } catch (err) {
    if (err instanceof Rewrite || err instanceof EditError) return { text: whole(), rewritten: true };
    throw err;
  }
}

/** incident.config.yaml with the offered services, teams and people appended (comments kept). */
export function configWithOffers(text: string, offers: readonly Offer[]): string {
  let out = text;
  for (const list of ["teams", "services", "people"] as const) {
    for (const o of offers.filter((x) => x.list === list)) out = appendIn(out, [list], o.entry);
  }
  return out;
}
