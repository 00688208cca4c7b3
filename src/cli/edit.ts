// The authoring commands that change an existing record: status (and its shortcuts), log, set,
// action add / done, link. Each builds a text change and hands it to editRecord, which validates,
// writes atomically, or prints a diff for --dry-run.

import type { Config } from "../config/types.js";
import { findRecord } from "../io/store.js";
import {
  findState,
  getPath,
  isPresent,
  missingRequirements,
  POSTMORTEM_FIELDS,
} from "../lifecycle/requirements.js";
import { parseInstant, parseTime } from "../lifecycle/time.js";
import { checkTransition, timestampsToSet } from "../lifecycle/transition.js";
import { type EditContext, type EditResult, editRecord, RefusedError } from "../usecases/editRecord.js";
import { appendIn, insertIn, type KeyOrder, type PathKey, removeFromList, setIn } from "../yaml/edit.js";

export interface CommonOptions {
  dir: string;
  dryRun?: boolean;
  by?: string;
  at?: string;
  /** For tests: the current time. */
  now?: Date;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** `@alice` and `alice` name the same person; handles are stored without `@`. */
export function handle(value: string): string {
  return value.startsWith("@") ? value.slice(1) : value;
}

function now(opts: CommonOptions): Date {
  return opts.now ?? new Date();
}

function timeFor(opts: CommonOptions, config: Config): string {
  return parseTime(opts.at ?? "now", now(opts), config.timezone);
}

/** Inserts a timeline entry keeping the timeline in time order (after entries at the same time). */
function addTimelineEntry(text: string, before: Obj, entry: Obj, order: KeyOrder): string {
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

/** An example command that fills a missing field, for refusal messages. */
function exampleFor(
  id: string,
  path: string,
  config: Config,
  kind: "incident" | "problem" = "incident",
): string {
  const example = exampleForIncident(id, path, config);
  return kind === "problem" ? example.replace(`incident set ${id}`, `incident problem set ${id}`) : example;
}

function exampleForIncident(id: string, path: string, config: Config): string {
  const examples: Record<string, string> = {
    summary: `incident set ${id} summary="What happened, in two sentences"`,
    severity: `incident set ${id} severity=${config.severities[1]?.id ?? "SEV2"}`,
    impact: `incident set ${id} impact=high`,
    urgency: `incident set ${id} urgency=high`,
    priority: `incident set ${id} priority=P1   (impact x urgency: high/high is P1)`,
    categories: `incident set ${id} categories+=${config.categories.find((c) => c.id.startsWith("ops."))?.id ?? "ops.change"}`,
    services: `incident set ${id} services+=${config.services[0]?.id ?? "checkout-api"}`,
    "roles.incident_commander": `incident set ${id} roles.incident_commander=@${config.people.find((p) => p.roles?.includes("incident_commander"))?.handle ?? "alice"}`,
    determination: `incident set ${id} determination=confirmed`,
    resolution: `incident set ${id} resolution.code=fixed resolution.summary="Rolled back the release"`,
    impact_assessment: `incident set ${id} impact_assessment.summary="About 4% of checkouts failed for 40 minutes"`,
    root_cause: `incident set ${id} root_cause="..."`,
    contributing_factors: `incident set ${id} contributing_factors+="No canary for config changes"`,
    lessons: `incident set ${id} lessons.went_well+="Rollback took 4 minutes"`,
    action_items: `incident action add ${id} --title "Add a canary" --owner @alice --due 2026-12-31 --class prevent`,
    owner: `incident problem set ${id} owner=@alice`,
    incident_refs: `incident link INC-YYYY-NNNN --problem ${id}`,
  };
  if (path.startsWith("timestamps."))
    return `incident set ${id} ${path}=now   (or -15m, or 2026-03-04T10:02:00Z)`;
  return examples[path] ?? `incident set ${id} ${path}=...`;
}

export async function runStatus(
  id: string,
  to: string,
  opts: CommonOptions & { note?: string },
  kind: "incident" | "problem" = "incident",
): Promise<EditResult> {
  return editRecord(opts.dir, id, kind, opts, (ctx) => {
    const { config, before } = ctx;
    const lifecycle = kind === "incident" ? config.lifecycle : config.problem_lifecycle;
    const from = typeof before.status === "string" ? before.status : undefined;
    if (!findState(lifecycle, to)) {
      throw new RefusedError(
        `\`${to}\` is not a state; states: ${lifecycle.states.map((s) => s.id).join(", ")}`,
      );
    }
    if (from === to) throw new RefusedError(`${id} is already \`${to}\``);
    const at = timeFor(opts, config);
    // Check the edge before anything else: a forbidden move needs no list of missing fields.
    const edge = checkTransition(
      before,
      { ...before, status: to, timestamps: {} },
      lifecycle,
      new Date(Date.parse(at)),
    ).filter((f) => f.code !== "STATE_REQUIRED");
    if (edge.length > 0) throw new RefusedError(edge.map((f) => f.message).join("; "));
    let text = ctx.text;
    const notes: string[] = [];
    const planned: Obj = structuredClone(before);
    planned.status = to;
    const ts = isObj(planned.timestamps) ? planned.timestamps : {};
    planned.timestamps = ts;
    for (const state of timestampsToSet(lifecycle, before, to)) {
      const key = state.timestamp as string;
      ts[key] = at;
      if (state.id !== to)
        notes.push(`also set timestamps.${key} (for \`${state.id}\`, which had no timestamp yet)`);
    }
    const missing = missingRequirements(lifecycle, planned, to);
    const major = kind === "incident" ? config.severities.find((s) => s.id === planned.severity) : undefined;
    const postmortem =
      to === "closed" && major?.postmortem.required
        ? POSTMORTEM_FIELDS.filter((f) => !isPresent(planned[f]))
        : [];
    if (missing.length > 0 || postmortem.length > 0) {
      const lines = [
        ...missing.map(
          (m) =>
            `${m.path}${m.since === to ? "" : ` (required from \`${m.since}\` on)`}\n      ${exampleFor(id, m.path, config, kind)}`,
        ),
        ...postmortem.map(
          (f) => `${f} (${major?.id} needs a postmortem)\n      ${exampleFor(id, f, config)}`,
        ),
      ];
      throw new RefusedError(
        `cannot move ${id} from \`${from}\` to \`${to}\`: ${lines.length} field(s) missing`,
        lines,
      );
    }
    text = setIn(text, ["status"], to, ctx.order);
    for (const state of timestampsToSet(lifecycle, before, to))
      text = setIn(text, ["timestamps", state.timestamp as string], at, ctx.order);
    // Problem records have no timeline: their status and timestamps are the record.
    if (kind === "problem") return { text, notes };
    const entry: Obj = { at, type: "status_change" };
    if (opts.by) entry.actor = handle(opts.by);
    entry.from = from;
    entry.to = to;
    entry.text = opts.note ?? `Status ${from} -> ${to}.`;
    const reparsed = { ...before, timeline: before.timeline };
    text = addTimelineEntry(text, reparsed, entry, ctx.order);
    return { text, notes };
  });
}

export async function runLog(
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
      `cannot read \`${arg}\`: write path=value, path+=item or path-=item (for example severity=SEV2)`,
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

export async function runSet(
  id: string,
  assignments: string[],
  opts: CommonOptions,
  kind: "incident" | "problem" = "incident",
): Promise<EditResult> {
  if (assignments.length === 0)
    throw new RefusedError("nothing to set: give path=value pairs, for example severity=SEV2");
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

export async function runActionAdd(
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

export async function runActionDone(id: string, actionId: string, opts: CommonOptions): Promise<EditResult> {
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
export async function runLink(id: string, problemId: string, opts: CommonOptions): Promise<EditResult[]> {
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
