// `incident init`: sets a git repository up to keep its incidents with the toolkit: the config, the
// effective schemas, the editor settings, CODEOWNERS, the caller workflows, git attributes and
// ignores. Asks at a terminal, takes flags with --yes. Never overwrites a file the user changed:
// .incident/init.json records what each generated file held when it was written.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import { CONFIG_FILE, configFromSources, readVersion } from "../config/load.js";
import type { RoleName } from "../config/types.js";
import { UsageError, UserError } from "../diagnostics/errors.js";
import {
  checkAnswers,
  checkTimezone,
  type Decision,
  type InitAnswers,
  InitInputError,
  MANIFEST_PATH,
  parseManifest,
  parseOwners,
  parsePerson,
  parseService,
  parseTeam,
  planFiles,
  ROLES,
  reconcile,
  renderConfig,
  renderManifest,
  WRITES,
} from "../init/plan.js";
import { readInside, UnsafePathError, writeInside } from "../io/safeWrite.js";
import type { CommandContext, TextSink } from "./context.js";
import { formatText, noColors, safe } from "./report.js";

export interface InitCliOptions {
  dir: string;
  yes?: boolean;
  org?: string;
  timezone?: string;
  owner?: string;
  branch?: string;
  team?: string[];
  service?: string[];
  person?: string[];
  dryRun?: boolean;
  update?: boolean;
  /** The toolkit commit to pin the callers to (default: the package's own `gitHead`, when published). */
  toolkitSha?: string;
}

class Canceled extends UserError {}

/**
 * Exit status: 0 done (files left alone are listed, not errors); 1 a file could not be written (a
 * link on the way) or the repository's config has errors; 2 usage errors, not a git repository.
 */
export async function runInit(opts: InitCliOptions, ctx: CommandContext): Promise<number> {
  try {
    return await init(opts, ctx);
  } catch (err) {
    // Name the command; cli/main.ts prints the message and exits with the error's own status
    // (1 canceled, 2 for bad input).
    if (err instanceof Canceled) throw new Canceled(`init: ${err.message}`);
    if (err instanceof InitInputError) throw new InitInputError(`init: ${err.message}`);
    throw err;
  }
}

function git(root: string, args: string[]): string | undefined {
  const r = spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function init(opts: InitCliOptions, ctx: CommandContext): Promise<number> {
  const dir = resolve(ctx.cwd, opts.dir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`no such directory: ${safe(opts.dir)}`);
  }
  const root = git(dir, ["rev-parse", "--show-toplevel"]);
  if (!root) {
    throw new UsageError(`init: ${safe(opts.dir)} is not in a git repository; run \`git init\` first`);
  }
  const version = readVersion();
  const read = (path: string) => readInside(root, join(root, path));
  const manifestFile = read(MANIFEST_PATH);
  const manifest = parseManifest(manifestFile.text);
  if (opts.update && !manifest) {
    throw new UsageError(
      `init --update: no ${MANIFEST_PATH} here (it is written by \`incident init\`); run \`incident init\` first`,
    );
  }
  const configOnDisk = read(CONFIG_FILE);
  if (configOnDisk.link) {
    ctx.stderr.write(`incident: init: ${CONFIG_FILE} is a symbolic link; nothing was written\n`);
    return 1;
  }
  const interactive = !opts.yes && !opts.update && ctx.stdin?.isTTY === true;
  if (!opts.yes && !opts.update && !interactive && configOnDisk.text === undefined && !manifest) {
    throw new UsageError(
      "init: no terminal to ask at; pass --yes with --org, --owner, --team, --service and --person",
    );
  }

  // The config is written once, from the answers; an existing one is the user's and is used as is.
  let configText: string | undefined;
  let answers: InitAnswers | undefined;
  const seedConfig = configOnDisk.text === undefined && !manifest?.files[CONFIG_FILE];
  const p = interactive ? await import("@clack/prompts") : undefined;
  if (p) p.intro(`incident-as-code ${version}: set up ${basename(root)}`);
  if (seedConfig) {
    answers = p ? await ask(p, root) : fromFlags(opts, root);
    checkAnswers(answers);
    const template = readFileSync(
      new URL("../../templates/init/incident.config.example.yaml", import.meta.url),
      "utf8",
    );
    configText = renderConfig(template, answers, version);
  } else if (!opts.update && (opts.team || opts.service || opts.person || opts.org || opts.timezone)) {
    ctx.stderr.write(
      `incident: init: ${CONFIG_FILE} exists and stays as it is; --org, --timezone, --team, --service and --person apply only to a new one\n`,
    );
  }
  const owners = opts.owner
    ? parseOwners(opts.owner)
    : manifest?.owners.length
      ? manifest.owners
      : p
        ? parseOwners(await askOwner(p, answers))
        : defaultOwners(answers);
  const branch =
    opts.branch ?? (manifest?.branch || git(root, ["symbolic-ref", "--short", "HEAD"]) || "main");
  if (!/^[A-Za-z0-9._/-]{1,200}$/.test(branch))
    throw new InitInputError(`--branch ${JSON.stringify(branch)}: not a branch name`);

  // The effective schemas, from the same code `incident schema --write` uses.
  const configBytes = configText ?? configOnDisk.text;
  const loaded = await configFromSources(configBytes === undefined ? undefined : Buffer.from(configBytes));
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    ctx.stdout.write(
      formatText(
        errors,
        (f) => (f === CONFIG_FILE ? (configText ?? configOnDisk.text) : undefined),
        noColors,
      ),
    );
    ctx.stderr.write(`incident: init: fix ${CONFIG_FILE} first; nothing was written\n`);
    return 1;
  }
  const commit = opts.toolkitSha ?? releaseCommit(version) ?? publishedCommit();
  if (commit !== undefined && !/^[0-9a-f]{40}$/.test(commit))
    throw new InitInputError(
      `--toolkit-sha ${JSON.stringify(commit).slice(0, 60)}: give the 40-hex commit of the release`,
    );
  const planned = planFiles({
    version,
    commit,
    owners,
    branch,
    configText,
    paths: loaded.config.paths,
    schemaTexts: loaded.schemaTexts,
    hasPackageJson: read("package.json").text !== undefined,
  });
  const { decisions, manifest: next } = reconcile(planned, read, manifest, { version, owners, branch });
  const manifestText = renderManifest(next);
  const manifestChanged = manifestText !== manifestFile.text;

  if (opts.dryRun) {
    for (const d of decisions.filter((x) => WRITES.has(x.action)))
      ctx.stdout.write(patch(d.path, d.before, d.after ?? ""));
    if (manifestChanged) ctx.stdout.write(patch(MANIFEST_PATH, manifestFile.text, manifestText));
    report(decisions, opts, true, ctx.stdout, manifestAction(manifestFile.text, manifestText));
    ctx.stdout.write("Dry run: nothing was written.\n");
    return 0;
  }

  let failed = false;
  for (const d of decisions) {
    if (!WRITES.has(d.action)) continue;
    try {
      writeInside(root, join(root, d.path), d.after ?? "");
    } catch (err) {
      if (!(err instanceof UnsafePathError)) throw err;
      d.action = "refused";
      d.note = err.message;
      delete next.files[d.path];
      failed = true;
    }
  }
  let manifestDone = manifestAction(manifestFile.text, manifestText);
  if (manifestChanged || failed) {
    const written = renderManifest(next);
    manifestDone = manifestAction(manifestFile.text, written);
    try {
      writeInside(root, join(root, MANIFEST_PATH), written);
    } catch (err) {
      if (!(err instanceof UnsafePathError)) throw err;
      ctx.stderr.write(`incident: init: ${MANIFEST_PATH}: ${safe(err.message)}\n`);
      manifestDone = "refused";
      failed = true;
    }
  }
  report(decisions, opts, false, ctx.stdout, manifestDone);
  if (!opts.update && decisions.some((d) => d.action === "create"))
    printSettings(manifest === undefined, ctx.stdout, {
      version,
      hasPackageJson: read("package.json").text !== undefined,
      installed: existsSync(join(root, "node_modules/incident-as-code/package.json")),
    });
  if (commit === undefined)
    ctx.stdout.write(
      `\nThe workflows pin the release tag v${version}, which can be moved. To pin its commit instead, find the commit of the tag v${version} on GitHub (https://github.com/incident-as-code/incident-as-code/releases/tag/v${version}), then run \`npx incident-as-code init --update --toolkit-sha <its 40-hex sha>\`.\n`,
    );
  if (p) p.outro("Done: commit the files and open a pull request");
  return failed || decisions.some((d) => d.action === "refused") ? 1 : 0;
}

function patch(path: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(
    before === undefined ? "/dev/null" : `a/${path}`,
    `b/${path}`,
    before ?? "",
    after,
    undefined,
    undefined,
    { context: 3 },
  );
}

const VERB: Record<Decision["action"], [string, string]> = {
  create: ["created", "would create"],
  refresh: ["updated", "would update"],
  unchanged: ["up to date", "up to date"],
  edited: ["left alone: changed since it was generated", "left alone: changed since it was generated"],
  foreign: ["left alone: not written by incident init", "left alone: not written by incident init"],
  deleted: ["left alone: deleted since it was generated", "left alone: deleted since it was generated"],
  kept: ["kept: yours", "kept: yours"],
  refused: ["not written", "would not be written"],
};

/** What writing the manifest does: it is listed with the files (the README names it among them). */
function manifestAction(before: string | undefined, after: string): Decision["action"] {
  return before === undefined ? "create" : before === after ? "unchanged" : "refresh";
}

function report(
  decisions: Decision[],
  opts: InitCliOptions,
  dry: boolean,
  out: TextSink,
  manifest: Decision["action"],
): void {
  for (const d of decisions) {
    const verb = VERB[d.action][dry ? 1 : 0];
    out.write(`${d.path}: ${verb}${d.note ? ` (${safe(d.note)})` : ""}\n`);
  }
  out.write(`${MANIFEST_PATH}: ${VERB[manifest][dry ? 1 : 0]}\n`);
  const leftAlone = decisions.filter((d) => d.action === "edited" || d.action === "foreign");
  if (leftAlone.length === 0) return;
  if (opts.update) {
    out.write(
      "\nWhat this version would write instead of your copies (apply by hand what you want; to take a generated file as a whole, delete your copy and run `incident init --update` again):\n",
    );
    for (const d of leftAlone) out.write(patch(d.path, d.before, d.after ?? ""));
  } else
    out.write(
      `\n${leftAlone.length} file(s) left alone; \`incident init --update\` shows how they differ from what this version writes.\n`,
    );
}

/**
 * How the repository runs the toolkit. `npx incident` finds the `incident` command only where the
 * package is installed; anywhere else npx fetches the unrelated npm package named `incident`.
 */
function pinStep(local: { version: string; hasPackageJson: boolean; installed: boolean }): string {
  if (local.installed) return "";
  const how = local.hasPackageJson
    ? "npm install (package.json pins incident-as-code: this installs it)"
    : `npm install --save-dev --save-exact incident-as-code@${local.version} (writes package.json and installs it)`;
  return `Pin the toolkit in this repository: ${how}.
  From then on \`npx incident <command>\` runs the pinned copy. Until then use
  \`npx incident-as-code <command>\`: without the local install, \`npx incident\` runs a different
  npm package (named "incident") that has nothing to do with this one.
`;
}

function printSettings(
  first: boolean,
  out: TextSink,
  local: { version: string; hasPackageJson: boolean; installed: boolean },
): void {
  const pin = pinStep(local);
  out.write(`
${pin ? `Next: ${pin}Then commit` : "Next: commit"} these files and open a pull request${first ? ' (git add -A && git commit -m "Keep incidents with incident-as-code")' : ""}.
In this order:
  1. The setup pull request: an admin merges it (nothing requires the check yet). The check cannot
     judge it: the base branch has no workflow yet, and no config, so no maintainer who could
     approve the generated files (a local \`incident check\` reports PROTECTED_CHANGE for each).
  2. A pull request with your first incident: the check runs on it, and on every one after it.
Then, in the repository's settings on GitHub (only a person can do these):
  3. Rules > Rulesets > New branch ruleset for the default branch: require a pull request,
     require the status check "check / incident check" (from the incident-check workflow; it can
     be picked once it has run, in step 2) with "Require branches to be up to date before
     merging" (a check judged against an older base must run again), require review from
     Code Owners, block force pushes. Or require a merge queue (the check also runs on merge_group).
  4. Pages > Build and deployment > Source: "GitHub Actions" (for the incident-pages workflow).
  5. Actions > General: allow the reusable workflows of incident-as-code/incident-as-code, if your
     organisation limits which actions and workflows may run.
`);
}

function fromFlags(opts: InitCliOptions, root: string): InitAnswers {
  return {
    org: opts.org ?? basename(root),
    timezone: checkTimezone(opts.timezone ?? "UTC"),
    teams: (opts.team ?? []).map(parseTeam),
    services: (opts.service ?? []).map(parseService),
    people: (opts.person ?? []).map(parsePerson),
  };
}

/** The GitHub logins of the maintainers (else incident managers) among the answers. */
function defaultOwners(answers: InitAnswers | undefined): string[] {
  for (const role of ["maintainer", "incident_manager"] as const) {
    const logins = (answers?.people ?? []).filter((x) => x.roles.includes(role) && x.github);
    if (logins.length > 0) return logins.map((x) => `@${x.github}`);
  }
  throw new InitInputError(
    "--owner is required: the GitHub login (@login) or team (@org/team) that owns the rules in CODEOWNERS",
  );
}

type Prompts = typeof import("@clack/prompts");

function answered<T>(p: Prompts, v: T): Exclude<T, symbol> {
  if (p.isCancel(v)) throw new Canceled("canceled; nothing was written");
  return v as Exclude<T, symbol>;
}

const problem = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return err instanceof UserError ? err.message.replace(/^--[a-z]+ "[^"]*": /, "") : String(err);
  }
};

async function askOwner(p: Prompts, answers: InitAnswers | undefined): Promise<string> {
  let initial: string | undefined;
  try {
    initial = defaultOwners(answers).join(" ");
  } catch {
    initial = undefined;
  }
  return answered(
    p,
    await p.text({
      message: "Who owns the rules (CODEOWNERS): a GitHub login or @org/team",
      placeholder: "@my-org/incident-managers",
      initialValue: initial,
      validate: (v) => problem(() => parseOwners(v ?? "")),
    }),
  );
}

async function ask(p: Prompts, root: string): Promise<InitAnswers> {
  const org = answered(
    p,
    await p.text({
      message: "Organisation",
      initialValue: basename(root),
      validate: (v) => (v?.trim() ? undefined : "required"),
    }),
  );
  const systemZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const timezone = answered(
    p,
    await p.text({
      message: "Time zone (IANA)",
      initialValue: systemZone,
      validate: (v) => problem(() => checkTimezone(v ?? "")),
    }),
  );
  const answers: InitAnswers = { org, timezone, teams: [], services: [], people: [] };
  p.log.info("The first teams, services and people (more can be added to incident.config.yaml later).");
  for (;;) {
    const id = answered(
      p,
      await p.text({
        message: "Team id (empty when done)",
        placeholder: "platform",
        validate: (v) => (v ? problem(() => parseTeam(`${v}:x`)) : undefined),
      }),
    );
    if (!id) break;
    const name = answered(
      p,
      await p.text({ message: `Name of team ${id}`, validate: (v) => (v?.trim() ? undefined : "required") }),
    );
    answers.teams.push(parseTeam(`${id}:${name}`));
  }
  for (;;) {
    const id = answered(
      p,
      await p.text({
        message: "Service id (empty when done)",
        placeholder: "checkout-api",
        validate: (v) => (v ? problem(() => parseService(`${v}:x`)) : undefined),
      }),
    );
    if (!id) break;
    const name = answered(
      p,
      await p.text({
        message: `Name of service ${id}`,
        validate: (v) => (v?.trim() ? undefined : "required"),
      }),
    );
    let team = "";
    if (answers.teams.length > 0)
      team = answered(
        p,
        await p.select({
          message: `Team that owns ${id}`,
          options: [
            { value: "", label: "none" },
            ...answers.teams.map((t) => ({ value: t.id, label: `${t.id} (${t.name})` })),
          ],
        }),
      );
    answers.services.push(parseService(`${id}:${name.replaceAll(":", " ")}${team ? `:${team}` : ""}`));
  }
  for (;;) {
    const handle = answered(
      p,
      await p.text({
        message: "Person's handle, as incident files name them (empty when done)",
        placeholder: "alex.doe",
        validate: (v) => (v ? problem(() => parsePerson(`${v}:x`)) : undefined),
      }),
    );
    if (!handle) break;
    const name = answered(
      p,
      await p.text({
        message: `Full name of ${handle}`,
        validate: (v) => (v?.trim() ? undefined : "required"),
      }),
    );
    const github = answered(
      p,
      await p.text({
        message: `GitHub login of ${handle} (their approving reviews count)`,
        validate: (v) => (v ? problem(() => parsePerson(`x:x:${v}`)) : undefined),
      }),
    );
    const roles = answered(
      p,
      await p.multiselect<RoleName>({
        message: `Roles of ${handle} (space to select)`,
        options: ROLES.map((r) => ({ value: r, label: r })),
        required: false,
      }),
    );
    answers.people.push(
      parsePerson(`${handle}:${name.replaceAll(":", " ")}:${github ?? ""}:${roles.join("+")}`),
    );
  }
  return answers;
}

/**
 * The commit this package was packed from, as `prepack` recorded it (scripts/release.ts) in
 * dist/pkg/release.json: the same path from the sources, the tsc output and the bundle, each two
 * folders below the package root. Only for this very version; undefined when there is none (a
 * checkout that was built but not packed).
 */
function releaseCommit(version: string): string | undefined {
  try {
    const text = readFileSync(new URL("../../dist/pkg/release.json", import.meta.url), "utf8");
    const release = JSON.parse(text.slice(0, 4096)) as { version?: unknown; commit?: unknown };
    return release.version === version &&
      typeof release.commit === "string" &&
      /^[0-9a-f]{40}$/.test(release.commit)
      ? release.commit
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The commit this package was published from, as `gitHead` in its package.json: npm keeps it in the
 * registry's metadata, so an installed package rarely has it; release.json comes first.
 */
function publishedCommit(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      gitHead?: unknown;
    };
    return typeof pkg.gitHead === "string" && /^[0-9a-f]{40}$/.test(pkg.gitHead) ? pkg.gitHead : undefined;
  } catch {
    return undefined;
  }
}
