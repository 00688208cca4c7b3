// The data a postmortem template receives: built from one incident, the config and the problem
// records, with dates already in the configured time zone and durations already formatted. Pure.
// Values here are raw text; the templates escape them (helpers `md`, `prose`, `cell`, `code`, `link`).

import type { Config, PersonDef } from "../config/types.js";
import { formatDate, formatDuration, parseInstant } from "../lifecycle/time.js";
import type { ExternalRef, Incident, Problem, Timestamps } from "../model/types.js";
import { computeObligations, type ReportState, regulatoryOf } from "../regulatory/compute.js";
import type { RuleSet } from "../regulatory/types.js";

/** A person as shown in a postmortem: the config name when known, never an @mention. */
export interface PersonView {
  /** The handle as written in the incident (no leading `@`). */
  handle: string;
  /** `Name (handle)` when the handle is in config `people`, else the handle. */
  display: string;
}

/** A URL that may become a link: `safe` only for absolute http(s) URLs. */
export interface LinkView {
  /** The URL as written in the incident. */
  url: string;
  /** The link text (a title when there is one, else the URL). */
  text: string;
  /** True when the URL is an absolute `http:` or `https:` URL; only then do templates link it. */
  safe: boolean;
}

export interface PostmortemModel {
  /** Incident id, e.g. INC-2026-0017. */
  id: string;
  /** Incident title. */
  title: string;
  /** True unless the incident is resolved, closed or canceled: templates show a draft banner. */
  draft: boolean;
  /** Lifecycle status id (`in_progress`, `closed`, ...). */
  status: string;
  /** The status's title from the lifecycle config (`In progress`), or the id. */
  statusTitle: string;
  /** IANA time zone every date in this model is shown in (config `timezone`). */
  timezone: string;
  /** Mode when it is not `standard` (`test`, `gameday`, `retrospective`). */
  mode?: string;
  /** Determination (`confirmed`, `suspected`, ...). */
  determination?: string;
  /** Severity id and its configured name. */
  severity?: { id: string; name: string };
  /** Priority P1..P5. */
  priority?: string;
  /** Incident commander. */
  commander?: PersonView;
  /** Incident manager. */
  manager?: PersonView;
  /** When the incident started: impact start, else detection (formatted). */
  started?: string;
  /** When it ended: resolution, else end of impact (formatted). */
  ended?: string;
  /** `ended - started`, formatted like `1h 23m`. */
  duration?: string;
  /** Category ids with names. */
  categories: Array<{ id: string; name: string }>;
  /** Service ids with names. */
  services: Array<{ id: string; name: string }>;
  /** TLP marking (`amber+strict`, ...). */
  tlp?: string;
  /** Incident summary (prose: the Markdown subset). */
  summary?: string;
  /** The long-form narrative (prose: the Markdown subset). */
  narrative?: string;
  /** Impact facts; absent when the incident records none. */
  impact?: {
    summary?: string;
    usersAffected?: string;
    customersAffected?: string;
    regions: string[];
    /** `yes` / `no` when recorded. */
    sloBreached?: string;
    dataLoss?: string;
    financial?: string;
  };
  /** Every recorded timestamp in time order (lifecycle order for equal times), formatted. */
  keyTimes: Array<{ label: string; at: string }>;
  /** TTD, TTA, TTM, TTR and customer impact duration, for those whose timestamps are present. */
  metrics: Array<{
    /** `TTD`, `TTA`, `TTM`, `TTR`; empty for the customer impact duration. */
    abbr: string;
    label: string;
    /** How it is measured, e.g. `mitigated - detected`. */
    definition: string;
    /** Formatted like `1h 23m`. */
    value: string;
    /** The same in milliseconds. */
    ms: number;
  }>;
  /** How the incident was detected. */
  detection?: { method?: string; source?: string; alertIds: string[] };
  /** Every role with its people, in the order of the guide's roles. */
  roles: Array<{ role: string; people: PersonView[] }>;
  /** Resolution code and summary. */
  resolution?: { code: string; summary: string };
  /** Timeline entries in time order. */
  timeline: Array<{ at: string; type: string; actor?: PersonView; text: string; change?: string }>;
  /** The body of a Mermaid `timeline` diagram (without the fence), made of sanitised text only. */
  mermaid?: string;
  /** Root cause. */
  rootCause?: string;
  /** Contributing factors. */
  contributingFactors: string[];
  /** Lessons; absent when none are recorded. */
  lessons?: { wentWell: string[]; wentWrong: string[]; lucky: string[] };
  /** Action items. */
  actionItems: Array<{
    id: string;
    title: string;
    class: string;
    priority?: string;
    owner: PersonView;
    due?: string;
    status: string;
    /** Completion time, formatted. */
    completed?: string;
    tracker?: LinkView;
  }>;
  /** Related incidents, problems and links; absent when there are none. */
  related?: {
    duplicateOf?: string;
    parent?: string;
    incidents: string[];
    problems: Array<{ id: string; title?: string; status?: string }>;
    links: Array<LinkView & { type: string }>;
  };
  /** Security appendix, for incidents with a `sec.*` category and a `security` block. */
  security?: {
    actor?: { type: string; name?: string; motive?: string };
    /** MITRE ATT&CK technique ids; `url` only for well-formed ids. */
    techniques: Array<{ id: string; url?: string }>;
    /** Indicators with `value` defanged (`203.0.113[.]1`, `hxxps://`) so nothing is clickable. */
    indicators: Array<{ type: string; value: string; note?: string }>;
    dataExposure?: { status: string; dataTypes: string[]; records?: string; description?: string };
    notifications: Array<{
      party: string;
      name?: string;
      required: string;
      deadline?: string;
      notified?: string;
      reference?: string;
    }>;
  };
  /**
   * Regulatory appendix, for incidents with a `regulatory` block when the caller passes the rules:
   * every obligation computed as of `asOf` (closed, else resolved, else the latest recorded time),
   * so the postmortem never changes with the clock.
   */
  regulatory?: {
    /** The moment the reports are judged at (formatted). */
    asOf: string;
    /** What `asOf` is: `closed`, `resolved` or `latest recorded time`. */
    asOfBasis: string;
    obligations: Array<{
      regime: string;
      name: string;
      /** `applies`, `does not apply`, `undetermined`. */
      applies: string;
      reason?: string;
      source: string;
      checked: string;
      proposed: boolean;
      reports: Array<{
        report: string;
        name: string;
        /** The outer limit (formatted), when the report has one. */
        deadline?: string;
        /** When it was filed (formatted). */
        filed?: string;
        /** `on time`, `late`, `missing` (overdue at asOf), `pending`, `not triggered`, `on request`, `not required`. */
        outcome: string;
        reference?: string;
        lateReason?: string;
      }>;
    }>;
  };
  /** Review and sign-off; absent when no review is recorded. */
  review?: {
    held?: string;
    attendees: PersonView[];
    approvedBy?: PersonView;
    approved?: string;
    document?: LinkView;
  };
  /** The incident as parsed, for template overrides that need a field not listed here (raw: escape it). */
  record: Incident;
}

const TIMESTAMP_LABELS: Array<[keyof Timestamps, string]> = [
  ["impact_started_at", "Impact started"],
  ["detected_at", "Detected"],
  ["declared_at", "Declared"],
  ["acknowledged_at", "Acknowledged"],
  ["triaged_at", "Triaged"],
  ["contained_at", "Contained"],
  ["mitigated_at", "Mitigated"],
  ["impact_ended_at", "Impact ended"],
  ["recovered_at", "Recovered"],
  ["resolved_at", "Resolved"],
  ["closed_at", "Closed"],
  ["canceled_at", "Canceled"],
];

const METRICS: Array<[string, string, keyof Timestamps, keyof Timestamps, string]> = [
  ["TTD", "Time to detect", "impact_started_at", "detected_at", "detected - impact started"],
  ["TTA", "Time to acknowledge", "detected_at", "acknowledged_at", "acknowledged - detected"],
  ["TTM", "Time to mitigate", "detected_at", "mitigated_at", "mitigated - detected"],
  ["TTR", "Time to resolve", "detected_at", "resolved_at", "resolved - detected"],
  ["", "Customer impact duration", "impact_started_at", "impact_ended_at", "impact ended - impact started"],
];

function between(from: string | undefined, to: string | undefined): string | undefined {
  const a = parseInstant(from);
  const b = parseInstant(to);
  return a === undefined || b === undefined ? undefined : formatDuration(b - a);
}

/** A link only for absolute http(s) URLs; everything else stays text. */
export function linkView(url: string, title?: string): LinkView {
  let safe = false;
  try {
    const u = new URL(url);
    safe = (u.protocol === "http:" || u.protocol === "https:") && /^https?:\/\//i.test(url.trim());
  } catch {
    safe = false;
  }
  return { url, text: title ?? url, safe };
}

/** Makes an indicator unclickable the usual way: `hxxps://evil[.]example`. */
function defang(type: string, value: string): string {
  if (!["ipv4", "domain", "url", "email"].includes(type)) return value;
  return value.replace(/^http/i, "hxxp").replace(/\./g, "[.]");
}

/** Keeps Mermaid text to letters, digits and harmless punctuation: no `:`, `;`, `#`, `%%`, backticks. */
export function mermaidText(text: string, max = 60): string {
  const clean = text
    .replace(/[^\p{L}\p{N} .,'()/+-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 3).trimEnd()}...` : clean;
}

function mermaidTimeline(inc: Incident, timeZone: string): string | undefined {
  const entries = sortedTimeline(inc);
  if (entries.length === 0) return undefined;
  const lines = ["timeline", `  title ${mermaidText(`${inc.id} ${inc.title}`, 80) || "Timeline"}`];
  let day = "";
  for (const e of entries) {
    const at = formatDate(e.at, timeZone);
    if (at.slice(0, 10) !== day) {
      day = at.slice(0, 10);
      lines.push(`  section ${mermaidText(day)}`);
    }
    // `:` separates a period from its events in Mermaid, so the time is written 16.12.
    const text = mermaidText(`${e.type.replace(/_/g, " ")} - ${e.text}`) || e.type;
    lines.push(`    ${at.slice(11, 16).replace(":", ".")} : ${text}`);
  }
  return lines.join("\n");
}

/** For sorting: an uncomputable time sorts last instead of making the comparison NaN. */
const instantOrLast = (at: unknown) => parseInstant(at) ?? Number.MAX_VALUE;

function sortedTimeline(inc: Incident): Incident["timeline"] {
  return [...(inc.timeline ?? [])]
    .map((e, i) => ({ e, i }))
    .sort((a, b) => instantOrLast(a.e.at) - instantOrLast(b.e.at) || a.i - b.i)
    .map((x) => x.e);
}

const nonEmpty = <T>(xs: T[] | undefined): T[] => (Array.isArray(xs) ? xs : []);
const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? "yes" : "no");
const count = (n: number | undefined) => (n === undefined ? undefined : n.toLocaleString("en-US"));

const OUTCOME: Record<ReportState, string> = {
  filed_on_time: "on time",
  filed_late: "late",
  overdue: "missing",
  due: "pending",
  not_triggered: "not triggered",
  on_request: "on request",
  not_required: "not required",
};
const APPLIES = { yes: "applies", no: "does not apply", undetermined: "undetermined" } as const;

/**
 * When a postmortem judges its reports: closed, else resolved, else the latest time the record holds
 * (timestamps, timeline, triggers, filings), so rendering twice gives the same text.
 */
export function regulatoryAsOf(inc: Incident): { ms: number; basis: string } | undefined {
  const ts = inc.timestamps ?? {};
  for (const [key, basis] of [
    ["closed_at", "closed"],
    ["resolved_at", "resolved"],
  ] as const) {
    const ms = parseInstant(ts[key]);
    if (ms !== undefined) return { ms, basis };
  }
  const reg = regulatoryOf(inc);
  const times = [
    ...Object.values(ts),
    ...nonEmpty(inc.timeline).map((e) => e.at),
    ...Object.values(reg.triggers ?? {}).map((t) => t?.at),
    ...nonEmpty(reg.filings).map((f) => f?.submitted_at),
  ]
    .map((t) => parseInstant(t))
    .filter((ms): ms is number => ms !== undefined);
  return times.length > 0 ? { ms: Math.max(...times), basis: "latest recorded time" } : undefined;
}

function regulatoryAppendix(
  inc: Incident,
  config: Config,
  rules: RuleSet,
): PostmortemModel["regulatory"] | undefined {
  if (!inc.regulatory || typeof inc.regulatory !== "object") return undefined;
  const asOf = regulatoryAsOf(inc);
  if (!asOf) return undefined;
  const tz = config.timezone;
  const date = (iso: string | undefined) => (iso ? formatDate(iso, tz) : undefined);
  const obligations = computeObligations(inc, rules, config, new Date(asOf.ms)).map((o) => ({
    regime: o.regime,
    name: o.name,
    applies: `${APPLIES[o.applies]}${o.assessed ? "" : " (not assessed)"}`,
    reason: o.reason,
    source: o.source,
    checked: o.checked,
    proposed: o.status === "proposed",
    reports: o.reports.map((r) => ({
      report: r.report,
      name: r.name,
      deadline: date(r.deadline),
      filed: date(r.submittedAt),
      outcome: OUTCOME[r.state],
      reference: r.reference,
      lateReason: r.lateReason,
    })),
  }));
  if (obligations.length === 0) return undefined;
  return { asOf: formatDate(new Date(asOf.ms).toISOString(), tz), asOfBasis: asOf.basis, obligations };
}

/**
 * Builds the model of one incident's postmortem. `rules` (the bundled regulatory rules merged with
 * the config's) adds the regulatory appendix; without them there is none (the public site).
 */
export function buildPostmortemModel(
  inc: Incident,
  config: Config,
  problems: readonly Problem[] = [],
  rules?: RuleSet,
): PostmortemModel {
  const tz = config.timezone;
  const people = new Map<string, PersonDef>(config.people.map((p) => [p.handle, p]));
  const person = (handle: string): PersonView => {
    const p = people.get(handle);
    return { handle, display: p ? `${p.name} (${handle})` : handle };
  };
  const date = (iso: string | undefined) => (iso ? formatDate(iso, tz) : undefined);
  const ts = inc.timestamps ?? {};
  const start = ts.impact_started_at ?? ts.detected_at;
  const end = ts.resolved_at ?? ts.impact_ended_at;
  const categoryName = new Map(config.categories.map((c) => [c.id, c.name]));
  const serviceName = new Map(config.services.map((s) => [s.id, s.name]));
  const sev = config.severities.find((s) => s.id === inc.severity);
  const state = config.lifecycle.states.find((s) => s.id === inc.status);

  const ia = inc.impact_assessment;
  const impact =
    ia && Object.keys(ia).length > 0
      ? {
          summary: ia.summary,
          usersAffected: count(ia.users_affected),
          customersAffected: count(ia.customers_affected),
          regions: nonEmpty(ia.regions),
          sloBreached: yesNo(ia.slo_breached),
          dataLoss: yesNo(ia.data_loss),
          financial: ia.financial,
        }
      : undefined;

  const metrics: PostmortemModel["metrics"] = [];
  for (const [abbr, label, from, to, definition] of METRICS) {
    const a = parseInstant(ts[from]);
    const b = parseInstant(ts[to]);
    if (a === undefined || b === undefined) continue;
    const ms = b - a;
    const value = formatDuration(ms);
    if (value) metrics.push({ abbr, label, definition, value, ms });
  }

  const r = inc.roles ?? {};
  const roleList: Array<[string, string[] | undefined]> = [
    ["Incident commander", r.incident_commander ? [r.incident_commander] : undefined],
    ["Incident manager", r.incident_manager ? [r.incident_manager] : undefined],
    ["Responders", r.responders],
    ["IT operators", r.it_operators],
    ["Analysts", r.analysts],
    ["Communications lead", r.comms_lead ? [r.comms_lead] : undefined],
    ["Scribe", r.scribe ? [r.scribe] : undefined],
  ];
  const roles = roleList
    .filter(([, hs]) => nonEmpty(hs).length > 0)
    .map(([role, hs]) => ({ role, people: nonEmpty(hs).map(person) }));

  const l = inc.lessons;
  const lessons =
    l && (nonEmpty(l.went_well).length || nonEmpty(l.went_wrong).length || nonEmpty(l.lucky).length)
      ? { wentWell: nonEmpty(l.went_well), wentWrong: nonEmpty(l.went_wrong), lucky: nonEmpty(l.lucky) }
      : undefined;

  const rel = inc.related ?? {};
  const byId = new Map(problems.map((p) => [p.id, p]));
  const problemIds = new Set(nonEmpty(inc.problem_refs));
  for (const p of problems) if (nonEmpty(p.incident_refs).includes(inc.id)) problemIds.add(p.id);
  const relatedProblems = [...problemIds].sort().map((id) => {
    const p = byId.get(id);
    return { id, title: p?.title, status: p?.status };
  });
  const links = nonEmpty<ExternalRef>(inc.external_refs).map((x) => ({
    ...linkView(x.url, x.title),
    type: x.type,
  }));
  const related =
    rel.duplicate_of || rel.parent || nonEmpty(rel.related).length || relatedProblems.length || links.length
      ? {
          duplicateOf: rel.duplicate_of,
          parent: rel.parent,
          incidents: nonEmpty(rel.related),
          problems: relatedProblems,
          links,
        }
      : undefined;

  const isSecurity = nonEmpty(inc.categories).some((c) => c.startsWith("sec."));
  const sec = inc.security ?? {};
  const hasSecurity =
    isSecurity &&
    (sec.actor ||
      nonEmpty(sec.techniques).length ||
      nonEmpty(sec.indicators).length ||
      sec.data_exposure ||
      nonEmpty(sec.notifications).length);
  const security = hasSecurity
    ? {
        actor: sec.actor,
        techniques: nonEmpty(sec.techniques).map((id) => {
          const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
          return {
            id,
            url: m ? `https://attack.mitre.org/techniques/T${m[1]}/${m[2] ? `${m[2]}/` : ""}` : undefined,
          };
        }),
        indicators: nonEmpty(sec.indicators).map((i) => ({
          type: i.type,
          value: defang(i.type, i.value),
          note: i.note,
        })),
        dataExposure: sec.data_exposure
          ? {
              status: sec.data_exposure.status,
              dataTypes: nonEmpty(sec.data_exposure.data_types),
              records: count(sec.data_exposure.records),
              description: sec.data_exposure.description,
            }
          : undefined,
        notifications: nonEmpty(sec.notifications).map((n) => ({
          party: n.party,
          name: n.name,
          required: n.required ? "yes" : "no",
          deadline: date(n.deadline),
          notified: date(n.notified_at),
          reference: n.reference,
        })),
      }
    : undefined;

  const rv = inc.review;
  const review =
    rv && Object.keys(rv).length > 0
      ? {
          held: date(rv.held_at),
          attendees: nonEmpty(rv.attendees).map(person),
          approvedBy: rv.approved_by ? person(rv.approved_by) : undefined,
          approved: date(rv.approved_at),
          document: rv.document ? linkView(rv.document, "Review document") : undefined,
        }
      : undefined;

  const d = inc.detection;
  return {
    id: inc.id,
    title: inc.title,
    draft: !["resolved", "closed", "canceled"].includes(String(inc.status)),
    status: inc.status,
    statusTitle: state?.title ?? inc.status,
    timezone: tz,
    mode: inc.mode && inc.mode !== "standard" ? inc.mode : undefined,
    determination: inc.determination,
    severity: inc.severity ? { id: inc.severity, name: sev?.name ?? inc.severity } : undefined,
    priority: inc.priority,
    commander: r.incident_commander ? person(r.incident_commander) : undefined,
    manager: r.incident_manager ? person(r.incident_manager) : undefined,
    started: date(start),
    ended: date(end),
    duration: between(start, end),
    categories: nonEmpty(inc.categories).map((id) => ({ id, name: categoryName.get(id) ?? id })),
    services: nonEmpty(inc.services).map((id) => ({ id, name: serviceName.get(id) ?? id })),
    tlp: inc.tlp,
    summary: inc.summary,
    narrative: inc.narrative,
    impact,
    keyTimes: TIMESTAMP_LABELS.filter(([k]) => ts[k])
      .map(([k, label]) => ({ label, ms: instantOrLast(ts[k]), at: date(ts[k]) as string }))
      .sort((a, b) => a.ms - b.ms)
      .map(({ label, at }) => ({ label, at })),
    metrics,
    detection:
      d && (d.method || d.source || nonEmpty(d.alert_ids).length)
        ? { method: d.method, source: d.source, alertIds: nonEmpty(d.alert_ids) }
        : undefined,
    roles,
    resolution: inc.resolution,
    timeline: sortedTimeline(inc).map((e) => ({
      at: formatDate(e.at, tz),
      type: e.type,
      actor: e.actor ? person(e.actor) : undefined,
      text: e.text,
      change: e.type === "status_change" && e.from && e.to ? `${e.from} -> ${e.to}` : undefined,
    })),
    mermaid: mermaidTimeline(inc, tz),
    rootCause: inc.root_cause,
    contributingFactors: nonEmpty(inc.contributing_factors),
    lessons,
    actionItems: nonEmpty(inc.action_items).map((a) => ({
      id: a.id,
      title: a.title,
      class: a.class,
      priority: a.priority,
      owner: person(a.owner),
      due: a.due,
      status: a.status,
      completed: date(a.completed_at),
      tracker: a.tracker ? linkView(a.tracker, "tracker") : undefined,
    })),
    related,
    security,
    regulatory: rules ? regulatoryAppendix(inc, config, rules) : undefined,
    review,
    record: inc,
  };
}
