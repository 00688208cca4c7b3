// The importers' pure parts in-process: hostile input to diagnostics with positions and stable codes,
// the mapping file's own schema, time formats, and adapters that map only what the source holds.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeConfig } from "../src/config/merge.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { importCsv, importJson, importMarkdown } from "../src/import/adapters.js";
import { parseCsv, parseJson, parseMarkdown } from "../src/import/input.js";
import { loadMapping, type Mapping } from "../src/import/mapping.js";
import { importPagerDuty } from "../src/import/pagerduty.js";
import { buildRecord, contentHash } from "../src/import/record.js";
import { importStatuspage } from "../src/import/statuspage.js";
import { readTime } from "../src/import/times.js";
import { repoRoot } from "./helpers/cli.js";

const fixtures = join(repoRoot, "test/fixtures/import");
const file = (rel: string) => ({ path: rel, text: readFileSync(join(fixtures, rel), "utf8") });
const config = mergeConfig({
  schema_version: 1,
  services: [{ id: "checkout-api", name: "Checkout API" }],
  people: [{ handle: "tomas.novak", name: "Tomas Novak" }],
});

/** Exactly one diagnostic, with this code, at this place. */
function expectImport(diags: readonly Diagnostic[], code: string, line?: number, column?: number): void {
  expect(diags.map((d) => d.code)).toEqual([code]);
  if (line !== undefined) expect(diags[0]?.line).toBe(line);
  if (column !== undefined) expect(diags[0]?.column).toBe(column);
}

describe("hostile input", () => {
  it("bad JSON gets its line and column", () => {
    expectImport(parseJson({ path: "x.json", text: '{\n  "a": 1,\n  }' }).diagnostics, "IMPORT_SYNTAX", 3, 3);
  });
  it("refuses __proto__ and constructor keys in JSON", () => {
    const r = parseJson({ path: "x.json", text: '{"incidents": [\n {"__proto__": {"polluted": 1}}]}' });
    expectImport(r.diagnostics, "IMPORT_UNSAFE_KEY", 2, 3);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("refuses nesting deeper than the cap before parsing", () => {
    expectImport(
      parseJson({ path: "x.json", text: `${"[".repeat(100_000)}${"]".repeat(100_000)}` }).diagnostics,
      "IMPORT_TOO_LARGE",
    );
  });
  it("refuses files over the size cap", () => {
    expectImport(parseJson({ path: "x.json", text: "[1]" }, 2).diagnostics, "IMPORT_TOO_LARGE");
  });
  it("bad CSV gets its line; unsafe and repeated column names are refused", () => {
    expectImport(parseCsv({ path: "x.csv", text: 'a,b\n1,2\n3,"4\n' }).diagnostics, "IMPORT_SYNTAX");
    expectImport(
      parseCsv({ path: "x.csv", text: "id,__proto__\n1,2\n" }).diagnostics,
      "IMPORT_UNSAFE_KEY",
      1,
      2,
    );
    expectImport(parseCsv({ path: "x.csv", text: "id,id\n1,2\n" }).diagnostics, "IMPORT_SHAPE", 1, 2);
  });
  it("front matter: missing, unclosed, malformed YAML (line in the file), unsafe keys, anchors", () => {
    expectImport(
      parseMarkdown({ path: "a.md", text: "# no front matter\n" }, 1000).diagnostics,
      "IMPORT_SHAPE",
    );
    expectImport(parseMarkdown({ path: "a.md", text: "---\ntitle: x\n" }, 1000).diagnostics, "IMPORT_SYNTAX");
    const bad = parseMarkdown({ path: "a.md", text: "---\ntitle: ok\nstart: [unclosed\n---\nbody\n" }, 1000);
    expect(bad.diagnostics[0]?.code).toBe("IMPORT_SYNTAX");
    expect(bad.diagnostics[0]?.line).toBeGreaterThanOrEqual(3);
    expectImport(
      parseMarkdown({ path: "a.md", text: "---\ntitle: ok\n__proto__: {x: 1}\n---\n" }, 1000).diagnostics,
      "IMPORT_UNSAFE_KEY",
      3,
      1,
    );
    expect(
      parseMarkdown({ path: "a.md", text: "---\na: &x 1\nb: *x\n---\n" }, 1000).diagnostics.length,
    ).toBeGreaterThan(0);
  });
  it("an input in the wrong shape is named as such", () => {
    const r = importPagerDuty({ files: [{ path: "p.json", text: '{"data": []}' }], config });
    expectImport(r.diagnostics, "IMPORT_SHAPE");
    const s = importStatuspage({ files: [{ path: "s.json", text: '{"page": {}}' }], config });
    expectImport(s.diagnostics, "IMPORT_SHAPE");
  });
});

describe("the mapping file", () => {
  it("points at the key that breaks its schema", () => {
    const text = "version: 1\nfields:\n  title: name\n  owner_email: email\n";
    const r = loadMapping("m.yaml", text);
    expect(r.mapping).toBeUndefined();
    expectImport(r.diagnostics, "IMPORT_MAPPING", 4, 3);
    expect(r.diagnostics[0]?.pointer).toBe("/fields/owner_email");
  });
  it("refuses an unknown time format or zone, with the position of the value", () => {
    const r = loadMapping(
      "m.yaml",
      "version: 1\nfields:\n  timestamps.detected_at: {from: t, time: DD/MM}\n",
    );
    expectImport(r.diagnostics, "IMPORT_MAPPING", 3, 43);
    const z = loadMapping("m.yaml", "version: 1\nzone: Mars/Olympus\n");
    expectImport(z.diagnostics, "IMPORT_MAPPING", 2, 7);
  });
  it("refuses unsafe keys and bad YAML", () => {
    expectImport(
      loadMapping("m.yaml", "version: 1\nset:\n  __proto__: x\n").diagnostics,
      "IMPORT_UNSAFE_KEY",
      3,
      3,
    );
    expectImport(loadMapping("m.yaml", "version: 1\nfields: [\n").diagnostics, "IMPORT_SYNTAX");
  });
  it("accepts the documented examples", () => {
    for (const m of [
      "markdown/mapping.yaml",
      "csv/mapping.yaml",
      "json/mapping.yaml",
      "pagerduty/mapping.yaml",
    ]) {
      expect(loadMapping(m, file(m).text).diagnostics, m).toEqual([]);
    }
  });
});

describe("times", () => {
  it("reads RFC 3339, local times in a zone, dates, Unix seconds and fixed patterns", () => {
    expect(readTime("2024-03-12T09:20:00+01:00", "rfc3339", "UTC", "UTC").time).toBe("2024-03-12T08:20:00Z");
    expect(readTime("2024-07-01 10:00", "rfc3339", "Europe/Paris", "UTC").time).toBe("2024-07-01T08:00:00Z");
    expect(readTime("2024-07-01", "date", "UTC", "UTC").time).toBe("2024-07-01T00:00:00Z");
    expect(readTime(1694512800, "unix", "UTC", "UTC").time).toBe("2023-09-12T10:00:00Z");
    expect(readTime("12/03/2024 09.20", "DD/MM/YYYY HH.mm", "UTC", "UTC").time).toBe("2024-03-12T09:20:00Z");
  });
  it("never guesses: a relative time, a wrong date or another format is reported", () => {
    for (const [v, f] of [
      ["now", "rfc3339"],
      ["-1d", "rfc3339"],
      ["2024-02-30 10:00", "rfc3339"],
      ["2024-03-12", "rfc3339"],
      ["12/03/2024", "YYYY-MM-DD"],
      ["soon", "unix"],
    ] as const) {
      expect(readTime(v, f, "UTC", "UTC").reason, `${v} ${f}`).toBeDefined();
    }
  });
});

describe("adapters map only what the source holds", () => {
  it("PagerDuty: no severity and no commander invented; times from the log entries", () => {
    const r = importPagerDuty({
      files: [file("pagerduty/incidents.json"), file("pagerduty/log_entries.json")],
      config,
    });
    expect(r.diagnostics).toEqual([]);
    const d = r.drafts.find((x) => x.sourceId === "PQ7A2XK");
    expect(d?.record.severity).toBeUndefined();
    expect((d?.record.roles as Record<string, unknown> | undefined)?.incident_commander).toBeUndefined();
    expect(d?.record.timestamps).toEqual({
      detected_at: "2025-09-14T08:12:00Z",
      acknowledged_at: "2025-09-14T08:15:30Z",
      resolved_at: "2025-09-14T09:03:00Z",
    });
    expect(d?.unmapped.map((u) => u.field)).toContain("severity");
    expect((d?.record.timeline as Array<{ type: string }> | undefined)?.map((e) => e.type)).toEqual([
      "detection",
      "status_change",
      "note",
      "status_change",
    ]);
    // Unknown service, team and person are offered, not used.
    expect(r.offers.map((o) => `${o.list}:${o.entry.id ?? o.entry.handle}`).sort()).toEqual([
      "people:rin.okabe",
      "services:search-indexer",
      "teams:discovery",
      "teams:payments",
    ]);
  });
  it("Statuspage: impact to severity by the default map, overridden by a mapping; backfilled created_at unused", () => {
    const files = [file("statuspage/incidents.json")];
    const r = importStatuspage({ files, config });
    expect(r.drafts.map((d) => d.record.severity)).toEqual(["SEV2", "SEV3"]);
    const backfilled = r.drafts[1]?.record.timestamps as Record<string, unknown>;
    expect(backfilled.declared_at).toBeUndefined();
    expect(backfilled.impact_started_at).toBe("2025-11-20T17:45:00Z");
    const mapping: Mapping = {
      version: 1,
      severity: [{ when: { key: "impact", equals: "major" }, set: "SEV1" }],
    };
    expect(importStatuspage({ files, config, mapping }).drafts.map((d) => d.record.severity)).toEqual([
      "SEV1",
      "SEV3",
    ]);
  });
  it("Markdown, CSV and JSON through their mappings", () => {
    const mapping = (m: string) => loadMapping(m, file(m).text).mapping as Mapping;
    const md = importMarkdown({
      files: [file("markdown/postmortems/2024-03-orders-db.md")],
      config,
      mapping: mapping("markdown/mapping.yaml"),
    });
    expect(md.drafts[0]?.record).toMatchObject({
      severity: "SEV1",
      categories: ["ops.capacity"],
      status: "resolved",
    });
    expect(String(md.drafts[0]?.record.narrative)).not.toMatch(/^#/);
    const csv = importCsv({
      files: [file("csv/incidents.csv")],
      config,
      mapping: mapping("csv/mapping.yaml"),
    });
    expect(csv.drafts.map((d) => d.sourceId)).toEqual(["OPS-101", "OPS-117"]);
    expect((csv.drafts[0]?.record.timestamps as Record<string, string> | undefined)?.detected_at).toBe(
      "2023-05-04T06:00:00Z",
    );
    const json = importJson({
      files: [file("json/incidents.json")],
      config,
      mapping: mapping("json/mapping.yaml"),
    });
    expect(json.drafts[0]).toMatchObject({ sourceId: "INC-88", url: "https://tracker.example.com/INC-88" });
  });
  it("a record is dated only by the source: no time, no timeline entry made up", () => {
    const draft = {
      sourceId: "x",
      origin: "x",
      record: { title: "t", status: "resolved" },
      fields: {},
      unmapped: [],
    };
    const built = buildRecord(draft, "INC-2024-0001", config, []);
    expect(built.record.timeline).toEqual([]);
    expect(built.unmapped.map((u) => u.field)).toEqual(["timeline", "timeline"]);
  });
  it("the content hash ignores provenance and key order", () => {
    expect(contentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      contentHash({ b: [1, { d: 3, c: 2 }], a: 1, provenance: { source: "csv" } }),
    );
  });
});
