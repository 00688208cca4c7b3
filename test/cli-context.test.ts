// Commands reach the world only through their CommandContext: nothing under src/cli but the entry
// (the bottom of main.ts) and processContext() reads process.stdout/stderr/env/cwd or the real clock,
// so every command runs in-process in tests with its own output, environment, clock and directory.

import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { colorsWanted, memoryContext } from "../src/cli/context.js";
import { run } from "../src/cli/main.js";
import { cliIn, repoRoot, scratchRepo } from "./helpers/cli.js";

const FORBIDDEN = /process\.(stdout|stderr|env|cwd\(\))|new Date\(\)|Date\.now\(\)/g;

/** Lines of `text` that reach for the process or the clock, as `file:line: text`. */
function reaches(file: string, text: string): string[] {
  const lines = text.split("\n");
  // The entry of main.ts (from `if (isEntry())` on) builds the real context: that is its job.
  const entry = file === "main.ts" ? lines.findIndex((l) => l.startsWith("if (isEntry())")) : -1;
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (entry >= 0 && i >= entry) return;
    if (/^\s*(\/\/|\*)/.test(line)) return;
    if (line.match(FORBIDDEN)) out.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return out;
}

describe("commands take their context", () => {
  it("no command reads process.stdout, process.stderr, process.env, process.cwd() or the real clock", () => {
    const dir = join(repoRoot, "src/cli");
    const found: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(dir, file), "utf8");
      // processContext() builds the real context; memoryContext() defaults to the real directory.
      const exempt = ["export function processContext(", "export function memoryContext("];
      let kept = text;
      for (const head of exempt) {
        const start = kept.indexOf(head);
        if (start < 0) continue;
        const end = kept.indexOf("\n}\n", start);
        kept =
          kept.slice(0, start) + "\n".repeat(kept.slice(start, end).split("\n").length - 1) + kept.slice(end);
      }
      found.push(...reaches(file, kept));
    }
    expect(found).toEqual([]);
  });

  it("the check itself finds a reach for the process", () => {
    expect(reaches("x.ts", "const a = 1;\nprocess.stdout.write(a);\nconst t = new Date();")).toEqual([
      "x.ts:2: process.stdout.write(a);",
      "x.ts:3: const t = new Date();",
    ]);
  });

  it("a command writes to the context's streams and resolves -C against its directory", async () => {
    const ctx = memoryContext({ cwd: join(repoRoot, "test/fixtures") });
    expect(await run(["validate", "-C", "repo", "--no-cache"], ctx)).toBe(0);
    expect(ctx.stdout.text).toMatch(/^\d+ files valid\n$/);
    expect(ctx.stderr.text).toBe("");
  });

  it("usage errors, --help and --version go to the context with commander's exit statuses", async () => {
    const bad = memoryContext();
    expect(await run(["no-such-command"], bad)).toBe(2);
    expect(bad.stderr.text).toMatch(/^incident: unknown command 'no-such-command'/);
    const help = memoryContext();
    expect(await run(["--help"], help)).toBe(0);
    expect(help.stdout.text).toMatch(/^Usage: incident/);
    const version = memoryContext();
    expect(await run(["--version"], version)).toBe(0);
    expect(version.stdout.text).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("errors are caught once and printed to the context's stderr", async () => {
    const ctx = memoryContext({ cwd: repoRoot });
    expect(await run(["validate", "-C", "no/such/dir"], ctx)).toBe(2);
    expect(ctx.stderr.text).toBe("incident: no such directory: no/such/dir\n");
    expect(ctx.stdout.text).toBe("");
  });

  it("the clock of a command is the context's", async () => {
    const ctx = memoryContext({ now: "2026-06-01T00:00:00Z", cwd: repoRoot });
    expect(await run(["remind", "-C", "test/fixtures/repo", "--format", "json"], ctx)).toBe(0);
    expect(JSON.parse(ctx.stdout.text).now).toBe("2026-06-01T00:00:00Z");
  });

  it("colour only for a terminal, never with NO_COLOR, never for a dumb terminal unless forced", () => {
    const tty = { write: () => true, isTTY: true };
    const pipe = { write: () => true, isTTY: false };
    expect(colorsWanted(memoryContext({ env: { TERM: "xterm" } }), tty)).toBe(true);
    expect(colorsWanted(memoryContext({ env: { TERM: "xterm" } }), pipe)).toBe(false);
    expect(colorsWanted(memoryContext({ env: { TERM: "xterm", NO_COLOR: "1" } }), tty)).toBe(false);
    expect(colorsWanted(memoryContext({ env: { TERM: "dumb" } }), tty)).toBe(process.platform === "win32");
    expect(colorsWanted(memoryContext({ env: { TERM: "dumb", FORCE_COLOR: "1" } }), tty)).toBe(true);
  });
});

/** Every command's help, nested commands (action, problem) included, whitespace folded. */
async function allHelp(path: string[] = []): Promise<Map<string, string>> {
  const ctx = memoryContext({ cwd: repoRoot });
  expect(await run([...path, "--help"], ctx)).toBe(0);
  const help = ctx.stdout.text;
  const found = new Map([[path.join(" "), help.replace(/\s+/g, " ")]]);
  const commands = help.split(/^Commands:$/m)[1] ?? "";
  for (const m of commands.matchAll(/^ {2}([a-z][a-z-]*)/gm)) {
    const name = m[1] as string;
    if (name === "help") continue;
    for (const [k, v] of await allHelp([...path, name])) found.set(k, v);
  }
  return found;
}

describe("help and hints follow the team's config", () => {
  it("no help lists severity ids, names a person or says which modes are left out as a fact", async () => {
    const helps = await allHelp();
    expect(helps.size).toBeGreaterThan(30);
    for (const [command, help] of helps) {
      expect(help, command).not.toMatch(/SEV\d\.\.SEV\d|@alice|test, gameday and retrospective incidents/);
    }
    expect(helps.get("new")).toMatch(/--severity <sev> a severity id from the config/);
    for (const command of ["stats", "site"]) {
      expect(helps.get(command), command).toContain(
        "`metrics.exclude_modes` (default: test, gameday, retrospective)",
      );
    }
  });

  it("the hints of a refused close name no one outside the config's people", async () => {
    const dir = scratchRepo();
    try {
      const as = { INCIDENT_HANDLE: "jlee" };
      const id = "INC-2026-0002";
      const set = await cliIn(
        dir,
        ["set", id, "severity=SEV1", "resolution.code=fixed", "resolution.summary=x"],
        as,
      );
      expect(set.status, set.stderr).toBe(0);
      expect((await cliIn(dir, ["resolve", id], as)).status).toBe(0);
      const r = await cliIn(dir, ["close", id], as);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`incident action add ${id} --title "Add a canary" --owner <handle> `);
      expect(r.stderr).not.toMatch(/@(?!amara\.okafor|jlee|tomas\.novak|lucas\.moreau)[a-z]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
