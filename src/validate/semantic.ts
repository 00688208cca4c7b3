// The checks JSON Schema cannot express, on one parsed incident or problem: file name and id,
// state requirements from the configured lifecycle, timestamp and timeline order, the priority
// matrix, and references into the config. Pure and defensive: values may not match the schema.

import type { Config, LifecycleDef } from "../config/types.js";
import type { Finding } from "../diagnostics/diagnostic.js";
import { toPointer } from "../diagnostics/diagnostic.js";
import { lifecycleForMode, modeOf } from "../lifecycle/modes.js";
import { findState, isPresent, missingRequirements, POSTMORTEM_FIELDS } from "../lifecycle/requirements.js";
import { parseInstant } from "../lifecycle/time.js";

export type RecordKind = "incident" | "problem";

/** What the repository-wide checks need to know about one file. */
export interface RecordFacts {
  kind: RecordKind;
  id?: string;
  status?: string;
  severity?: string;
  /** True when the file could not be parsed: the id is taken from the file name. */
  unparsed?: boolean;
  /** References to other records, with where they sit in this file. */
  refs: Array<{ kind: RecordKind; id: string; pointer: string }>;
}

export interface SemanticContext {
  config: Config;
  /** Path relative to the repository root, forward slashes. */
  file: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const strings = (v: unknown): Array<[number, string]> =>
  Array.isArray(v) ? v.flatMap((s, i) => (typeof s === "string" ? [[i, s] as [number, string]] : [])) : [];
const objects = (v: unknown): Array<[number, Obj]> =>
  Array.isArray(v) ? v.flatMap((o, i) => (isObj(o) ? [[i, o] as [number, Obj]] : [])) : [];

/** Incident timestamps that must not decrease, in this order, when present. */
const INCIDENT_ORDER = [
  ["impact_started_at", "detected_at"],
  ["detected_at", "declared_at"],
  ["detected_at", "acknowledged_at"],
  ["declared_at", "triaged_at"],
  ["acknowledged_at", "mitigated_at"],
  ["impact_started_at", "impact_ended_at"],
  ["mitigated_at", "resolved_at"],
  ["acknowledged_at", "resolved_at"],
  ["resolved_at", "closed_at"],
  ["declared_at", "canceled_at"],
] as const;

const PROBLEM_ORDER = [
  ["created_at", "assessed_at"],
  ["assessed_at", "known_error_at"],
  ["known_error_at", "fix_started_at"],
  ["fix_started_at", "resolved_at"],
  ["created_at", "resolved_at"],
  ["resolved_at", "closed_at"],
  ["created_at", "canceled_at"],
] as const;

export function checkIncident(
  value: unknown,
  ctx: SemanticContext,
): { findings: Finding[]; facts: RecordFacts } {
  const v = isObj(value) ? value : {};
  const { config } = ctx;
  const out: Finding[] = [];
  const id = typeof v.id === "string" ? v.id : undefined;
  checkIdentity(out, id, ctx, config.ids.incident);
  // Presence rules follow the record's mode; consistency rules below hold in every mode.
  const lifecycle = lifecycleForMode(config.lifecycle, modeOf(v));
  checkState(out, v, lifecycle, "incident");

  const severity =
    typeof v.severity === "string" ? config.severities.find((s) => s.id === v.severity) : undefined;
  if (typeof v.severity === "string" && !severity) {
    out.push({
      code: "UNKNOWN_SEVERITY",
      message: `severity \`${v.severity}\` is not defined; configured: ${config.severities.map((s) => s.id).join(", ")}`,
      pointer: "/severity",
    });
  }
  if (v.status === "closed" && severity?.postmortem.required && lifecycle.postmortem) {
    for (const field of POSTMORTEM_FIELDS) {
      if (!isPresent(v[field])) {
        out.push({
          code: "POSTMORTEM_REQUIRED",
          message: `a closed ${severity.id} incident requires a postmortem: \`${field}\` is missing`,
          pointer: `/${field}`,
          target: "parent",
        });
      }
    }
  }
  const categories = strings(v.categories);
  if (
    lifecycle.security &&
    v.determination === "confirmed" &&
    categories.some(([, c]) => c.startsWith("sec.")) &&
    !isPresent(v.security)
  ) {
    out.push({
      code: "SECURITY_REQUIRED",
      message: "a confirmed security incident (a `sec.*` category) requires the `security` block",
      pointer: "/security",
      target: "parent",
    });
  }
  const related = isObj(v.related) ? v.related : {};
  if (v.determination === "duplicate" && !isPresent(related.duplicate_of)) {
    out.push({
      code: "DUPLICATE_TARGET_REQUIRED",
      message: "determination `duplicate` requires `related.duplicate_of` naming the original incident",
      pointer: "/related/duplicate_of",
      target: "parent",
    });
  }
  checkPriority(out, v, config);
  checkCatalog(out, v, config);
  checkOrder(out, v.timestamps, "timestamps", INCIDENT_ORDER);
  checkTimeline(out, v, lifecycle, lifecycle.statusChanges);
  checkActionItems(out, v, config);

  const refs: RecordFacts["refs"] = [];
  for (const [i, p] of strings(v.problem_refs))
    refs.push({ kind: "problem", id: p, pointer: `/problem_refs/${i}` });
  for (const key of ["duplicate_of", "parent"]) {
    const r = related[key];
    if (typeof r === "string") refs.push({ kind: "incident", id: r, pointer: `/related/${key}` });
  }
  for (const [i, r] of strings(related.related))
    refs.push({ kind: "incident", id: r, pointer: `/related/related/${i}` });
  for (const r of refs) {
    if (r.id === id)
      out.push({ code: "REF_SELF", message: `\`${id}\` refers to itself`, pointer: r.pointer });
  }
  return {
    findings: out,
    facts: {
      kind: "incident",
      id,
      status: typeof v.status === "string" ? v.status : undefined,
      severity: typeof v.severity === "string" ? v.severity : undefined,
      refs: refs.filter((r) => r.id !== id),
    },
  };
}

export function checkProblem(
  value: unknown,
  ctx: SemanticContext,
): { findings: Finding[]; facts: RecordFacts } {
  const v = isObj(value) ? value : {};
  const { config } = ctx;
  const out: Finding[] = [];
  const id = typeof v.id === "string" ? v.id : undefined;
  checkIdentity(out, id, ctx, config.ids.problem);
  checkState(out, v, config.problem_lifecycle, "problem");
  checkCatalog(out, v, config);
  if (typeof v.owner === "string") checkPerson(out, v.owner, "/owner", config);
  checkOrder(out, v.timestamps, "timestamps", PROBLEM_ORDER);
  checkActionItems(out, v, config);
  const refs: RecordFacts["refs"] = strings(v.incident_refs).map(([i, r]) => ({
    kind: "incident",
    id: r,
    pointer: `/incident_refs/${i}`,
  }));
  const status = typeof v.status === "string" ? v.status : undefined;
  return { findings: out, facts: { kind: "problem", id, status, refs } };
}

function checkIdentity(
  out: Finding[],
  id: string | undefined,
  ctx: SemanticContext,
  idConf: Config["ids"]["incident"],
) {
  if (id === undefined) return;
  const name = ctx.file.split("/").pop() ?? "";
  const base = name.replace(/\.ya?ml$/, "");
  if (base !== id) {
    out.push({
      code: "FILE_NAME_MISMATCH",
      message: `id \`${id}\` differs from the file name \`${name}\`; rename the file to \`${id}.yaml\``,
      pointer: "/id",
    });
  }
  const pattern = new RegExp(`^${escapeRegExp(idConf.prefix)}-(\\d{4})-\\d{${idConf.digits},}$`);
  const m = pattern.exec(id);
  if (!m) {
    out.push({
      code: "ID_PATTERN",
      message: `id \`${id}\` does not match ${idConf.prefix}-YYYY-${"N".repeat(idConf.digits)} (config \`ids\`)`,
      pointer: "/id",
    });
    return;
  }
  const dir = ctx.file.split("/").at(-2);
  if (dir && /^\d{4}$/.test(dir) && dir !== m[1]) {
    out.push({
      code: "FILE_LOCATION",
      message: `\`${id}\` belongs in the \`${m[1]}\` folder, not \`${dir}\``,
      pointer: "/id",
    });
  }
}

function checkState(out: Finding[], v: Obj, lifecycle: LifecycleDef, what: string) {
  if (typeof v.status !== "string" || !findState(lifecycle, v.status)) return;
  for (const r of missingRequirements(lifecycle, v, v.status)) {
    out.push({
      code: "STATE_REQUIRED",
      message: `${what} status \`${v.status}\` requires \`${r.path}\`${r.since === v.status ? "" : ` (required from \`${r.since}\` on)`}`,
      pointer: toPointer(r.path.split(".")),
      target: "parent",
    });
  }
}

function checkPriority(out: Finding[], v: Obj, config: Config) {
  const { impact, urgency, priority } = v;
  if (typeof impact !== "string" || typeof urgency !== "string" || typeof priority !== "string") return;
  // impact and urgency come from the file: look them up as own keys only, never through a prototype.
  const matrix = config.priority_matrix as Record<string, Record<string, string>>;
  const row = Object.hasOwn(matrix, impact) ? matrix[impact] : undefined;
  const expected = row && Object.hasOwn(row, urgency) ? row[urgency] : undefined;
  if (expected === undefined || expected === priority || isPresent(v.priority_reason)) return;
  out.push({
    code: "PRIORITY_MISMATCH",
    message: `impact \`${impact}\` and urgency \`${urgency}\` give priority \`${expected}\`, not \`${priority}\`; fix it or explain the override in \`priority_reason\``,
    pointer: "/priority",
  });
}

function checkCatalog(out: Finding[], v: Obj, config: Config) {
  const categories = new Set(config.categories.map((c) => c.id));
  for (const [i, c] of strings(v.categories)) {
    if (!categories.has(c)) {
      out.push({
        code: "UNKNOWN_CATEGORY",
        message: `category \`${c}\` is not in the taxonomy (config \`categories\`)`,
        pointer: `/categories/${i}`,
      });
    }
  }
  // An empty service catalog means services are not managed in config; nothing to check against.
  if (config.services.length > 0) {
    const services = new Set(config.services.map((s) => s.id));
    for (const [i, s] of strings(v.services)) {
      if (!services.has(s)) {
        out.push({
          code: "UNKNOWN_SERVICE",
          message: `service \`${s}\` is not in the service catalog (config \`services\`)`,
          pointer: `/services/${i}`,
        });
      }
    }
  }
  const roles = isObj(v.roles) ? v.roles : {};
  for (const [role, who] of Object.entries(roles)) {
    if (typeof who === "string") checkPerson(out, who, `/roles/${role}`, config);
    for (const [i, h] of strings(who)) checkPerson(out, h, `/roles/${role}/${i}`, config);
  }
  for (const [i, e] of objects(v.timeline)) {
    if (typeof e.actor === "string") checkPerson(out, e.actor, `/timeline/${i}/actor`, config);
  }
  const review = isObj(v.review) ? v.review : {};
  if (typeof review.approved_by === "string")
    checkPerson(out, review.approved_by, "/review/approved_by", config);
  for (const [i, h] of strings(review.attendees)) checkPerson(out, h, `/review/attendees/${i}`, config);
}

function checkPerson(out: Finding[], handle: string, pointer: string, config: Config) {
  if (config.people.length === 0 || config.people.some((p) => p.handle === handle)) return;
  out.push({ code: "UNKNOWN_PERSON", message: `\`${handle}\` is not in config \`people\``, pointer });
}

function checkActionItems(out: Finding[], v: Obj, config: Config) {
  const seen = new Set<string>();
  for (const [i, a] of objects(v.action_items)) {
    if (typeof a.id === "string") {
      if (seen.has(a.id)) {
        out.push({
          code: "ACTION_ITEM_DUPLICATE_ID",
          message: `action item id \`${a.id}\` is used twice`,
          pointer: `/action_items/${i}/id`,
        });
      }
      seen.add(a.id);
    }
    if (typeof a.owner === "string") checkPerson(out, a.owner, `/action_items/${i}/owner`, config);
    // Metrics read completion times (time to complete, on time or late).
    readTime(out, a.completed_at, `/action_items/${i}/completed_at`, `action_items[${i}].completed_at`);
  }
}

/**
 * The instant of a time field, or undefined after reporting TIME_INVALID when it is present but not
 * computable: a rule never skips a time it cannot read (the schema reports the format too, but a
 * repository may carry its own schemas).
 */
function readTime(out: Finding[], value: unknown, pointer: string, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = parseInstant(value);
  if (ms === undefined) {
    out.push({
      code: "TIME_INVALID",
      message: `\`${what}\` is ${shown(value)}, not a time the checker can compute, so no rule can use it; write YYYY-MM-DDTHH:MM:SS on a real date with Z or an offset such as +01:00`,
      pointer,
    });
  }
  return ms;
}

const shown = (v: unknown) => {
  const text = typeof v === "string" ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v) : typeof v;
  return typeof v === "string" ? text : `a ${text}`;
};

function checkOrder(
  out: Finding[],
  ts: unknown,
  base: string,
  order: ReadonlyArray<readonly [string, string]>,
) {
  if (!isObj(ts)) return;
  const times = new Map<string, number | undefined>();
  for (const [k, value] of Object.entries(ts))
    times.set(k, readTime(out, value, `/${base}/${k}`, `${base}.${k}`));
  for (const [early, late] of order) {
    const a = times.get(early);
    const b = times.get(late);
    // An uncomputable time was reported above; an absent one has no order yet.
    if (a === undefined || b === undefined || a <= b) continue;
    out.push({
      code: "TIMESTAMP_ORDER",
      message: `\`${base}.${late}\` (${ts[late]}) is earlier than \`${base}.${early}\` (${ts[early]})`,
      pointer: `/${base}/${late}`,
    });
  }
}

/** `statusChanges`: whether a status needs entries at all (when entries are given they must agree). */
function checkTimeline(out: Finding[], v: Obj, lifecycle: LifecycleDef, statusChanges: boolean) {
  const entries = objects(v.timeline);
  let prev: number | undefined;
  let prevAt = "";
  let lastTo: unknown;
  for (const [i, e] of entries) {
    const at = readTime(out, e.at, `/timeline/${i}/at`, `timeline[${i}].at`);
    if (at !== undefined) {
      if (prev !== undefined && at < prev) {
        out.push({
          code: "TIMELINE_ORDER",
          message: `timeline entry ${i} (${e.at}) is earlier than the entry before it (${prevAt}); entries are in time order`,
          pointer: `/timeline/${i}/at`,
        });
      }
      prev = at;
      prevAt = e.at as string;
    }
    if (e.type === "status_change") lastTo = e.to;
  }
  if (typeof v.status !== "string" || (!statusChanges && lastTo === undefined)) return;
  const initial = lifecycle.states.find((s) => s.initial)?.id;
  const recorded = lastTo ?? initial;
  if (recorded !== undefined && recorded !== v.status) {
    out.push({
      code: "TIMELINE_STATUS_MISMATCH",
      message:
        lastTo === undefined
          ? `status is \`${v.status}\` but the timeline records no status_change from \`${initial}\`; add one per move`
          : `status is \`${v.status}\` but the last status_change in the timeline moves to \`${String(lastTo)}\``,
      pointer: "/status",
    });
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
