// `incident schema --write/--check`, SCHEMA_STALE in `incident validate`, the validator cache outside
// the repository, and `--at` judging a commit by the bundled schemas plus that commit's config.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const track = (d: string) => {
  dirs.push(d);
  return d;
};
const scratch = () => track(scratchRepo());
const cacheDir = track(mkdtempSync(join(tmpdir(), "incident-schema-cache-")));
const env = { INCIDENT_CACHE_DIR: cacheDir };

interface JsonReport {
  diagnostics: Array<{ code: string; file: string; line: number; column: number; message: string }>;
}
const validateJson = async (dir: string) => {
  const r = await cli(["validate", "-C", dir, "--format", "json", "--no-cache"], { env });
  return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
};
const SEV7 =
  "\nseverities:\n  - id: SEV7\n    name: Seven\n    description: Made up for the test.\n    major: false\n    postmortem: { required: false }\n";

describe("incident schema", () => {
  it("this repository's .incident/schemas are current (npm test keeps them fresh)", async () => {
    const r = await cli(["schema", "--check", "-C", repoRoot], { env });
    expect(r.stdout + r.stderr).toContain("up to date");
    expect(r.status).toBe(0);
  });

  it("--write writes the three files, --check passes, a config change makes them stale until written again", async () => {
    const dir = scratch();
    const w = await cli(["schema", "--write", "-C", dir], { env });
    expect(w.status).toBe(0);
    expect(readdirSync(join(dir, ".incident/schemas")).sort()).toEqual([
      "config.schema.json",
      "incident.schema.json",
      "problem.schema.json",
    ]);
    expect((await cli(["schema", "--check", "-C", dir], { env })).status).toBe(0);
    expect((await validateJson(dir)).report.diagnostics).toEqual([]);

    writeFileSync(
      join(dir, "incident.config.yaml"),
      readFileSync(join(dir, "incident.config.yaml"), "utf8") + SEV7,
    );
    const check = await cli(["schema", "--check", "-C", dir], { env });
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("SCHEMA_STALE");
    const v = await validateJson(dir);
    expect(v.status).toBe(1);
    // Only the incident schema knows the severities (the config schema offers them in approvals).
    expect(v.report.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([
      ["SCHEMA_STALE", ".incident/schemas/config.schema.json", 1, 1],
      ["SCHEMA_STALE", ".incident/schemas/incident.schema.json", 1, 1],
    ]);
    expect(v.report.diagnostics[0]?.message).toContain("incident schema --write");

    expect((await cli(["schema", "--write", "-C", dir], { env })).status).toBe(0);
    expect((await cli(["schema", "--check", "-C", dir], { env })).status).toBe(0);
    const schema = JSON.parse(readFileSync(join(dir, ".incident/schemas/incident.schema.json"), "utf8"));
    expect(schema.properties.severity.enum).toContain("SEV7");
  });

  it("a repository without .incident/schemas gets no SCHEMA_STALE from validate (opt-in by writing them)", async () => {
    const dir = scratch();
    expect(existsSync(join(dir, ".incident"))).toBe(false);
    expect((await validateJson(dir)).report.diagnostics).toEqual([]);
    expect((await cli(["schema", "--check", "-C", dir], { env })).status).toBe(1);
  });

  it("refuses to write through a symbolic link, and validate does not follow one", async () => {
    const dir = scratch();
    const elsewhere = track(mkdtempSync(join(tmpdir(), "incident-elsewhere-")));
    mkdirSync(join(dir, ".incident"));
    symlinkSync(elsewhere, join(dir, ".incident/schemas"));
    const w = await cli(["schema", "--write", "-C", dir], { env });
    expect(w.status).toBe(2);
    expect(readdirSync(elsewhere)).toEqual([]);
    const v = await validateJson(dir);
    expect(v.stderr).toBe("");
    expect(new Set(v.report.diagnostics.map((d) => d.code))).toEqual(new Set(["SCHEMA_STALE"]));
  });

  it("needs exactly one of --write and --check, and a config without errors", async () => {
    const dir = scratch();
    expect((await cli(["schema", "-C", dir], { env })).status).toBe(2);
    writeFileSync(join(dir, "incident.config.yaml"), "schema_version: 1\ncategories:\n  - id: ops.new\n");
    const r = await cli(["schema", "--write", "-C", dir], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("SCHEMA_REQUIRED");
    expect(existsSync(join(dir, ".incident/schemas"))).toBe(false);
  });
});

// In a child process each: a process keeps the validators it compiled, so only a new one reads the
// cache folder again.
describe("the validator cache", () => {
  it("is filled outside the repository, and a corrupted entry is not trusted but rebuilt", () => {
    const dir = scratch();
    const own = track(mkdtempSync(join(tmpdir(), "incident-own-cache-")));
    const first = runCli(["validate", "-C", dir, "--no-cache"], { env: { INCIDENT_CACHE_DIR: own } });
    expect(first.status).toBe(0);
    const files = readdirSync(join(own, "validators")).filter((f) => f.endsWith(".cjs"));
    expect(files.length).toBeGreaterThan(0);
    expect(readdirSync(dir)).not.toContain(".incident");
    // Corrupt every entry: one keeps a valid-looking header, one is cut short, one runs code.
    files.forEach((f, i) => {
      const path = join(own, "validators", f);
      const text = readFileSync(path, "utf8");
      const bad = [
        text.replace(/\n[\s\S]*$/, "\nmodule.exports.default = () => true;"),
        text.slice(0, text.length / 2),
        'throw new Error("boom")',
      ][i % 3] as string;
      writeFileSync(path, bad);
    });
    // An invalid record must still be caught: a validator that accepts everything is never loaded.
    writeFileSync(
      join(dir, "incidents/2026/INC-2026-0003.yaml"),
      readFileSync(join(dir, "incidents/2026/INC-2026-0003.yaml"), "utf8").replace(
        /^status: new$/m,
        "status: paused",
      ),
    );
    const second = runCli(["validate", "-C", dir, "--no-cache", "--format", "json"], {
      env: { INCIDENT_CACHE_DIR: own },
    });
    expect(second.stderr).toBe("");
    const codes = (JSON.parse(second.stdout) as JsonReport).diagnostics.map((d) => d.code);
    expect(codes).toContain("SCHEMA_ENUM");
    for (const f of files)
      expect(readFileSync(join(own, "validators", f), "utf8")).toMatch(
        /^\/\/ key:[0-9a-f]{64} sha256:[0-9a-f]{64}\n/,
      );
  });
});

describe("the validator cache folder", () => {
  it("is not used when others can write to it, even with entries whose hashes check out", () => {
    const dir = scratch();
    const own = track(mkdtempSync(join(tmpdir(), "incident-open-cache-")));
    expect(runCli(["validate", "-C", dir, "--no-cache"], { env: { INCIDENT_CACHE_DIR: own } }).status).toBe(
      0,
    );
    const folder = join(own, "validators");
    // Entries that accept everything, with a correct key and hash: only the folder's mode is wrong.
    for (const f of readdirSync(folder).filter((n) => n.endsWith(".cjs"))) {
      const key = f.replace(/\.cjs$/, "");
      const code = "module.exports.default = () => true;";
      const hash = createHash("sha256").update(code).digest("hex");
      writeFileSync(join(folder, f), `// key:${key} sha256:${hash}\n${code}`);
    }
    chmodSync(folder, 0o777);
    writeFileSync(
      join(dir, "incidents/2026/INC-2026-0003.yaml"),
      readFileSync(join(dir, "incidents/2026/INC-2026-0003.yaml"), "utf8").replace(
        /^status: new$/m,
        "status: paused",
      ),
    );
    const r = runCli(["validate", "-C", dir, "--no-cache", "--format", "json"], {
      env: { INCIDENT_CACHE_DIR: own },
    });
    expect((JSON.parse(r.stdout) as JsonReport).diagnostics.map((d) => d.code)).toContain("SCHEMA_ENUM");
  });
});

describe("--at reads a commit's config, never its schema files", () => {
  it("a committed schema with a catastrophic pattern is not used: list --at reads the records", () => {
    const dir = scratch();
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: dir,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.com",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.com",
        },
      });
    git("init", "-q", "-b", "main");
    mkdirSync(join(dir, "schemas"));
    const evil = JSON.parse(readFileSync(join(repoRoot, "schemas/incident.schema.json"), "utf8"));
    evil.properties.title.pattern = "^(a+)+$";
    evil.properties.title.maxLength = 100000;
    writeFileSync(join(dir, "schemas/incident.schema.json"), JSON.stringify(evil));
    writeFileSync(
      join(dir, "incident.config.yaml"),
      `${readFileSync(join(dir, "incident.config.yaml"), "utf8")}\npaths:\n  schemas: schemas\n`,
    );
    git("add", ".");
    git("commit", "-q", "-m", "evil schema");
    const r = runCli(["list", "--at", "HEAD", "-C", dir, "--format", "json"], { env, timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("INC-2026-0001");
  });
});
