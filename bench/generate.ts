// Deterministic generator of realistic, valid incident repositories for the benchmark: an
// incident.config.yaml naming the services and people used, incidents/<year>/INC-<year>-<NNNN>.yaml
// shaped like the hand-written examples (~4-5 KB each, every status and severity, security and
// operations categories, 6-20 timeline entries consistent with the status, ITIL priorities,
// postmortems for closed SEV1/SEV2, a security block for confirmed sec.* incidents) and problem
// records under incidents/problems linked both ways to their incidents.
//
// CLI: node dist/tools/bench/generate.js <dir> <count> [seed]

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Status } from "../src/model/types.js";
import {
  COMMUNICATIONS,
  DECISIONS,
  ESCALATIONS,
  GENERIC_FACTORS,
  GENERIC_ITEMS,
  LUCKY,
  NOTES,
  PEOPLE,
  peopleWith,
  REGIONS,
  SCENARIOS,
  type Scenario,
  SERVICES,
  SPECIALS,
  TEAMS,
  TITLE_SPECIALS,
  VENDORS,
  WENT_WELL,
  WENT_WRONG,
} from "./catalog.js";
import { mixSeed, Rng } from "./rng.js";

export interface CorpusStats {
  dir: string;
  seed: number;
  incidents: number;
  problems: number;
  /** Total bytes of incident files (problems and config not included). */
  incidentBytes: number;
  problemBytes: number;
  byStatus: Record<string, number>;
  bySeverity: Record<string, number>;
  byFamily: Record<string, number>;
  withSecurityBlock: number;
  withPostmortem: number;
  /** Free-text fields written, and how many of them carry %, &, * or ! prose. */
  proseFields: number;
  proseWithSpecial: number;
  ms: number;
}

type Level = "high" | "medium" | "low";

const STATUS_WEIGHTS: Array<[Status, number]> = [
  ["closed", 50],
  ["resolved", 12],
  ["canceled", 8],
  ["mitigated", 7],
  ["in_progress", 7],
  ["on_hold", 4],
  ["triaged", 6],
  ["new", 6],
];
const SEVERITY_WEIGHTS: Array<[string, number]> = [
  ["SEV1", 6],
  ["SEV2", 16],
  ["SEV3", 34],
  ["SEV4", 28],
  ["SEV5", 16],
];
const LEVELS_BY_SEVERITY: Record<string, Array<[Level, Level]>> = {
  SEV1: [
    ["high", "high"],
    ["high", "high"],
    ["high", "medium"],
  ],
  SEV2: [
    ["high", "medium"],
    ["medium", "high"],
    ["high", "high"],
  ],
  SEV3: [
    ["medium", "medium"],
    ["high", "low"],
    ["low", "high"],
  ],
  SEV4: [
    ["low", "medium"],
    ["medium", "low"],
  ],
  SEV5: [["low", "low"]],
};
const MATRIX: Record<Level, Record<Level, string>> = {
  high: { high: "P1", medium: "P2", low: "P3" },
  medium: { high: "P2", medium: "P3", low: "P4" },
  low: { high: "P3", medium: "P4", low: "P5" },
};
const PRIORITY_REASONS: Array<[string, string]> = [
  ["P1", "Raised to P1: the affected merchant has a contractual 1-hour response time."],
  ["P2", "Raised to P2: the issue blocks the quarter-end close in finance."],
  ["P3", "Raised to P3: the board demo tomorrow depends on it."],
  ["P4", "Lowered to P4: a workaround is documented and support uses it."],
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const COMMANDERS = peopleWith("incident_commander");
const MANAGERS = peopleWith("incident_manager");
const RESPONDERS = peopleWith("responder");
const ANALYSTS = peopleWith("analyst");
const OPERATORS = peopleWith("it_operator");
const COMMS = peopleWith("comms_lead");
const SCRIBES = peopleWith("scribe");
const ALL_HANDLES = PEOPLE.map((p) => p.handle);

// ---------------------------------------------------------------------------------------------
// YAML emission

const QUOTE_FIRST = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
const NUMBER_LIKE = /^[-+]?[0-9.][-+0-9a-fA-FxXoObB_.:eE]*$/;
const KEYWORD =
  /^(?:null|Null|NULL|~|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|n|<<)$/;

/** Whether `s` must be quoted to stay a string for every YAML parser (1.2 core and 1.1 style). */
function needsQuotes(s: string, flow: boolean): boolean {
  if (s === "" || s !== s.trim()) return true;
  if (QUOTE_FIRST.test(s) || s.includes(": ") || s.includes(" #") || s.endsWith(":")) return true;
  if (/[\t\r\n\\"]/.test(s)) return true;
  if (flow && /[,[\]{}]/.test(s)) return true;
  if (
    KEYWORD.test(s) ||
    NUMBER_LIKE.test(s) ||
    /^\d{4}-\d\d?-\d\d?/.test(s) ||
    /^\.(inf|Inf|INF|nan|NaN|NAN)$/.test(s)
  ) {
    return true;
  }
  return false;
}

function scalar(v: string | number | boolean, flow = false): string {
  if (typeof v !== "string") return String(v);
  return needsQuotes(v, flow) ? JSON.stringify(v) : v;
}

function quoted(s: string): string {
  return JSON.stringify(s);
}

class YamlWriter {
  readonly lines: string[] = [];

  raw(line: string): void {
    this.lines.push(line);
  }

  /** `key: value` at `pad`; `first` replaces the padding on the first line (list item "- "). */
  kv(pad: string, key: string, value: string | number | boolean | undefined, first?: string): void {
    if (value === undefined) return;
    this.lines.push(`${first ?? pad}${key}: ${scalar(value)}`);
  }

  ts(pad: string, key: string, value: string | undefined, first?: string): void {
    if (value === undefined) return;
    this.lines.push(`${first ?? pad}${key}: ${quoted(value)}`);
  }

  /** Prose: plain on one line when short, else a folded block wrapped near column 100. */
  text(pad: string, key: string, value: string | undefined, first?: string): void {
    if (value === undefined) return;
    const lead = first ?? pad;
    if (value.length + lead.length + key.length + 2 <= 110 || /[\n\t]/.test(value)) {
      this.lines.push(`${lead}${key}: ${scalar(value)}`);
      return;
    }
    this.lines.push(`${lead}${key}: >-`);
    const inner = `${pad}  `;
    const width = 100 - inner.length;
    let line = "";
    for (const word of value.split(" ")) {
      if (line && line.length + 1 + word.length > width) {
        this.lines.push(inner + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) this.lines.push(inner + line);
  }

  flow(pad: string, key: string, items: readonly string[] | undefined): void {
    if (!items || items.length === 0) return;
    this.lines.push(`${pad}${key}: [${items.map((i) => scalar(i, true)).join(", ")}]`);
  }

  list(pad: string, key: string, items: readonly string[] | undefined): void {
    if (!items || items.length === 0) return;
    this.lines.push(`${pad}${key}:`);
    for (const i of items) this.lines.push(`${pad}  - ${scalar(i)}`);
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const roundMin = (ms: number) => Math.round(ms / MINUTE) * MINUTE;

// ---------------------------------------------------------------------------------------------
// Planning

interface IncidentPlan {
  index: number;
  id: string;
  year: number;
  rng: Rng;
  status: Status;
  severity: string;
  scenario: number;
  declared: number;
  problem?: string;
}

interface ProblemPlan {
  id: string;
  year: number;
  incidents: IncidentPlan[];
  rng: Rng;
}

function pad4(n: number): string {
  return String(n).padStart(4, "0");
}

const SCENARIO_WEIGHTS: Array<[number, number]> = SCENARIOS.map((s, i) => [
  i,
  s.category.startsWith("sec.") ? 1 : 2,
]);

function planIncidents(count: number, seed: number): IncidentPlan[] {
  const years = Math.min(20, Math.max(2, Math.ceil(count / 2000)));
  const lastYear = 2026;
  const firstYear = lastYear - years + 1;
  const perYear = new Array<number>(years).fill(0);
  for (let i = 0; i < count; i++) {
    const y = Math.floor((i * years) / count);
    perYear[y] = (perYear[y] ?? 0) + 1;
  }
  const plans: IncidentPlan[] = [];
  let y = -1;
  let seq = 0;
  for (let i = 0; i < count; i++) {
    const yi = Math.floor((i * years) / count);
    if (yi !== y) {
      y = yi;
      seq = 0;
    }
    seq++;
    const year = firstYear + yi;
    const rng = new Rng(mixSeed(seed, i + 1));
    const inYear = perYear[yi] ?? 1;
    const yearStart = Date.UTC(year, 0, 1);
    const yearLen = Date.UTC(year + 1, 0, 1) - yearStart - 2 * DAY;
    const declared = roundMin(yearStart + ((seq - 1 + rng.next()) / inYear) * yearLen + HOUR);
    plans.push({
      index: i,
      id: `INC-${year}-${pad4(seq)}`,
      year,
      rng,
      status: rng.weighted(STATUS_WEIGHTS),
      severity: rng.weighted(SEVERITY_WEIGHTS),
      // Operations incidents outnumber security ones about 2:1.
      scenario: rng.weighted(SCENARIO_WEIGHTS),
      declared,
    });
  }
  return plans;
}

function planProblems(incidents: IncidentPlan[], seed: number): ProblemPlan[] {
  const rng = new Rng(mixSeed(seed, 0x7fffffff));
  const wanted = Math.max(1, Math.round(incidents.length / 40));
  const problems: ProblemPlan[] = [];
  const seqByYear = new Map<number, number>();
  for (let p = 0; p < wanted * 4 && problems.length < wanted; p++) {
    const anchor = incidents[rng.int(0, incidents.length - 1)] as IncidentPlan;
    if (anchor.problem || anchor.status === "new" || anchor.status === "canceled") continue;
    const members = [anchor];
    const size = rng.weighted([
      [1, 3],
      [2, 4],
      [3, 2],
      [4, 1],
    ] as Array<[number, number]>);
    for (
      let j = anchor.index + 1;
      j < incidents.length && j < anchor.index + 400 && members.length < size;
      j++
    ) {
      const c = incidents[j] as IncidentPlan;
      if (!c.problem && c.scenario === anchor.scenario && c.status !== "canceled") members.push(c);
    }
    const seq = (seqByYear.get(anchor.year) ?? 0) + 1;
    seqByYear.set(anchor.year, seq);
    const id = `PRB-${anchor.year}-${pad4(seq)}`;
    for (const m of members) m.problem = id;
    problems.push({
      id,
      year: anchor.year,
      incidents: members,
      rng: new Rng(mixSeed(seed, 0x40000000 + problems.length)),
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Text

interface Slots {
  svc: string;
  svc2: string;
  ver: string;
  ver0: string;
  host: string;
  region: string;
  vendor: string;
  domain: string;
  ip: string;
  ticket: string;
  team: string;
  people: string[];
}

const pascal = (id: string) =>
  id
    .split(/[-_.]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");

class TextMaker {
  proseFields = 0;
  proseWithSpecial = 0;
  private readonly used = new Set<unknown>();

  constructor(
    private readonly rng: Rng,
    private readonly slots: Slots,
    private readonly specialRate: number,
  ) {}

  fill(template: string): string {
    const r = this.rng;
    const s = this.slots;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      switch (name) {
        case "svc":
          return s.svc;
        case "svc2":
          return s.svc2;
        case "Svc":
          return pascal(s.svc);
        case "ver":
          return s.ver;
        case "ver0":
          return s.ver0;
        case "host":
          return s.host;
        case "region":
          return s.region;
        case "vendor":
          return s.vendor;
        case "domain":
          return s.domain;
        case "ip":
          return s.ip;
        case "ticket":
          return s.ticket;
        case "team":
          return s.team;
        case "p":
          return r.pick(s.people);
        case "n":
          return String(r.int(2, 60));
        case "pct":
          return String(r.int(2, 95));
        case "min":
          return String(r.int(3, 90));
        case "h":
          return String(r.int(2, 18));
        case "big":
          return r.int(1_200, 95_000).toLocaleString("en-US");
        default:
          return name;
      }
    });
  }

  /** An item of `pool` not picked before for this record, while there is one. */
  fresh<T>(pool: readonly T[]): T {
    const unused = pool.filter((x) => !this.used.has(x));
    const v = this.rng.pick(unused.length > 0 ? unused : pool);
    this.used.add(v);
    return v;
  }

  /** A free-text field: the filled template, and in `specialRate` of them (default a third) a %, &, * or ! sentence. */
  prose(template: string, extra?: string): string {
    this.proseFields++;
    let out = this.fill(template);
    if (extra) out = `${out} ${this.fill(extra)}`;
    if (this.rng.chance(this.specialRate)) {
      this.proseWithSpecial++;
      const special = this.fill(
        this.rng.weighted(SPECIALS.map((s) => [s.text, s.weight] as [string, number])),
      );
      out = this.rng.chance(0.25) ? `${special} ${out}` : `${out} ${special}`;
    }
    return out;
  }

  title(template: string): string {
    this.proseFields++;
    let out = this.fill(template);
    if (this.rng.chance(this.specialRate)) {
      this.proseWithSpecial++;
      out = `${out} ${this.fill(this.rng.weighted(TITLE_SPECIALS.map((s) => [s.text, s.weight] as [string, number])))}`;
    }
    return out;
  }
}

function hex(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[rng.int(0, 15)];
  return s;
}

function makeSlots(rng: Rng, services: string[]): Slots {
  const major = rng.int(1, 9);
  const minor = rng.int(0, 40);
  const patch = rng.int(1, 12);
  return {
    svc: services[0] as string,
    svc2: services[1] ?? rng.pick(SERVICES).id,
    ver: `v${major}.${minor}.${patch}`,
    ver0: `v${major}.${minor}.${patch - 1}`,
    host: `${rng.pick(["pg-orders", "ip-10-0", "node", "kafka", "redis", "edge"])}-${rng.int(1, 40)}`,
    region: rng.pick(REGIONS),
    vendor: rng.pick(VENDORS),
    domain: `${rng.pick(["harborlane-login", "hl-invoices", "harborlane-sso", "static", "partners", "cdn-hl"])}.example.${rng.pick(["com", "net", "org"])}`,
    ip: `${rng.pick(["198.51.100", "203.0.113", "192.0.2"])}.${rng.int(2, 250)}`,
    ticket: `${rng.pick(["SRE", "PLAT", "SEC", "PAY", "IDN", "OPS"])}-${rng.int(100, 9999)}`,
    team: rng.pick(TEAMS).id,
    people: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Incidents

interface Entry {
  at: number;
  type: string;
  actor?: string;
  from?: Status;
  to?: Status;
  text: string;
}

const FILLER_TYPES: Record<string, Array<[string, number]>> = {
  new: [
    ["note", 3],
    ["finding", 2],
    ["escalation", 1],
    ["communication", 1],
  ],
  triaged: [
    ["note", 2],
    ["finding", 2],
    ["escalation", 2],
    ["decision", 1],
  ],
  in_progress: [
    ["finding", 4],
    ["action", 4],
    ["decision", 2],
    ["communication", 2],
    ["escalation", 1],
    ["note", 1],
    ["mitigation", 1],
  ],
  on_hold: [
    ["note", 2],
    ["communication", 1],
  ],
  mitigated: [
    ["action", 3],
    ["finding", 2],
    ["communication", 2],
    ["note", 1],
  ],
  resolved: [
    ["communication", 2],
    ["note", 2],
    ["action", 1],
  ],
  closed: [["note", 1]],
  canceled: [["note", 1]],
};

function statusPath(rng: Rng, status: Status): Status[] {
  const work: Status[] = ["triaged", "in_progress"];
  if (rng.chance(0.15)) work.push("on_hold", "in_progress");
  switch (status) {
    case "new":
      return [];
    case "triaged":
      return ["triaged"];
    case "in_progress":
      return work;
    case "on_hold":
      return ["triaged", "in_progress", "on_hold"];
    case "mitigated":
      return [...work, "mitigated"];
    case "resolved":
    case "closed": {
      const path: Status[] = [...work, "mitigated", "resolved"];
      if (rng.chance(0.08)) path.push("in_progress", "mitigated", "resolved");
      if (status === "closed") path.push("closed");
      return path;
    }
    case "canceled":
      return rng.pick<Status[]>([
        ["canceled"],
        ["triaged", "canceled"],
        ["triaged", "in_progress", "canceled"],
      ]);
  }
}

function stepDelay(rng: Rng, to: Status, severity: string): number {
  const fast = severity === "SEV1" || severity === "SEV2";
  switch (to) {
    case "triaged":
      return rng.int(3, 25) * MINUTE;
    case "in_progress":
      return rng.int(1, fast ? 10 : 90) * MINUTE;
    case "on_hold":
      return rng.int(30, 240) * MINUTE;
    case "mitigated":
      return rng.int(10, fast ? 180 : 900) * MINUTE;
    case "resolved":
      return rng.int(30, fast ? 1_440 : 4_320) * MINUTE;
    case "closed":
      return rng.int(3, 20) * DAY + rng.int(0, 480) * MINUTE;
    case "canceled":
      return rng.int(10, 240) * MINUTE;
    default:
      return rng.int(5, 60) * MINUTE;
  }
}

interface IncidentContext {
  plans: IncidentPlan[];
  stats: CorpusStats;
  specialRate: number;
}

function renderIncident(plan: IncidentPlan, ctx: IncidentContext): string {
  const r = plan.rng;
  const sc = SCENARIOS[plan.scenario] as Scenario;
  const services = r.sample(
    sc.services,
    r.weighted([
      [1, 4],
      [2, 4],
      [3, 2],
    ] as Array<[number, number]>),
  );
  const slots = makeSlots(r, services);
  const t = new TextMaker(r, slots, ctx.specialRate);
  const { status, severity } = plan;
  const sec = sc.category.startsWith("sec.");
  const path = statusPath(r, status);

  // People.
  const ic = r.pick(COMMANDERS);
  const major = severity === "SEV1" || severity === "SEV2";
  const manager = major ? r.pick(MANAGERS.filter((m) => m !== ic)) : undefined;
  const responders = r.sample(
    RESPONDERS.filter((h) => h !== ic),
    r.int(1, major ? 4 : 2),
  );
  const analysts = sec
    ? r.sample(
        ANALYSTS.filter((h) => h !== ic),
        r.int(1, 2),
      )
    : undefined;
  const operators = sec || r.chance(0.15) ? r.sample(OPERATORS, 1) : undefined;
  const comms = major || r.chance(0.2) ? r.pick(COMMS) : undefined;
  const scribe = major && r.chance(0.7) ? r.pick(SCRIBES) : undefined;
  slots.people = [ic, ...responders, ...(analysts ?? [])];
  const workers = [...responders, ...(analysts ?? []), ...(operators ?? [])];

  // Classification.
  const [impact, urgency] = r.pick(LEVELS_BY_SEVERITY[severity] as Array<[Level, Level]>);
  let priority = MATRIX[impact][urgency];
  let priorityReason: string | undefined;
  if (r.chance(0.05)) {
    const [p, reason] = r.pick(PRIORITY_REASONS);
    if (p !== priority) {
      priority = p;
      priorityReason = t.prose(reason);
    }
  }
  const categories = [sc.category];
  if (r.chance(0.25)) categories.push(r.pick(sc.also));
  const hasSec = categories.some((c) => c.startsWith("sec."));
  ctx.stats.byFamily[hasSec ? "sec" : "ops"] = (ctx.stats.byFamily[hasSec ? "sec" : "ops"] ?? 0) + 1;

  // Determination.
  let determination: string | undefined;
  let duplicateOf: string | undefined;
  if (status === "canceled") {
    const earlier =
      plan.index > 0
        ? (ctx.plans[r.int(Math.max(0, plan.index - 40), plan.index - 1)] as IncidentPlan)
        : undefined;
    if (earlier && r.chance(0.3)) {
      determination = "duplicate";
      duplicateOf = earlier.id;
    } else determination = "false_positive";
  } else if (status === "resolved" || status === "closed")
    determination = r.chance(0.9) ? "confirmed" : "near_miss";
  else if (status === "new") determination = undefined;
  else if (status === "triaged") determination = r.chance(0.5) ? "suspected" : undefined;
  else
    determination =
      r.weighted([
        ["confirmed", 5],
        ["suspected", 3],
        ["", 2],
      ] as Array<[string, number]>) || undefined;
  const needsSecurity = determination === "confirmed" && hasSec;

  // Times.
  const declared = plan.declared;
  const detected = declared - r.int(1, 15) * MINUTE;
  const impactStarted = r.chance(0.7) ? detected - r.int(0, 60) * MINUTE - r.int(0, 59) * 1000 : undefined;
  const checkpoints: Array<{ at: number; to: Status; from: Status }> = [];
  let now = declared;
  let prev: Status = "new";
  for (const to of path) {
    now = roundMin(now + stepDelay(r, to, severity));
    checkpoints.push({ at: now, to, from: prev });
    prev = to;
  }
  const firstAt = (s: Status) => checkpoints.find((c) => c.to === s)?.at;
  const lastAt = (s: Status) => checkpoints.filter((c) => c.to === s).at(-1)?.at;
  const ts: Record<string, number | undefined> = {
    impact_started_at: impactStarted,
    detected_at: detected,
    declared_at: declared,
    triaged_at: firstAt("triaged"),
    acknowledged_at: firstAt("in_progress"),
    mitigated_at: firstAt("mitigated"),
    resolved_at: lastAt("resolved"),
    closed_at: firstAt("closed"),
    canceled_at: firstAt("canceled"),
  };
  const ack = ts.acknowledged_at;
  const mitigated = ts.mitigated_at;
  if (sec && ack !== undefined && r.chance(0.7)) {
    ts.contained_at = roundMin(
      ack + (mitigated !== undefined ? (mitigated - ack) * r.next() : r.int(10, 120) * MINUTE),
    );
  }
  if (impactStarted !== undefined && mitigated !== undefined && r.chance(0.7)) {
    ts.impact_ended_at = Math.max(impactStarted, mitigated - r.int(0, 10) * MINUTE);
  }
  if (mitigated !== undefined && ts.resolved_at !== undefined && r.chance(0.4)) {
    ts.recovered_at = roundMin(mitigated + (ts.resolved_at - mitigated) * r.next());
  }

  // Timeline.
  const target = r.int(
    ...(({ SEV1: [12, 20], SEV2: [10, 18], SEV3: [8, 16] }[severity] ?? [7, 13]) as [number, number]),
  );
  const fillers = Math.max(0, target - 1 - path.length);
  const terminal = status === "closed" || status === "canceled";
  const bounds = [declared, ...checkpoints.map((c) => c.at)];
  if (!terminal) bounds.push(now + r.int(60, 600) * MINUTE);
  const phaseOf = (k: number): Status => (k === 0 ? "new" : (checkpoints[k - 1] as { to: Status }).to);
  const intervals = bounds.length - 1;
  const perInterval = new Array<number>(Math.max(1, intervals)).fill(0);
  for (let f = 0; f < fillers; f++) {
    // Prefer the working phases; never after `closed`/`canceled` (no interval exists there).
    let k = r.int(0, Math.max(0, intervals - 1));
    if (intervals > 1 && phaseOf(k) === "resolved" && r.chance(0.5)) k = r.int(0, intervals - 1);
    perInterval[k] = (perInterval[k] ?? 0) + 1;
  }
  const entries: Entry[] = [];
  entries.push({
    at: declared,
    type: "detection",
    actor: r.pick([ic, ...workers]),
    text: t.prose(r.pick(sc.detect)),
  });
  const fillerText = (type: string): string => {
    switch (type) {
      case "finding":
        return t.prose(t.fresh(sc.findings));
      case "action":
        return t.prose(t.fresh(sc.actions));
      case "mitigation":
        return t.prose(t.fresh(sc.mitigations));
      case "decision":
        return t.prose(t.fresh(DECISIONS));
      case "communication":
        return t.prose(t.fresh(COMMUNICATIONS));
      case "escalation":
        return t.prose(t.fresh(ESCALATIONS));
      default:
        return t.prose(t.fresh(NOTES));
    }
  };
  const resolution = r.pick(sc.resolutions);
  for (let k = 0; k < Math.max(1, intervals); k++) {
    const lo = bounds[k] as number;
    const hi = (bounds[k + 1] as number | undefined) ?? lo + 4 * HOUR;
    const n = perInterval[k] ?? 0;
    const span = Math.max(0, Math.floor((hi - lo) / MINUTE) - 1);
    const times: number[] = [];
    for (let j = 0; j < n; j++) times.push(span > 0 ? lo + r.int(1, span) * MINUTE : lo);
    times.sort((a, b) => a - b);
    const phase = phaseOf(k);
    for (const at of times) {
      const type = r.weighted(FILLER_TYPES[phase] ?? [["note", 1]]);
      const actor = type === "communication" && comms ? comms : r.pick([ic, ...workers]);
      entries.push({ at, type, actor, text: fillerText(type) });
    }
    const cp = checkpoints[k];
    if (cp) {
      entries.push({
        at: cp.at,
        type: "status_change",
        actor: cp.to === "closed" && manager ? manager : ic,
        from: cp.from,
        to: cp.to,
        text: statusText(t, r, cp.to, {
          severity,
          impact,
          urgency,
          priority,
          ic,
          duplicateOf,
          resolution: resolution[1],
          sc,
        }),
      });
    }
  }

  // Record.
  const y = new YamlWriter();
  y.raw("# yaml-language-server: $schema=../../schemas/incident.schema.json");
  y.kv("", "schema_version", 1);
  y.kv("", "id", plan.id);
  y.kv("", "title", t.title(r.pick(sc.titles)));
  // From `triaged` on the classification is required; a `new` record often has some of it already.
  const classified = path.includes("triaged") || r.chance(0.4);
  if (classified || r.chance(0.5)) {
    const impactLine = r.pick([
      "Customers in {region} saw errors for about {min} minutes.",
      "About {big} sessions were affected before the fix.",
      "Support received {n} tickets during the window.",
      "Impact was limited to {svc2} callers.",
    ]);
    y.text(
      "",
      "summary",
      t.prose(
        r.pick(sc.detect),
        `${t.fill(r.pick(sc.findings))} ${t.fill(r.pick(sc.mitigations))} ${t.fill(impactLine)}`,
      ),
    );
  }
  const mode = r.weighted([
    ["", 50],
    ["standard", 40],
    ["gameday", 4],
    ["test", 2],
    ["retrospective", 4],
  ] as Array<[string, number]>);
  if (mode) y.kv("", "mode", mode);
  y.kv("", "status", status);
  y.kv("", "determination", determination);
  if (classified) {
    y.kv("", "severity", severity);
    y.kv("", "impact", impact);
    y.kv("", "urgency", urgency);
    y.kv("", "priority", priority);
    y.text("", "priority_reason", priorityReason);
    y.flow("", "categories", categories);
  }
  y.flow("", "services", services);
  if (r.chance(0.5)) y.kv("", "tlp", r.pick(["clear", "green", "amber", "amber+strict", "red"]));
  if (classified) {
    y.raw("roles:");
    y.kv("  ", "incident_commander", ic);
    y.kv("  ", "incident_manager", manager);
    if (responders.length > 2) y.list("  ", "responders", responders);
    else y.flow("  ", "responders", responders);
    y.flow("  ", "it_operators", operators);
    y.flow("  ", "analysts", analysts);
    y.kv("  ", "comms_lead", comms);
    y.kv("  ", "scribe", scribe);
  }
  y.raw("timestamps:");
  for (const key of [
    "impact_started_at",
    "detected_at",
    "declared_at",
    "triaged_at",
    "acknowledged_at",
    "contained_at",
    "mitigated_at",
    "impact_ended_at",
    "recovered_at",
    "resolved_at",
    "closed_at",
    "canceled_at",
  ]) {
    const v = ts[key];
    if (v !== undefined) y.ts("  ", key, iso(v));
  }
  if (r.chance(0.9)) {
    y.raw("detection:");
    const method = r.pick(sc.methods);
    y.kv("  ", "method", method);
    y.kv("  ", "source", t.prose(r.pick(sc.sources)));
    if (method === "alert" || method === "security_tool") {
      y.flow(
        "  ",
        "alert_ids",
        Array.from(
          { length: r.int(1, 3) },
          () => `${r.pick(["PD", "EDR", "AM"])}-${hex(r, 6).toUpperCase()}`,
        ),
      );
    }
  }
  y.raw("timeline:");
  for (const e of entries) {
    y.ts("    ", "at", iso(e.at), "  - ");
    y.kv("    ", "type", e.type);
    y.kv("    ", "actor", e.actor);
    y.kv("    ", "from", e.from);
    y.kv("    ", "to", e.to);
    y.text("    ", "text", e.text);
  }
  if (
    status === "closed" ||
    (status === "resolved" && r.chance(0.6)) ||
    (status === "mitigated" && r.chance(0.2))
  ) {
    y.raw("impact_assessment:");
    y.text(
      "  ",
      "summary",
      t.prose("About {big} requests failed over {min} minutes on {svc}; {n} customers contacted support."),
    );
    if (r.chance(0.7)) y.kv("  ", "users_affected", r.int(0, 250_000));
    if (r.chance(0.4)) y.kv("  ", "customers_affected", r.int(0, 5_000));
    if (r.chance(0.5)) y.flow("  ", "regions", r.sample(REGIONS, r.int(1, 3)));
    y.kv("  ", "slo_breached", r.chance(0.4));
    y.kv("  ", "data_loss", r.chance(0.05));
    if (r.chance(0.4))
      y.text("  ", "financial", t.prose("Estimated {big} USD in delayed or lost orders plus support time."));
  }
  if (status === "resolved" || status === "closed" || status === "canceled") {
    y.raw("resolution:");
    if (status === "canceled") {
      y.kv("  ", "code", determination === "duplicate" ? "duplicate" : "false_positive");
      y.text(
        "  ",
        "summary",
        t.prose(
          determination === "duplicate"
            ? `Handled in ${duplicateOf}; no separate response needed.`
            : "The alert was wrong: no impact was found on {svc}.",
        ),
      );
    } else {
      y.kv("  ", "code", resolution[0]);
      y.text("  ", "summary", t.prose(resolution[1]));
    }
  }
  const postmortem =
    (status === "closed" && (major || r.chance(0.5))) || (status === "resolved" && major && r.chance(0.3));
  if (postmortem) {
    ctx.stats.withPostmortem++;
    y.text("", "root_cause", t.prose(r.pick(sc.rootCauses)));
    const factors = [...r.sample(sc.factors, 3), ...r.sample(GENERIC_FACTORS, 2)].slice(0, r.int(2, 4));
    y.list(
      "",
      "contributing_factors",
      factors.map((f) => t.prose(f)),
    );
    y.raw("lessons:");
    y.list(
      "  ",
      "went_well",
      r.sample(WENT_WELL, r.int(1, 2)).map((f) => t.prose(f)),
    );
    y.list(
      "  ",
      "went_wrong",
      r.sample(WENT_WRONG, r.int(1, 2)).map((f) => t.prose(f)),
    );
    if (r.chance(0.6)) y.list("  ", "lucky", [t.prose(r.pick(LUCKY))]);
  }
  const itemCount =
    status === "closed" && major
      ? r.int(3, 6)
      : postmortem
        ? r.int(1, 3)
        : status === "resolved" && r.chance(0.2)
          ? r.int(1, 2)
          : 0;
  if (itemCount > 0) {
    const base = ts.closed_at ?? ts.resolved_at ?? now;
    y.raw("action_items:");
    const items = [...r.sample(sc.items, 4), ...r.sample(GENERIC_ITEMS, 3)];
    for (let i = 1; i <= itemCount; i++) {
      const [cls, title] = items[i - 1] ?? r.pick(GENERIC_ITEMS);
      const due = base + r.int(7, 90) * DAY;
      const st =
        status === "closed"
          ? r.weighted([
              ["done", 5],
              ["in_progress", 2],
              ["open", 2],
              ["wont_do", 1],
            ] as Array<[string, number]>)
          : "open";
      y.kv("    ", "id", `AI-${i}`, "  - ");
      y.kv("    ", "title", t.title(title));
      y.kv("    ", "class", cls);
      if (r.chance(0.5)) y.kv("    ", "priority", r.pick(["P2", "P3", "P4"]));
      y.kv("    ", "owner", r.pick([ic, ...workers]));
      y.ts("    ", "due", isoDate(due));
      y.kv("    ", "status", st);
      if (r.chance(0.5))
        y.kv(
          "    ",
          "tracker",
          `https://tracker.harborlane.example/browse/${slots.ticket.split("-")[0]}-${r.int(100, 9999)}`,
        );
      if (st === "done")
        y.ts("    ", "completed_at", iso(roundMin(due - r.int(0, 6) * DAY - r.int(0, 480) * MINUTE)));
    }
  }
  if (needsSecurity) {
    ctx.stats.withSecurityBlock++;
    renderSecurity(y, r, t, sc, slots, detected);
  }
  if (plan.problem) y.flow("", "problem_refs", [plan.problem]);
  const relatedIds =
    plan.index > 0 && r.chance(0.04)
      ? [(ctx.plans[r.int(Math.max(0, plan.index - 100), plan.index - 1)] as IncidentPlan).id]
      : [];
  if (duplicateOf || relatedIds.length > 0) {
    y.raw("related:");
    y.kv("  ", "duplicate_of", duplicateOf);
    y.flow(
      "  ",
      "related",
      relatedIds.filter((id) => id !== duplicateOf),
    );
  }
  if (r.chance(0.6)) {
    y.raw("external_refs:");
    const n = r.int(1, 3);
    for (let i = 0; i < n; i++) {
      const kind = r.pick(["chat", "status_page", "ticket", "pull_request", "doc", "alert"]);
      const url =
        kind === "chat"
          ? `https://chat.harborlane.example/archives/${plan.id.toLowerCase()}`
          : kind === "status_page"
            ? `https://status.harborlane.example/incidents/${hex(r, 6)}`
            : kind === "pull_request"
              ? `https://github.com/harborlane/${slots.svc}/pull/${r.int(100, 4000)}`
              : kind === "doc"
                ? `https://wiki.harborlane.example/incidents/${plan.id}`
                : `https://tracker.harborlane.example/browse/${slots.ticket}`;
      y.kv("    ", "type", kind, "  - ");
      y.kv("    ", "url", url);
      if (r.chance(0.6))
        y.kv(
          "    ",
          "title",
          t.title(
            r.pick([
              "Incident channel",
              "Fix for {svc}",
              "Status page entry",
              "Investigation notes",
              "Follow-up ticket",
            ]),
          ),
        );
    }
  }
  if (
    status === "closed" &&
    (major || (postmortem && r.chance(0.5))) &&
    ts.resolved_at !== undefined &&
    ts.closed_at !== undefined
  ) {
    const held = roundMin(ts.resolved_at + (ts.closed_at - ts.resolved_at) * (0.5 + r.next() * 0.4));
    y.raw("review:");
    y.ts("  ", "held_at", iso(held));
    y.flow("  ", "attendees", [ic, ...(manager ? [manager] : []), ...responders.slice(0, 3)]);
    if (manager) {
      y.kv("  ", "approved_by", manager);
      y.ts("  ", "approved_at", iso(ts.closed_at));
    }
    y.kv("  ", "document", `https://wiki.harborlane.example/postmortems/${plan.id}`);
  }
  if (r.chance(0.1))
    y.kv(
      "",
      r.pick(["x-cost-center", "x-jira", "x-oncall-shift"]),
      `${r.pick(["CC", "OPS", "SHIFT"])}-${r.int(100, 9999)}`,
    );
  ctx.stats.proseFields += t.proseFields;
  ctx.stats.proseWithSpecial += t.proseWithSpecial;
  return y.toString();
}

function statusText(
  t: TextMaker,
  r: Rng,
  to: Status,
  c: {
    severity: string;
    impact: string;
    urgency: string;
    priority: string;
    ic: string;
    duplicateOf?: string;
    resolution: string;
    sc: Scenario;
  },
): string {
  switch (to) {
    case "triaged":
      return t.prose(
        `${c.severity}, impact ${c.impact}, urgency ${c.urgency} (${c.priority}). ${c.ic} is incident commander.`,
      );
    case "in_progress":
      return t.prose(
        r.pick([
          "Responders on the bridge, investigation started.",
          "{p} and {p} joined; working the first hypotheses.",
          "Acknowledged; pulling logs from {svc}.",
        ]),
      );
    case "on_hold":
      return t.prose(
        r.pick([
          "Waiting on {vendor}; paused until they respond.",
          "Paused until the change window tonight.",
          "On hold while the customer confirms the scope.",
        ]),
      );
    case "mitigated":
      return t.prose(r.pick(c.sc.mitigations));
    case "resolved":
      return t.prose(c.resolution);
    case "closed":
      return t.prose(
        r.pick([
          "Review held; approved.",
          "Review done in the weekly ops meeting; action items recorded.",
          "Postmortem approved and published internally.",
        ]),
      );
    case "canceled":
      return c.duplicateOf
        ? t.prose(`Duplicate of ${c.duplicateOf}; closing this one.`)
        : t.prose("Canceled, determination false_positive. No response actions were needed.");
    default:
      return t.prose("Status updated.");
  }
}

function renderSecurity(
  y: YamlWriter,
  r: Rng,
  t: TextMaker,
  sc: Scenario,
  slots: Slots,
  detected: number,
): void {
  y.raw("security:");
  y.raw("  actor:");
  const actorType =
    sc.category === "sec.insider" ? "insider" : r.pick(["external", "external", "unknown", "partner"]);
  y.kv("    ", "type", actorType);
  if (r.chance(0.5))
    y.kv(
      "    ",
      "name",
      r.pick(["Unattributed operation", "FIN7-like group", "UNC-2026-03", "Former employee"]),
    );
  if (r.chance(0.6)) y.kv("    ", "motive", r.pick(sc.motives ?? ["unknown"]));
  y.flow("  ", "techniques", r.sample(sc.techniques ?? ["T1078"], r.int(1, 3)));
  y.raw("  indicators:");
  const n = r.int(1, 5);
  for (let i = 0; i < n; i++) {
    const type = r.pick(sc.indicators ?? ["other"]);
    let value: string;
    switch (type) {
      case "ipv4":
        value = `${r.pick(["198.51.100", "203.0.113", "192.0.2"])}.${r.int(2, 250)}`;
        break;
      case "ipv6":
        value = `2001:db8:${hex(r, 3)}::${r.int(1, 99)}`;
        break;
      case "domain":
        value = slots.domain;
        break;
      case "url":
        value = `https://${slots.domain}/${r.pick(["login", "invoice", "sso/auth", "dl"])}?id=${hex(r, 8)}`;
        break;
      case "email":
        value = `${r.pick(["billing", "it-support", "payroll"])}@${slots.domain}`;
        break;
      case "sha256":
        value = hex(r, 64);
        break;
      case "file_name":
        value = `${r.pick(["Invoice", "Payroll", "Scan"])}_${r.int(1000, 9999)}.${r.pick(["docm", "zip", "iso", "lnk"])}`;
        break;
      case "user_agent":
        value = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${r.int(100, 130)}.0.0.0 Safari/537.36`;
        break;
      case "account":
        value = r.pick(["svc-backup", "admin-legacy", "ci-deployer", r.pick(ALL_HANDLES)]);
        break;
      default:
        value = `key prefix ${hex(r, 8)}`;
    }
    y.kv("      ", "type", type, "    - ");
    y.kv("      ", "value", value);
    if (r.chance(0.4))
      y.text(
        "      ",
        "note",
        t.prose(
          r.pick([
            "Seen in the first wave.",
            "Top source of the attack traffic.",
            "Registered two days before the campaign.",
          ]),
        ),
      );
  }
  const exposure = r.pick(["none", "suspected", "confirmed", "unknown"]);
  y.raw("  data_exposure:");
  y.kv("    ", "status", exposure);
  if (exposure !== "none") y.flow("    ", "data_types", r.sample(sc.dataTypes ?? ["unknown"], r.int(1, 3)));
  if (exposure === "confirmed") y.kv("    ", "records", r.int(1, 50_000));
  if (r.chance(0.6))
    y.text(
      "    ",
      "description",
      t.prose(
        "Access logs for {svc} were reviewed for the whole window; {n} records were viewed by the attacker.",
      ),
    );
  if (exposure === "confirmed") {
    y.raw("  notifications:");
    const deadline = detected + 72 * HOUR;
    y.kv("      ", "party", "regulator", "    - ");
    y.kv("      ", "name", "Lead data protection supervisory authority");
    y.kv("      ", "required", true);
    y.ts("      ", "deadline", iso(deadline));
    y.ts("      ", "notified_at", iso(roundMin(deadline - r.int(2, 60) * HOUR)));
    y.kv("      ", "reference", `DPA-${new Date(detected).getUTCFullYear()}-${r.int(1000, 9999)}`);
    y.kv("      ", "party", "customers", "    - ");
    y.kv("      ", "required", r.chance(0.7));
  }
}

// ---------------------------------------------------------------------------------------------
// Problems

const PROBLEM_STATUS: Array<[string, number]> = [
  ["new", 10],
  ["assessed", 15],
  ["root_cause_analysis", 15],
  ["known_error", 20],
  ["fix_in_progress", 15],
  ["resolved", 10],
  ["closed", 10],
  ["canceled", 5],
];
const PROBLEM_ORDER = [
  "new",
  "assessed",
  "root_cause_analysis",
  "known_error",
  "fix_in_progress",
  "resolved",
  "closed",
];

function renderProblem(p: ProblemPlan, ctx: IncidentContext): string {
  const r = p.rng;
  const first = p.incidents[0] as IncidentPlan;
  const sc = SCENARIOS[first.scenario] as Scenario;
  const services = r.sample(sc.services, r.int(1, 2));
  const slots = makeSlots(r, services);
  slots.people = r.sample(ALL_HANDLES, 3);
  const t = new TextMaker(r, slots, ctx.specialRate);
  const status = r.weighted(PROBLEM_STATUS);
  const rank = status === "canceled" ? 0 : PROBLEM_ORDER.indexOf(status);
  const at = (s: string) => rank >= PROBLEM_ORDER.indexOf(s);
  const latest = Math.max(...p.incidents.map((i) => i.declared));
  let now = roundMin(latest + r.int(1, 10) * DAY);
  const ts: Array<[string, number]> = [["created_at", now]];
  const step = (key: string, days: number) => {
    now = roundMin(now + r.int(1, days) * DAY + r.int(0, 480) * MINUTE);
    ts.push([key, now]);
  };
  if (status === "canceled") step("canceled_at", 20);
  else {
    if (at("assessed")) step("assessed_at", 10);
    if (at("known_error")) step("root_cause_identified_at", 20);
    if (at("known_error")) step("known_error_at", 5);
    if (at("fix_in_progress")) step("fix_started_at", 20);
    if (at("resolved")) step("resolved_at", 40);
    if (at("closed")) step("closed_at", 60);
  }
  const y = new YamlWriter();
  y.raw("# yaml-language-server: $schema=../../schemas/problem.schema.json");
  y.kv("", "schema_version", 1);
  y.kv("", "id", p.id);
  y.kv("", "title", t.title(`Recurring ${sc.category.split(".")[1]?.replace(/_/g, " ")} incidents on {svc}`));
  y.text("", "summary", t.prose(r.pick(sc.rootCauses)));
  y.kv("", "status", status);
  if (at("assessed") && status !== "canceled") y.kv("", "owner", r.pick(ALL_HANDLES));
  y.flow("", "services", services);
  y.flow("", "categories", [sc.category]);
  y.flow(
    "",
    "incident_refs",
    p.incidents.map((i) => i.id),
  );
  if (status !== "canceled" && (at("known_error") || (at("root_cause_analysis") && r.chance(0.4)))) {
    y.text("", "root_cause", t.prose(r.pick(sc.rootCauses)));
  }
  if (status !== "canceled" && at("known_error"))
    y.text("", "workaround", t.prose(r.pick(sc.mitigations), r.pick(sc.actions)));
  if (status !== "canceled" && at("fix_in_progress")) y.text("", "fix", t.prose(r.pick(sc.resolutions)[1]));
  y.raw("timestamps:");
  for (const [k, v] of ts) y.ts("  ", k, iso(v));
  if (status !== "canceled" && at("known_error") && r.chance(0.6)) {
    y.raw("action_items:");
    const n = r.int(1, 3);
    for (let i = 1; i <= n; i++) {
      const [cls, title] = r.pick(sc.items);
      y.kv("    ", "id", `AI-${i}`, "  - ");
      y.kv("    ", "title", t.title(title));
      y.kv("    ", "class", cls);
      y.kv("    ", "owner", r.pick(ALL_HANDLES));
      y.ts("    ", "due", isoDate(now + r.int(7, 60) * DAY));
      y.kv("    ", "status", r.pick(["open", "in_progress"]));
    }
  }
  if (r.chance(0.5)) {
    y.raw("external_refs:");
    y.kv("    ", "type", "ticket", "  - ");
    y.kv("    ", "url", `https://tracker.harborlane.example/browse/${slots.ticket}`);
  }
  ctx.stats.proseFields += t.proseFields;
  ctx.stats.proseWithSpecial += t.proseWithSpecial;
  return y.toString();
}

// ---------------------------------------------------------------------------------------------
// Config

function renderConfig(): string {
  const y = new YamlWriter();
  y.raw("# yaml-language-server: $schema=./schemas/config.schema.json");
  y.raw("# Generated by bench/generate.ts for the benchmark: Harbor Lane, a fictional online retailer.");
  y.kv("", "schema_version", 1);
  y.kv("", "timezone", "UTC");
  y.raw("teams:");
  for (const team of TEAMS) {
    y.kv("    ", "id", team.id, "  - ");
    y.kv("    ", "name", team.name);
    y.kv("    ", "description", team.description);
  }
  y.raw("services:");
  for (const s of SERVICES) {
    y.kv("    ", "id", s.id, "  - ");
    y.kv("    ", "name", s.name);
    y.kv("    ", "description", s.description);
    y.kv("    ", "tier", s.tier);
    y.kv("    ", "team", s.team);
  }
  y.raw("people:");
  for (const p of PEOPLE) {
    y.kv("    ", "handle", p.handle, "  - ");
    y.kv("    ", "name", p.name);
    y.kv("    ", "team", p.team);
    y.flow("    ", "roles", p.roles);
  }
  return y.toString();
}

// ---------------------------------------------------------------------------------------------

export interface CorpusOptions {
  /** Share of free-text fields that get a sentence with %, &, * or ! (default 1/3). */
  specialRate?: number;
}

/** Writes a complete, valid repository with `count` incidents (plus about count/40 problems) to `dir`. */
export function generateCorpus(
  dir: string,
  count: number,
  seed = 1,
  options: CorpusOptions = {},
): CorpusStats {
  const started = performance.now();
  const root = resolve(dir);
  mkdirSync(join(root, "incidents", "problems"), { recursive: true });
  const stats: CorpusStats = {
    dir: root,
    seed,
    incidents: 0,
    problems: 0,
    incidentBytes: 0,
    problemBytes: 0,
    byStatus: {},
    bySeverity: {},
    byFamily: {},
    withSecurityBlock: 0,
    withPostmortem: 0,
    proseFields: 0,
    proseWithSpecial: 0,
    ms: 0,
  };
  writeFileSync(join(root, "incident.config.yaml"), renderConfig());
  const plans = planIncidents(count, seed);
  const problems = planProblems(plans, seed);
  const ctx: IncidentContext = { plans, stats, specialRate: options.specialRate ?? 1 / 3 };
  const madeDirs = new Set<number>();
  for (const plan of plans) {
    if (!madeDirs.has(plan.year)) {
      mkdirSync(join(root, "incidents", String(plan.year)), { recursive: true });
      madeDirs.add(plan.year);
    }
    const text = renderIncident(plan, ctx);
    writeFileSync(join(root, "incidents", String(plan.year), `${plan.id}.yaml`), text);
    stats.incidents++;
    stats.incidentBytes += Buffer.byteLength(text);
    stats.byStatus[plan.status] = (stats.byStatus[plan.status] ?? 0) + 1;
    stats.bySeverity[plan.severity] = (stats.bySeverity[plan.severity] ?? 0) + 1;
  }
  for (const p of problems) {
    const text = renderProblem(p, ctx);
    writeFileSync(join(root, "incidents", "problems", `${p.id}.yaml`), text);
    stats.problems++;
    stats.problemBytes += Buffer.byteLength(text);
  }
  stats.ms = performance.now() - started;
  return stats;
}

function isMain(): boolean {
  const arg = process.argv[1];
  return arg !== undefined && import.meta.url === pathToFileURL(resolve(arg)).href;
}

if (isMain()) {
  const [dir, countArg, seedArg] = process.argv.slice(2);
  const count = Number(countArg);
  if (!dir || !Number.isInteger(count) || count < 1) {
    process.stderr.write("usage: node dist/tools/bench/generate.js <dir> <count> [seed]\n");
    process.exit(2);
  }
  const stats = generateCorpus(dir, count, seedArg === undefined ? 1 : Number(seedArg));
  process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
}
