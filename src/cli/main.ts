#!/usr/bin/env node
// The `incident` command line: a thin shell over the workflows. Commands load their modules lazily so
// that `incident --version` starts as fast as Node itself. Errors are caught once, here, and
// cli/exit.ts turns them into the exit status: 0 clean, 1 findings or refused, 2 usage or internal error.

import { readFileSync } from "node:fs";

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
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    async (err: unknown) => {
      const { exitStatus } = await import("./exit.js");
      process.exitCode = exitStatus(err);
    },
  );
}

async function main(args: string[]): Promise<number> {
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
    .configureOutput({ outputError: (str, write) => write(`incident: ${str.replace(/^error: /, "")}`) })
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
      code = await runValidate(paths, opts);
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
      code = await runCheck(opts);
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
      code = await runRender(ids, opts);
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
    .addHelpText(
      "after",
      "\nThe site loads nothing from the network and uses relative links only: open <out>/index.html\n" +
        "from disk or publish the folder (e.g. to GitHub Pages). Exit status: 0 done, 1 for invalid\n" +
        "records (skipped) or template errors.\n" +
        "Examples:\n  incident site\n  incident site --out /tmp/site",
    )
    .action(async (opts: import("./render.js").SiteCliOptions) => {
      const { runSite } = await import("./render.js");
      code = await runSite(opts);
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
      code = await runRemind(opts);
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
      code = await runObligations(ids, opts);
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
      code = await runSchema(opts);
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
      code = await runInit(opts);
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
    .option("--include-modes <modes>", "count these excluded modes too: test,gameday,retrospective")
    .addOption(formatOption())
    .addOption(new Option("--now <time>", "the clock for overdue items and open breaches").hideHelp())
    .addHelpText(
      "after",
      "\nIncidents are dated by declared_at (else detected_at). test, gameday and retrospective incidents\n" +
        "are left out unless --include-modes names them (config: metrics.exclude_modes).\n" +
        "Exit status: 0 done, 1 when invalid records were left out (listed on stderr), 2 for usage errors.\n" +
        "Examples:\n  incident stats\n  incident stats --by severity --since 2026-01\n  incident stats --by month --format csv > metrics.csv\n  incident stats --at v2026.06 --format json",
    )
    .action(async (opts: import("./stats.js").StatsCliOptions) => {
      const { runStats } = await import("./stats.js");
      code = await withAtDeadline(opts.at, () => runStats(opts));
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
      code = await withAtDeadline(opts.at, () => runList(opts));
    });

  const { registerAuthoring } = await import("./authoring.js");
  registerAuthoring(program, (c) => {
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
async function withAtDeadline(at: string | undefined, run: () => Promise<number>): Promise<number> {
  if (at === undefined) return run();
  const raw = process.env.INCIDENT_AT_TIMEOUT_MS;
  const ms = raw === undefined || raw === "" ? 120_000 : Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) {
    const { UsageError } = await import("../diagnostics/errors.js");
    throw new UsageError(
      `INCIDENT_AT_TIMEOUT_MS must be a whole number of milliseconds, not ${JSON.stringify(raw).slice(0, 40)}`,
    );
  }
  const timer = setTimeout(() => {
    process.stderr.write(
      `incident: --at ${JSON.stringify(at).slice(0, 200)}: reading the commit took longer than ${ms} ms (INCIDENT_AT_TIMEOUT_MS); stopped\n`,
    );
    process.exit(2);
  }, ms);
  try {
    return await run();
  } finally {
    clearTimeout(timer);
  }
}
