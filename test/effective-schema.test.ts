// The effective schema of a config is what every command judges records by: `incident validate` and
// the loader behind list, stats, render, site and remind accept exactly the same records, whatever
// the config relaxes or tightens (a property test over generated configs), and every schema error
// the semantic checks speak for is reported by them under its code.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { defaultConfig } from "../src/config/defaults.js";
import { configFromSources } from "../src/config/load.js";
import { mergeConfig } from "../src/config/merge.js";
import { requirementsFor } from "../src/lifecycle/requirements.js";
import { createAjv } from "../src/schema/ajv.js";
import { effectiveSchemas, effectiveSchemaTexts, semanticCodeFor } from "../src/schema/effective.js";
import { schemaFindings } from "../src/schema/errors.js";
import { bundledSchemas } from "../src/schema/load.js";
import { loadRecords } from "../src/usecases/loadRecords.js";
import { validateRepo } from "../src/usecases/validateRepo.js";
import { checkIncident, checkProblem } from "../src/validate/semantic.js";
import { repoRoot } from "./helpers/cli.js";

const fixtureRepo = join(repoRoot, "test/fixtures/repo");
const INC1 = "incidents/2026/INC-2026-0001.yaml";
const scratchDirs: string[] = [];
let savedCacheDir: string | undefined;

beforeAll(() => {
  savedCacheDir = process.env.INCIDENT_CACHE_DIR;
  process.env.INCIDENT_CACHE_DIR = mkdtempSync(join(tmpdir(), "incident-validators-"));
  scratchDirs.push(process.env.INCIDENT_CACHE_DIR);
});

afterAll(() => {
  if (savedCacheDir === undefined) delete process.env.INCIDENT_CACHE_DIR;
  else process.env.INCIDENT_CACHE_DIR = savedCacheDir;
  for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "incident-effective-"));
  scratchDirs.push(dir);
  cpSync(fixtureRepo, dir, { recursive: true });
  return dir;
}

const appendConfig = (dir: string, yaml: string) =>
  writeFileSync(
    join(dir, "incident.config.yaml"),
    `${readFileSync(join(dir, "incident.config.yaml"), "utf8")}\n${yaml}`,
  );

function editRecord(dir: string, file: string, edit: (v: Record<string, unknown>) => void): void {
  const value = parseYaml(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
  edit(value);
  writeFileSync(join(dir, file), stringify(value, { lineWidth: 0 }));
}

/** Per file: validate's own findings for it (cross-file findings excluded: the loader does not do them). */
async function validateByFile(dir: string) {
  const report = await validateRepo({ dir, cache: false, jobs: 1 });
  const configErrors = report.diagnostics.some((d) => d.file === "incident.config.yaml");
  const byFile = new Map(report.results.map((r) => [r.file, r.diagnostics]));
  return { report, configErrors, byFile };
}

describe("B1: a config that relaxes or tightens `requires`", () => {
  it("relaxed: a closed incident without impact_assessment passes validate and list/stats read it", async () => {
    const dir = scratch();
    appendConfig(dir, "lifecycle:\n  states:\n    - id: closed\n      requires: [timestamps.closed_at]\n");
    editRecord(dir, INC1, (v) => {
      delete v.impact_assessment;
    });
    const { report } = await validateByFile(dir);
    expect(report.diagnostics).toEqual([]);
    const set = await loadRecords({ dir });
    expect(set.invalid).toEqual([]);
    expect(set.incidents.map((i) => i.id)).toContain("INC-2026-0001");
  });

  it("tightened: validate reports STATE_REQUIRED and list/stats skip the record with that finding", async () => {
    const dir = scratch();
    appendConfig(
      dir,
      "lifecycle:\n  states:\n    - id: closed\n      requires: [timestamps.closed_at, impact_assessment, review.document]\n",
    );
    editRecord(dir, INC1, (v) => {
      delete (v.review as Record<string, unknown>).document;
    });
    const { report } = await validateByFile(dir);
    const codes = report.diagnostics.map((d) => [d.file, d.code, d.pointer]);
    expect(codes).toEqual([[INC1, "STATE_REQUIRED", "/review/document"]]);
    const set = await loadRecords({ dir });
    expect(set.incidents.map((i) => i.id)).not.toContain("INC-2026-0001");
    expect(set.invalid.map((d) => [d.file, d.code, d.line, d.column])).toEqual(
      report.diagnostics.map((d) => [d.file, d.code, d.line, d.column]),
    );
  });
});

describe("effective schemas", () => {
  const base = bundledSchemas();

  it("are plain data: the same config gives the same bytes, and the base schemas stay untouched", () => {
    const before = JSON.stringify(base);
    const a = effectiveSchemaTexts(base, defaultConfig);
    const b = effectiveSchemaTexts(base, structuredClone(defaultConfig));
    expect(a).toEqual(b);
    expect(JSON.stringify(base)).toBe(before);
  });

  it("compile in strict mode and offer the configured catalogs with descriptions", () => {
    const config = mergeConfig({
      severities: [
        { id: "SEV7", name: "Seven", description: "Made up.", major: false, postmortem: { required: true } },
      ],
      services: [{ id: "svc", name: "Service", description: "A service." }],
      people: [{ handle: "ann", name: "Ann" }],
    });
    const s = effectiveSchemas(base, config);
    for (const name of ["incident", "problem", "config"] as const)
      expect(() => createAjv().compile(s[name])).not.toThrow();
    const severity = (s.incident.properties as Record<string, Record<string, unknown>>).severity as Record<
      string,
      unknown
    >;
    expect(severity.enum).toEqual([...defaultConfig.severities.map((x) => x.id), "SEV7"]);
    expect((severity.enumDescriptions as string[]).at(-1)).toContain("Made up.");
    expect(String(severity.markdownDescription)).toContain("`SEV7`");
    const defs = s.problem.$defs as Record<string, Record<string, unknown>>;
    expect(defs.handle?.enum).toEqual(["ann"]);
    expect(defs.serviceId?.enum).toEqual(["svc"]);
  });

  it("require per state exactly what the lifecycle code requires (generated lifecycles)", () => {
    const paths = [
      "summary",
      "severity",
      "timestamps.closed_at",
      "roles.incident_commander",
      "resolution",
      "summary.text",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.subarray(paths), { minLength: 8, maxLength: 8 }),
        fc.array(
          fc.option(fc.constantFrom(...defaultConfig.lifecycle.states.map((s) => s.id)), { nil: undefined }),
          {
            minLength: 8,
            maxLength: 8,
          },
        ),
        (requires, inherits) => {
          const config = structuredClone(defaultConfig);
          config.lifecycle.states.forEach((s, i) => {
            s.requires = requires[i] ?? [];
            const parent = inherits[i];
            if (parent !== undefined && parent !== s.id) s.inherits = parent;
          });
          const validate = createAjv().compile(effectiveSchemas(base, config).incident);
          for (const state of config.lifecycle.states) {
            const expected = requirementsFor(config.lifecycle, state.id).map((r) => r.path);
            validate({ status: state.id });
            const missing = (validate.errors ?? [])
              .filter((e) => semanticCodeFor(e.schemaPath) === "STATE_REQUIRED" && e.keyword === "required")
              .map(
                (e) =>
                  `${e.instancePath.slice(1).replaceAll("/", ".")}${e.instancePath ? "." : ""}${e.params.missingProperty}`,
              );
            // Only top-level keys are missing from an empty record: nested paths show as their first key.
            expect(new Set(missing)).toEqual(new Set(expected.map((p) => p.split(".")[0])));
          }
        },
      ),
      { seed: 20261205, numRuns: 40 },
    );
  });
});

describe("a config in the editor's schema that validate used to pass", () => {
  it("a new category without a description is reported (SCHEMA_REQUIRED)", async () => {
    const loaded = await configFromSources(
      Buffer.from("schema_version: 1\ncategories:\n  - id: ops.weird\n    name: Weird\n"),
    );
    expect(loaded.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ["SCHEMA_REQUIRED", "/categories/0/description"],
    ]);
    expect(loaded.diagnostics[0]?.line).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: validate accepts a record exactly when the loader reads it, over generated configs.

const STATES = defaultConfig.lifecycle.states.map((s) => s.id);
const PROBLEM_STATES = defaultConfig.problem_lifecycle.states.map((s) => s.id);
const INCIDENT_PATHS = [
  "summary",
  "severity",
  "impact_assessment",
  "resolution",
  "root_cause",
  "services",
  "detection",
  "review.document",
  "timestamps.mitigated_at",
  "timestamps.closed_at",
  "roles.incident_commander",
  "roles.scribe",
  "summary.text",
];
const PROBLEM_PATHS = [
  "owner",
  "root_cause",
  "workaround",
  "fix",
  "incident_refs",
  "summary",
  "timestamps.known_error_at",
];
const RECORD_FILES = [
  "incidents/2026/INC-2026-0001.yaml",
  "incidents/2026/INC-2026-0002.yaml",
  "incidents/2026/INC-2026-0003.yaml",
  "incidents/2026/INC-2026-0004.yaml",
  "incidents/problems/PRB-2026-0001.yaml",
];

const stateOverride = (ids: string[], pool: string[]) =>
  fc.record(
    {
      id: fc.constantFrom(...ids, "paused"), // "paused" is no state: the config is refused
      requires: fc.subarray(pool),
      inherits: fc.option(fc.constantFrom(...ids), { nil: undefined }),
    },
    { requiredKeys: ["id", "requires"] },
  );

const configArb = fc.record({
  states: fc.uniqueArray(stateOverride(STATES, INCIDENT_PATHS), { maxLength: 4, selector: (s) => s.id }),
  problemStates: fc.uniqueArray(stateOverride(PROBLEM_STATES, PROBLEM_PATHS), {
    maxLength: 3,
    selector: (s) => s.id,
  }),
  severities: fc.uniqueArray(
    fc.record({ id: fc.constantFrom("SEV0", "SEV2", "SEV3", "SEV6", "SEV9"), pm: fc.boolean() }),
    { maxLength: 3, selector: (s) => s.id },
  ),
});

const recordEdit = fc.record({
  file: fc.constantFrom(...RECORD_FILES),
  status: fc.option(fc.constantFrom(...STATES, ...PROBLEM_STATES), { nil: undefined }),
  severity: fc.option(fc.constantFrom("SEV0", "SEV1", "SEV3", "SEV6", "SEV9"), { nil: undefined }),
  drop: fc.option(
    fc.constantFrom(
      "summary",
      "impact_assessment",
      "resolution",
      "root_cause",
      "owner",
      "workaround",
      "review",
      "roles",
    ),
    {
      nil: undefined,
    },
  ),
});

type GenConfig = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function configYaml(c: GenConfig): string {
  const out: Record<string, unknown> = {};
  const states = (list: typeof c.states) =>
    list.map((s) => ({
      id: s.id,
      requires: s.requires,
      ...(s.inherits && s.inherits !== s.id ? { inherits: s.inherits } : {}),
    }));
  if (c.states.length > 0) out.lifecycle = { states: states(c.states) };
  if (c.problemStates.length > 0) out.problem_lifecycle = { states: states(c.problemStates) };
  if (c.severities.length > 0)
    out.severities = c.severities.map((s) => ({
      id: s.id,
      name: `Level ${s.id}`,
      description: `Generated ${s.id}.`,
      major: s.pm,
      postmortem: { required: s.pm },
    }));
  return Object.keys(out).length > 0 ? stringify(out) : "";
}

describe("validate and the loader accept the same records (generated configs)", () => {
  it("every record validate accepts is read by loadRecords, and the reverse", async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(recordEdit, { maxLength: 4 }), async (c, edits) => {
        const dir = scratch();
        try {
          appendConfig(dir, configYaml(c));
          for (const e of edits) {
            editRecord(dir, e.file, (v) => {
              if (e.status) v.status = e.status;
              if (e.severity && e.file.includes("INC-")) v.severity = e.severity;
              if (e.drop) delete v[e.drop];
            });
          }
          const { configErrors, byFile } = await validateByFile(dir);
          const set = await loadRecords({ dir });
          const read = new Set(set.paths.values());
          for (const file of RECORD_FILES) {
            const accepted = !configErrors && (byFile.get(file) ?? []).length === 0;
            expect(read.has(file), `${file}: ${JSON.stringify(byFile.get(file))}`).toBe(accepted);
          }
          // Every schema error a semantic check speaks for comes with that check's finding.
          const loaded = await configFromSources(readFileSync(join(dir, "incident.config.yaml")));
          for (const file of RECORD_FILES) {
            const kind = file.includes("/problems/") ? "problem" : "incident";
            const value = parseYaml(readFileSync(join(dir, file), "utf8"));
            const validate = loaded.validators[kind];
            if (validate(value)) continue;
            const semantic = (kind === "incident" ? checkIncident : checkProblem)(value, {
              config: loaded.config,
              file,
            }).findings.map((f) => f.code);
            for (const e of validate.errors ?? []) {
              const code = semanticCodeFor(e.schemaPath);
              if (code) expect(semantic, `${file} ${e.schemaPath}`).toContain(code);
            }
            // And a record the schema rejects always has a finding in validate.
            expect(schemaFindings(validate.errors).length + semantic.length).toBeGreaterThan(0);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: 4242, numRuns: 25 },
    );
  }, 240_000);
});
