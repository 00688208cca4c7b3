// The committed action bundle is what the source builds (as actions/typescript-action's check-dist
// does): `npm run bundle` rebuilt into a temporary folder gives the same bytes as every generated
// file under .github/actions/check. After a change to anything the check runs, run `npm run bundle`
// and commit the result.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ACTION_DIR, bundleAction, GENERATED } from "../scripts/bundle.js";

const out = mkdtempSync(join(tmpdir(), "incident-bundle-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the committed action bundle", () => {
  it("equals a fresh `npm run bundle` of the source, file by file", async () => {
    const files = await bundleAction(out);
    expect(files.map((f) => relative(out, f)).sort()).toEqual([...GENERATED].sort());
    const stale: string[] = [];
    for (const f of GENERATED) {
      let committed: string;
      try {
        committed = readFileSync(join(ACTION_DIR, f), "utf8");
      } catch {
        committed = "<missing>";
      }
      if (committed !== readFileSync(join(out, f), "utf8")) stale.push(f);
    }
    expect(stale, "stale files under .github/actions/check: run `npm run bundle` and commit them").toEqual(
      [],
    );
  }, 60_000);

  it("is one self-contained ES module: no import but Node's own", () => {
    const code = readFileSync(join(ACTION_DIR, "dist/index.js"), "utf8");
    const imports = [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1] as string);
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(builtinModules, spec).toContain(spec.replace(/^node:/, ""));
    // The check needs no templates, no prompts and no command-line parser.
    for (const name of ["handlebars", "@clack/prompts", "commander"])
      expect(code, name).not.toContain(`node_modules/${name}/`);
  });
});
