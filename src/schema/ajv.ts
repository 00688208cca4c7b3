// The one ajv configuration: draft 2020-12, strict, all errors, formats, and the editor-only
// annotation keywords our schemas carry for VS Code.

import type { FormatDefinition, Options } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { isInstant } from "../lifecycle/time.js";

export const SCHEMA_NAMES = ["incident", "problem", "config"] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/**
 * `date-time` is exactly what the rules can compute (`parseInstant`): ajv-formats also accepts
 * `+00`, `+0000`, a space separator and `23:59:60`, which Date.parse and the lifecycle rules cannot
 * read, so a record could validate and then slip past every time rule.
 */
export const DATE_TIME_FORMAT: FormatDefinition<string> = { type: "string", validate: isInstant };

export function createAjv(extra: Options = {}): Ajv2020.default {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true, ...extra });
  addFormats.default(ajv);
  ajv.addFormat("date-time", DATE_TIME_FORMAT);
  ajv.addKeyword({ keyword: "enumDescriptions", schemaType: "array" });
  ajv.addKeyword({ keyword: "markdownDescription", schemaType: "string" });
  return ajv;
}
