// The third-party notices of a bundle: every npm package esbuild put into it (read from the build's
// metafile), with its name, version, licence and licence text, as MIT, ISC, BSD and Apache-2.0 ask of
// anyone who redistributes the code. Written next to the bundle (THIRD_PARTY_LICENSES) and shipped
// with it.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Metafile } from "esbuild";

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** The package's folder, relative to the repository (node_modules/...). */
  dir: string;
  /** The licence file's text; for an MIT package without one, the MIT text naming its author. */
  text: string | undefined;
}

/** The MIT licence's text (https://opensource.org/license/mit), after its copyright line. */
const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

/** The package.json author as a name ("Name <mail> (url)" or { name }). */
function authorOf(author: unknown): string | undefined {
  if (typeof author === "string") return author.replace(/\s*[<(].*$/, "").trim() || undefined;
  if (author && typeof author === "object" && typeof (author as { name?: unknown }).name === "string")
    return (author as { name: string }).name;
  return undefined;
}

/** node_modules/<name> or node_modules/@scope/<name>, the innermost one for nested installs. */
const PACKAGE_DIR = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/** The packages whose files are in the bundle, sorted by name and version. */
export function bundledPackages(metafile: Metafile, root: string): BundledPackage[] {
  const dirs = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const input of Object.keys(output.inputs)) {
      const m = PACKAGE_DIR.exec(input.replace(/\\/g, "/"));
      if (m) dirs.add(m[1] as string);
    }
  const packages = [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as {
      name: string;
      version: string;
      license?: string | { type?: string };
      author?: unknown;
    };
    const license = typeof pkg.license === "string" ? pkg.license : (pkg.license?.type ?? "UNKNOWN");
    let text = licenseText(join(root, dir));
    // A few packages name MIT in package.json without shipping its text: the notice carries it.
    if (text === undefined && license === "MIT")
      text = [
        "(The package ships no licence file; this is the MIT licence its package.json names.)",
        "",
        `Copyright (c) ${authorOf(pkg.author) ?? `the authors of ${pkg.name}`}`,
        "",
        MIT,
      ].join("\n");
    return { name: pkg.name, version: pkg.version, license, dir, text };
  });
  return packages.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** LICENSE, LICENCE, COPYING (any case, any extension) in the package's own folder. */
function licenseText(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir)
    .filter((f) => /^(?:licen[cs]e|copying)(?:[.-].*)?$/i.test(f))
    .sort()[0];
  return file ? readFileSync(join(dir, file), "utf8").trim() : undefined;
}

/** The notices file: a header, then one section per package. */
export function thirdPartyNotices(what: string, packages: readonly BundledPackage[]): string {
  const sections = packages.map((p) =>
    [
      `## ${p.name} ${p.version}`,
      "",
      `License: ${p.license}`,
      "",
      p.text ?? `The package ships no licence file; its package.json names the licence ${p.license}.`,
    ].join("\n"),
  );
  return `${[
    `# Third-party software in ${what}`,
    "",
    "This file is generated from the bundle's metafile. The packages below are bundled into it; each is",
    "distributed under its own licence, whose text follows.",
    "",
    ...sections.flatMap((s) => [s, ""]),
  ]
    .join("\n")
    .trimEnd()}\n`;
}
