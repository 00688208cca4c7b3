// Where records live: `<incidents>/<year of the id>/<id>.yaml` and `<problems>/<id>.yaml`. The pure
// verdict (checkRecordPath) and `incident validate` on a repository with records in the wrong places,
// folders named like records and links of any name.

import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import type { Config } from "../src/config/types.js";
import { checkRecordPath } from "../src/validate/placement.js";
import { cli, scratchRepo } from "./helpers/cli.js";

const code = (path: string, config: Config = defaultConfig) => {
  const r = checkRecordPath(path, config);
  return "code" in r ? r.code : r;
};

describe("checkRecordPath", () => {
  it("accepts incidents in the year folder of their id and problems in the problems folder", async () => {
    expect(checkRecordPath("incidents/2026/INC-2026-0001.yaml", defaultConfig)).toEqual({
      kind: "incident",
      id: "INC-2026-0001",
    });
    expect(checkRecordPath("incidents/2025/INC-2025-12345.yaml", defaultConfig)).toEqual({
      kind: "incident",
      id: "INC-2025-12345",
    });
    expect(checkRecordPath("incidents/problems/PRB-2025-0002.yaml", defaultConfig)).toEqual({
      kind: "problem",
      id: "PRB-2025-0002",
    });
  });

  it.each([
    "incidents/INC-2026-0001.yaml",
    "incidents/misc/INC-2026-0001.yaml",
    "incidents/2026/archive/INC-2026-0001.yaml",
    "incidents/2026/INC-2026-0001.yml",
    "incidents/2026/INC-2026-0001.YAML",
    "incidents/26/INC-2026-0001.yaml",
    "incidents/2026/INC-2026-0001.yaml/x.yaml",
    "incidents/2026/PRB-2026-0001.yaml",
    "incidents/problems/INC-2026-0001.yaml",
    "incidents/problems/2025/PRB-2025-0001.yaml",
    "incidents/problems/PRB-2025-0001.yml",
    "Incidents/2026/INC-2026-0001.yaml",
    "docs/INC-2026-0001.yaml",
    "INC-2026-0001.yaml",
  ])("%s is RECORD_MISPLACED", (path) => {
    expect(code(path)).toBe("RECORD_MISPLACED");
  });

  it("names the path where the record belongs when the file name is an id", async () => {
    const r = checkRecordPath("incidents/misc/INC-2026-0001.yml", defaultConfig);
    expect("message" in r && r.message).toContain("`incidents/2026/INC-2026-0001.yaml`");
    const p = checkRecordPath("incidents/2026/PRB-2026-0001.yaml", defaultConfig);
    expect("message" in p && p.message).toContain("`incidents/problems/PRB-2026-0001.yaml`");
  });

  it("answers with the per-file judge's codes where the folder is right and the name or year is not", async () => {
    expect(code("incidents/2025/INC-2026-0001.yaml")).toBe("FILE_LOCATION");
    expect(code("incidents/2026/INC-2026-042.yaml")).toBe("ID_PATTERN");
    expect(code("incidents/2026/notes.yaml")).toBe("ID_PATTERN");
    expect(code("incidents/problems/PRB-25-1.yaml")).toBe("ID_PATTERN");
  });

  it("follows the configured folders and id patterns", async () => {
    const config: Config = {
      ...defaultConfig,
      ids: { incident: { prefix: "SEC", digits: 3 }, problem: { prefix: "P", digits: 2 } },
      paths: { ...defaultConfig.paths, incidents: "./records/incidents/", problems: "records/problems" },
    };
    expect(checkRecordPath("records/incidents/2024/SEC-2024-007.yaml", config)).toEqual({
      kind: "incident",
      id: "SEC-2024-007",
    });
    expect(checkRecordPath("records/problems/P-2024-01.yaml", config)).toEqual({
      kind: "problem",
      id: "P-2024-01",
    });
    expect(code("incidents/2024/SEC-2024-007.yaml", config)).toBe("RECORD_MISPLACED");
    expect(code("records/incidents/SEC-2024-007.yaml", config)).toBe("RECORD_MISPLACED");
    expect(code("records/incidents/2024/INC-2024-0007.yaml", config)).toBe("ID_PATTERN");
  });

  it("escapes a hostile path in its message", async () => {
    const r = checkRecordPath("incidents/x\n::warning::y.yaml", defaultConfig);
    expect("message" in r && r.message).not.toContain("\n");
  });
});

describe("incident validate reports misplaced records and links of any name", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("finds each misplaced file once, at 1:1, and refuses every link", async () => {
    const dir = scratchRepo();
    dirs.push(dir);
    const record = readFileSync(join(dir, "incidents/2026/INC-2026-0004.yaml"), "utf8");
    const withId = (id: string) => record.replaceAll("INC-2026-0004", id);
    const put = (rel: string, text: string) => {
      mkdirSync(join(dir, rel, ".."), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    put("incidents/INC-2026-0050.yaml", withId("INC-2026-0050"));
    put("incidents/misc/INC-2026-0051.yaml", withId("INC-2026-0051"));
    put("incidents/2026/INC-2026-0052.yml", withId("INC-2026-0052"));
    put("incidents/2026/INC-2026-0053.YAML", withId("INC-2026-0053"));
    put("incidents/2025/INC-2026-0054.yaml", withId("INC-2026-0054"));
    mkdirSync(join(dir, "incidents/2026/INC-2026-0055.yaml"));
    put("incidents/2026/INC-2026-0004.md", "# postmortem\n");
    symlinkSync("INC-2026-0004.md", join(dir, "incidents/2026/INC-2026-0056.md"));
    symlinkSync("/etc/hostname", join(dir, "incidents/2026/notes.txt"));
    const r = await cli(["validate", "-C", dir, "--format", "json", "--no-cache"]);
    expect(r.status).toBe(1);
    const found = (
      JSON.parse(r.stdout) as { diagnostics: Array<{ code: string; file: string; line: number }> }
    ).diagnostics;
    const by = (c: string) =>
      found
        .filter((d) => d.code === c)
        .map((d) => d.file)
        .sort();
    expect(by("RECORD_MISPLACED")).toEqual([
      "incidents/2026/INC-2026-0052.yml",
      "incidents/2026/INC-2026-0053.YAML",
      "incidents/2026/INC-2026-0055.yaml",
      "incidents/INC-2026-0050.yaml",
      "incidents/misc/INC-2026-0051.yaml",
    ]);
    for (const d of found.filter((x) => x.code === "RECORD_MISPLACED")) expect(d.line).toBe(1);
    // The wrong year folder is the per-file judge's FILE_LOCATION, reported once.
    expect(by("FILE_LOCATION")).toEqual(["incidents/2025/INC-2026-0054.yaml"]);
    expect(by("FILE_SYMLINK")).toEqual(["incidents/2026/INC-2026-0056.md", "incidents/2026/notes.txt"]);
    // Nothing else: the misplaced copies are valid records apart from where they are.
    expect(
      found.filter((d) => !["RECORD_MISPLACED", "FILE_LOCATION", "FILE_SYMLINK"].includes(d.code)),
    ).toEqual([]);
  });

  it("prints no line of a link's target in the text format's code frame", async () => {
    const dir = scratchRepo();
    dirs.push(dir);
    writeFileSync(join(dir, "secret.txt"), "TOP-SECRET-LINE\n");
    symlinkSync(join(dir, "secret.txt"), join(dir, "incidents/2026/INC-2026-0099.yaml"));
    const r = await cli(["validate", "-C", dir, "--no-cache"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FILE_SYMLINK");
    expect(r.stdout).not.toContain("TOP-SECRET-LINE");
  });
});
