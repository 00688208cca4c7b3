// Worker threads give the same report as the main thread, on a generated corpus with mistakes.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCorpus } from "../bench/generate.js";
import { runCli } from "./helpers/cli.js";

describe("worker threads", () => {
  it("report exactly what the main thread reports", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-workers-"));
    await generateCorpus(dir, 450, 42);
    const first = join(dir, "incidents/2025/INC-2025-0001.yaml");
    const second = join(dir, "incidents/2026/INC-2026-0001.yaml");
    writeFileSync(first, readFileSync(first, "utf8").replace(/^severity: SEV\d$/m, "severity: SEV9"));
    writeFileSync(second, `${readFileSync(second, "utf8")}x-a: &a 1\nx-b: *a\n`);
    const single = runCli(["validate", "-C", dir, "--format", "json", "--no-cache", "--jobs", "1"]);
    const pooled = runCli(["validate", "-C", dir, "--format", "json", "--no-cache", "--jobs", "2"]);
    expect(single.status).toBe(1);
    expect(pooled.status).toBe(1);
    expect(pooled.stdout).toBe(single.stdout);
    const report = JSON.parse(single.stdout) as { files: number; diagnostics: Array<{ code: string }> };
    expect(report.files).toBeGreaterThan(450);
    expect(report.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(["UNKNOWN_SEVERITY", "YAML_ANCHOR"]),
    );
  });
});
