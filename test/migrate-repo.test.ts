// `incident migrate` over a repository: with this release's empty registry every record is current;
// a file written for a newer toolkit is refused with its position and left alone; with a test-only
// step 1 -> 2 the config and records are migrated with their comments, --dry-run prints the diff and
// writes nothing, a second run changes nothing, and a record that breaks version 2's rules once
// migrated is left byte for byte as it was.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { memoryContext } from "../src/cli/context.js";
import { runMigrate } from "../src/cli/migrate.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { UsageError } from "../src/diagnostics/errors.js";
import { migrateRepo } from "../src/usecases/migrate.js";
import { runCli, scratchRepo } from "./helpers/cli.js";
import { V2, v2Rules } from "./helpers/migrations.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(): string {
  const dir = scratchRepo();
  dirs.push(dir);
  return dir;
}

/** Every file under `dir`, with its text. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    try {
      out[rel] = readFileSync(join(dir, rel), "utf8");
    } catch {
      // A folder.
    }
  }
  return out;
}

/** The one diagnostic of `code` in `diags`, at the given place. */
function expectMigrateCode(
  diags: readonly Diagnostic[],
  code: string,
  file: string,
  line: number,
  column: number,
) {
  const found = diags.filter((d) => d.code === code);
  expect(found.map((d) => ({ file: d.file, line: d.line, column: d.column }))).toEqual([
    { file, line, column },
  ]);
}

const INC1 = "incidents/2026/INC-2026-0001.yaml";
const INC2 = "incidents/2026/INC-2026-0002.yaml";
const PRB1 = "incidents/problems/PRB-2026-0001.yaml";
const test2 = { registry: V2, rules: v2Rules };

describe("incident migrate with this release's registry", () => {
  it("says every record is current and writes nothing", async () => {
    const dir = repo();
    const before = snapshot(dir);
    const ctx = memoryContext();
    expect(await runMigrate({ dir }, ctx)).toBe(0);
    expect(ctx.stdout.text).toBe(
      "Every record is current: the config and 5 records at schema_version 1; nothing to migrate.\n",
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a record written for a newer toolkit, naming the upgrade, and leaves it alone", async () => {
    const dir = repo();
    const file = join(dir, INC2);
    writeFileSync(file, readFileSync(file, "utf8").replace("\nschema_version: 1\n", "\nschema_version: 2\n"));
    const before = snapshot(dir);
    const result = await migrateRepo({ dir });
    expectMigrateCode(result.diagnostics, "SCHEMA_VERSION_NEWER", INC2, 2, 17);
    expect(result.diagnostics).toHaveLength(1);
    const ctx = memoryContext();
    expect(await runMigrate({ dir }, ctx)).toBe(1);
    expect(ctx.stdout.text).toContain(`${INC2}:2:17 SCHEMA_VERSION_NEWER`);
    expect(ctx.stdout.text).toMatch(/upgrade: bump the incident-as-code devDependency/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a config written for a newer toolkit before touching any record", async () => {
    const dir = repo();
    const file = join(dir, "incident.config.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("\nschema_version: 1\n", "\nschema_version: 7\n"));
    const result = await migrateRepo({ dir, ...test2 });
    expectMigrateCode(result.diagnostics, "SCHEMA_VERSION_NEWER", "incident.config.yaml", 4, 17);
    expect(result.files.map((f) => f.action)).toEqual(["refused"]);
  });

  it("refuses --to beyond what the toolkit knows, with a usage error", async () => {
    const dir = repo();
    await expect(migrateRepo({ dir, to: 2 })).rejects.toThrow(UsageError);
    await expect(migrateRepo({ dir, to: 3, ...test2 })).rejects.toThrow(/schema_version 1 to 2/);
  });
});

describe("incident migrate with a step 1 -> 2", () => {
  it("--dry-run prints the diff and writes nothing; the run keeps comments; a second run changes nothing", async () => {
    const dir = repo();
    const file = join(dir, INC1);
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("\nroot_cause: >-\n", "\n# Why it broke.\nroot_cause: >-\n"),
    );
    const before = snapshot(dir);

    const dry = memoryContext();
    expect(await runMigrate({ dir, dryRun: true }, dry, test2)).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(dry.stdout.text).toContain(`${INC1}: schema_version 1 -> 2 (would migrate)`);
    expect(dry.stdout.text).toContain(`--- a/${INC1}\n+++ b/${INC1}\n`);
    expect(dry.stdout.text).toContain("\n-root_cause: >-\n+cause: >-\n");
    expect(dry.stdout.text).toContain("Dry run: nothing was written.");

    const ctx = memoryContext();
    expect(await runMigrate({ dir }, ctx, test2)).toBe(0);
    expect(ctx.stdout.text).toContain("6 migrated to schema_version 2, 0 current.");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("\n# Why it broke.\ncause: >-\n  The new payments client");
    expect(text.split("\n").slice(0, 2)).toEqual([
      "# yaml-language-server: $schema=../../../../../schemas/incident.schema.json",
      "schema_version: 2",
    ]);
    const value = parse(text) as Record<string, unknown>;
    expect(value.impact_summary).toBe(
      "About 18 percent of checkout attempts failed for 42 minutes; no orders were lost.",
    );
    expect((parse(readFileSync(join(dir, PRB1), "utf8")) as Record<string, unknown>).cause).toBeTypeOf(
      "string",
    );
    expect(readFileSync(join(dir, "incident.config.yaml"), "utf8")).toMatch(/^schema_version: 2$/m);
    // Every line that the step does not touch is as it was.
    const removed = before[INC1]?.split("\n").filter((l) => !text.split("\n").includes(l));
    expect(removed).toEqual([
      "schema_version: 1",
      "  summary: About 18 percent of checkout attempts failed for 42 minutes; no orders were lost.",
      "root_cause: >-",
    ]);

    const after = snapshot(dir);
    const again = memoryContext();
    expect(await runMigrate({ dir }, again, test2)).toBe(0);
    expect(again.stdout.text).toMatch(
      /^Every record is current: the config and 5 records at schema_version 2/,
    );
    expect(snapshot(dir)).toEqual(after);
  });

  it("leaves a record that breaks version 2's rules once migrated exactly as it was, and migrates the rest", async () => {
    const dir = repo();
    const file = join(dir, INC1);
    const long = `${"A long impact summary. ".repeat(6)}`.trim();
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "  summary: About 18 percent of checkout attempts failed for 42 minutes; no orders were lost.",
        `  summary: ${long}`,
      ),
    );
    const bytes = readFileSync(file, "utf8");
    const result = await migrateRepo({ dir, ...test2 });
    expectMigrateCode(result.diagnostics, "MIGRATION_INVALID", INC1, 2, 17);
    expect(result.diagnostics[0]?.message).toMatch(/SCHEMA_LIMIT/);
    expect(readFileSync(file, "utf8")).toBe(bytes);
    expect(result.written).toBe(5);
    expect(readFileSync(join(dir, INC2), "utf8")).toMatch(/^schema_version: 2$/m);
    const ctx = memoryContext();
    expect(await runMigrate({ dir }, ctx, test2)).toBe(1);
    expect(ctx.stdout.text).toContain(`${INC1}:2:17 MIGRATION_INVALID`);
    expect(ctx.stdout.text).toContain(
      "0 migrated to schema_version 2, 5 current, 1 refused and left as they were.",
    );
  });
});

describe("the command", () => {
  it("is registered: on the example repository every record is current (exit 0); --to 0 is a usage error", () => {
    const dir = repo();
    const r = runCli(["migrate", "-C", dir]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Every record is current/);
    expect(runCli(["migrate", "-C", dir, "--to", "0"]).status).toBe(2);
  }, 30_000);
});

describe("links among the records", () => {
  it("a record linked to a file outside the repository is refused and its target never printed", async () => {
    const dir = repo();
    const outside = mkdtempSync(join(tmpdir(), "incident-outside-"));
    dirs.push(outside);
    writeFileSync(join(outside, "s"), "TOKEN=ghp_secret\n");
    symlinkSync(join(outside, "s"), join(dir, "incidents/2026/INC-2026-0014.yaml"));
    const ctx = memoryContext();
    expect(await runMigrate({ dir, dryRun: true }, ctx)).toBe(1);
    expect(ctx.stdout.text).toContain("incidents/2026/INC-2026-0014.yaml:1:1 FILE_SYMLINK");
    expect(ctx.stdout.text).not.toContain("ghp_secret");
    expect(ctx.stdout.text).not.toContain(" | ");
  });

  it("a record linked to a FIFO is refused without blocking the run", () => {
    const dir = repo();
    const outside = mkdtempSync(join(tmpdir(), "incident-outside-"));
    dirs.push(outside);
    execFileSync("mkfifo", [join(outside, "ff")]);
    symlinkSync(join(outside, "ff"), join(dir, "incidents/2026/INC-2026-0015.yaml"));
    // A child process with a deadline: a run that blocks on the FIFO fails here instead of hanging.
    const r = runCli(["migrate", "--dry-run", "-C", dir], { timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("incidents/2026/INC-2026-0015.yaml:1:1 FILE_SYMLINK");
  }, 30_000);
});
