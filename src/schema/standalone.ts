// Compiles a schema text into a validator plus its ajv standalone source (CommonJS), for the
// validator cache outside the repository. The source is written as if it lived in dist/schemas next
// to the build's bundled validators: it requires the build's formats.cjs there when the build made
// one (our own `date-time`), exactly as those validators do.

import { existsSync } from "node:fs";
import { _ } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { createAjv } from "./ajv.js";
import type { ValidateFn } from "./load.js";

/** Where the build puts its standalone validators; cached validator code resolves `require` from here. */
export const compiledDir = new URL("../../dist/schemas/", import.meta.url);

export function compileStandalone(schemaText: string): { validate: ValidateFn; code: string } {
  const formats = existsSync(new URL("formats.cjs", compiledDir)) ? _`require("./formats.cjs")` : undefined;
  const ajv = createAjv({ code: { source: true, esm: false, ...(formats ? { formats } : {}) } });
  const validate = ajv.compile(JSON.parse(schemaText)) as ValidateFn;
  return { validate, code: standaloneCode.default(ajv, validate as never) };
}
