// Changing the status of an incident or a problem: which move is allowed, which timestamps it sets
// (its own and those of states it walks past), which fields it still needs, and the timeline entry
// it appends; the text change is then written by editRecord.

import type { Config } from "../config/types.js";
import { lifecycleForMode, modeOf } from "../lifecycle/modes.js";
import { findState, isPresent, missingRequirements, POSTMORTEM_FIELDS } from "../lifecycle/requirements.js";
import { checkTransition, timestampsToSet } from "../lifecycle/transition.js";
import { setIn } from "../yaml/edit.js";
import { addTimelineEntry, type CommonOptions, handle, timeFor } from "./authoring.js";
import { type EditResult, editRecord, RefusedError } from "./editRecord.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

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
  // Ids and handles come from the config; where it has none, a placeholder, never a made-up value
  // the config would refuse.
  const top = config.priority_matrix.high.high;
  const commander = config.people.find((p) => p.roles?.includes("incident_commander"))?.handle;
  const examples: Record<string, string> = {
    summary: `incident set ${id} summary="What happened, in two sentences"`,
    severity: `incident set ${id} severity=${config.severities[1]?.id ?? config.severities[0]?.id ?? "<severity>"}`,
    impact: `incident set ${id} impact=high`,
    urgency: `incident set ${id} urgency=high`,
    priority: `incident set ${id} priority=${top}   (impact x urgency: high/high is ${top})`,
    categories: `incident set ${id} categories+=${(config.categories.find((c) => c.id.startsWith("ops.")) ?? config.categories[0])?.id ?? "<category>"}`,
    services: `incident set ${id} services+=${config.services[0]?.id ?? "<service>"}`,
    "roles.incident_commander": `incident set ${id} roles.incident_commander=${commander ? `@${commander}` : "<handle>"}`,
    determination: `incident set ${id} determination=confirmed`,
    resolution: `incident set ${id} resolution.code=fixed resolution.summary="Rolled back the release"`,
    impact_assessment: `incident set ${id} impact_assessment.summary="About 4% of checkouts failed for 40 minutes"`,
    root_cause: `incident set ${id} root_cause="..."`,
    contributing_factors: `incident set ${id} contributing_factors+="No canary for config changes"`,
    lessons: `incident set ${id} lessons.went_well+="Rollback took 4 minutes"`,
    action_items: `incident action add ${id} --title "Add a canary" --owner <handle> --due 2026-12-31 --class prevent`,
    owner: `incident problem set ${id} owner=<handle>`,
    incident_refs: `incident link INC-YYYY-NNNN --problem ${id}`,
  };
  if (path.startsWith("timestamps."))
    return `incident set ${id} ${path}=now   (or -15m, or 2026-03-04T10:02:00Z)`;
  return examples[path] ?? `incident set ${id} ${path}=...`;
}

export async function changeStatus(
  id: string,
  to: string,
  opts: CommonOptions & { note?: string },
  kind: "incident" | "problem" = "incident",
): Promise<EditResult> {
  return editRecord(opts.dir, id, kind, opts, (ctx) => {
    const { config, before } = ctx;
    // The record's mode decides what a state requires (config `lifecycle.modes`).
    const lifecycle =
      kind === "incident"
        ? lifecycleForMode(config.lifecycle, modeOf(before))
        : lifecycleForMode(config.problem_lifecycle, "standard");
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
      to === "closed" && major?.postmortem.required && lifecycle.postmortem
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
