// GitHub through @octokit/rest, behind the few operations the check needs: the pull request, its
// reviews, one sticky comment and the labels. Retries 5xx and rate limits (octokit's retry and
// throttling plugins); a read-only token (a fork's pull request) degrades to reporting nothing here.

import { readFileSync } from "node:fs";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { COMMENT_MARKER, isManagedLabel } from "../github/comment.js";
import { type Review, validApprovers } from "../github/reviews.js";
import type { ApprovalSource } from "../workflows/checkPullRequest.js";

export interface GitHubContext {
  token: string;
  owner: string;
  repo: string;
  pr: number;
  /** REST API root: https://api.github.com, a GHES URL, or a local server in tests. */
  apiUrl: string;
}

/** The context from flags or the Actions environment; undefined when any part is missing. */
export function githubContext(
  env: NodeJS.ProcessEnv,
  flags: { token?: string; repo?: string; pr?: number } = {},
): GitHubContext | undefined {
  const token = flags.token ?? env.INCIDENT_GITHUB_TOKEN ?? env.GITHUB_TOKEN;
  const repository = flags.repo ?? env.GITHUB_REPOSITORY;
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
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository ?? "");
  if (!token || !m || pr === undefined || !Number.isInteger(pr) || pr <= 0) return undefined;
  return {
    token,
    owner: m[1] as string,
    repo: m[2] as string,
    pr,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
  };
}

const GitHubOctokit = Octokit.plugin(retry, throttling);

export type Notice = (message: string) => void;

export class GitHubClient {
  private readonly octokit: InstanceType<typeof GitHubOctokit>;
  private pr: { author: string; headSha: string } | undefined;

  constructor(
    private readonly ctx: GitHubContext,
    private readonly warn: Notice = () => {},
    opts: { retryAfterBaseValue?: number } = {},
  ) {
    this.octokit = new GitHubOctokit({
      auth: ctx.token,
      baseUrl: ctx.apiUrl,
      userAgent: "incident-as-code",
      // Refused requests (4xx) are final; 5xx are retried with backoff.
      retry: {
        doNotRetry: [400, 401, 403, 404, 410, 422, 451],
        retries: 3,
        ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}),
      },
      throttle: {
        onRateLimit: (_after: number, _options: unknown, _o: unknown, retryCount: number) => retryCount < 2,
        onSecondaryRateLimit: (_after: number, _options: unknown, _o: unknown, retryCount: number) =>
          retryCount < 2,
        ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}),
      },
    });
  }

  private get base() {
    return { owner: this.ctx.owner, repo: this.ctx.repo };
  }

  async pullRequest(): Promise<{ author: string; headSha: string }> {
    if (!this.pr) {
      const { data } = await this.octokit.rest.pulls.get({ ...this.base, pull_number: this.ctx.pr });
      this.pr = { author: data.user?.login ?? "", headSha: data.head.sha };
    }
    return this.pr;
  }

  async reviews(): Promise<Review[]> {
    const list = await this.octokit.paginate(this.octokit.rest.pulls.listReviews, {
      ...this.base,
      pull_number: this.ctx.pr,
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

  /** The login comments are made as: the token's user, or the Actions bot for GITHUB_TOKEN. */
  private async selfLogin(): Promise<string> {
    try {
      const { data } = await this.octokit.rest.users.getAuthenticated();
      return data.login;
    } catch {
      return "github-actions[bot]";
    }
  }

  /** Creates or updates the one comment carrying our marker and written by us; never duplicates it. */
  async upsertComment(body: string): Promise<"created" | "updated" | "unchanged" | "skipped"> {
    try {
      const self = (await this.selfLogin()).toLowerCase();
      const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
        ...this.base,
        issue_number: this.ctx.pr,
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
      await this.octokit.rest.issues.createComment({ ...this.base, issue_number: this.ctx.pr, body });
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
        issue_number: this.ctx.pr,
        per_page: 100,
      });
      const names = new Set(current.map((l) => l.name));
      const removed = [...names].filter((n) => isManagedLabel(n) && !desired.has(n));
      const added = [...desired].filter((n) => !names.has(n));
      for (const name of removed) {
        await this.octokit.rest.issues.removeLabel({ ...this.base, issue_number: this.ctx.pr, name });
      }
      if (added.length > 0) {
        await this.octokit.rest.issues.addLabels({ ...this.base, issue_number: this.ctx.pr, labels: added });
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
}

function isPermission(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === 403 || status === 404;
}
