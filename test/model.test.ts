// Keeps the schemas, the TypeScript model types and the default config in step, and checks that
// every schema property is documented for editors.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import type { LifecycleDef } from "../src/config/types.js";
import { lifecycleForMode } from "../src/lifecycle/modes.js";
import { requirementsFor } from "../src/lifecycle/requirements.js";
import { createAjv } from "../src/schema/ajv.js";
import { effectiveSchemas } from "../src/schema/effective.js";
import { repoRoot } from "./helpers/cli.js";

type Schema = Record<string, unknown>;
const load = (name: string) =>
  JSON.parse(readFileSync(join(repoRoot, "schemas", `${name}.schema.json`), "utf8")) as Schema;
const schemas = { incident: load("incident"), problem: load("problem"), config: load("config") };

function resolve(root: Schema, s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
    const def = (root.$defs as Record<string, Schema>)[ref.slice(8)];
    if (!def) throw new Error(`unresolved ${ref}`);
    return { ...resolve(root, def), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$ref")) };
  }
  return s;
}

/** Every property schema reachable from the root, with its path. */
function walkProperties(root: Schema): Array<[string, Schema]> {
  const out: Array<[string, Schema]> = [];
  const visit = (s: Schema, path: string, depth: number) => {
    if (depth > 12) return;
    const r = resolve(root, s);
    for (const [k, v] of Object.entries((r.properties as Record<string, Schema>) ?? {})) {
      out.push([`${path}.${k}`, v]);
      visit(v, `${path}.${k}`, depth + 1);
    }
    if (r.items && typeof r.items === "object") visit(r.items as Schema, `${path}[]`, depth + 1);
    for (const key of ["additionalProperties"] as const) {
      if (r[key] && typeof r[key] === "object") visit(r[key] as Schema, `${path}.*`, depth + 1);
    }
  };
  visit(root, "", 0);
  return out;
}

describe("schemas", () => {
  it.each(Object.keys(schemas))("%s compiles in strict mode", (name) => {
    expect(() => createAjv().compile(schemas[name as keyof typeof schemas])).not.toThrow();
  });

  it.each(Object.keys(schemas))("%s documents every property with title and description", (name) => {
    const props = walkProperties(schemas[name as keyof typeof schemas]);
    expect(props.length).toBeGreaterThan(20);
    for (const [path, s] of props) {
      const r = resolve(schemas[name as keyof typeof schemas], s);
      expect(typeof r.title, `${name}${path} title`).toBe("string");
      expect(typeof r.description, `${name}${path} description`).toBe("string");
      if (Array.isArray(r.enum)) {
        expect(r.enumDescriptions, `${name}${path} enumDescriptions`).toHaveLength(r.enum.length);
      }
      if (r.type === "string")
        expect(
          typeof r.maxLength === "number" || r.enum || r.format || r.const,
          `${name}${path} maxLength`,
        ).toBeTruthy();
      if (r.type === "array") expect(typeof r.maxItems, `${name}${path} maxItems`).toBe("number");
    }
  });

  it("share identical definitions between incident and problem", () => {
    const a = schemas.incident.$defs as Record<string, unknown>;
    const b = schemas.problem.$defs as Record<string, unknown>;
    for (const key of ["actionItem", "externalRef", "dateTime", "handle"])
      expect(b[key], key).toEqual(a[key]);
  });

  it.each([
    ["incident", defaultConfig.lifecycle, undefined],
    ["incident", defaultConfig.lifecycle, "retrospective"],
    ["problem", defaultConfig.problem_lifecycle, undefined],
  ] as const)(
    "%s if/then requirements of the effective schema equal the default lifecycle (mode %s)",
    (name, live: LifecycleDef, mode) => {
      const lifecycle = mode === undefined ? live : lifecycleForMode(live, mode);
      const effective = effectiveSchemas(schemas, defaultConfig)[name];
      // A state's block is conditioned on the status alone, or on the status and the mode: the
      // live block excludes the modes with rules of their own, a mode's block names its mode.
      const blocks = ((effective.allOf as Schema[]) ?? [])
        .map((b) => resolve(effective, b))
        .filter((b) => {
          const cond = (b.if as Schema | undefined)?.properties as Record<string, Schema> | undefined;
          if (!cond?.status || !Object.keys(cond).every((k) => k === "status" || k === "mode")) return false;
          const m = cond.mode;
          return mode === undefined ? m === undefined || m.not !== undefined : m?.const === mode;
        });
      for (const state of lifecycle.states) {
        const applicable = blocks.filter((b) => {
          const status = ((b.if as Schema).properties as Record<string, Schema>).status as Schema;
          return ((status.enum as string[] | undefined) ?? [status.const]).includes(state.id);
        });
        const required = new Set<string>();
        for (const b of applicable) {
          const then = b.then as Schema;
          for (const k of (then.required as string[]) ?? []) required.add(k);
          for (const [k, v] of Object.entries((then.properties as Record<string, Schema>) ?? {})) {
            for (const sub of (v.required as string[]) ?? []) required.add(`${k}.${sub}`);
          }
        }
        const expected = new Set(requirementsFor(lifecycle, state.id).map((r) => r.path));
        // A nested requirement also makes its parent required.
        for (const p of expected) if (p.includes(".")) expected.add(p.split(".")[0] as string);
        expect([...required].sort(), state.id).toEqual([...expected].sort());
      }
    },
  );
});

describe("model types", () => {
  const program = ts.createProgram([join(repoRoot, "src/model/types.ts")], { strict: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(repoRoot, "src/model/types.ts"));
  const typeOf = (name: string) => {
    let found: ts.Type | undefined;
    source?.forEachChild((n) => {
      if ((ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) && n.name.text === name)
        found = checker.getTypeAtLocation(n.name);
    });
    if (!found) throw new Error(name);
    return found;
  };

  /** Property names of a TS type and of a schema object must match, recursively. */
  function compare(t: ts.Type, s: Schema, root: Schema, path: string, diffs: string[]) {
    const r = resolve(root, s);
    let type = checker.getNonNullableType(t);
    if (checker.isArrayType(type)) type = checker.getTypeArguments(type as ts.TypeReference)[0] as ts.Type;
    if (r.type === "array" && r.items) return compare(type, r.items as Schema, root, `${path}[]`, diffs);
    const schemaProps = r.properties as Record<string, Schema> | undefined;
    if (!schemaProps || !(type.flags & ts.TypeFlags.Object)) return;
    const tsProps = type
      .getProperties()
      .map((p) => p.name)
      .filter((n) => !n.startsWith("x-"));
    const a = [...tsProps].sort().join(",");
    const b = Object.keys(schemaProps).sort().join(",");
    if (a !== b) diffs.push(`${path || "(root)"}: types [${a}] vs schema [${b}]`);
    for (const p of type.getProperties()) {
      const sub = schemaProps[p.name];
      if (sub) compare(checker.getTypeOfSymbol(p), sub, root, `${path}.${p.name}`, diffs);
    }
  }

  it.each([
    ["Incident", "incident"],
    ["Problem", "problem"],
  ] as const)("%s matches its schema field for field", (typeName, schemaName) => {
    const diffs: string[] = [];
    compare(typeOf(typeName), schemas[schemaName], schemas[schemaName], "", diffs);
    expect(diffs).toEqual([]);
  });
});
