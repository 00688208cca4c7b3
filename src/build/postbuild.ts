// Build step after tsc: compiles schemas/*.schema.json into standalone ajv validators under
// dist/schemas, so a validate run loads a ready validator (~7 ms) instead of compiling the schema
// (~250 ms) every time; and marks the CLI entry executable for `npx incident`.

import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import standaloneCode from "ajv/dist/standalone/index.js";
import { createAjv, SCHEMA_NAMES } from "../schema/ajv.js";

const root = new URL("../../", import.meta.url);
const out = new URL("dist/schemas/", root);
mkdirSync(out, { recursive: true });
const manifest: Record<string, string> = {};
for (const name of SCHEMA_NAMES) {
  const text = readFileSync(new URL(`schemas/${name}.schema.json`, root), "utf8");
  manifest[name] = createHash("sha256").update(text).digest("hex");
  const ajv = createAjv({ code: { source: true, esm: false } });
  const validate = ajv.compile(JSON.parse(text));
  writeFileSync(new URL(`${name}.cjs`, out), standaloneCode.default(ajv, validate));
}
writeFileSync(new URL("manifest.json", out), `${JSON.stringify(manifest, null, 2)}\n`);
chmodSync(new URL("dist/cli/main.js", root), 0o755);
