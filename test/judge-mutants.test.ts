// The pull-request judge's per-file rules with exact findings: case-twisted record paths, links,
// submodules and other modes, deletes and renames, id collisions, unreadable heads and bases, the
// base branch moving on, references, approvals at their place in the file, what a touched record
// reports, which paths are protected, and how missing approvals and one-sided links are worded.
// Built in memory from test/fixtures/repo, as test/judge.test.ts does.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  isRecordPath,
  type JudgeInput,
  judgeApprovals,
  judgeLinks,
  judgePullRequest,
  kindOf,
  type NeededApproval,
  needsBlobs,
  protectedReason,
  type RecordChange,
} from "../src/check/judge.js";
import { loadRepoConfig } from "../src/config/load.js";
import type { Config } from "../src/config/types.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import type { Validators } from "../src/schema/load.js";
import { repoRoot } from "./helpers/cli.js";

const fixture = join(repoRoot, "test/fixtures/repo");
const INC1 = "incidents/2026/INC-2026-0001.yaml";
const INC2 = "incidents/2026/INC-2026-0002.yaml";
const INC3 = "incidents/2026/INC-2026-0003.yaml";
const INC4 = "incidents/2026/INC-2026-0004.yaml";
const PRB1 = "incidents/problems/PRB-2026-0001.yaml";
const text = (file: string) => readFileSync(join(fixture, file), "utf8");
const bytes = (t: string) => ({ bytes: Buffer.from(t) });

let config: Config;
let validators: Validators;
beforeAll(async () => {
  const loaded = await loadRepoConfig(fixture);
  expect(loaded.diagnostics).toEqual([]);
  config = loaded.config;
  validators = loaded.validators;
});

const ids = new Map([INC1, INC2, INC3, INC4, PRB1].map((p) => [p.slice(p.lastIndexOf("/") + 1, -5), p]));

function modify(path: string, after: string, opts: Partial<RecordChange> = {}): RecordChange {
  return {
    status: "M",
    path,
    oldMode: "100644",
    newMode: "100644",
    mergeBase: bytes(text(path)),
    head: bytes(after),
    ...opts,
  };
}

const add = (path: string, after: string, opts: Partial<RecordChange> = {}): RecordChange => ({
  status: "A",
  path,
  oldMode: "000000",
  newMode: "100644",
  head: bytes(after),
  ...opts,
});

function judge(changes: RecordChange[], extra: Partial<JudgeInput> = {}) {
  return judgePullRequest({
    config,
    validators,
    changes,
    baseIds: ids,
    headIds: ids,
    baseMoved: false,
    now: new Date("2026-06-01T00:00:00Z"),
    ...extra,
  });
}

/** code, file, line, column and pointer of each diagnostic, in the judge's order. */
const where = (diags: readonly Diagnostic[]) =>
  diags.map((d) => [d.code, d.file, d.line, d.column, d.pointer]);

/** INC3 (new) moved on to triaged and in_progress by the pull request. */
const inc3Moved = (severity = "SEV3") =>
  `${text(INC3)
    .replace(
      "status: new",
      `status: in_progress\nsummary: s\nseverity: ${severity}\nimpact: low\nurgency: low\npriority: P5\ncategories: [ops.performance]\nroles:\n  incident_commander: jlee`,
    )
    .replace(
      "timestamps:\n",
      "timestamps:\n  triaged_at: 2026-05-02T07:55:00Z\n  acknowledged_at: 2026-05-02T08:00:00Z\n",
    )
    .trimEnd()}
  - at: 2026-05-02T07:55:00Z
    type: status_change
    from: new
    to: triaged
    text: Triaged.
  - at: 2026-05-02T08:00:00Z
    type: status_change
    from: triaged
    to: in_progress
    text: On it.
`;

describe("judge: paths", () => {
  it("record folders, letter case, blobs to read and the kind of record", () => {
    expect(isRecordPath(INC2, config)).toBe(true);
    expect(isRecordPath("Incidents/2026/x.yaml", config)).toBe(false);
    expect(isRecordPath("Incidents/2026/x.yaml", config, true)).toBe(true);
    expect(isRecordPath("INCIDENTS/PROBLEMS/x.yaml", config, true)).toBe(true);
    expect(isRecordPath("incidents", config, true)).toBe(false);
    expect(isRecordPath("incidentsx/a.yaml", config)).toBe(false);
    expect(isRecordPath("docs/incidents/a.yaml", config)).toBe(false);
    const c = { status: "M", path: INC2, oldMode: "100644", newMode: "100644" } as const;
    expect(needsBlobs(c, config)).toBe(true);
    expect(needsBlobs({ ...c, newMode: "100755" }, config)).toBe(true);
    expect(needsBlobs({ ...c, status: "D" }, config)).toBe(false);
    expect(needsBlobs({ ...c, newMode: "120000" }, config)).toBe(false);
    expect(needsBlobs({ ...c, path: "incidents/2026/notes.md" }, config)).toBe(false);
    expect(needsBlobs({ ...c, path: "docs/INC-2026-0002.yaml" }, config)).toBe(false);
    expect(kindOf(PRB1, config)).toBe("problem");
    expect(kindOf(INC2, config)).toBe("incident");
  });

  it("UNSAFE_PATH for a path that differs from a record folder only in letter case", () => {
    const path = "Incidents/2026/INC-2026-0002.yaml";
    const j = judge([modify(INC2, text(INC2), { path })]);
    expect(j.diagnostics).toEqual([
      {
        code: "UNSAFE_PATH",
        severity: "error",
        message: "Incidents/2026/INC-2026-0002.yaml differs from the record folders only in letter case",
        file: path,
        line: 1,
        column: 1,
        pointer: "",
      },
    ]);
    expect(j.touched).toEqual([]);
  });

  it("UNSAFE_PATH for a symbolic link, a submodule or any other mode; a type change is judged", () => {
    const j = judge([
      modify(INC2, "x", { newMode: "120000" }),
      modify(INC3, "x", { newMode: "160000" }),
      modify(INC4, "x", { newMode: "100600" }),
      { status: "T", path: "incidents/2026/notes", oldMode: "100644", newMode: "120000" },
    ]);
    expect(j.diagnostics.map((d) => [d.file, d.message])).toEqual([
      [
        "incidents/2026/INC-2026-0002.yaml",
        "incidents/2026/INC-2026-0002.yaml is a symbolic link; records must be regular files",
      ],
      [
        "incidents/2026/INC-2026-0003.yaml",
        "incidents/2026/INC-2026-0003.yaml is a submodule; records must be regular files",
      ],
      [
        "incidents/2026/INC-2026-0004.yaml",
        "incidents/2026/INC-2026-0004.yaml is mode 100600; records must be regular files",
      ],
      ["incidents/2026/notes", "incidents/2026/notes is a symbolic link; records must be regular files"],
    ]);
    expect(j.diagnostics.every((d) => d.code === "UNSAFE_PATH" && d.line === 1 && d.column === 1)).toBe(true);
    expect(j.touched).toEqual([]);
  });

  it("other files in the record folders are not records", () => {
    const j = judge([
      { status: "M", path: "incidents/2026/INC-2026-0002.md", oldMode: "100644", newMode: "100644" },
      { status: "D", path: "incidents/2026/INC-2026-0002.md", oldMode: "100644", newMode: "000000" },
      { status: "A", path: "incidents/README.md", oldMode: "000000", newMode: "100755" },
    ]);
    expect(j).toEqual({ diagnostics: [], touched: [], approvals: [], links: [], linkedIds: [] });
  });
});

describe("judge: deletes, renames and ids", () => {
  it("INCIDENT_DELETED, unless the record is renamed, which is INCIDENT_RENAMED", () => {
    const del = { status: "D" as const, path: INC2, oldMode: "100644", newMode: "000000" };
    expect(where(judge([del]).diagnostics)).toEqual([["INCIDENT_DELETED", INC2, 1, 1, ""]]);
    expect(judge([del]).diagnostics[0]?.message).toBe(
      `${INC2} is deleted; records are never deleted (cancel it, or mark it a duplicate)`,
    );
    const moved = "incidents/2025/INC-2026-0002.yaml";
    const j = judge([del, add(moved, text(INC2))]);
    const renamed = j.diagnostics.filter((d) => d.code === "INCIDENT_RENAMED");
    expect(renamed.map((d) => [d.file, d.message])).toEqual([
      [moved, `INC-2026-0002 moved from ${INC2}; records keep their path`],
    ]);
    expect(j.diagnostics.map((d) => d.code)).not.toContain("INCIDENT_DELETED");
    expect(j.diagnostics.map((d) => d.code)).not.toContain("ID_COLLISION");
  });

  it("ID_COLLISION with the base branch, or between two added files", () => {
    const path = "incidents/2025/INC-2026-0002.yaml";
    const j = judge([add(path, text(INC2))]);
    expect(j.diagnostics.filter((d) => d.code === "ID_COLLISION").map((d) => [d.file, d.message])).toEqual([
      [
        path,
        `INC-2026-0002 already exists in the base branch as ${INC2} (declared in parallel, merged first): rebase on the base branch and run \`incident new\` again with the same details (it takes the next free id), or move this file to the next free id and change its \`id\` to match`,
      ],
    ]);
    const nine = text(INC3).replaceAll("INC-2026-0003", "INC-2026-0009");
    const a = "incidents/2026/INC-2026-0009.yaml";
    const b = "incidents/2025/INC-2026-0009.yaml";
    const two = judge([add(a, nine), add(b, nine)]);
    expect(two.diagnostics.filter((d) => d.code === "ID_COLLISION").map((d) => [d.file, d.message])).toEqual([
      [
        b,
        `INC-2026-0009 is also added as ${a}: keep one record under this id and move each other one to a free id, changing its \`id\` to match`,
      ],
      [
        a,
        `INC-2026-0009 is also added as ${b}: keep one record under this id and move each other one to a free id, changing its \`id\` to match`,
      ],
    ]);
    // One new record with a new id: no collision, and its touched entry.
    const one = judge([add(a, nine)]);
    expect(one.diagnostics).toEqual([]);
    expect(one.touched).toEqual([
      {
        file: a,
        id: "INC-2026-0009",
        title: "Product images load slowly in the storefront",
        severity: undefined,
        from: undefined,
        to: "new",
        findings: 0,
      },
    ]);
  });
});

describe("judge: what cannot be read", () => {
  it("UNSAFE_PATH when the head cannot be read as a file", () => {
    const j = judge([modify(INC2, "", { head: undefined })]);
    expect(j.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["UNSAFE_PATH", `${INC2} could not be read as a file from the head commit`],
    ]);
    expect(j.touched).toEqual([]);
  });

  it("FILE_TOO_LARGE names the size and the limit; the file is touched", () => {
    const j = judge([modify(INC2, "", { head: { size: 300_000_000 } })]);
    expect(j.diagnostics.map((d) => [d.code, d.message, d.line, d.column])).toEqual([
      [
        "FILE_TOO_LARGE",
        `file is 300000000 bytes, over the limit of ${config.limits.max_file_bytes} (limits.max_file_bytes); it was not read`,
        1,
        1,
      ],
    ]);
    expect(j.touched).toEqual([{ file: INC2, id: "INC-2026-0002", findings: 1 }]);
  });

  it("BASE_INVALID when the base version is unreadable or missing, and nothing is compared", () => {
    for (const mergeBase of [bytes("a: [\n"), undefined, { size: 5 }]) {
      const j = judge([
        modify(INC2, text(INC2).replace("status: in_progress", "status: closed"), { mergeBase }),
      ]);
      const codes = j.diagnostics.map((d) => d.code);
      expect(codes).toContain("BASE_INVALID");
      expect(codes).not.toContain("TRANSITION_SKIPPED");
      expect(j.diagnostics.find((d) => d.code === "BASE_INVALID")?.message).toBe(
        `the base version of ${INC2} is not valid YAML, so this change cannot be judged; repair it on the base branch first`,
      );
    }
    // An added record has no base.
    const nine = text(INC3).replaceAll("INC-2026-0003", "INC-2026-0009");
    expect(judge([add("incidents/2026/INC-2026-0009.yaml", nine)]).diagnostics).toEqual([]);
  });

  it("an exception is that file's INTERNAL_ERROR, naming the error; a deadline not yet reached judges", () => {
    const throwing = {
      ...validators,
      incident: (() => {
        throw new RangeError("boom");
      }) as unknown,
    } as Validators;
    const j = judge([modify(INC2, text(INC2))], { validators: throwing });
    expect(j.diagnostics.map((d) => [d.code, d.message, d.line])).toEqual([
      ["INTERNAL_ERROR", "the check failed on this file (boom); it is refused until the tool is fixed", 1],
    ]);
    expect(judge([modify(INC2, text(INC2))], { deadline: Date.now() + 3_600_000 }).diagnostics).toEqual([]);
    const late = judge([modify(INC2, text(INC2)), modify(INC3, text(INC3))], { deadline: 0 });
    expect(late.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      [
        "INTERNAL_ERROR",
        INC2,
        `${INC2} was not judged: the check ran out of its time budget; nothing unjudged may merge`,
      ],
      [
        "INTERNAL_ERROR",
        INC3,
        `${INC3} was not judged: the check ran out of its time budget; nothing unjudged may merge`,
      ],
    ]);
  });
});

describe("judge: moves, the base branch moving on, references", () => {
  it("a legal change: moves recorded, touched from and to, no approvals below the sign-off severities", () => {
    const j = judge([modify(INC3, inc3Moved())]);
    expect(j.diagnostics).toEqual([]);
    expect(j.approvals).toEqual([]);
    expect(j.touched).toEqual([
      {
        file: INC3,
        id: "INC-2026-0003",
        title: "Product images load slowly in the storefront",
        severity: "SEV3",
        from: "new",
        to: "in_progress",
        findings: 0,
      },
    ]);
  });

  it("the findings of a change are located at their pointer in the head file", () => {
    const after = inc3Moved().replace(
      "    from: triaged\n    to: in_progress",
      "    from: triaged\n    to: resolved",
    );
    const j = judge([modify(INC3, after)]);
    const line = after.split("\n").indexOf("    to: resolved") + 1;
    // The walk stops at the skip; validate reports the status the timeline does not reach.
    expect(where(j.diagnostics)).toEqual([
      ["TIMELINE_STATUS_MISMATCH", INC3, 5, 9, "/status"],
      ["TRANSITION_SKIPPED", INC3, line, 9, "/timeline/2/to"],
    ]);
  });

  it("APPROVAL: canceling a SEV1 is located at the move's `to`", () => {
    const before = text(INC3).replace("status: new", "status: new\nseverity: SEV1");
    const after = `${before
      .replace(
        "status: new",
        "status: canceled\ndetermination: false_positive\nresolution:\n  code: false_positive\n  summary: x",
      )
      .replace("timestamps:\n", "timestamps:\n  canceled_at: 2026-05-02T09:00:00Z\n")
      .trimEnd()}\n  - at: 2026-05-02T09:00:00Z\n    type: status_change\n    from: new\n    to: canceled\n    text: x\n`;
    const j = judge([modify(INC3, after, { mergeBase: bytes(before) })]);
    const line = after.split("\n").indexOf("    to: canceled") + 1;
    expect(j.approvals).toEqual([
      {
        file: INC3,
        role: "incident_manager",
        what: { move: { from: "new", to: "canceled", index: 1 } },
        line,
        column: 9,
        pointer: "/timeline/1/to",
      },
    ]);
  });

  it("INCIDENT_FROZEN when the base branch closed the record since, reported once", () => {
    const closedTip = bytes(text(INC2).replace("status: in_progress", "status: closed"));
    const j = judge([modify(INC2, text(INC2).replace("tlp: amber", "tlp: green"), { tip: closedTip })], {
      baseMoved: true,
    });
    expect(j.diagnostics.map((d) => [d.code, d.message, d.pointer])).toEqual([
      [
        "INCIDENT_FROZEN",
        "the record is `closed` on the base branch now, which is final; this pull request can no longer change it",
        "/status",
      ],
    ]);
    // The same tip when the base did not move is not read.
    expect(
      judge([modify(INC2, text(INC2).replace("tlp: amber", "tlp: green"), { tip: closedTip })]).diagnostics,
    ).toEqual([]);
    // A tip that is open is nothing; a closed merge base and a closed tip are one finding.
    const open = judge(
      [modify(INC2, text(INC2).replace("tlp: amber", "tlp: green"), { tip: bytes(text(INC2)) })],
      {
        baseMoved: true,
      },
    );
    expect(open.diagnostics).toEqual([]);
    const both = judge([modify(INC1, `${text(INC1)}x-note: hi\n`, { tip: bytes(text(INC1)) })], {
      baseMoved: true,
    });
    expect(both.diagnostics.filter((d) => d.code === "INCIDENT_FROZEN").length).toBe(1);
  });

  it("a tip that raised the severity still needs the sign-off", () => {
    const before = text(INC3);
    const after = `${before
      .replace(
        "status: new",
        "status: canceled\ndetermination: false_positive\nresolution:\n  code: false_positive\n  summary: x",
      )
      .replace("timestamps:\n", "timestamps:\n  canceled_at: 2026-05-02T09:00:00Z\n")
      .trimEnd()}\n  - at: 2026-05-02T09:00:00Z\n    type: status_change\n    from: new\n    to: canceled\n    text: x\n`;
    const tip = bytes(before.replace("status: new", "status: new\nseverity: SEV2"));
    const moved = judge([modify(INC3, after, { mergeBase: bytes(before), tip })], { baseMoved: true });
    expect(moved.approvals.filter((a) => "move" in a.what).map((a) => a.role)).toEqual(["incident_manager"]);
    expect(judge([modify(INC3, after, { mergeBase: bytes(before) })]).approvals).toEqual([]);
  });

  it("REF_UNRESOLVED for a link to a record the head does not have; linked ids from head, base and tip", () => {
    const after = text(INC2).replace(
      "tlp: amber\n",
      "tlp: amber\nrelated:\n  duplicate_of: INC-2026-0004\n  parent: INC-2026-0001\n  related: [INC-2026-0077]\n",
    );
    const base = text(INC2).replace("tlp: amber\n", "tlp: amber\nproblem_refs: [PRB-2026-0001]\n");
    const tip = text(INC2).replace("tlp: amber\n", "tlp: amber\nrelated:\n  related: [INC-2026-0003, 5]\n");
    const j = judge([modify(INC2, after, { mergeBase: bytes(base), tip: bytes(tip) })], { baseMoved: true });
    const unresolved = j.diagnostics.filter((d) => d.code === "REF_UNRESOLVED");
    const line = after.split("\n").findIndex((l) => l.startsWith("  related: [")) + 1;
    expect(unresolved.map((d) => [d.message, d.pointer, d.line, d.column])).toEqual([
      ["incident `INC-2026-0077` does not exist", "/related/related/0", line, 13],
    ]);
    expect(j.linkedIds).toEqual([
      "INC-2026-0001",
      "INC-2026-0003",
      "INC-2026-0004",
      "INC-2026-0077",
      "PRB-2026-0001",
    ]);
    expect(j.links.map((l) => l.file)).toEqual([INC2]);
    const prb = text(PRB1).replace(
      "incident_refs: [INC-2026-0001]",
      "incident_refs: [INC-2026-0001, INC-2026-0002]",
    );
    expect(judge([modify(PRB1, prb)]).linkedIds).toEqual(["INC-2026-0001", "INC-2026-0002"]);
  });

  it("diagnostics are sorted by file, then line", () => {
    const j = judge([
      modify(INC3, text(INC3).replace("status: new", "status: resolved")),
      { status: "D", path: INC2, oldMode: "100644", newMode: "000000" },
    ]);
    const keys = j.diagnostics.map((d) => `${d.file}:${String(d.line).padStart(4, "0")}`);
    expect(keys).toEqual([...keys].sort());
    expect(j.diagnostics[0]?.file).toBe(INC2);
  });
});

describe("judge: protected paths", () => {
  it("each protected path with its reason; look-alikes are not protected", () => {
    const reasons: Array<[string, string]> = [
      ["a/b/.gitattributes", "git attributes change how every file is checked out"],
      [".GITMODULES", "submodules change what the repository contains"],
      ["Incident.Config.yaml", "the config holds the rules every record is judged by"],
      [".github/workflows/x.yml", "workflows and actions run the check and publish the reports"],
      [".incident/schemas/x.json", "the generated schemas are what editors and reports validate against"],
      ["schemas/x.json", "the schemas are the rules every record is judged by"],
      ["templates/x.hbs", "the templates render every postmortem and page"],
      ["CODEOWNERS", "CODEOWNERS decides who must review"],
      ["docs/CODEOWNERS", "CODEOWNERS decides who must review"],
    ];
    for (const [path, reason] of reasons) expect(protectedReason(path, config), path).toBe(reason);
    for (const path of [
      "a/.gitmodules",
      "incidents/incident.config.yaml",
      "x.github/a",
      ".githubx/a",
      "docs/schemas/x.json",
      "mytemplates/x",
      "src/CODEOWNERS",
      "docs/CODEOWNERS.md",
      ".gitattributes.bak",
    ])
      expect(protectedReason(path, config), path).toBeUndefined();
    const moved = { ...config, paths: { ...config.paths, schemas: "rules/", templates: "views" } };
    expect(protectedReason("rules/a.json", moved)).toBe(
      "the schemas are the rules every record is judged by",
    );
    expect(protectedReason("views/a.hbs", moved)).toBe("the templates render every postmortem and page");
    expect(protectedReason("templates/a.hbs", moved)).toBeUndefined();
  });

  it("a protected change needs the configured role, at line 1 of the file", () => {
    const j = judge([
      { status: "M", path: "schemas/incident.schema.json", oldMode: "100644", newMode: "100644" },
    ]);
    expect(j.approvals).toEqual([
      {
        file: "schemas/incident.schema.json",
        role: "maintainer",
        what: { path: "schemas/incident.schema.json" },
        line: 1,
        column: 1,
        pointer: "",
      },
    ]);
  });
});

describe("judgeApprovals", () => {
  const move: NeededApproval = {
    file: INC3,
    role: "incident_manager",
    what: { move: { from: "resolved", to: "closed", index: 4 } },
    line: 30,
    column: 9,
    pointer: "/timeline/4/to",
  };

  it("APPROVAL_MISSING names the holders of the role, at the move's place", () => {
    expect(judgeApprovals([move], config, new Set(["jlee"]))).toEqual([
      {
        code: "APPROVAL_MISSING",
        severity: "error",
        message:
          "`resolved` -> `closed` needs an approving review from an incident_manager (@amara.okafor, @farah.haddad)",
        file: INC3,
        line: 30,
        column: 9,
        pointer: "/timeline/4/to",
      },
    ]);
  });

  it("an approval by any holder counts, by GitHub login when set, in any letter case", () => {
    expect(judgeApprovals([move], config, new Set(["FARAH.HADDAD"]))).toEqual([]);
    const gh: Config = {
      ...config,
      people: [{ handle: "amara", name: "A", github: "Amara-GH", roles: ["incident_manager"] }],
    };
    expect(judgeApprovals([move], gh, new Set(["amara-gh"]))).toEqual([]);
    expect(judgeApprovals([move], gh, new Set(["amara"]))[0]?.message).toBe(
      "`resolved` -> `closed` needs an approving review from an incident_manager (@Amara-GH)",
    );
  });

  it("without holders, and without reviews to read", () => {
    const nobody: Config = { ...config, people: [] };
    expect(judgeApprovals([move], nobody, new Set())[0]?.message).toBe(
      "`resolved` -> `closed` needs an approving review from an incident_manager (someone with the incident_manager role)",
    );
    expect(judgeApprovals([move], config, undefined)[0]?.message).toBe(
      "`resolved` -> `closed` needs an approving review from an incident_manager (@amara.okafor, @farah.haddad); reviews can only be read with GitHub context (a token and the pull request number)",
    );
  });

  it("PROTECTED_CHANGE gives the path's reason, at line 1", () => {
    const withKeeper: Config = {
      ...config,
      people: [{ handle: "keeper", name: "K", roles: ["maintainer"] }],
    };
    const needed: NeededApproval[] = [
      {
        file: "templates/a.hbs",
        role: "maintainer",
        what: { path: "templates/a.hbs" },
        line: 1,
        column: 1,
        pointer: "",
      },
      { file: "odd", role: "maintainer", what: { path: "odd" }, line: 7, column: 3, pointer: "/x" },
    ];
    expect(judgeApprovals(needed, withKeeper, new Set(["someone"]))).toEqual([
      {
        code: "PROTECTED_CHANGE",
        severity: "error",
        message:
          "templates/a.hbs is protected (the templates render every postmortem and page): changing it needs an approving review from a maintainer (@keeper)",
        file: "templates/a.hbs",
        line: 1,
        column: 1,
        pointer: "",
      },
      {
        code: "PROTECTED_CHANGE",
        severity: "error",
        message:
          "odd is protected (it changes how records are judged): changing it needs an approving review from a maintainer (@keeper)",
        file: "odd",
        line: 1,
        column: 1,
        pointer: "",
      },
    ]);
    expect(judgeApprovals(needed, withKeeper, new Set(["Keeper"]))).toEqual([]);
  });
});

describe("judgeLinks", () => {
  const heads = (...files: string[]) =>
    new Map(
      files.map((f) => [f.slice(f.lastIndexOf("/") + 1, -5), { file: f, bytes: Buffer.from(text(f)) }]),
    );

  it("a one-sided link of a touched record is located at the link in that record", () => {
    const claim = text(INC2).replace("tlp: amber\n", "tlp: amber\nproblem_refs: [PRB-2026-0001]\n");
    const j = judge([modify(INC2, claim)]);
    const line = claim.split("\n").findIndex((l) => l.startsWith("problem_refs:")) + 1;
    const found = judgeLinks(j.links, heads(PRB1), config, validators);
    expect(found.map((d) => [d.code, d.file, d.line, d.column, d.pointer])).toEqual([
      ["REF_ASYMMETRIC", INC2, line, 16, "/problem_refs/0"],
    ]);
  });

  it("an untouched record is reported only for its link to a touched record", () => {
    // INC1 and PRB1 link each other; INC2 is touched and unrelated: nothing to report.
    const j = judge([modify(INC2, text(INC2).replace("tlp: amber", "tlp: green"))]);
    expect(judgeLinks(j.links, heads(INC1, PRB1), config, validators)).toEqual([]);
    // A touched record whose head is also given is read once, from the pull request.
    expect(judgeLinks(j.links, heads(INC2), config, validators)).toEqual([]);
  });

  it("an unparsable linked head is judged by its file name alone", () => {
    const claim = text(INC2).replace("tlp: amber\n", "tlp: amber\nproblem_refs: [PRB-2026-0001]\n");
    const j = judge([modify(INC2, claim)]);
    const broken = new Map([["PRB-2026-0001", { file: PRB1, bytes: Buffer.from("a: [\n") }]]);
    expect(judgeLinks(j.links, broken, config, validators)).toEqual([]);
  });

  it("a link without a parsed file is reported at line 1", () => {
    const claim = text(INC2).replace("tlp: amber\n", "tlp: amber\nproblem_refs: [PRB-2026-0001]\n");
    const j = judge([modify(INC2, claim)]);
    const links = j.links.map((l) => ({ ...l, parsed: undefined }));
    expect(where(judgeLinks(links, heads(PRB1), config, validators))).toEqual([
      ["REF_ASYMMETRIC", INC2, 1, 1, ""],
    ]);
  });
});

describe("judge: the edges mutation testing found", () => {
  it("a deleted non-record file with a record's name is no rename; files outside the record folders are not judged", () => {
    const nine = text(INC3).replaceAll("INC-2026-0003", "INC-2026-0009");
    const j = judge([
      { status: "D", path: "incidents/2026/INC-2026-0009.md", oldMode: "100644", newMode: "000000" },
      add("incidents/2026/INC-2026-0009.yaml", nine),
      { status: "M", path: "README.md", oldMode: "100644", newMode: "100644" },
      { status: "T", path: "incidents/2026/notes", oldMode: "120000", newMode: "100644" },
    ]);
    expect(j.diagnostics).toEqual([]);
    expect(j.touched.map((t) => t.file)).toEqual(["incidents/2026/INC-2026-0009.yaml"]);
  });

  it("a file inside a folder named like a record is only RECORD_MISPLACED", () => {
    const path = "incidents/2026/INC-2026-0010.yaml/notes.md";
    const j = judge([{ status: "A", path, oldMode: "000000", newMode: "100644" }]);
    expect(j.diagnostics.map((d) => [d.code, d.message, d.line])).toEqual([
      ["RECORD_MISPLACED", `${path} is inside a folder named like a record; records are files`, 1],
    ]);
    expect(j.touched).toEqual([]);
  });

  it("a rename names the deleted path with the same id; three added files name the other two", () => {
    const moved = "incidents/2025/INC-2026-0002.yaml";
    const j = judge([
      { status: "D", path: INC3, oldMode: "100644", newMode: "000000" },
      { status: "D", path: INC2, oldMode: "100644", newMode: "000000" },
      add(moved, text(INC2)),
    ]);
    expect(j.diagnostics.find((d) => d.code === "INCIDENT_RENAMED")?.message).toBe(
      `INC-2026-0002 moved from ${INC2}; records keep their path`,
    );
    const nine = text(INC3).replaceAll("INC-2026-0003", "INC-2026-0009");
    const paths = [
      "incidents/2026/INC-2026-0009.yaml",
      "incidents/2025/INC-2026-0009.yaml",
      "incidents/2024/INC-2026-0009.yaml",
    ];
    const three = judge(paths.map((p) => add(p, nine)));
    expect(three.diagnostics.find((d) => d.code === "ID_COLLISION" && d.file === paths[0])?.message).toBe(
      `INC-2026-0009 is also added as ${paths[1]}, ${paths[2]}: keep one record under this id and move each other one to a free id, changing its \`id\` to match`,
    );
  });

  it("an added record is judged as new, whatever base or tip blob comes with it", () => {
    const nine = text(INC3).replaceAll("INC-2026-0003", "INC-2026-0009");
    const closed = bytes(text(INC1));
    const j = judge([add("incidents/2026/INC-2026-0009.yaml", nine, { mergeBase: closed, tip: closed })], {
      baseMoved: true,
    });
    expect(j.diagnostics).toEqual([]);
    expect(j.touched[0]?.from).toBeUndefined();
    const triaged = nine.replace("status: new", "status: triaged");
    const bad = judge([add("incidents/2026/INC-2026-0009.yaml", triaged)]);
    expect(
      bad.diagnostics.filter((d) => d.code === "TRANSITION_FORBIDDEN").map((d) => [d.message, d.pointer]),
    ).toEqual([["a new record must start in `new`, not `triaged`", "/status"]]);
  });

  it("BASE_INVALID: nothing else is judged of the change", () => {
    const j = judge([
      modify(INC2, text(INC2).replace("status: in_progress", "status: closed"), {
        mergeBase: bytes("a: [\n"),
      }),
    ]);
    const codes = j.diagnostics.map((d) => d.code);
    expect(codes).not.toContain("STATUS_UNRECORDED");
    expect(codes).not.toContain("TRANSITION_FORBIDDEN");
  });

  it("a problem record moves along the problem lifecycle, without a timeline", () => {
    const after = text(PRB1)
      .replace("status: known_error", "status: fix_in_progress\nfix: Replay production responses in tests.")
      .replace(
        "  known_error_at: 2026-03-20T15:00:00Z\n",
        "  known_error_at: 2026-03-20T15:00:00Z\n  fix_started_at: 2026-03-21T15:00:00Z\n",
      );
    const j = judge([modify(PRB1, after)]);
    expect(j.diagnostics).toEqual([]);
    expect(j.touched[0]).toMatchObject({ from: "known_error", to: "fix_in_progress" });
    // An approval on a problem's move points at its status.
    const gated: Config = {
      ...config,
      problem_lifecycle: {
        ...config.problem_lifecycle,
        transitions: config.problem_lifecycle.transitions.map((t) =>
          t.from === "known_error" ? { ...t, approval: { role: "maintainer" as const } } : t,
        ),
      },
    };
    const g = judge([modify(PRB1, after)], { config: gated });
    expect(g.approvals.map((a) => [a.role, a.pointer, a.line, a.column])).toEqual([
      ["maintainer", "/status", 8, 9],
    ]);
  });

  it("a closed record is final to the byte: a comment of the same length, or one more line", () => {
    const same = text(INC1).replace("# yaml-language-server", "# yaml_language_server");
    expect(same.length).toBe(text(INC1).length);
    expect(judge([modify(INC1, same)]).diagnostics.map((d) => d.code)).toEqual(["INCIDENT_FROZEN"]);
    expect(judge([modify(INC1, `${text(INC1)}# more\n`)]).diagnostics.map((d) => d.code)).toEqual([
      "INCIDENT_FROZEN",
    ]);
  });

  it("a record closed on the base branch since: the change's own findings are reported too", () => {
    const closedTip = bytes(text(INC2).replace("status: in_progress", "status: closed"));
    const j = judge(
      [modify(INC2, text(INC2).replace("status: in_progress", "status: mitigated"), { tip: closedTip })],
      {
        baseMoved: true,
      },
    );
    const codes = j.diagnostics.map((d) => d.code);
    expect(codes).toContain("INCIDENT_FROZEN");
    expect(codes).toContain("STATUS_UNRECORDED");
  });

  it("touched: values that are not strings are not reported; the file's id when there is none", () => {
    const odd = text(INC2)
      .replace("id: INC-2026-0002", "id: 5")
      .replace("title: Suspicious", "title: [Suspicious]\nx-t: Suspicious")
      .replace("severity: SEV3", "severity: 3")
      .replace("status: in_progress", "status: 4");
    const j = judge([modify(INC2, odd)]);
    expect(j.touched).toEqual([
      {
        file: INC2,
        id: "INC-2026-0002",
        title: undefined,
        severity: undefined,
        from: "in_progress",
        to: undefined,
        findings: j.touched[0]?.findings,
      },
    ]);
    const renamedId = judge([modify(INC2, text(INC2).replace("id: INC-2026-0002", "id: INC-2026-0099"))]);
    expect(renamedId.touched[0]?.id).toBe("INC-2026-0099");
    // A document that is not a mapping is judged, not a crash.
    const nul = judge([modify(INC2, "null\n", { tip: bytes("null\n") })], { baseMoved: true });
    expect(nul.diagnostics.map((d) => d.code)).not.toContain("INTERNAL_ERROR");
    expect(nul.touched[0]?.id).toBe("INC-2026-0002");
  });

  it("removing the severity drops the sign-off too", () => {
    const sev2 = text(INC3).replace("status: new", "status: new\nseverity: SEV2");
    const j = judge([modify(INC3, text(INC3), { mergeBase: bytes(sev2) })]);
    expect(j.approvals.map((a) => a.what)).toEqual([{ severity: { from: "SEV2", to: "(none)" } }]);
    expect(judgeApprovals(j.approvals, config, new Set(["jlee"]))[0]?.message).toBe(
      "changing the severity from `SEV2` to `(none)` drops the sign-off that closing or canceling it needs, so the change needs an approving review from an incident_manager (@amara.okafor, @farah.haddad)",
    );
  });

  it("linked ids include what the base linked, for problems too; an odd `related` is no crash", () => {
    const dropped = text(PRB1).replace("incident_refs: [INC-2026-0001]", "incident_refs: []");
    expect(judge([modify(PRB1, dropped)]).linkedIds).toEqual(["INC-2026-0001"]);
    const base = text(INC2).replace("tlp: amber\n", "tlp: amber\nrelated:\n  related: INC-2026-0003\n");
    const j = judge([modify(INC2, text(INC2), { mergeBase: bytes(base) })]);
    expect(j.diagnostics.map((d) => d.code)).not.toContain("INTERNAL_ERROR");
  });

  it("record folders and protected folders are compared without their trailing slashes", () => {
    const paths = {
      ...config.paths,
      incidents: "recs//",
      problems: "data/problems",
      schemas: "rules//",
      templates: ".conf/views",
    };
    const c2 = { ...config, paths };
    expect(isRecordPath("recs/2026/x.yaml", c2)).toBe(true);
    expect(isRecordPath("data/problems/x.yaml", c2)).toBe(true);
    expect(protectedReason("rules/a.json", c2)).toBe("the schemas are the rules every record is judged by");
    expect(protectedReason(".conf/views/a.hbs", c2)).toBe("the templates render every postmortem and page");
  });

  it("people without roles hold none", () => {
    const c2: Config = { ...config, people: [{ handle: "nobody", name: "N" }, ...config.people] };
    const needed: NeededApproval = {
      file: INC3,
      role: "incident_manager",
      what: { move: { from: "resolved", to: "closed" } },
      line: 1,
      column: 1,
      pointer: "/status",
    };
    expect(judgeApprovals([needed], c2, new Set(["nobody"])).map((d) => d.code)).toEqual([
      "APPROVAL_MISSING",
    ]);
  });
});

describe("judgeLinks: which findings reach the pull request", () => {
  const head = (f: string, t = text(f)) => ({ file: f, bytes: Buffer.from(t) });
  const claim = text(INC2).replace("tlp: amber\n", "tlp: amber\nproblem_refs: [PRB-2026-0001]\n");

  it("the pull request's version of a touched record wins over a head given for it", () => {
    const j = judge([modify(INC2, claim)]);
    const heads = new Map([
      ["INC-2026-0002", head(INC2)],
      ["PRB-2026-0001", head(PRB1)],
    ]);
    expect(judgeLinks(j.links, heads, config, validators).map((d) => [d.code, d.file])).toEqual([
      ["REF_ASYMMETRIC", INC2],
    ]);
  });

  it("each touched record is reported, not only when it is the only one", () => {
    const j = judge([
      modify(INC2, claim),
      modify(INC3, text(INC3).replace("title: Product", "title: The product")),
    ]);
    const heads = new Map([["PRB-2026-0001", head(PRB1)]]);
    expect(judgeLinks(j.links, heads, config, validators).map((d) => [d.code, d.file])).toEqual([
      ["REF_ASYMMETRIC", INC2],
    ]);
  });

  it("references that do not resolve are judged per file, not here; one-sided pairs the pull request did not touch are not reported", () => {
    const j = judge([modify(INC2, claim)]);
    expect(judgeLinks(j.links, new Map(), config, validators)).toEqual([]);
    const other = judge([modify(INC3, text(INC3).replace("title: Product", "title: The product"))]);
    const oneSided = new Map([
      ["INC-2026-0001", head(INC1)],
      [
        "PRB-2026-0001",
        head(PRB1, text(PRB1).replace("incident_refs: [INC-2026-0001]", "incident_refs: []")),
      ],
    ]);
    expect(judgeLinks(other.links, oneSided, config, validators)).toEqual([]);
  });
});
