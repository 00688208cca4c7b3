// Loads validators for schema texts (the effective schemas of a repository's config). The bundled
// schemas come precompiled with the build (dist/schemas); any other schema is compiled once and its
// standalone code kept in a cache outside the repository, keyed by the sha256 of the schema, the
// toolkit version and the ajv set-up, so the next run loads it in milliseconds. A cache file is
// trusted only when its content matches the hash recorded in its first line.

import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
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
/** Cached validator code resolves `require` as the build's validators in dist/schemas do. */
const requireCompiled = createRequire(new URL("cached.cjs", compiledDir));

const sha256 = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");

export function bundledSchemaText(name: SchemaName): string {
  return readFileSync(new URL(`${name}.schema.json`, bundledDir), "utf8");
}

export function bundledSchemaTexts(): Record<SchemaName, string> {
  return Object.fromEntries(SCHEMA_NAMES.map((n) => [n, bundledSchemaText(n)])) as Record<SchemaName, string>;
}

let bundled: Record<SchemaName, Record<string, unknown>> | undefined;
/** The bundled base schemas, parsed (read once per process; callers must not change them). */
export function bundledSchemas(): Record<SchemaName, Record<string, unknown>> {
  bundled ??= Object.fromEntries(SCHEMA_NAMES.map((n) => [n, JSON.parse(bundledSchemaText(n))])) as Record<
    SchemaName,
    Record<string, unknown>
  >;
  return bundled;
}

/** Schema texts from `dir` (a folder of schema files), falling back to the bundled ones. */
export function readSchemaTexts(dir: string | undefined): Record<SchemaName, string> {
  const out = {} as Record<SchemaName, string>;
  for (const name of SCHEMA_NAMES) {
    const file = dir ? `${dir}/${name}.schema.json` : undefined;
    out[name] = file && existsSync(file) ? readFileSync(file, "utf8") : bundledSchemaText(name);
  }
  return out;
}

export async function loadValidators(texts: Record<SchemaName, string>): Promise<Validators> {
  const hashes = Object.fromEntries(SCHEMA_NAMES.map((n) => [n, sha256(texts[n])])) as Record<
    SchemaName,
    string
  >;
  const fingerprint = sha256(SCHEMA_NAMES.map((n) => hashes[n]).join(":"));
  const fns = {} as Record<SchemaName, ValidateFn>;
  for (const name of SCHEMA_NAMES) fns[name] = await loadValidator(name, texts[name], hashes[name]);
  return { ...fns, fingerprint };
}

/** One validator: the build's precompiled one when `text` is the bundled schema, else the cached one. */
export async function loadValidator(
  name: SchemaName,
  text: string,
  hash = sha256(text),
): Promise<ValidateFn> {
  if (readManifest()?.[name] === hash) {
    const mod = requireCompiled(fileURLToPath(new URL(`${name}.cjs`, compiledDir))) as {
      default: ValidateFn;
    };
    return mod.default;
  }
  return cachedValidator(text);
}

/** Validators compiled in this process, by cache key: a second load costs nothing. */
const loaded = new Map<string, ValidateFn>();

async function cachedValidator(text: string): Promise<ValidateFn> {
  const key = sha256(`${setupId()}\u0000${text}`);
  const hit = loaded.get(key);
  if (hit) return hit;
  const dir = validatorCacheDir();
  const file = join(dir, `${key}.cjs`);
  let fn = ownFolder(dir) ? readCached(file, key) : undefined;
  if (!fn) {
    const { compileStandalone } = await import("./standalone.js");
    const { validate, code } = compileStandalone(text);
    writeCached(dir, file, key, code);
    fn = validate;
  }
  loaded.set(key, fn);
  return fn;
}

/** The folder of cached validators: $INCIDENT_CACHE_DIR, else the user's cache folder, else the temp folder. */
export function validatorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INCIDENT_CACHE_DIR) return join(env.INCIDENT_CACHE_DIR, "validators");
  const home = safeHome();
  if (env.XDG_CACHE_HOME || home)
    return join(env.XDG_CACHE_HOME || join(home as string, ".cache"), "incident-as-code", "validators");
  // A shared temporary folder: one folder per user, which ownFolder() checks before any use.
  return join(tmpdir(), `incident-as-code-${process.getuid?.() ?? "user"}`, "validators");
}

function safeHome(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/** A cache entry's first line carries its key and the sha256 of the code after it. */
const HEADER = /^\/\/ key:([0-9a-f]{64}) sha256:([0-9a-f]{64})\n/;

/**
 * Code is only loaded from a folder that is the user's own and that nobody else can write to: the
 * hash catches a torn or corrupted file, this keeps another user's file out (in a shared /tmp).
 */
function ownFolder(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory()) return false;
    const uid = process.getuid?.();
    return uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

function readCached(file: string, key: string): ValidateFn | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const m = HEADER.exec(text);
  const code = m ? text.slice(m[0].length) : undefined;
  if (!m || code === undefined || m[1] !== key || sha256(code) !== m[2]) return undefined;
  try {
    const mod: { exports: { default?: ValidateFn } } = { exports: {} };
    new Function("module", "exports", "require", code)(mod, mod.exports, requireCompiled);
    return typeof mod.exports.default === "function" ? mod.exports.default : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed, so a reader never sees half a file; failures only cost speed. */
function writeCached(dir: string, file: string, key: string, code: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownFolder(dir)) return;
    writeFileSync(tmp, `// key:${key} sha256:${sha256(code)}\n${code}`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
}

let setup: string | undefined;
/** What else the generated code depends on: the toolkit version and the ajv set-up and version. */
function setupId(): string {
  if (setup === undefined) {
    const parts = [
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
      readOwn("./ajv.js") ?? readOwn("./ajv.ts") ?? "",
      String((requireCompiled("ajv/package.json") as { version: string }).version),
      existsSync(new URL("formats.cjs", compiledDir))
        ? readFileSync(new URL("formats.cjs", compiledDir), "utf8")
        : "",
    ];
    setup = sha256(parts.join("\u0000"));
  }
  return setup;
}

/** A module of this folder, as built (.js) or as source when tests run it directly (.ts). */
function readOwn(name: string): string | undefined {
  try {
    return readFileSync(new URL(name, import.meta.url), "utf8");
  } catch {
    return undefined;
  }
}

let manifest: Record<string, string> | undefined | null = null;
function readManifest(): Record<string, string> | undefined {
  if (manifest === null) {
    try {
      manifest = JSON.parse(readFileSync(new URL("manifest.json", compiledDir), "utf8")) as Record<
        string,
        string
      >;
    } catch {
      manifest = undefined;
    }
  }
  return manifest;
}
