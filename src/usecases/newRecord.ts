// Creating a new incident or problem record: allocate the next id for the year (passing over ids
// another process holds locked, retrying when one is taken meanwhile), write the record in its
// initial state with the schema modeline, and refuse to overwrite anything or write through links.

import { lstatSync, mkdirSync, realpathSync, rmdirSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { stringify } from "yaml";
import type { Config } from "../config/types.js";
import { discoverFiles, isInside } from "../io/discover.js";
import { checkIdShape, LockedError, StoreError, writeRecord } from "../io/store.js";
import { formatInZone, parseTime } from "../lifecycle/time.js";
import type { Validators } from "../schema/load.js";
import { validateRecordBytes } from "../validate/file.js";
import type { RecordKind } from "../validate/semantic.js";
import { handle } from "./authoring.js";
import { formatDiagnostic, RefusedError } from "./editRecord.js";

export interface NewRecordOptions {
  title?: string;
  severity?: string;
  category?: string[];
  service?: string[];
  commander?: string;
  summary?: string;
  detectedAt?: string;
  mode?: string;
  id?: string;
  by?: string;
  owner?: string;
  /** Check everything and return the record's text; create nothing. */
  dryRun?: boolean;
  now?: Date;
}

/** The repository a record is created in, as openRepo returns it. */
export interface NewRecordRepo {
  root: string;
  config: Config;
  validators: Validators;
}

type Obj = Record<string, unknown>;

/**
 * The next free id `PREFIX-YEAR-NNNN` among the repository's files of this kind, passing over the
 * ids in `busy` (ids another process is writing right now).
 */
export function nextId(
  root: string,
  config: Config,
  kind: RecordKind,
  year: string,
  busy: ReadonlySet<string> = new Set(),
): string {
  const { prefix, digits } = config.ids[kind];
  const pattern = new RegExp(`^${prefix}-${year}-(\\d+)\\.ya?ml$`);
  let max = 0;
  for (const f of discoverFiles(root, config, [], root).files) {
    const m = pattern.exec(basename(f.file));
    if (m) max = Math.max(max, Number(m[1]));
  }
  const id = (n: number) => `${prefix}-${year}-${String(n).padStart(digits, "0")}`;
  let next = max + 1;
  while (busy.has(id(next))) next++;
  return id(next);
}

function modeline(root: string, config: Config, fileDir: string, kind: RecordKind): string {
  const schema = join(root, config.paths.schemas, `${kind}.schema.json`);
  return `# yaml-language-server: $schema=${relative(fileDir, schema).split(sep).join("/")}\n`;
}

export async function createRecord(
  kind: RecordKind,
  repo: NewRecordRepo,
  opts: NewRecordOptions,
): Promise<{ id: string; path: string; text: string }> {
  const { root, config, validators } = repo;
  if (!opts.title || opts.title.trim() === "") throw new RefusedError("--title is required");
  const now = opts.now ?? new Date();
  const declared = formatInZone(now, config.timezone);
  const detected = opts.detectedAt ? parseTime(opts.detectedAt, now, config.timezone) : declared;
  const year = declared.slice(0, 4);
  if (opts.id) {
    checkIdShape(opts.id, kind);
    if (!opts.id.startsWith(`${config.ids[kind].prefix}-`)) {
      throw new RefusedError(
        `${opts.id} does not start with the configured prefix ${config.ids[kind].prefix}-`,
      );
    }
  }
  const busy = new Set<string>();
  let locked: LockedError | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = opts.id ?? nextId(root, config, kind, year, busy);
    const idYear = id.split("-")[1] as string;
    const folder =
      kind === "incident" ? join(root, config.paths.incidents, idYear) : join(root, config.paths.problems);
    const abs = join(folder, `${id}.yaml`);
    const record =
      kind === "incident" ? incidentRecord(id, opts, declared, detected) : problemRecord(id, opts, declared);
    const text =
      modeline(root, config, folder, kind) + stringify(record, { lineWidth: 100, indentSeq: true });
    const rel = relative(root, abs).split(sep).join("/");
    const check = validateRecordBytes(rel, kind, Buffer.from(text), { config, validators, fullParse: true });
    if (check.diagnostics.length > 0) {
      throw new RefusedError(
        `the new ${kind} would be invalid; nothing was written`,
        check.diagnostics.map(formatDiagnostic),
      );
    }
    // Every check before anything is created: a refused command leaves no folder behind, not even
    // through a linked folder outside the repository.
    refuseLinkedFolder(root, folder);
    if (opts.dryRun) return { id, path: rel, text };
    const created = mkdirSync(folder, { recursive: true });
    try {
      refuseLinkedFolder(root, folder);
      await writeRecord(abs, undefined, text);
      return { id, path: rel, text };
    } catch (err) {
      removeCreatedFolders(created, folder);
      if (!(err instanceof StoreError)) throw err;
      // Someone else took this id a moment ago: take the next one (unless the id was given).
      if (!opts.id && /already exists/.test(err.message)) continue;
      if (!opts.id && err instanceof LockedError) {
        // Another process is writing this id: pass over it.
        busy.add(id);
        locked = err;
        continue;
      }
      throw new RefusedError(err.message);
    }
  }
  if (locked) {
    const lock = relative(root, locked.lock).split(sep).join("/");
    throw new RefusedError(
      `could not allocate a free id: the next ones are locked, last ${lock}${locked.pid !== undefined ? ` (pid ${locked.pid})` : ""}; try again, or remove ${lock} if no command is running`,
    );
  }
  throw new RefusedError("could not allocate a free id; try again");
}

/** Removes the folders `mkdirSync` created (from `first` down to `folder`) if they are still empty. */
function removeCreatedFolders(first: string | undefined, folder: string): void {
  if (first === undefined) return;
  for (let dir = folder; dir.length >= first.length; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === first) return;
  }
}

function incidentRecord(id: string, opts: NewRecordOptions, declared: string, detected: string): Obj {
  const r: Obj = { schema_version: 1, id, title: opts.title?.trim() };
  if (opts.summary) r.summary = opts.summary;
  if (opts.mode && opts.mode !== "standard") r.mode = opts.mode;
  r.status = "new";
  if (opts.severity) r.severity = opts.severity;
  if (opts.category?.length) r.categories = opts.category;
  if (opts.service?.length) r.services = opts.service;
  if (opts.commander) r.roles = { incident_commander: handle(opts.commander) };
  r.timestamps = { detected_at: detected, declared_at: declared };
  const entry: Obj = { at: declared, type: "detection" };
  if (opts.by) entry.actor = handle(opts.by);
  entry.text = `Declared: ${opts.title?.trim()}`;
  r.timeline = [entry];
  return r;
}

function problemRecord(id: string, opts: NewRecordOptions, created: string): Obj {
  const r: Obj = { schema_version: 1, id, title: opts.title?.trim() };
  if (opts.summary) r.summary = opts.summary;
  r.status = "new";
  if (opts.owner) r.owner = handle(opts.owner);
  if (opts.service?.length) r.services = opts.service;
  if (opts.category?.length) r.categories = opts.category;
  r.timestamps = { created_at: created };
  return r;
}

/**
 * Refuses to write through a symbolic link between the repository root and the target folder. The
 * folder may not exist yet: its existing part is checked, the rest will be created as real folders.
 */
function refuseLinkedFolder(root: string, folder: string): void {
  const rel = relative(root, folder);
  let cur = root;
  let existing = root;
  for (const part of rel.split(sep).filter((p) => p !== "")) {
    cur = join(cur, part);
    let stat: ReturnType<typeof lstatSync> | undefined;
    try {
      stat = lstatSync(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") break;
      throw err;
    }
    if (stat.isSymbolicLink()) {
      throw new RefusedError(
        `${relative(root, cur).split(sep).join("/")} is a symbolic link; records are written only into real folders of the repository`,
      );
    }
    if (!stat.isDirectory())
      throw new RefusedError(`${relative(root, cur).split(sep).join("/")} is not a folder`);
    existing = cur;
  }
  if (!isInside(realpathSync(root), realpathSync(existing)))
    throw new RefusedError(`${rel.split(sep).join("/")} is outside the repository`);
}
