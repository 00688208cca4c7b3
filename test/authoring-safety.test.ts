// The edges of writing a record: locks left behind (empty after a full disk, or naming no process),
// `incident new` through a symbolic link, `incident new --dry-run`, multi-line timeline texts, and
// the atomic writer's temporary files being ignored by git.

import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cliAsync, cliIn, repoRoot } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A scratch copy of test/fixtures/repo plus the schemas folder. */
function scratch(): string {
  const dir = tempDir("incident-safety-");
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  cpSync(join(repoRoot, "schemas"), join(dir, "schemas"), { recursive: true });
  return dir;
}

/** Every file of a folder and its bytes, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    try {
      out[f] = readFileSync(join(dir, f)).toString("hex");
    } catch {
      out[f] = "<dir>";
    }
  }
  return out;
}

const OPEN = "INC-2026-0002";
const FILE = `incidents/2026/${OPEN}.yaml`;
const year = () => String(new Date().getUTCFullYear());

/** The id `incident new` takes next in the scratch repository (the fixture's time zone is UTC). */
function nextIncident(dir: string, offset = 0): string {
  const folder = join(dir, "incidents", year());
  const seqs = existsSync(folder)
    ? readdirSync(folder).map((f) => Number(/^INC-\d{4}-(\d+)\.yaml$/.exec(f)?.[1] ?? 0))
    : [];
  return `INC-${year()}-${String(Math.max(0, ...seqs) + 1 + offset).padStart(4, "0")}`;
}

// In child processes: a lock names the process holding it, and this process is the live holder here.
describe.concurrent("lock files", () => {
  for (const [name, content] of [
    ["empty (a full disk while it was written)", ""],
    ["holding no pid", "not a pid\n"],
    ["holding pid 0", "0\n"],
  ] as const) {
    it(`a lock ${name} is stale: the edit goes through and the lock is gone`, async () => {
      const dir = scratch();
      const lock = join(dir, `${FILE}.lock`);
      writeFileSync(lock, content);
      const r = await cliAsync(dir, ["log", OPEN, "Checked the lock"]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(existsSync(lock)).toBe(false);
      // Nothing else left behind either (no private or set-aside lock, no temporary file).
      expect(
        readdirSync(join(dir, "incidents/2026")).filter((f) => !/^INC-\d{4}-\d{4}\.yaml$/.test(f)),
      ).toEqual([]);
      const timeline = (parse(readFileSync(join(dir, FILE), "utf8")) as { timeline: { text: string }[] })
        .timeline;
      expect(timeline.at(-1)?.text).toBe("Checked the lock");
    });
  }

  it("incident new takes an id whose lock is empty", async () => {
    const dir = scratch();
    const id = nextIncident(dir);
    mkdirSync(join(dir, "incidents", year()), { recursive: true });
    writeFileSync(join(dir, "incidents", year(), `${id}.yaml.lock`), "");
    const r = await cliAsync(dir, ["new", "--title", "After a full disk", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }).id).toBe(id);
    expect(existsSync(join(dir, "incidents", year(), `${id}.yaml.lock`))).toBe(false);
  });

  it("incident new passes over ids another process is writing, and names the lock when all are taken", async () => {
    const dir = scratch();
    const folder = join(dir, "incidents", year());
    mkdirSync(folder, { recursive: true });
    // A live process (this one) holds the next id: `new` takes the one after it.
    const [locked, after] = [nextIncident(dir), nextIncident(dir, 1)];
    writeFileSync(join(folder, `${locked}.yaml.lock`), `${process.pid}\n`);
    const r = await cliAsync(dir, ["new", "--title", "Next to a lock", "--json"]);
    expect(r.stderr).toBe("");
    expect((JSON.parse(r.stdout) as { id: string }).id).toBe(after);
    // Now every id it would try is held.
    const held = [0, 1, 2, 3, 4].map((i) => nextIncident(dir, i));
    for (const id of held) writeFileSync(join(folder, `${id}.yaml.lock`), `${process.pid}\n`);
    const before = snapshot(dir);
    const refused = await cliAsync(dir, ["new", "--title", "Among locks"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^incident: could not allocate a free id/);
    expect(refused.stderr).toContain(`incidents/${year()}/${held[4]}.yaml.lock (pid ${process.pid})`);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe.concurrent("incident new through a symbolic link", () => {
  it("a linked incidents/ folder is refused before any folder is created outside", async () => {
    const dir = scratch();
    const outside = tempDir("incident-outside-");
    renameSync(join(dir, "incidents"), join(outside, "incidents"));
    symlinkSync(join(outside, "incidents"), join(dir, "incidents"));
    const before = snapshot(outside);
    const r = await cliIn(dir, ["new", "--title", "Through a link", "--id", "INC-2031-0001"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^incident: incidents is a symbolic link/);
    expect(existsSync(join(outside, "incidents", "2031"))).toBe(false);
    expect(snapshot(outside)).toEqual(before);
  });

  it("a linked year folder is refused, and nothing is written through it", async () => {
    const dir = scratch();
    const outside = tempDir("incident-outside-");
    symlinkSync(outside, join(dir, "incidents", "2031"));
    const r = await cliIn(dir, ["new", "--title", "Through a link", "--id", "INC-2031-0001"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^incident: incidents\/2031 is a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("a refused new in a year without a folder leaves no folder behind", async () => {
    const dir = scratch();
    const r = await cliIn(dir, ["new", "--title", "Bad", "--id", "INC-2032-0001", "--severity", "SEV9"]);
    expect(r.status).toBe(1);
    expect(existsSync(join(dir, "incidents", "2032"))).toBe(false);
  });
});

describe.concurrent("incident new --dry-run", () => {
  it("prints the new file as a diff and writes nothing (no file, folder or lock)", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const id = nextIncident(dir);
    const r = await cliIn(dir, ["new", "--title", "Checkout returns 5xx", "--severity", "SEV2", "--dry-run"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--- /dev/null\n");
    expect(r.stdout).toContain(`+++ b/incidents/${year()}/${id}.yaml\n`);
    expect(r.stdout).toContain(`+id: ${id}\n`);
    expect(r.stdout).toContain("+severity: SEV2\n");
    expect(r.stdout).toMatch(/^\+# yaml-language-server: \$schema=/m);
    expect(snapshot(dir)).toEqual(before);
    // The same command for real writes the file the dry run showed.
    const real = await cliIn(dir, ["new", "--title", "Checkout returns 5xx", "--severity", "SEV2"]);
    expect(real.stdout).toBe(`incidents/${year()}/${id}.yaml\n`);
  });

  it("refuses what a real run refuses, and problem new takes it too", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const bad = await cliIn(dir, ["new", "--title", "x", "--severity", "SEV9", "--dry-run"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^incident: the new incident would be invalid; nothing was written/);
    const problem = await cliIn(dir, ["problem", "new", "--title", "Pool exhaustion", "--dry-run"]);
    expect(problem.stderr).toBe("");
    expect(problem.status).toBe(0);
    expect(problem.stdout).toMatch(/^\+\+\+ b\/incidents\/problems\/PRB-\d{4}-\d{4}\.yaml$/m);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe.concurrent("multi-line texts", () => {
  const texts = ["  Indented first line\nsecond line", "Plain first\n  indented second\n", "a\n\n\nb"];

  it("incident set list+= stores an item whose first line is indented exactly", async () => {
    const dir = scratch();
    for (const t of ["first", ...texts]) {
      const r = await cliIn(dir, ["set", OPEN, `x-notes+=${t}`]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    }
    const record = parse(readFileSync(join(dir, FILE), "utf8")) as { "x-notes": string[] };
    expect(record["x-notes"]).toEqual(["first", ...texts]);
  });

  it("incident log stores them exactly, in a file every reader reads alike", async () => {
    const dir = scratch();
    for (const t of texts) {
      const r = await cliIn(dir, ["log", OPEN, t]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    }
    const timeline = (parse(readFileSync(join(dir, FILE), "utf8")) as { timeline: { text: string }[] })
      .timeline;
    expect(timeline.slice(-3).map((e) => e.text)).toEqual(texts);
    const check = await cliIn(dir, ["validate", "--no-cache", "--format", "json"]);
    expect((JSON.parse(check.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
  });
});

describe("the atomic writer's temporary files", () => {
  it("are ignored by git, like the lock files", async () => {
    const { default: writeFileAtomic } = (await import("write-file-atomic")) as unknown as {
      default: { _getTmpname: (file: string) => string };
    };
    const record = join(repoRoot, "incidents/2026/INC-2026-0001.yaml");
    const temp = writeFileAtomic._getTmpname(record).slice(repoRoot.length);
    expect(temp).toMatch(/^incidents\/2026\/INC-2026-0001\.yaml\.\d+$/);
    for (const path of [temp, "incidents/problems/PRB-2026-0001.yaml.123", `${FILE}.lock`]) {
      const r = spawnSync("git", ["check-ignore", "-q", "--no-index", path], { cwd: repoRoot });
      expect(r.status, path).toBe(0);
    }
    const kept = spawnSync("git", ["check-ignore", "-q", "--no-index", FILE], { cwd: repoRoot });
    expect(kept.status).toBe(1);
  });
});
