// The editor and `incident validate` agree: a real yaml-language-server (the server behind VS Code's
// YAML extension), spoken to over LSP JSON-RPC on stdio as VS Code does, reads the effective schemas
// that `incident schema --write` puts in .incident/schemas/ through the modeline `incident new`
// writes. Over a small set of records: no file the editor marks in error passes validate, every
// schema finding of validate is shown by the editor, and completion at `severity:` offers the
// configured severities with their descriptions.

import type { ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedConfig, loadRepoConfig } from "../src/config/load.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { SCHEMA_NAMES } from "../src/schema/ajv.js";
import { semanticCodeFor } from "../src/schema/effective.js";
import { validateRecordBytes } from "../src/validate/file.js";
import { repoRoot } from "./helpers/cli.js";
import { type LspClient, type LspDiagnostic, startYamlServer } from "./helpers/lsp.js";

let dir: string;
let server: ChildProcess;
let client: LspClient;
let loaded: LoadedConfig;
let version = 0;

const MODELINE = (kind: string) =>
  `# yaml-language-server: $schema=../../.incident/schemas/${kind}.schema.json`;
const PROBLEM_MODELINE = "# yaml-language-server: $schema=../../.incident/schemas/problem.schema.json";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "incident-lsp-"));
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  // A config with a severity of its own, whose postmortem is required, and a relaxed closed state.
  writeFileSync(
    join(dir, "incident.config.yaml"),
    `${readFileSync(join(dir, "incident.config.yaml"), "utf8")}
severities:
  - id: SEV7
    name: Vendor outage
    description: A third party we depend on is down; we can only wait and inform.
    major: false
    postmortem: { required: true }
lifecycle:
  states:
    - id: closed
      requires: [timestamps.closed_at]
`,
  );
  loaded = await loadRepoConfig(dir);
  expect(loaded.diagnostics).toEqual([]);
  // What `incident schema --write` writes.
  mkdirSync(join(dir, ".incident/schemas"), { recursive: true });
  for (const name of SCHEMA_NAMES)
    writeFileSync(join(dir, `.incident/schemas/${name}.schema.json`), loaded.schemaTexts[name]);

  ({ client, server } = await startYamlServer(dir));
}, 60_000);

afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Opens `text` as a new document next to `file` (the modeline is relative; a name of its own keeps
 * one document's diagnostics, including the empty ones on close, apart from another's).
 */
async function openInEditor(file: string, text: string): Promise<{ uri: string; errors: LspDiagnostic[] }> {
  const uri = pathToFileURL(join(dir, file.replace(/[^/]*$/, `case-${++version}.yaml`))).href;
  const published = client.diagnosticsFor(uri);
  client.notify("textDocument/didOpen", {
    textDocument: { uri, languageId: "yaml", version: ++version, text },
  });
  const diagnostics = await published;
  client.notify("textDocument/didClose", { textDocument: { uri } });
  // 1 = Error: what the editor underlines in red.
  return { uri, errors: diagnostics.filter((d) => (d.severity ?? 1) === 1) };
}

function validate(file: string, text: string): Diagnostic[] {
  const kind = file.includes("/problems/") ? "problem" : "incident";
  return validateRecordBytes(file, kind, Buffer.from(text), {
    config: loaded.config,
    validators: loaded.validators,
  }).diagnostics;
}

/** Findings the schema expresses: the SCHEMA_* codes and the semantic codes of schema rules and enums. */
const SCHEMA_EXPRESSED = new Set([
  "STATE_REQUIRED",
  "POSTMORTEM_REQUIRED",
  "SECURITY_REQUIRED",
  "DUPLICATE_TARGET_REQUIRED",
  "UNKNOWN_SEVERITY",
  "UNKNOWN_CATEGORY",
  "UNKNOWN_SERVICE",
  "UNKNOWN_PERSON",
]);
const schemaExpressed = (d: Diagnostic) => d.code.startsWith("SCHEMA_") || SCHEMA_EXPRESSED.has(d.code);

const INC1 = "incidents/2026/INC-2026-0001.yaml";
const INC2 = "incidents/2026/INC-2026-0002.yaml";
const INC3 = "incidents/2026/INC-2026-0003.yaml";
const INC4 = "incidents/2026/INC-2026-0004.yaml";
const PRB1 = "incidents/problems/PRB-2026-0001.yaml";

const original = (file: string) => {
  const text = readFileSync(join(repoRoot, "test/fixtures/repo", file), "utf8");
  const first = file.includes("/problems/") ? PROBLEM_MODELINE : MODELINE("incident");
  return text.replace(/^# yaml-language-server: .*$/m, first);
};
const edit = (file: string, from: RegExp | string, to: string) => {
  const text = original(file);
  const out = text.replace(from, to);
  if (out === text) throw new Error(`fixture edit did not apply: ${file} ${String(from)}`);
  return out;
};

/** [name, file, text]: the valid records and one mistake each, schema-expressed or not. */
const CASES: Array<[string, string, () => string]> = [
  ["valid closed incident", INC1, () => original(INC1)],
  ["valid in-progress incident", INC2, () => original(INC2)],
  ["valid new incident", INC3, () => original(INC3)],
  ["valid canceled duplicate", INC4, () => original(INC4)],
  ["valid problem", PRB1, () => original(PRB1)],
  [
    "closed without impact_assessment (relaxed by the config)",
    INC1,
    () => edit(INC1, /^impact_assessment:/m, "x-impact_assessment:"),
  ],
  ["unknown severity", INC2, () => edit(INC2, /^severity: .*$/m, "severity: SEV9")],
  ["configured severity SEV7", INC2, () => edit(INC2, /^severity: .*$/m, "severity: SEV7")],
  [
    "closed SEV7 without a postmortem",
    INC1,
    () => edit(INC1, /^severity: .*$/m, "severity: SEV7").replace(/^root_cause:/m, "x-root_cause:"),
  ],
  ["unknown category", INC2, () => edit(INC2, /^categories: .*$/m, "categories: [ops.nope]")],
  ["unknown service", INC2, () => edit(INC2, /^services: .*$/m, "services: [no-such-service]")],
  [
    "unknown person",
    INC1,
    () => edit(INC1, /incident_commander: tomas\.novak/, "incident_commander: nobody"),
  ],
  ["unknown field", INC3, () => `${original(INC3)}foo: 1\n`],
  ["unknown status", INC3, () => edit(INC3, /^status: .*$/m, "status: paused")],
  ["wrong type", INC2, () => edit(INC2, /^impact: .*$/m, "impact: 3")],
  ["title too long", INC3, () => edit(INC3, /^title: .*$/m, `title: ${"x".repeat(201)}`)],
  ["bad date-time", INC3, () => edit(INC3, /detected_at: \S+/, "detected_at: 2026-13-45T10:02:00Z")],
  ["triaged without a severity", INC3, () => edit(INC3, /^status: new$/m, "status: triaged")],
  ["duplicate without its target", INC4, () => edit(INC4, /^related:\n( {2}.*\n)+/m, "")],
  ["problem at known_error without a workaround", PRB1, () => edit(PRB1, /^workaround:/m, "x-workaround:")],
];

describe("yaml-language-server and incident validate agree", () => {
  for (const [name, file, text] of CASES) {
    it(name, async () => {
      const t = text();
      const { errors } = await openInEditor(file, t);
      const findings = validate(file, t);
      // Nothing the editor underlines passes validate.
      if (errors.length > 0) expect(findings, JSON.stringify(errors)).not.toEqual([]);
      // Every schema finding of validate is underlined in the editor, on its line (a missing key: on the
      // mapping that lacks it, or anywhere when the editor names the missing property).
      for (const f of findings.filter(schemaExpressed)) {
        const missing = f.pointer.split("/").at(-1) ?? "";
        const shown = errors.some(
          (e) =>
            (e.range.start.line <= f.line - 1 && f.line - 1 <= e.range.end.line) ||
            e.message.includes(`"${missing}"`),
        );
        expect(shown, `${f.code} ${f.line}:${f.column} ${f.pointer} not in ${JSON.stringify(errors)}`).toBe(
          true,
        );
      }
    }, 30_000);
  }

  it("lists the configured severities, with their descriptions, for completion at `severity:`", async () => {
    const text = edit(INC2, /^severity: .*$/m, "severity: ");
    const uri = pathToFileURL(join(dir, `incidents/2026/completion-${++version}.yaml`)).href;
    const published = client.diagnosticsFor(uri);
    client.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "yaml", version: ++version, text },
    });
    await published;
    const line = text.split("\n").findIndex((l) => l.startsWith("severity:"));
    const result = await client.request<{ items: Array<{ label: string; documentation?: unknown }> }>(
      "textDocument/completion",
      { textDocument: { uri }, position: { line, character: "severity: ".length } },
    );
    client.notify("textDocument/didClose", { textDocument: { uri } });
    const items = Array.isArray(result) ? result : result.items;
    const docOf = (label: string) => {
      const d = items.find((i) => i.label === label)?.documentation;
      return typeof d === "string" ? d : String((d as { value?: string } | undefined)?.value ?? "");
    };
    for (const s of loaded.config.severities) {
      expect(items.map((i) => i.label)).toContain(s.id);
      expect(docOf(s.id)).toContain(s.description);
    }
    expect(docOf("SEV7")).toContain("A third party we depend on is down");
  }, 30_000);
});

// Keeps the import of semanticCodeFor honest: the codes listed above are the ones schema rules use.
it("lists every semantic code a schema rule or enum can stand for", () => {
  for (const path of [
    "#/properties/severity/enum",
    "#/$defs/categoryId/enum",
    "#/$defs/serviceId/enum",
    "#/$defs/handle/enum",
    "#/$defs/rule.STATE_REQUIRED.closed/then/required",
    "#/$defs/rule.POSTMORTEM_REQUIRED/then/required",
    "#/$defs/rule.SECURITY_REQUIRED/then/required",
    "#/$defs/rule.DUPLICATE_TARGET_REQUIRED/then/required",
  ])
    expect(SCHEMA_EXPRESSED.has(semanticCodeFor(path) ?? "")).toBe(true);
});
