// Loading a repository's config: incident.config.yaml from the working tree or from a commit, read
// (never executed), checked by the bundled config schema, merged with the defaults (config/merge.ts),
// and the effective schemas built from it (schema/effective.ts). Every command reads its rules here.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { UserError } from "../diagnostics/errors.js";
import type { GitRepo } from "../io/git.js";
import { readRegularFile } from "../io/safeWrite.js";
import type { SchemaName } from "../schema/ajv.js";
import { effectiveSchemaTexts } from "../schema/effective.js";
import { schemaFindings } from "../schema/errors.js";
import {
  bundledSchemas,
  bundledSchemaText,
  loadValidator,
  loadValidators,
  type Validators,
} from "../schema/load.js";
import { locateFinding } from "../validate/file.js";
import { offsetToPosition } from "../yaml/locate.js";
import { checkBytes, parseYamlDocument } from "../yaml/parse.js";
import { checkConfigReferences, mergeConfig } from "./merge.js";
import type { Config } from "./types.js";

export const CONFIG_FILE = "incident.config.yaml";

/** The repository root: the nearest folder at or above `dir` holding the config file or `.git`. */
export function findRoot(dir: string): string {
  const start = resolve(dir);
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, CONFIG_FILE)) || existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return start;
  }
}

export interface LoadedConfig {
  config: Config;
  validators: Validators;
  schemaTexts: Record<SchemaName, string>;
  diagnostics: Diagnostic[];
}

/** Reads, validates and merges incident.config.yaml (when present) and builds its effective schemas. */
export async function loadRepoConfig(root: string): Promise<LoadedConfig> {
  return configFromSources(readConfigBytes(root));
}

/** No config is larger than this; the file's own `limits` cannot apply before it is read. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * The bytes of the repository's incident.config.yaml, or undefined when there is none. Read like a
 * record: a regular file only, never through a link (a cloned repository's config could point at
 * a device or a file outside it), and never past the cap.
 */
export function readConfigBytes(root: string): Buffer | undefined {
  const read = readRegularFile(join(root, CONFIG_FILE), MAX_CONFIG_BYTES);
  if ("bytes" in read) return read.bytes;
  switch (read.refused) {
    case "missing":
      return undefined;
    case "link":
      throw new UserError(
        `${CONFIG_FILE} is a symbolic link; the config must be a regular file in the repository`,
      );
    case "not-file":
      throw new UserError(`${CONFIG_FILE} is not a regular file`);
    case "too-large":
      throw new UserError(`${CONFIG_FILE} is larger than ${MAX_CONFIG_BYTES} bytes; not read`);
  }
}

/**
 * The effective config from the bytes of incident.config.yaml (undefined: none), and validators of
 * the effective schemas: the bundled schemas plus that config's lifecycles and catalogs. Shared by
 * `validate` and the loaders (working tree), `--at` and `check` (a commit). Schema files in the
 * repository are never read: a branch cannot bring its own rules (or a regex that never ends).
 */
export async function configFromSources(bytes: Uint8Array | undefined): Promise<LoadedConfig> {
  const diagnostics: Diagnostic[] = [];
  const base = bundledSchemas();
  const withSchemas = async (config: Config): Promise<LoadedConfig> => {
    const schemaTexts = effectiveSchemaTexts(base, config);
    return { config, validators: await loadValidators(schemaTexts), schemaTexts, diagnostics };
  };
  if (bytes === undefined) return withSchemas(mergeConfig(undefined));
  const checked = checkBytes(bytes, 1_048_576);
  const parsed = checked.text !== undefined ? parseYamlDocument(checked.text) : undefined;
  for (const f of [...checked.findings, ...(parsed?.findings ?? [])]) {
    const pos = parsed ? offsetToPosition(parsed.lineCounter, f.offset) : { line: 1, column: 1 };
    diagnostics.push(makeDiagnostic(f.code, f.message, CONFIG_FILE, pos));
  }
  const fileValue = parsed?.value;
  if (fileValue === undefined || !parsed) return withSchemas(mergeConfig(undefined));
  // The config itself is judged by the bundled config schema (its effective one depends on it).
  const baseConfig = await loadValidator("config", bundledSchemaText("config"));
  const valid = baseConfig(fileValue);
  const findings = valid ? [] : schemaFindings(baseConfig.errors);
  // A config that breaks its schema is not merged: defaults apply and the findings say why (never
  // silently: a rejected config always has a finding).
  if (!valid && findings.length === 0)
    findings.push({ code: "SCHEMA_INVALID", message: "the config breaks its schema", pointer: "" });
  const config = valid ? mergeConfig(fileValue) : mergeConfig(undefined);
  if (valid) findings.push(...checkConfigReferences(fileValue, config));
  for (const f of findings) diagnostics.push(locateFinding(f, CONFIG_FILE, parsed));
  return withSchemas(config);
}

/**
 * The effective config of a past commit: its incident.config.yaml read as a git object, with the
 * bundled schemas; shared by `check` (the base's rules) and `--at`.
 */
export async function configAtCommit(git: GitRepo, commit: string): Promise<LoadedConfig> {
  const configSpec = `${commit}:${CONFIG_FILE}`;
  const configBlob = (await git.readBlobs([configSpec])).get(configSpec);
  return configFromSources(configBlob);
}

let cachedVersion: string | undefined;
export function readVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
  ).version;
  return cachedVersion;
}
