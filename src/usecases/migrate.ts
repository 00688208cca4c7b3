// Use case: bring the config and every incident and problem file to one schema_version. Each file is
// read, brought forward by the registry's steps (src/migrate: edits spliced into its text, so
// comments stay), judged by the target version's rules, and written atomically, or left exactly as
// it was: all or nothing per file. A file written by a newer toolkit is refused, never downgraded.

import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { CONFIG_FILE, configFromSources, findRoot, readVersion } from "../config/load.js";
import type { Config } from "../config/types.js";
import { type Diagnostic, type Finding, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { UsageError, UserError } from "../diagnostics/errors.js";
import { discoverFiles } from "../io/discover.js";
import { readBytesInside, readInside, writeInside } from "../io/safeWrite.js";
import { migrateText, newerFinding, versionOf } from "../migrate/apply.js";
import {
  CURRENT_SCHEMA_VERSION,
  checkRegistry,
  type FileKind,
  latestVersion,
  REGISTRY,
  type Registry,
} from "../migrate/registry.js";
import { bundledSchemas } from "../schema/load.js";
import { keyOrderFrom } from "../schema/order.js";
import { locateFinding, validateRecordBytes } from "../validate/file.js";
import { readRecord } from "../validate/read.js";
import type { RecordKind } from "../validate/semantic.js";
import { offsetToPosition } from "../yaml/locate.js";
import { checkBytes, type ParsedYaml, parseYamlDocument } from "../yaml/parse.js";

/** The rules of one schema_version: how a config is judged, and its records under it. */
export interface TargetRules {
  config(text: string | undefined): Promise<{
    diagnostics: Diagnostic[];
    config: Config;
    record(file: string, kind: RecordKind, text: string): Diagnostic[];
  }>;
}

/** The rules of a version, when this toolkit holds them. */
export type RulesFor = (version: number) => TargetRules | undefined;

/** This toolkit holds the rules of its own version: the bundled schemas and the semantic checks. */
export const toolkitRules: RulesFor = (version) =>
  version !== CURRENT_SCHEMA_VERSION
    ? undefined
    : {
        async config(text) {
          const loaded = await configFromSources(text === undefined ? undefined : Buffer.from(text, "utf8"));
          const ctx = { config: loaded.config, validators: loaded.validators, mode: "both" as const };
          return {
            diagnostics: loaded.diagnostics,
            config: loaded.config,
            record: (file, kind, t) =>
              validateRecordBytes(file, kind, Buffer.from(t, "utf8"), ctx).diagnostics,
          };
        },
      };

export interface MigrateOptions {
  dir: string;
  /** The version to reach (default: the newest the registry knows). */
  to?: number;
  dryRun?: boolean;
  /** Tests bring their own steps and the rules of the versions they reach. */
  registry?: Registry;
  rules?: RulesFor;
  toolkitVersion?: string;
}

export type MigrateAction =
  /** At the target version already. */
  | "current"
  /** Brought to the target (written, or with --dry-run: would be). */
  | "migrated"
  /** At a version past the target but known: migrations only go forward, so left alone. */
  | "ahead"
  /** Not migrated: unreadable, newer than this toolkit, or invalid once migrated. */
  | "refused";

export interface FileOutcome {
  file: string;
  kind: FileKind;
  action: MigrateAction;
  /** The version found, when it could be read. */
  from?: number;
  steps: string[];
  /** Unified diff of the migration (migrated files). */
  diff: string;
}

export interface MigrateResult {
  target: number;
  /** The newest version this toolkit knows. */
  known: number;
  files: FileOutcome[];
  /** Why files were refused, located in the files as they are on disk. */
  diagnostics: Diagnostic[];
  /** The texts of files with diagnostics (for printing the offending lines). */
  texts: Map<string, string>;
  written: number;
  dryRun: boolean;
}

const MAX_CONFIG_BYTES = 1_048_576;

function orderFor(kind: FileKind) {
  return keyOrderFrom(bundledSchemas()[kind]);
}

/** The findings of the target rules, summed up in one line of the MIGRATION_INVALID message. */
function brokenRules(diags: readonly Diagnostic[]): string {
  const shown = diags
    .slice(0, 3)
    .map((d) => `${d.code} at ${d.line}:${d.column} of the migrated text: ${d.message}`)
    .join("; ");
  return diags.length > 3 ? `${shown}; and ${diags.length - 3} more` : shown;
}

export async function migrateRepo(opts: MigrateOptions): Promise<MigrateResult> {
  const registry = opts.registry ?? REGISTRY;
  checkRegistry(registry);
  const known = latestVersion(registry);
  const target = opts.to ?? known;
  if (!Number.isSafeInteger(target) || target < 1 || target > known)
    throw new UsageError(
      `--to ${String(target)}: this toolkit knows schema_version ${known === 1 ? "1 only" : `1 to ${known}`}`,
    );
  const rules = (opts.rules ?? toolkitRules)(target);
  if (!rules)
    throw new UsageError(
      `--to ${target}: this toolkit holds the rules of schema_version ${known} only, so it cannot check files migrated to ${target}`,
    );
  const toolkitVersion = opts.toolkitVersion ?? readVersion();
  const root = findRoot(opts.dir);
  const result: MigrateResult = {
    target,
    known,
    files: [],
    diagnostics: [],
    texts: new Map(),
    written: 0,
    dryRun: opts.dryRun === true,
  };
  const refuse = (
    file: string,
    kind: FileKind,
    text: string | undefined,
    diags: Diagnostic[],
    from?: number,
  ) => {
    result.files.push({ file, kind, action: "refused", from, steps: [], diff: "" });
    result.diagnostics.push(...diags);
    if (text !== undefined) result.texts.set(file, text);
  };
  const at = (file: string, parsed: ParsedYaml, f: Finding) => locateFinding(f, file, parsed);
  const writes: Array<{ file: string; abs: string; before: string; after: string }> = [];

  /** One file's text brought to the target, or why not (undefined: refused, recorded). */
  const bring = (
    file: string,
    kind: FileKind,
    text: string,
    parsed: ParsedYaml,
    value: unknown,
  ): { from: number; text: string; steps: string[] } | undefined => {
    const read = versionOf(kind, value);
    if ("finding" in read) {
      refuse(file, kind, text, [at(file, parsed, read.finding)]);
      return undefined;
    }
    const from = read.version;
    if (from > known) {
      refuse(file, kind, text, [at(file, parsed, newerFinding(from, known, toolkitVersion))], from);
      return undefined;
    }
    if (from >= target) return { from, text, steps: [] };
    try {
      const migrated = migrateText(text, kind, from, target, registry, orderFor(kind));
      return {
        from,
        text: migrated.text,
        steps: migrated.steps.map((s) => `${s.from} -> ${s.to}: ${s.summary}`),
      };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const where = kind === "config" ? "" : "/schema_version";
      refuse(
        file,
        kind,
        text,
        [
          at(file, parsed, {
            code: "MIGRATION_INVALID",
            message: `cannot migrate from schema_version ${from} to ${target}: ${err.message}; the file is left as it was`,
            pointer: where,
          }),
        ],
        from,
      );
      return undefined;
    }
  };

  // The config first: the records' rules (and where they are) come from it.
  const configDisk = readInside(root, join(root, CONFIG_FILE));
  if (configDisk.link) {
    refuse(CONFIG_FILE, "config", undefined, [
      makeDiagnostic("FILE_SYMLINK", "symbolic link; the config must be a regular file", CONFIG_FILE, {
        line: 1,
        column: 1,
      }),
    ]);
    return result;
  }
  let configText = configDisk.text;
  let configOutcome: FileOutcome | undefined;
  if (configText !== undefined) {
    const checked = checkBytes(Buffer.from(configText, "utf8"), MAX_CONFIG_BYTES);
    const parsed = parseYamlDocument(configText);
    const findings = [...checked.findings, ...parsed.findings];
    if (findings.length > 0 || parsed.value === undefined) {
      refuse(
        CONFIG_FILE,
        "config",
        configText,
        findings.map((f) =>
          makeDiagnostic(f.code, f.message, CONFIG_FILE, offsetToPosition(parsed.lineCounter, f.offset)),
        ),
      );
      return result;
    }
    const brought = bring(CONFIG_FILE, "config", configText, parsed, parsed.value);
    if (!brought) return result;
    configOutcome = {
      file: CONFIG_FILE,
      kind: "config",
      action: brought.from > target ? "ahead" : brought.steps.length > 0 ? "migrated" : "current",
      from: brought.from,
      steps: brought.steps,
      diff: "",
    };
    if (brought.text !== configText) {
      writes.push({
        file: CONFIG_FILE,
        abs: join(root, CONFIG_FILE),
        before: configText,
        after: brought.text,
      });
      configText = brought.text;
    }
  }
  const judged = await rules.config(configText);
  const configErrors = judged.diagnostics.filter((d) => d.severity === "error");
  if (configErrors.length > 0) {
    if (configOutcome?.action === "migrated") {
      const parsed = parseYamlDocument(configDisk.text ?? "");
      refuse(
        CONFIG_FILE,
        "config",
        configDisk.text,
        [
          at(CONFIG_FILE, parsed, {
            code: "MIGRATION_INVALID",
            message: `migrated to schema_version ${target} it breaks that version's rules (${brokenRules(configErrors)}); nothing was written`,
            pointer: "",
          }),
        ],
        configOutcome.from,
      );
    } else refuse(CONFIG_FILE, "config", configText, configErrors);
    return result;
  }
  if (configOutcome) result.files.push(configOutcome);

  const config = judged.config;
  const discovery = discoverFiles(root, config, [], root);
  // Links are never read or written; misplaced files are `validate`'s business and migrate like any.
  for (const d of discovery.diagnostics.filter((x) => x.code === "FILE_SYMLINK"))
    refuse(d.file, "incident", undefined, [d]);
  for (const found of discovery.files) {
    // Read as validate reads: a regular file only, never through a link (it may have been swapped
    // for one, or for a FIFO, since discovery looked).
    const disk = readBytesInside(root, found.abs);
    const bytes = disk.bytes;
    if (bytes === undefined) {
      const [code, message] = disk.link
        ? (["FILE_SYMLINK", "symbolic link; incident files must be regular files"] as const)
        : (["FILE_UNREADABLE", "not a regular file; left as it is"] as const);
      refuse(found.file, found.kind, undefined, [
        makeDiagnostic(code, message, found.file, { line: 1, column: 1 }),
      ]);
      continue;
    }
    const read = readRecord(bytes, { maxBytes: config.limits.max_file_bytes, mode: "both" });
    if (read.value === undefined || read.text === undefined || !read.parsed) {
      const lc = read.parsed?.lineCounter;
      refuse(
        found.file,
        found.kind,
        read.text,
        read.findings.map((f) =>
          makeDiagnostic(
            f.code,
            f.message,
            found.file,
            lc
              ? { ...offsetToPosition(lc, f.offset), pointer: f.pointer }
              : (read.badPosition ?? { line: 1, column: 1 }),
          ),
        ),
      );
      continue;
    }
    const brought = bring(found.file, found.kind, read.text, read.parsed, read.value);
    if (!brought) continue;
    if (brought.from > target) {
      result.files.push({
        file: found.file,
        kind: found.kind,
        action: "ahead",
        from: brought.from,
        steps: [],
        diff: "",
      });
      continue;
    }
    if (brought.steps.length === 0) {
      result.files.push({
        file: found.file,
        kind: found.kind,
        action: "current",
        from: brought.from,
        steps: [],
        diff: "",
      });
      continue;
    }
    const broken = judged.record(found.file, found.kind, brought.text).filter((d) => d.severity === "error");
    if (broken.length > 0) {
      refuse(
        found.file,
        found.kind,
        read.text,
        [
          at(found.file, read.parsed, {
            code: "MIGRATION_INVALID",
            message: `migrated to schema_version ${target} the record breaks that version's rules (${brokenRules(broken)}); the file is left as it was`,
            pointer: "/schema_version",
          }),
        ],
        brought.from,
      );
      continue;
    }
    result.files.push({
      file: found.file,
      kind: found.kind,
      action: "migrated",
      from: brought.from,
      steps: brought.steps,
      diff: "",
    });
    writes.push({ file: found.file, abs: found.abs, before: read.text, after: brought.text });
  }

  for (const w of writes) {
    const outcome = result.files.find((f) => f.file === w.file && f.action === "migrated");
    if (outcome)
      outcome.diff = createTwoFilesPatch(
        `a/${w.file}`,
        `b/${w.file}`,
        w.before,
        w.after,
        undefined,
        undefined,
        {
          context: 3,
        },
      );
  }
  if (result.dryRun) return result;
  for (const w of writes) {
    // A file changed since it was read is never overwritten with a migration of its old text.
    if (readInside(root, w.abs).text !== w.before)
      throw new UserError(
        `${w.file} changed on disk while it was being migrated; ${result.written} file(s) were written, run \`incident migrate\` again`,
      );
    writeInside(root, w.abs, w.after);
    result.written++;
  }
  return result;
}
