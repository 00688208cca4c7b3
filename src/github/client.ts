// GitHub's REST API behind the few operations the toolkit needs: for the check, the pull request,
// its reviews, one sticky comment and the labels; for reminders, the one digest issue. Through
// @octokit/rest with octokit's retry plugin (5xx and network failures, with growing backoff) and
// throttling plugin (primary and secondary rate limits, after their reset; writes spaced as GitHub
// asks). A read-only token (a fork's pull request) degrades to reporting nothing for the check, and
// is a clear error for reminders.

import { readFileSync } from "node:fs";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type Bottleneck from "bottleneck";
import type { ApprovalSource } from "../check/judge.js";
import { UserError } from "../diagnostics/errors.js";
import { COMMENT_MARKER, isManagedLabel } from "../github/comment.js";
import {
  type DesiredDigest,
  findDigestIssue,
  type IssuePlan,
  type IssueSummary,
  planDigestIssue,
} from "../github/digest.js";
import { type Review, validApprovers } from "../github/reviews.js";

/** A repository on GitHub and a token for it. */
export interface GitHubRepoContext {
  token: string;
  owner: string;
  repo: string;
  /** REST API root: https://api.github.com, a GHES URL, or a local server in tests. */
  apiUrl: string;
  /**
   * The login the token writes as, when the token cannot say (an installation token may not read
   * GET /user): INCIDENT_GITHUB_AUTHOR, e.g. `my-incident-app[bot]`; default `github-actions[bot]`.
   */
  author?: string;
}

/** A pull request on GitHub and a token for its repository. */
export interface GitHubContext extends GitHubRepoContext {
  pr: number;
}

/** GitHub refused or failed a request the command cannot do without. */
export class GitHubError extends UserError {
  // Without GitHub the command cannot do what was asked: exit 2.
  override readonly exitCode = 2;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The repository context from flags or the Actions environment; undefined when a part is missing. */
export function githubRepoContext(
  env: NodeJS.ProcessEnv,
  flags: { token?: string; repo?: string } = {},
): GitHubRepoContext | undefined {
  const token = flags.token ?? env.INCIDENT_GITHUB_TOKEN ?? env.GITHUB_TOKEN;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(flags.repo ?? env.GITHUB_REPOSITORY ?? "");
  if (!token || !m) return undefined;
  const author = env.INCIDENT_GITHUB_AUTHOR?.trim();
  return {
    token,
    owner: m[1] as string,
    repo: m[2] as string,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    // A GitHub login, or an app's bot account `<slug>[bot]`; anything else is ignored.
    ...(author && /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(author) ? { author } : {}),
  };
}

/** The context from flags or the Actions environment; undefined when any part is missing. */
export function githubContext(
  env: NodeJS.ProcessEnv,
  flags: { token?: string; repo?: string; pr?: number } = {},
): GitHubContext | undefined {
  const repoCtx = githubRepoContext(env, flags);
  let pr = flags.pr;
  if (pr === undefined && env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as {
        pull_request?: { number?: unknown };
        merge_group?: { head_ref?: unknown };
      };
      if (typeof event.pull_request?.number === "number") pr = event.pull_request.number;
      // A merge queue names the pull request in its branch: gh-readonly-queue/<base>/pr-<N>-<sha>.
      const queued = /\/pr-(\d+)-[0-9a-f]+$/.exec(String(event.merge_group?.head_ref ?? ""));
      if (pr === undefined && queued) pr = Number(queued[1]);
    } catch {
      // No readable event: no pull request context.
    }
  }
  if (!repoCtx || pr === undefined || !Number.isInteger(pr) || pr <= 0) return undefined;
  return { ...repoCtx, pr };
}

export type Notice = (message: string) => void;

/** 5xx and network failures are retried this often; a refused request (4xx) is final. */
const SERVER_RETRIES = 3;
/** A rate limit is waited out this often, */
const RATE_LIMIT_RETRIES = 2;
/** and only when its reset is at most this far away: a longer wait fails instead of holding the job. */
const MAX_RATE_LIMIT_WAIT_S = 60;
const REQUEST_TIMEOUT_MS = 30_000;

const GitHubOctokit = Octokit.plugin(retry, throttling);
type Api = InstanceType<typeof GitHubOctokit>;

/** Octokit logs every failed request on the console; the client reports what matters itself. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Octokit spaces writes 1 s apart (3 s for those that notify), as GitHub asks of clients making a
 * large number of them. A run here makes a handful, one after another (a comment, a few labels):
 * they go out at once, and a secondary rate limit, should one come, is still waited out.
 */
const unspaced = {
  key: () => ({ schedule: (_job: unknown, task: () => Promise<unknown>) => task() }),
} as unknown as Bottleneck.Group;

/** Waits out a rate limit when the retry budget and the wait allow it. */
const waitOut = (after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
  retryCount < RATE_LIMIT_RETRIES && after <= MAX_RATE_LIMIT_WAIT_S;

function createApi(ctx: GitHubRepoContext, retryAfterBaseValue: number): Api {
  const apiOrigin = new URL(ctx.apiUrl).origin;
  const api = new GitHubOctokit({
    auth: ctx.token,
    baseUrl: ctx.apiUrl.replace(/\/+$/, ""),
    userAgent: "incident-as-code",
    log: quiet,
    request: {
      // A request that hangs fails after a while (and is retried like a 5xx).
      fetch: (url: string | URL, init?: RequestInit) =>
        fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
    },
    retry: {
      doNotRetry: [400, 401, 403, 404, 410, 422, 451],
      retries: SERVER_RETRIES,
      retryAfterBaseValue,
    },
    throttle: {
      onRateLimit: waitOut,
      onSecondaryRateLimit: waitOut,
      retryAfterBaseValue,
      write: unspaced,
      notifications: unspaced,
    },
  });
  // The token goes to the API's own host only: a Link header naming another host is not followed.
  api.hook.before("request", (options) => {
    const target = new URL(String(options.url), `${String(options.baseUrl)}/`);
    if (target.origin !== apiOrigin)
      throw new RequestError(`refused to send the token to ${target.origin}`, 400);
  });
  return api;
}

/** A request refused before it was sent; carries a status like octokit's own errors. */
class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class GitHubClient {
  private readonly octokit: Api;
  private prInfo: { author: string; headSha: string } | undefined;

  constructor(
    private readonly ctx: GitHubRepoContext & { pr?: number },
    private readonly warn: Notice = () => {},
    /** Milliseconds per unit of wait: 5xx waits 1, 4, 9 units; a rate limit its seconds. */
    opts: { retryAfterBaseValue?: number } = {},
  ) {
    this.octokit = createApi(ctx, opts.retryAfterBaseValue ?? 1000);
  }

  private get base() {
    return { owner: this.ctx.owner, repo: this.ctx.repo };
  }

  /** The pull request the check reports on; the pull-request operations need one. */
  private get prNumber(): number {
    if (this.ctx.pr === undefined) throw new Error("no pull request in the GitHub context");
    return this.ctx.pr;
  }

  async pullRequest(): Promise<{ author: string; headSha: string }> {
    if (!this.prInfo) {
      const { data } = await this.octokit.rest.pulls.get({ ...this.base, pull_number: this.prNumber });
      this.prInfo = { author: data.user?.login ?? "", headSha: data.head.sha };
    }
    return this.prInfo;
  }

  async reviews(): Promise<Review[]> {
    const list = await this.octokit.paginate(this.octokit.rest.pulls.listReviews, {
      ...this.base,
      pull_number: this.prNumber,
      per_page: 100,
    });
    return list.map((r) => ({
      user: r.user?.login ?? "",
      state: r.state,
      submittedAt: r.submitted_at ?? undefined,
      commitId: r.commit_id ?? undefined,
    }));
  }

  approvalSource(countStale: boolean): ApprovalSource {
    let approvers: Promise<Set<string>> | undefined;
    return {
      approvers: () => {
        approvers ??= (async () => {
          const pr = await this.pullRequest();
          return validApprovers(await this.reviews(), { author: pr.author, headSha: pr.headSha, countStale });
        })();
        return approvers;
      },
    };
  }

  /**
   * The login comments and the digest issue are written as: the token's user. An installation token
   * (GITHUB_TOKEN, a GitHub App) is refused GET /user with 403 and writes as its bot account, which
   * the context names (INCIDENT_GITHUB_AUTHOR, default github-actions[bot]). Any other failure is an
   * error: guessing the author would make the next run miss our comment or issue and add another.
   */
  private async selfLogin(): Promise<string> {
    try {
      const { data } = await this.octokit.rest.users.getAuthenticated();
      return data.login;
    } catch (err) {
      if ((err as { status?: number }).status === 403) return this.ctx.author ?? "github-actions[bot]";
      throw err;
    }
  }

  /** Creates or updates the one comment carrying our marker and written by us; never duplicates it. */
  async upsertComment(body: string): Promise<"created" | "updated" | "unchanged" | "skipped"> {
    try {
      const self = (await this.selfLogin()).toLowerCase();
      const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
        ...this.base,
        issue_number: this.prNumber,
        per_page: 100,
      });
      const ours = comments.find(
        (c) => c.user?.login.toLowerCase() === self && (c.body ?? "").includes(COMMENT_MARKER),
      );
      if (ours) {
        if (ours.body === body) return "unchanged";
        await this.octokit.rest.issues.updateComment({ ...this.base, comment_id: ours.id, body });
        return "updated";
      }
      await this.octokit.rest.issues.createComment({ ...this.base, issue_number: this.prNumber, body });
      return "created";
    } catch (err) {
      if (isPermission(err)) {
        this.warn(
          "the token cannot write comments (a fork's pull request?); the result is in the annotations and the job summary",
        );
        return "skipped";
      }
      throw err;
    }
  }

  /** Makes the managed labels equal `desired`, leaving every other label alone. */
  async syncLabels(
    desired: ReadonlySet<string>,
  ): Promise<{ added: string[]; removed: string[] } | "skipped"> {
    try {
      const current = await this.octokit.paginate(this.octokit.rest.issues.listLabelsOnIssue, {
        ...this.base,
        issue_number: this.prNumber,
        per_page: 100,
      });
      const names = new Set(current.map((l) => l.name));
      const removed = [...names].filter((n) => isManagedLabel(n) && !desired.has(n));
      const added = [...desired].filter((n) => !names.has(n));
      for (const name of removed) {
        await this.octokit.rest.issues.removeLabel({ ...this.base, issue_number: this.prNumber, name });
      }
      if (added.length > 0) {
        await this.octokit.rest.issues.addLabels({
          ...this.base,
          issue_number: this.prNumber,
          labels: added,
        });
      }
      return { added, removed };
    } catch (err) {
      if (isPermission(err)) {
        this.warn("the token cannot change labels (a fork's pull request?); labels were left as they are");
        return "skipped";
      }
      throw err;
    }
  }

  /** Issues of the repository (pull requests included, as GitHub lists them), all or by one creator. */
  async listIssues(creator?: string): Promise<IssueSummary[]> {
    const list = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.base,
      state: "all",
      sort: "created",
      direction: "asc",
      per_page: 100,
      ...(creator ? { creator } : {}),
    });
    return list.map((i) => ({
      number: i.number,
      author: i.user?.login ?? "",
      title: i.title,
      body: i.body ?? "",
      state: i.state === "closed" ? "closed" : "open",
      assignees: (i.assignees ?? []).map((a) => a.login),
      isPullRequest: i.pull_request !== undefined && i.pull_request !== null,
    }));
  }

  /**
   * Keeps the one digest issue (found by its marker and its author, the token's own login) as
   * `want` says: created, edited in place, reopened or closed, or left alone when it already is.
   * A refused request is a GitHubError naming the permission the token lacks.
   */
  async syncDigestIssue(want: DesiredDigest): Promise<{ plan: IssuePlan; number?: number }> {
    try {
      const self = await this.selfLogin();
      // Our own issues first (a page or two, whatever the size of the repository); the whole list
      // only when that finds no digest, so a filter that misses cannot make a second issue.
      const found =
        findDigestIssue(await this.listIssues(self), self) ?? findDigestIssue(await this.listIssues(), self);
      const plan = planDigestIssue(found, want);
      if (plan.action === "create") {
        const create = (assignees: string[] | undefined) =>
          this.octokit.rest.issues.create({
            ...this.base,
            title: plan.title,
            body: plan.body,
            assignees: assignees ?? [],
          });
        const { data } = await this.withoutRefusedAssignees(plan.assignees, create);
        return { plan, number: data.number };
      }
      if (plan.action === "update") {
        const { number, action: _, assignees, ...fields } = plan;
        const update = (a: string[] | undefined) =>
          this.octokit.rest.issues.update({
            ...this.base,
            issue_number: number,
            ...fields,
            ...(fields.state === "closed" ? { state_reason: "completed" as const } : {}),
            ...(a !== undefined ? { assignees: a } : {}),
          });
        await this.withoutRefusedAssignees(assignees, update);
        return { plan, number };
      }
      return { plan, ...(plan.action === "unchanged" ? { number: plan.number } : {}) };
    } catch (err) {
      throw explain(err, `${this.ctx.owner}/${this.ctx.repo}`);
    }
  }

  /**
   * GitHub answers 422 when an assignee cannot be assigned (not a collaborator, a renamed account):
   * the issue is still written, without assignees, and a warning says so.
   */
  private async withoutRefusedAssignees<T>(
    assignees: string[] | undefined,
    send: (assignees: string[] | undefined) => Promise<T>,
  ): Promise<T> {
    try {
      return await send(assignees);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== 422 || assignees === undefined || assignees.length === 0) throw err;
      this.warn(
        `GitHub refused the assignees ${assignees.join(", ")} (HTTP 422: not collaborators of the repository?); the issue is written without assignees`,
      );
      return await send([]);
    }
  }
}

/** A GitHub failure as a message that says what to fix; anything else is passed on. */
function explain(err: unknown, repo: string): unknown {
  if (err instanceof GitHubError) return err;
  const status = (err as { status?: number }).status;
  if (typeof status !== "number") return err;
  const said = String((err as Error).message ?? "")
    .split("\n")[0]
    ?.slice(0, 200);
  if (status === 401) return new GitHubError(`GitHub refused the token (HTTP 401: ${said})`, status);
  if (status === 403 || status === 404)
    return new GitHubError(
      `the token cannot read or write issues in ${repo} (HTTP ${status}: ${said}); give the job \`permissions: issues: write\` (and \`contents: read\`), or use a token with access to the repository`,
      status,
    );
  return new GitHubError(`GitHub failed the request (HTTP ${status}: ${said})`, status);
}

function isPermission(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === 403 || status === 404;
}
