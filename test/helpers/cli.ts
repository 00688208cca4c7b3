// Runs `incident` commands for tests: in this process through cli/main.ts's `run` with a memory
// context (`cli`, `cliIn`: no Node start, about a hundred times cheaper), or as the built binary in a
// child process the way a user does (`runCli`, `startCli`, `cliAsync`), for what only a real
// process shows: its exit status, a closed pipe, signals, output of a crash, processes racing.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { memoryContext } from "../../src/cli/context.js";
import { run } from "../../src/cli/main.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const bin = join(repoRoot, "dist/cli/main.js");

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment every test run gets on top of its own: no colour, a cache folder of the tests. */
const TEST_ENV = { NO_COLOR: "1", XDG_CACHE_HOME: join(tmpdir(), "incident-test-cache") };

export interface InProcessOptions {
  cwd?: string;
  /** Added to this process's environment, as a child process would inherit it. */
  env?: Record<string, string | undefined>;
  /** The command's clock (default: the real time, as for the binary). */
  now?: Date | string;
}

/** What process.env held before the runs under way changed it, restored when the last one ends. */
const savedEnv = new Map<string, string | undefined>();
let runsUnderWay = 0;

/**
 * Runs one command line in this process and returns what the binary would have: exit status,
 * stdout, stderr. The adapters under the command line (the validator and result caches, git child
 * processes) still read `process.env`, so the run's own variables are set there for its duration and
 * restored after the last run under way ends (concurrent runs of one file should agree on them).
 */
export async function cli(args: string[], opts: InProcessOptions = {}): Promise<RunResult> {
  const extra: Record<string, string | undefined> = { ...TEST_ENV, ...opts.env };
  runsUnderWay++;
  for (const [k, v] of Object.entries(extra)) {
    if (!savedEnv.has(k)) savedEnv.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const ctx = memoryContext({
      env: { ...process.env, ...extra },
      now: opts.now ?? new Date(),
      cwd: opts.cwd ?? repoRoot,
    });
    const status = await run(args, ctx);
    return { status, stdout: ctx.stdout.text, stderr: ctx.stderr.text };
  } finally {
    if (--runsUnderWay === 0) {
      for (const [k, v] of savedEnv) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      savedEnv.clear();
    }
  }
}

/** `cli` in `dir` with `-C dir` and no INCIDENT_HANDLE, as `cliAsync` runs the binary. */
export function cliIn(
  dir: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<RunResult> {
  return cli([...args, "-C", dir], { cwd: dir, env: { INCIDENT_HANDLE: "", ...env } });
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): RunResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...TEST_ENV, ...opts.env },
    encoding: "utf8",
    timeout: opts.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch copy of test/fixtures/repo (config plus valid records) to inject mistakes into. */
export function scratchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "incident-repo-"));
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  return dir;
}

/** Starts the built CLI in `dir` with stdin closed (not a terminal), without waiting for it. */
export function startCli(
  dir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [bin, ...args, "-C", dir], {
    cwd: dir,
    env: { ...process.env, ...TEST_ENV, INCIDENT_HANDLE: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = new Promise<RunResult>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr?.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the built CLI in `dir` asynchronously (so a server in the test process keeps serving). */
export function cliAsync(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return startCli(dir, args, env).done;
}
