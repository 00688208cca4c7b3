// What `npm install incident-as-code` gets: the files `npm pack` ships (the built CLI, the schemas,
// the templates, the README, CHANGELOG and LICENSE; no benchmark, build scripts, tests or sources)
// and a package.json that builds nothing on install and says which Node it needs.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";

interface PackFile {
  path: string;
}

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  version: string;
  license: string;
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
};

const packed = (): string[] => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, npm_config_loglevel: "silent" },
  });
  return (JSON.parse(out) as Array<{ files: PackFile[] }>)[0]?.files.map((f) => f.path) ?? [];
};

describe("the package", () => {
  const files = packed();

  it("ships exactly the CLI, schemas, templates, README, CHANGELOG and LICENSE", () => {
    expect([...new Set(files.map((f) => f.split("/")[0]))].sort()).toEqual([
      "CHANGELOG.md",
      "LICENSE",
      "README.md",
      "dist",
      "package.json",
      "schemas",
      "templates",
    ]);
    for (const bin of Object.values(pkg.bin)) expect(files).toContain(bin);
    for (const name of ["incident", "problem", "config"]) {
      expect(files).toContain(`schemas/${name}.schema.json`);
      expect(files).toContain(`dist/schemas/${name}.cjs`);
    }
  });

  it("leaves out the benchmark, the build and bundle scripts, the action's sources, tests and TypeScript", () => {
    expect(files.filter((f) => /^dist\/(?:bench|build|action)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /(?:^|\/)(?:test|src)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /\.(?:ts|tsx|mts|cts)$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("runs nothing on install: no install or prepare script; prepack builds before pack and publish", () => {
    for (const hook of ["preinstall", "install", "postinstall", "prepare"])
      expect(pkg.scripts[hook], hook).toBeUndefined();
    expect(pkg.scripts.prepack).toBe("npm run build");
  });

  it("is MIT with a LICENSE file, and a CHANGELOG entry for its version", () => {
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(join(repoRoot, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 incident-as-code contributors\n/);
    const changelog = readFileSync(join(repoRoot, "CHANGELOG.md"), "utf8");
    expect(changelog).toContain(`## [${pkg.version}] - `);
  });

  it("asks for no Node older than its runtime dependencies do", () => {
    // The floor engines.node states, as [major, minor]; every dependency's own floor must be at most it.
    const floor = (range: string): [number, number] => {
      const versions = [...range.matchAll(/>=?\s*(\d+)(?:\.(\d+))?/g)].map(
        (m) => [Number(m[1]), Number(m[2] ?? 0)] as [number, number],
      );
      return versions.reduce((a, b) => (a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a : b), [99, 0]);
    };
    const ours = floor(pkg.engines.node);
    // Every package npm would install for the dependencies (the lock file's non-dev entries).
    const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; optional?: boolean; engines?: { node?: string } }>;
    };
    const tooNew: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === "" || entry.dev || !entry.engines?.node) continue;
      const theirs = floor(entry.engines.node);
      if (theirs[0] > ours[0] || (theirs[0] === ours[0] && theirs[1] > ours[1]))
        tooNew.push(`${path}: ${entry.engines.node}`);
    }
    expect(tooNew, `engines.node ${pkg.engines.node}`).toEqual([]);
  });
});
