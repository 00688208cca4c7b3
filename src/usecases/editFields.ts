// Use cases that change an existing record's fields: append a timeline entry (`incident log`), set
// fields (`set`), add an action item and mark one done (`action add` / `action done`), and link an
// incident with a problem on both sides (`link`). Each builds a text change and hands it to
// editRecord, which validates, writes atomically, or returns a diff for a dry run.

import { findRecord } from "../io/store.js";
import { getPath } from "../lifecycle/requirements.js";
import { parseTime } from "../lifecycle/time.js";
import type { RecordKind } from "../validate/semantic.js";
import { appendIn, type PathKey, removeFromList, setIn } from "../yaml/edit.js";
import { addTimelineEntry, type CommonOptions, handle, now, timeFor } from "./authoring.js";
import { type EditContext, type EditResult, editRecord, RefusedError } from "./editRecord.js";

type Obj = Record<string, unknown>;

/** `incident log`: a timeline entry, inserted in time order. */
export async function appendLog(
  id: string,
  message: string,
  opts: CommonOptions & { type?: string },
): Promise<EditResult> {
  return editRecord(opts.dir, id, "incident", opts, (ctx) => {
    const entry: Obj = { at: timeFor(opts, ctx.config), type: opts.type ?? "note" };
    if (opts.by) entry.actor = handle(opts.by);
    entry.text = message;
    if (entry.type === "status_change") throw new RefusedError("use `incident status` to change the status");
    return { text: addTimelineEntry(ctx.text, ctx.before, entry, ctx.order) };
  });
}

/** Fields whose values are handles (a leading @ is dropped). */
const HANDLE_PATHS =
  /^(roles\.[a-z_]+|owner|review\.approved_by|review\.attendees|action_items\.\d+\.owner)$/;
const NUMBER_PATHS =
  /^(schema_version|impact_assessment\.(users_affected|customers_affected)|security\.data_exposure\.records)$/;
const BOOLEAN_PATHS = /^(impact_assessment\.(slo_breached|data_loss))$/;

/** Parses `path=value`, `path+=value` and `path-=value` assignments. */
export function parseAssignment(arg: string): { path: string[]; op: "=" | "+=" | "-="; value: string } {
  // Hyphens only inside a name (x-vendor), so `services-=item` reads as services, -=.
  const m =
    /^([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*(?:\.[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*)*)(\+=|-=|=)(.*)$/s.exec(
      arg,
    );
  if (!m)
    throw new RefusedError(
      `cannot read \`${arg}\`: write path=value, path+=item or path-=item (for example impact=high)`,
    );
  const path = (m[1] as string).split(".");
  if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) {
    throw new RefusedError(`\`${m[1]}\` is not a field`);
  }
  return { path, op: m[2] as "=" | "+=" | "-=", value: m[3] as string };
}

function typedValue(path: string, raw: string, ctx: EditContext, at: Date): unknown {
  if (HANDLE_PATHS.test(path)) return handle(raw);
  if (
    path.startsWith("timestamps.") ||
    /\.(completed_at|notified_at|deadline|held_at|approved_at)$/.test(path)
  ) {
    return parseTime(raw, at, ctx.config.timezone);
  }
  if (NUMBER_PATHS.test(path)) {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new RefusedError(`${path} takes a number, not \`${raw}\``);
    return n;
  }
  if (BOOLEAN_PATHS.test(path)) {
    if (raw !== "true" && raw !== "false")
      throw new RefusedError(`${path} takes true or false, not \`${raw}\``);
    return raw === "true";
  }
  return raw;
}

function keyPath(path: string[]): PathKey[] {
  return path.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** `incident set` and `incident problem set`: every assignment applied, or none. */
export async function setFields(
  id: string,
  assignments: string[],
  opts: CommonOptions,
  kind: RecordKind = "incident",
): Promise<EditResult> {
  if (assignments.length === 0)
    throw new RefusedError("nothing to set: give path=value pairs, for example impact=high");
  const parsed = assignments.map(parseAssignment);
  return editRecord(opts.dir, id, kind, opts, (ctx) => {
    let text = ctx.text;
    for (const a of parsed) {
      const dotted = a.path.join(".");
      if (dotted === "id" || dotted === "timestamps.declared_at")
        throw new RefusedError(`${dotted} never changes`);
      if (dotted === "status")
        throw new RefusedError(`use \`incident status ${id} <state>\` to change the status`);
      if (dotted === "timeline" || dotted.startsWith("timeline."))
        throw new RefusedError("the timeline is append-only: use `incident log`");
      const value = typedValue(dotted, a.value, ctx, now(opts));
      const current = getPath(ctx.before, dotted);
      if (a.op === "=") {
        if (Array.isArray(current))
          throw new RefusedError(`${dotted} is a list: use ${dotted}+=item or ${dotted}-=item`);
        text = setIn(text, keyPath(a.path), value, ctx.order);
      } else if (a.op === "+=") {
        if (current !== undefined && current !== null && !Array.isArray(current)) {
          throw new RefusedError(`${dotted} is not a list: use ${dotted}=value`);
        }
        if (Array.isArray(current) && current.includes(value)) continue;
        text = appendIn(text, keyPath(a.path), value, ctx.order);
      } else {
        if (!Array.isArray(current)) throw new RefusedError(`${dotted} is not a list`);
        text = removeFromList(text, keyPath(a.path), String(value));
      }
    }
    return { text };
  });
}

export interface ActionOptions extends CommonOptions {
  title: string;
  owner: string;
  due?: string;
  class: string;
  priority?: string;
  tracker?: string;
}

/** `incident action add`: the next free id AI-n, status open. */
export async function addActionItem(
  id: string,
  opts: ActionOptions,
): Promise<EditResult & { actionId: string }> {
  let actionId = "";
  const result = await editRecord(opts.dir, id, "incident", opts, (ctx) => {
    const items = Array.isArray(ctx.before.action_items) ? (ctx.before.action_items as Obj[]) : [];
    const max = items.reduce((m, a) => Math.max(m, Number(/^AI-(\d+)$/.exec(String(a.id))?.[1] ?? 0)), 0);
    actionId = `AI-${max + 1}`;
    if (opts.due !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.due)) {
      throw new RefusedError(`--due takes a date like 2026-12-31, not \`${opts.due}\``);
    }
    const item: Obj = { id: actionId, title: opts.title, class: opts.class };
    if (opts.priority) item.priority = opts.priority;
    item.owner = handle(opts.owner);
    if (opts.due) item.due = opts.due;
    item.status = "open";
    if (opts.tracker) item.tracker = opts.tracker;
    return { text: appendIn(ctx.text, ["action_items"], item, ctx.order) };
  });
  return { ...result, actionId };
}

/** `incident action done`: status done and the time it was completed. */
export async function completeActionItem(
  id: string,
  actionId: string,
  opts: CommonOptions,
): Promise<EditResult> {
  return editRecord(opts.dir, id, "incident", opts, (ctx) => {
    const items = Array.isArray(ctx.before.action_items) ? (ctx.before.action_items as Obj[]) : [];
    const index = items.findIndex((a) => a.id === actionId);
    if (index < 0) {
      throw new RefusedError(
        `${id} has no action item \`${actionId}\`; it has: ${items.map((a) => String(a.id)).join(", ") || "none"}`,
      );
    }
    let text = setIn(ctx.text, ["action_items", index, "status"], "done", ctx.order);
    text = setIn(text, ["action_items", index, "completed_at"], timeFor(opts, ctx.config), ctx.order);
    return { text };
  });
}

/** Links an incident and a problem on both sides (problem_refs and incident_refs). */
export async function linkProblem(id: string, problemId: string, opts: CommonOptions): Promise<EditResult[]> {
  // Both sides must be editable before either is written, or a refusal would leave a one-sided link.
  await editRecord(opts.dir, problemId, "problem", { dryRun: true }, (ctx) => ({ text: ctx.text }));
  const results: EditResult[] = [];
  results.push(
    await editRecord(opts.dir, id, "incident", opts, (ctx) => {
      findRecord(ctx.root, ctx.config, problemId, "problem");
      const refs = ctx.before.problem_refs;
      if (Array.isArray(refs) && refs.includes(problemId)) return { text: ctx.text };
      return { text: appendIn(ctx.text, ["problem_refs"], problemId, ctx.order) };
    }),
  );
  results.push(
    await editRecord(opts.dir, problemId, "problem", opts, (ctx) => {
      const refs = ctx.before.incident_refs;
      if (Array.isArray(refs) && refs.includes(id)) return { text: ctx.text };
      return { text: appendIn(ctx.text, ["incident_refs"], id, ctx.order) };
    }),
  );
  return results;
}
