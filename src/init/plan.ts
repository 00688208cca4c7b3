// What `incident init` writes into a repository, and how each file meets what is already there.
// Pure: answers, the example config's text, the effective schemas and the files on disk (as strings)
// in; the list of files with their contents and a verdict per file out. The CLI (src/cli/init.ts)
// does the reading, prompting and writing.

import { createHash } from "node:crypto";
import { parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import type { RoleName } from "../config/types.js";
import { UsageError } from "../diagnostics/errors.js";

export const ROLES: readonly RoleName[] = [
  "incident_commander",
  "incident_manager",
  "responder",
  "it_operator",
  "analyst",
  "comms_lead",
  "scribe",
  "maintainer",
];

/** Where the manifest of generated files lives (JSON files carry no header, so it records them). */
export const MANIFEST_PATH = ".incident/init.json";

/** The reusable workflows the generated callers use, in this repository on GitHub. */
export const REUSABLE = "incident-as-code/incident-as-code/.github/workflows";

export class InitInputError extends UsageError {}

export interface TeamAnswer {
  id: string;
  name: string;
}
export interface ServiceAnswer {
  id: string;
  name: string;
  team?: string;
}
export interface PersonAnswer {
  handle: string;
  name: string;
  github?: string;
  roles: RoleName[];
}

/** What a person tells `incident init` (by prompts or flags) for a new config. */
export interface InitAnswers {
  org: string;
  timezone: string;
  teams: TeamAnswer[];
  services: ServiceAnswer[];
  people: PersonAnswer[];
}

// The config schema's shapes (schemas/config.schema.json), checked here so that a bad flag is named
// as the flag, not as a line of a file the user has not seen yet.
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,38}$/;
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TIMEZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
/** A CODEOWNERS owner: `@login` or `@org/team-slug`. */
const OWNER = /^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,99})?$/;

const show = (s: string) => JSON.stringify(s.slice(0, 80));

function text(value: string | undefined, what: string, flag: string): string {
  const v = (value ?? "").trim();
  if (v === "" || v.length > 200 || /[\p{Cc}]/u.test(v))
    throw new InitInputError(`${flag} ${show(value ?? "")}: ${what} must be 1-200 characters on one line`);
  return v;
}

export function checkId(id: string, flag: string): string {
  if (!ID.test(id))
    throw new InitInputError(
      `${flag} ${show(id)}: an id is lowercase letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit`,
    );
  return id;
}

/** `--team id:Name`. */
export function parseTeam(value: string): TeamAnswer {
  const i = value.indexOf(":");
  if (i < 0) throw new InitInputError(`--team ${show(value)}: expected id:Name, e.g. sre:Site Reliability`);
  return { id: checkId(value.slice(0, i), "--team"), name: text(value.slice(i + 1), "the name", "--team") };
}

/** `--service id:Name:team` (the team may be left out: `id:Name`). */
export function parseService(value: string): ServiceAnswer {
  const parts = value.split(":");
  if (parts.length < 2 || parts.length > 3)
    throw new InitInputError(`--service ${show(value)}: expected id:Name:team, e.g. web:Website:platform`);
  const [id, name, team] = parts as [string, string, string | undefined];
  const out: ServiceAnswer = { id: checkId(id, "--service"), name: text(name, "the name", "--service") };
  if (team) out.team = checkId(team, "--service (team)");
  return out;
}

/** `--person handle:Name:github:role1+role2` (github and roles may be empty). */
export function parsePerson(value: string): PersonAnswer {
  const parts = value.split(":");
  if (parts.length < 2 || parts.length > 4)
    throw new InitInputError(
      `--person ${show(value)}: expected handle:Name:github:role1+role2, e.g. alex:Alex Doe:alex-doe:incident_commander+maintainer`,
    );
  const [rawHandle, name, github, roles] = parts as [string, string, string?, string?];
  const handle = rawHandle.replace(/^@/, "");
  if (!HANDLE.test(handle))
    throw new InitInputError(
      `--person ${show(value)}: a handle is 1-39 letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit`,
    );
  const out: PersonAnswer = { handle, name: text(name, "the name", "--person"), roles: [] };
  const login = (github ?? "").replace(/^@/, "");
  if (login !== "") {
    if (!GITHUB_LOGIN.test(login))
      throw new InitInputError(`--person ${show(value)}: ${show(login)} is not a GitHub login`);
    out.github = login;
  }
  for (const r of (roles ?? "").split("+").filter((x) => x !== "")) {
    if (!(ROLES as readonly string[]).includes(r))
      throw new InitInputError(
        `--person ${show(value)}: unknown role ${show(r)}; roles: ${ROLES.join(", ")}`,
      );
    if (!out.roles.includes(r as RoleName)) out.roles.push(r as RoleName);
  }
  return out;
}

/** `@login` or `@org/team` (the `@` may be left out); several may be given, space- or comma-separated. */
export function parseOwners(value: string): string[] {
  const owners = value
    .split(/[\s,]+/)
    .filter((x) => x !== "")
    .map((x) => (x.startsWith("@") ? x : `@${x}`));
  if (owners.length === 0) throw new InitInputError("--owner: give a GitHub login or @org/team");
  for (const o of owners)
    if (!OWNER.test(o))
      throw new InitInputError(`--owner ${show(o)}: expected a GitHub login (@login) or a team (@org/team)`);
  return owners;
}

export function checkTimezone(tz: string): string {
  if (!TIMEZONE.test(tz))
    throw new InitInputError(`--timezone ${show(tz)}: expected an IANA time zone such as Europe/Berlin`);
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    throw new InitInputError(`--timezone ${show(tz)}: not a time zone this Node.js knows`);
  }
  return tz;
}

/** Cross-checks the answers: unique ids, services owned by a listed team. */
export function checkAnswers(a: InitAnswers): void {
  text(a.org, "the organisation", "--org");
  checkTimezone(a.timezone);
  const dupe = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw new InitInputError(`${what} ${show(id)} is given twice`);
      seen.add(id);
    }
  };
  dupe(
    a.teams.map((t) => t.id),
    "--team",
  );
  dupe(
    a.services.map((s) => s.id),
    "--service",
  );
  dupe(
    a.people.map((p) => p.handle),
    "--person",
  );
  const teams = new Set(a.teams.map((t) => t.id));
  for (const s of a.services)
    if (s.team !== undefined && !teams.has(s.team))
      throw new InitInputError(
        `--service ${show(s.id)}: team ${show(s.team)} is not among the --team ids (${[...teams].join(", ") || "none"})`,
      );
}

/** One line saying which version wrote a file and which command refreshes it. */
export function headerText(
  version: string,
  refresh = "`npx incident-as-code init --update` refreshes it",
): string {
  return `Generated by incident-as-code ${version} (\`incident init\`); ${refresh}. A copy you edit is left alone.`;
}

const yamlHeader = (version: string) => `# ${headerText(version)}\n`;

/**
 * incident.config.yaml from the shipped example: its comments stay, the organisation, time zone and
 * catalog become the answers. Written once; from then on the file is the user's.
 */
export function renderConfig(template: string, a: InitAnswers, version: string): string {
  const org = a.org.replace(/[\p{Cc}]/gu, " ").trim();
  const doc = parseDocument(template.replace("configuration for Example Org.", `configuration for ${org}.`));
  doc.set("timezone", a.timezone);
  doc.set("teams", doc.createNode(a.teams.map((t) => ({ id: t.id, name: t.name }))));
  doc.set(
    "services",
    doc.createNode(a.services.map((s) => ({ id: s.id, name: s.name, ...(s.team ? { team: s.team } : {}) }))),
  );
  const people = doc.createNode(
    a.people.map((p) => ({
      handle: p.handle,
      name: p.name,
      ...(p.github ? { github: p.github } : {}),
      ...(p.roles.length > 0 ? { roles: p.roles } : {}),
    })),
  ) as YAMLSeq;
  for (const item of people.items) {
    const roles = (item as YAMLMap).get("roles", true) as YAMLSeq | undefined;
    if (roles) roles.flow = true;
  }
  doc.set("people", people);
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const lines = body.split("\n");
  // After the modeline, which editors look for on the first line.
  lines.splice(
    1,
    0,
    `# Written by incident-as-code ${version} (\`incident init\`). This file is yours from now on: edit it,`,
    "# then run `incident schema --write`; `incident init --update` never changes it.",
  );
  return lines.join("\n");
}

/**
 * How a planned file meets what is on disk:
 * - whole: the file is generated; refreshed while it is as generated, left alone once edited;
 * - seed: written when missing, never again (the config);
 * - block: a marked block inside a file the user may have (.gitignore, .gitattributes, CODEOWNERS);
 * - schema: the effective schemas, rewritten like `incident schema --write` does;
 * - json: like whole, but a file the user already had is merged into (keys added, none changed);
 * - pin: the devDependency in package.json, added when missing, never changed.
 */
export type Strategy = "whole" | "seed" | "block" | "schema" | "json" | "pin";

export interface PlannedFile {
  path: string;
  strategy: Strategy;
  /** The file (whole, seed, schema, json), the block with its markers (block), the version (pin). */
  content: string;
  /** json: the user's own file with what the toolkit needs added, or undefined when it cannot be read. */
  merge?: (current: string) => string | undefined;
}

export interface PlanInput {
  version: string;
  /**
   * The commit of this release (40 hex digits), when known: the callers pin the reusable workflows
   * and the toolkit to it, with the tag as a comment; otherwise to the tag `v<version>`.
   */
  commit?: string;
  /** CODEOWNERS owners: `@login` or `@org/team`. */
  owners: string[];
  /** The default branch (Pages publishes from pushes to it). */
  branch: string;
  /** The config to seed, when the repository has none yet. */
  configText?: string;
  /** From the effective config (a repository may have its own). */
  paths: { incidents: string; problems: string; schemas: string; templates: string };
  /** The effective schemas by name, as `incident schema --write` writes them. */
  schemaTexts: Record<string, string>;
  hasPackageJson: boolean;
}

const BLOCK_START = "# >>> incident-as-code";
const BLOCK_END = "# <<< incident-as-code";

function block(version: string, lines: string[]): string {
  return [
    `${BLOCK_START} ${version}: written by \`incident init\`; \`npx incident-as-code init --update\` refreshes this block`,
    "# (an edited block is left alone).",
    ...lines,
    BLOCK_END,
    "",
  ].join("\n");
}

const dir = (p: string) => p.replace(/^(?:\.\/)+/, "").replace(/\/+$/, "");

export function planFiles(input: PlanInput): PlannedFile[] {
  const v = input.version;
  const incidents = dir(input.paths.incidents);
  const problems = dir(input.paths.problems);
  const schemas = dir(input.paths.schemas);
  const templates = dir(input.paths.templates);
  const files: PlannedFile[] = [];
  if (input.configText !== undefined)
    files.push({ path: "incident.config.yaml", strategy: "seed", content: input.configText });
  for (const name of Object.keys(input.schemaTexts).sort())
    files.push({
      path: `${schemas}/${name}.schema.json`,
      strategy: "schema",
      content: input.schemaTexts[name] as string,
    });
  files.push({
    path: `${incidents}/README.md`,
    strategy: "whole",
    content: incidentsReadme(v, incidents, problems),
  });
  files.push({
    path: ".gitattributes",
    strategy: "block",
    content: block(v, [
      "# Records are LF-only UTF-8 (`incident validate` refuses CRLF): no checkout may convert them.",
      `${incidents}/** text eol=lf`,
      "incident.config.yaml text eol=lf",
      `${schemas}/** text eol=lf`,
    ]),
  });
  files.push({
    path: ".gitignore",
    strategy: "block",
    content: block(v, [
      "# Left behind by an interrupted write: temporary files of the atomic writer and edit locks.",
      ".*.tmp",
      `${incidents}/**/*.lock`,
      `${incidents}/**/*.yaml.[0-9]*`,
      "# The site `incident site` builds, and caches.",
      "_site/",
      ".incident-cache/",
      "node_modules/",
    ]),
  });
  const owners = input.owners.join(" ");
  const pad = (p: string) => p.padEnd(24);
  files.push({
    path: ".github/CODEOWNERS",
    strategy: "block",
    content: block(v, [
      "# The rules every record is judged by and what runs the check: a change needs an owner's review",
      '# (turn on "Require review from Code Owners" in the ruleset). The last matching line wins.',
      `${pad("/incident.config.yaml")}${owners}`,
      `${pad(`/${schemas.split("/")[0]}/`)}${owners}`,
      `${pad(`/${templates}/`)}${owners}`,
      `${pad(".gitattributes")}${owners}`,
      `${pad("/.gitmodules")}${owners}`,
      `${pad("/.github/")}${owners}`,
    ]),
  });
  for (const wf of workflows(v, input.branch, input.commit))
    files.push({ path: `.github/workflows/${wf.name}`, strategy: "whole", content: wf.text });
  const settings = vscodeSettings(schemas, incidents, problems);
  files.push({
    path: ".vscode/settings.json",
    strategy: "json",
    content: `${JSON.stringify(settings, null, 2)}\n`,
    merge: (current) =>
      mergeJson(current, (obj) => {
        const existing = obj["yaml.schemas"];
        if (
          existing !== undefined &&
          (typeof existing !== "object" || existing === null || Array.isArray(existing))
        )
          return false;
        obj["yaml.schemas"] = { ...settings["yaml.schemas"], ...(existing as object | undefined) };
        return true;
      }),
  });
  files.push({
    path: ".vscode/extensions.json",
    strategy: "json",
    content: `${JSON.stringify({ recommendations: ["redhat.vscode-yaml"] }, null, 2)}\n`,
    merge: (current) =>
      mergeJson(current, (obj) => {
        const recs = obj.recommendations ?? [];
        if (!Array.isArray(recs)) return false;
        if (!recs.includes("redhat.vscode-yaml")) obj.recommendations = [...recs, "redhat.vscode-yaml"];
        return true;
      }),
  });
  if (input.hasPackageJson) files.push({ path: "package.json", strategy: "pin", content: v });
  return files;
}

/** Adds to the user's JSON file; undefined when it is not plain JSON (VS Code allows comments). */
function mergeJson(current: string, change: (obj: Record<string, unknown>) => boolean): string | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(current);
  } catch {
    return undefined;
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  if (!change(obj as Record<string, unknown>)) return undefined;
  return `${JSON.stringify(obj, null, indentOf(current))}\n`;
}

function indentOf(json: string): string | number {
  const m = /\n([ \t]+)"/.exec(json);
  return m ? (m[1] as string) : 2;
}

function vscodeSettings(schemas: string, incidents: string, problems: string) {
  return {
    "yaml.schemas": {
      [`./${schemas}/incident.schema.json`]: [`${incidents}/[0-9][0-9][0-9][0-9]/*.yaml`],
      [`./${schemas}/problem.schema.json`]: [`${problems}/*.yaml`],
      [`./${schemas}/config.schema.json`]: ["incident.config.yaml"],
    },
    "files.eol": "\n",
  } as const;
}

function incidentsReadme(version: string, incidents: string, problems: string): string {
  return `<!-- ${headerText(version)} -->

# Incidents

One YAML file per incident, one pull request per change. \`incident check\` judges every pull
request by the rules in \`incident.config.yaml\` on the base branch.

- \`${incidents}/<year>/<id>.yaml\`: an incident, e.g. \`${incidents}/2026/INC-2026-0001.yaml\`.
- \`${problems}/<id>.yaml\`: a problem record (a common cause behind incidents).
- \`<id>.md\` next to a record: its postmortem, written by \`incident render\`.

Declare an incident and walk it through its lifecycle with the command line:

\`\`\`sh
export INCIDENT_HANDLE=@your.handle
npx incident-as-code new --title "What is broken, for whom" --severity SEV3
npx incident-as-code triage INC-2026-0001   # prints what is missing, with the commands that fill it
npx incident-as-code validate
\`\`\`

Each record starts with a \`# yaml-language-server: $schema=...\` line: editors with the YAML
extension then complete and check it against the effective schemas in \`.incident/schemas/\`.
`;
}

function workflows(version: string, branch: string, commit?: string): Array<{ name: string; text: string }> {
  const head = (what: string) => `${yamlHeader(version)}# ${what}\n`;
  // The workflows and the toolkit they run come from the same release: pinned to its commit when it
  // is known (a tag can be moved, a commit cannot), else to its tag.
  const pinned = commit !== undefined && /^[0-9a-f]{40}$/.test(commit);
  const ref = pinned ? `@${commit} # v${version}` : `@v${version}`;
  const toolkit = pinned ? `${commit} # v${version}` : `v${version}`;
  return [
    {
      name: "incident-check.yml",
      text: `${head('The required check, reported as "check / incident check": judges each pull request by the base branch\'s rules.')}name: incident-check

on:
  pull_request_target:
    types: [opened, synchronize, reopened, edited]
  merge_group:

permissions: {}

jobs:
  check:
    permissions:
      contents: read
      pull-requests: write
    uses: ${REUSABLE}/reusable-check.yml${ref}
    with:
      toolkit-version: ${toolkit}
`,
    },
    {
      name: "incident-check-review.yml",
      text: `${head("Signals a review (submitted or dismissed), so incident-check-rerun.yml re-runs the check and an approval counts without a new push. Reviews run the pull request's copy of this file: it gets no permissions.")}name: incident-check review

on:
  pull_request_review:
    types: [submitted, dismissed]

permissions: {}

jobs:
  signal:
    permissions: {}
    uses: ${REUSABLE}/reusable-check-review.yml${ref}
`,
    },
    {
      name: "incident-check-rerun.yml",
      text: `${head("Re-runs the base branch's incident check after a review; runs from the default branch with actions: write only.")}name: incident-check rerun

on:
  workflow_run:
    workflows: [incident-check review]
    types: [completed]

permissions: {}

jobs:
  rerun:
    permissions:
      actions: write
    uses: ${REUSABLE}/reusable-check-rerun.yml${ref}
`,
    },
    {
      name: "incident-pages.yml",
      text: `${head("Publishes the incident site to GitHub Pages (Settings > Pages > Source: GitHub Actions).")}name: incident-pages

on:
  push:
    branches: [${JSON.stringify(branch)}]
  workflow_dispatch:

permissions: {}

jobs:
  pages:
    permissions:
      contents: read
      pages: write
      id-token: write
    uses: ${REUSABLE}/reusable-pages.yml${ref}
    with:
      toolkit-version: ${toolkit}
`,
    },
    {
      name: "incident-reminders.yml",
      text: `${head("Keeps the daily digest issue of overdue action items, postmortems and stuck incidents.")}name: incident-reminders

on:
  schedule:
    - cron: "17 7 * * *"
  workflow_dispatch:

permissions: {}

jobs:
  remind:
    permissions:
      contents: read
      issues: write
    uses: ${REUSABLE}/reusable-reminders.yml${ref}
    with:
      toolkit-version: ${toolkit}
`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Meeting what is on disk.

export interface ManifestEntry {
  sha256: string;
  strategy: Strategy;
}

export interface Manifest {
  generator: "incident-as-code";
  version: string;
  command: string;
  owners: string[];
  branch: string;
  files: Record<string, ManifestEntry>;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The manifest in `text`, or undefined when there is none or it is not one (then nothing counts as generated). */
export function parseManifest(text: string | undefined): Manifest | undefined {
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as Partial<Manifest>;
    if (m?.generator !== "incident-as-code" || typeof m.files !== "object" || m.files === null)
      return undefined;
    const files: Record<string, ManifestEntry> = {};
    for (const [path, e] of Object.entries(m.files))
      if (typeof e?.sha256 === "string" && /^[0-9a-f]{64}$/.test(e.sha256)) files[path] = e;
    return {
      generator: "incident-as-code",
      version: String(m.version ?? ""),
      command: String(m.command ?? ""),
      owners: Array.isArray(m.owners) ? m.owners.filter((o): o is string => typeof o === "string") : [],
      branch: typeof m.branch === "string" ? m.branch : "",
      files,
    };
  } catch {
    return undefined;
  }
}

export function renderManifest(m: Manifest): string {
  const files = Object.fromEntries(Object.entries(m.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...m, files }, null, 2)}\n`;
}

/** What is at a path: its text, a link (never read or written through), or nothing. */
export interface OnDisk {
  text?: string;
  link?: boolean;
}

export type Action =
  | "create" // missing: written
  | "refresh" // as generated by an earlier run: rewritten
  | "unchanged" // already what would be written
  | "edited" // changed since it was generated: left alone
  | "foreign" // there before, not written by init: left alone
  | "deleted" // the config, deleted since it was written: not written again
  | "kept" // the config, or a package.json pin: the user's
  | "refused"; // a link, or a file that cannot be merged into

export interface Decision {
  path: string;
  action: Action;
  /** What is there now. */
  before?: string;
  /** What this run writes (create, refresh) or would write (edited, foreign: for the diff). */
  after?: string;
  note?: string;
}

/** Writes happen for these actions only. */
export const WRITES: ReadonlySet<Action> = new Set(["create", "refresh"]);

/**
 * Decides, per planned file, what to do with what is on disk, and the manifest after the run. A
 * file is only ever rewritten when its bytes are those recorded when it was generated.
 */
export function reconcile(
  planned: readonly PlannedFile[],
  read: (path: string) => OnDisk,
  old: Manifest | undefined,
  meta: { version: string; owners: string[]; branch: string },
): { decisions: Decision[]; manifest: Manifest } {
  const files: Record<string, ManifestEntry> = { ...(old?.files ?? {}) };
  const decisions: Decision[] = [];
  const record = (path: string, strategy: Strategy, text: string) => {
    files[path] = { sha256: sha256(text), strategy };
  };
  for (const f of planned) {
    const disk = read(f.path);
    const recorded = old?.files[f.path];
    const d = (action: Action, extra: Partial<Decision> = {}) =>
      decisions.push({ path: f.path, action, before: disk.text, ...extra });
    if (disk.link) {
      d("refused", { note: "a symbolic link; the toolkit never writes through links" });
      continue;
    }
    const current = disk.text;
    switch (f.strategy) {
      case "seed":
        if (current === undefined && recorded === undefined) {
          d("create", { after: f.content });
          record(f.path, f.strategy, f.content);
        } else d(current === undefined ? "deleted" : "kept");
        break;
      case "schema":
        if (current === f.content) d("unchanged");
        else d(current === undefined ? "create" : "refresh", { after: f.content });
        record(f.path, f.strategy, f.content);
        break;
      case "pin": {
        const r = pin(current, f.content);
        if (r.text !== undefined) d("refresh", { after: r.text, note: r.note });
        else d(r.note ? "kept" : "unchanged", { note: r.note });
        break;
      }
      case "block": {
        const r = placeBlock(current, f.content, recorded);
        d(r.action, { after: r.text });
        if (r.action === "create" || r.action === "refresh" || r.action === "unchanged")
          record(f.path, f.strategy, f.content);
        break;
      }
      case "whole":
      case "json": {
        // A file written whole is recorded as `whole`; one merged into (the user's own) as `json`.
        if (current === f.content) {
          d("unchanged");
          record(f.path, recorded?.strategy ?? "whole", f.content);
        } else if (current === undefined) {
          // Also when deleted since: that is how a user takes this version's file over an edited copy.
          d("create", { after: f.content });
          record(f.path, "whole", f.content);
        } else if (recorded) {
          if (sha256(current) !== recorded.sha256) d("edited", { after: f.content });
          else {
            // Merged into again, so the user's own keys stay.
            const next = recorded.strategy === "json" && f.merge ? (f.merge(current) ?? current) : f.content;
            d(next === current ? "unchanged" : "refresh", { after: next });
            record(f.path, recorded.strategy, next);
          }
        } else if (f.merge) {
          const merged = f.merge(current);
          if (merged === undefined)
            d("refused", { after: f.content, note: "not plain JSON (comments?); add the settings by hand" });
          else {
            const note = "merged into your file: keys added, none changed";
            d(merged === current ? "unchanged" : "refresh", { after: merged, note });
            record(f.path, "json", merged);
          }
        } else d("foreign", { after: f.content });
        break;
      }
    }
  }
  const manifest: Manifest = {
    generator: "incident-as-code",
    version: meta.version,
    command: "incident init",
    owners: meta.owners,
    branch: meta.branch,
    files,
  };
  return { decisions, manifest };
}

/** The devDependency: added when package.json has none; an existing pin is the user's choice. */
function pin(current: string | undefined, version: string): { text?: string; note?: string } {
  if (current === undefined) return {};
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(current) as Record<string, unknown>;
  } catch {
    return { note: "not valid JSON; add the devDependency by hand" };
  }
  if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg))
    return { note: "not a package.json object" };
  for (const key of ["devDependencies", "dependencies"]) {
    const deps = pkg[key] as Record<string, unknown> | undefined;
    const have = deps && typeof deps === "object" ? deps["incident-as-code"] : undefined;
    if (have !== undefined)
      return have === version
        ? {}
        : { note: `pins incident-as-code ${String(have)}; this is ${version} (bump it to upgrade)` };
  }
  const devDependencies = { ...((pkg.devDependencies as Record<string, unknown> | undefined) ?? {}) };
  devDependencies["incident-as-code"] = version;
  const sorted = Object.fromEntries(
    Object.entries(devDependencies).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  pkg.devDependencies = sorted;
  return {
    text: `${JSON.stringify(pkg, null, indentOf(current))}\n`,
    note: `devDependency incident-as-code ${version} added`,
  };
}

/** Puts the block into `current`: appended, replaced while as generated, or left alone once edited. */
function placeBlock(
  current: string | undefined,
  content: string,
  recorded: ManifestEntry | undefined,
): { action: Action; text?: string } {
  if (current === undefined) return { action: "create", text: content };
  const start = current.startsWith(BLOCK_START) ? 0 : current.indexOf(`\n${BLOCK_START}`) + 1;
  const endAt = start > 0 || current.startsWith(BLOCK_START) ? current.indexOf(`\n${BLOCK_END}`, start) : -1;
  if (endAt < 0) {
    // No block yet (or one whose end marker is gone: then the user changed it).
    if (start > 0 || current.startsWith(BLOCK_START)) return { action: "edited" };
    const sep = current === "" || current.endsWith("\n\n") ? "" : current.endsWith("\n") ? "\n" : "\n\n";
    return { action: "refresh", text: `${current}${sep}${content}` };
  }
  let end = endAt + 1 + BLOCK_END.length;
  if (current[end] === "\n") end++;
  const existing = current.slice(start, end);
  const replaced = `${current.slice(0, start)}${content}${current.slice(end)}`;
  if (existing === content) return { action: "unchanged" };
  if (recorded && sha256(existing) === recorded.sha256) return { action: "refresh", text: replaced };
  return { action: "edited", text: replaced };
}
