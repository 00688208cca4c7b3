// Loads the validators for a repository's schemas. When the repository's schema files are the ones
// this build compiled (same sha256), the precompiled standalone validators are used; otherwise the
// repository's own schemas are compiled at run time.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import { SCHEMA_NAMES, type SchemaName } from "./ajv.js";

export interface ValidateFn {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export interface Validators {
  incident: ValidateFn;
  problem: ValidateFn;
  config: ValidateFn;
  /** Changes whenever any schema changes: part of the result cache key. */
  fingerprint: string;
}

const bundledDir = new URL("../../schemas/", import.meta.url);
const compiledDir = new URL("../../dist/schemas/", import.meta.url);
const require = createRequire(import.meta.url);

export function bundledSchemaText(name: SchemaName): string {
  return readFileSync(new URL(`${name}.schema.json`, bundledDir), "utf8");
}

/** Schema texts from `dir` (a repository's schemas folder), falling back to the bundled ones. */
export function readSchemaTexts(dir: string | undefined): Record<SchemaName, string> {
  const out = {} as Record<SchemaName, string>;
  for (const name of SCHEMA_NAMES) {
    const file = dir ? `${dir}/${name}.schema.json` : undefined;
    out[name] = file && existsSync(file) ? readFileSync(file, "utf8") : bundledSchemaText(name);
  }
  return out;
}

export async function loadValidators(texts: Record<SchemaName, string>): Promise<Validators> {
  const hashes = Object.fromEntries(
    SCHEMA_NAMES.map((n) => [n, createHash("sha256").update(texts[n]).digest("hex")]),
  ) as Record<SchemaName, string>;
  const fingerprint = createHash("sha256")
    .update(SCHEMA_NAMES.map((n) => hashes[n]).join(":"))
    .digest("hex");
  const manifest = readManifest();
  const fns = {} as Record<SchemaName, ValidateFn>;
  let ajv: import("ajv").default | undefined;
  for (const name of SCHEMA_NAMES) {
    if (manifest?.[name] === hashes[name]) {
      const mod = require(fileURLToPath(new URL(`${name}.cjs`, compiledDir))) as { default: ValidateFn };
      fns[name] = mod.default;
    } else {
      if (!ajv) ajv = (await import("./ajv.js")).createAjv();
      fns[name] = ajv.compile(JSON.parse(texts[name])) as ValidateFn;
    }
  }
  return { ...fns, fingerprint };
}

function readManifest(): Record<string, string> | undefined {
  try {
    return JSON.parse(readFileSync(new URL("manifest.json", compiledDir), "utf8")) as Record<string, string>;
  } catch {
    return undefined;
  }
}
