// `incident export --format veris` on a repository: JSON Lines on stdout or one file per incident,
// the TLP ceiling, notes for skipped incidents, exit statuses, and every record valid VERIS 1.4.1.

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { memoryContext } from "../src/cli/context.js";
import { type ExportCliOptions, runExport } from "../src/cli/export.js";
import { repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(
  JSON.parse(readFileSync(join(repoRoot, "test/fixtures/veris-1.4.1/verisc-merged.json"), "utf8")) as object,
);
function expectValid(record: unknown): void {
  expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function repo(): string {
  const dir = scratchRepo();
  dirs.push(dir);
  return dir;
}

async function exportIn(dir: string, ids: string[], opts: Partial<ExportCliOptions> = {}) {
  const ctx = memoryContext({ cwd: dir });
  const code = await runExport(ids, { dir: ".", format: "veris", ...opts }, ctx);
  const lines = ctx.stdout.text.split("\n").filter((l) => l !== "");
  return {
    code,
    stderr: ctx.stderr.text,
    records: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("incident export --format veris", () => {
  const dir = repo();

  it("prints one VERIS record per security incident within the ceiling, as JSON Lines", async () => {
    const r = await exportIn(dir, [], { maxTlp: "amber" });
    expect(r.code).toBe(0);
    expect(r.records.map((x) => x.incident_id)).toEqual(["INC-2026-0002"]);
    for (const x of r.records) expectValid(x);
    expect(r.records[0]).toMatchObject({
      reference: "incidents/2026/INC-2026-0002.yaml",
      source_id: "incident-as-code",
      security_incident: "Suspected",
      discovery_method: { internal: { variety: ["Other"] } },
    });
    expect(r.stderr).toContain("skipped 3 incident(s) without a sec.* category");
  });

  it("withholds incidents above the TLP ceiling, clear by default", async () => {
    const r = await exportIn(dir, []);
    expect(r.code).toBe(0);
    expect(r.records).toEqual([]);
    expect(r.stderr).toMatch(/withheld 2 incident\(s\) marked above TLP:CLEAR: INC-2026-0001, INC-2026-0002/);
  });

  it("named incidents: a note for each one that is not a security incident; an unknown id is exit 1", async () => {
    const r = await exportIn(dir, ["INC-2026-0001", "INC-2026-0002"], { maxTlp: "red", sourceId: "acme" });
    expect(r.records.map((x) => [x.incident_id, x.source_id])).toEqual([["INC-2026-0002", "acme"]]);
    expect(r.stderr).toContain("skipped INC-2026-0001: no sec.* category");
    await expect(exportIn(dir, ["INC-2026-0999"])).rejects.toMatchObject({ exitCode: 1 });
  });

  it("--out writes <id>.json, pretty, and never through a link", async () => {
    const r = await exportIn(dir, [], { maxTlp: "amber", out: "veris" });
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, "veris"))).toEqual(["INC-2026-0002.json"]);
    const text = readFileSync(join(dir, "veris/INC-2026-0002.json"), "utf8");
    expect(text).toMatch(/^\{\n {2}"schema_version": "1\.4\.1",/);
    expectValid(JSON.parse(text));

    const linked = repo();
    mkdirSync(join(linked, "elsewhere"));
    mkdirSync(join(linked, "out"));
    symlinkSync(join(linked, "elsewhere/target.json"), join(linked, "out/INC-2026-0002.json"));
    await expect(exportIn(linked, [], { maxTlp: "amber", out: "out" })).rejects.toMatchObject({
      exitCode: 1,
    });
    expect(existsSync(join(linked, "elsewhere/target.json"))).toBe(false);
  });

  it("--out with nothing to export still makes the folder it names, empty", async () => {
    const at = repo();
    // An operational incident: skipped, so nothing is written.
    const r = await exportIn(at, ["INC-2026-0001"], { maxTlp: "amber", out: "out/veris" });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("skipped INC-2026-0001: no sec.* category");
    expect(r.stderr).toContain("wrote 0 VERIS record(s) to out/veris");
    expect(readdirSync(join(at, "out/veris"))).toEqual([]);
  });

  it("--out at a file, or under one, is a clean error naming it (exit 1); under /proc it ends", async () => {
    const at = repo();
    writeFileSync(join(at, "taken"), "mine\n");
    for (const out of ["taken", "taken/sub"]) {
      const err = await exportIn(at, [], { maxTlp: "amber", out }).then(
        () => undefined,
        (e: unknown) => e as { exitCode?: number; message: string },
      );
      expect(err?.exitCode).toBe(1);
      expect(err?.message).toContain(join(at, "taken"));
      expect(err?.message).not.toMatch(/EEXIST|ENOTDIR/);
    }
    expect(readFileSync(join(at, "taken"), "utf8")).toBe("mine\n");
    // A child process with a deadline: Node's recursive mkdir never returns on this path.
    if (existsSync("/proc/self")) {
      const r = runCli(
        ["export", "-C", at, "-f", "veris", "--max-tlp", "amber", "-o", "/proc/self/nonexist/x"],
        {
          timeout: 20_000,
        },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("/proc/self/nonexist");
    }
  }, 30_000);

  it("an invalid record is left out with its position, exit 1", async () => {
    const broken = repo();
    writeFileSync(
      join(broken, "incidents/2026/INC-2026-0003.yaml"),
      "schema_version: 1\nid: INC-2026-0003\n",
    );
    const r = await exportIn(broken, [], { maxTlp: "amber" });
    expect(r.code).toBe(1);
    expect(r.records.map((x) => x.incident_id)).toEqual(["INC-2026-0002"]);
    expect(r.stderr).toMatch(/incidents\/2026\/INC-2026-0003\.yaml:\d+:\d+ [A-Z_]+ /);
  });

  it("the example corpus: every security incident exports and validates", async () => {
    const r = await exportIn(repoRoot, [], { maxTlp: "red" });
    expect(r.code).toBe(0);
    expect(r.records.length).toBeGreaterThanOrEqual(5);
    for (const x of r.records) expectValid(x);
  });
});

describe("incident export --format stix", () => {
  const dir = repo();
  it("prints one STIX 2.1 bundle per security incident, marked with its TLP", async () => {
    const r = await exportIn(dir, [], { maxTlp: "amber", format: "stix" });
    expect(r.code).toBe(0);
    expect(r.records).toHaveLength(1);
    const bundle = r.records[0] as { type: string; objects: Array<{ type: string; name?: string }> };
    expect(bundle.type).toBe("bundle");
    expect(bundle.objects.map((o) => o.type).slice(0, 2)).toEqual(["marking-definition", "incident"]);
    expect(bundle.objects[0]?.name).toBe("TLP:AMBER");
    const out = await exportIn(dir, ["INC-2026-0002"], { maxTlp: "amber", format: "stix", out: "stix" });
    expect(out.stderr).toContain("wrote 1 STIX bundle(s) to stix");
    expect(JSON.parse(readFileSync(join(dir, "stix/INC-2026-0002.json"), "utf8"))).toEqual(bundle);
  });
});

describe("through the command line", () => {
  const dir = repo();
  it("--format is required and must be veris or stix; the exit statuses", () => {
    expect(runCli(["export", "-C", dir]).status).toBe(2);
    expect(runCli(["export", "--format", "misp", "-C", dir]).status).toBe(2);
    expect(runCli(["export", "--format", "veris", "--max-tlp", "purple", "-C", dir]).status).toBe(2);
    const ok = runCli(["export", "--format", "veris", "--max-tlp", "amber", "-C", dir]);
    expect(ok.status).toBe(0);
    expectValid(JSON.parse(ok.stdout));
    const missing = runCli(["export", "--format", "veris", "INC-2026-0999", "-C", dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
