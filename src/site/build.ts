// The static incident site: `buildSite` turns incidents, problems and the config into files
// (path -> content: index.html, metrics.html, incidents/<id>.html, problems/<id>.html, site.css,
// site.js), pure; `writeSite` writes them; `readSiteTemplates` loads templates/site/*.hbs with
// repository overrides. Every link between pages is relative, so the site works from file:// and
// from a GitHub Pages subpath.

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../config/types.js";
import { insideRel, readInside, removeInside, UnsafePathError, writeInside } from "../io/safeWrite.js";
import { formatDate, formatDuration, parseInstant } from "../lifecycle/time.js";
import { incidentDurations, isDismissed, type MetricInfo, metricDefinitions } from "../metrics/compute.js";
import { excludedModes, isCounted } from "../metrics/modes.js";
import { MAX_MONTHS, median, monthRange } from "../metrics/summary.js";
import type { Incident, Problem, Tlp } from "../model/types.js";
import type { RuleSet } from "../regulatory/types.js";
import { buildPostmortemModel } from "../render/model.js";
import { SITE_CSS, SITE_JS } from "./assets.js";
import type { BarChart } from "./charts.js";
import { compileSite, SITE_TEMPLATE_NAMES, type SiteTemplateSet } from "./html.js";

export const BUNDLED_SITE_TEMPLATES = fileURLToPath(new URL("../../templates/site/", import.meta.url));

/** The site templates: bundled ones, each replaced by `<overrides>/site/<name>.hbs` when present. */
export function readSiteTemplates(overrides?: string): SiteTemplateSet {
  const out = {} as SiteTemplateSet;
  for (const name of SITE_TEMPLATE_NAMES) {
    const own = overrides ? join(overrides, "site", `${name}.hbs`) : undefined;
    out[name] = readFileSync(
      own && existsSync(own) ? own : join(BUNDLED_SITE_TEMPLATES, `${name}.hbs`),
      "utf8",
    );
  }
  return out;
}

export interface SiteInput {
  incidents: readonly Incident[];
  problems: readonly Problem[];
  config: Config;
  /** Incidents left out because their TLP is above the site's ceiling (only counted, never shown). */
  withheld?: number;
  /** Their ids: never named on a published page (problem pages and related links drop them). */
  withheldIds?: ReadonlySet<string>;
  /** The TLP ceiling the site was built with, shown with the withheld count. */
  maxTlp?: Tlp;
  /**
   * The regulatory rules (`incident site --regulatory`): incident pages then carry the postmortem's
   * regulatory section. Without them (the default) nothing regulatory is published.
   */
  rules?: RuleSet;
  /** Modes the metrics page counts although `metrics.exclude_modes` lists them (`--include-modes`). */
  includeModes?: readonly string[];
}

/** TLP 2.0 levels from the widest audience to the narrowest. */
export const TLP_ORDER: readonly Tlp[] = ["clear", "green", "amber", "amber+strict", "red"];

/**
 * Splits incidents by a TLP ceiling: an incident marked above `maxTlp` is withheld. An incident
 * without a TLP marking is published (the marking is how a team restricts a record).
 */
export function withinTlp(
  incidents: readonly Incident[],
  maxTlp: Tlp,
): { published: Incident[]; withheld: Incident[] } {
  const ceiling = TLP_ORDER.indexOf(maxTlp);
  const published: Incident[] = [];
  const withheld: Incident[] = [];
  for (const inc of incidents) {
    if (inc.tlp !== undefined && TLP_ORDER.indexOf(inc.tlp) > ceiling) withheld.push(inc);
    else published.push(inc);
  }
  return { published, withheld };
}

/** The file name of a record's page: ids are schema-checked, this only keeps it a plain name. */
const pageName = (id: string) => `${encodeURIComponent(id)}.html`;

/** The date an incident is listed under: declared, else detected, else impact start (config zone). */
function listedAt(inc: Incident, tz: string): string | undefined {
  const ts = inc.timestamps ?? {};
  const at = ts.declared_at ?? ts.detected_at ?? ts.impact_started_at;
  return at ? formatDate(at, tz).slice(0, 10) : undefined;
}

/** The durations the metrics page charts, as `incident stats` measures them. */
const CHARTED = ["ttd", "tta", "ttm", "ttr", "impact"] as const;

/** `Time to detect (TTD)`; the customer impact duration has no abbreviation of its own. */
const metricName = (m: MetricInfo) => (m.id === "impact" ? m.label : `${m.label} (${m.abbr})`);
const metricShort = (m: MetricInfo) => (m.id === "impact" ? "impact duration" : m.abbr);

/**
 * The charts of the metrics page, from incidents whose mode is counted (config
 * `metrics.exclude_modes`, less `includeModes`). Durations are those of `incident stats`: the
 * config's metric definitions over the incidents that were failures (canceled, false positive and
 * duplicate incidents are left out of durations, as there).
 */
export function buildCharts(input: SiteInput): { charts: BarChart[]; counted: number; excluded: number } {
  const { config } = input;
  const excluded = excludedModes(config, input.includeModes);
  const counted = input.incidents.filter((i) => isCounted(i, excluded));
  const defs = metricDefinitions(config).filter((d) => (CHARTED as readonly string[]).includes(d.id));
  const measured = counted
    .filter((inc) => !isDismissed(inc))
    .map((inc) => ({ inc, durations: incidentDurations(inc, config, defs) }));
  const charts: BarChart[] = [];
  for (const def of defs) {
    const bars = [];
    for (const sev of config.severities) {
      const values: number[] = [];
      for (const { inc, durations } of measured) {
        if (inc.severity !== sev.id) continue;
        const d = durations.find((x) => x.metric.id === def.id);
        if (d) values.push(d.ms);
      }
      const med = median(values);
      if (med === undefined) continue;
      bars.push({
        label: `${sev.id} ${sev.name} (n=${values.length})`,
        value: med,
        display: formatDuration(med) ?? "",
      });
    }
    charts.push({
      id: `median-${def.id}`,
      title: `Median ${metricName(def)} by severity`,
      description: `Median of ${def.end} - ${def.start} per severity, over incidents that record both times.`,
      valueLabel: `Median ${def.id === "impact" ? "impact duration" : def.abbr}`,
      bars,
    });
  }
  const months = new Map<string, number>();
  for (const inc of counted) {
    const at = listedAt(inc, config.timezone);
    if (at) months.set(at.slice(0, 7), (months.get(at.slice(0, 7)) ?? 0) + 1);
  }
  const known = [...months.keys()].sort();
  const range = known.length > 0 ? monthRange(known[0] as string, known[known.length - 1] as string) : [];
  // A span longer than MAX_MONTHS (a record dated in year 1) shows the months with incidents only,
  // and each month chart says so.
  const monthList = range ?? known;
  const cut =
    range === undefined
      ? ` The incidents span ${known[0]} to ${known[known.length - 1]}, more than ${MAX_MONTHS} months: only months with incidents are shown.`
      : "";
  // The same medians by the month an incident is listed under: is the response getting faster?
  for (const def of defs) {
    const byMonth = new Map<string, number[]>();
    for (const { inc, durations } of measured) {
      const d = durations.find((x) => x.metric.id === def.id);
      const at = listedAt(inc, config.timezone);
      if (!d || !at) continue;
      const list = byMonth.get(at.slice(0, 7)) ?? [];
      list.push(d.ms);
      byMonth.set(at.slice(0, 7), list);
    }
    charts.push({
      id: `median-${def.id}-month`,
      title: `Median ${metricShort(def)} per month`,
      description: `Median of ${def.end} - ${def.start} per month the incident was declared (else detected); months without a measured incident show no bar.${cut}`,
      valueLabel: `Median ${metricShort(def)}`,
      bars: monthList.map((month) => {
        const values = byMonth.get(month) ?? [];
        const med = median(values);
        return med === undefined
          ? { label: month, value: 0, display: "no data", missing: true }
          : { label: `${month} (n=${values.length})`, value: med, display: formatDuration(med) ?? "" };
      }),
    });
  }
  charts.push({
    id: "per-month",
    title: "Incidents per month",
    description: `Number of incidents by the month they were declared (else detected).${cut}`,
    valueLabel: "Incidents",
    bars: monthList.map((m) => ({
      label: m,
      value: months.get(m) ?? 0,
      display: String(months.get(m) ?? 0),
    })),
  });
  const perCategory = new Map<string, number>();
  for (const inc of counted)
    for (const c of new Set(inc.categories ?? [])) perCategory.set(c, (perCategory.get(c) ?? 0) + 1);
  const categoryName = new Map(config.categories.map((c) => [c.id, c.name]));
  charts.push({
    id: "per-category",
    title: "Incidents per category",
    description: "Number of incidents in each category; an incident with several categories counts in each.",
    valueLabel: "Incidents",
    bars: [...perCategory.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([id, n]) => ({ label: categoryName.get(id) ?? id, value: n, display: String(n) })),
  });
  return { charts, counted: counted.length, excluded: input.incidents.length - counted.length };
}

/** Builds every file of the site. Pure. */
export function buildSite(input: SiteInput, templates: SiteTemplateSet): Map<string, string> {
  return new Map(siteFiles(input, templates));
}

/**
 * The site's files one at a time, `[path, content]`: a page can be written and forgotten before the
 * next is built, so memory does not grow with the number of incidents. Pure.
 */
export function* siteFiles(input: SiteInput, templates: SiteTemplateSet): Generator<[string, string]> {
  const { config } = input;
  const tz = config.timezone;
  const site = compileSite(templates);
  const incidentIds = new Set(input.incidents.map((i) => i.id));
  const problemIds = new Set(input.problems.map((p) => p.id));
  const incidentHref = (base: string, id: string) =>
    incidentIds.has(id) ? `${base}incidents/${pageName(id)}` : undefined;
  const problemHref = (base: string, id: string) =>
    problemIds.has(id) ? `${base}problems/${pageName(id)}` : undefined;
  const severityName = new Map(config.severities.map((s) => [s.id, s.name]));
  const stateTitle = new Map(config.lifecycle.states.map((s) => [s.id, s.title]));
  const problemStateTitle = new Map(config.problem_lifecycle.states.map((s) => [s.id, s.title]));
  const categoryName = new Map(config.categories.map((c) => [c.id, c.name]));
  const serviceName = new Map(config.services.map((s) => [s.id, s.name]));

  // Index: newest first (by when the incident was declared, else detected), as `incident list`.
  const when = (inc: Incident) => {
    const ts = inc.timestamps ?? {};
    const t = parseInstant(ts.declared_at ?? ts.detected_at ?? ts.impact_started_at);
    return t ?? Number.NEGATIVE_INFINITY;
  };
  const newestFirst = [...input.incidents].sort((a, b) => when(b) - when(a) || b.id.localeCompare(a.id));
  const rows = newestFirst.map((inc) => {
    // The year filter uses the date the incident is listed under; the column shows the declared
    // time only, never another time under its name.
    const listed = listedAt(inc, tz);
    const declared = inc.timestamps?.declared_at
      ? formatDate(inc.timestamps.declared_at, tz).slice(0, 10)
      : undefined;
    const categories = inc.categories ?? [];
    const services = inc.services ?? [];
    return {
      id: inc.id,
      href: `incidents/${pageName(inc.id)}`,
      title: inc.title,
      severity: inc.severity ?? "",
      severityName: inc.severity ? (severityName.get(inc.severity) ?? inc.severity) : "",
      status: inc.status,
      statusTitle: stateTitle.get(inc.status) ?? inc.status,
      categories: categories.join(" "),
      categoryNames: categories.map((c) => categoryName.get(c) ?? c),
      services: services.join(" "),
      serviceNames: services.map((s) => serviceName.get(s) ?? s),
      declared: declared ?? "",
      year: listed?.slice(0, 4) ?? "",
      // What the search matches: the row's text as shown (names) and the ids behind it.
      text: [
        inc.id,
        inc.title,
        inc.summary ?? "",
        ...categories.flatMap((c) => [c, categoryName.get(c) ?? c]),
        ...services.flatMap((s) => [s, serviceName.get(s) ?? s]),
      ]
        .join(" ")
        .toLowerCase(),
    };
  });
  const present = <T extends string>(values: Iterable<T>) => new Set([...values].filter((v) => v !== ""));
  const sevs = present(rows.map((r) => r.severity));
  const states = present(rows.map((r): string => r.status));
  const cats = present(input.incidents.flatMap((i) => i.categories ?? []));
  const svcs = present(input.incidents.flatMap((i) => i.services ?? []));
  const filters = {
    severities: [
      ...config.severities
        .filter((s) => sevs.has(s.id))
        .map((s) => ({ id: s.id, name: `${s.id} ${s.name}` })),
      ...[...sevs].filter((s) => !severityName.has(s)).map((s) => ({ id: s, name: s })),
    ],
    statuses: [
      ...config.lifecycle.states.filter((s) => states.has(s.id)).map((s) => ({ id: s.id, name: s.title })),
      ...[...states].filter((s) => !stateTitle.has(s)).map((s) => ({ id: s, name: s })),
    ],
    categories: [...cats].sort().map((id) => ({ id, name: categoryName.get(id) ?? id })),
    services: [...svcs].sort().map((id) => ({ id, name: serviceName.get(id) ?? id })),
    years: [...present(rows.map((r) => r.year))].sort().reverse(),
  };
  yield [
    "index.html",
    site.page(
      "index",
      {
        rows,
        filters,
        total: rows.length,
        withheld: input.withheld ?? 0,
        maxTlp: input.maxTlp?.toUpperCase(),
        problems: input.problems.map((p) => problemRow(p, "")),
      },
      { title: "Incidents", base: "", current: "incidents", script: true },
    ),
  ];

  function problemRow(p: Problem, base: string) {
    return {
      id: p.id,
      title: p.title,
      href: `${base}problems/${pageName(p.id)}`,
      statusTitle: problemStateTitle.get(p.status) ?? p.status,
    };
  }

  // Incident pages.
  const shown = (id: string) => !input.withheldIds?.has(id);
  for (const inc of input.incidents) {
    const base = "../";
    const model = buildPostmortemModel(inc, config, input.problems, input.rules);
    const rel = model.related;
    const page = {
      ...model,
      metrics: model.metrics.map((m) => ({ ...m, name: m.abbr ? `${m.label} (${m.abbr})` : m.label })),
      related: rel
        ? {
            duplicateOf:
              rel.duplicateOf && shown(rel.duplicateOf)
                ? { id: rel.duplicateOf, href: incidentHref(base, rel.duplicateOf) }
                : undefined,
            parent:
              rel.parent && shown(rel.parent)
                ? { id: rel.parent, href: incidentHref(base, rel.parent) }
                : undefined,
            incidents: rel.incidents.filter(shown).map((id) => ({ id, href: incidentHref(base, id) })),
            problems: rel.problems.map((p) => ({ ...p, href: problemHref(base, p.id) })),
            links: rel.links,
          }
        : undefined,
    };
    yield [
      `incidents/${pageName(inc.id)}`,
      site.page("incident", page, { title: `${inc.id}: ${inc.title}`, base, current: "", script: false }),
    ];
  }

  // Problem pages.
  for (const p of input.problems) {
    const base = "../";
    const people = new Map(config.people.map((x) => [x.handle, x.name]));
    const person = (h: string) => (people.has(h) ? `${people.get(h)} (${h})` : h);
    const ts = p.timestamps ?? {};
    const labels: Array<[keyof typeof ts, string]> = [
      ["created_at", "Created"],
      ["assessed_at", "Assessed"],
      ["root_cause_identified_at", "Root cause identified"],
      ["known_error_at", "Known error"],
      ["fix_started_at", "Fix started"],
      ["resolved_at", "Resolved"],
      ["closed_at", "Closed"],
      ["canceled_at", "Canceled"],
    ];
    const model = {
      id: p.id,
      title: p.title,
      summary: p.summary,
      narrative: p.narrative,
      statusTitle: problemStateTitle.get(p.status) ?? p.status,
      owner: p.owner ? person(p.owner) : undefined,
      categories: (p.categories ?? []).map((c) => categoryName.get(c) ?? c),
      services: (p.services ?? []).map((s) => serviceName.get(s) ?? s),
      rootCause: p.root_cause,
      workaround: p.workaround,
      fix: p.fix,
      keyTimes: labels
        .filter(([k]) => ts[k])
        .map(([k, label]) => ({ label, at: formatDate(ts[k] as string, tz) })),
      incidents: (p.incident_refs ?? []).filter(shown).map((id) => ({ id, href: incidentHref(base, id) })),
      actionItems: (p.action_items ?? []).map((a) => ({
        id: a.id,
        title: a.title,
        class: a.class,
        priority: a.priority,
        owner: person(a.owner),
        due: a.due,
        status: a.status,
        tracker: a.tracker,
      })),
      links: (p.external_refs ?? []).map((x) => ({ type: x.type, url: x.url, text: x.title ?? x.url })),
    };
    yield [
      `problems/${pageName(p.id)}`,
      site.page("problem", model, { title: `${p.id}: ${p.title}`, base, current: "", script: false }),
    ];
  }

  // Metrics.
  const { charts, counted, excluded } = buildCharts(input);
  yield [
    "metrics.html",
    site.page(
      "metrics",
      {
        charts,
        counted,
        excluded,
        excludedModes: [...excludedModes(config, input.includeModes)],
        timezone: tz,
      },
      { title: "Incident metrics", base: "", current: "metrics", script: false },
    ),
  ];
  yield ["site.css", SITE_CSS];
  yield ["site.js", SITE_JS];
}

/** The list of files the last build wrote, kept in the output folder so the next build can prune. */
export const SITE_MANIFEST = ".incident-site-files.json";

/**
 * A manifest entry the toolkit could have written: a page, stylesheet, script or postmortem at the
 * top of the folder or one folder down, no `.` or `..` segment.
 */
const OWNED_PATH = /^(?:(?!\.\.?\/)[A-Za-z0-9_.-]+\/)?[A-Za-z0-9_][A-Za-z0-9_.+-]*\.(?:html|css|js|md)$/;

/**
 * Whether a manifest entry may be removed: it has the shape of a file the toolkit writes, and
 * resolved against the output folder it is still a file inside it (not the folder, not above it).
 */
export function ownedEntry(outDir: string, rel: unknown): rel is string {
  if (typeof rel !== "string" || !OWNED_PATH.test(rel)) return false;
  return insideRel(resolve(outDir), resolve(outDir, rel)) === rel;
}

const warnToStderr = (message: string) => process.stderr.write(`incident: warning: ${message}\n`);

/**
 * Writes the site into `outDir`, then removes the files the previous build wrote (listed in its
 * manifest) that this one did not: pages of incidents deleted or now withheld by their TLP must not
 * stay behind to be published. Only files named in the manifest are ever removed, never anything
 * else in the folder, and only entries that resolve inside the folder: any other entry (`../x.md`,
 * an absolute path) is ignored with a warning. No file is written or removed through a link
 * (src/io/safeWrite.ts). `alsoOwned` names files written next to the site by the same build (the
 * postmortems of `render --format both`).
 */
export function writeSite(
  outDir: string,
  files: Iterable<[string, string]>,
  alsoOwned: readonly string[] = [],
  warn: (message: string) => void = warnToStderr,
): number {
  const manifest = join(outDir, SITE_MANIFEST);
  let previous: unknown = [];
  try {
    previous = JSON.parse(readInside(outDir, manifest).text ?? "[]");
  } catch {
    previous = [];
  }
  const written: string[] = [];
  for (const [rel, text] of files) {
    writeInside(outDir, join(outDir, rel), text);
    written.push(rel);
  }
  const owned = [...written, ...alsoOwned].sort();
  const keep = new Set(owned);
  if (Array.isArray(previous)) {
    for (const rel of previous) {
      if (!ownedEntry(outDir, rel)) {
        warn(
          `${SITE_MANIFEST}: ignored entry ${JSON.stringify(rel).slice(0, 200)}: not a file inside the site folder`,
        );
        continue;
      }
      if (keep.has(rel)) continue;
      try {
        removeInside(outDir, join(outDir, rel));
      } catch (err) {
        if (!(err instanceof UnsafePathError)) throw err;
        warn(`${SITE_MANIFEST}: kept ${JSON.stringify(rel)}: ${err.message}`);
      }
    }
  }
  writeInside(outDir, manifest, `${JSON.stringify(owned, null, 1)}\n`);
  return written.length;
}
