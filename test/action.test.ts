// The bundled `incident check` action (.github/actions/check/dist/index.js, as committed) run the way
// the runner runs it: `node dist/index.js` with INPUT_* variables, a pull_request_target event file
// (@octokit/webhooks-examples), $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT files, and GITHUB_API_URL at
// the local GitHub stand-in (test/helpers/github-server.ts). The clone holds only `main`: the action
// fetches refs/pull/1/head itself. Closing a SEV2 passes with the incident manager's approval and
// fails without it; the sticky comment and the labels are written either way.

import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseInputs } from "../src/action/inputs.js";
import { COMMENT_MARKER } from "../src/github/comment.js";
import { repoRoot, runCli } from "./helpers/cli.js";
import { GitHubServer } from "./helpers/github-server.js";

const require = createRequire(import.meta.url);
const ACTION = join(repoRoot, ".github/actions/check/dist/index.js");
const INC1 = "incidents/2026/INC-2026-0001.yaml";
const MANAGER = "farah-gh"; // farah.haddad: incident_manager
const RESPONDER = "jordan-lee"; // jlee: not incident_manager
const AUTHOR = "pr-author";
const STACK_LINE = /^\s+at .+:\d+/m;

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
const gitIn =
  (dir: string) =>
  (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();

let server: GitHubServer;
/** The upstream repository (main, and the pull request as refs/pull/1/head) and its SHAs. */
let upstream: { dir: string; base: string; head: string };

/** Base: INC-2026-0001 (SEV2) resolved without its postmortem; the pull request adds it and closes. */
function closeScenario(): { dir: string; base: string; head: string } {
  const dir = tempDir("incident-action-up-");
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  const configPath = join(dir, "incident.config.yaml");
  let config = readFileSync(configPath, "utf8");
  for (const [handle, login] of [
    ["farah.haddad", MANAGER],
    ["jlee", RESPONDER],
  ]) {
    config = config.replace(`  - handle: ${handle}\n`, `  - handle: ${handle}\n    github: ${login}\n`);
  }
  writeFileSync(configPath, config);
  const git = gitIn(dir);
  const path = join(dir, INC1);
  const closed = readFileSync(path, "utf8");
  const postmortem = closed.slice(closed.indexOf("root_cause:"), closed.indexOf("problem_refs:"));
  const review = closed.slice(closed.indexOf("review:\n"));
  let resolved = closed
    .replace("status: closed\n", "status: resolved\n")
    .replace("  closed_at: 2026-03-11T16:00:00Z\n", "")
    .replace(postmortem, "")
    .replace(review, "");
  resolved =
    resolved.slice(0, resolved.indexOf("  - at: 2026-03-11T16:00:00Z")) +
    resolved.slice(resolved.indexOf("impact_assessment:"));
  writeFileSync(path, resolved);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base: INC-2026-0001 resolved");
  const base = git("rev-parse", "HEAD");
  git("checkout", "-qb", "pr");
  writeFileSync(path, resolved.replace("problem_refs:", `${postmortem}problem_refs:`) + review);
  git("commit", "-qam", "postmortem for INC-2026-0001");
  const r = runCli(
    ["close", "INC-2026-0001", "--by", "farah.haddad", "--at", "2026-03-11T16:00:00Z", "-C", dir],
    {},
  );
  if (r.status !== 0) throw new Error(`incident close failed: ${r.stderr}`);
  git("commit", "-qam", "close INC-2026-0001");
  const head = git("rev-parse", "HEAD");
  // What GitHub keeps for a pull request: refs/pull/N/head. The branch itself is not in the clone.
  git("update-ref", "refs/pull/1/head", head);
  git("checkout", "-q", "main");
  git("branch", "-D", "pr");
  return { dir, base, head };
}

/** A pull_request_target event for pull request #1 of o/r from base to head (webhooks-examples' shape). */
function eventFile(base: string, head: string): string {
  const defs = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{
    name: string;
    examples: Array<Record<string, unknown> & { action?: string }>;
  }>;
  const example = defs.find((d) => d.name === "pull_request")?.examples.find((e) => e.action === "opened");
  if (!example) throw new Error("no pull_request opened example in @octokit/webhooks-examples");
  const payload = structuredClone(example) as {
    number: number;
    pull_request: { number: number; base: { sha: string }; head: { sha: string } };
  };
  payload.number = 1;
  payload.pull_request.number = 1;
  payload.pull_request.base.sha = base;
  payload.pull_request.head.sha = head;
  const file = join(tempDir("incident-action-event-"), "event.json");
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: string;
  /** The clone the action ran in. */
  clone: string;
}

/** A fresh clone of `main` only, as actions/checkout leaves it, and the action run in it. */
function runAction(inputs: Record<string, string> = {}): Promise<ActionRun> {
  const clone = join(tempDir("incident-action-clone-"), "repo");
  execFileSync("git", ["clone", "-q", "--single-branch", "--branch", "main", upstream.dir, clone]);
  const runner = tempDir("incident-action-runner-");
  const summary = join(runner, "step_summary.md");
  const outputs = join(runner, "output.txt");
  writeFileSync(summary, "");
  writeFileSync(outputs, "");
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("GITHUB_") || k.startsWith("INPUT_") || k.startsWith("INCIDENT_") || k === "RUNNER_TEMP")
      continue;
    env[k] = v;
  }
  Object.assign(env, {
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request_target",
    GITHUB_EVENT_PATH: eventFile(upstream.base, upstream.head),
    GITHUB_REPOSITORY: "o/r",
    GITHUB_API_URL: server.url,
    GITHUB_SERVER_URL: "https://github.invalid",
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: outputs,
    RUNNER_TEMP: runner,
    "INPUT_GITHUB-TOKEN": "t",
    INPUT_REPORT: "true",
    "INPUT_WORKING-DIRECTORY": clone,
    ...inputs,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION], { cwd: clone, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({
        status,
        stdout,
        stderr,
        summary: readFileSync(summary, "utf8"),
        outputs: readFileSync(outputs, "utf8"),
        clone,
      });
    });
  });
}

/** `name` from $GITHUB_OUTPUT's heredoc entries. */
function output(run: ActionRun, name: string): string | undefined {
  const m = new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, "m").exec(run.outputs);
  return m?.[2];
}

beforeAll(async () => {
  server = await GitHubServer.start({ author: AUTHOR });
  upstream = closeScenario();
}, 60_000);

afterAll(async () => {
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

beforeEach(() => {
  server.reset({ author: AUTHOR, headSha: upstream.head });
});

afterEach(() => {
  expect(server.violations).toEqual([]);
  expect(server.unmodelled).toEqual([]);
});

describe("the bundled action", () => {
  it("is committed", () => {
    expect(existsSync(ACTION)).toBe(true);
  });

  it("passes a SEV2 close the incident manager approved: head fetched, comment and labels written", async () => {
    server.review(MANAGER, "APPROVED");
    const run = await runAction();
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    // The head came from refs/pull/1/head, fetched as objects only: the work tree is still main.
    expect(gitIn(run.clone)("rev-parse", "HEAD")).toBe(upstream.base);
    expect(gitIn(run.clone)("cat-file", "-t", upstream.head)).toBe("commit");
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(output(run, "result")).toBe("pass");
    expect(output(run, "findings")).toBe("0");
    expect(run.summary).toContain("INC-2026-0001");
    expect(run.summary).toMatch(/resolved -> closed/);
    expect(server.comments).toHaveLength(1);
    expect(server.comments[0]?.body).toContain(COMMENT_MARKER);
    expect(server.labels.sort()).toEqual(["incident", "sev:2", "status:closed"]);
    expect(server.calls("pulls/list-reviews").length).toBeGreaterThan(0);
  });

  it("fails the same close without the incident manager's approval: APPROVAL_MISSING, comment and labels", async () => {
    server.review(RESPONDER, "APPROVED");
    const run = await runAction();
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=APPROVAL_MISSING,file=incidents\/2026\/INC-2026-0001\.yaml,/m);
    expect(run.stdout).toMatch(/^::error title=incident check::/m);
    expect(output(run, "result")).toBe("fail");
    // The summary and the comment escape Markdown: `_` is written as `&#95;`.
    expect(run.summary).toMatch(/APPROVAL(?:_|&#95;)MISSING/);
    expect(server.comments).toHaveLength(1);
    expect(server.comments[0]?.body).toMatch(/APPROVAL(?:_|&#95;)MISSING/);
    // Labels come only from records the check passed: none here.
    expect(server.calls("issues/add-labels").every((r) => r.status < 300)).toBe(true);
  });

  it("report: false reads approvals but writes no comment and no labels", async () => {
    server.review(MANAGER, "APPROVED");
    const run = await runAction({ INPUT_REPORT: "false" });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(server.comments).toEqual([]);
    expect(server.calls("issues/add-labels")).toEqual([]);
    expect(server.calls("pulls/list-reviews").length).toBeGreaterThan(0);
  });

  it("fails closed, without a stack, when the event names no commits", async () => {
    const run = await runAction({ GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: "/nonexistent" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=incident check::the push event carries no base commit/m);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe("parseInputs", () => {
  const A = "a".repeat(40);
  const B = "b".repeat(40);
  /** The `with:` values by name, read as @actions/core's getInput reads them (trimmed, "" when unset). */
  const inputs =
    (values: Record<string, string>) =>
    (name: string): string =>
      (values[name] ?? "").trim();

  it("takes the commits and the pull request from a pull_request_target event, with the defaults", () => {
    const parsed = parseInputs(
      inputs({ "github-token": "t" }),
      { pull_request: { number: 7, base: { sha: A }, head: { sha: B } } },
      "pull_request_target",
    );
    expect(parsed).toEqual({
      ok: true,
      inputs: { token: "t", report: true, dir: ".", base: A, head: B, pr: 7, fetchHead: true },
    });
  });

  it("reads a merge queue's pull request from its branch, and explicit inputs win over the event", () => {
    const event = {
      merge_group: { base_sha: A, head_sha: B, head_ref: `refs/heads/gh-readonly-queue/main/pr-42-${B}` },
    };
    const parsed = parseInputs(inputs({ report: "false", head: "pr" }), event);
    expect(parsed).toMatchObject({ ok: true, inputs: { base: A, head: "pr", pr: 42, report: false } });
  });

  it("refuses a report that is not a boolean and an event without commits (a hostile SHA included)", () => {
    expect(parseInputs(inputs({ report: "yes" }), {})).toEqual({
      ok: false,
      message: "input report must be true or false",
    });
    const hostile = { pull_request: { number: 1, base: { sha: "--upload-pack=x" }, head: { sha: B } } };
    expect(parseInputs(inputs({}), hostile, "pull_request_target")).toMatchObject({ ok: false });
    expect(
      parseInputs(inputs({}), { pull_request: { number: -1, base: { sha: A }, head: { sha: B } } }),
    ).toMatchObject({
      ok: true,
      inputs: { pr: undefined },
    });
  });
});
