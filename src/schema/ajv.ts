// The one ajv configuration: draft 2020-12, strict, all errors, formats, and the editor-only
// annotation keywords our schemas carry for VS Code.

import type { Options } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export const SCHEMA_NAMES = ["incident", "problem", "config"] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

export function createAjv(extra: Options = {}): Ajv2020.default {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true, ...extra });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: "enumDescriptions", schemaType: "array" });
  ajv.addKeyword({ keyword: "markdownDescription", schemaType: "string" });
  return ajv;
}
