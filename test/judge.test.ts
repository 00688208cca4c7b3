// The judge of a pull request, in-process and without git: changes are built from the fixture
// repository's records in memory, so each rule is a millisecond test (test/check.test.ts keeps the
// end-to-end git scenarios).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_SCHEMA, load as jsYamlLoad } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type JudgeInput,
  judgeApprovals,
  judgeLinks,
  judgePullRequest,
  type RecordChange,
} from "../src/check/judge.js";
import { loadRepoConfig } from "../src/config/load.js";
import type { Config } from "../src/config/types.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import type { Validators } from "../src/schema/load.js";
import { validateRecord } from "../src/validate/file.js";
import { readRecord } from "../src/validate/read.js";
import { repoRoot } from "./helpers/cli.js";

const fixture = join(repoRoot, "test/fixtures/repo");
const INC1 = "incidents/2026/INC-2026-0001.yaml";
const INC2 = "incidents/2026/INC-2026-0002.yaml";
const INC3 = "incidents/2026/INC-2026-0003.yaml";
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

const ids = new Map(
  [INC1, INC2, INC3, "incidents/2026/INC-2026-0004.yaml", PRB1].map((p) => [
    p.slice(p.lastIndexOf("/") + 1, -5),
    p,
  ]),
);

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

/** The diagnostic with this code for `file`; fails when absent. */
function expectJudged(diags: readonly Diagnostic[], code: string, file?: string): Diagnostic {
  const hit = diags.find((d) => d.code === code && (file === undefined || d.file === file));
  expect(hit, `${code} in ${JSON.stringify(diags, null, 1)}`).toBeDefined();
  return hit as Diagnostic;
}

describe("one reader: both parsers in the check", () => {
  // A double-quoted scalar ending its line in `\"` before an unindented line: `yaml` closes it at
  // the line end, js-yaml reads on to the next quote, swallowing `status: in_progress`.
  const attack = text(INC2).replace("status: in_progress\n", 'x-a: "ab\\"\nstatus: in_progress\nx-k: #"\n');
  // js-yaml without the screen: what the fast path would read if the screen let the text through.
  const unscreened = (t: string) => ({ value: jsYamlLoad(t, { schema: CORE_SCHEMA }) });

  it("the text has no one reading, so every reader refuses it the same way", () => {
    const auto = readRecord(Buffer.from(attack), { maxBytes: 1e6 });
    const full = readRecord(Buffer.from(attack), { maxBytes: 1e6, mode: "full" });
    expect(auto.parser).toBe("full");
    expect(auto.value).toBeUndefined();
    expect(auto.findings).toEqual(full.findings);
    expect(auto.findings.map((f) => f.code)).toContain("YAML_SYNTAX");
  });

  it("PARSER_DISAGREEMENT: a fast reading that differs is refused at the first differing path", () => {
    // Keep chomping at the very end of a file, after an indented blank line: js-yaml keeps one more
    // line break than `yaml`.
    const kept = `${text(INC2).trimEnd()}\nx-note: |+\n  text\n\n  `;
    const read = readRecord(Buffer.from(kept), { maxBytes: 1e6, mode: "both", fast: unscreened });
    expect(read.value).toBeUndefined();
    const result = validateRecord(INC2, "incident", read, { config, validators, mode: "both" });
    const d = expectJudged(result.diagnostics, "PARSER_DISAGREEMENT", INC2);
    expect(d.pointer).toBe("/x-note");
    expect(d.line).toBe(kept.split("\n").length - 3);
    // The same reader agrees with itself on an ordinary record.
    const plain = readRecord(Buffer.from(text(INC2)), { maxBytes: 1e6, mode: "both", fast: unscreened });
    expect(plain.findings).toEqual([]);
    // With the real screen, the text goes to the full parser alone: one reading, no finding.
    expect(readRecord(Buffer.from(kept), { maxBytes: 1e6, mode: "both" }).findings).toEqual([]);
  });

  it("judges the full parser's reading: a text without one reading is refused", () => {
    const j = judge([modify(INC2, attack)]);
    expectJudged(j.diagnostics, "YAML_SYNTAX", INC2);
    expect(j.touched[0]?.to).toBeUndefined();
  });

  it("a file of tens of thousands of aliases is that file's findings, not a crash", () => {
    const bomb = `${text(INC3)}x-anchor: &a [1]\nx-many: [${Array.from({ length: 110_000 }, () => "*a").join(", ")}]\n`;
    expect(bomb.length).toBeGreaterThan(400_000);
    const j = judge([modify(INC3, bomb), modify(INC2, text(INC2).replace("SEV3", "SEV3 "))]);
    expectJudged(j.diagnostics, "YAML_ANCHOR", INC3);
    expect(j.diagnostics.filter((d) => d.file === INC3).length).toBeLessThanOrEqual(101);
    expect(j.touched.map((t) => t.file).sort()).toEqual([INC2, INC3]);
  });
});

describe("per-file failures and limits", () => {
  it("a blob over limits.max_file_bytes is FILE_TOO_LARGE without being read", () => {
    const j = judge([modify(INC2, "", { head: { size: 300_000_000 } })]);
    expectJudged(j.diagnostics, "FILE_TOO_LARGE", INC2);
  });

  it("an exception on one file is that file's INTERNAL_ERROR; the others are judged", () => {
    const wrapped = ((v: unknown) => {
      if ((v as { id?: string }).id === "INC-2026-0003") throw new RangeError("boom");
      const ok = validators.incident(v);
      wrapped.errors = validators.incident.errors;
      return ok;
    }) as Validators["incident"];
    const throwing: Validators = { ...validators, incident: wrapped };
    const j = judge(
      [
        modify(INC3, text(INC3).replace("status: new", "status: new\nx-note: hi")),
        modify(INC2, text(INC2).replace("tlp: amber", "tlp: purple")),
      ],
      { validators: throwing },
    );
    expectJudged(j.diagnostics, "INTERNAL_ERROR", INC3);
    expectJudged(j.diagnostics, "SCHEMA_ENUM", INC2);
  });

  it("files not judged within the time budget are refused", () => {
    const j = judge([modify(INC2, text(INC2))], { deadline: 0 });
    expectJudged(j.diagnostics, "INTERNAL_ERROR", INC2);
  });
});

describe("frozen records, approvals and protected files", () => {
  it("INCIDENT_FROZEN: a closed record's mode change (chmod +x) with the same bytes", () => {
    const j = judge([modify(INC1, text(INC1), { newMode: "100755" })]);
    expectJudged(j.diagnostics, "INCIDENT_FROZEN", INC1);
    // The same bytes and mode: nothing changed, nothing to refuse.
    expect(judge([modify(INC1, text(INC1))]).diagnostics).toEqual([]);
  });

  it("canceling a SEV2 needs the incident manager's approval, as closing it does", () => {
    const before = text(INC3).replace("status: new", "status: new\nseverity: SEV2");
    const after = `${before
      .replace("status: new", "status: canceled")
      .replace(
        "timestamps:\n",
        "determination: false_positive\nresolution:\n  code: false_positive\n  summary: Not an incident.\ntimestamps:\n  canceled_at: 2026-05-02T09:00:00Z\n",
      )
      .trimEnd()}\n  - at: 2026-05-02T09:00:00Z\n    type: status_change\n    actor: jlee\n    from: new\n    to: canceled\n    text: A false alarm.\n`;
    const j = judge([modify(INC3, after, { mergeBase: bytes(before) })]);
    expect(j.diagnostics.filter((d) => d.code !== "SCHEMA_REQUIRED")).toEqual([]);
    expect(j.approvals.map((a) => [a.role, "move" in a.what && a.what.move.to])).toEqual([
      ["incident_manager", "canceled"],
    ]);
    const missing = judgeApprovals(j.approvals, config, new Set(["jlee"]));
    expectJudged(missing, "APPROVAL_MISSING", INC3);
    expect(judgeApprovals(j.approvals, config, new Set(["Amara.Okafor"]))).toEqual([]);
  });

  it("PROTECTED_CHANGE: files that change how records are read need a maintainer", () => {
    const paths = [
      ".gitattributes",
      "incidents/.gitattributes",
      "docs/deep/.GitAttributes",
      ".gitmodules",
      "incident.config.yaml",
      "schemas/incident.schema.json",
      ".incident/schemas/incident.schema.json",
      "templates/postmortem.md.hbs",
      ".github/workflows/incident-check.yml",
      ".github/CODEOWNERS",
    ];
    const harmless = ["README.md", "src/cli/main.ts", "incidents/2026/INC-2026-0002.md", "docs/usage.md"];
    const changes = [...paths, ...harmless].map(
      (path): RecordChange => ({ status: "M", path, oldMode: "100644", newMode: "100644" }),
    );
    const j = judge(changes);
    const missing = judgeApprovals(j.approvals, config, undefined);
    expect(missing.filter((d) => d.code === "PROTECTED_CHANGE").map((d) => d.file)).toEqual(paths);
    expectJudged(missing, "PROTECTED_CHANGE", ".gitattributes");
    // Approved by someone holding the configured role: no finding.
    const withMaintainer: Config = {
      ...config,
      people: [
        ...config.people,
        { handle: "keeper", name: "Keeper", github: "keeper-gh", roles: ["maintainer"] },
      ],
    };
    expect(judgeApprovals(j.approvals, withMaintainer, new Set(["keeper-gh"]))).toEqual([]);
    expect(judgeApprovals(j.approvals, withMaintainer, new Set(["jlee"])).length).toBe(paths.length);
  });
});

describe("links across files", () => {
  it("REF_ASYMMETRIC: a one-sided problem_refs, and a removed side of a pair", () => {
    // INC2 claims PRB1, which does not list it.
    const claim = text(INC2).replace("tlp: amber\n", "tlp: amber\nproblem_refs: [PRB-2026-0001]\n");
    let j = judge([modify(INC2, claim)]);
    expect(j.linkedIds).toContain("PRB-2026-0001");
    const heads = new Map([["PRB-2026-0001", { file: PRB1, bytes: Buffer.from(text(PRB1)) }]]);
    expectJudged(judgeLinks(j.links, heads, config, validators), "REF_ASYMMETRIC", INC2);
    // INC1 drops PRB1, which still lists INC1: the problem is left one-sided.
    const dropped = text(INC1).replace("problem_refs: [PRB-2026-0001]\n", "");
    j = judge([modify(INC1, dropped)]);
    expect(j.linkedIds).toContain("PRB-2026-0001");
    expectJudged(judgeLinks(j.links, heads, config, validators), "REF_ASYMMETRIC", PRB1);
    // A problem that claims an incident which does not list it.
    const prb = text(PRB1).replace(
      "incident_refs: [INC-2026-0001]",
      "incident_refs: [INC-2026-0001, INC-2026-0002]",
    );
    j = judge([modify(PRB1, prb)]);
    const incHeads = new Map([
      ["INC-2026-0001", { file: INC1, bytes: Buffer.from(text(INC1)) }],
      ["INC-2026-0002", { file: INC2, bytes: Buffer.from(text(INC2)) }],
    ]);
    expectJudged(judgeLinks(j.links, incHeads, config, validators), "REF_ASYMMETRIC", PRB1);
  });
});

describe("record paths", () => {
  it("RECORD_MISPLACED: a record at the folder root, in another folder, as .yml or under a folder named like a record", () => {
    const inc = text(INC3);
    for (const path of [
      "incidents/INC-2026-0003.yaml",
      "incidents/misc/INC-2026-0003.yaml",
      "incidents/2026/INC-2026-0003.yml",
      "incidents/2026/INC-2026-0009.yaml/INC-2026-0003.yaml",
    ]) {
      const j = judge([{ status: "A", path, oldMode: "000000", newMode: "100644", head: bytes(inc) }]);
      expectJudged(j.diagnostics, "RECORD_MISPLACED", path);
    }
    const j = judge([
      {
        status: "A",
        path: "incidents/2026/INC-2026-0009.yaml",
        oldMode: "000000",
        newMode: "100644",
        head: bytes(inc.replaceAll("INC-2026-0003", "INC-2026-0009")),
      },
    ]);
    expect(j.diagnostics.filter((d) => d.code === "RECORD_MISPLACED")).toEqual([]);
  });

  it("the recommended CODEOWNERS owns every kind of protected file", () => {
    const owners = readFileSync(join(repoRoot, ".github/CODEOWNERS"), "utf8");
    for (const pattern of [
      ".gitattributes",
      "/.gitmodules",
      "/incident.config.yaml",
      "/schemas/",
      "/.incident/",
      "/templates/",
      "/.github/",
    ])
      expect(owners).toMatch(new RegExp(`^${pattern.replaceAll(".", "\\.")}\\s+@`, "m"));
  });
});

describe("holes found by the adversarial review", () => {
  it("lowering a SEV2 needs the sign-off it drops: otherwise the next pull request cancels it freely", () => {
    const sev2 = text(INC3).replace("status: new", "status: new\nseverity: SEV2");
    const j = judge([
      modify(INC3, sev2.replace("severity: SEV2", "severity: SEV3"), { mergeBase: bytes(sev2) }),
    ]);
    expect(j.approvals.map((a) => a.what)).toEqual([{ severity: { from: "SEV2", to: "SEV3" } }]);
    const d = expectJudged(judgeApprovals(j.approvals, config, new Set(["jlee"])), "APPROVAL_MISSING", INC3);
    expect(d.pointer).toBe("/severity");
    expect(judgeApprovals(j.approvals, config, new Set(["amara.okafor"]))).toEqual([]);
    // Raising it, or moving between severities the sign-off does not cover, needs nothing.
    const sev4 = text(INC3).replace("status: new", "status: new\nseverity: SEV4");
    expect(judge([modify(INC3, sev4.replace("SEV4", "SEV2"), { mergeBase: bytes(sev4) })]).approvals).toEqual(
      [],
    );
    expect(judge([modify(INC3, sev4.replace("SEV4", "SEV5"), { mergeBase: bytes(sev4) })]).approvals).toEqual(
      [],
    );
  });

  it("a base config that writes `./incidents/` does not blind the check", async () => {
    const { mergeConfig } = await import("../src/config/merge.js");
    const dotted = mergeConfig({ paths: { incidents: "./incidents/", problems: "./incidents//problems" } });
    expect(dotted.paths.incidents).toBe("incidents");
    expect(dotted.paths.problems).toBe("incidents/problems");
    const j = judge([{ status: "D", path: INC1, oldMode: "100644", newMode: "000000" }], { config: dotted });
    expectJudged(j.diagnostics, "INCIDENT_DELETED", INC1);
  });

  it("`.YAML` records and folders named like records are judged, not ignored", () => {
    const inc = text(INC3).replaceAll("INC-2026-0003", "INC-2026-0009");
    for (const path of ["incidents/2026/INC-2026-0009.YAML", "incidents/2026/INC-2026-0009.Yml"]) {
      const j = judge([{ status: "A", path, oldMode: "000000", newMode: "100644", head: bytes(inc) }]);
      expectJudged(j.diagnostics, "RECORD_MISPLACED", path);
    }
    const inFolder = "incidents/2026/INC-2026-0010.yaml/notes.md";
    const j = judge([{ status: "A", path: inFolder, oldMode: "000000", newMode: "100644" }]);
    expectJudged(j.diagnostics, "RECORD_MISPLACED", inFolder);
  });
});

describe("notification duties in the judge", () => {
  const withGdpr = async () => {
    const { mergeConfig } = await import("../src/config/merge.js");
    const { bundledRules, ruleSetSchema } = await import("../src/regulatory/bundled.js");
    const { mergeRules } = await import("../src/regulatory/rules.js");
    const cfg = mergeConfig({ ...structuredClone(config), regulatory: { enabled: ["eu-gdpr"] } });
    const merged = mergeRules(bundledRules(), cfg.regulatory, ruleSetSchema());
    expect(merged.findings).toEqual([]);
    return { cfg, rules: merged.rules };
  };
  const regulatory = (filings: string) =>
    `regulatory:\n  obligations:\n    - regime: eu-gdpr\n      applies: "yes"\n      reason: Customer emails exposed.\n  triggers:\n    personal_data_breach_aware:\n      at: 2026-04-14T09:00:00Z\n      by: lucas.moreau\n      evidence: SIEM ticket\n${filings}`;

  it("REGULATORY_REWRITTEN: a merged trigger time moved later", async () => {
    const { cfg, rules } = await withGdpr();
    const before = text(INC2).replace("tlp: amber\n", `tlp: amber\n${regulatory("")}`);
    const after = before.replace(
      "at: 2026-04-14T09:00:00Z\n      by: lucas",
      "at: 2026-04-16T09:00:00Z\n      by: lucas",
    );
    const j = judge([modify(INC2, after, { mergeBase: bytes(before) })], { config: cfg, regulatory: rules });
    expectJudged(j.diagnostics, "REGULATORY_REWRITTEN", INC2);
  });

  it("REGULATORY_REWRITTEN: an obligation recorded as applying cannot be withdrawn, so closing cannot skip its reports", async () => {
    const { cfg, rules } = await withGdpr();
    const before = text(INC2).replace("tlp: amber\n", `tlp: amber\n${regulatory("")}`);
    const flipped = before.replace('applies: "yes"', 'applies: "no"');
    const j = judge([modify(INC2, flipped, { mergeBase: bytes(before) })], {
      config: cfg,
      regulatory: rules,
    });
    const d = expectJudged(j.diagnostics, "REGULATORY_REWRITTEN", INC2);
    expect(d.pointer).toBe("/regulatory/obligations/0/applies");
  });

  it("REGULATORY_UNDETERMINED: a regime left undetermined days after the trigger", async () => {
    const { cfg, rules } = await withGdpr();
    const before = text(INC2).replace(
      "tlp: amber\n",
      `tlp: amber\n${regulatory("").replace('"yes"', "undetermined")}`,
    );
    const after = before.replace("status: in_progress", "status: in_progress # still open");
    const j = judge([modify(INC2, after, { mergeBase: bytes(before) })], { config: cfg, regulatory: rules });
    expectJudged(j.diagnostics, "REGULATORY_UNDETERMINED", INC2);
  });

  it("REGULATORY_REPORT_MISSING: closing while the supervisory authority report is not filed", async () => {
    const { cfg, rules } = await withGdpr();
    // The record is closed by the pull request (the lifecycle findings are not the point here).
    const before = text(INC2).replace("tlp: amber\n", `tlp: amber\n${regulatory("")}`);
    const after = before.replace("status: in_progress", "status: closed");
    const j = judge([modify(INC2, after, { mergeBase: bytes(before) })], { config: cfg, regulatory: rules });
    expectJudged(j.diagnostics, "REGULATORY_REPORT_MISSING", INC2);
    const filed = `  filings:\n    - regime: eu-gdpr\n      report: supervisory_authority\n      submitted_at: 2026-04-15T09:00:00Z\n      filed_by: lucas.moreau\n    - regime: eu-gdpr\n      report: documentation\n      submitted_at: 2026-04-15T09:00:00Z\n      filed_by: lucas.moreau\n`;
    const done = after.replace("      evidence: SIEM ticket\n", `      evidence: SIEM ticket\n${filed}`);
    const ok = judge([modify(INC2, done, { mergeBase: bytes(before) })], { config: cfg, regulatory: rules });
    expect(ok.diagnostics.filter((d) => d.code === "REGULATORY_REPORT_MISSING")).toEqual([]);
  });
});
