import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES } from "../src/diagnostics/codes.js";
import { repoRoot } from "./helpers/cli.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

describe("README", () => {
  it("documents every diagnostic code in the code table", () => {
    for (const [code, info] of Object.entries(CODES)) {
      expect(readme, code).toContain(
        `| \`${code}\` | ${info.severity} | ${info.summary.replaceAll("|", "\\|")} |`,
      );
    }
  });

  it("starts with a quick start using npm ci, npm start and npm test", () => {
    const quick = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## What lives where"));
    for (const cmd of ["npm ci", "npm start", "npm test"]) expect(quick).toContain(cmd);
  });

  it("backs every promise of the check with a named test that exists", () => {
    const table = readme.slice(
      readme.indexOf("<!-- check-promises:start -->"),
      readme.indexOf("<!-- check-promises:end -->"),
    );
    const rows = [...table.matchAll(/^\| [^|]+ \| `(test\/[\w.-]+\.test\.ts)` › (.+) \|$/gm)];
    expect(rows.length).toBeGreaterThan(20);
    for (const [, file, name] of rows) {
      const source = readFileSync(join(repoRoot, file as string), "utf8");
      // The test's own title, as written in its it("...") call.
      expect(source, `${file} › ${name}`).toContain(`it(${JSON.stringify(name)}`.slice(0, -1));
    }
  });

  it("names the same test command as .ci/run", () => {
    const ci = readFileSync(join(repoRoot, ".ci/run"), "utf8");
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
