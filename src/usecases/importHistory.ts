// The import use case: read the inputs and the mapping (capped, never through links inside a
// folder), run the adapter, offer config additions (written only with --write-config), find records
// imported before by their provenance (source and source id, whatever the file is called), and
// create, update or refuse each record. Every record is validated with the repository's rules
// before it is written; writes are atomic and never go through links.

import { lstatSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { createTwoFilesPatch } from "diff";
import { CONFIG_FILE, loadRepoConfig } from "../config/load.js";
import type { Config } from "../config/types.js";
import { type Diagnostic, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { UsageError } from "../diagnostics/errors.js";
import {
  type AdapterInput,
  importCsv,
  importJson,
  importMarkdown,
  type MappedResult,
} from "../import/adapters.js";
import { loadMapping, type Mapping } from "../import/mapping.js";
import { importPagerDuty } from "../import/pagerduty.js";
import {
  buildRecord,
  configWithOffers,
  contentHash,
  recordText,
  updateText,
  withProvenance,
} from "../import/record.js";
import { importStatuspage } from "../import/statuspage.js";
import {
  type InputFile,
  isObj,
  MAX_INPUT_BYTES,
  MAX_MAPPING_BYTES,
  type Obj,
  type Offer,
} from "../import/types.js";
import { discoverFiles } from "../io/discover.js";
import { readInside, readRegularFile, writeInside } from "../io/safeWrite.js";
import type { ImportSource } from "../model/types.js";
import { SCHEMA_NAMES } from "../schema/ajv.js";
import { bundledSchemas, type Validators } from "../schema/load.js";
import { keyOrderFrom } from "../schema/order.js";
import { validateRecordBytes } from "../validate/file.js";
import { readRecord } from "../validate/read.js";
import { openRepo } from "./editRecord.js";
import { nextId } from "./newRecord.js";

export const ADAPTERS = ["pagerduty", "statuspage", "markdown", "csv", "json"] as const;
export type AdapterName = (typeof ADAPTERS)[number];

const RUN: Record<AdapterName, (input: AdapterInput) => MappedResult> = {
  pagerduty: importPagerDuty,
  statuspage: importStatuspage,
  markdown: importMarkdown,
  csv: importCsv,
  json: importJson,
};
const EXTENSIONS: Record<AdapterName, RegExp> = {
  pagerduty: /\.json$/i,
  statuspage: /\.json$/i,
  markdown: /\.(md|markdown)$/i,
  csv: /\.csv$/i,
  json: /\.json$/i,
};
const MAX_FILES = 10_000;
const MAX_DEPTH = 8;

export interface ImportOptions {
  dir: string;
  adapter: AdapterName;
  inputs: string[];
  mapping?: string;
  dryRun?: boolean;
  writeConfig?: boolean;
  /** The clock (imported_at) and the directory paths are read from. */
  now: Date;
  cwd: string;
}

export type Action = "created" | "updated" | "unchanged" | "refused" | "invalid" | "skipped";

export interface Outcome {
  action: Action;
  origin: string;
  sourceId?: string;
  id?: string;
  file?: string;
  message?: string;
  /** The validation findings of a record that would be invalid. */
  details?: string[];
  /** What would be or was written (a unified diff). */
  diff?: string;
  /** Updated by writing the record whole (the change could not be spliced in). */
  rewritten?: boolean;
}

export interface ImportReport {
  adapter: AdapterName;
  dryRun: boolean;
  outcomes: Outcome[];
  diagnostics: Diagnostic[];
  unmapped: Array<{ origin: string; sourceId: string; id?: string; field: string; reason: string }>;
  offers: Offer[];
  /** The config additions as a unified diff of incident.config.yaml. */
  configDiff?: string;
  configWritten: boolean;
  /** The editor's schemas rewritten for the new config (only those the repository keeps). */
  schemasWritten: string[];
}

const show = (cwd: string, abs: string) => {
  const rel = relative(cwd, abs);
  return (rel === "" || rel.startsWith("..") ? abs : rel).split(sep).join("/");
};

/** The input files: files as named, folders walked for the adapter's file type (links skipped). */
function gatherInputs(opts: ImportOptions, diagnostics: Diagnostic[]): InputFile[] {
  const out: InputFile[] = [];
  const ext = EXTENSIONS[opts.adapter];
  const read = (abs: string) => {
    const path = show(opts.cwd, abs);
    const cap = MAX_INPUT_BYTES;
    // A regular file only, read through one descriptor and never past the cap: a FIFO or a device
    // named (or swapped in since the walk looked) neither blocks nor floods the import.
    const got = readRegularFile(abs, cap);
    if (!("bytes" in got)) {
      if (got.refused === "too-large") {
        diagnostics.push(
          makeDiagnostic(
            "IMPORT_TOO_LARGE",
            `${got.size} bytes; an import reads files of at most ${cap} bytes`,
            path,
            {
              line: 1,
              column: 1,
            },
          ),
        );
        return;
      }
      throw new UsageError(`${path}: not a file or folder`);
    }
    const bytes = got.bytes;
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      diagnostics.push(makeDiagnostic("IMPORT_SYNTAX", "not UTF-8 text", path, { line: 1, column: 1 }));
      return;
    }
    out.push({ path, text });
  };
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".") || out.length >= MAX_FILES) continue;
      const abs = join(dir, name);
      const st = lstatSync(abs);
      // Links inside a folder are never followed: a folder of exports cannot lead the import elsewhere.
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) walk(abs, depth + 1);
      else if (st.isFile() && ext.test(name)) read(abs);
    }
  };
  for (const input of opts.inputs) {
    const abs = resolve(opts.cwd, input);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(abs);
      // A named folder may be a link (the user named it); a named file is read only as itself.
      if (st.isSymbolicLink() && statSync(abs).isDirectory()) st = statSync(abs);
    } catch {
      throw new UsageError(`${input}: no such file or folder`);
    }
    if (st.isDirectory()) walk(abs, 0);
    else if (st.isFile()) read(abs);
    else if (st.isSymbolicLink())
      throw new UsageError(`${input}: a symbolic link; name the file it points to`);
    else throw new UsageError(`${input}: not a file or folder`);
  }
  if (out.length >= MAX_FILES)
    diagnostics.push(
      makeDiagnostic(
        "IMPORT_TOO_LARGE",
        `more than ${MAX_FILES} input files; import them in parts`,
        opts.inputs[0] ?? "",
        {
          line: 1,
          column: 1,
        },
      ),
    );
  return out;
}

interface Existing {
  file: string;
  abs: string;
  text: string;
  value: Obj;
}

/** Records imported before, by source and source id (read from their provenance, not their names). */
function importedRecords(root: string, config: Config): { byKey: Map<string, Existing[]> } {
  const byKey = new Map<string, Existing[]>();
  for (const f of discoverFiles(root, config, [], root).files) {
    if (f.kind !== "incident") continue;
    const read = readInside(root, f.abs);
    if (read.text === undefined) continue;
    const rec = readRecord(Buffer.from(read.text), { maxBytes: config.limits.max_file_bytes });
    const prov = isObj(rec.value) ? rec.value.provenance : undefined;
    if (!isObj(prov) || typeof prov.source !== "string" || typeof prov.source_id !== "string") continue;
    const key = `${prov.source}\u0000${prov.source_id}`;
    const list = byKey.get(key) ?? [];
    list.push({ file: f.file, abs: f.abs, text: read.text, value: rec.value as Obj });
    byKey.set(key, list);
  }
  return { byKey };
}

function modeline(root: string, config: Config, folder: string): string {
  const schema = join(root, config.paths.schemas, "incident.schema.json");
  return `# yaml-language-server: $schema=${relative(folder, schema).split(sep).join("/")}\n`;
}

/**
 * The year a record is filed under: the year of its earliest time (any timestamp, any timeline
 * entry), as written in that time; undefined when the record has no time at all.
 */
function yearOf(record: Obj): string | undefined {
  const ts = isObj(record.timestamps) ? record.timestamps : {};
  const timeline = Array.isArray(record.timeline) ? (record.timeline as unknown[]) : [];
  let earliest: { at: number; year: string } | undefined;
  for (const v of [...Object.values(ts), ...timeline.map((e) => (isObj(e) ? e.at : undefined))]) {
    if (typeof v !== "string" || !/^\d{4}-/.test(v)) continue;
    const at = Date.parse(v);
    if (Number.isFinite(at) && (earliest === undefined || at < earliest.at))
      earliest = { at, year: v.slice(0, 4) };
  }
  return earliest?.year;
}

const diagLine = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`;

export async function runImport(opts: ImportOptions): Promise<ImportReport> {
  let repo = await openRepo(resolve(opts.cwd, opts.dir));
  const { root } = repo;
  const report: ImportReport = {
    adapter: opts.adapter,
    dryRun: Boolean(opts.dryRun),
    outcomes: [],
    diagnostics: [],
    unmapped: [],
    offers: [],
    configWritten: false,
    schemasWritten: [],
  };
  let mapping: Mapping | undefined;
  if (opts.mapping) {
    const abs = resolve(opts.cwd, opts.mapping);
    // A regular file only (not a link, FIFO or device), and never more than the cap is read.
    let got: ReturnType<typeof readRegularFile>;
    try {
      got = readRegularFile(abs, MAX_MAPPING_BYTES);
    } catch {
      throw new UsageError(`${opts.mapping}: cannot read the mapping file`);
    }
    if (!("bytes" in got) && got.refused === "too-large") {
      report.diagnostics.push(
        makeDiagnostic(
          "IMPORT_TOO_LARGE",
          `a mapping file is at most ${MAX_MAPPING_BYTES} bytes`,
          show(opts.cwd, abs),
          { line: 1, column: 1 },
        ),
      );
      return report;
    }
    if (!("bytes" in got)) {
      throw new UsageError(
        got.refused === "missing"
          ? `${opts.mapping}: cannot read the mapping file`
          : got.refused === "link"
            ? `${opts.mapping}: the mapping file is a symbolic link; name the file it points to`
            : `${opts.mapping}: the mapping file is not a regular file`,
      );
    }
    const text = got.bytes.toString("utf8");
    const loaded = loadMapping(show(opts.cwd, abs), text);
    if (!loaded.mapping) {
      report.diagnostics.push(...loaded.diagnostics);
      return report;
    }
    mapping = loaded.mapping;
  } else if (["markdown", "csv", "json"].includes(opts.adapter)) {
    throw new UsageError(`the ${opts.adapter} importer needs --mapping FILE (see docs/import.md)`);
  }
  if (mapping && (opts.adapter === "csv" || opts.adapter === "json") && !mapping.source_id) {
    report.diagnostics.push(
      makeDiagnostic(
        "IMPORT_MAPPING",
        `the ${opts.adapter} importer needs \`source_id\`: the key that identifies a record, so a re-import finds it`,
        show(opts.cwd, resolve(opts.cwd, opts.mapping as string)),
        { line: 1, column: 1, pointer: "/source_id" },
      ),
    );
    return report;
  }
  const files = gatherInputs(opts, report.diagnostics);
  let result = RUN[opts.adapter]({ files, mapping, config: repo.config });
  // What the source names and the config does not know: a diff, written only when asked.
  if (result.offers.length > 0) {
    report.offers = result.offers;
    const configAbs = join(root, CONFIG_FILE);
    const before = readInside(root, configAbs).text ?? "schema_version: 1\n";
    const after = configWithOffers(before, result.offers);
    report.configDiff = createTwoFilesPatch(
      `a/${CONFIG_FILE}`,
      `b/${CONFIG_FILE}`,
      before,
      after,
      undefined,
      undefined,
      {
        context: 3,
      },
    );
    if (opts.writeConfig && !opts.dryRun) {
      writeInside(root, configAbs, after);
      report.configWritten = true;
      repo = await openRepo(root);
      report.schemasWritten = await refreshSchemas(root);
      result = RUN[opts.adapter]({ files, mapping, config: repo.config });
    }
  }
  report.diagnostics.push(...result.diagnostics);
  for (const s of result.skipped)
    report.outcomes.push({ action: "skipped", origin: s.origin, message: s.reason });
  await writeRecords(opts, repo, result, report);
  return report;
}

/**
 * After the config changed: the effective schemas the repository keeps for the editor
 * (`incident schema --write`) are rewritten, so they do not go stale (SCHEMA_STALE). A repository
 * that keeps none has not opted in and gets none.
 */
async function refreshSchemas(root: string): Promise<string[]> {
  const loaded = await loadRepoConfig(root);
  const dir = loaded.config.paths.schemas.replace(/\/+$/, "");
  const written: string[] = [];
  for (const name of SCHEMA_NAMES) {
    const file = `${dir}/${name}.schema.json`;
    const current = readInside(root, join(root, file));
    if (current.text === undefined || current.text === loaded.schemaTexts[name]) continue;
    writeInside(root, join(root, file), loaded.schemaTexts[name]);
    written.push(file);
  }
  return written;
}

async function writeRecords(
  opts: ImportOptions,
  repo: { root: string; config: Config; validators: Validators },
  result: MappedResult,
  report: ImportReport,
): Promise<void> {
  const { root, config, validators } = repo;
  const source = opts.adapter as ImportSource;
  const schema = bundledSchemas().incident;
  const order = Object.keys((schema as { properties: Obj }).properties);
  const keyOrder = keyOrderFrom(schema);
  const importedAt = formatNow(opts.now);
  const { byKey } = importedRecords(root, config);
  const busy = new Set<string>();
  const seen = new Set<string>();
  const fileCtx = { config, validators, fullParse: true };
  for (const draft of result.drafts) {
    const key = `${source}\u0000${draft.sourceId}`;
    const base = { origin: draft.origin, sourceId: draft.sourceId };
    if (seen.has(key)) {
      report.outcomes.push({
        ...base,
        action: "skipped",
        message: `source id ${draft.sourceId} appears twice in the input; the first one is imported`,
      });
      continue;
    }
    seen.add(key);
    const existing = byKey.get(key) ?? [];
    if (existing.length > 1) {
      report.outcomes.push({
        ...base,
        action: "refused",
        message: `${existing.map((e) => e.file).join(" and ")} both claim ${source} ${draft.sourceId}; nothing was changed`,
      });
      continue;
    }
    const old = existing[0];
    let id: string;
    let rel: string;
    let abs: string;
    let folder: string;
    if (old) {
      id = String(old.value.id);
      rel = old.file;
      abs = old.abs;
      folder = join(abs, "..");
      const prov = old.value.provenance as Obj;
      if (contentHash(old.value) !== prov.record_sha256) {
        report.outcomes.push({
          ...base,
          action: "refused",
          id,
          file: rel,
          message: `${rel} was edited since it was imported (its content no longer matches provenance.record_sha256); left alone`,
        });
        report.diagnostics.push(
          makeDiagnostic(
            "IMPORT_EDITED",
            `${source} ${draft.sourceId}: edited since it was imported; not updated`,
            rel,
            {
              line: 1,
              column: 1,
              pointer: "/provenance/record_sha256",
            },
          ),
        );
        continue;
      }
    } else {
      const own = yearOf(draft.record);
      const year = own ?? String(opts.now.getUTCFullYear());
      id = nextId(root, config, "incident", year, busy);
      if (own === undefined)
        report.unmapped.push({
          ...base,
          id,
          field: "id",
          reason: `the source gives no time at all; filed under the year of the import, ${year}`,
        });
      busy.add(id);
      folder = join(root, config.paths.incidents, id.split("-")[1] as string);
      abs = join(folder, `${id}.yaml`);
      rel = relative(root, abs).split(sep).join("/");
    }
    const built = buildRecord(draft, id, config, order);
    for (const u of [...draft.unmapped, ...built.unmapped])
      report.unmapped.push({ origin: draft.origin, sourceId: draft.sourceId, id, ...u });
    if (old && contentHash(built.record) === contentHash(old.value)) {
      report.outcomes.push({ ...base, action: "unchanged", id, file: rel });
      continue;
    }
    const after = withProvenance(built.record, source, draft, importedAt);
    const whole = () => recordText(modeline(root, config, folder), after);
    const { text, rewritten } = old
      ? updateText(old.text, old.value, after, keyOrder, whole)
      : { text: whole(), rewritten: false };
    const check = validateRecordBytes(rel, "incident", Buffer.from(text), fileCtx);
    if (check.diagnostics.length > 0) {
      busy.delete(id);
      report.outcomes.push({
        ...base,
        action: "invalid",
        id: old ? id : undefined,
        file: old ? rel : undefined,
        message: `the record would be invalid under this repository's rules; nothing was written`,
        details: check.diagnostics.map(diagLine),
      });
      continue;
    }
    const diff = createTwoFilesPatch(
      old ? `a/${rel}` : "/dev/null",
      `b/${rel}`,
      old?.text ?? "",
      text,
      undefined,
      undefined,
      {
        context: 3,
      },
    );
    if (!opts.dryRun) {
      if (old) {
        // Written only if the file still holds what was read: a concurrent edit is never overwritten.
        if (readInside(root, abs).text !== old.text) {
          report.outcomes.push({
            ...base,
            action: "refused",
            id,
            file: rel,
            message: `${rel} changed during the import; left alone`,
          });
          continue;
        }
      } else if (exists(abs)) {
        report.outcomes.push({
          ...base,
          action: "refused",
          id,
          file: rel,
          message: `${rel} appeared during the import; left alone`,
        });
        continue;
      }
      writeInside(root, abs, text);
    }
    report.outcomes.push({ ...base, action: old ? "updated" : "created", id, file: rel, diff, rewritten });
  }
}

function exists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

function formatNow(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/** Whether the report means exit 1: bad input, or a record refused, invalid or skipped. */
export function importFailed(report: ImportReport): boolean {
  return (
    report.diagnostics.length > 0 ||
    report.outcomes.some((o) => o.action === "refused" || o.action === "invalid" || o.action === "skipped")
  );
}
