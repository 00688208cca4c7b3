// The published CLI (the last step of `npm run build`): src/cli/main.ts and the validation worker
// (src/usecases/worker.ts) bundled by esbuild into dist/pkg/ with every library inside, so that
// `npm install incident-as-code` installs one package. ES modules with code splitting: each command's
// lazy `import()` stays a chunk of its own, loaded only when the command runs, so `incident
// --version` loads main.js and nothing else. The tsc output in dist/ stays what the tests run.
//
// dist/pkg/ is two folders below the package root, as every tsc-built module is (dist/<folder>/), so
// the modules' `new URL("../../schemas/", import.meta.url)` find package.json, schemas/, templates/
// and dist/schemas/ from the bundle unchanged; all chunks sit directly in dist/pkg/ for the same
// reason, and the pool finds the worker as ./worker.js beside them. The schema loader's
// `createRequire` is src/action/require.cjs (as in the action's bundle): the precompiled and cached
// validators require ajv's runtime, which the bundle serves, since no node_modules is installed.
// dist/pkg/THIRD_PARTY_LICENSES lists every bundled package with its licence text.

import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundledRequire } from "./bundle.js";
import { bundledPackages, thirdPartyNotices } from "./licenses.js";
import { repoRoot } from "./root.js";

const root = repoRoot(import.meta.url);

/** Where the published CLI lives in the package; package.json's `bin` points at its main.js. */
export const PKG_DIR = join(root, "dist/pkg");

export async function bundleCli(outDir: string = PKG_DIR): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: join(root, "src/cli/main.ts"), worker: join(root, "src/usecases/worker.ts") },
    outdir: outDir,
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Paths in the metafile stay node_modules/..., wherever node_modules really lives.
    preserveSymlinks: true,
    sourcemap: false,
    legalComments: "eof",
    charset: "utf8",
    logLevel: "silent",
    metafile: true,
    // The CommonJS libraries inside call require() for Node's own modules, and some name their own
    // file (write-file-atomic's temporary names): CommonJS's require, __filename and __dirname.
    banner: {
      js: [
        'import { createRequire as __incident_create_require } from "node:module";',
        'import { fileURLToPath as __incident_file_path } from "node:url";',
        "const require = __incident_create_require(import.meta.url);",
        "const __filename = __incident_file_path(import.meta.url);",
        'const __dirname = __incident_file_path(new URL(".", import.meta.url));',
      ].join("\n"),
    },
    plugins: [bundledRequire],
    write: true,
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join("\n"));
  const main = join(outDir, "main.js");
  chmodSync(main, 0o755);
  const packages = bundledPackages(result.metafile, root);
  const notices = join(outDir, "THIRD_PARTY_LICENSES");
  writeFileSync(notices, thirdPartyNotices("the incident-as-code command line (dist/pkg/)", packages));
  return [...Object.keys(result.metafile.outputs).map((f) => join(root, f)), notices];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await bundleCli();
  const bytes = files.reduce((sum, f) => sum + readFileSync(f).length, 0);
  process.stdout.write(
    `wrote ${relative(root, PKG_DIR)}/: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB\n`,
  );
}
