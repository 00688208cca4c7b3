// Schema findings for keys a schema refuses by name (`propertyNames`): one finding per bad key, at
// that key's own line and column, its pointer naming it, never on a valid sibling, in the config
// (modes, state ids under a mode's `requires`) and in records alike.

import { describe, expect, it } from "vitest";
import { configFromSources } from "../src/config/load.js";
import { createAjv } from "../src/schema/ajv.js";
import { schemaFindings } from "../src/schema/errors.js";
import { bundledSchemas } from "../src/schema/load.js";
import { locateFinding } from "../src/validate/file.js";
import { parseYamlDocument } from "../src/yaml/parse.js";

async function configDiagnostics(yaml: string) {
  const loaded = await configFromSources(Buffer.from(yaml, "utf8"));
  return loaded.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => ({ code: d.code, line: d.line, column: d.column, pointer: d.pointer }));
}

describe("a config key refused by name", () => {
  it("a mode that is not one: one SCHEMA_ENUM at the bad key, none on the valid first key", async () => {
    const yaml = [
      "schema_version: 1",
      "lifecycle:",
      "  modes:",
      "    test:",
      "      requires:",
      "        new: [title]",
      "    standard:",
      "      requires:",
      "        new: [title]",
      "",
    ].join("\n");
    expect(await configDiagnostics(yaml)).toEqual([
      { code: "SCHEMA_ENUM", line: 7, column: 5, pointer: "/lifecycle/modes/standard" },
    ]);
  });

  it("a state id that is not one under a mode's requires: one SCHEMA_ENUM at that key", async () => {
    const yaml = [
      "schema_version: 1",
      "lifecycle:",
      "  modes:",
      "    retrospective:",
      "      requires:",
      "        resolved: [title]",
      "        bogus: [title]",
      "",
    ].join("\n");
    expect(await configDiagnostics(yaml)).toEqual([
      {
        code: "SCHEMA_ENUM",
        line: 7,
        column: 9,
        pointer: "/lifecycle/modes/retrospective/requires/bogus",
      },
    ]);
  });

  it("two bad keys: one finding each, in the order of the file", async () => {
    const yaml = [
      "schema_version: 1",
      "lifecycle:",
      "  modes:",
      "    standard: {}",
      "    gameday: {}",
      "    other: {}",
      "",
    ].join("\n");
    expect((await configDiagnostics(yaml)).map((d) => [d.code, d.line, d.column, d.pointer])).toEqual([
      ["SCHEMA_ENUM", 4, 5, "/lifecycle/modes/standard"],
      ["SCHEMA_ENUM", 6, 5, "/lifecycle/modes/other"],
    ]);
  });
});

describe("a record key refused by name", () => {
  const validate = createAjv().compile(bundledSchemas().incident);
  const record = [
    "schema_version: 1",
    "regulatory:",
    "  triggers:",
    "    aware:",
    "      at: 2026-04-14T10:00:00Z",
    "      by: lucas.moreau",
    "      evidence: SIEM case 8812.",
    "    Not A Trigger:",
    "      at: 2026-04-14T10:00:00Z",
    "      by: lucas.moreau",
    "      evidence: SIEM case 8813.",
    '    "":',
    "      at: 2026-04-14T10:00:00Z",
    "      by: lucas.moreau",
    "      evidence: SIEM case 8814.",
    "",
  ].join("\n");

  it("a trigger id breaking its pattern, and an empty one: one finding each, at the key", () => {
    const parsed = parseYamlDocument(record);
    validate(parsed.value);
    const findings = schemaFindings(validate.errors).filter((f) => f.pointer.startsWith("/regulatory"));
    const at = findings.map((f) => locateFinding(f, "incidents/2026/INC-2026-0001.yaml", parsed));
    expect(at.map((d) => [d.code, d.line, d.column, d.pointer])).toEqual([
      ["SCHEMA_PATTERN", 8, 5, "/regulatory/triggers/Not A Trigger"],
      // minLength and pattern both fail: one finding, not two.
      ["SCHEMA_INVALID", 12, 5, "/regulatory/triggers/"],
    ]);
  });

  it("a key with a slash or a tilde is escaped in the pointer and still found", () => {
    const schema = {
      type: "object",
      propertyNames: { maxLength: 3 },
      additionalProperties: { type: "string" },
    };
    const check = createAjv().compile(schema);
    const text = "ok: a\nx/y~z: b\n";
    const parsed = parseYamlDocument(text);
    check(parsed.value);
    const found = schemaFindings(check.errors).map((f) => locateFinding(f, "f.yaml", parsed));
    expect(found.map((d) => [d.code, d.line, d.column, d.pointer])).toEqual([
      ["SCHEMA_LIMIT", 2, 1, "/x~1y~0z"],
    ]);
  });
});
