// Writes, deletes and reads files inside a folder the toolkit was told to use, never through a
// symbolic link: a linked postmortem, a linked folder on the way, or a `..` in a path must not let
// a repository (or a pull request merged into it) make the toolkit overwrite, delete or show a file
// anywhere else on the machine. Reads take regular files only, so a FIFO or a device never blocks
// or floods a run.

import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { UserError } from "../diagnostics/errors.js";

/** A write or delete refused because the path is, or passes through, a link or leaves the folder. */
export class UnsafePathError extends UserError {}

// Not defined on Windows, where the lstat checks below still apply.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** The most readInside takes (Node's longest string is about 512 MiB). */
const MAX_READ_BYTES = 512 * 1024 * 1024;

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** `file` relative to `root` with forward slashes, or undefined when it is not strictly inside. */
export function insideRel(root: string, file: string): string | undefined {
  const rel = relative(root, file);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

function relOrThrow(root: string, file: string): string {
  const rel = insideRel(root, file);
  if (rel === undefined)
    throw new UnsafePathError(`${JSON.stringify(file)} is outside ${JSON.stringify(root)}; not written`);
  return rel;
}

/**
 * Makes the folders between `root` and `file` (root itself too, the one place a link is taken as
 * the user meant it): every existing one must be a real folder, not a link, and end up inside root.
 */
function ensureParents(root: string, rel: string, create: boolean): boolean {
  if (create) makeFolders(root);
  else if (!lstatOrUndefined(root)) return false;
  const parts = rel.split("/").slice(0, -1);
  let path = root;
  for (const part of parts) {
    path = join(path, part);
    let st = lstatOrUndefined(path);
    if (!st) {
      if (!create) return false;
      makeFolder(path);
      st = lstatSync(path);
    }
    if (st.isSymbolicLink())
      throw new UnsafePathError(
        `${relative(root, path)} is a symbolic link; the toolkit never writes through links`,
      );
    if (!st.isDirectory()) throw new UnsafePathError(`${relative(root, path)} is not a folder`);
  }
  const realRoot = realpathSync.native(root);
  const realParent = realpathSync.native(join(root, ...parts));
  if (realParent !== realRoot && insideRel(realRoot, realParent) === undefined) {
    throw new UnsafePathError(`${rel} resolves outside ${root}`);
  }
  return true;
}

/** A folder that is not there yet (one that appeared meanwhile is fine); a file in the way is named. */
function makeFolder(path: string): void {
  try {
    mkdirSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && lstatOrUndefined(path)?.isDirectory()) return;
    if (code === "EEXIST" || code === "ENOTDIR") throw new UserError(`${notAFolder(path)} is not a folder`);
    throw new UserError(`cannot make the folder ${path}: ${code ?? String(err)}`);
  }
}

/** The first path on the way to `path` (or `path` itself) that exists and is not a folder. */
function notAFolder(path: string): string {
  let p = path;
  const chain: string[] = [];
  while (dirname(p) !== p) {
    chain.unshift(p);
    p = dirname(p);
  }
  for (const c of chain) {
    let st: Stats | undefined;
    try {
      st = statSync(c);
    } catch {
      return path;
    }
    if (!st.isDirectory()) return c;
  }
  return path;
}

/**
 * `mkdir -p`, one level at a time and stopping at the first error: Node's `recursive: true` loops
 * forever on some paths (under /proc, where a missing name cannot be made and mkdir says ENOENT).
 * Also the output folder of a command that may have nothing to write into it.
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  let p = path;
  while (!statOrUndefined(p)) {
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  if (missing.length === 0) {
    if (!statSync(path).isDirectory()) throw new UserError(`${notAFolder(path)} is not a folder`);
    return;
  }
  for (const m of missing) makeFolder(m);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") throw new UserError(`${notAFolder(path)} is not a folder`);
    throw err;
  }
}

/**
 * Writes `text` to `file`, which must be inside `root`. The file is written to a new temporary file
 * (opened with O_CREAT|O_EXCL|O_NOFOLLOW) and renamed over the old one, so a reader never sees half
 * a file and a link or hard link at the name is replaced, never written through. A name that is a
 * link, or any folder on the way that is one, is refused with UnsafePathError.
 */
export function writeInside(root: string, file: string, text: string): void {
  const rel = relOrThrow(root, file);
  ensureParents(root, rel, true);
  const target = join(root, rel);
  const st = lstatOrUndefined(target);
  if (st?.isSymbolicLink())
    throw new UnsafePathError(`${rel} is a symbolic link; the toolkit never writes through links`);
  if (st && !st.isFile()) throw new UnsafePathError(`${rel} is not a regular file`);
  const tmp = join(
    dirname(target),
    `.${rel.split("/").pop()}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o666);
  try {
    if (!fstatSync(fd).isFile()) throw new UnsafePathError(`${rel} is not a regular file`);
    const bytes = Buffer.from(text, "utf8");
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    if (st) chmodSync(tmp, st.mode & 0o777);
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone.
    }
    throw err;
  }
}

/**
 * Removes `file` inside `root` if it is there: a regular file or a link (unlink removes the link,
 * never its target). Nothing is removed through a linked folder or outside root (UnsafePathError);
 * a folder or anything else at the name is left alone. Returns whether something was removed.
 */
export function removeInside(root: string, file: string): boolean {
  const rel = relOrThrow(root, file);
  if (!ensureParents(root, rel, false)) return false;
  const target = join(root, rel);
  const st = lstatOrUndefined(target);
  if (!st || !(st.isFile() || st.isSymbolicLink())) return false;
  unlinkSync(target);
  return true;
}

/**
 * The text of `file` inside `root`, or undefined when there is no regular file there. A link (at the
 * name or on the way) is never read through: `link` tells the caller one is in the way.
 */
export function readInside(root: string, file: string): { text?: string; link?: boolean } {
  const read = readBytesInside(root, file);
  return read.bytes ? { text: read.bytes.toString("utf8") } : read.link ? { link: true } : {};
}

/** The bytes of `file` inside `root` (a regular file, never through a link), as readInside. */
export function readBytesInside(root: string, file: string): { bytes?: Buffer; link?: boolean } {
  const rel = relOrThrow(root, file);
  try {
    if (!ensureParents(root, rel, false)) return {};
  } catch (err) {
    if (err instanceof UnsafePathError) return { link: true };
    throw err;
  }
  const read = readRegularFile(join(root, rel), MAX_READ_BYTES);
  if ("bytes" in read) return { bytes: read.bytes };
  if (read.refused === "too-large")
    throw new UserError(`${rel} is larger than ${MAX_READ_BYTES} bytes; not read`);
  return read.refused === "link" ? { link: true } : {};
}

/** What readRegularFile found instead of a file it could read whole. */
export type RegularRead =
  | { bytes: Buffer }
  | { refused: "missing" | "link" | "not-file" }
  /** More than the cap: `size` is the file's size, or at least cap + 1 when it grew while read. */
  | { refused: "too-large"; size: number };

/**
 * Reads `path` when it is a regular file of at most `maxBytes` bytes: a link at the name is refused,
 * not followed, and a FIFO, socket or device is never opened for reading (opened with O_NONBLOCK and
 * checked again after the open, for a file swapped meanwhile). At most maxBytes + 1 bytes are read,
 * so a file that grows while it is read cannot make the read unbounded.
 */
export function readRegularFile(path: string, maxBytes: number): RegularRead {
  const st = lstatOrUndefined(path);
  if (!st) return { refused: "missing" };
  if (st.isSymbolicLink()) return { refused: "link" };
  if (!st.isFile()) return { refused: "not-file" };
  if (st.size > maxBytes) return { refused: "too-large", size: st.size };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { refused: "link" };
    if (code === "ENOENT") return { refused: "missing" };
    throw err;
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { refused: "not-file" };
    if (opened.size > maxBytes) return { refused: "too-large", size: opened.size };
    const limit = maxBytes + 1;
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(limit - total, 1 << 20));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
    }
    if (total > maxBytes) return { refused: "too-large", size: total };
    return { bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total) };
  } finally {
    closeSync(fd);
  }
}
