// VERIS 1.4.1 (the Vocabulary for Event Recording and Incident Sharing) from a security incident
// record: a pure mapping of what the record knows onto VERIS's enumerations, "Unknown" where VERIS
// allows it. Only incidents with a `sec.*` category are exported; docs/export.md has the tables.

import type { DetectionMethod, Determination, Incident, Level, SecurityBlock } from "../model/types.js";
import { stableUuid } from "./ids.js";

export const VERIS_SCHEMA_VERSION = "1.4.1";

/** A VERIS record as JSON: built from plain objects and arrays of strings and numbers. */
export type VerisRecord = Record<string, unknown>;

export interface VerisOptions {
  /** VERIS `source_id`: who the data comes from (default "incident-as-code"). */
  sourceId?: string;
  /** VERIS `reference`: where the record lives (its path in the repository), else its id. */
  reference?: string;
}

export type VerisResult = { record: VerisRecord } | { skipped: string };

/** True for an incident VERIS describes: one with a category in the `sec` family. */
export function isSecurityIncident(inc: Incident): boolean {
  return (inc.categories ?? []).some((c) => c === "sec" || c.startsWith("sec."));
}

/** VERIS's time units for a duration (`timeline.*`, `attribute.availability.duration`). */
export type VerisUnit = "Seconds" | "Minutes" | "Hours" | "Days" | "Weeks" | "Months" | "Years" | "Unknown";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// The largest unit a duration reaches at least once, with a month as 30 days and a year as 365.
const UNITS: ReadonlyArray<[Exclude<VerisUnit, "Unknown">, number]> = [
  ["Years", 365 * DAY],
  ["Months", 30 * DAY],
  ["Weeks", 7 * DAY],
  ["Days", DAY],
  ["Hours", HOUR],
  ["Minutes", MINUTE],
  ["Seconds", SECOND],
];

/**
 * A duration as VERIS records one: the largest unit it fills at least once and the count of that
 * unit to one decimal (90 minutes: Hours 1.5). Missing, negative or non-finite: Unknown, no value.
 */
export function durationBucket(ms: number | undefined): { unit: VerisUnit; value?: number } {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return { unit: "Unknown" };
  for (const [unit, size] of UNITS) {
    if (ms >= size) return { unit, value: Math.round((ms / size) * 10) / 10 };
  }
  return { unit: "Seconds", value: Math.round((ms / SECOND) * 10) / 10 };
}

/** Milliseconds from `from` to `to` when both are readable instants. */
function between(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isFinite(a) && Number.isFinite(b) ? b - a : undefined;
}

const SECURITY_INCIDENT: Record<Exclude<Determination, "duplicate">, string> = {
  confirmed: "Confirmed",
  suspected: "Suspected",
  near_miss: "Near miss",
  false_positive: "False positive",
};

const CONFIDENCE: Record<Exclude<Determination, "duplicate">, string> = {
  confirmed: "High",
  false_positive: "High",
  near_miss: "Medium",
  suspected: "Low",
};

const OVERALL_RATING: Record<Level, string> = { high: "Damaging", medium: "Painful", low: "Distracting" };

/** detection.method -> VERIS discovery_method (internal, external or partner variety, or other). */
const DISCOVERY: Record<
  DetectionMethod,
  [side: "internal" | "external" | "partner" | "other", variety?: string]
> = {
  monitoring: ["internal", "Infrastructure monitoring"],
  alert: ["internal", "Infrastructure monitoring"],
  security_tool: ["internal", "Other"],
  audit: ["internal", "It review"],
  employee_report: ["internal", "Reported by employee"],
  user_report: ["external", "Customer"],
  customer_report: ["external", "Customer"],
  partner_report: ["partner", "Other"],
  threat_intel: ["external", "Other"],
  third_party: ["external", "Unrelated 3rd party"],
  other: ["other"],
};

/** A lookup table keyed by record values: a Map, so `constructor` or `__proto__` find nothing. */
const table = <T>(entries: Record<string, T>): ReadonlyMap<string, T> => new Map(Object.entries(entries));

type ActionKind = "hacking" | "malware" | "social" | "error" | "misuse";
interface ActionHint {
  kind: ActionKind;
  variety: string;
  vector?: string;
}

/** What each bundled `sec.*` category says about the action. Other sec categories: action unknown. */
const CATEGORY_ACTIONS: ReadonlyMap<string, ActionHint> = table({
  "sec.phishing": { kind: "social", variety: "Phishing", vector: "Email" },
  "sec.account_compromise": { kind: "hacking", variety: "Use of stolen creds" },
  "sec.credential_stuffing": { kind: "hacking", variety: "Brute force", vector: "Web application" },
  "sec.malware": { kind: "malware", variety: "Unknown" },
  "sec.intrusion": { kind: "hacking", variety: "Unknown" },
  "sec.data_exposure": { kind: "error", variety: "Unknown" },
  "sec.dos": { kind: "hacking", variety: "DoS" },
  "sec.insider": { kind: "misuse", variety: "Unknown" },
  "sec.vulnerability": { kind: "hacking", variety: "Exploit vuln" },
  "sec.policy_violation": { kind: "misuse", variety: "Unknown" },
});

/** MITRE ATT&CK techniques with one clear VERIS action (sub-techniques fall back to their parent). */
const TECHNIQUE_ACTIONS: ReadonlyMap<string, ActionHint> = table({
  T1566: { kind: "social", variety: "Phishing", vector: "Email" },
  T1110: { kind: "hacking", variety: "Brute force" },
  T1078: { kind: "hacking", variety: "Use of stolen creds" },
  T1190: { kind: "hacking", variety: "Exploit vuln", vector: "Web application" },
  T1557: { kind: "hacking", variety: "AitM" },
  T1530: { kind: "hacking", variety: "Exploit misconfig" },
  T1498: { kind: "hacking", variety: "DoS" },
  T1499: { kind: "hacking", variety: "DoS" },
  T1486: { kind: "malware", variety: "Ransomware" },
  T1059: { kind: "malware", variety: "Unknown" },
});

/** Assets a category names; the rest of a record's services carry no VERIS asset variety. */
const CATEGORY_ASSETS: ReadonlyMap<string, string> = table({
  "sec.phishing": "P - End-user or employee",
  "sec.account_compromise": "S - Authentication",
  "sec.credential_stuffing": "S - Authentication",
  "sec.dos": "S - Web application",
});

const DISCLOSURE: Record<NonNullable<SecurityBlock["data_exposure"]>["status"], string> = {
  confirmed: "Yes",
  suspected: "Potentially",
  none: "No",
  unknown: "Unknown",
};

// Free-text data types (`security.data_exposure.data_types`) -> VERIS data varieties, first match wins.
const DATA_VARIETIES: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:passwords?|credentials?|password hashes?)\b/i, "Credentials"],
  [/\b(?:mfa|otp|totp|2fa)\b/i, "Multi-factor credential"],
  [/\bsession (?:cookies?|tokens?|keys?)\b/i, "Session key"],
  [/\bapi keys?\b/i, "API key"],
  [/\b(?:secrets?|private keys?|tokens?)\b/i, "Secrets"],
  [/\b(?:cards?|payment|pan|iban|bank)\b/i, "Payment"],
  [/\b(?:health|medical|patients?)\b/i, "Medical"],
  [/\bsource code\b/i, "Source code"],
  [/\b(?:ssn|social security|passport|national id)\b/i, "Sensitive Personal"],
  [/\b(?:names?|e-?mail|address(?:es)?|phone|birth|personal|customers?|loyalty)\b/i, "Personal"],
];

const MOTIVES = [
  "Convenience",
  "Espionage",
  "Fear",
  "Financial",
  "Fun",
  "Grudge",
  "Ideology",
  "Secondary",
] as const;

/** The record's free-text motive as a VERIS motive when it starts with one of VERIS's words. */
function motiveOf(text: string | undefined): string {
  if (text === undefined) return "Unknown";
  const first = /^[A-Za-z]+/.exec(text.trim())?.[0]?.toLowerCase();
  return MOTIVES.find((m) => m.toLowerCase() === first) ?? "Unknown";
}

const TWELVE_HOUR = (d: Date): string => {
  const h = d.getUTCHours();
  const hh = String(h % 12 === 0 ? 12 : h % 12).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const ss = String(d.getUTCSeconds()).padStart(2, "0");
  return `${hh}:${mm}:${ss} ${h < 12 ? "AM" : "PM"}`;
};

/** The earliest time the record knows the incident happened: impact start, detection, declaration. */
function incidentStart(inc: Incident): string | undefined {
  const ts = inc.timestamps ?? {};
  return ts.impact_started_at ?? ts.detected_at ?? ts.declared_at;
}

function timeline(inc: Incident, start: Date): VerisRecord {
  const ts = inc.timestamps ?? {};
  const out: VerisRecord = {};
  // VERIS keeps no time zone: the date and time are given in UTC (docs/export.md).
  out.incident = {
    year: start.getUTCFullYear(),
    month: start.getUTCMonth() + 1,
    day: start.getUTCDate(),
    time: TWELVE_HOUR(start),
  };
  // Compromise and exfiltration need the attacker's first action and first exfiltration: not recorded.
  out.compromise = { unit: "Unknown" };
  out.exfiltration = { unit: "Unknown" };
  out.discovery = durationBucket(between(ts.impact_started_at, ts.detected_at));
  out.containment = durationBucket(
    between(ts.detected_at, ts.contained_at ?? ts.mitigated_at ?? ts.recovered_at),
  );
  return out;
}

function discoveryMethod(inc: Incident): VerisRecord {
  const method = inc.detection?.method;
  if (method === undefined) return { unknown: true };
  const [side, variety] = DISCOVERY[method];
  if (side === "other") return { other: true };
  return { [side]: { variety: [variety] } };
}

function actor(inc: Incident): VerisRecord {
  const a = inc.security?.actor;
  const notes = [a?.name, a?.motive].filter((s): s is string => s !== undefined && s !== "").join("; ");
  const withNotes = (o: VerisRecord): VerisRecord => (notes === "" ? o : { ...o, notes });
  const type = a?.type ?? (inc.categories?.includes("sec.insider") ? "insider" : undefined);
  const motive = [motiveOf(a?.motive)];
  switch (type) {
    case "external":
      return { external: withNotes({ variety: ["Unknown"], motive }) };
    case "insider":
      return { internal: withNotes({ variety: ["Unknown"], motive }) };
    case "partner":
      return { partner: withNotes({ country: ["Unknown"], motive }) };
    default:
      // VERIS wants a note on an unknown actor.
      return { unknown: { notes: notes === "" ? "The incident record names no actor." : notes } };
  }
}

function action(inc: Incident): VerisRecord {
  const hints: ActionHint[] = [];
  for (const c of inc.categories ?? []) {
    const hint = CATEGORY_ACTIONS.get(c);
    if (hint) hints.push(hint);
  }
  const techniques = inc.security?.techniques ?? [];
  for (const t of techniques) {
    const hint = TECHNIQUE_ACTIONS.get(t) ?? TECHNIQUE_ACTIONS.get(t.split(".")[0] as string);
    if (hint) hints.push(hint);
  }
  const out: Record<string, { variety: string[]; vector: string[]; target?: string[]; notes?: string }> = {};
  for (const h of hints) {
    const entry = out[h.kind] ?? { variety: [], vector: [] };
    out[h.kind] = entry;
    if (!entry.variety.includes(h.variety)) entry.variety.push(h.variety);
    if (h.vector && !entry.vector.includes(h.vector)) entry.vector.push(h.vector);
  }
  for (const [kind, entry] of Object.entries(out)) {
    // A known variety makes "Unknown" redundant.
    if (entry.variety.length > 1) entry.variety = entry.variety.filter((v) => v !== "Unknown");
    if (entry.vector.length === 0) entry.vector.push("Unknown");
    if (kind === "social") entry.target = ["Unknown"];
  }
  const notes = techniques.length > 0 ? `MITRE ATT&CK: ${techniques.join(", ")}` : undefined;
  if (Object.keys(out).length === 0) {
    return { unknown: { notes: notes ?? "The categories name no VERIS action." } };
  }
  if (notes) for (const entry of Object.values(out)) entry.notes = notes;
  return out;
}

function asset(inc: Incident): VerisRecord {
  const varieties: string[] = [];
  for (const c of inc.categories ?? []) {
    const v = CATEGORY_ASSETS.get(c);
    if (v && !varieties.includes(v)) varieties.push(v);
  }
  const out: VerisRecord = {
    assets: (varieties.length > 0 ? varieties : ["Unknown"]).map((variety) => ({ variety })),
    cloud: ["Unknown"],
  };
  if (inc.services && inc.services.length > 0) out.notes = `Services: ${inc.services.join(", ")}`;
  return out;
}

function attribute(inc: Incident): VerisRecord | undefined {
  const out: VerisRecord = {};
  const exposure = inc.security?.data_exposure;
  if (exposure) {
    const conf: VerisRecord = { data_disclosure: DISCLOSURE[exposure.status] };
    if (exposure.records !== undefined) conf.data_total = exposure.records;
    const varieties: string[] = [];
    for (const t of exposure.data_types ?? []) {
      const v = DATA_VARIETIES.find(([re]) => re.test(t))?.[1] ?? "Other";
      if (!varieties.includes(v)) varieties.push(v);
    }
    if (varieties.length > 0) conf.data = varieties.map((variety) => ({ variety }));
    if ((inc.impact_assessment?.customers_affected ?? 0) > 0) conf.data_victim = ["Customer"];
    if (exposure.description) conf.notes = exposure.description;
    out.confidentiality = conf;
  }
  if (inc.categories?.includes("sec.malware")) out.integrity = { variety: ["Software installation"] };
  if (inc.categories?.includes("sec.dos")) {
    const ts = inc.timestamps ?? {};
    out.availability = {
      variety: ["Interruption"],
      duration: durationBucket(between(ts.impact_started_at, ts.impact_ended_at)),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function impact(inc: Incident): VerisRecord {
  const out: VerisRecord = { overall_rating: inc.impact ? OVERALL_RATING[inc.impact] : "Unknown" };
  const notes = [inc.impact_assessment?.summary, inc.impact_assessment?.financial].filter(
    (s): s is string => typeof s === "string" && s !== "",
  );
  if (notes.length > 0) out.notes = notes.join(" ");
  return out;
}

/**
 * The VERIS record of a security incident, or why it is not exported: not a `sec.*` incident, a
 * duplicate (its original is exported), or no time at all to date it by.
 */
export function toVeris(inc: Incident, opts: VerisOptions = {}): VerisResult {
  if (!isSecurityIncident(inc)) return { skipped: "no sec.* category" };
  if (inc.determination === "duplicate") {
    const of = inc.related?.duplicate_of;
    return { skipped: of ? `a duplicate of ${of}` : "a duplicate" };
  }
  const startMs = Date.parse(incidentStart(inc) ?? "");
  if (!Number.isFinite(startMs)) {
    return { skipped: "no impact start, detection or declaration time to date it by" };
  }
  const start = new Date(startMs);
  const year = start.getUTCFullYear();
  if (year < 1950 || year > 2050) return { skipped: `dated ${year}, outside VERIS's years 1950 to 2050` };
  const determination = inc.determination ?? "suspected";
  const record: VerisRecord = {
    schema_version: VERIS_SCHEMA_VERSION,
    schema_name: "verisc",
    incident_id: inc.id,
    source_id: opts.sourceId ?? "incident-as-code",
    reference: opts.reference ?? inc.id,
    security_incident: SECURITY_INCIDENT[determination],
    summary: inc.summary ?? inc.title,
    timeline: timeline(inc, start),
    discovery_method: discoveryMethod(inc),
    actor: actor(inc),
    action: action(inc),
    asset: asset(inc),
    impact: impact(inc),
  };
  if (inc.determination !== undefined) record.confidence = CONFIDENCE[determination];
  if (inc.detection?.source) record.discovery_notes = inc.detection.source;
  const attr = attribute(inc);
  if (attr) record.attribute = attr;
  const indicators = inc.security?.indicators ?? [];
  if (indicators.length > 0) {
    record.ioc = indicators.map((i) => ({
      indicator: i.value,
      comment: i.note ? `${i.type}: ${i.note}` : i.type,
    }));
  }
  const corrective = (inc.action_items ?? []).map((a) => a.title);
  if (corrective.length > 0) record.corrective_action = corrective.join("; ");
  if (inc.root_cause) record.notes = `Root cause: ${inc.root_cause}`;
  record.plus = {
    master_id: stableUuid("incident-as-code", "veris", inc.id),
    // VERIS's own status words: a closed record has been reviewed; anything else is a first pass.
    analysis_status: inc.status === "closed" ? "Finalized" : "First pass",
    ...(inc.timestamps?.declared_at ? { created: inc.timestamps.declared_at } : {}),
  };
  return { record };
}
