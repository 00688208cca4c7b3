// Finds the repository root from a script's own location. The scripts and the benchmark run both as
// sources (scripts/, bench/: vitest imports them) and compiled (dist/tools/scripts/, dist/tools/bench/),
// at different depths, so the root is the nearest folder up with a package.json.
import { existsSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root as a path ending in a separator, for `join` and `new URL(..., pathToFileURL(root))`. */
export function repoRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = up;
  }
  return dir.endsWith(sep) ? dir : dir + sep;
}
