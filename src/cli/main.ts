#!/usr/bin/env node
// The `incident` command line: a thin shell over the workflows. `run` builds the program and runs one
// command against a CommandContext (where output goes, the environment, the clock, the directory);
// the entry at the bottom builds the one real context from the process. Commands load their modules
// lazily so that `incident --version` starts as fast as Node itself. Errors are caught once, in
// `run`, and cli/exit.ts turns them into the exit status: 0 clean, 1 findings or refused, 2 usage or
// internal error.

import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type CommandContext, colorsWanted, helpWidth, processContext } from "./context.js";

/**
 * Runs one command line (without `node incident`) and returns its exit status. The command reads
 * and writes only through `ctx` (the `--at` deadline alone ends the process), so tests run it
 * in-process, a fresh program each time.
 */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  try {
    return await main(args, ctx);
  } catch (err) {
    const { exitStatus } = await import("./exit.js");
    return exitStatus(err, (t) => ctx.stderr.write(t), ctx.env);
  }
}

async function main(args: string[], ctx: CommandContext): Promise<number> {
  const { Command, CommanderError, InvalidArgumentError, Option } = await import("commander");
  const parseJobs = (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 64)
      throw new InvalidArgumentError("expected a whole number from 1 to 64");
    return n;
  };
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  let code = 0;
  const program = new Command("incident")
    .description("Incident management as code: incidents as YAML files in git, checked in CI.")
    .version(pkg.version)
    .exitOverride()
    .configureOutput({
      writeOut: (str) => ctx.stdout.write(str),
      writeErr: (str) => ctx.stderr.write(str),
      outputError: (str, write) => write(`incident: ${str.replace(/^error: /, "")}`),
      getOutHelpWidth: () => helpWidth(ctx.stdout),
      getErrHelpWidth: () => helpWidth(ctx.stderr),
      getOutHasColors: () => colorsWanted(ctx, ctx.stdout),
      getErrHasColors: () => colorsWanted(ctx, ctx.stderr),
    })
    .showHelpAfterError("(run `incident --help` for usage)");

  program
    .command("validate")
    .description(
      "validate incident and problem files against the schemas, the config and the lifecycle rules",
    )
    .argument(
      "[paths...]",
      "files or folders to validate (default: the configured incident and problem folders)",
    )
    .option("-C, --dir <dir>", "the repository to validate", ".")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json", "github"])
        .default("text"),
    )
    .option("--summary", "print a one-screen summary of the incidents after the findings")
    .option("--no-cache", "ignore and do not update the result cache")
    .option("--full-parse", "parse every file with the position-aware parser (no fast path)")
    .option(
      "-j, --jobs <n>",
      "worker threads (default: one per CPU for large uncached runs; 1 = none)",
      parseJobs,
    )
    .addHelpText(
      "after",
      "\nExit status: 0 when every file is valid, 1 when there are findings, 2 for usage or internal errors.\n" +
        "Examples:\n  incident validate\n  incident validate incidents/2026/INC-2026-0001.yaml --format json\n  incident validate -C ../incidents-repo --format github",
    )
    .action(async (paths: string[], opts: import("./validate.js").ValidateCliOptions) => {
      const { runValidate } = await import("./validate.js");
      code = await runValidate(paths, opts, ctx);
    });

  program
    .command("check")
    .description(
      "judge a pull request: what it changes in incident and problem files, by the base branch's rules",
    )
    .requiredOption("--base <rev>", "the base commit or branch (the rules come from here)")
    .requiredOption("--head <rev>", "the pull request's head commit")
    .option("-C, --dir <dir>", "the repository", ".")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json", "github"])
        .default("text"),
    )
    .option("--report", "post the sticky pull-request comment and sync the incident labels")
    .option("--token <token>", "GitHub token (default: INCIDENT_GITHUB_TOKEN or GITHUB_TOKEN)")
    .option("--repo <owner/name>", "repository (default: GITHUB_REPOSITORY)")
    .option("--pr <number>", "pull request number (default: from GITHUB_EVENT_PATH)", (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a pull request number");
      return n;
    })
    .addHelpText(
      "after",
      "\nWith GitHub context (a token, the repository and the pull request number) reviews are read to\n" +
        "decide approvals; without it, transitions that need approval are reported as APPROVAL_MISSING.\n" +
        "\nExit status: 0 clean, 1 findings, 2 when the check cannot run (a revision is missing: fetch-depth: 0).\n" +
        "Example:\n  incident check --base origin/main --head HEAD --format json",
    )
    .action(async (opts: import("./check.js").CheckCliOptions) => {
      const { runCheck } = await import("./check.js");
      code = await runCheck(opts, ctx);
    });

  program
    .command("render")
    .description("render Markdown postmortems from the incidents and the templates")
    .argument("[ids...]", "incidents to render (default: all)")
    .option("-C, --dir <dir>", "the repository", ".")
    .option("-o, --out <dir>", "write every <id>.md into this folder (default: next to each incident file)")
    .option("--templates <dir>", "templates that override the bundled ones (default: templates/)")
    .option("--check", "write nothing; exit 1 when a rendered file is missing or stale")
    .addOption(
      new Option(
        "-f, --format <format>",
        "md: postmortems; html: the static site (as `incident site`, --out default _site); both: the site in --out and the postmortems in <out>/postmortems",
      )
        .choices(["md", "html", "both"])
        .default("md"),
    )
    .addOption(
      new Option(
        "--max-tlp <level>",
        "site only: leave out incidents marked with a stricter TLP (red: publish everything)",
      )
        .choices(["clear", "green", "amber", "amber+strict", "red"])
        .default("amber+strict"),
    )
    .addHelpText(
      "after",
      "\nOnly files whose content changed are written. Exit status: 0 done (or up to date with --check),\n" +
        "1 for stale files with --check, bad input or template errors.\n" +
        "Examples:\n  incident render\n  incident render INC-2026-0017 --out /tmp/postmortems\n  incident render --check",
    )
    .action(async (ids: string[], opts: import("./render.js").RenderCliOptions) => {
      const { runRender } = await import("./render.js");
      code = await runRender(ids, opts, ctx);
    });

  program
    .command("site")
    .description(
      "build the static HTML incident site: index with filters, incident, problem and metrics pages",
    )
    .option("-C, --dir <dir>", "the repository", ".")
    .option("-o, --out <dir>", "the folder to write the site into", "_site")
    .option("--templates <dir>", "templates whose site/*.hbs override the bundled ones (default: templates/)")
    .addOption(
      new Option(
        "--max-tlp <level>",
        "leave out incidents marked with a stricter TLP (red: publish everything)",
      )
        .choices(["clear", "green", "amber", "amber+strict", "red"])
        .default("amber+strict"),
    )
    .option(
      "--regulatory",
      "incident pages within the TLP ceiling show the regulatory appendix (deadlines, filings); never for a public site",
    )
    .option(
      "--include-modes <modes>",
      "the metrics page counts these modes too, though config `metrics.exclude_modes` lists them",
    )
    .addHelpText(
      "after",
      "\nThe site loads nothing from the network and uses relative links only: open <out>/index.html\n" +
        "from disk or publish the folder (e.g. to GitHub Pages). Exit status: 0 done, 1 for invalid\n" +
        "records (skipped) or template errors. The metrics page leaves out modes listed in config\n" +
        "`metrics.exclude_modes` (default: test, gameday, retrospective) unless --include-modes names them.\n" +
        "Examples:\n  incident site\n  incident site --out /tmp/site",
    )
    .action(async (opts: import("./render.js").SiteCliOptions) => {
      const { runSite } = await import("./render.js");
      code = await runSite(opts, ctx);
    });

  program
    .command("remind")
    .description(
      "list what is overdue: action items, postmortems, incidents stuck in a state, problems without an owner",
    )
    .option("-C, --dir <dir>", "the repository", ".")
    .option(
      "--now <time>",
      "judge at this time: now, -1d, 2026-12-15T09:00:00Z or 2026-12-15 09:00 (default: now)",
    )
    .option(
      "--within <duration>",
      "list regulatory filings due within this time, and overdue ones: 6h, 2d (default: 24h)",
    )
    .addOption(new Option("-f, --format <format>", "output format").choices(["md", "json"]).default("md"))
    .option("--github", "keep the repository's digest issue up to date (create, edit, close, reopen)")
    .option("--token <token>", "GitHub token (default: INCIDENT_GITHUB_TOKEN or GITHUB_TOKEN)")
    .option("--repo <owner/name>", "repository (default: GITHUB_REPOSITORY)")
    .addHelpText(
      "after",
      "\nExit status: 0 printed (also when things are overdue), 1 when invalid record files were skipped,\n" +
        "2 for usage errors and when GitHub refuses or fails the digest issue update.\n" +
        "Examples:\n  incident remind\n  incident remind --now 2026-12-15T09:00:00Z --format json\n  incident remind --github   # in the reminders workflow",
    )
    .action(async (opts: import("./remind.js").RemindCliOptions) => {
      const { runRemind } = await import("./remind.js");
      code = await runRemind(opts, ctx);
    });

  program
    .command("obligations")
    .description(
      "regulatory reports each incident owes (NIS2, DORA, GDPR, SEC 8-K, ...): outer limits and where they stand",
    )
    .argument("[ids...]", "incident ids (default: every incident with regulatory obligations)")
    .option("-C, --dir <dir>", "the repository", ".")
    .option("--at <time>", "what was due at this time: now, -1d, 2026-03-09T10:00:00Z or 2026-03-09 10:00")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["text", "json", "md"]).default("text"),
    )
    .addHelpText(
      "after",
      "\nRegimes are enabled in incident.config.yaml (regulatory.enabled); the rules are data\n" +
        "(templates/regulatory/rules.yaml). Not legal advice.\n" +
        "Exit status: 0 printed, 1 config errors or invalid records left out, 2 usage errors.\n" +
        "Examples:\n  incident obligations INC-2026-0042\n  incident obligations --at 2026-03-09T10:00:00Z --format md",
    )
    .action(async (ids: string[], opts: import("./obligations.js").ObligationsCliOptions) => {
      const { runObligations } = await import("./obligations.js");
      code = await runObligations(ids, opts, ctx);
    });

  program
    .command("schema")
    .description(
      "write the effective JSON Schemas (bundled schemas + this config's lifecycle and catalogs) for editors",
    )
    .option("-C, --dir <dir>", "the repository", ".")
    .option("--write", "write .incident/schemas/*.schema.json (config paths.schemas) where they changed")
    .option("--check", "write nothing; exit 1 when a file there is missing or stale")
    .addHelpText(
      "after",
      "\nEditors (VS Code with the YAML extension) read these files through .vscode/settings.json and the\n" +
        "modeline `incident new` writes; `incident validate` reports SCHEMA_STALE when they fall behind the config.\n" +
        "Exit status: 0 written or up to date, 1 stale with --check or config errors, 2 usage errors.\n" +
        "Examples:\n  incident schema --write\n  incident schema --check   # in CI",
    )
    .action(async (opts: import("./schema.js").SchemaCliOptions) => {
      const { runSchema } = await import("./schema.js");
      code = await runSchema(opts, ctx);
    });

  program
    .command("migrate")
    .description(
      "bring the config and every record to this toolkit's schema_version, keeping comments and formatting",
    )
    .option("-C, --dir <dir>", "the repository", ".")
    .option(
      "--to <version>",
      "the schema_version to reach (default: the newest this toolkit knows)",
      (v: string) => {
        const n = Number(v);
        if (!/^[0-9]{1,6}$/.test(v) || !Number.isSafeInteger(n) || n < 1)
          throw new InvalidArgumentError("expected a schema_version: a whole number from 1");
        return n;
      },
    )
    .option("--dry-run", "print what would change as a unified diff; write nothing")
    .addHelpText(
      "after",
      "\nEach file is migrated and checked by the target version's rules, then written atomically, or left\n" +
        "exactly as it was. A file written for a newer toolkit is refused (SCHEMA_VERSION_NEWER: upgrade).\n" +
        "Exit status: 0 every file is at the target, 1 a file was refused, 2 usage errors.\n" +
        "Examples:\n  incident migrate --dry-run\n  incident migrate",
    )
    .action(async (opts: import("./migrate.js").MigrateCliOptions) => {
      const { runMigrate } = await import("./migrate.js");
      code = await runMigrate(opts, ctx);
    });

  const collect = (value: string, previous: string[] = []) => [...previous, value];

  program
    .command("init")
    .description(
      "set this git repository up for incidents: config, schemas, editor settings, CODEOWNERS, workflows",
    )
    .option("-C, --dir <dir>", "the repository", ".")
    .option("-y, --yes", "ask nothing: take the answers from the flags (for scripts)")
    .option("--org <name>", "the organisation (default: the folder's name)")
    .option("--timezone <zone>", "IANA time zone (default: UTC)")
    .option("--owner <owner>", "who owns the rules in CODEOWNERS: @login or @org/team")
    .option("--branch <name>", "the default branch Pages publishes from (default: the current one)")
    .option(
      "--toolkit-sha <sha>",
      "pin the workflows to this toolkit commit (default: the release's own commit, when published)",
    )
    .option("--team <id:Name>", "a team (repeatable)", collect)
    .option("--service <id:Name:team>", "a service and its team (repeatable)", collect)
    .option(
      "--person <handle:Name:github:role1+role2>",
      "a person, GitHub login and roles (repeatable)",
      collect,
    )
    .option("--dry-run", "print what would change as a unified diff; write nothing")
    .option("--update", "after an upgrade: refresh the generated files, show a diff for the ones you edited")
    .addHelpText(
      "after",
      "\nFiles you changed since they were generated are never overwritten (.incident/init.json records\n" +
        "what each one held). Exit status: 0 done, 1 a file could not be written or the config has errors,\n" +
        "2 usage errors.\n" +
        "Examples:\n  npx incident-as-code init\n" +
        '  incident init --yes --org "Acme" --owner @acme/sre --team sre:SRE --service api:API:sre \\\n' +
        "      --person alex:Alex Doe:alex-doe:incident_commander+incident_manager+maintainer\n" +
        "  incident init --update --dry-run",
    )
    .action(async (opts: import("./init.js").InitCliOptions) => {
      const { runInit } = await import("./init.js");
      code = await runInit(opts, ctx);
    });

  const formatOption = () =>
    new Option("-f, --format <format>", "output format (json and csv give durations in seconds)")
      .choices(["table", "json", "csv", "md"])
      .default("table");

  program
    .command("stats")
    .description(
      "incident metrics: counts, TTD/TTA/TTM/TTR, impact and review times (median, p90, mean), target breaches, action items, recurrence",
    )
    .option("-C, --dir <dir>", "the repository", ".")
    .addOption(
      new Option("--by <dimension>", "also break the numbers down by").choices([
        "severity",
        "category",
        "service",
        "month",
        "problem",
      ]),
    )
    .option("--since <date>", "incidents dated on or after (2026-01-01, 2026-01, -90d, RFC 3339)")
    .option("--until <date>", "incidents dated up to (a date or month is inclusive; a time is not)")
    .option("--at <rev>", "compute from the files of this commit, branch or tag (read from git)")
    .option(
      "--include-modes <modes>",
      "count these modes too, though config `metrics.exclude_modes` lists them (comma-separated)",
    )
    .addOption(formatOption())
    .addOption(new Option("--now <time>", "the clock for overdue items and open breaches").hideHelp())
    .addHelpText(
      "after",
      "\nIncidents are dated by declared_at (else detected_at). Modes listed in config\n" +
        "`metrics.exclude_modes` (default: test, gameday, retrospective) are left out unless\n" +
        "--include-modes names them.\n" +
        "Exit status: 0 done, 1 when invalid records were left out (listed on stderr), 2 for usage errors.\n" +
        "Examples:\n  incident stats\n  incident stats --by severity --since 2026-01\n  incident stats --by month --format csv > metrics.csv\n  incident stats --at v2026.06 --format json",
    )
    .action(async (opts: import("./stats.js").StatsCliOptions) => {
      const { runStats } = await import("./stats.js");
      code = await withAtDeadline(opts.at, ctx, () => runStats(opts, ctx));
    });

  program
    .command("list")
    .description("list incidents and problems, newest first, with filters")
    .option("-C, --dir <dir>", "the repository", ".")
    .addOption(
      new Option("--kind <kind>", "which records").choices(["incident", "problem", "all"]).default("all"),
    )
    .option("--status <state>", "only this status (repeatable)", collect)
    .option("--severity <sev>", "only this severity (repeatable; lists incidents only)", collect)
    .option("--category <id>", "only this category, or a family such as sec")
    .option("--service <id>", "only incidents and problems of this service")
    .option("--open", "only records not yet resolved, closed or canceled")
    .option("--since <date>", "dated on or after (2026-01-01, 2026-01, -30d, RFC 3339)")
    .option("--until <date>", "dated up to (a date or month is inclusive; a time is not)")
    .option("--at <rev>", "list the records of this commit, branch or tag (read from git)")
    .addOption(formatOption())
    .addHelpText(
      "after",
      "\nIncidents are dated by declared_at (else detected_at), problems by created_at.\n" +
        "Exit status: 0 done, 1 when invalid records were left out (listed on stderr), 2 for usage errors.\n" +
        "Examples:\n  incident list --open\n  incident list --severity SEV1 --severity SEV2 --since 2026-01\n  incident list --category sec --format md",
    )
    .action(async (opts: import("./stats.js").ListCliOptions) => {
      const { runList } = await import("./stats.js");
      code = await withAtDeadline(opts.at, ctx, () => runList(opts, ctx));
    });

  program
    .command("import")
    .description(
      "import incident history as retrospective records: PagerDuty, Statuspage, Markdown postmortems, CSV, JSON",
    )
    .argument("<adapter>", "pagerduty, statuspage, markdown, csv or json")
    .argument("<input...>", "input files, or folders to read them from")
    .option("-C, --dir <dir>", "the repository", ".")
    .option("--mapping <file>", "the mapping file (YAML): source keys to record fields, value rules")
    .option("--dry-run", "print what would be written as unified diffs; write nothing")
    .option("--write-config", "add the services, teams and people the source names to incident.config.yaml")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .addHelpText(
      "after",
      "\nA re-import finds records by their provenance (source and source id): an untouched record is\n" +
        "updated, an edited one is left alone. Exit status: 0 done, 1 bad input or records refused or\n" +
        "invalid, 2 usage errors. See docs/import.md.\n" +
        "Examples:\n  incident import pagerduty incidents.json log_entries.json\n" +
        "  incident import markdown postmortems/ --mapping mapping.yaml --dry-run",
    )
    .action(async (adapter: string, inputs: string[], opts: import("./import.js").ImportCliOptions) => {
      const { runImportCommand } = await import("./import.js");
      code = await runImportCommand(adapter, inputs, opts, ctx);
    });

  const tlpCeiling = () =>
    new Option("--max-tlp <level>", "leave out incidents marked with a stricter TLP (red: everything)")
      .choices(["clear", "green", "amber", "amber+strict", "red"])
      .default("clear");

  program
    .command("export")
    .description("export security incidents (a sec.* category) for security teams: VERIS 1.4.1 or STIX 2.1")
    .argument("[ids...]", "incidents to export (default: every security incident)")
    .option("-C, --dir <dir>", "the repository", ".")
    .addOption(
      new Option("-f, --format <format>", "veris: VERIS 1.4.1 JSON; stix: STIX 2.1 bundles")
        .choices(["veris", "stix"])
        .makeOptionMandatory(),
    )
    .option("-o, --out <dir>", "write <id>.json into this folder; - prints JSON Lines", "-")
    .addOption(tlpCeiling())
    .option("--source-id <name>", "VERIS source_id: who the data comes from", "incident-as-code")
    .addHelpText(
      "after",
      "\nIncidents without a sec.* category are skipped with a note. Exit status: 0 done, 1 when invalid\n" +
        "records were left out or an id is unknown, 2 for usage errors. See docs/export.md.\n" +
        "Examples:\n  incident export --format veris --max-tlp amber --out veris/\n" +
        "  incident export --format veris INC-2026-0017 --max-tlp amber+strict",
    )
    .action(async (ids: string[], opts: import("./export.js").ExportCliOptions) => {
      const { runExport } = await import("./export.js");
      code = await runExport(ids, opts, ctx);
    });

  program
    .command("events")
    .description(
      "CDEvents 0.5.1 incident events (detected, reported, resolved) from the status changes between two revisions",
    )
    .requiredOption("--since <rev>", "the earlier commit, branch or tag")
    .option("--until <rev>", "the later commit, branch or tag", "HEAD")
    .option("-C, --dir <dir>", "the repository", ".")
    .addOption(tlpCeiling())
    .option("--source <uri>", "the events' source (default: the GitHub repository, else the folder's name)")
    .option("--environment <id>", "the environment of real incidents", "production")
    .addOption(
      new Option("--envelope <kind>", "cloudevents: structured-mode CloudEvents; none: bare CDEvents")
        .choices(["cloudevents", "none"])
        .default("cloudevents"),
    )
    .addHelpText(
      "after",
      "\nPrints one JSON event per line, oldest first. Exit status: 0 done, 1 when invalid records were\n" +
        "left out, 2 for usage errors (a revision that is not a plain branch, tag or commit id). See docs/export.md.\n" +
        "Examples:\n  incident events --since v2026.10 --until main\n  incident events --since 4f2a9c1 --max-tlp amber > events.jsonl",
    )
    .action(async (opts: import("./export.js").EventsCliOptions) => {
      const { runEvents } = await import("./export.js");
      code = await runEvents(opts, ctx);
    });

  const { registerAuthoring } = await import("./authoring.js");
  registerAuthoring(program, ctx, (c) => {
    code = c;
  });

  try {
    await program.parseAsync(args, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
  return code;
}

/**
 * `--at REV` reads a commit through git, which can take long (a huge history, a hung git): after
 * INCIDENT_AT_TIMEOUT_MS (default 120 s) the command stops with exit 2. The process is ended rather
 * than the promise abandoned, because git processes still running would keep it alive.
 */
async function withAtDeadline(
  at: string | undefined,
  ctx: CommandContext,
  command: () => Promise<number>,
): Promise<number> {
  if (at === undefined) return command();
  const raw = ctx.env.INCIDENT_AT_TIMEOUT_MS;
  const ms = raw === undefined || raw === "" ? 120_000 : Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) {
    const { UsageError } = await import("../diagnostics/errors.js");
    throw new UsageError(
      `INCIDENT_AT_TIMEOUT_MS must be a whole number of milliseconds, not ${JSON.stringify(raw).slice(0, 40)}`,
    );
  }
  const timer = setTimeout(() => {
    ctx.stderr.write(
      `incident: --at ${JSON.stringify(at).slice(0, 200)}: reading the commit took longer than ${ms} ms (INCIDENT_AT_TIMEOUT_MS); stopped\n`,
    );
    process.exit(2);
  }, ms);
  try {
    return await command();
  } finally {
    clearTimeout(timer);
  }
}

/** True when this file is the script Node was started with (not imported, as tests do). */
function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = fileURLToPath(import.meta.url);
  for (const candidate of [script, `${script}.js`]) {
    try {
      if (realpathSync(candidate) === realpathSync(self)) return true;
    } catch {
      // Not this spelling of the path.
    }
  }
  return false;
}

if (isEntry()) {
  const argv = process.argv.slice(2);
  // A reader that stops early (`incident validate | head -1`) closes the pipe: that is the reader's
  // choice, not an error of ours: the rest of the output is dropped and the command ends with its own
  // exit status, instead of dying with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
  }
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
  } else {
    const work = run(argv, processContext());
    void import("./exit.js").then(({ exitWhenSettled }) => exitWhenSettled(work));
  }
}
