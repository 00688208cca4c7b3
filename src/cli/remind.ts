// `incident remind`: prints what is overdue (action items, postmortems, stuck incidents, problems
// without an owner) and, with --github, keeps the one digest issue of the repository up to date.

import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../diagnostics/errors.js";
import { assigneesFor } from "../github/digest.js";
import { readInside } from "../io/safeWrite.js";
import { TimeError } from "../lifecycle/time.js";
import { hasReminders, ownersOf } from "../reminders/compute.js";
import { digestTitle, renderDigestJson, renderDigestMarkdown } from "../reminders/render.js";
import type { CommandContext } from "./context.js";
import { formatText, safe } from "./report.js";

export interface RemindCliOptions {
  dir: string;
  now?: string;
  /** How far ahead regulatory deadlines are listed: 6h, 30m, 2d (default 24h). */
  within?: string;
  format: "md" | "json";
  github?: boolean;
  token?: string;
  repo?: string;
}

/**
 * Exit status: 0 the digest was printed (and the issue synced), whether or not anything is overdue;
 * 1 some record files are invalid (reported and skipped; the digest covers the rest) or the config
 * has errors; 2 usage errors (a bad --now, --github without a token or repository) and GitHub
 * refusing or failing the issue update.
 */
export async function runRemind(
  opts: RemindCliOptions,
  ctx: CommandContext,
  io: { retryAfterBaseValue?: number } = {},
): Promise<number> {
  const { env } = ctx;
  const dir = resolve(ctx.cwd, opts.dir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`no such directory: ${safe(opts.dir)}`);
  }
  // Octokit loads only for --github.
  const github = opts.github ? await import("../github/client.js") : undefined;
  const repoCtx = github?.githubRepoContext(env, { token: opts.token, repo: opts.repo });
  if (github && !repoCtx) {
    throw new UsageError(
      "--github needs a token (--token, INCIDENT_GITHUB_TOKEN or GITHUB_TOKEN) and a repository (--repo owner/name or GITHUB_REPOSITORY)",
    );
  }

  const within = opts.within === undefined ? undefined : /^(\d{1,6})(m|h|d)$/.exec(opts.within.trim());
  if (opts.within !== undefined && !within) {
    throw new UsageError(
      `--within: use minutes, hours or days such as 30m, 6h, 2d; not ${safe(opts.within)}`,
    );
  }
  const withinMs = within
    ? Number(within[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[within[2] as "m"]
    : undefined;
  const { remindRepo } = await import("../usecases/remind.js");
  let report: Awaited<ReturnType<typeof remindRepo>>;
  try {
    report = await remindRepo({
      dir,
      clock: ctx.now(),
      ...(opts.now !== undefined ? { now: opts.now } : {}),
      ...(withinMs !== undefined ? { withinMs } : {}),
    });
  } catch (err) {
    // Name the flag; the exit status stays the error's own (a bad time is a usage error).
    if (err instanceof TimeError) throw new TimeError(`--now: ${err.message}`);
    throw err;
  }
  const { config } = report;
  const readText = (file: string) => {
    try {
      // Never through a link: a linked record or config must not print a file from elsewhere.
      return readInside(report.root, join(report.root, file)).text;
    } catch {
      return undefined;
    }
  };
  if (report.diagnostics.length > 0) ctx.stderr.write(`${formatText(report.diagnostics, readText)}\n`);
  if (report.configInvalid) {
    ctx.stderr.write("incident: incident.config.yaml has errors; fix them (run `incident validate`)\n");
    return 1;
  }
  for (const f of report.invalidFiles)
    ctx.stderr.write(`incident: skipped ${safe(f)}: not a valid record (run \`incident validate\`)\n`);

  const { digest } = report;
  ctx.stdout.write(
    opts.format === "json"
      ? `${safe(renderDigestJson(digest, report.invalidFiles))}\n`
      : renderDigestMarkdown(digest, { target: "terminal" }),
  );
  const code = report.invalidFiles.length > 0 ? 1 : 0;
  if (!github || !repoCtx) return code;

  const { GitHubClient } = github;
  const client = new GitHubClient(
    repoCtx,
    (m) => ctx.stderr.write(`incident: warning: ${safe(m)}\n`),
    io.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: io.retryAfterBaseValue } : {},
  );
  const { plan, number } = await client.syncDigestIssue({
    overdue: hasReminders(digest),
    title: digestTitle(digest),
    body: renderDigestMarkdown(digest, { target: "github" }),
    assignees: assigneesFor(ownersOf(digest), config.people),
  });
  const what =
    plan.action === "create"
      ? "created"
      : plan.action === "unchanged"
        ? "already up to date"
        : plan.action === "none"
          ? "not needed: nothing is overdue"
          : plan.state === "closed"
            ? "closed: nothing is overdue"
            : plan.state === "open"
              ? "reopened and updated"
              : "updated";
  ctx.stderr.write(`incident: digest issue${number !== undefined ? ` #${number}` : ""} ${what}\n`);
  return code;
}
