// Adopting the toolkit in a fresh repository, as a new user does: the packed tarball installed into
// an empty git repository without a package.json, `incident init --yes`, an incident declared and
// walked to `closed` on a pull-request branch, judged by `incident check`; the generated workflows
// pass actionlint; and an editor (a real yaml-language-server over LSP) resolves the new incident's
// modeline and completes `severity` from the config.
//
// Installing: the tarball is unpacked into node_modules/incident-as-code, as `npm install <tarball>`
// would, and nothing else: the package has no dependencies (the CLI is one bundle, dist/pkg), so no
// node_modules is beside it and only what the tarball holds can run.
// Needs dist/ (`npm run build`, as `npm test` does first).

import { type ChildProcess, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeRelease } from "../scripts/release.js";
import { defaultConfig } from "../src/config/defaults.js";
import { actionlint } from "./helpers/actionlint.js";
import { repoRoot } from "./helpers/cli.js";
import { docOf, type LspClient, openAndComplete, startYamlServer, yamlSettings } from "./helpers/lsp.js";

let work: string;
let repo: string;
let bin: string;
let incidentFile: string;
let server: ChildProcess | undefined;

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Adopter",
  GIT_AUTHOR_EMAIL: "adopter@example.invalid",
  GIT_COMMITTER_NAME: "Adopter",
  GIT_COMMITTER_EMAIL: "adopter@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV, NO_COLOR: "1", INCIDENT_HANDLE: "@alex" },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The installed `incident` command, as npm's bin link would run it. */
function incident(...args: string[]) {
  return sh(process.execPath, [bin, ...args], repo);
}

function ok(r: { status: number | null; stdout: string; stderr: string }) {
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "incident-adopt-"));
  const pack = sh("npm", ["pack", "--ignore-scripts", "--pack-destination", work, "--json"], repoRoot);
  expect(pack.status).toBe(0);
  const tarball = join(work, (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]?.filename ?? "");
  repo = join(work, "ops-incidents");
  mkdirSync(repo);
  expect(sh("git", ["init", "-q", "-b", "main"], repo).status).toBe(0);
  const pkgDir = join(repo, "node_modules/incident-as-code");
  mkdirSync(pkgDir, { recursive: true });
  expect(sh("tar", ["-xzf", tarball, "-C", pkgDir, "--strip-components=1"], repo).status).toBe(0);
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
    bin: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  // Nothing to install beside it: every library is inside the bundle.
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(existsSync(join(pkgDir, "node_modules"))).toBe(false);
  // `npx incident-as-code` runs the bin named like the package; `incident` is the everyday name.
  expect(pkg.bin["incident-as-code"]).toBe(pkg.bin.incident);
  bin = join(pkgDir, pkg.bin["incident-as-code"] as string);
  expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
}, 30_000);

afterAll(() => {
  server?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("adopting incident-as-code in a new repository", () => {
  it("init, declare, walk to closed on a branch, and `incident check` passes the pull request", () => {
    ok(
      incident(
        "init",
        "--yes",
        "--org",
        "Ops Inc",
        "--timezone",
        "UTC",
        "--owner",
        "@ops-inc/sre",
        "--team",
        "sre:Site Reliability",
        "--service",
        "api:Public API:sre",
        "--person",
        "alex:Alex Doe:alex-doe:incident_commander+incident_manager+maintainer",
      ),
    );
    // The generated .gitignore keeps node_modules/ out of the commit.
    ok(sh("git", ["add", "-A"], repo));
    expect(sh("git", ["ls-files", "node_modules"], repo).stdout).toBe("");
    ok(sh("git", ["commit", "-q", "-m", "Keep incidents with incident-as-code"], repo));
    ok(sh("git", ["checkout", "-q", "-b", "declare-incident"], repo));

    incidentFile = ok(
      incident(
        "new",
        "--title",
        "Public API returns 5xx",
        "--severity",
        "SEV3",
        "--category",
        "ops.change",
        "--service",
        "api",
      ),
    ).trim();
    const id = basename(incidentFile, ".yaml");
    expect(incidentFile).toMatch(/^incidents\/\d{4}\/INC-\d{4}-0001\.yaml$/);
    ok(
      incident(
        "set",
        id,
        "summary=Requests to the public API fail with 502.",
        "impact=low",
        "urgency=medium",
        "priority=P4",
        "roles.incident_commander=@alex",
      ),
    );
    ok(incident("triage", id));
    ok(incident("start", id));
    ok(incident("log", id, "Rolled the API back", "--type", "action"));
    ok(incident("mitigate", id));
    ok(
      incident(
        "set",
        id,
        "determination=confirmed",
        "resolution.code=rolled_back",
        "resolution.summary=Rolled back.",
      ),
    );
    ok(incident("resolve", id));
    ok(incident("set", id, "impact_assessment.summary=About 1% of requests failed for ten minutes."));
    ok(incident("close", id));
    expect(readFileSync(join(repo, incidentFile), "utf8")).toMatch(/^status: closed$/m);
    expect(sh("git", ["check-attr", "eol", "--", incidentFile], repo).stdout.trim()).toBe(
      `${incidentFile}: eol: lf`,
    );
    ok(incident("validate"));
    ok(sh("git", ["add", "-A"], repo));
    ok(sh("git", ["commit", "-q", "-m", `Declare and close ${id}`], repo));

    // Closing a SEV3 needs no approval: the pull request passes on its own.
    const check = incident("check", "--base", "main", "--head", "declare-incident", "--format", "json");
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, files: 1, diagnostics: [] });
  }, 30_000);

  it("pins the workflows to the release commit prepack records in the package; --toolkit-sha overrides it", () => {
    const pkgDir = join(repo, "node_modules/incident-as-code");
    const version = (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string })
      .version;
    const flags = ["init", "--yes", "--owner", "@ops-inc/sre", "--person", "alex:Alex:alex:maintainer"];
    const fresh = (name: string) => {
      const dir = join(work, name);
      mkdirSync(dir);
      ok(sh("git", ["init", "-q", "-b", "main"], dir));
      return dir;
    };
    const checkCaller = (dir: string) =>
      readFileSync(join(dir, ".github/workflows/incident-check.yml"), "utf8");

    // Without release.json (an install whose package.json has no gitHead): the tag, and how to pin.
    const tagged = fresh("tagged");
    const note = ok(sh(process.execPath, [bin, ...flags], tagged));
    expect(checkCaller(tagged)).toContain(`reusable-check.yml@v${version}\n`);
    expect(note).toContain(`releases/tag/v${version}`);
    expect(note).toContain("`npx incident-as-code init --update --toolkit-sha <");

    // Not the top of a git checkout (a package folder inside another repository, a plain folder):
    // nothing is recorded.
    expect(writeRelease(pkgDir, join(work, "nothing.json"))).toBeUndefined();
    expect(writeRelease(work, join(work, "nothing.json"))).toBeUndefined();
    expect(existsSync(join(work, "nothing.json"))).toBe(false);

    // As `npm pack` does it: this checkout's HEAD, into the installed package's dist/pkg/release.json.
    const releaseFile = join(pkgDir, "dist/pkg/release.json");
    const release = writeRelease(repoRoot, releaseFile);
    try {
      expect(release).toEqual({ version, commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
      const head = spawnSync("git", ["-C", repoRoot, "rev-parse", "HEAD"], { encoding: "utf8" });
      expect(release?.commit).toBe(head.stdout.trim());
      const pinned = fresh("pinned");
      const out = ok(sh(process.execPath, [bin, ...flags], pinned));
      expect(checkCaller(pinned)).toContain(`reusable-check.yml@${release?.commit} # v${version}\n`);
      expect(out).not.toContain("releases/tag/");
      // --toolkit-sha wins over what the package records.
      const other = "0123456789abcdef0123456789abcdef01234567";
      ok(sh(process.execPath, [bin, "init", "--update", "--toolkit-sha", other], pinned));
      expect(checkCaller(pinned)).toContain(`reusable-check.yml@${other} # v${version}\n`);
      // A release.json of another version is not this package's commit.
      writeFileSync(releaseFile, JSON.stringify({ version: "0.0.1", commit: other }));
      const stale = fresh("stale");
      ok(sh(process.execPath, [bin, ...flags], stale));
      expect(checkCaller(stale)).toContain(`reusable-check.yml@v${version}\n`);
    } finally {
      rmSync(releaseFile, { force: true });
    }
  }, 30_000);

  it("the generated workflows pass actionlint", async () => {
    const dir = join(repo, ".github/workflows");
    const names = readdirSync(dir).sort();
    expect(names).toEqual([
      "incident-check-rerun.yml",
      "incident-check-review.yml",
      "incident-check.yml",
      "incident-pages.yml",
      "incident-reminders.yml",
    ]);
    for (const name of names) {
      const path = `.github/workflows/${name}`;
      expect(await actionlint(readFileSync(join(repo, path), "utf8"), path)).toEqual([]);
    }
  }, 30_000);

  it("the editor resolves the new incident's modeline and completes severity from the config", async () => {
    // No yaml.schemas setting: only the modeline `incident new` wrote can lead to the schema.
    const started = await startYamlServer(repo, yamlSettings({}));
    server = started.server;
    const client: LspClient = started.client;
    const text = readFileSync(join(repo, incidentFile), "utf8");
    expect(text.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=../../.incident/schemas/incident.schema.json",
    );
    const blank = text.replace(/^severity: .*$/m, "severity: ");
    const line = blank.split("\n").findIndex((l) => l.startsWith("severity:"));
    const uri = pathToFileURL(join(repo, incidentFile.replace(/[^/]*$/, "editing.yaml"))).href;
    const { items } = await openAndComplete(client, uri, blank, { line, character: "severity: ".length });
    expect(items.map((i) => i.label)).toEqual(
      expect.arrayContaining(defaultConfig.severities.map((s) => s.id)),
    );
    for (const s of defaultConfig.severities)
      expect(docOf(items.find((i) => i.label === s.id))).toContain(s.description);
    // And the closed record as written is valid in the editor too.
    const valid = await openAndComplete(client, pathToFileURL(join(repo, incidentFile)).href, text, {
      line,
      character: "severity: ".length,
    });
    expect(valid.diagnostics.filter((d) => (d.severity ?? 1) === 1)).toEqual([]);
  }, 30_000);
});
