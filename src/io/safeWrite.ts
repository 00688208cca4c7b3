// Writes and deletes files inside a folder the toolkit was told to write to, never through a
// symbolic link: a linked postmortem, a linked folder on the way, or a `..` in a path must not let
// a repository (or a pull request merged into it) make the toolkit overwrite or delete a file
// anywhere else on the machine.

import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { UserError } from "../diagnostics/errors.js";

/** A write or delete refused because the path is, or passes through, a link or leaves the folder. */
export class UnsafePathError extends UserError {}

// Not defined on Windows, where the lstat checks below still apply.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

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
  if (create) mkdirSync(root, { recursive: true });
  else if (!lstatOrUndefined(root)) return false;
  const parts = rel.split("/").slice(0, -1);
  let path = root;
  for (const part of parts) {
    path = join(path, part);
    let st = lstatOrUndefined(path);
    if (!st) {
      if (!create) return false;
      try {
        mkdirSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
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
  const rel = relOrThrow(root, file);
  try {
    if (!ensureParents(root, rel, false)) return {};
  } catch (err) {
    if (err instanceof UnsafePathError) return { link: true };
    throw err;
  }
  const target = join(root, rel);
  const st = lstatOrUndefined(target);
  if (!st) return {};
  if (st.isSymbolicLink()) return { link: true };
  if (!st.isFile()) return {};
  const fd = openSync(target, constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0));
  try {
    if (!fstatSync(fd).isFile()) return {};
    return { text: readFileSync(fd, "utf8") };
  } finally {
    closeSync(fd);
  }
}
