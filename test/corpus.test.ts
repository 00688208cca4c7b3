// The bundled example corpus: valid, complete, and spread over every state and severity.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, repoRoot } from "./helpers/cli.js";

const r = await cli(["validate", "--format", "json", "--no-cache"]);
const report = JSON.parse(r.stdout) as { ok: boolean; files: number; diagnostics: unknown[] };

describe("example corpus", () => {
  it("validates cleanly", async () => {
    expect(report.diagnostics).toEqual([]);
    expect(report.ok).toBe(true);
    expect(r.status).toBe(0);
  });

  const files = readdirSync(join(repoRoot, "incidents"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
    .map((e) => join(e.parentPath, e.name));
  const problems = files.filter((f) => f.includes(`${join("incidents", "problems")}`));
  const incidents = files.filter((f) => !problems.includes(f));

  it("holds at least 12 incidents and 2 problems", async () => {
    expect(incidents.length).toBeGreaterThanOrEqual(12);
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(report.files).toBe(files.length);
  });

  it("covers every state and severity, security and operational", async () => {
    const texts = incidents.map((f) => readFileSync(f, "utf8"));
    for (const s of [
      "new",
      "triaged",
      "in_progress",
      "on_hold",
      "mitigated",
      "resolved",
      "closed",
      "canceled",
    ]) {
      expect(
        texts.some((t) => new RegExp(`^status: ${s}$`, "m").test(t)),
        s,
      ).toBe(true);
    }
    for (const s of ["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]) {
      expect(
        texts.some((t) => new RegExp(`^severity: ${s}$`, "m").test(t)),
        s,
      ).toBe(true);
    }
    expect(texts.some((t) => /- sec\./.test(t) || /\[sec\./.test(t))).toBe(true);
    expect(texts.some((t) => /- ops\./.test(t) || /\[ops\./.test(t))).toBe(true);
  });

  it("starts every file with a yaml-language-server modeline", async () => {
    for (const f of files) {
      const first = readFileSync(f, "utf8").split("\n")[0];
      const schema = problems.includes(f) ? "problem" : "incident";
      expect(first, f).toBe(`# yaml-language-server: $schema=../../.incident/schemas/${schema}.schema.json`);
    }
  });

  it("prints a summary for npm start", async () => {
    const s = await cli(["validate", "--summary", "--no-cache"]);
    expect(s.status).toBe(0);
    expect(s.stdout).toMatch(/Validated \d+ files: \d+ incidents, \d+ problems/);
    expect(s.stdout).toContain("Findings: none");
  });
});
