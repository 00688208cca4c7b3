// The static HTML site: built in-process for the example repository into a temp folder; every
// incident and problem gets a page, every page carries the CSP meta, `lang`, no inline script and
// only safe links; a hostile incident renders inert; the metrics charts show a hand-checked median.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exitStatus } from "../src/cli/exit.js";
import { runRender, runSite } from "../src/cli/render.js";
import type { Incident } from "../src/model/types.js";
import { buildCharts, buildSite, readSiteTemplates, withinTlp, writeSite } from "../src/site/build.js";
import { median } from "../src/site/charts.js";
import { safeHref } from "../src/site/html.js";
import { loadRecords } from "../src/usecases/loadRecords.js";
import { repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

const records = await loadRecords({ dir: repoRoot, full: true });
const { config } = records;
const templates = readSiteTemplates();
const out = mkdtempSync(join(tmpdir(), "incident-site-"));
const files = buildSite({ incidents: records.incidents, problems: records.problems, config }, templates);
writeSite(out, files);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const read = (rel: string) => readFileSync(join(out, rel), "utf8");
const htmlPages = (): string[] => [
  "index.html",
  "metrics.html",
  ...readdirSync(join(out, "incidents")).map((f) => `incidents/${f}`),
  ...readdirSync(join(out, "problems")).map((f) => `problems/${f}`),
];

const CSP =
  `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; ` +
  `script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'">`;

/** Every href/src value in the page, entities in it decoded the way a browser would for `&amp;`. */
function urls(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|action|xlink:href)\s*=\s*"([^"]*)"/gi)].map((m) =>
    (m[1] as string).replace(/&amp;/g, "&"),
  );
}

/** Markup outside of text: tags with their attributes, as the browser would see them. */
function tags(html: string): string[] {
  return html.match(/<[a-z!/][^>]*>/gi) ?? [];
}

/** The attribute names of a tag (quoted values removed first, so text inside a value is not one). */
function attributeNames(tag: string): string[] {
  const bare = tag.replace(/"[^"]*"/g, '""');
  expect(bare, tag).not.toMatch(/'/);
  return [...bare.matchAll(/\s([^\s=/>]+)(?==)/g)].map((m) => (m[1] as string).toLowerCase());
}

function checkPage(rel: string, html: string) {
  expect(html.startsWith('<!doctype html>\n<html lang="en">'), rel).toBe(true);
  expect(html, rel).toContain(CSP);
  expect(html, rel).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  for (const landmark of ["<header", "<nav", "<main"]) expect(html, rel).toContain(landmark);
  // Scripts only by src, never inline; no event handler attributes; no style attributes or blocks.
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    expect(m[1], rel).toMatch(/\ssrc="(\.\.\/)?site\.js"/);
    expect(m[2], rel).toBe("");
  }
  for (const t of tags(html)) {
    for (const name of attributeNames(t)) {
      expect(name, `${rel}: ${t}`).not.toMatch(/^on/);
      expect(name, `${rel}: ${t}`).not.toBe("style");
    }
    expect(t, rel).not.toMatch(/^<style/i);
  }
  for (const u of urls(html)) {
    const ok = /^(https?:\/\/|mailto:)/i.test(u) || (!/^[a-z][a-z0-9+.-]*:/i.test(u) && !u.startsWith("//"));
    expect(ok, `${rel}: ${u}`).toBe(true);
    // Relative links to other site pages resolve to a file that exists.
    if (!/^[a-z]+:/i.test(u) && !u.startsWith("#")) {
      const target = join(out, rel, "..", u.split("#")[0] as string);
      expect(() => readFileSync(target), `${rel} -> ${u}`).not.toThrow();
    }
  }
}

describe("the example site", () => {
  it("has an index row linking to every example incident", () => {
    const index = read("index.html");
    expect(records.invalid).toEqual([]);
    expect(records.incidents).toHaveLength(19);
    const rows = index.match(/<tr data-severity=/g) ?? [];
    expect(rows).toHaveLength(19);
    for (const inc of records.incidents) {
      expect(index).toContain(`<a href="incidents/${inc.id}.html">${inc.id}</a>`);
    }
    for (const label of ["f-q", "f-severity", "f-status", "f-category", "f-service", "f-year"]) {
      expect(index).toContain(`<label for="${label}"`);
      expect(index).toContain(`id="${label}"`);
    }
    expect(index).toContain('<option value="2025">2025</option>');
  });

  it("has a page for every incident and every problem", () => {
    for (const inc of records.incidents) {
      const page = read(`incidents/${inc.id}.html`);
      expect(page).toContain(`<h1>${inc.id}: `);
      expect(page).toContain('<link rel="stylesheet" href="../site.css">');
    }
    expect(records.problems.length).toBeGreaterThan(0);
    for (const p of records.problems) expect(read(`problems/${p.id}.html`)).toContain(`<h1>${p.id}: `);
  });

  it("shows key times with TTD/TTA/TTM/TTR on an incident page", () => {
    // INC-2025-0014: detected 16:09, acknowledged 16:16, resolved 19:30 (UTC).
    const page = read("incidents/INC-2025-0014.html");
    expect(page).toContain("Time to acknowledge (TTA)</th><td>7m</td>");
    expect(page).toContain("Time to resolve (TTR)</th><td>3h 21m</td>");
  });

  it("every page carries the CSP, lang, viewport and landmarks, with no inline script and safe links", () => {
    const pages = htmlPages();
    expect(pages.length).toBe(2 + records.incidents.length + records.problems.length);
    for (const rel of pages) checkPage(rel, read(rel));
  });

  it("writes site.css and site.js next to the pages, with nothing that reaches the network", () => {
    const js = read("site.js");
    const css = read("site.css");
    expect(js).not.toMatch(/fetch|XMLHttpRequest|import\(|eval|new Function|innerHTML|https?:/);
    expect(css).not.toMatch(/@import|url\(/);
  });

  it("draws the metrics as SVG with titles and data tables, with a hand-checked median", () => {
    const metrics = read("metrics.html");
    const svgs = metrics.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // TTD, TTA, TTM, TTR and the customer impact duration, by severity and per month; incidents per
    // month and per category.
    expect(svgs).toHaveLength(12);
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg[^>]*role="img"/);
      expect(svg).toMatch(/<title id="[^"]+">[^<]+<\/title>/);
    }
    expect(metrics.match(/<details>/g)).toHaveLength(12);
    // SEV1 TTR: INC-2025-0011 14:21 -> 15:30 (1h 9m), INC-2025-0014 16:09 -> 19:30 (3h 21m):
    // median (69 + 201) / 2 = 135 minutes.
    const ttr = svgs.find((s) => s.includes("Median Time to resolve (TTR)")) as string;
    expect(ttr).toContain(">SEV1 Critical (n=2)</text>");
    expect(ttr).toContain(">2h 15m</text>");
    // TTR per month, 2025-11: INC-2025-0024 13:11 -> 18:30 (5h 19m) and INC-2025-0026 10:46 -> 15:30
    // at -05:00 (4h 44m): median (319 + 284) / 2 = 301.5 minutes; months without data draw no bar.
    // The customer impact duration, as `incident stats` measures it: SEV1 INC-2025-0011 14:02 -> 14:40
    // (38m) and INC-2025-0014 16:07 -> 17:02 (55m): median 46.5 minutes, shown as 46m.
    const impact = svgs.find((s) => s.includes("Median Customer impact duration by severity")) as string;
    expect(impact).toContain(">SEV1 Critical (n=2)</text>");
    expect(impact).toMatch(/>SEV1 Critical \(n=2\)<\/text><rect [^>]*><\/rect><text [^>]*>46m<\/text>/);
    expect(svgs.some((s) => s.includes("Median impact duration per month"))).toBe(true);
    const ttrMonth = svgs.find((s) => s.includes("Median TTR per month")) as string;
    expect(ttrMonth).toContain(">2025-11 (n=2)</text>");
    expect(ttrMonth).toMatch(/>2025-11 \(n=2\)<\/text><rect [^>]*><\/rect><text [^>]*>5h 1m<\/text>/);
    expect(ttrMonth).toMatch(/>2025-12<\/text><text [^>]*>no data<\/text>/);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it("leaves excluded modes out of the metrics", () => {
    const all = buildCharts({ incidents: records.incidents, problems: [], config });
    expect(all.excluded).toBe(records.incidents.filter((i) => i.mode === "gameday").length);
    expect(all.excluded).toBeGreaterThan(0);
    const none = buildCharts({
      incidents: records.incidents,
      problems: [],
      config: { ...config, metrics: { exclude_modes: [] } },
    });
    expect(none.counted).toBe(records.incidents.length);
    const total = (c: typeof all) =>
      (c.charts.find((x) => x.id === "per-month")?.bars ?? []).reduce((n, b) => n + b.value, 0);
    expect(total(all)).toBe(all.counted);
    expect(total(none)).toBe(records.incidents.length);
  });
});

describe("modes and dates on the site", () => {
  it("--include-modes counts an excluded mode on the metrics page, as config exclude_modes would", () => {
    const included = buildCharts({
      incidents: records.incidents,
      problems: [],
      config,
      includeModes: ["gameday"],
    });
    const none = buildCharts({
      incidents: records.incidents,
      problems: [],
      config: { ...config, metrics: { exclude_modes: [] } },
    });
    expect(included.excluded).toBe(0);
    expect(included).toEqual(none);
    const page = buildSite(
      { incidents: records.incidents, problems: [], config, includeModes: ["gameday"] },
      templates,
    ).get("metrics.html") as string;
    expect(page).toContain(`Computed from ${records.incidents.length} incidents.`);
  });

  it("incident site --include-modes takes the same modes as stats; another word is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-site-modes-"));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await runSite({ dir: repoRoot, out: dir, includeModes: "gameday,retrospective" })).toBe(0);
      expect(readFileSync(join(dir, "metrics.html"), "utf8")).toContain(
        `Computed from ${records.incidents.length} incidents.`,
      );
      const bad = await runSite({ dir: repoRoot, out: dir, includeModes: "live" }).catch((e: unknown) => e);
      expect(exitStatus(bad)).toBe(2);
    } finally {
      process.stdout.write = write;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the index's Declared column shows declared_at only; the year filter keeps the listed date", () => {
    const inc = (id: string, timestamps: Incident["timestamps"]): Incident => ({
      schema_version: 1,
      id,
      title: id,
      status: "resolved",
      mode: "retrospective",
      timestamps,
      timeline: [],
    });
    const index = buildSite(
      {
        incidents: [
          inc("INC-2019-0001", { impact_started_at: "2019-06-02T10:00:00Z" }),
          inc("INC-2019-0002", { detected_at: "2019-07-02T10:00:00Z", declared_at: "2019-07-03T10:00:00Z" }),
        ],
        problems: [],
        config,
      },
      templates,
    ).get("index.html") as string;
    const row = (id: string) =>
      index.match(new RegExp(`<tr data-[^>]*>\\s*<td data-label="Id"><a [^>]*>${id}[\\s\\S]*?</tr>`))?.[0] ??
      "";
    expect(row("INC-2019-0001")).toContain('data-year="2019"');
    expect(row("INC-2019-0001")).toContain('<td data-label="Declared">-</td>');
    expect(row("INC-2019-0001")).not.toContain("2019-06-02");
    expect(row("INC-2019-0002")).toContain('<time datetime="2019-07-03">2019-07-03</time>');
  });
});

describe("the example site's HTML snapshots", () => {
  // One snapshot per page, named by file. The site has no build date and no absolute paths (all
  // links are relative); the guard below fails loudly if either ever appears, instead of the
  // snapshots silently churning.
  const pages = [
    "index.html",
    "metrics.html",
    ...readdirSync(join(out, "incidents"))
      .sort()
      .map((f) => `incidents/${f}`),
  ];
  it("covers the index, the metrics and every incident page", () => {
    expect(pages).toHaveLength(2 + records.incidents.length);
  });
  for (const rel of pages) {
    it(`matches the snapshot: ${rel}`, () => {
      const html = read(rel);
      expect(html).not.toContain(out);
      expect(html).not.toContain(tmpdir());
      expect(html).not.toContain(repoRoot);
      expect(html).toMatchSnapshot(rel);
    });
  }
});

describe("incident site", () => {
  it("builds the site into --out and reports a missing template folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-site-cli-"));
    const write = process.stdout.write;
    const errWrite = process.stderr.write;
    const said: string[] = [];
    process.stdout.write = ((s: string) => said.push(s) > 0) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => said.push(s) > 0) as typeof process.stderr.write;
    try {
      expect(await runSite({ dir: repoRoot, out: dir })).toBe(0);
      expect(readFileSync(join(dir, "index.html"), "utf8")).toContain(CSP);
      expect(
        await runSite({ dir: repoRoot, out: dir, templates: join(dir, "nope") }).catch((e: unknown) =>
          exitStatus(e),
        ),
      ).toBe(1);
    } finally {
      process.stdout.write = write;
      process.stderr.write = errWrite;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(said.join("")).toMatch(/wrote 25 file\(s\) for 19 incident\(s\) and 2 problem\(s\)/);
    expect(said.join("")).toContain("no template folder");
  });
});

describe("the TLP ceiling", () => {
  const marked = (tlp: Incident["tlp"]) => records.incidents.filter((i) => i.tlp === tlp).map((i) => i.id);

  it("withinTlp publishes unmarked incidents and those at or below the ceiling", () => {
    const { published, withheld } = withinTlp(records.incidents, "green");
    expect(withheld.map((i) => i.id).sort()).toEqual([...marked("amber"), ...marked("amber+strict")].sort());
    expect(published.length + withheld.length).toBe(records.incidents.length);
    expect(published.some((i) => i.tlp === undefined)).toBe(true);
    expect(withinTlp(records.incidents, "red").withheld).toEqual([]);
  });

  it("a site built with --max-tlp clear has no page, row or postmortem of a withheld incident", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-site-tlp-"));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      // A first build publishes everything; rebuilding into the same folder with a stricter ceiling
      // must remove what is now withheld, not leave it for Pages to publish.
      expect(await runRender([], { dir: repoRoot, out: dir, format: "both", maxTlp: "red" })).toBe(0);
      expect(await runRender([], { dir: repoRoot, out: dir, format: "both", maxTlp: "clear" })).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    try {
      const hidden = records.incidents
        .filter((i) => i.tlp !== undefined && i.tlp !== "clear")
        .map((i) => i.id);
      expect(hidden.length).toBeGreaterThan(0);
      const index = readFileSync(join(dir, "index.html"), "utf8");
      expect(index).toContain(`${hidden.length} more incident(s) marked above TLP:CLEAR are not published`);
      const pages = readdirSync(join(dir, "incidents"));
      const postmortems = readdirSync(join(dir, "postmortems"));
      for (const id of hidden) {
        expect(pages).not.toContain(`${id}.html`);
        expect(postmortems).not.toContain(`${id}.md`);
        expect(index).not.toContain(id);
        expect(readFileSync(join(dir, "metrics.html"), "utf8")).not.toContain(id);
      }
      expect(pages).toHaveLength(records.incidents.length - hidden.length);
      expect(postmortems).toHaveLength(records.incidents.length - hidden.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the site folder", () => {
  const quiet = async <T>(f: () => Promise<T>): Promise<{ value: T; said: string }> => {
    const said: string[] = [];
    const [out, err] = [process.stdout.write, process.stderr.write];
    process.stdout.write = ((s: string) => said.push(s) > 0) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => said.push(s) > 0) as typeof process.stderr.write;
    try {
      // Errors end where the CLI ends them: cli/exit.ts prints them and picks the status.
      const value = await f().catch((e: unknown) => exitStatus(e) as T);
      return { value, said: said.join("") };
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
  };

  it("is never the repository root or a folder holding records", async () => {
    for (const out of [
      repoRoot,
      join(repoRoot, "incidents"),
      join(repoRoot, "incidents/2026"),
      join(repoRoot, "incidents/problems"),
    ]) {
      for (const run of [
        () => runSite({ dir: repoRoot, out }),
        () => runRender([], { dir: repoRoot, out, format: "both" }),
      ]) {
        const { value, said } = await quiet(run);
        expect(value, out).toBe(1);
        expect(said).toContain("the site cannot be written to");
      }
    }
  });

  it("a rebuild removes only what the last build wrote, never the user's own files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-site-own-"));
    try {
      writeFileSync(join(dir, "CNAME"), "incidents.example.com\n");
      mkdirSync(join(dir, "incidents"));
      writeFileSync(join(dir, "incidents/notes.html"), "<p>kept</p>\n");
      const first = await quiet(() =>
        runRender([], { dir: repoRoot, out: dir, format: "both", maxTlp: "red" }),
      );
      expect(first.value).toBe(0);
      expect(readdirSync(join(dir, "postmortems"))).toHaveLength(records.incidents.length);
      // The site alone no longer carries postmortems: the ones the last build wrote go.
      expect((await quiet(() => runSite({ dir: repoRoot, out: dir, maxTlp: "red" }))).value).toBe(0);
      expect(readdirSync(join(dir, "postmortems"))).toEqual([]);
      expect(readFileSync(join(dir, "CNAME"), "utf8")).toBe("incidents.example.com\n");
      expect(readFileSync(join(dir, "incidents/notes.html"), "utf8")).toBe("<p>kept</p>\n");
      const manifest = JSON.parse(readFileSync(join(dir, ".incident-site-files.json"), "utf8")) as string[];
      expect(manifest).toContain("index.html");
      expect(manifest).not.toContain("CNAME");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pages never name a withheld incident: problem pages and related links drop it", () => {
    const hidden = records.incidents.find((i) => (records.problems[0]?.incident_refs ?? []).includes(i.id));
    expect(hidden).toBeDefined();
    const id = (hidden as Incident).id;
    const others = records.incidents.filter((i) => i.id !== id);
    const related = others.map((i) => (i === others[0] ? { ...i, related: { related: [id] } } : i));
    const built = buildSite(
      { incidents: related, problems: records.problems, config, withheld: 1, withheldIds: new Set([id]) },
      templates,
    );
    for (const [rel, html] of built) if (rel.endsWith(".html")) expect(html, rel).not.toContain(`>${id}<`);
    const unfiltered = buildSite({ incidents: related, problems: records.problems, config }, templates);
    expect([...unfiltered.values()].some((html) => html.includes(`>${id}<`))).toBe(true);
  });

  it("render --format both without --out renders every postmortem next to its incident, TLP or not", async () => {
    const dir = scratchRepo();
    try {
      // From inside the repository: the site goes to ./_site, the postmortems next to the records.
      const r = runCli(["render", "--format", "both", "--max-tlp", "clear"], { cwd: dir });
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(join(dir, "_site"))).toContain("index.html");
      expect((await quiet(() => runRender([], { dir, check: true }))).value).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("safeHref", () => {
  it("allows http(s), mailto and relative URLs only", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref("mailto:oncall@example.com")).toBe("mailto:oncall@example.com");
    expect(safeHref("../incidents/INC-2026-0001.html")).toBe("../incidents/INC-2026-0001.html");
    for (const bad of [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<b>",
      "vbscript:x",
      "//evil.example/x",
      "\\\\evil.example",
      "",
    ]) {
      expect(safeHref(bad), bad).toBeUndefined();
    }
  });
});

const EVIL = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(1)>',
  "[click](javascript:alert(1))",
  "{{constructor.constructor('alert(1)')()}}",
  "{{#each this}}x{{/each}}",
].join(" ");

function hostile(): Incident {
  return {
    schema_version: 1,
    id: "INC-2026-0666",
    title: `Evil ${EVIL}`,
    summary: EVIL,
    status: "in_progress",
    severity: "SEV2",
    categories: ["ops.change"],
    services: ["checkout-api"],
    timestamps: { detected_at: "2026-03-01T10:00:00Z", declared_at: "2026-03-01T10:02:00Z" },
    timeline: [
      { at: "2026-03-01T10:00:00Z", type: "note", actor: "@everyone", text: EVIL },
      { at: "2026-03-01T10:05:00Z", type: "action", text: `line one\n${EVIL}` },
    ],
    root_cause: EVIL,
    contributing_factors: [EVIL],
    lessons: { went_well: [EVIL], went_wrong: [], lucky: [] },
    action_items: [
      {
        id: "AI-1",
        title: EVIL,
        class: "prevent",
        owner: "@org/team",
        status: "open",
        tracker: "javascript:alert(1)",
      },
      { id: "AI-2", title: "d", class: "detect", owner: "x", status: "open", tracker: "data:text/html,<b>" },
      {
        id: "AI-3",
        title: "j",
        class: "detect",
        owner: "x",
        status: "open",
        tracker: " JaVaScRiPt:alert(1)",
      },
      {
        id: "AI-4",
        title: "ok",
        class: "detect",
        owner: "x",
        status: "open",
        tracker: 'https://t.example/a"b<c',
      },
    ],
    external_refs: [{ type: "doc", url: "javascript:alert(1)", title: EVIL }],
  } as Incident;
}

describe("a hostile incident renders inert", () => {
  const evil = hostile();
  const site = buildSite(
    { incidents: [evil, ...records.incidents], problems: records.problems, config },
    templates,
  );
  const page = site.get("incidents/INC-2026-0666.html") as string;
  const index = site.get("index.html") as string;

  it("has no markup, handler or script URL from incident data", () => {
    for (const [rel, html] of [
      ["incidents/INC-2026-0666.html", page],
      ["index.html", index],
    ] as const) {
      expect(html, rel).not.toMatch(/<script(?![^>]*src="(\.\.\/)?site\.js")/i);
      expect(html, rel).not.toMatch(/<img|<svg/i);
      expect(html, rel).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
      // `onerror=` only appears as escaped text: inside a tag it would be an attribute.
      for (const t of tags(html)) for (const name of attributeNames(t)) expect(name, t).not.toMatch(/^on/);
      for (const u of urls(html)) expect(u, rel).not.toMatch(/^\s*(javascript|data|vbscript):/i);
      expect(html, rel).not.toMatch(/function|native code|\[object/);
    }
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    expect(page).toContain("{{constructor.constructor(&#x27;alert(1)&#x27;)()}}");
    // The unsafe trackers are shown as text, the http(s) one is a link with its quote escaped.
    expect(page).toContain('<span class="unlinked">tracker (javascript:alert(1))</span>');
    expect(page).toContain(
      '<a href="https://t.example/a%22b%3Cc" rel="noopener noreferrer nofollow">tracker</a>',
    );
    expect(page.match(/<a href="https?:/g)).toHaveLength(1);
  });

  it("passes the same page checks as the examples", () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-site-evil-"));
    try {
      writeSite(dir, site);
      const html = readFileSync(join(dir, "incidents/INC-2026-0666.html"), "utf8");
      expect(html).toContain("Evil &lt;script&gt;");
      checkPage("incidents/INC-2026-0666.html", html);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bidirectional controls", () => {
  // Every embedding, override and isolate: one left open reverses the rest of the line it sits in.
  const CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
  const spoofed = (text: string) => CONTROLS.map((c) => `${c}${text}`).join(" ");
  const evil: Incident = {
    schema_version: 1,
    id: "INC-2026-0667",
    title: `\u202eevil | pipe ${spoofed("title")}`,
    summary: `\u202esummary ${spoofed("s")} *em\u202e* \`code\u2067\``,
    narrative: `\u202enarrative\n\n- item\u202e\n\n\`\`\`\ncode\u2066\n\`\`\`\n\n[link\u202e](https://x.example/\u202e)`,
    status: "in_progress",
    severity: "SEV2",
    categories: ["ops.change"],
    services: ["checkout-api"],
    timestamps: { detected_at: "2026-03-01T10:00:00Z", declared_at: "2026-03-01T10:02:00Z" },
    timeline: [
      { at: "2026-03-01T10:00:00Z", type: "note", actor: "ops\u202e", text: `\u202enote ${spoofed("n")}` },
    ],
    root_cause: "\u2067root cause",
    contributing_factors: ["\u202efactor"],
    action_items: [
      {
        id: "AI-1",
        title: "\u202efix",
        class: "prevent",
        owner: "ops\u202e",
        status: "open",
        tracker: "x\u202e",
      },
    ],
    external_refs: [{ type: "doc", url: "https://d.example/\u202e", title: "\u202edoc" }],
  } as Incident;
  const problem = {
    schema_version: 1,
    id: "PRB-2026-0667",
    title: "\u202eproblem | title",
    status: "assessed",
    summary: "\u202esummary",
    narrative: "\u2066narrative",
    incident_refs: ["INC-2026-0667"],
    timestamps: { created_at: "2026-03-10T11:00:00Z", assessed_at: "2026-03-11T11:00:00Z" },
  } as unknown as (typeof records.problems)[number];
  const site = buildSite({ incidents: [evil, ...records.incidents], problems: [problem], config }, templates);

  it("no generated file carries one; the text around them stays", () => {
    expect(site.size).toBeGreaterThan(3);
    for (const [rel, text] of site)
      expect(text.match(/[\u202a-\u202e\u2066-\u2069]/g) ?? [], rel).toEqual([]);
    const page = site.get("incidents/INC-2026-0667.html") as string;
    expect(page).toContain("<title>INC-2026-0667: evil | pipe title");
    expect(page).toMatch(/<h1[^>]*>[^<]*evil \| pipe title/);
    expect(page).toContain("<code>code</code>");
    expect(site.get("index.html")).toContain('data-text="inc-2026-0667 evil | pipe title');
    expect(site.get("problems/PRB-2026-0667.html")).toContain("problem | title");
  });
});

describe("deeply nested lists on the site", () => {
  it("keep every line of the narrative, past the nesting limit and after it", () => {
    const list = Array.from({ length: 55 }, (_, i) => `${"  ".repeat(i)}- L${i}`).join("\n");
    const deep: Incident = {
      ...(records.incidents[0] as Incident),
      id: "INC-2026-0668",
      narrative: `Para one.\n\n${list}\n\nIMPORTANT: the root cause was X.`,
      summary: `${"- ".repeat(10_000)}deepest`,
    };
    const page = buildSite({ incidents: [deep], problems: [], config }, templates).get(
      "incidents/INC-2026-0668.html",
    ) as string;
    for (const word of ["Para one.", "L0", "L49", "L54", "IMPORTANT: the root cause was X.", "deepest"])
      expect(page).toContain(word);
  });
});
