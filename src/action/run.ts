// What the `incident check` action does, from its inputs to its result: fetch the pull request's head
// as git data with the token (private repositories need it), judge base..head by the base commit's
// rules (checkPullRequest), report as `incident check --format github --report` does (annotations,
// job summary, sticky comment, labels) and say whether the check passed. It never decides the step's
// exit status: the entry (main.ts) does. Workflow commands, outputs and the summary go through
// @actions/core.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as core from "@actions/core";
import { touchedTable } from "../cli/check.js";
import { emitGithub, oneLine, summaryMarkdown } from "../cli/report.js";
import { GitHubClient, githubRepoContext } from "../github/client.js";
import { labelsFor, renderComment } from "../github/comment.js";
import { GitError, RevisionRefused } from "../io/git.js";
import { CheckAbort, checkPullRequest } from "../usecases/checkPullRequest.js";
import type { ActionInputs } from "./inputs.js";

export interface ActionResult {
  /** 0 passed, 1 findings, 2 the check could not run. */
  status: 0 | 1 | 2;
  /** Why the step fails (status 1 or 2). */
  message?: string;
}

const write = (s: string) => process.stdout.write(s);
const warn = (m: string) => core.warning(oneLine(m), { title: "incident check" });

function git(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** True when `rev` is a commit in the clone (plain names only reach here: a SHA or an input the check vets). */
function hasCommit(dir: string, rev: string): boolean {
  if (rev.startsWith("-")) return false;
  return git(dir, ["cat-file", "-e", "--end-of-options", `${rev}^{commit}`]).status === 0;
}

/**
 * Fetches refs/pull/<pr>/head into the clone as objects only: nothing is checked out. The token goes
 * to git as an HTTP header through GIT_CONFIG_* variables for this one command, so it is never written
 * to .git/config, and it is masked in the log.
 */
function fetchHead(dir: string, pr: number, token: string | undefined, env: NodeJS.ProcessEnv): boolean {
  const extra: NodeJS.ProcessEnv = {};
  if (token) {
    const server = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/+$/, "");
    const auth = Buffer.from(`x-access-token:${token}`).toString("base64");
    core.setSecret(auth);
    extra.GIT_CONFIG_COUNT = "1";
    extra.GIT_CONFIG_KEY_0 = `http.${server}/.extraheader`;
    extra.GIT_CONFIG_VALUE_0 = `AUTHORIZATION: basic ${auth}`;
  }
  const r = git(dir, ["fetch", "--no-tags", "--quiet", "origin", `refs/pull/${pr}/head`], extra);
  if (r.status !== 0) warn(`git fetch of refs/pull/${pr}/head failed: ${(r.stderr ?? "").slice(0, 300)}`);
  return r.status === 0;
}

export async function runAction(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<ActionResult> {
  // Validators compiled for this repository's effective schemas are cached where the runner lets a
  // job write: its temporary folder (the home folder of a self-hosted runner may not be ours).
  if (!env.INCIDENT_CACHE_DIR && env.RUNNER_TEMP)
    process.env.INCIDENT_CACHE_DIR = join(env.RUNNER_TEMP, "incident-as-code");

  if (inputs.fetchHead && inputs.pr !== undefined && !hasCommit(inputs.dir, inputs.head))
    fetchHead(inputs.dir, inputs.pr, inputs.token, env);

  const repoCtx = githubRepoContext(env, { token: inputs.token });
  const client =
    repoCtx && inputs.pr !== undefined ? new GitHubClient({ ...repoCtx, pr: inputs.pr }, warn) : undefined;
  if (!client)
    warn(
      "no GitHub context (token, repository or pull request): approvals cannot be read, nothing is posted",
    );

  let report: Awaited<ReturnType<typeof checkPullRequest>>;
  try {
    report = await checkPullRequest({
      dir: inputs.dir,
      base: inputs.base,
      head: inputs.head,
      approvals: client ? (stale) => client.approvalSource(stale) : undefined,
    });
  } catch (err) {
    if (err instanceof CheckAbort || err instanceof RevisionRefused || err instanceof GitError) {
      const code = err instanceof CheckAbort ? err.diagnostic.code : "BASE_UNRESOLVED";
      core.setOutput("result", "error");
      return { status: 2, message: `${code}: ${oneLine(err.message)}` };
    }
    throw err;
  }

  const { diagnostics } = report;
  emitGithub(diagnostics, write);
  if (env.GITHUB_STEP_SUMMARY)
    await core.summary
      .addRaw(`${touchedTable(report.touched)}\n${summaryMarkdown(report.files, diagnostics)}`)
      .write();
  if (inputs.report && client) {
    await client.upsertComment(renderComment(report.touched, diagnostics));
    await client.syncLabels(labelsFor(report.touched, report.config));
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  core.setOutput("result", errors > 0 ? "fail" : "pass");
  core.setOutput("findings", String(diagnostics.length));
  return errors > 0
    ? { status: 1, message: `${errors} finding(s) in ${report.touched.length} changed record(s)` }
    : { status: 0 };
}
