// `incident schema`: writes the effective JSON Schemas (the bundled schemas plus the lifecycles and
// catalogs of incident.config.yaml) into the repository for editors, or checks that the committed
// ones are current (CI, like a check-dist step).

import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findRoot, loadRepoConfig } from "../config/load.js";
import { UsageError } from "../diagnostics/errors.js";
import { readInside, UnsafePathError, writeInside } from "../io/safeWrite.js";
import { SCHEMA_NAMES } from "../schema/ajv.js";
import type { CommandContext } from "./context.js";
import { formatText, noColors, safe } from "./report.js";

export interface SchemaCliOptions {
  dir: string;
  write?: boolean;
  check?: boolean;
}

/** A relative path inside the repository: no `..` segment, not absolute. */
const SAFE_DIR = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/;

/**
 * Exit status: 0 written (or current with --check); 1 stale or missing with --check, or the config
 * has errors (nothing is written then); 2 usage errors and a target folder that cannot be used.
 */
export async function runSchema(opts: SchemaCliOptions, ctx: CommandContext): Promise<number> {
  const repoDir = resolve(ctx.cwd, opts.dir);
  if (!statSync(repoDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`no such directory: ${safe(opts.dir)}`);
  }
  if (Boolean(opts.write) === Boolean(opts.check)) {
    throw new UsageError("schema: give exactly one of --write and --check");
  }
  const root = findRoot(repoDir);
  const loaded = await loadRepoConfig(root);
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const readText = (file: string) => {
      try {
        // Never through a link: a linked config must not print a file from elsewhere.
        return readInside(root, join(root, file)).text;
      } catch {
        return undefined;
      }
    };
    ctx.stdout.write(formatText(errors, readText, noColors));
    ctx.stderr.write("incident: fix incident.config.yaml first; no schema was written or checked\n");
    return 1;
  }
  const dir = loaded.config.paths.schemas.replace(/\/+$/, "");
  const problem = unusableDir(root, dir);
  if (problem) {
    throw new UsageError(`schema: \`${safe(dir)}\` (config paths.schemas) ${problem}`);
  }
  const stale: string[] = [];
  for (const name of SCHEMA_NAMES) {
    const file = `${dir}/${name}.schema.json`;
    const abs = join(root, file);
    const expected = loaded.schemaTexts[name];
    const current = readRegular(abs);
    if (current === expected) {
      if (opts.write) ctx.stdout.write(`${file}: up to date\n`);
      continue;
    }
    if (opts.check) {
      stale.push(file);
      ctx.stdout.write(
        `${file}: ${current === undefined ? "missing" : "stale"} (SCHEMA_STALE); run \`incident schema --write\` and commit the result\n`,
      );
      continue;
    }
    // Never through a link: a linked schema file would otherwise overwrite whatever it points to.
    try {
      writeInside(root, abs, expected);
    } catch (err) {
      if (!(err instanceof UnsafePathError)) throw err;
      throw new UsageError(`schema: ${safe(err.message)}`);
    }
    ctx.stdout.write(`${file}: written\n`);
  }
  if (opts.check && stale.length === 0) ctx.stdout.write(`${dir}: up to date\n`);
  return stale.length > 0 ? 1 : 0;
}

/** Why `dir` cannot hold the generated schemas, if it cannot: outside the repo, a link, the bundled schemas. */
function unusableDir(root: string, dir: string): string | undefined {
  if (!SAFE_DIR.test(dir)) return "is not a plain relative path inside the repository";
  // Every existing component must be a real folder: a link could point the write anywhere.
  let path = root;
  for (const part of dir.split("/")) {
    path = join(path, part);
    const st = lstatOrUndefined(path);
    if (!st) break;
    if (!st.isDirectory()) return "is a link or not a folder";
  }
  const target = lstatOrUndefined(join(root, dir)) ? realpathSync(join(root, dir)) : undefined;
  const bundled = realpathSync(fileURLToPath(new URL("../../schemas/", import.meta.url)));
  if (target === bundled) return "is the toolkit's own base schemas folder; choose another one";
  return undefined;
}

function readRegular(path: string): string | undefined {
  const st = lstatOrUndefined(path);
  if (!st?.isFile()) return undefined;
  return readFileSync(path, "utf8");
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
