// Markdown postmortems: snapshots of every example, the TTx and duration math, sections left out,
// the draft banner, a hostile incident that must render inert, markdownlint, and `render --check`
// (the command run in-process through `run()`).

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { lint } from "markdownlint/sync";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readTemplates } from "../src/cli/render.js";
import { formatDate, formatDuration } from "../src/lifecycle/time.js";
import type { Incident } from "../src/model/types.js";
import { cell as escapeCell, textCell } from "../src/render/escape.js";
import { compileTemplates, escapeMarkdown, inlineCode } from "../src/render/markdown.js";
import { buildPostmortemModel, mermaidText } from "../src/render/model.js";
import { loadRecords } from "../src/usecases/loadRecords.js";
import { cli, repoRoot, scratchRepo } from "./helpers/cli.js";

const records = await loadRecords({ dir: repoRoot, full: true });
const { config } = records;
const compiled = compileTemplates(readTemplates());
const renderIncident = (inc: Incident, cfg = config) =>
  compiled.render(buildPostmortemModel(inc, cfg, records.problems));

/**
 * The markdownlint rule set for rendered postmortems: every default rule, except
 * - MD013 (line length): each value is one paragraph, list item or table row on one line; wrapping
 *   would need a Markdown-aware wrapper and changes nothing on GitHub.
 * - MD034 (bare URLs): incident text may quote a URL; GitHub autolinks http(s) URLs, which is allowed.
 */
const LINT_CONFIG = { default: true, MD013: false, MD034: false } as const;

function lintErrors(name: string, markdown: string): string[] {
  const result = lint({ strings: { [name]: markdown }, config: LINT_CONFIG });
  return (result[name] ?? []).map(
    (e) => `${e.lineNumber}: ${e.ruleNames.join("/")} ${e.ruleDescription} ${e.errorDetail ?? ""}`,
  );
}

/** A GFM-like reader (tables, raw HTML on, as GitHub reads it) and the tokens of a document, flattened. */
const gfm = new MarkdownIt("default", { html: true, linkify: false });
function tokens(markdown: string) {
  return gfm.parse(markdown, {}).flatMap((t) => [t, ...(t.children ?? [])]);
}

/** A table row's cells as GFM splits them: on every pipe without a backslash before it. */
const cellsOf = (row: string) => row.split(/(?<!\\)\|/).length;

function minimal(over: Partial<Incident> = {}): Incident {
  return {
    schema_version: 1,
    id: "INC-2026-0100",
    title: "Hand-made incident",
    status: "new",
    timestamps: {},
    timeline: [],
    ...over,
  };
}

describe("example incidents", () => {
  it("are all read as valid records", () => {
    expect(records.invalid).toEqual([]);
    expect(records.incidents.length).toBeGreaterThanOrEqual(19);
  });

  for (const inc of records.incidents) {
    it(`${inc.id} renders as in the snapshot and passes markdownlint`, () => {
      const md = renderIncident(inc);
      expect(md).toMatchSnapshot();
      expect(lintErrors(inc.id, md)).toEqual([]);
    });
  }

  it("the closed SEV1 has every section and the right key times", () => {
    const inc = records.incidents.find((i) => i.id === "INC-2025-0014") as Incident;
    const md = renderIncident(inc);
    for (const heading of [
      "## Summary",
      "## Impact",
      "## Key times",
      "## Detection",
      "## Response and roles",
      "## Resolution",
      "## Timeline",
      "## Root cause",
      "## Contributing factors",
      "### What went well",
      "### What went wrong",
      "### Where we got lucky",
      "## Action items",
      "## Related",
      "## Review and sign-off",
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).not.toContain("Draft");
    expect(md).not.toContain("## Security appendix");
    expect(md).toContain("| Time to mitigate (TTM) | 53m |");
    expect(md).toContain("| Time to resolve (TTR) | 3h 21m |");
    expect(md).toContain("| Customer impact duration | 55m |");
    expect(md).toContain("```mermaid\ntimeline\n");
  });

  it("the security incident has the appendix with defanged indicators and a draft banner", () => {
    const inc = records.incidents.find((i) => i.id === "INC-2026-0017") as Incident;
    const md = renderIncident(inc);
    expect(md).toContain("## Security appendix");
    expect(md).toContain("[T1530](https://attack.mitre.org/techniques/T1530/)");
    expect(md).toContain("`203[.]0[.]113[.]201`");
    expect(md).not.toContain("203.0.113.201 |");
    expect(md.split("\n")[2]).toMatch(/^> \*\*Draft:\*\* this incident is Mitigated;/);
  });
});

describe("durations and key times", () => {
  it("formats durations with the two largest units", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(5 * 60_000)).toBe("5m");
    expect(formatDuration(83 * 60_000)).toBe("1h 23m");
    expect(formatDuration(3 * 3_600_000)).toBe("3h");
    expect(formatDuration((2 * 24 + 3) * 3_600_000 + 59 * 60_000)).toBe("2d 3h");
    expect(formatDuration(2 * 86_400_000)).toBe("2d");
    expect(formatDuration(-1)).toBeUndefined();
  });

  it("computes TTD, TTA, TTM, TTR and customer impact from the timestamps", () => {
    const model = buildPostmortemModel(
      minimal({
        status: "resolved",
        timestamps: {
          impact_started_at: "2026-03-01T10:00:00Z",
          detected_at: "2026-03-01T10:05:00Z",
          acknowledged_at: "2026-03-01T10:06:30Z",
          mitigated_at: "2026-03-01T11:28:00Z",
          impact_ended_at: "2026-03-01T11:30:00Z",
          resolved_at: "2026-03-03T13:05:00Z",
        },
      }),
      config,
    );
    expect(model.metrics.map((m) => [m.abbr || m.label, m.value, m.ms])).toEqual([
      ["TTD", "5m", 300_000],
      ["TTA", "1m", 90_000],
      ["TTM", "1h 23m", 4_980_000],
      ["TTR", "2d 3h", 183_600_000],
      ["Customer impact duration", "1h 30m", 5_400_000],
    ]);
    expect(model.duration).toBe("2d 3h");
    expect(model.draft).toBe(false);
  });

  it("leaves out a metric whose timestamps are missing", () => {
    const model = buildPostmortemModel(
      minimal({ timestamps: { detected_at: "2026-03-01T10:05:00Z", mitigated_at: "2026-03-01T10:35:00Z" } }),
      config,
    );
    expect(model.metrics.map((m) => m.abbr)).toEqual(["TTM"]);
    expect(model.duration).toBeUndefined();
  });

  it("shows dates in the configured time zone", () => {
    expect(formatDate("2026-03-01T10:00:00Z", "UTC")).toBe("2026-03-01 10:00 UTC");
    expect(formatDate("2026-03-01T10:00:00Z", "Europe/Berlin")).toBe("2026-03-01 11:00 +01:00");
    expect(formatDate("2026-07-01T10:00:00Z", "Europe/Berlin")).toBe("2026-07-01 12:00 +02:00");
    const md = renderIncident(minimal({ timestamps: { detected_at: "2026-03-01T23:30:00Z" } }), {
      ...config,
      timezone: "America/New_York",
    });
    expect(md).toContain("| Detected | 2026-03-01 18:30 -05:00 |");
  });
});

describe("sections and the draft banner", () => {
  it("an incident with no data leaves no empty heading", () => {
    const md = renderIncident(minimal());
    const headings = md.split("\n").filter((l) => l.startsWith("#"));
    expect(headings).toEqual(["# INC-2026-0100: Hand-made incident"]);
    expect(md).not.toContain("```mermaid");
    expect(md).not.toMatch(/\n\n\n/);
    expect(lintErrors("minimal", md)).toEqual([]);
  });

  it("every heading is followed by content, never by another heading", () => {
    const md = renderIncident(
      minimal({ lessons: { went_well: [], went_wrong: ["Paging was slow"] }, categories: ["sec.phishing"] }),
    );
    expect(md).toContain("## Lessons\n\n### What went wrong\n\n- Paging was slow\n");
    expect(md).not.toContain("What went well");
    expect(md).not.toContain("Security appendix");
    expect(md).not.toMatch(/^(#+) .*\n\n\1 /m);
  });

  it("carries a draft banner until the incident is resolved", () => {
    for (const status of ["new", "triaged", "in_progress", "on_hold", "mitigated"] as const) {
      expect(renderIncident(minimal({ status }))).toContain("> **Draft:**");
    }
    for (const status of ["resolved", "closed"] as const) {
      expect(renderIncident(minimal({ status }))).not.toContain("Draft");
    }
  });
});

const EVIL = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "{{constructor.constructor}}",
  "@org/team @everyone #1",
  "a | b || c",
  "`code` ``` fence",
  "[x](javascript:alert(1))",
  "%%{init: {'theme':'dark'}}%% ; end : x",
].join(" ");

function hostile(): Incident {
  return minimal({
    id: "INC-2026-0666",
    title: `# ${EVIL}`,
    summary: `${EVIL}\n\n- list\n\`\`\`\n<script>alert(2)</script>\n\`\`\``,
    status: "in_progress",
    timestamps: { detected_at: "2026-03-01T10:00:00Z" },
    timeline: [
      { at: "2026-03-01T10:00:00Z", type: "note", actor: "@everyone", text: EVIL },
      { at: "2026-03-01T10:05:00Z", type: "action", text: `line one\n\`\`\`\nline two | ${EVIL}` },
    ],
    contributing_factors: [EVIL],
    action_items: [
      {
        id: "AI-1",
        title: EVIL,
        class: "prevent",
        owner: "@org/team",
        status: "open",
        tracker: "javascript:alert(1)",
      },
      {
        id: "AI-2",
        title: "data",
        class: "detect",
        owner: "x",
        status: "open",
        tracker: "data:text/html,<b>",
      },
      {
        id: "AI-3",
        title: "ok",
        class: "detect",
        owner: "x",
        status: "open",
        tracker: " JaVaScRiPt:alert(1)",
      },
      {
        id: "AI-4",
        title: "fine",
        class: "detect",
        owner: "x",
        status: "open",
        tracker: "https://tracker.example/a_(b)|c",
      },
    ],
    external_refs: [{ type: "doc", url: "javascript:alert(1)", title: EVIL }],
  });
}

describe("a hostile incident renders inert", () => {
  const md = renderIncident(hostile());

  it("has no HTML, no script link, no mention and no issue reference", () => {
    const all = tokens(md);
    expect(all.filter((t) => t.type.startsWith("html_") || t.type === "image")).toEqual([]);
    // Mentions and references in text (GitHub reads none inside code, where they are shown as written).
    const text = all.filter((t) => t.type === "text").map((t) => t.content);
    expect(text.join(" ")).not.toMatch(/@everyone|@org|(^|[^&])#\d/);
    expect(md).not.toMatch(/function|native code/);
    expect(md).toContain("constructor");
    // The only link is the http(s) tracker (its parenthesis and pipe encoded): `[x](javascript:…)`
    // in the summary keeps its text and loses its target, in the title it is plain text.
    expect(all.filter((t) => t.type === "link_open").map((t) => t.attrGet("href"))).toEqual([
      "https://tracker.example/a_%28b%29%7Cc",
    ]);
    expect(md).toContain("[tracker](https://tracker.example/a_%28b%29%7Cc)");
    // The headings are the template's: the title's `#` starts none.
    const headings = all.filter((t) => t.type === "heading_open").map((t) => t.map?.[0]);
    expect(headings.map((line) => md.split("\n")[line as number]?.replace(/^#+ /, ""))).toEqual(
      md
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => l.replace(/^#+ /, "")),
    );
    expect(md.split("\n").filter((l) => /^#{1,6} /.test(l))[0]).toMatch(/^# INC-2026-0666: \\#\u200b /);
  });

  it("keeps every table row to its columns", () => {
    const lines = md.split("\n");
    let table: string[] = [];
    const tables: string[][] = [];
    for (const line of [...lines, ""]) {
      if (line.startsWith("|")) table.push(line);
      else if (table.length > 0) {
        tables.push(table);
        table = [];
      }
    }
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const t of tables) {
      const pipes = cellsOf(t[0] as string);
      for (const row of t) expect(cellsOf(row), row).toBe(pipes);
    }
  });

  it("keeps the Mermaid block intact", () => {
    const block = /```mermaid\n([\s\S]*?)\n```\n/.exec(md)?.[1];
    expect(block).toBeDefined();
    const lines = (block as string).split("\n");
    expect(lines[0]).toBe("timeline");
    for (const line of lines.slice(1)) {
      expect(line).toMatch(
        /^( {2}title [^:;#%`{}<>]*| {2}section [^:;#%`{}<>]*| {4}\d\d\.\d\d : [^:;#%`{}<>]*)$/,
      );
    }
    expect(lines.filter((l) => l.startsWith("    "))).toHaveLength(2);
    // The only code blocks: the diagram, and the summary's code block (prose), shown as text.
    const fences = tokens(md).filter((t) => t.type === "fence");
    expect(fences.map((t) => t.info)).toEqual(["text", "mermaid"]);
    expect(fences[0]?.content).toBe("<script>alert(2)</script>\n");
  });

  it("passes markdownlint", () => {
    expect(lintErrors("hostile", md)).toEqual([]);
  });

  it("escapes with the documented rules", () => {
    expect(escapeMarkdown("1. a *b* <c> @d #2\nnext")).toBe("1\\. a \\*b\\* \\<c> @\u200bd #\u200b2 next");
    expect(escapeMarkdown("- item")).toBe("\\- item");
    expect(escapeMarkdown("> quote")).toBe("\\> quote");
    expect(escapeMarkdown("snake_case _x_ a!")).toBe("snake_case \\_x\\_ a\\!");
    expect(escapeMarkdown("&amp; & b")).toBe("\\&amp; & b");
    expect(escapeCell("a|b\nc")).toBe("a&#124;b c");
    expect(textCell("a|b\nc (d_e)")).toBe("a\\|b c (d_e)");
    expect(inlineCode("a `b` c")).toBe("``a `b` c``");
    expect(inlineCode("`")).toBe("`` ` ``");
    expect(mermaidText("a: b; %%{init}%% `c` #d")).toBe("a b init c d");
  });
});

describe("prose in a postmortem", () => {
  // A record whose prose uses the whole subset, and raw HTML, an unsafe link, an image, a heading
  // and a table outside it.
  const inc = parse(
    readFileSync(join(repoRoot, "test/fixtures/prose/INC-2026-0200.yaml"), "utf8"),
  ) as Incident;
  const md = renderIncident(inc);
  const all = tokens(md);

  it("shows the narrative after the summary, as Markdown in the subset, and passes markdownlint", () => {
    const h2 = all.filter((t, i) => t.type === "inline" && all[i - 1]?.tag === "h2").map((t) => t.content);
    expect(h2.slice(0, 3)).toEqual(["Summary", "Narrative", "Key times"]);
    expect(all.filter((t) => t.type.startsWith("html_") || t.type === "image")).toEqual([]);
    expect(all.filter((t) => t.type === "link_open").map((t) => t.attrGet("href"))).toEqual([
      "https://deploys.example/orders/v3.2",
      "https://dashboards.example/d/checkout",
      "mailto:orders@example.com",
      "https://img.example/x.png",
      "https://deploys.example/orders/v3.2.1",
      "https://support.example/t/1",
      "https://wiki.example/canary",
      "https://runbooks.example/5xx",
    ]);
    expect(all.filter((t) => t.type === "fence").map((t) => t.info)).toEqual(["sql", "mermaid"]);
    expect(all.filter((t) => t.type === "ordered_list_open")).toHaveLength(1);
    expect(all.filter((t) => t.type === "em_open").length).toBeGreaterThanOrEqual(3);
    expect(lintErrors("prose", md)).toEqual([]);
  });

  it("keeps prose in table cells to its cell, and list entries to their item", () => {
    for (const row of md.split("\n").filter((l) => l.startsWith("| 2026-03-10") || l.startsWith("| AI-1")))
      expect(cellsOf(row), row).toBe(row.startsWith("| AI-1") ? 10 : 6);
    const factors = gfm.parse(md, {});
    const start = factors.findIndex((t) => t.type === "inline" && t.content === "Contributing factors");
    const list = factors.slice(start).find((t) => t.type === "bullet_list_open");
    const items = factors
      .slice(start)
      .filter((t) => t.type === "list_item_open" && t.level === (list?.level ?? 0) + 1);
    expect(items.length).toBeGreaterThanOrEqual(2);
  });
});

describe("templates", () => {
  it("refuse unknown helpers and missing fields", () => {
    expect(() => compileTemplates({ main: "{{evil title}}", partials: {} }).render({ title: "x" })).toThrow(
      /template error/,
    );
    expect(() => compileTemplates({ main: "{{nope}}", partials: {} }).render({})).toThrow(/template error/);
    expect(() => compileTemplates({ main: "{{md nope}}", partials: {} }).render({})).toThrow(/md/);
  });

  it("a repository's template overrides the bundled one of the same name", () => {
    const dir = scratchRepo();
    try {
      mkdirSync(join(dir, "templates/partials"), { recursive: true });
      writeFileSync(
        join(dir, "templates/partials/summary.hbs"),
        "## Overview\n\n{{#if summary}}{{md summary}}{{/if}}\n",
      );
      const t = readTemplates(join(dir, "templates"));
      expect(t.partials.summary).toContain("## Overview");
      expect(t.partials.timeline).toContain("## Timeline");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("incident render", () => {
  it("writes changed files only and --check reports stale ones", async () => {
    const dir = scratchRepo();
    try {
      let r = await cli(["render", "--check", "-C", dir]);
      expect(r.status, r.stderr).toBe(1);
      // Each postmortem sits next to its incident.
      expect(r.stdout).toContain("incidents/2026/INC-2026-0001.md (missing)");

      r = await cli(["render", "-C", dir]);
      expect(r.status, r.stderr).toBe(0);
      const files = readdirSync(join(dir, "incidents/2026"))
        .filter((f) => f.endsWith(".md"))
        .sort();
      expect(files.length).toBeGreaterThan(0);
      expect(r.stdout.trim().split("\n")).toHaveLength(files.length);
      // The Markdown next to the records is not a record: validate still passes.
      expect((await cli(["validate", "-C", dir, "--no-cache"])).status).toBe(0);

      r = await cli(["render", "--check", "-C", dir]);
      expect(r.status, r.stderr).toBe(0);

      const first = join(dir, "incidents/2026", files[0] as string);
      writeFileSync(first, `${readFileSync(first, "utf8")}edited\n`);
      r = await cli(["render", "--check", "-C", dir]);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`${files[0]} (stale)`);

      r = await cli(["render", "-C", dir]);
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split("\n")).toEqual([`wrote incidents/2026/${files[0]}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the example postmortems committed next to the example incidents are current", async () => {
    const r = await cli(["render", "--check", "-C", repoRoot]);
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it("--format html builds the site and --format both writes the site plus its postmortems", async () => {
    const dir = scratchRepo();
    try {
      let r = await cli(["render", "--format", "html", "-C", dir, "--out", join(dir, "html")]);
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(join(dir, "html"))).toEqual(expect.arrayContaining(["index.html", "metrics.html"]));
      expect(readdirSync(join(dir, "html"))).not.toContain("postmortems");

      r = await cli(["render", "--format", "both", "-C", dir, "--out", join(dir, "both")]);
      expect(r.status, r.stderr).toBe(0);
      const pm = readdirSync(join(dir, "both/postmortems"));
      const pages = readdirSync(join(dir, "both/incidents"));
      expect(pm.length).toBeGreaterThan(0);
      expect(pm.map((f) => f.replace(/\.md$/, ".html")).sort()).toEqual(pages.sort());

      for (const args of [["--check"], ["INC-2026-0001"]]) {
        r = await cli(["render", "--format", "html", ...args, "-C", dir]);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/^incident: .* cannot be combined with --format html\n$/);
      }
      expect((await cli(["render", "--format", "pdf", "-C", dir])).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses bad ids with a message, not a stack trace", async () => {
    for (const id of ["../../etc/passwd", "INC-2026-9999"]) {
      const r = await cli(["render", id, "--check", "-C", repoRoot]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^incident: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
