// `incident remind --github` against the local stand-in for the GitHub REST API
// (test/helpers/github-server.ts): the one digest issue is created, edited in place, left alone when
// unchanged, closed when nothing is overdue and reopened when something is again; look-alikes and
// pull requests are ignored; assignees come from people[].github; refused tokens and 5xx are clear
// errors. Every request is checked against GitHub's OpenAPI description in afterEach.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { memoryContext } from "../src/cli/context.js";
import { exitStatus } from "../src/cli/exit.js";
import { runRemind } from "../src/cli/remind.js";
import { DIGEST_MARKER } from "../src/reminders/render.js";
import { repoRoot } from "./helpers/cli.js";
import { GitHubServer } from "./helpers/github-server.js";

const STACK_LINE = /^\s+at .+:\d+/m;
// In the fixture: INC-2026-0001 AI-2 (jlee) is due 2026-04-30, PRB-2026-0001 AI-1 (tomas.novak) 2026-05-31.
const NOTHING = "2026-04-15T09:00:00Z";
const ONE = "2026-05-05T09:00:00Z";
const TWO = "2026-06-05T09:00:00Z";

let server: GitHubServer;
let dir: string;

beforeAll(async () => {
  server = await GitHubServer.start();
  dir = mkdtempSync(join(tmpdir(), "incident-remind-gh-"));
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  const path = join(dir, "incident.config.yaml");
  let config = readFileSync(path, "utf8");
  for (const [handle, login] of [
    ["jlee", "jordan-lee"],
    ["tomas.novak", "tnovak"],
  ]) {
    config = config.replace(`  - handle: ${handle}\n`, `  - handle: ${handle}\n    github: ${login}\n`);
  }
  // Only action items in these scenarios: the fixture's open incidents would otherwise be stuck.
  config +=
    "\nreminders:\n  stuck_after:\n    new: null\n    triaged: null\n    in_progress: null\n    on_hold: null\n    mitigated: null\n    resolved: null\n";
  writeFileSync(path, config);
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  server.reset();
});

afterEach(() => {
  expect(server.violations).toEqual([]);
  expect(server.unmodelled).toEqual([]);
});

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function remind(
  now: string,
  token = "t",
  extra: { retryAfterBaseValue?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  const ctx = memoryContext({ env: { GITHUB_API_URL: server.url, ...extra.env } });
  // Errors end where the CLI ends them: cli/exit.ts prints them and picks the status.
  const status = await runRemind({ dir, now, format: "md", github: true, token, repo: "o/r" }, ctx, {
    retryAfterBaseValue: extra.retryAfterBaseValue ?? 5,
  }).catch((e: unknown) => exitStatus(e, (t) => ctx.stderr.write(t), ctx.env));
  return { status, stdout: ctx.stdout.text, stderr: ctx.stderr.text };
}

const writes = () => server.requests.filter((r) => r.method !== "GET");
const ours = (login = "incident-bot") =>
  server.issues.filter((i) => i.user === login && i.body.includes(DIGEST_MARKER));

describe("the digest issue", () => {
  it("is created, updated in place, left alone when unchanged, closed and reopened", async () => {
    const first = await remind(ONE);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/^incident: digest issue #2 created$/m);
    expect(first.stdout).toContain("| INC-2026-0001 | AI-2:");
    expect(server.calls("issues/create")).toHaveLength(1);
    expect(ours()).toHaveLength(1);
    const issue = ours()[0];
    expect(issue?.title).toBe("Incident reminders: 1 overdue");
    expect(issue?.body.startsWith(`${DIGEST_MARKER}\n`)).toBe(true);
    expect(issue?.body).toContain("INC-2026-0001");
    expect(issue?.assignees).toEqual(["jordan-lee"]);

    // Same time, same content: read only.
    server.requests.length = 0;
    const same = await remind(ONE);
    expect(same.stderr).toMatch(/digest issue #2 already up to date/);
    expect(writes()).toEqual([]);

    // A second item becomes overdue: the same issue is edited.
    server.requests.length = 0;
    await remind(TWO);
    expect(server.calls("issues/create")).toEqual([]);
    const updates = server.calls("issues/update");
    expect(updates.map((u) => u.params.issue_number)).toEqual(["2"]);
    expect(updates[0]?.body).toMatchObject({
      title: "Incident reminders: 2 overdue",
      assignees: ["jordan-lee", "tnovak"],
    });
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toContain("PRB-2026-0001");

    // Nothing overdue: the issue says so and is closed.
    server.requests.length = 0;
    const clear = await remind(NOTHING);
    expect(clear.status).toBe(0);
    expect(clear.stderr).toMatch(/digest issue #2 closed: nothing is overdue/);
    expect(ours()[0]).toMatchObject({
      state: "closed",
      stateReason: "completed",
      title: "Incident reminders: nothing overdue",
    });
    expect(ours()[0]?.body).toContain("Nothing is overdue as of 2026-04-15 09:00 UTC");
    server.requests.length = 0;
    await remind(NOTHING);
    expect(writes()).toEqual([]);

    // Overdue again: the same issue is reopened and rewritten, never a second one.
    await remind(ONE);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toMatchObject({
      number: 2,
      state: "open",
      stateReason: "reopened",
      title: "Incident reminders: 1 overdue",
    });
    expect(server.issues).toHaveLength(1);
  });

  it("creates no issue when nothing is overdue", async () => {
    const run = await remind(NOTHING);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/digest issue not needed: nothing is overdue/);
    expect(writes()).toEqual([]);
    expect(server.issues).toEqual([]);
  });

  it("ignores a look-alike issue by another author and a pull request carrying the marker", async () => {
    const impostorBody = `${DIGEST_MARKER}\nI copied the marker.`;
    const impostor = server.issue("someone-else", "Incident reminders: 0 overdue", impostorBody);
    server.author = "incident-bot"; // the pull request is the bot's own, and carries the marker too
    server.prBody = `${DIGEST_MARKER}\nnot an issue`;
    await remind(ONE);
    await remind(TWO);
    expect(impostor.body).toBe(impostorBody);
    expect(server.requests.filter((r) => r.params.issue_number === String(impostor.number))).toEqual([]);
    expect(server.requests.filter((r) => r.params.issue_number === "1")).toEqual([]);
    expect(ours()).toHaveLength(1);
    expect(server.calls("issues/create")).toHaveLength(1);
    expect(server.calls("issues/list-for-repo")[0]?.query).toMatchObject({ state: "all" });
  });

  it("with an Actions GITHUB_TOKEN (no /user) finds its own github-actions[bot] issue again", async () => {
    server.issue("someone-else", "x", `${DIGEST_MARKER}\nnot ours`);
    await remind(ONE, "ghs_actions");
    await remind(TWO, "ghs_actions");
    expect(server.calls("users/get-authenticated").every((r) => r.status === 403)).toBe(true);
    expect(ours("github-actions[bot]")).toHaveLength(1);
    expect(server.calls("issues/create")).toHaveLength(1);
    expect(server.calls("issues/update")).toHaveLength(1);
  });

  it("lists only its own issues once the digest exists, and falls back to every issue when that misses", async () => {
    await remind(ONE);
    const listed = () => server.calls("issues/list-for-repo").map((r) => r.query.creator ?? "(all)");
    // The first run finds nothing by creator, then reads every issue before it creates one.
    expect(listed()).toEqual(["incident-bot", "(all)"]);
    await remind(TWO);
    expect(listed()).toEqual(["incident-bot", "(all)", "incident-bot"]);
    // A creator filter that misses the issue costs a full listing, never a second issue.
    server.creatorFilterMisses = true;
    await remind(ONE);
    expect(listed().slice(3)).toEqual(["incident-bot", "(all)"]);
    expect(server.calls("issues/create")).toHaveLength(1);
    expect(ours()).toHaveLength(1);
  });

  it("with a GitHub App's token finds its own issue by INCIDENT_GITHUB_AUTHOR, not a new one each run", async () => {
    const env = { INCIDENT_GITHUB_AUTHOR: "incident-app[bot]" };
    await remind(ONE, "ghs_app", { env });
    await remind(TWO, "ghs_app", { env });
    expect(ours("incident-app[bot]")).toHaveLength(1);
    expect(server.calls("issues/create")).toHaveLength(1);
    expect(server.calls("issues/update")).toHaveLength(1);
  });

  it("stops, rather than guess its own login, when GET /user fails with a server error", async () => {
    server.issue("incident-bot", "Incident reminders: 1 overdue", `${DIGEST_MARKER}\nours`);
    server.fail("GET /user", 10, { kind: "error", status: 502 });
    const run = await remind(ONE, "t", { retryAfterBaseValue: 1 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^incident: /m);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(server.calls("issues/create")).toEqual([]);
  });

  it("escapes hostile record text in the issue body", async () => {
    const hostileDir = mkdtempSync(join(tmpdir(), "incident-remind-hostile-"));
    try {
      cpSync(dir, hostileDir, { recursive: true });
      const path = join(hostileDir, "incidents/2026/INC-2026-0001.yaml");
      const text = readFileSync(path, "utf8");
      const i = text.indexOf("    due: 2026-04-30");
      const titleAt = text.lastIndexOf("    title: ", i);
      const end = text.indexOf("\n", titleAt);
      writeFileSync(
        path,
        `${text.slice(0, titleAt)}    title: '@everyone #1 <img src=x onerror=alert(1)> | [x](javascript:alert(1))'${text.slice(end)}`,
      );
      const saved = dir;
      dir = hostileDir;
      try {
        expect((await remind(ONE)).status).toBe(0);
      } finally {
        dir = saved;
      }
      const body = ours()[0]?.body ?? "";
      expect(body).not.toMatch(/@everyone|#1\b|<img|\]\(javascript/);
      expect(body).toContain("&#64;\u200beveryone");
    } finally {
      rmSync(hostileDir, { recursive: true, force: true });
    }
  });

  it("writes the issue without assignees (and warns) when GitHub refuses them", async () => {
    server.assignable = new Set(["someone-else"]);
    const run = await remind(ONE);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/warning: GitHub refused the assignees jordan-lee/);
    expect(server.calls("issues/create").map((r) => r.status)).toEqual([422, 201]);
    expect(ours()[0]?.assignees).toEqual([]);
  });
});

describe("failures", () => {
  it("a read-only token is a clear error naming issues: write, exit 2, no stack", async () => {
    const run = await remind(ONE, "ro");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^incident: the token cannot read or write issues in o\/r \(HTTP 403: Resource not accessible by integration[^)]*\); give the job `permissions: issues: write`/m,
    );
    expect(run.stderr).not.toMatch(STACK_LINE);
    // The digest is still printed, and the refused write is not retried.
    expect(run.stdout).toContain("INC-2026-0001");
    expect(server.calls("issues/create")).toHaveLength(1);
  });

  it("an unknown token is a clear error, exit 2", async () => {
    const run = await remind(ONE, "nope");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/GitHub refused the token \(HTTP 401/);
  });

  it("retries a 5xx and succeeds without duplicating the issue", async () => {
    server.fail("POST /repos/{owner}/{repo}/issues", 2, { kind: "error", status: 502 });
    const run = await remind(ONE);
    expect(run.status).toBe(0);
    expect(server.calls("issues/create").map((r) => r.status)).toEqual([502, 502, 201]);
    expect(server.issues).toHaveLength(1);
  }, 20_000);

  it("stops after a bounded number of retries when GitHub keeps failing", async () => {
    server.fail("GET /repos/{owner}/{repo}/issues", 100, { kind: "error", status: 503 });
    const run = await remind(ONE);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/GitHub failed the request \(HTTP 503/);
    expect(server.calls("issues/list-for-repo")).toHaveLength(4); // 1 + 3 retries
    expect(writes()).toEqual([]);
  }, 20_000);
});
