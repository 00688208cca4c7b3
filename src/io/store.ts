// Reading and writing one record file safely: ids are checked before they become paths, writes are
// atomic (temporary file, fsync, rename), a lock file keeps two writers apart, and a file that
// changed on disk since it was read is never overwritten.

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { basename } from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { Config } from "../config/types.js";
import { UserError } from "../diagnostics/errors.js";
import type { RecordKind } from "../validate/semantic.js";
import { discoverFiles, type FoundFile } from "./discover.js";

export class StoreError extends UserError {}

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

function acquireLock(abs: string): () => void {
  const path = lockPath(abs);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readText(path)?.trim());
      if (attempt === 0 && Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
        // The process that held the lock is gone: the lock is stale.
        try {
          unlinkSync(path);
        } catch {
          // Someone else removed it first.
        }
        continue;
      }
      throw new StoreError(
        `${basename(abs)} is being edited by another process${Number.isInteger(pid) ? ` (pid ${pid})` : ""}; try again, or remove ${basename(path)} if no edit is running`,
      );
    }
  }
  throw new StoreError(`cannot lock ${basename(abs)}`);
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
