// GitHub's REST API behind the few operations the toolkit needs: for the check, the pull request,
// its reviews, one sticky comment and the labels; for reminders, the one digest issue. Eight
// endpoints over Node's fetch (no client library: Octokit's endpoint table and plugins weighed 28 MB
// for these), with pagination by Link header, retries of 5xx with growing backoff and of rate limits
// after their reset. A read-only token (a fork's pull request) degrades to reporting nothing for the
// check, and is a clear error for reminders.

import { readFileSync } from "node:fs";
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

/** A refused or failed request: GitHub's status and message, as the callers' error handling reads them. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Retry policy: what a 4xx means is final, except a rate limit; 5xx and network failures are retried. */
const SERVER_RETRIES = 3;
const RATE_LIMIT_RETRIES = 2;
/** A rate limit whose reset is further away than this fails instead of holding the job. */
const MAX_RATE_LIMIT_WAIT_S = 60;
const REQUEST_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

type Query = Record<string, string | number | undefined>;

/** The REST API over fetch: JSON in and out, the token, retries and pagination. */
class RestApi {
  constructor(
    private readonly token: string,
    private readonly apiUrl: string,
    /** Milliseconds per unit of backoff: 5xx waits 1, 4, 9 units; a rate limit its seconds. */
    private readonly unitMs: number,
  ) {}

  url(path: string, query: Query = {}): string {
    const u = new URL(`${this.apiUrl.replace(/\/+$/, "")}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async request<T>(method: string, url: string, body?: unknown): Promise<{ data: T; link: string | null }> {
    let serverRetries = 0;
    let rateRetries = 0;
    for (;;) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            accept: "application/vnd.github+json",
            authorization: `token ${this.token}`,
            "user-agent": "incident-as-code",
            "x-github-api-version": "2022-11-28",
            ...(body !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (err) {
        // No answer (connection refused or reset, a timeout): retried like a 5xx.
        if (serverRetries < SERVER_RETRIES) {
          serverRetries++;
          await sleep(serverRetries ** 2 * this.unitMs);
          continue;
        }
        throw new RequestError(`no answer from ${new URL(url).host}: ${(err as Error).message}`, 500);
      }
      const text = await res.text();
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        data = undefined;
      }
      if (res.ok) return { data: data as T, link: res.headers.get("link") };

      const message =
        typeof (data as { message?: unknown })?.message === "string"
          ? (data as { message: string }).message
          : res.statusText || `HTTP ${res.status}`;
      if ((res.status === 403 || res.status === 429) && rateRetries < RATE_LIMIT_RETRIES) {
        const wait = rateLimitWait(res, message);
        if (wait !== undefined && wait <= MAX_RATE_LIMIT_WAIT_S) {
          rateRetries++;
          await sleep(wait * this.unitMs);
          continue;
        }
      }
      if (res.status >= 500 && serverRetries < SERVER_RETRIES) {
        serverRetries++;
        await sleep(serverRetries ** 2 * this.unitMs);
        continue;
      }
      throw new RequestError(message, res.status);
    }
  }

  /** Every page of a list, following the Link header's rel="next" on the API's own host. */
  async paginate<T>(path: string, query: Query): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = this.url(path, { ...query, per_page: 100 });
    const origin = new URL(url).origin;
    while (url) {
      const page: { data: T[]; link: string | null } = await this.request<T[]>("GET", url);
      if (Array.isArray(page.data)) out.push(...page.data);
      const next: string | undefined = /<([^>]+)>;\s*rel="next"/.exec(page.link ?? "")?.[1];
      url = next && new URL(next).origin === origin ? next : undefined;
    }
    return out;
  }
}

/**
 * Seconds to wait before retrying a rate-limited request, or undefined when it is not a rate limit.
 * A secondary limit names itself in the message and says how long in retry-after; the primary limit
 * is a 403 or 429 with x-ratelimit-remaining 0, over at x-ratelimit-reset.
 */
function rateLimitWait(res: Response, message: string): number | undefined {
  const retryAfter = Number(res.headers.get("retry-after") ?? Number.NaN);
  if (/secondary rate limit/i.test(message)) return Number.isFinite(retryAfter) ? retryAfter : 60;
  if (res.headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(res.headers.get("x-ratelimit-reset") ?? Number.NaN);
    if (Number.isFinite(reset)) return Math.max(0, Math.ceil(reset - Date.now() / 1000));
    return Number.isFinite(retryAfter) ? retryAfter : undefined;
  }
  if (res.status === 429) return Number.isFinite(retryAfter) ? retryAfter : 60;
  return undefined;
}

interface UserJson {
  login: string;
}
interface IssueJson {
  number: number;
  user: UserJson | null;
  title: string;
  body?: string | null;
  state: string;
  assignees?: UserJson[] | null;
  pull_request?: unknown;
}

export class GitHubClient {
  private readonly api: RestApi;
  private prInfo: { author: string; headSha: string } | undefined;

  constructor(
    private readonly ctx: GitHubRepoContext & { pr?: number },
    private readonly warn: Notice = () => {},
    opts: { retryAfterBaseValue?: number } = {},
  ) {
    this.api = new RestApi(ctx.token, ctx.apiUrl, opts.retryAfterBaseValue ?? 1000);
  }

  /** /repos/{owner}/{repo} and what follows, every part encoded. */
  private path(...parts: Array<string | number>): string {
    return `/repos/${[this.ctx.owner, this.ctx.repo, ...parts].map((p) => encodeURIComponent(String(p))).join("/")}`;
  }

  /** The pull request the check reports on; the pull-request operations need one. */
  private get prNumber(): number {
    if (this.ctx.pr === undefined) throw new Error("no pull request in the GitHub context");
    return this.ctx.pr;
  }

  async pullRequest(): Promise<{ author: string; headSha: string }> {
    if (!this.prInfo) {
      const { data } = await this.api.request<{ user: UserJson | null; head: { sha: string } }>(
        "GET",
        this.api.url(this.path("pulls", this.prNumber)),
      );
      this.prInfo = { author: data.user?.login ?? "", headSha: data.head.sha };
    }
    return this.prInfo;
  }

  async reviews(): Promise<Review[]> {
    const list = await this.api.paginate<{
      user: UserJson | null;
      state: string;
      submitted_at?: string | null;
      commit_id?: string | null;
    }>(this.path("pulls", this.prNumber, "reviews"), {});
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
      const { data } = await this.api.request<UserJson>("GET", this.api.url("/user"));
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
      const comments = await this.api.paginate<{ id: number; user: UserJson | null; body?: string | null }>(
        this.path("issues", this.prNumber, "comments"),
        {},
      );
      const ours = comments.find(
        (c) => c.user?.login.toLowerCase() === self && (c.body ?? "").includes(COMMENT_MARKER),
      );
      if (ours) {
        if (ours.body === body) return "unchanged";
        await this.api.request("PATCH", this.api.url(this.path("issues", "comments", ours.id)), { body });
        return "updated";
      }
      await this.api.request("POST", this.api.url(this.path("issues", this.prNumber, "comments")), { body });
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
      const current = await this.api.paginate<{ name: string }>(
        this.path("issues", this.prNumber, "labels"),
        {},
      );
      const names = new Set(current.map((l) => l.name));
      const removed = [...names].filter((n) => isManagedLabel(n) && !desired.has(n));
      const added = [...desired].filter((n) => !names.has(n));
      for (const name of removed) {
        await this.api.request("DELETE", this.api.url(this.path("issues", this.prNumber, "labels", name)));
      }
      if (added.length > 0) {
        await this.api.request("POST", this.api.url(this.path("issues", this.prNumber, "labels")), {
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
    const list = await this.api.paginate<IssueJson>(this.path("issues"), {
      state: "all",
      sort: "created",
      direction: "asc",
      creator,
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
          this.api.request<IssueJson>("POST", this.api.url(this.path("issues")), {
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
          this.api.request<IssueJson>("PATCH", this.api.url(this.path("issues", number)), {
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
