// What `npm install incident-as-code` gets: the files `npm pack` ships (the bundled CLI in dist/pkg
// with its third-party notices, the schemas, the templates, the README, CHANGELOG and LICENSE; no
// benchmark, build scripts, tests, sources or tsc output), no dependency to install, and a
// package.json that builds nothing on install and says which Node it needs, no older than what any
// bundled package asks for. Needs the build (dist/pkg).

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin: Record<string, string>;
};

interface PackageMeta {
  name: string;
  version: string;
  license?: string | { type?: string };
  engines?: { node?: string };
}

const licenseOf = (meta: PackageMeta) =>
  typeof meta.license === "string" ? meta.license : (meta.license?.type ?? "UNKNOWN");

const PKG = join(repoRoot, "dist/pkg");

/**
 * The packages inside the bundle, read from the bundle itself: esbuild heads each module's code with
 * its path (`// node_modules/<name>/...`). Independent of the metafile the notices are made from.
 */
function bundledDirs(): string[] {
  expect(existsSync(join(PKG, "main.js")), "dist/pkg: run `npm run build`").toBe(true);
  const dirs = new Set<string>();
  for (const f of readdirSync(PKG).filter((n) => n.endsWith(".js")))
    for (const m of readFileSync(join(PKG, f), "utf8").matchAll(
      /^\/\/ ((?:[^\s]*\/)?node_modules\/(?:@[^/\s]+\/)?[^/\s]+)\//gm,
    ))
      dirs.add(m[1] as string);
  return [...dirs].sort();
}

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
    for (const bin of Object.values(pkg.bin)) expect(bin).toBe("dist/pkg/main.js");
    for (const f of ["dist/pkg/main.js", "dist/pkg/worker.js", "dist/pkg/THIRD_PARTY_LICENSES"])
      expect(files).toContain(f);
    for (const name of ["incident", "problem", "config"])
      expect(files).toContain(`schemas/${name}.schema.json`);
    // Of dist/, the bundle and what the schema loader reads beside it (the validators are inside).
    const dist = files.filter((f) => f.startsWith("dist/"));
    expect(dist.filter((f) => !f.startsWith("dist/pkg/")).sort()).toEqual([
      "dist/schemas/formats.cjs",
      "dist/schemas/manifest.json",
    ]);
    // release.json: the release commit, written at prepack (absent from an unpacked build).
    expect(
      dist.filter((f) => !/^dist\/pkg\/(?:[\w-]+\.js|THIRD_PARTY_LICENSES|release\.json)$/.test(f)),
    ).toEqual(["dist/schemas/formats.cjs", "dist/schemas/manifest.json"]);
  });

  it("installs one package: every library is bundled, nothing is left to install", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });

  it("names every bundled package, its version, licence and licence text in THIRD_PARTY_LICENSES", () => {
    const notices = readFileSync(join(PKG, "THIRD_PARTY_LICENSES"), "utf8");
    const sections = new Map(
      notices
        .split(/^## /m)
        .slice(1)
        .map((s) => [s.slice(0, s.indexOf("\n")), s] as const),
    );
    const bundled = bundledDirs();
    expect(bundled.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const dir of bundled) {
      const meta = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as PackageMeta;
      const section = sections.get(`${meta.name} ${meta.version}`);
      if (!section) missing.push(`${meta.name} ${meta.version}`);
      else {
        expect(section, meta.name).toContain(`License: ${licenseOf(meta)}`);
        // The licence's own text, not only its name.
        expect(section.length, meta.name).toBeGreaterThan(200);
      }
    }
    expect(missing).toEqual([]);
  });

  it("leaves out the benchmark, the build and bundle scripts, the action's sources, tests and TypeScript", () => {
    expect(files.filter((f) => /^dist\/(?:bench|build|action)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /(?:^|\/)(?:test|src)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /\.(?:ts|tsx|mts|cts)$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("runs nothing on install: no install or prepare script; prepack builds and records the commit before pack and publish", () => {
    for (const hook of ["preinstall", "install", "postinstall", "prepare"])
      expect(pkg.scripts[hook], hook).toBeUndefined();
    expect(pkg.scripts.prepack).toBe("npm run build && node dist/tools/scripts/release.js");
  });

  it("is MIT with a LICENSE file, and a CHANGELOG entry for its version", () => {
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(join(repoRoot, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 incident-as-code contributors\n/);
    const changelog = readFileSync(join(repoRoot, "CHANGELOG.md"), "utf8");
    expect(changelog).toContain(`## [${pkg.version}] - `);
  });

  it("asks for no Node older than any bundled package does", () => {
    // The floor engines.node states, as [major, minor]; every dependency's own floor must be at most it.
    const floor = (range: string): [number, number] => {
      const versions = [...range.matchAll(/>=?\s*(\d+)(?:\.(\d+))?/g)].map(
        (m) => [Number(m[1]), Number(m[2] ?? 0)] as [number, number],
      );
      return versions.reduce((a, b) => (a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a : b), [99, 0]);
    };
    const ours = floor(pkg.engines.node);
    // Every package whose code is in the published bundle, as installed here.
    const tooNew: string[] = [];
    for (const dir of bundledDirs()) {
      const meta = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as PackageMeta;
      if (!meta.engines?.node) continue;
      const theirs = floor(meta.engines.node);
      if (theirs[0] > ours[0] || (theirs[0] === ours[0] && theirs[1] > ours[1]))
        tooNew.push(`${dir}@${meta.version}: ${meta.engines.node}`);
    }
    expect(tooNew, `engines.node ${pkg.engines.node}`).toEqual([]);
  });
});
