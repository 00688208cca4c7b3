// Reading and writing one record file safely: ids are checked before they become paths, writes are
// atomic (temporary file, fsync, rename), a lock file keeps two writers apart, and a file that
// changed on disk since it was read is never overwritten.

import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename } from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { Config } from "../config/types.js";
import { UserError } from "../diagnostics/errors.js";
import type { RecordKind } from "../validate/semantic.js";
import { discoverFiles, type FoundFile } from "./discover.js";

export class StoreError extends UserError {}

/** The record is locked by another command (or a lock that looks alive was left behind). */
export class LockedError extends StoreError {
  constructor(
    message: string,
    /** The lock file's absolute path. */
    readonly lock: string,
    /** The process the lock names, if any. */
    readonly pid: number | undefined,
  ) {
    super(message);
  }
}

/** Ids as the schema allows them; anything else never becomes part of a path. */
export const ID_SHAPE = /^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{3,8}$/;

export function checkIdShape(id: string, kind: RecordKind): void {
  if (!ID_SHAPE.test(id)) {
    throw new StoreError(
      `\`${JSON.stringify(id).slice(1, -1).slice(0, 80)}\` is not ${kind === "incident" ? "an" : "a"} ${kind} id (expected something like ${kind === "incident" ? "INC-2026-0001" : "PRB-2026-0001"})`,
    );
  }
}

/** The file of record `id`, found among the repository's record files (never a link). */
export function findRecord(root: string, config: Config, id: string, kind: RecordKind): FoundFile {
  checkIdShape(id, kind);
  const found = discoverFiles(root, config, [], root).files.filter(
    (f) => f.kind === kind && basename(f.file).replace(/\.ya?ml$/, "") === id,
  );
  if (found.length === 0)
    throw new StoreError(
      `no ${kind} \`${id}\` in ${kind === "incident" ? config.paths.incidents : config.paths.problems}/`,
    );
  if (found.length > 1)
    throw new StoreError(`\`${id}\` exists twice: ${found.map((f) => f.file).join(", ")}`);
  return found[0] as FoundFile;
}

function lockPath(abs: string): string {
  return `${abs}.lock`;
}

let lockSerial = 0;

/**
 * Creates the lock file holding `text`, or returns false when it exists. The pid is written to a
 * private file first and linked into place, so a lock is never seen empty while it is being made:
 * an empty lock can only be left behind (a full disk, a crash), which is why an empty lock is stale.
 */
function createLock(path: string, text: string): boolean {
  const temp = `${path.slice(0, -".lock".length)}.${process.pid}.${++lockSerial}.lock`;
  try {
    writePrivate(temp, text);
    try {
      linkSync(temp, path);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return false;
      // A file system without hard links: create the lock in place instead.
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw err;
    }
  } finally {
    removeQuietly(temp);
  }
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } catch (err) {
    closeSync(fd);
    removeQuietly(path);
    throw err;
  }
  closeSync(fd);
  return true;
}

function writePrivate(path: string, text: string): void {
  const fd = openSync(path, "wx", 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/**
 * Removes a stale lock, but only the one judged stale: it is moved aside first, and if another
 * command has meanwhile replaced it with its own live lock, that lock is put back.
 */
function removeStale(path: string, seen: string | undefined): void {
  const aside = `${path.slice(0, -".lock".length)}.${process.pid}.${++lockSerial}.stale.lock`;
  try {
    renameSync(path, aside);
  } catch {
    return; // Someone else removed it first.
  }
  if (readText(aside) !== seen) {
    try {
      linkSync(aside, path);
    } catch {
      // A newer lock is in place; it stands.
    }
  }
  removeQuietly(aside);
}

/** The process a lock names, or undefined when it names none (empty, unreadable, not a pid). */
function lockHolder(content: string | undefined): number | undefined {
  const text = content?.trim() ?? "";
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined;
}

function acquireLock(abs: string): () => void {
  const path = lockPath(abs);
  for (let attempt = 0; attempt < 2; attempt++) {
    let created: boolean;
    try {
      created = createLock(path, `${process.pid}\n`);
    } catch (err) {
      throw new StoreError(
        `cannot write the lock file ${basename(path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was written`,
      );
    }
    if (created) return () => removeQuietly(path);
    const seen = readText(path);
    const pid = lockHolder(seen);
    if (attempt === 0 && (pid === undefined || !isAlive(pid))) {
      // The lock names no process, or one that is gone: it is stale (left by a crash or a full disk).
      removeStale(path, seen);
      continue;
    }
    throw new LockedError(
      `${basename(abs)} is being edited by another process${pid !== undefined ? ` (pid ${pid})` : ""}; try again, or remove ${basename(path)} if no edit is running`,
      path,
      pid,
    );
  }
  throw new LockedError(
    `${basename(abs)} is being edited by another process; try again, or remove ${basename(path)} if no edit is running`,
    path,
    undefined,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Replaces the file with `text` if it still holds exactly `original`; creates it when `original`
 * is undefined and no file exists.
 */
export async function writeRecord(
  abs: string,
  original: Uint8Array | undefined,
  text: string,
): Promise<void> {
  const release = acquireLock(abs);
  try {
    let current: Buffer | undefined;
    try {
      current = readFileSync(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (original === undefined && current !== undefined)
      throw new StoreError(`${basename(abs)} already exists`);
    if (original !== undefined && (current === undefined || !current.equals(original))) {
      throw new StoreError(
        `${basename(abs)} changed on disk since it was read; nothing was written, run the command again`,
      );
    }
    await writeFileAtomic(abs, text, { encoding: "utf8", fsync: true });
  } finally {
    release();
  }
}
