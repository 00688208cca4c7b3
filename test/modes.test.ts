// Per-mode lifecycle rules, in process: a `retrospective` record needs only what a historical source
// has, the live (standard) rules stay exactly as they were, the editor's schema and `validate` agree
// for every mode, and a pull request can neither change a record's mode nor arrive past a sign-off.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { defaultConfig } from "../src/config/defaults.js";
import { mergeConfig } from "../src/config/merge.js";
import type { Config } from "../src/config/types.js";
import { checkChange } from "../src/lifecycle/compare.js";
import { lifecycleForMode, modeOf } from "../src/lifecycle/modes.js";
import { requirementsFor } from "../src/lifecycle/requirements.js";
import { timestampsToSet } from "../src/lifecycle/transition.js";
import { createAjv } from "../src/schema/ajv.js";
import { effectiveSchemas, semanticCodeFor } from "../src/schema/effective.js";
import { bundledSchemas } from "../src/schema/load.js";
import { changeStatus } from "../src/usecases/changeStatus.js";
import { RefusedError } from "../src/usecases/editRecord.js";
import { checkIncident } from "../src/validate/semantic.js";
import { repoRoot } from "./helpers/cli.js";
import { codes, expectCode, pos, statusChange } from "./helpers/records.js";
import { Scenario } from "./helpers/scenario.js";

const FILE = "incidents/2019/INC-2019-0001.yaml";
const PRESENCE = ["STATE_REQUIRED", "POSTMORTEM_REQUIRED", "SECURITY_REQUIRED"];

/** What a public postmortem gives: a title, a severity, when impact started and when it was resolved. */
const retro = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  schema_version: 1,
  id: "INC-2019-0001",
  title: "Database failover left the shop read-only",
  mode: "retrospective",
  status: "closed",
  severity: "SEV1",
  timestamps: { impact_started_at: "2019-06-02T10:00:00Z", resolved_at: "2019-06-02T12:00:00Z" },
  timeline: [{ at: "2019-06-02T10:00:00Z", type: "note", text: "Imported from the public postmortem." }],
  ...over,
});

const semantic = (v: unknown, config: Config = defaultConfig) =>
  checkIncident(v, { config, file: FILE }).findings.map((f) => [f.code, f.pointer]);

/** The presence codes the effective schema reports, with the instance path of the missing key. */
function schemaPresence(v: unknown, config: Config = defaultConfig): string[][] {
  const validate = createAjv().compile(effectiveSchemas(bundledSchemas(), config).incident);
  validate(v);
  return (validate.errors ?? [])
    .filter((e) => e.keyword === "required" && PRESENCE.includes(semanticCodeFor(e.schemaPath) ?? ""))
    .map((e) => [
      semanticCodeFor(e.schemaPath) as string,
      top(`${e.instancePath}/${String(e.params.missingProperty)}`),
    ])
    .sort();
}

/** The top-level key of a pointer: the schema names `roles` missing where validate names `roles.incident_commander`. */
const top = (pointer: string) => `/${pointer.split("/")[1]}`;

const presence = (v: unknown, config: Config = defaultConfig) =>
  semantic(v, config)
    .filter(([c]) => PRESENCE.includes(c as string))
    .map(([c, p]) => [c as string, top(p as string)])
    .sort();

describe("the effective lifecycle of a mode", () => {
  it("standard (and a record without `mode`) gets the configured states themselves", () => {
    const lc = lifecycleForMode(defaultConfig.lifecycle, modeOf({}));
    expect(lc.mode).toBe("standard");
    expect(lc.states).toBe(defaultConfig.lifecycle.states);
    expect(lc.transitions).toBe(defaultConfig.lifecycle.transitions);
    expect([lc.postmortem, lc.security, lc.statusChanges]).toEqual([true, true, true]);
    // A mode the config gives no rules (and a hostile name) is judged by the live rules.
    for (const m of ["test", "gameday", "__proto__", "constructor", "toString"])
      expect(lifecycleForMode(defaultConfig.lifecycle, m).states).toBe(defaultConfig.lifecycle.states);
  });

  it("retrospective requires the title, and the resolution time from `resolved` on", () => {
    const lc = lifecycleForMode(defaultConfig.lifecycle, "retrospective");
    const req = (s: string) => requirementsFor(lc, s).map((r) => r.path);
    expect(req("new")).toEqual(["title"]);
    expect(req("triaged")).toEqual(["title"]);
    expect(req("resolved")).toEqual(["title", "timestamps.resolved_at"]);
    expect(req("closed")).toEqual(["title", "timestamps.resolved_at"]);
    expect(req("canceled")).toEqual(["title"]);
    expect([lc.postmortem, lc.security, lc.statusChanges]).toEqual([false, false, false]);
    // The transitions and the rest of the lifecycle are the live ones.
    expect(lc.transitions).toBe(defaultConfig.lifecycle.transitions);
    expect(lc.reopen_window).toBe(defaultConfig.lifecycle.reopen_window);
  });

  it("a config merges into the built-in mode state by state and can give other modes rules", () => {
    const config = mergeConfig({
      lifecycle: {
        modes: {
          retrospective: { requires: { new: ["title", "timestamps.impact_started_at"] }, postmortem: true },
          gameday: { requires: { closed: [] } },
        },
      },
    });
    const retroLc = lifecycleForMode(config.lifecycle, "retrospective");
    expect(requirementsFor(retroLc, "closed").map((r) => r.path)).toEqual([
      "title",
      "timestamps.impact_started_at",
      "timestamps.resolved_at",
    ]);
    expect([retroLc.postmortem, retroLc.security, retroLc.statusChanges]).toEqual([true, false, false]);
    const game = lifecycleForMode(config.lifecycle, "gameday");
    const live = (s: string) => requirementsFor(config.lifecycle, s).map((r) => r.path);
    // Only `closed` changed for gamedays: it inherits `resolved` and adds nothing of its own.
    expect(requirementsFor(game, "closed").map((r) => r.path)).toEqual(live("resolved"));
    expect(requirementsFor(game, "resolved").map((r) => r.path)).toEqual(live("resolved"));
    expect([game.postmortem, game.security, game.statusChanges]).toEqual([true, true, true]);
    // The live rules are untouched by either.
    expect(config.lifecycle.states).toEqual(defaultConfig.lifecycle.states);
  });
});

describe("validate and the editor's schema judge a record by its mode", () => {
  it("a closed SEV1 retrospective record with a title and a resolution time is valid", () => {
    expect(semantic(retro())).toEqual([]);
    expect(schemaPresence(retro())).toEqual([]);
  });

  it("the same record as a live incident lacks every presence rule, in both", () => {
    const live = retro({ mode: "standard" });
    const found = presence(live);
    expect(found).toEqual(schemaPresence(live));
    expect(semantic(live)).toContainEqual(["STATE_REQUIRED", "/roles/incident_commander"]);
    expect(semantic(live)).toContainEqual(["STATE_REQUIRED", "/timestamps/closed_at"]);
    expect(found).toContainEqual(["POSTMORTEM_REQUIRED", "/root_cause"]);
    // Without `mode` the record is standard: the same findings.
    const { mode: _, ...noMode } = live;
    expect(presence(noMode)).toEqual(found);
    // A live record is refused for a status without status_change entries; a retrospective one is not.
    expect(semantic(live).map(([c]) => c)).toContain("TIMELINE_STATUS_MISMATCH");
  });

  it("what a retrospective record still needs is reported by both at the same place", () => {
    const cases = [
      retro({ timestamps: { impact_started_at: "2019-06-02T10:00:00Z" } }),
      retro({ status: "resolved", timestamps: {} }),
      retro({ status: "new", title: "" }),
    ];
    for (const v of cases) {
      const found = presence(v);
      expect(found.length).toBeGreaterThan(0);
      expect(schemaPresence(v)).toEqual(found.filter(([, p]) => p !== "/title"));
    }
    expect(semantic(cases[0])).toEqual([["STATE_REQUIRED", "/timestamps/resolved_at"]]);
  });

  it("a confirmed sec.* retrospective record needs no security block; a live one does, in both", () => {
    const sec = { determination: "confirmed", categories: ["sec.malware"], status: "resolved" };
    expect(presence(retro(sec))).toEqual([]);
    expect(schemaPresence(retro(sec))).toEqual([]);
    const live = retro({ ...sec, mode: "standard" });
    expect(presence(live)).toContainEqual(["SECURITY_REQUIRED", "/security"]);
    expect(schemaPresence(live)).toEqual(presence(live));
  });

  it("consistency rules hold in every mode: timestamp order, time formats, the timeline's last move", () => {
    const v = retro({
      timestamps: {
        impact_started_at: "2019-06-02T13:00:00Z",
        impact_ended_at: "2019-06-02T12:00:00Z",
        resolved_at: "nope",
      },
      timeline: [
        { at: "2019-06-02T10:00:00Z", type: "status_change", from: "new", to: "resolved", text: "x" },
      ],
      impact: "high",
      urgency: "high",
      priority: "P4",
    });
    expect(
      semantic(v)
        .map(([c]) => c)
        .sort(),
    ).toEqual(["PRIORITY_MISMATCH", "TIMELINE_STATUS_MISMATCH", "TIMESTAMP_ORDER", "TIME_INVALID"]);
  });

  it("live rules are unchanged: every record of the repository and the fixtures judged as before", () => {
    const noModes = structuredClone(defaultConfig);
    delete noModes.lifecycle.modes;
    const records: Array<[string, unknown]> = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.startsWith("INC-") && e.name.endsWith(".yaml"))
          records.push([p, parseYaml(readFileSync(p, "utf8"))]);
      }
    };
    walk(join(repoRoot, "incidents"));
    walk(join(repoRoot, "test/fixtures/repo/incidents"));
    expect(records.length).toBeGreaterThan(5);
    const withModes = createAjv().compile(effectiveSchemas(bundledSchemas(), defaultConfig).incident);
    const without = createAjv().compile(effectiveSchemas(bundledSchemas(), noModes).incident);
    for (const [p, v] of records) {
      if (modeOf(v) === "retrospective") continue;
      const file = p.slice(p.indexOf("incidents/"));
      expect(checkIncident(v, { config: defaultConfig, file }), p).toEqual(
        checkIncident(v, { config: noModes, file }),
      );
      withModes(v);
      without(v);
      expect(withModes.errors ?? null, p).toEqual(without.errors ?? null);
    }
    // The live blocks require the same fields as before; only their `if` leaves the mode out.
    const a = effectiveSchemas(bundledSchemas(), defaultConfig).incident.$defs as Record<
      string,
      Record<string, unknown>
    >;
    const b = effectiveSchemas(bundledSchemas(), noModes).incident.$defs as Record<
      string,
      Record<string, unknown>
    >;
    for (const state of defaultConfig.lifecycle.states) {
      const name = `rule.STATE_REQUIRED.${state.id}`;
      expect(a[name]?.then, name).toEqual(b[name]?.then);
    }
  });
});

describe("the check and the mode", () => {
  const INC2 = "incidents/2026/INC-2026-0002.yaml";
  const yaml = (v: Record<string, unknown>) =>
    [
      "schema_version: 1",
      `id: ${v.id}`,
      `title: ${v.title}`,
      "mode: retrospective",
      `status: ${v.status}`,
      `severity: ${v.severity}`,
      "timestamps:",
      "  impact_started_at: 2019-06-02T10:00:00Z",
      "  resolved_at: 2019-06-02T12:00:00Z",
      "timeline:",
      "  - at: 2019-06-02T10:00:00Z",
      "    type: note",
      "    text: Imported from the public postmortem.",
      "",
    ].join("\n");

  it("MODE_IMMUTABLE: a pull request moves a live record to retrospective (or drops the mode)", async () => {
    const pr = new Scenario();
    pr.edit(INC2, (t) => t.replace("status: in_progress", "mode: retrospective\nstatus: in_progress"));
    const { status, report } = await pr.check();
    expect(status).toBe(1);
    const at = pos(pr.read(INC2), "mode: retrospective", "retrospective");
    expectCode(report, "MODE_IMMUTABLE", INC2, at.line, at.column);
    expect(codes(report)).toEqual(["MODE_IMMUTABLE"]);

    const back = new Scenario((s) =>
      s.edit(INC2, (t) => t.replace("status: in_progress", "mode: retrospective\nstatus: in_progress")),
    );
    back.edit(INC2, (t) => t.replace("mode: retrospective\n", ""));
    expect(codes((await back.check()).report)).toEqual(["MODE_IMMUTABLE"]);

    // Writing out the default is no change of mode.
    const same = new Scenario();
    same.edit(INC2, (t) => t.replace("status: in_progress", "mode: standard\nstatus: in_progress"));
    expect((await same.check()).status).toBe(0);
  });

  it("a new retrospective record may arrive closed without entries; closing a SEV1 still needs the sign-off", async () => {
    const pr = new Scenario();
    pr.write(FILE, yaml({ id: "INC-2019-0001", title: "Failover", status: "closed", severity: "SEV3" }));
    expect(await pr.check()).toEqual({ status: 0, report: { ok: true, diagnostics: [] } });

    const major = new Scenario();
    major.write(FILE, yaml({ id: "INC-2019-0001", title: "Failover", status: "closed", severity: "SEV1" }));
    const { status, report } = await major.check();
    expect(status).toBe(1);
    expect(report.diagnostics.map((d) => d.code)).toEqual(["APPROVAL_MISSING"]);
    expect(report.diagnostics[0]?.message).toContain("`resolved` -> `closed`");
  });

  it("a new retrospective record's imported status changes may skip states (history from another system)", async () => {
    // What `incident import` writes: the source's own times, from `new` straight to `resolved`.
    const withEntry = (v: Record<string, unknown>) =>
      `${yaml(v)}  - at: 2019-06-02T12:00:00Z\n    type: status_change\n    text: Resolved in the source system.\n    from: new\n    to: ${v.status}\n`;
    const pr = new Scenario();
    pr.write(
      FILE,
      withEntry({ id: "INC-2019-0001", title: "Failover", status: "resolved", severity: "SEV3" }),
    );
    expect(await pr.check()).toEqual({ status: 0, report: { ok: true, diagnostics: [] } });

    // Arriving closed through an entry still needs the sign-off of the move into `closed`.
    const major = new Scenario();
    major.write(
      FILE,
      withEntry({ id: "INC-2019-0001", title: "Failover", status: "closed", severity: "SEV1" }),
    );
    expect(codes((await major.check()).report)).toEqual(["APPROVAL_MISSING"]);
  });

  it("a new live record still starts in `new`, and a live status still needs its entries", async () => {
    const pr = new Scenario();
    pr.write(
      FILE,
      yaml({ id: "INC-2019-0001", title: "Failover", status: "closed", severity: "SEV3" }).replace(
        "mode: retrospective\n",
        "",
      ),
    );
    expect(codes((await pr.check()).report)).toContain("TRANSITION_FORBIDDEN");
  });

  it("an existing retrospective record moves one edge per pull request without entries", async () => {
    const base = (s: Scenario) =>
      s.write(FILE, yaml({ id: "INC-2019-0001", title: "Failover", status: "resolved", severity: "SEV3" }));
    const ok = new Scenario(base);
    ok.edit(FILE, (t) => t.replace("status: resolved", "status: closed"));
    expect((await ok.check()).status).toBe(0);

    const skip = new Scenario((s) =>
      s.write(FILE, yaml({ id: "INC-2019-0001", title: "Failover", status: "triaged", severity: "SEV3" })),
    );
    skip.edit(FILE, (t) => t.replace("status: triaged", "status: closed"));
    const { report } = await skip.check();
    expect(codes(report)).toEqual(["TRANSITION_SKIPPED"]);

    // Entries, when given, are judged edge by edge as for a live record.
    const walked = new Scenario(base);
    walked.edit(FILE, (t) => t.replace("status: resolved", "status: closed"));
    walked.append(FILE, statusChange("2019-06-09T10:00:00Z", "new", "closed"));
    expect(codes((await walked.check()).report)).toEqual(["STATUS_UNRECORDED"]);
  });

  it("checkChange refuses a mode change for any record, pointing at the parent when `mode` is gone", () => {
    const lc = lifecycleForMode(defaultConfig.lifecycle, "retrospective");
    const before = { id: "x", mode: "retrospective", status: "new", timeline: [] };
    const { mode: _, ...after } = before;
    expect(checkChange(before, after, lc, { statusChanges: false }).findings).toEqual([
      expect.objectContaining({ code: "MODE_IMMUTABLE", pointer: "/mode", target: "parent" }),
    ]);
  });
});

describe("incident status and close follow the mode", () => {
  it("a move of a retrospective record sets the target's timestamp only, never the skipped states'", () => {
    const record = { status: "new", timestamps: {} };
    const ids = (mode: string) =>
      timestampsToSet(lifecycleForMode(defaultConfig.lifecycle, mode), record, "in_progress").map(
        (s) => s.id,
      );
    expect(ids("standard")).toEqual(["new", "triaged", "in_progress"]);
    expect(ids("retrospective")).toEqual(["in_progress"]);
  });

  it("closing a resolved SEV1 retrospective record needs no postmortem; the same live record is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-modes-"));
    try {
      cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
      mkdirSync(join(dir, "incidents/2019"), { recursive: true });
      const text = [
        "schema_version: 1",
        "id: INC-2019-0001",
        "title: Database failover left the shop read-only",
        "mode: retrospective",
        "status: resolved",
        "severity: SEV1",
        "timestamps:",
        "  resolved_at: 2019-06-02T12:00:00Z",
        "timeline:",
        "  - at: 2019-06-02T10:00:00Z",
        "    type: note",
        "    text: Imported from the public postmortem.",
        "",
      ].join("\n");
      writeFileSync(join(dir, FILE), text);
      const opts = { dir, dryRun: true, at: "2019-06-09T10:00:00Z" };
      const closed = await changeStatus("INC-2019-0001", "closed", opts);
      expect(closed.text).toContain("status: closed");
      expect(closed.text).toContain("closed_at: 2019-06-09T10:00:00Z");
      // The states the record never recorded keep no invented time.
      expect(closed.text).not.toMatch(/acknowledged_at|mitigated_at|triaged_at|declared_at/);
      expect(closed.notes).toEqual([]);
      writeFileSync(join(dir, FILE), text.replace("mode: retrospective\n", ""));
      const refused = await changeStatus("INC-2019-0001", "closed", opts).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RefusedError);
      expect((refused as RefusedError).message).toContain("field(s) missing");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
