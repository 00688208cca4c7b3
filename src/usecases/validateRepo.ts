// Use case: validate every incident and problem file of a repository (or the given paths) and
// report diagnostics plus what the summary needs.

import { lstatSync, readFileSync, type Stats } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { findRoot, type LoadedConfig, loadRepoConfig, readVersion } from "../config/load.js";
import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { compareDiagnostics, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { hash, ResultCache } from "../io/cache.js";
import { discoverFiles, type FoundFile } from "../io/discover.js";
import { SCHEMA_NAMES } from "../schema/ajv.js";
import { type FileResult, locateFinding, validateRecordBytes } from "../validate/file.js";
import { checkRepository, type FileFacts } from "../validate/repository.js";
import { checkBytes, parseYamlDocument } from "../yaml/parse.js";
import { WorkerPool } from "./pool.js";

export interface ValidateOptions {
  /** Repository root (or a folder inside it). */
  dir: string;
  /** Files or folders to validate, relative to `cwd`; empty for the configured paths. */
  paths?: readonly string[];
  cwd?: string;
  cache?: boolean;
  fullParse?: boolean;
  /** Worker threads for validation; default: one per CPU for large cold runs, none otherwise. */
  jobs?: number;
}

export interface ValidateReport {
  root: string;
  files: number;
  results: FileResult[];
  diagnostics: Diagnostic[];
  config: Config;
}

/** A relative path inside the repository: no `..` segment, not absolute. */
const SAFE_DIR = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/;

/** Schema files above this size are not read: they cannot be what `incident schema --write` writes. */
const MAX_SCHEMA_FILE_BYTES = 16 * 1_048_576;

/**
 * SCHEMA_STALE for each file of `paths.schemas` (default .incident/schemas) that differs from the
 * effective schema of the config in force. A repository without that folder has not opted in to
 * generated editor schemas: nothing is reported then.
 */
export function staleSchemaDiagnostics(root: string, loaded: LoadedConfig): Diagnostic[] {
  const dir = loaded.config.paths.schemas.replace(/\/+$/, "");
  // A config in error gives the defaults' schemas; its own findings come first.
  if (!SAFE_DIR.test(dir) || loaded.diagnostics.some((d) => d.severity === "error")) return [];
  const st = lstatOrUndefined(join(root, dir));
  if (!st) return [];
  const out: Diagnostic[] = [];
  for (const name of SCHEMA_NAMES) {
    const file = `${dir}/${name}.schema.json`;
    const why = schemaFileProblem(join(root, file), loaded.schemaTexts[name], st.isDirectory());
    if (why) {
      out.push(
        makeDiagnostic(
          "SCHEMA_STALE",
          `${file} ${why}; run \`incident schema --write\` and commit the result`,
          file,
          { line: 1, column: 1 },
        ),
      );
    }
  }
  return out;
}

function schemaFileProblem(path: string, expected: string, inDirectory: boolean): string | undefined {
  if (!inDirectory) return "cannot be written: its folder is not a directory";
  const st = lstatOrUndefined(path);
  if (!st) return "is missing";
  // Never follow a link or read a device: validate also runs on pull requests.
  if (!st.isFile()) return "is not a regular file";
  if (st.size > MAX_SCHEMA_FILE_BYTES) return "differs from the effective schema of incident.config.yaml";
  return readFileSync(path, "utf8") === expected
    ? undefined
    : "differs from the effective schema of incident.config.yaml";
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export async function validateRepo(opts: ValidateOptions): Promise<ValidateReport> {
  const root = findRoot(opts.dir);
  const loaded = await loadRepoConfig(root);
  const { config, validators, schemaTexts, diagnostics } = loaded;
  diagnostics.push(...staleSchemaDiagnostics(root, loaded));
  const paths = opts.paths ?? [];
  const found = discoverFiles(root, config, paths, opts.cwd ?? process.cwd());
  diagnostics.push(...found.diagnostics);
  // References and ids are checked against the whole repository even when only some files are
  // named; findings are reported for the named files only.
  const selected = new Set(found.files.map((f) => f.file));
  const everything = paths.length === 0 ? found : discoverFiles(root, config, [], root);
  const files = [...found.files, ...everything.files.filter((f) => !selected.has(f.file))];
  const fullParse = opts.fullParse ?? false;
  const cache = ResultCache.open(
    root,
    hash(
      `${readVersion()}\u0000${validators.fingerprint}\u0000${JSON.stringify(config)}\u0000${fullParse ? 1 : 0}`,
    ),
    opts.cache ?? true,
  );
  const threads = workerCount(opts.jobs, files.length, cache.coverage(files.map((f) => f.file)));
  const pool = threads > 0 ? new WorkerPool(threads, { config, schemaTexts, fullParse }) : undefined;
  const slots: Array<FileResult | undefined> = new Array(files.length);
  const hashes: string[] = new Array(files.length);
  // Workers keep the process alive: whatever happens below, they are stopped before we return.
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i] as FoundFile;
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(f.abs);
      } catch (err) {
        const message = `cannot read: ${(err as NodeJS.ErrnoException).code ?? err}`;
        slots[i] = {
          file: f.file,
          kind: f.kind,
          parser: "none",
          diagnostics: [diagAt1("FILE_UNREADABLE", message, f.file)],
        };
        continue;
      }
      const contentHash = hash(bytes);
      hashes[i] = contentHash;
      const cached = cache.get(f.file, contentHash);
      if (cached) slots[i] = cached;
      else if (pool) await pool.add({ index: i, file: f.file, kind: f.kind, bytes: ownBuffer(bytes) });
      else {
        // A copy, so the result holds no slices of the file text (V8 keeps the whole text alive otherwise).
        const result = structuredClone(validateOne(f, bytes, { config, validators, fullParse }));
        slots[i] = result;
        cache.set(f.file, contentHash, result);
      }
    }
    if (pool) {
      for (const { index, result } of await pool.drain()) {
        slots[index] = result;
        cache.set(result.file, hashes[index] as string, result);
      }
    }
  } finally {
    await pool?.close();
  }
  cache.save();
  const results: FileResult[] = [];
  const allFacts: FileFacts[] = [];
  files.forEach((f, i) => {
    const result = slots[i] as FileResult;
    // A file that could not be parsed still exists under its name (the id equals the file name).
    const facts = result.facts ?? {
      kind: f.kind,
      id: basename(f.file).replace(/\.ya?ml$/, ""),
      refs: [],
      unparsed: true,
    };
    allFacts.push({ file: f.file, facts });
    if (!selected.has(f.file)) return;
    results.push(result);
    diagnostics.push(...result.diagnostics);
  });
  const cross = checkRepository(allFacts).filter((c) => selected.has(c.file));
  // Repository findings need positions: parse each affected file once with the full parser.
  const parsedFiles = new Map<string, ReturnType<typeof parseYamlDocument> | undefined>();
  for (const { file, finding } of cross) {
    if (!parsedFiles.has(file)) {
      const bytes = readBytes(join(root, file));
      const checked = bytes ? checkBytes(bytes, config.limits.max_file_bytes) : undefined;
      parsedFiles.set(file, checked?.text !== undefined ? parseYamlDocument(checked.text) : undefined);
    }
    const parsed = parsedFiles.get(file);
    diagnostics.push(
      parsed
        ? locateFinding(finding, file, parsed)
        : makeDiagnostic(finding.code, finding.message, file, {
            line: 1,
            column: 1,
            pointer: finding.pointer,
          }),
    );
  }
  diagnostics.sort(compareDiagnostics);
  return { root, files: found.files.length, results, diagnostics, config };
}

/** Files below which worker threads cost more to start than they save. */
const POOL_MIN_FILES = 400;

function workerCount(jobs: number | undefined, files: number, cached: number): number {
  if (jobs !== undefined) return jobs <= 1 ? 0 : jobs;
  if (files - cached < POOL_MIN_FILES) return 0;
  const cpus = availableParallelism();
  return cpus > 1 ? Math.min(cpus, 8) : 0;
}

function validateOne(
  f: FoundFile,
  bytes: Uint8Array,
  ctx: Parameters<typeof validateRecordBytes>[3],
): FileResult {
  try {
    return validateRecordBytes(f.file, f.kind, bytes, ctx);
  } catch (err) {
    const message = `validation failed: ${(err as Error).message}`;
    return {
      file: f.file,
      kind: f.kind,
      parser: "none",
      diagnostics: [diagAt1("INTERNAL_ERROR", message, f.file)],
    };
  }
}

function diagAt1(code: "FILE_UNREADABLE" | "INTERNAL_ERROR", message: string, file: string) {
  return makeDiagnostic(code, message, file, { line: 1, column: 1 });
}

/** Bytes in an ArrayBuffer of their own, safe to transfer to a worker. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function readBytes(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
