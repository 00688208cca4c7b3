// `incident migrate`, the pure part: this release's registry agrees with the bundled schemas, the
// edits a migration returns are spliced into the text (comments, blank lines and quoting stay, and a
// splice that would change anything else is refused), and a test-only step 1 -> 2 runs as a whole.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { applyEdit, migrateText, newerFinding, removeIn, renameIn, versionOf } from "../src/migrate/apply.js";
import {
  CURRENT_SCHEMA_VERSION,
  checkRegistry,
  latestVersion,
  type Migration,
  REGISTRY,
} from "../src/migrate/registry.js";
import { V2 } from "./helpers/migrations.js";

const root = join(import.meta.dirname, "..");

describe("this release's registry", () => {
  it("is empty while schema_version 1 is the only version, and agrees with every bundled schema", () => {
    expect(REGISTRY.migrations).toEqual([]);
    expect(CURRENT_SCHEMA_VERSION).toBe(1);
    for (const name of ["incident", "problem", "config"]) {
      const schema = JSON.parse(readFileSync(join(root, `schemas/${name}.schema.json`), "utf8")) as {
        properties: { schema_version: { const: number } };
      };
      expect(schema.properties.schema_version.const, name).toBe(CURRENT_SCHEMA_VERSION);
    }
    expect(() => checkRegistry(REGISTRY)).not.toThrow();
    expect(latestVersion(V2)).toBe(2);
    expect(() => checkRegistry({ migrations: [{ ...(V2.migrations[0] as Migration), from: 2 }] })).toThrow();
  });
});

describe("reading the version", () => {
  it("reads a record's version, refuses a missing or malformed one, and takes a config without one as 1", () => {
    expect(versionOf("incident", { schema_version: 1 })).toEqual({ version: 1 });
    expect(versionOf("config", {})).toEqual({ version: 1 });
    expect(versionOf("problem", {})).toMatchObject({ finding: { code: "SCHEMA_REQUIRED", pointer: "" } });
    for (const bad of ["1", 0, 1.5, -1, null])
      expect(versionOf("incident", { schema_version: bad })).toMatchObject({
        finding: { code: "SCHEMA_TYPE", pointer: "/schema_version" },
      });
    const newer = newerFinding(3, 1, "0.2.0");
    expect(newer).toMatchObject({ code: "SCHEMA_VERSION_NEWER", pointer: "/schema_version" });
    expect(newer.message).toMatch(/incident-as-code 0\.2\.0 reads up to 1.*init --update/);
  });
});

const RECORD = `# yaml-language-server: $schema=../x.json
schema_version: 1
id: INC-2026-0001
title: 'Quoted: title'

# Why it broke.
root_cause: >-
  A folded
  cause. # not a comment
impact_assessment:
  # How many.
  summary: About 18 percent failed. # measured
  users_affected: 12000
tags: {a: 1, b: 2}
list: [x, y, z]
`;

describe("edits", () => {
  it("renames a key in place: its value, its comments and the keys around it stay", () => {
    const out = renameIn(RECORD, ["root_cause"], "cause");
    expect(out).toBe(RECORD.replace("\nroot_cause: >-", "\ncause: >-"));
    expect(() => renameIn(RECORD, ["root_cause"], "title")).toThrow(/title exists already/);
    expect(renameIn(RECORD, ["absent"], "x")).toBe(RECORD);
    expect(renameIn(RECORD, ["tags", "a"], "c")).toContain("tags: {c: 1, b: 2}");
  });

  it("removes a key with its value lines, a flow pair and a list item; the last key of a mapping leaves it empty", () => {
    const out = removeIn(RECORD, ["root_cause"]);
    expect(out).toContain("# Why it broke.\nimpact_assessment:");
    expect(out).not.toContain("cause");
    expect(removeIn(RECORD, ["impact_assessment", "summary"])).toContain(
      "impact_assessment:\n  # How many.\n  users_affected: 12000\n",
    );
    expect(removeIn(RECORD, ["tags", "a"])).toContain("tags: {b: 2}");
    expect(removeIn(RECORD, ["tags", "b"])).toContain("tags: {a: 1}");
    expect(removeIn(RECORD, ["list", 1])).toContain("list: [x, z]");
    const nested = "a:\n  b: 1\nc: 2\n";
    expect(parse(removeIn(nested, ["a", "b"]))).toEqual({ a: {}, c: 2 });
    expect(removeIn(RECORD, ["nope"])).toBe(RECORD);
  });

  it("moves a value: set at the new place, removed from the old", () => {
    const out = applyEdit(RECORD, {
      op: "move",
      path: ["impact_assessment", "summary"],
      to: ["impact_summary"],
    });
    const value = parse(out) as Record<string, unknown>;
    expect(value.impact_summary).toBe("About 18 percent failed.");
    expect(value.impact_assessment).toEqual({ users_affected: 12000 });
    expect(out.startsWith(RECORD.slice(0, RECORD.indexOf("impact_assessment:")))).toBe(true);
  });
});

describe("a step 1 -> 2", () => {
  it("renames, moves and sets schema_version, keeping every comment and the untouched bytes", () => {
    const { text, steps } = migrateText(RECORD, "incident", 1, 2, V2);
    expect(steps).toEqual([{ from: 1, to: 2, summary: V2.migrations[0]?.summary }]);
    const value = parse(text) as Record<string, unknown>;
    expect(value.schema_version).toBe(2);
    expect(value.cause).toBe("A folded cause. # not a comment");
    expect(value.root_cause).toBeUndefined();
    expect(value.impact_summary).toBe("About 18 percent failed.");
    for (const comment of ["# yaml-language-server: $schema=../x.json", "# Why it broke.", "# How many."])
      expect(text).toContain(comment);
    expect(text).toContain("title: 'Quoted: title'\n");
    expect(text.split("\n").slice(0, 2)).toEqual([
      "# yaml-language-server: $schema=../x.json",
      "schema_version: 2",
    ]);
  });

  it("is idempotent: a file at the target is returned as it is", () => {
    const once = migrateText(RECORD, "incident", 1, 2, V2).text;
    expect(migrateText(once, "incident", 2, 2, V2)).toEqual({ text: once, steps: [] });
  });

  it("adds schema_version first to a config that has none", () => {
    const config = "# mine\ntimezone: UTC\nteams: []\n";
    expect(migrateText(config, "config", 1, 2, V2).text).toBe(
      "# mine\nschema_version: 2\ntimezone: UTC\nteams: []\n",
    );
  });
});
