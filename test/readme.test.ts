import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { withCodesTable } from "../scripts/docs.js";
import { CODES } from "../src/diagnostics/codes.js";
import { repoRoot } from "./helpers/cli.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const doc = (name: string) => readFileSync(join(repoRoot, "docs", name), "utf8");

describe("README and docs", () => {
  it("documents every diagnostic code: the table in docs/diagnostics.md is the registry's (npm run docs)", () => {
    const page = doc("diagnostics.md");
    expect(page).toBe(withCodesTable(page));
    for (const code of Object.keys(CODES)) expect(page, code).toContain(`| \`${code}\` |`);
  });

  it("keeps the README short: the pitch, adoption, the quick start, commands and links", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(200);
  });

  it("links only to files that exist, from the README and every docs page", () => {
    const pages: Array<[string, string]> = [["README.md", readme]];
    for (const name of readdirSync(join(repoRoot, "docs")).filter((f) => f.endsWith(".md")))
      pages.push([`docs/${name}`, doc(name)]);
    for (const [file, text] of pages) {
      for (const m of text.matchAll(/\]\(([^)\s#]+)(?:#[^)\s]*)?\)/g)) {
        const target = m[1] as string;
        if (/^(https?|mailto):/.test(target)) continue;
        expect(existsSync(join(repoRoot, dirname(file), target)), `${file} links to ${target}`).toBe(true);
      }
    }
  });

  it("starts with a quick start using npm ci, npm start and npm test", () => {
    const start = readme.indexOf("## Try it in a clone of this repository");
    expect(start).toBeGreaterThan(0);
    const quick = readme.slice(start, readme.indexOf("## Your first incident"));
    for (const cmd of ["npm ci", "npm start", "npm test"]) expect(quick).toContain(cmd);
  });

  it("tells an adopter to pin the toolkit before `npx incident`, which is another package without it", () => {
    for (const [name, text] of [
      ["README.md", readme],
      ["docs/adopting.md", doc("adopting.md")],
      ["docs/first-incident.md", doc("first-incident.md")],
    ]) {
      expect(text, name).toContain("npm install --save-dev --save-exact incident-as-code");
      expect(text, name).toContain("npx incident-as-code <command>");
    }
    // The adoption section itself names only commands that run the toolkit: the full name, or the
    // short one after the pin.
    const adopt = readme.slice(readme.indexOf("## Use it in your repository"), readme.indexOf("## Try it"));
    expect(adopt.indexOf("npm install --save-dev")).toBeLessThan(adopt.indexOf("npx incident "));
  });

  it("backs every promise of the check with a named test that exists", () => {
    const check = doc("check.md");
    const table = check.slice(
      check.indexOf("<!-- check-promises:start -->"),
      check.indexOf("<!-- check-promises:end -->"),
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
