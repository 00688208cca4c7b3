// A content-addressed cache of per-file results, kept outside the repository (so a pull request
// cannot plant one) under $XDG_CACHE_HOME or ~/.cache. Entries are keyed by path and content hash;
// the whole cache is dropped when the tool version, schemas or effective config change.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { FileResult } from "../validate/file.js";

interface CacheFile {
  key: string;
  entries: Record<string, { hash: string; result: FileResult }>;
}

export class ResultCache {
  private readonly entries: CacheFile["entries"];
  private readonly fresh: CacheFile["entries"] = {};
  private dirty = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly key: string,
    entries: CacheFile["entries"],
  ) {
    this.entries = entries;
  }

  static open(root: string, key: string, enabled: boolean): ResultCache {
    if (!enabled) return new ResultCache(undefined, key, {});
    const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
    const path = join(base, "incident-as-code", `validate-${hash(root).slice(0, 16)}.json`);
    try {
      const data = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
      if (data.key === key && data.entries && typeof data.entries === "object")
        return new ResultCache(path, key, data.entries);
    } catch {
      // Missing or unreadable cache: start empty.
    }
    return new ResultCache(path, key, {});
  }

  /** How many of these files have an entry (of any content): a cheap guess at how warm a run is. */
  coverage(files: readonly string[]): number {
    let n = 0;
    for (const f of files) if (Object.hasOwn(this.entries, f)) n++;
    return n;
  }

  get(file: string, contentHash: string): FileResult | undefined {
    const e = Object.hasOwn(this.entries, file) ? this.entries[file] : undefined;
    if (!e || e.hash !== contentHash) return undefined;
    this.fresh[file] = e;
    return e.result;
  }

  set(file: string, contentHash: string, result: FileResult): void {
    if (!this.path) return;
    this.fresh[file] = { hash: contentHash, result };
    this.dirty = true;
  }

  /** Writes the entries seen in this run (files that disappeared are dropped). Best effort. */
  save(): void {
    if (!this.path) return;
    if (!this.dirty && Object.keys(this.fresh).length === Object.keys(this.entries).length) return;
    try {
      mkdirSync(join(this.path, ".."), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ key: this.key, entries: this.fresh } satisfies CacheFile));
      renameSync(tmp, this.path);
    } catch {
      // A read-only home or full disk only costs speed.
    }
  }
}

export function hash(data: string | Uint8Array): string {
  return createHash("sha1").update(data).digest("hex");
}
