// Wires the authoring commands (new, status and its shortcuts, log, set, action, link, problem) into
// the command line: it parses the flags, hands them to the use cases in src/usecases/ with the
// command's directory and clock, and prints the result. Refusals are UserErrors: cli/main.ts prints
// them and exits with their status.

import { resolve } from "node:path";
import type { Command } from "commander";
import type { CommonOptions } from "../usecases/authoring.js";
import type { EditResult } from "../usecases/editRecord.js";
import type { CommandContext, TextSink } from "./context.js";
import { SHORTCUTS } from "./shortcuts.js";

export function printEdit(
  out: TextSink,
  result: EditResult,
  summary: string,
  dryRun: boolean | undefined,
): void {
  if (dryRun) {
    out.write(result.diff === "" ? `${result.file}: no change\n` : result.diff);
    return;
  }
  out.write(`${result.file}: ${result.written ? summary : "no change"}\n`);
  for (const n of result.notes) if (n !== "nothing to change") out.write(`  ${n}\n`);
}

/** What `new` prints: the path (or {"id", "path"}), or for a dry run the new file as a diff. */
async function printNew(
  out: TextSink,
  r: { id: string; path: string; text: string },
  opts: Record<string, unknown>,
) {
  if (opts.dryRun) {
    const { createTwoFilesPatch } = await import("diff");
    out.write(createTwoFilesPatch("/dev/null", `b/${r.path}`, "", r.text));
    return;
  }
  out.write(opts.json ? `${JSON.stringify({ id: r.id, path: r.path })}\n` : `${r.path}\n`);
}

/** The flags as the use cases take them: the repository resolved from the command's directory, its clock. */
function inContext<T extends { dir: string }>(opts: T, ctx: CommandContext): T & CommonOptions {
  return { ...opts, dir: resolve(ctx.cwd, opts.dir), now: ctx.now() };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface EditFlags {
  dir: string;
  dryRun?: boolean;
  by?: string;
  at?: string;
}

function editFlags(cmd: Command, ctx: CommandContext, withAt = true): Command {
  cmd
    .option("-C, --dir <dir>", "the repository", ".")
    .option("--dry-run", "print the change as a unified diff; write nothing");
  cmd.option("--by <handle>", "who does this (a handle from config people)", ctx.env.INCIDENT_HANDLE);
  if (withAt) cmd.option("--at <time>", "when: now (default), -15m, -2h, -1d, or an RFC 3339 time");
  return cmd;
}

export function registerAuthoring(
  program: Command,
  ctx: CommandContext,
  setCode: (code: number) => void,
): void {
  const out = ctx.stdout;
  const newCmd = program
    .command("new")
    .description("declare an incident: writes incidents/<year>/<id>.yaml in state `new`")
    .option("-C, --dir <dir>", "the repository", ".")
    .option("-t, --title <title>", "what is broken, for whom")
    .option("--severity <sev>", "a severity id from the config (incident.config.yaml `severities`)")
    .option("--category <id>", "a category such as ops.change (repeatable)", collect)
    .option("--service <id>", "an affected service (repeatable)", collect)
    .option("--commander <handle>", "the incident commander")
    .option("--summary <text>", "a first summary")
    .option("--detected-at <time>", "when it was detected (default: now)")
    .option("--mode <mode>", "standard, test, gameday or retrospective", "standard")
    .option("--id <id>", "use this id instead of the next free one")
    .option("--by <handle>", "who declares it", ctx.env.INCIDENT_HANDLE)
    .option("--json", 'print {"id", "path"} instead of the path')
    .option("--dry-run", "print the file that would be written, as a diff; write nothing")
    .addHelpText(
      "after",
      '\nExample:\n  incident new --title "Checkout API returns 5xx" --severity SEV2 --category ops.change --service checkout-api',
    );
  newCmd.action(async (opts: Record<string, unknown>) => {
    setCode(
      await (async () => {
        const { runNew } = await import("./new.js");
        const r = await runNew("incident", {
          ...inContext(opts as { dir: string }, ctx),
          interactive: ctx.stdin?.isTTY === true,
        });
        await printNew(out, r, opts);
        return 0;
      })(),
    );
  });

  const status = editFlags(
    program
      .command("status")
      .description("move an incident to another state, setting its timestamps and logging the change")
      .argument("<id>", "incident id")
      .argument("<state>", "target state")
      .option("--note <text>", "text of the status_change timeline entry"),
    ctx,
  ).addHelpText("after", "\nExample:\n  incident status INC-2026-0001 triaged --note 'SEV2, checkout only'");
  status.action(async (id: string, state: string, opts: EditFlags & { note?: string }) => {
    setCode(await statusAction(id, state, opts, ctx));
  });

  for (const [name, state] of Object.entries(SHORTCUTS)) {
    editFlags(
      program
        .command(name)
        .description(`same as \`incident status <id> ${state}\``)
        .argument("<id>", "incident id")
        .option("--note <text>", "text of the status_change timeline entry"),
      ctx,
    ).action(async (id: string, opts: EditFlags & { note?: string }) => {
      setCode(await statusAction(id, state, opts, ctx));
    });
  }

  editFlags(
    program
      .command("log")
      .description("append an entry to an incident's timeline (kept in time order)")
      .argument("<id>", "incident id")
      .argument("<text>", "what happened")
      .option(
        "--type <type>",
        "note, action, decision, communication, escalation, finding, mitigation, detection",
        "note",
      ),
    ctx,
  )
    .addHelpText(
      "after",
      "\nExample:\n  incident log INC-2026-0001 'Rolled back to 2026.03.1' --type action --at -10m --by @jlee",
    )
    .action(async (id: string, text: string, opts: EditFlags & { type: string }) => {
      setCode(
        await (async () => {
          const { appendLog } = await import("../usecases/editFields.js");
          const r = await appendLog(id, text, inContext(opts, ctx));
          printEdit(out, r, "timeline entry added", opts.dryRun);
          return 0;
        })(),
      );
    });

  editFlags(
    program
      .command("set")
      .description("set fields: path=value, add to a list with path+=item, remove with path-=item")
      .argument("<id>", "incident id")
      .argument(
        "<assignments...>",
        "for example impact=high roles.incident_commander=<handle> services+=<service id>",
      ),
    ctx,
    false,
  )
    .addHelpText(
      "after",
      "\nExample:\n  incident set INC-2026-0001 severity=SEV2 impact=high urgency=medium priority=P2 categories+=ops.change",
    )
    .action(async (id: string, assignments: string[], opts: EditFlags) => {
      setCode(
        await (async () => {
          const { setFields } = await import("../usecases/editFields.js");
          const r = await setFields(id, assignments, inContext(opts, ctx));
          printEdit(out, r, `set ${assignments.map((a) => a.split(/[+-]?=/)[0]).join(", ")}`, opts.dryRun);
          return 0;
        })(),
      );
    });

  const action = program.command("action").description("action items of an incident");
  editFlags(
    action
      .command("add")
      .description("add an action item (status open, id AI-n)")
      .argument("<id>", "incident id")
      .requiredOption("--title <title>", "what will be done")
      .requiredOption("--owner <handle>", "who owns it")
      .requiredOption("--class <class>", "detect, mitigate, prevent, process or repair")
      .option("--due <date>", "due date, YYYY-MM-DD")
      .option("--priority <p>", "P1..P5")
      .option("--tracker <url>", "link to the ticket"),
    ctx,
    false,
  )
    .addHelpText(
      "after",
      "\nExample:\n  incident action add INC-2026-0001 --title 'Canary for config changes' --owner @jlee --due 2026-12-31 --class prevent",
    )
    .action(
      async (
        id: string,
        opts: EditFlags & {
          title: string;
          owner: string;
          class: string;
          due?: string;
          priority?: string;
          tracker?: string;
        },
      ) => {
        setCode(
          await (async () => {
            const { addActionItem } = await import("../usecases/editFields.js");
            const r = await addActionItem(id, inContext(opts, ctx));
            printEdit(out, r, `action item ${r.actionId} added`, opts.dryRun);
            return 0;
          })(),
        );
      },
    );
  editFlags(
    action
      .command("done")
      .description("mark an action item done")
      .argument("<id>", "incident id")
      .argument("<action-id>", "for example AI-2"),
    ctx,
  ).action(async (id: string, actionId: string, opts: EditFlags) => {
    setCode(
      await (async () => {
        const { completeActionItem } = await import("../usecases/editFields.js");
        const r = await completeActionItem(id, actionId, inContext(opts, ctx));
        printEdit(out, r, `${actionId} done`, opts.dryRun);
        return 0;
      })(),
    );
  });

  editFlags(
    program
      .command("link")
      .description("link an incident to a problem record (both files are updated)")
      .argument("<id>", "incident id")
      .requiredOption("--problem <id>", "problem id, PRB-YYYY-NNNN"),
    ctx,
    false,
  )
    .addHelpText("after", "\nExample:\n  incident link INC-2026-0001 --problem PRB-2025-0002")
    .action(async (id: string, opts: EditFlags & { problem: string }) => {
      setCode(
        await (async () => {
          const { linkProblem } = await import("../usecases/editFields.js");
          for (const r of await linkProblem(id, opts.problem, inContext(opts, ctx)))
            printEdit(out, r, "linked", opts.dryRun);
          return 0;
        })(),
      );
    });

  const problem = program.command("problem").description("problem records (the causes behind incidents)");
  problem
    .command("new")
    .description("open a problem record in state `new`")
    .option("-C, --dir <dir>", "the repository", ".")
    .option("-t, --title <title>", "the suspected common cause")
    .option("--owner <handle>", "who works it")
    .option("--summary <text>", "what is known")
    .option("--service <id>", "an affected service (repeatable)", collect)
    .option("--category <id>", "a category (repeatable)", collect)
    .option("--id <id>", "use this id instead of the next free one")
    .option("--json", 'print {"id", "path"} instead of the path')
    .option("--dry-run", "print the file that would be written, as a diff; write nothing")
    .addHelpText(
      "after",
      '\nExample:\n  incident problem new --title "Connection pool exhaustion at peak" --owner @mei.tanaka',
    )
    .action(async (opts: Record<string, unknown>) => {
      setCode(
        await (async () => {
          const { runNew } = await import("./new.js");
          const r = await runNew("problem", {
            ...inContext(opts as { dir: string }, ctx),
            interactive: ctx.stdin?.isTTY === true,
          });
          await printNew(out, r, opts);
          return 0;
        })(),
      );
    });
  editFlags(
    problem
      .command("status")
      .description("move a problem record to another state, setting its timestamp")
      .argument("<id>", "problem id")
      .argument(
        "<state>",
        "assessed, root_cause_analysis, known_error, fix_in_progress, resolved, closed, canceled",
      ),
    ctx,
  )
    .addHelpText("after", "\nExample:\n  incident problem status PRB-2025-0002 known_error")
    .action(async (id: string, state: string, opts: EditFlags) => {
      setCode(
        await (async () => {
          const { changeStatus } = await import("../usecases/changeStatus.js");
          const r = await changeStatus(id, state, inContext(opts, ctx), "problem");
          printEdit(out, r, `status -> ${state}`, opts.dryRun);
          return 0;
        })(),
      );
    });
  editFlags(
    problem
      .command("set")
      .description("set fields of a problem record: path=value, path+=item, path-=item")
      .argument("<id>", "problem id")
      .argument("<assignments...>", "for example owner=<handle> workaround='Restart the pooler'"),
    ctx,
    false,
  ).action(async (id: string, assignments: string[], opts: EditFlags) => {
    setCode(
      await (async () => {
        const { setFields } = await import("../usecases/editFields.js");
        const r = await setFields(id, assignments, inContext(opts, ctx), "problem");
        printEdit(out, r, `set ${assignments.map((a) => a.split(/[+-]?=/)[0]).join(", ")}`, opts.dryRun);
        return 0;
      })(),
    );
  });
}

async function statusAction(
  id: string,
  state: string,
  opts: EditFlags & { note?: string },
  ctx: CommandContext,
): Promise<number> {
  const { changeStatus } = await import("../usecases/changeStatus.js");
  const r = await changeStatus(id, state, inContext(opts, ctx));
  printEdit(ctx.stdout, r, `status -> ${state}`, opts.dryRun);
  return 0;
}
