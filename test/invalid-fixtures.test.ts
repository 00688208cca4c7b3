// One invalid file per diagnostic code: each fixture in test/fixtures/invalid is a copy of a valid record
// (or the config) of test/fixtures/repo with exactly one mistake. It is written into a scratch copy of
// that repository and `incident validate` must report exactly that code, at the line and column an
// engineer would look at (determined by hand and kept in cases.json), and nothing else.

import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES } from "../src/diagnostics/codes.js";
import { cli, repoRoot, scratchRepo } from "./helpers/cli.js";

interface Expected {
  code: string;
  /** Relative to the repository root; any file when absent. */
  file?: string;
  line?: number;
  column?: number;
}

interface Case {
  /** Where the fixture goes in the scratch repository (it replaces a file that is there). */
  path: string;
  code: string;
  line: number;
  column: number;
  /** Further findings the mistake legitimately causes: a code, or a code at a place. */
  also?: Array<string | Expected>;
  /** A known product bug this case exposes; the test is then expected to fail until it is fixed. */
  bug?: string;
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  pointer: string;
}

interface JsonReport {
  ok: boolean;
  files: number;
  diagnostics: JsonDiagnostic[];
}

const fixtures = join(repoRoot, "test/fixtures/invalid");
const cases = JSON.parse(readFileSync(join(fixtures, "cases.json"), "utf8")) as Record<string, Case>;

/** Codes that cannot be expressed as one text file; test/hostile.test.ts covers them. */
const NOT_AS_TEXT = [
  "FILE_UNREADABLE",
  "FILE_TOO_LARGE",
  "FILE_NOT_TEXT",
  "FILE_BOM",
  "FILE_CRLF",
  "FILE_SYMLINK",
  "PATH_OUTSIDE_REPO",
  "TOO_MANY_FINDINGS",
  "TRANSITION_FORBIDDEN",
  "INCIDENT_FROZEN",
  "REOPEN_WINDOW_EXPIRED",
  "UNKNOWN_STATE",
  "TRANSITION_SKIPPED",
  "STATUS_UNRECORDED",
  "FIELD_IMMUTABLE",
  "MODE_IMMUTABLE",
  "TIMELINE_REWRITTEN",
  "INCIDENT_DELETED",
  "INCIDENT_RENAMED",
  "ID_COLLISION",
  "UNSAFE_PATH",
  "APPROVAL_MISSING",
  "PROTECTED_CHANGE",
  "PARSER_DISAGREEMENT",
  "BASE_UNRESOLVED",
  "BASE_INVALID",
  "INTERNAL_ERROR",
  "REGULATORY_REPORT_MISSING",
  "REGULATORY_UNDETERMINED",
  "REGULATORY_REWRITTEN",
  // Reported by `incident migrate`, not `validate`; test/migrate-repo.test.ts covers them.
  "SCHEMA_VERSION_NEWER",
  "MIGRATION_INVALID",
];

function matches(d: JsonDiagnostic, e: Expected): boolean {
  return (
    d.code === e.code &&
    (e.file === undefined || d.file === e.file) &&
    (e.line === undefined || d.line === e.line) &&
    (e.column === undefined || d.column === e.column)
  );
}

async function validateWith(
  name: string,
  c: Case,
): Promise<{ status: number | null; report: JsonReport; stderr: string }> {
  const dir = scratchRepo();
  const dest = join(dir, c.path);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(join(fixtures, name), dest);
  try {
    const r = await cli(["validate", "-C", dir, "--format", "json", "--no-cache"]);
    return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("invalid fixtures", () => {
  it("has a cases.json entry for every fixture file and a fixture file for every entry", () => {
    const names = Object.keys(cases).sort();
    const files = readdirSync(fixtures).filter((f) => f !== "cases.json");
    expect(names).toEqual(files.sort());
    for (const name of names) expect(Object.hasOwn(CODES, cases[name]?.code ?? ""), name).toBe(true);
    expect(names.length).toBeGreaterThan(30);
  });

  for (const [name, c] of Object.entries(cases)) {
    const test = c.bug ? it.fails : it;
    test(`${name}: reports ${c.code} at ${c.path}:${c.line}:${c.column}${c.bug ? " (known bug, see cases.json)" : ""}`, async () => {
      const { status, report, stderr } = await validateWith(name, c);
      expect(stderr).toBe("");
      expect(status).toBe(1);
      expect(report.ok).toBe(false);
      const here = report.diagnostics.filter((d) => d.code === c.code && d.file === c.path);
      expect(here, JSON.stringify(report.diagnostics, null, 2)).toHaveLength(1);
      expect({ file: here[0]?.file, line: here[0]?.line, column: here[0]?.column }).toEqual({
        file: c.path,
        line: c.line,
        column: c.column,
      });
      // Nothing else is reported, except the findings the case lists as legitimate side effects.
      const also = (c.also ?? []).map((a): Expected => (typeof a === "string" ? { code: a } : a));
      const rest = report.diagnostics.filter((d) => d !== here[0]);
      const unmatched = [...rest];
      for (const e of also) {
        const i = unmatched.findIndex((d) => matches(d, e));
        expect(
          i,
          `expected also ${JSON.stringify(e)} in ${JSON.stringify(rest, null, 2)}`,
        ).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched, "unexpected further findings").toEqual([]);
      for (const d of report.diagnostics) expect(d.severity).toBe("error");
    });
  }

  it("covers every code except INTERNAL_ERROR with a fixture or a hostile-input case", () => {
    const hostile = readFileSync(join(repoRoot, "test/hostile.test.ts"), "utf8");
    const covered = new Set<string>(Object.values(cases).map((c) => c.code));
    for (const m of hostile.matchAll(/expectFinding\(\s*[\w.]+,\s*"([A-Z_]+)"/g)) covered.add(m[1] as string);
    // Transition codes come from the lifecycle module, which test/transition.test.ts covers.
    const transition = readFileSync(join(repoRoot, "test/transition.test.ts"), "utf8");
    for (const m of transition.matchAll(/\["([A-Z_]+)"\]/g)) covered.add(m[1] as string);
    // Pull-request codes come from `incident check`, which test/check.test.ts covers scenario by scenario.
    const check = ["test/check.test.ts", "test/judge-scenarios.test.ts", "test/modes.test.ts"]
      .map((f) => readFileSync(join(repoRoot, f), "utf8"))
      .join("\n");
    for (const m of check.matchAll(/expectCode\([^,]+,\s*"([A-Z_]+)"/g)) covered.add(m[1] as string);
    // The pure judge of a pull request is tested in-process, rule by rule.
    const judge = readFileSync(join(repoRoot, "test/judge.test.ts"), "utf8");
    for (const m of judge.matchAll(/expectJudged\([^,]+,\s*"([A-Z_]+)"/g)) covered.add(m[1] as string);
    // The regulatory rules of a pull request are pure functions, tested in-process.
    const regulatory = readFileSync(join(repoRoot, "test/regulatory.test.ts"), "utf8");
    for (const m of regulatory.matchAll(/expectRegulatory\([^,]+,\s*"([A-Z_]+)"/g))
      covered.add(m[1] as string);
    // The refusals of `incident migrate`, tested over scratch repositories.
    const migrate = readFileSync(join(repoRoot, "test/migrate-repo.test.ts"), "utf8");
    for (const m of migrate.matchAll(/expectMigrateCode\([^,]+,\s*"([A-Z_]+)"/g)) covered.add(m[1] as string);
    // Import codes speak of import inputs, not records: test/import*.test.ts covers each one.
    const imports = ["test/import.test.ts", "test/import-adapters.test.ts"]
      .map((f) => readFileSync(join(repoRoot, f), "utf8"))
      .join("\n");
    for (const m of imports.matchAll(/expectImport\([\s\S]*?"(IMPORT_[A-Z_]+)"/g))
      covered.add(m[1] as string);
    const missing = Object.keys(CODES).filter((code) => code !== "INTERNAL_ERROR" && !covered.has(code));
    expect(missing).toEqual([]);
    // Every code that can be written as a text file has its own fixture.
    const asText = Object.keys(CODES).filter(
      (code) => !NOT_AS_TEXT.includes(code) && !code.startsWith("IMPORT_"),
    );
    const fixtureCodes = new Set(Object.values(cases).map((c) => c.code));
    expect(asText.filter((code) => !fixtureCodes.has(code))).toEqual([]);
  });
});
