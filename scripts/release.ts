// Records the release commit in the package (the last step of `prepack`, after the build):
// dist/pkg/release.json holds the version and the 40-hex commit the package is packed from, so
// `incident init` can pin the callers to the commit. npm keeps `gitHead` only in the registry's
// metadata, not in the package.json an install gets, so the package must carry the commit itself.
// Outside a git checkout (a tarball unpacked and packed again) nothing is written, quietly: init then
// falls back to the tag. The `npm run build` that follows removes dist/pkg/, and this file with it.

import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PKG_DIR } from "./bundle-cli.js";
import { repoRoot } from "./root.js";

export interface Release {
  version: string;
  commit: string;
}

function git(root: string, args: string[]): string | undefined {
  const r = spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Writes `{version, commit}` to `outFile` when `root` is the top of a git checkout with a commit;
 * returns what it wrote, or undefined (nothing written). A package folder inside someone else's
 * repository is not a checkout of the toolkit: its top must be `root` itself.
 */
export function writeRelease(root: string, outFile: string): Release | undefined {
  const top = git(root, ["rev-parse", "--show-toplevel"]);
  if (top === undefined || realpathSync(top) !== realpathSync(root)) return undefined;
  const commit = git(root, ["rev-parse", "--verify", "HEAD^{commit}"]);
  if (commit === undefined || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const release = { version, commit };
  writeFileSync(outFile, `${JSON.stringify(release, null, 2)}\n`);
  return release;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = repoRoot(import.meta.url);
  const out = join(PKG_DIR, "release.json");
  const release = writeRelease(root, out);
  if (release)
    process.stdout.write(`wrote ${relative(root, out)}: ${release.version} at ${release.commit}\n`);
}
