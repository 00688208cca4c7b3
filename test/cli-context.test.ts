// Commands reach the world only through their CommandContext: nothing under src/cli but the entry
// (the bottom of main.ts) and processContext() reads process.stdout/stderr/env/cwd or the real clock,
// so every command runs in-process in tests with its own output, environment, clock and directory.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { colorsWanted, memoryContext } from "../src/cli/context.js";
import { run } from "../src/cli/main.js";
import { repoRoot } from "./helpers/cli.js";

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
