// Runs the built `incident` binary the way a user does, in a child process.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const bin = join(repoRoot, "dist/cli/main.js");

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): RunResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: {
      ...process.env,
      NO_COLOR: "1",
      XDG_CACHE_HOME: join(tmpdir(), "incident-test-cache"),
      ...opts.env,
    },
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
    env: {
      ...process.env,
      NO_COLOR: "1",
      INCIDENT_HANDLE: "",
      XDG_CACHE_HOME: join(tmpdir(), "incident-test-cache"),
      ...env,
    },
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
