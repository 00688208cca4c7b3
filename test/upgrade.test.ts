// The upgrade path of an adopting repository: a repository set up by the previous release's layout
// (planned here with the older version and without the review callers, which that release did not
// write) runs `incident init --update` from this release: files still as generated are refreshed, a
// file the user edited is left alone with the diff of what this release would write, the review
// callers appear, a second run writes nothing, and `incident migrate` finds every record current.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { configFromSources } from "../src/config/load.js";
import {
  MANIFEST_PATH,
  parseManifest,
  parseTeam,
  planFiles,
  reconcile,
  renderConfig,
  renderManifest,
  sha256,
} from "../src/init/plan.js";
import { actionlint } from "./helpers/actionlint.js";
import { cli, repoRoot } from "./helpers/cli.js";

const VERSION = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string })
  .version;
const OLD = "0.1.0";
const REVIEW_CALLERS = [
  ".github/workflows/incident-check-review.yml",
  ".github/workflows/incident-check-rerun.yml",
];
const PAGES = ".github/workflows/incident-pages.yml";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every file under `dir` but .git, with its text. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    if (rel === ".git" || rel.startsWith(`.git/`)) continue;
    try {
      out[rel] = readFileSync(join(dir, rel), "utf8");
    } catch {
      // A folder.
    }
  }
  return out;
}

/** A git repository holding what the previous release's `incident init` wrote, and its manifest. */
async function previousLayout(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "incident-upgrade-"));
  dirs.push(dir);
  spawnSync("git", ["init", "-q", "-b", "main", dir]);
  const template = readFileSync(join(repoRoot, "templates/init/incident.config.example.yaml"), "utf8");
  const configText = renderConfig(
    template,
    { org: "Acme", timezone: "UTC", teams: [parseTeam("sre:SRE")], services: [], people: [] },
    OLD,
  );
  const loaded = await configFromSources(Buffer.from(configText));
  expect(loaded.diagnostics).toEqual([]);
  const meta = { version: OLD, owners: ["@acme/sre"], branch: "main" };
  const planned = planFiles({
    ...meta,
    configText,
    paths: loaded.config.paths,
    schemaTexts: loaded.schemaTexts,
    hasPackageJson: false,
  }).filter((f) => !REVIEW_CALLERS.includes(f.path));
  const { decisions, manifest } = reconcile(planned, () => ({}), undefined, meta);
  for (const d of decisions) {
    mkdirSync(dirname(join(dir, d.path)), { recursive: true });
    writeFileSync(join(dir, d.path), d.after ?? "");
  }
  writeFileSync(join(dir, MANIFEST_PATH), renderManifest(manifest));
  return dir;
}

describe("upgrading a repository set up by the previous release", () => {
  it("refreshes what is as generated, leaves an edited file alone with its diff, adds the review callers", async () => {
    const dir = await previousLayout();
    // The user's own change to a generated workflow.
    const pages = join(dir, PAGES);
    const edited = readFileSync(pages, "utf8").replace('branches: ["main"]', 'branches: ["main", "release"]');
    expect(edited).toContain('"release"');
    writeFileSync(pages, edited);
    const config = readFileSync(join(dir, "incident.config.yaml"), "utf8");
    const before = snapshot(dir);
    for (const p of REVIEW_CALLERS) expect(before[p]).toBeUndefined();

    const r = await cli(["init", "--update", "-C", dir], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const p of [
      ".github/workflows/incident-check.yml",
      ".github/workflows/incident-reminders.yml",
      "incidents/README.md",
      ".gitignore",
      ".github/CODEOWNERS",
    ])
      expect(r.stdout, p).toContain(`${p}: updated`);
    for (const p of REVIEW_CALLERS) expect(r.stdout, p).toContain(`${p}: created`);
    expect(r.stdout).toContain(`${PAGES}: left alone: changed since it was generated`);
    // The diff of what this release would write instead of the user's copy.
    expect(r.stdout).toContain(`--- a/${PAGES}\n+++ b/${PAGES}\n`);
    expect(r.stdout).toContain('-    branches: ["main", "release"]\n+    branches: ["main"]\n');
    expect(r.stdout).toContain(
      `+    uses: incident-as-code/incident-as-code/.github/workflows/reusable-pages.yml@v${VERSION}`,
    );

    const after = snapshot(dir);
    expect(after[PAGES]).toBe(edited);
    expect(after["incident.config.yaml"]).toBe(config);
    expect(after[".github/workflows/incident-check.yml"]).toContain(`reusable-check.yml@v${VERSION}`);
    expect(after[".github/workflows/incident-check.yml"]).not.toContain(OLD);
    for (const p of REVIEW_CALLERS) {
      expect(after[p], p).toContain(`incident-as-code ${VERSION}`);
      expect(await actionlint(after[p] ?? "", p)).toEqual([]);
    }
    const manifest = parseManifest(after[MANIFEST_PATH]);
    expect(manifest?.version).toBe(VERSION);
    for (const p of REVIEW_CALLERS) expect(manifest?.files[p]?.sha256).toBe(sha256(after[p] ?? ""));
    // The edited file stays recorded as the previous release generated it: still "edited" next time.
    expect(manifest?.files[PAGES]?.sha256).not.toBe(sha256(edited));

    // Nothing left to do: a second run writes nothing.
    const again = await cli(["init", "--update", "-C", dir], { cwd: dir });
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/: (created|updated)\n/);
    expect(snapshot(dir)).toEqual(after);

    // The release notes say whether schema_version changed; this one did not.
    const migrate = await cli(["migrate", "-C", dir], { cwd: dir });
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toBe(
      "Every record is current: the config and no records at schema_version 1; nothing to migrate.\n",
    );
  }, 60_000);
});
