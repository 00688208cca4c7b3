// Regulatory clocks: hand-computed deadlines for every bundled regime (a trigger on Friday evening,
// daylight-saving changes in the regulator's zone, holidays, the end of a month in a leap year,
// DORA's late classification and noon rule, SEC business days across US holidays, chained reports
// counted from a late filing), a record that fires three regimes at once, the rule loader, and the
// pull-request rules (closing with a report missing, undetermined too long, rewriting the record).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { mergeConfig } from "../src/config/merge.js";
import type { Config } from "../src/config/types.js";
import type { Finding } from "../src/diagnostics/diagnostic.js";
import { bundledRules, ruleSetSchema } from "../src/regulatory/bundled.js";
import { addMonths } from "../src/regulatory/clock.js";
import { computeObligations, type ObligationStatus, type ReportStatus } from "../src/regulatory/compute.js";
import { checkRegulatoryChange } from "../src/regulatory/enforce.js";
import { mergeRules, parseRuleSet } from "../src/regulatory/rules.js";
import { createAjv } from "../src/schema/ajv.js";
import { effectiveSchemas } from "../src/schema/effective.js";
import { repoRoot } from "./helpers/cli.js";

const rules = bundledRules();

function configWith(regulatory: Record<string, unknown> = {}): Config {
  return mergeConfig({ regulatory });
}

type Triggers = Record<string, string>;
interface Filing {
  regime: string;
  report: string;
  submitted_at: string;
  late_reason?: string;
}

function record(
  obligations: Array<[string, "yes" | "no" | "undetermined", number?]>,
  triggers: Triggers,
  filings: Filing[] = [],
  extra: Record<string, unknown> = {},
) {
  return {
    status: "in_progress",
    ...extra,
    regulatory: {
      obligations: obligations.map(([regime, applies, affected]) => ({
        regime,
        applies,
        reason: "assessed by legal",
        ...(affected !== undefined ? { affected_individuals: affected } : {}),
      })),
      triggers: Object.fromEntries(
        Object.entries(triggers).map(([id, at]) => [id, { at, by: "jlee", evidence: "ticket" }]),
      ),
      filings: filings.map((f) => ({ filed_by: "jlee", ...f })),
    },
  };
}

function run(rec: unknown, now: string, config: Config = defaultConfig, set = rules): ObligationStatus[] {
  return computeObligations(rec, set, config, new Date(now));
}

function report(result: ObligationStatus[], regime: string, id: string): ReportStatus {
  const r = result.find((o) => o.regime === regime)?.reports.find((x) => x.report === id);
  if (!r) throw new Error(`${regime}/${id} missing`);
  return r;
}

/** [regime, report, deadline] rows of a result, for the deadline tables. */
function deadlines(result: ObligationStatus[]): Array<[string, string, string | undefined, string]> {
  return result.flatMap((o) =>
    o.reports.map(
      (r) => [o.regime, r.report, r.deadline, r.state] as [string, string, string | undefined, string],
    ),
  );
}

describe("the bundled rules", () => {
  it("parse against their schema; every regime names its source, the check date and that it is not legal advice", () => {
    expect(rules.regimes.map((r) => r.id)).toEqual([
      "eu-nis2",
      "eu-dora",
      "eu-gdpr",
      "us-sec-8k",
      "us-circia",
      "us-hipaa",
      "in-cert-in",
      "au-soci-significant",
      "au-soci-relevant",
      "au-ransomware",
      "uk-gdpr",
      "uk-nis",
    ]);
    for (const r of rules.regimes) {
      expect(r.source.length, r.id).toBeGreaterThan(5);
      expect(r.checked, r.id).toBe("2026-12-05");
      expect(r.not_legal_advice, r.id).toBe(true);
    }
    expect(rules.regimes.find((r) => r.id === "us-circia")?.status).toBe("proposed");
    expect(readFileSync(join(repoRoot, "templates/regulatory/rules.yaml"), "utf8")).toContain(
      "NOT LEGAL ADVICE",
    );
  });

  it("a broken rule file is reported with its code, line and column", () => {
    const text = readFileSync(join(repoRoot, "templates/regulatory/rules.yaml"), "utf8").replace(
      "within: { hours: 6 }",
      "within: { hours: 6, days: 1 }",
    );
    const parsed = parseRuleSet(text, "rules.yaml", ruleSetSchema());
    expect(parsed.rules).toBeUndefined();
    const line = text.split("\n").findIndex((l) => l.includes("hours: 6, days: 1")) + 1;
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([["SCHEMA_LIMIT", line]]);
    const dup = parseRuleSet("schema_version: 1\nschema_version: 1\n", "rules.yaml", ruleSetSchema());
    expect(dup.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["YAML_DUPLICATE_KEY", 2, 1]]);
  });

  it("the config's regime overrides and additions must match the rule schema (same definitions)", () => {
    const cfg = JSON.parse(readFileSync(join(repoRoot, "schemas/config.schema.json"), "utf8"));
    const own = ruleSetSchema() as { $defs: Record<string, Record<string, unknown>> };
    expect(cfg.$defs.regulatoryWithin).toEqual(own.$defs.within);
    expect(cfg.$defs.regulatoryTrigger).toEqual(own.$defs.trigger);
    const { required: _a, ...report } = cfg.$defs.regulatoryReport.properties;
    expect(Object.keys(report)).toEqual(Object.keys(own.$defs.report?.properties as object));
    expect(Object.keys(cfg.$defs.regulatoryRegime.properties)).toEqual(
      Object.keys(own.$defs.regime?.properties as object),
    );
  });
});

describe("config: regulatory", () => {
  it("enables no regime by default", () => {
    expect(defaultConfig.regulatory.enabled).toEqual([]);
    expect(run(record([], { aware: "2026-03-06T19:30:00+01:00" }), "2026-03-07T00:00:00Z")).toEqual([]);
  });

  it("merges rule changes by id, adds holiday dates, and points at unknown regimes and references", () => {
    const reg = configWith({
      enabled: ["eu-dora", "eu-nis3"],
      rules: [
        { id: "eu-dora", reports: [{ id: "initial", roll: "none" }] },
        { id: "acme-board", name: "Board" },
      ],
      calendars: { "eu-member-state": ["2026-03-09"] },
    }).regulatory;
    const { rules: merged, findings } = mergeRules(rules, reg, ruleSetSchema());
    const dora = merged.regimes.find((r) => r.id === "eu-dora");
    expect(dora?.reports.find((r) => r.id === "initial")?.roll).toBe("none");
    expect(dora?.reports.find((r) => r.id === "final")?.roll).toBe("noon_next_working_day");
    expect(merged.calendars["eu-member-state"]).toEqual(["2026-03-09"]);
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/jurisdiction"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/source"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/checked"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/not_legal_advice"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/status"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/zone"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/authority"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/undue_delay"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/description"],
      ["SCHEMA_REQUIRED", "/regulatory/rules/1/reports"],
      ["CONFIG_REFERENCE", "/regulatory/enabled/1"],
    ]);
  });

  it("the effective schema offers the enabled regimes, their reports and triggers, and refuses others", () => {
    const config = configWith({ enabled: ["eu-nis2", "eu-gdpr"] });
    const base = Object.fromEntries(
      ["incident", "problem", "config"].map((n) => [
        n,
        JSON.parse(readFileSync(join(repoRoot, `schemas/${n}.schema.json`), "utf8")),
      ]),
    ) as Parameters<typeof effectiveSchemas>[0];
    const incident = effectiveSchemas(base, config).incident as {
      $defs: Record<string, { enum?: string[]; enumDescriptions?: string[] }>;
      properties: { regulatory: { properties: { triggers: { properties: Record<string, unknown> } } } };
    };
    expect(incident.$defs.regimeId?.enum).toEqual(["eu-nis2", "eu-gdpr"]);
    expect(incident.$defs.regimeId?.enumDescriptions?.[0]).toContain("Directive (EU) 2022/2555 Art. 23(4)");
    expect(incident.$defs.reportId?.enum).toEqual([
      "early_warning",
      "notification",
      "intermediate",
      "progress",
      "final",
      "supervisory_authority",
      "documentation",
    ]);
    expect(Object.keys(incident.properties.regulatory.properties.triggers.properties)).toEqual([
      "aware",
      "personal_data_breach_aware",
      "handling_ended",
    ]);
    const validate = createAjv().compile(incident);
    const rec = { regulatory: { obligations: [{ regime: "eu-dora", applies: "yes" }] } };
    validate(rec);
    expect(
      validate.errors?.some(
        (e) => e.instancePath === "/regulatory/obligations/0/regime" && e.keyword === "enum",
      ),
    ).toBe(true);
  });
});

describe("deadlines, hand-computed", () => {
  it("NIS2: a trigger on Friday evening runs through the weekend (24 h and 72 h elapsed)", () => {
    const r = run(
      record([["eu-nis2", "yes"]], { aware: "2026-03-06T19:30:00+01:00" }),
      "2026-03-07T12:00:00+01:00",
    );
    expect(deadlines(r).slice(0, 3)).toEqual([
      ["eu-nis2", "early_warning", "2026-03-07T19:30:00+01:00", "due"],
      ["eu-nis2", "notification", "2026-03-09T19:30:00+01:00", "due"],
      ["eu-nis2", "intermediate", undefined, "on_request"],
    ]);
    const ew = report(r, "eu-nis2", "early_warning");
    expect(ew.withoutUndueDelay).toBe(true);
    expect(ew.leftMs).toBe(7.5 * 3_600_000);
    expect(ew.basis).toBe("24 h after aware");
    expect(report(r, "eu-nis2", "final").state).toBe("not_triggered");
  });

  it("NIS2: hours are elapsed across the spring daylight-saving change in Brussels", () => {
    // Clocks go forward on 2026-03-29: 72 h after 12:00 +01:00 is 13:00 +02:00 on the wall clock.
    const r = run(
      record([["eu-nis2", "yes"]], { aware: "2026-03-28T12:00:00+01:00" }),
      "2026-03-28T13:00:00Z",
    );
    expect(report(r, "eu-nis2", "early_warning").deadline).toBe("2026-03-29T13:00:00+02:00");
    expect(report(r, "eu-nis2", "notification").deadline).toBe("2026-03-31T13:00:00+02:00");
  });

  it("NIS2: the final report is due a calendar month after the notification was submitted, clamped to February (leap and common year)", () => {
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2027-01-31", 1)).toBe("2027-02-28");
    expect(addMonths("2026-12-31", 2)).toBe("2027-02-28");
    const leap = run(
      record([["eu-nis2", "yes"]], { aware: "2028-01-29T08:00:00+01:00" }, [
        { regime: "eu-nis2", report: "notification", submitted_at: "2028-01-31T10:00:00+01:00" },
      ]),
      "2028-02-01T00:00:00Z",
    );
    expect(report(leap, "eu-nis2", "final").deadline).toBe("2028-02-29T23:59:59+01:00");
    expect(report(leap, "eu-nis2", "final").basis).toBe("1 month after notification submitted");
    const common = run(
      record([["eu-nis2", "yes"]], { aware: "2027-01-29T08:00:00+01:00" }, [
        { regime: "eu-nis2", report: "notification", submitted_at: "2027-01-31T10:00:00+01:00" },
      ]),
      "2027-02-01T00:00:00Z",
    );
    expect(report(common, "eu-nis2", "final").deadline).toBe("2027-02-28T23:59:59+01:00");
  });

  it("NIS2: an incident still handled a month after the notification owes a progress report, and the final report a month after handling ends", () => {
    const filings: Filing[] = [
      { regime: "eu-nis2", report: "notification", submitted_at: "2026-03-09T10:00:00+01:00" },
    ];
    const ongoing = run(
      record([["eu-nis2", "yes"]], { aware: "2026-03-08T09:00:00+01:00" }, filings),
      "2026-04-15T00:00:00Z",
    );
    expect(report(ongoing, "eu-nis2", "progress")).toMatchObject({
      state: "overdue",
      deadline: "2026-04-09T23:59:59+02:00",
    });
    expect(report(ongoing, "eu-nis2", "final").state).toBe("not_triggered");
    const ended = run(
      record(
        [["eu-nis2", "yes"]],
        { aware: "2026-03-08T09:00:00+01:00", handling_ended: "2026-05-20T12:00:00+02:00" },
        filings,
      ),
      "2026-05-21T00:00:00Z",
    );
    expect(report(ended, "eu-nis2", "final").deadline).toBe("2026-06-20T23:59:59+02:00");
    const early = run(
      record(
        [["eu-nis2", "yes"]],
        { aware: "2026-03-08T09:00:00+01:00", handling_ended: "2026-03-20T12:00:00+01:00" },
        filings,
      ),
      "2026-03-21T00:00:00Z",
    );
    expect(report(early, "eu-nis2", "progress").state).toBe("not_required");
    expect(report(early, "eu-nis2", "final").deadline).toBe("2026-04-09T23:59:59+02:00");
  });

  it("DORA: 4 h after classification, capped at 24 h after awareness, unless the classification itself came later", () => {
    const at = (classified: string) =>
      report(
        run(
          record([["eu-dora", "yes"]], { aware: "2026-03-02T09:00:00+01:00", classified_major: classified }),
          "2026-03-02T10:00:00+01:00" < classified ? classified : "2026-03-02T10:00:00+01:00",
        ),
        "eu-dora",
        "initial",
      );
    expect(at("2026-03-02T20:00:00+01:00").deadline).toBe("2026-03-03T00:00:00+01:00");
    expect(at("2026-03-03T07:00:00+01:00")).toMatchObject({
      deadline: "2026-03-03T09:00:00+01:00",
      basis: "24 h after aware (cap)",
    });
    // Classified 30 h after awareness: the cap has passed, 4 h from the classification remain.
    expect(at("2026-03-03T15:00:00+01:00")).toMatchObject({
      deadline: "2026-03-03T19:00:00+01:00",
      basis: "4 h after classified_major",
    });
  });

  it("DORA: a deadline on a weekend or holiday moves to noon of the next working day; systemic entities turn that off", () => {
    const rec = record([["eu-dora", "yes"]], {
      aware: "2026-03-06T09:00:00+01:00",
      classified_major: "2026-03-06T22:00:00+01:00",
    });
    expect(report(run(rec, "2026-03-06T23:00:00+01:00"), "eu-dora", "initial")).toMatchObject({
      deadline: "2026-03-09T12:00:00+01:00",
      basis: "4 h after classified_major, moved to noon of the next working day",
    });
    const holiday = configWith({ calendars: { "eu-member-state": ["2026-03-09"] } });
    const withHoliday = mergeRules(rules, holiday.regulatory, ruleSetSchema()).rules;
    expect(
      report(run(rec, "2026-03-06T23:00:00+01:00", holiday, withHoliday), "eu-dora", "initial").deadline,
    ).toBe("2026-03-10T12:00:00+01:00");
    const systemic = configWith({ rules: [{ id: "eu-dora", reports: [{ id: "initial", roll: "none" }] }] });
    const noRoll = mergeRules(rules, systemic.regulatory, ruleSetSchema()).rules;
    expect(
      report(run(rec, "2026-03-06T23:00:00+01:00", systemic, noRoll), "eu-dora", "initial").deadline,
    ).toBe("2026-03-07T02:00:00+01:00");
  });

  it("DORA: chained reports count from submissions; the final counts from the latest (late) intermediate", () => {
    const rec = record(
      [["eu-dora", "yes"]],
      { aware: "2026-03-09T08:00:00+01:00", classified_major: "2026-03-09T09:00:00+01:00" },
      [
        { regime: "eu-dora", report: "initial", submitted_at: "2026-03-09T11:00:00+01:00" },
        { regime: "eu-dora", report: "intermediate", submitted_at: "2026-03-13T16:00:00+01:00" },
        { regime: "eu-dora", report: "intermediate", submitted_at: "2026-03-18T10:00:00+01:00" },
      ],
    );
    const r = run(rec, "2026-03-19T00:00:00Z");
    expect(deadlines(r)).toEqual([
      ["eu-dora", "initial", "2026-03-09T13:00:00+01:00", "filed_on_time"],
      ["eu-dora", "intermediate", "2026-03-12T11:00:00+01:00", "filed_late"],
      // 18 April 2026 is a Saturday: noon on Monday 20 April (Brussels, summer time).
      ["eu-dora", "final", "2026-04-20T12:00:00+02:00", "due"],
    ]);
  });

  it("GDPR: 72 h through the weekend; a late notification carries its reasons", () => {
    const rec = record([["eu-gdpr", "yes"]], { personal_data_breach_aware: "2026-03-06T19:30:00+01:00" }, [
      {
        regime: "eu-gdpr",
        report: "supervisory_authority",
        submitted_at: "2026-03-10T09:00:00+01:00",
        late_reason: "forensics needed to confirm",
      },
    ]);
    const r = run(rec, "2026-03-11T00:00:00Z");
    expect(report(r, "eu-gdpr", "supervisory_authority")).toMatchObject({
      deadline: "2026-03-09T19:30:00+01:00",
      state: "filed_late",
      lateReason: "forensics needed to confirm",
      withoutUndueDelay: true,
    });
    const documentation = report(r, "eu-gdpr", "documentation");
    expect([documentation.state, documentation.deadline, documentation.basis]).toEqual([
      "due",
      undefined,
      "without undue delay after personal_data_breach_aware",
    ]);
  });

  it("SEC 8-K: four business days in New York, across Thanksgiving, a Friday holiday, a weekend and the DST change", () => {
    const due = (determined: string) =>
      report(
        run(record([["us-sec-8k", "yes"]], { materiality_determined: determined }), determined),
        "us-sec-8k",
        "form_8k",
      ).deadline;
    // Wed 25 (1), Thu 26 Thanksgiving, Fri 27 (2), Mon 30 (3), Tue 1 December (4).
    expect(due("2026-11-24T10:00:00-05:00")).toBe("2026-12-01T17:30:00-05:00");
    // Fri 3 July is the observed Independence Day: Mon 6 (1) ... Thu 9 (4).
    expect(due("2026-07-02T15:00:00-04:00")).toBe("2026-07-09T17:30:00-04:00");
    // A Saturday determination counts from Monday (General Instruction B.1).
    expect(due("2026-11-28T11:00:00-05:00")).toBe("2026-12-04T17:30:00-05:00");
    // Clocks go forward on 8 March 2026 in New York.
    expect(due("2026-03-05T09:00:00-05:00")).toBe("2026-03-11T17:30:00-04:00");
    // A determination late on a New York day in UTC terms is still that New York day.
    expect(due("2026-11-25T03:00:00Z")).toBe("2026-12-01T17:30:00-05:00");
    expect(
      report(
        run(
          record([["us-sec-8k", "yes"]], { materiality_determined: "2026-11-24T10:00:00-05:00" }),
          "2026-11-24T11:00:00-05:00",
        ),
        "us-sec-8k",
        "form_8k",
      ).withoutUndueDelay,
    ).toBe(false);
  });

  it("SEC 8-K/A: four business days after the missing information becomes available", () => {
    const r = run(
      record([["us-sec-8k", "yes"]], {
        materiality_determined: "2026-11-24T10:00:00-05:00",
        information_available: "2026-12-23T12:00:00-05:00",
      }),
      "2026-12-23T13:00:00-05:00",
    );
    // Thu 24 (1), Fri 25 Christmas, Mon 28 (2), Tue 29 (3), Wed 30 (4).
    expect(report(r, "us-sec-8k", "form_8k_amendment").deadline).toBe("2026-12-30T17:30:00-05:00");
  });

  it("CIRCIA (proposed): 72 h after reasonable belief, 24 h after a ransom payment, across the US DST change", () => {
    const r = run(
      record([["us-circia", "yes"]], {
        covered_incident_believed: "2026-03-06T19:30:00-05:00",
        ransom_paid: "2026-03-07T08:00:00-05:00",
      }),
      "2026-03-07T09:00:00-05:00",
    );
    expect(r[0]?.status).toBe("proposed");
    expect(deadlines(r)).toEqual([
      ["us-circia", "covered_incident", "2026-03-09T20:30:00-04:00", "due"],
      ["us-circia", "ransom_payment", "2026-03-08T09:00:00-04:00", "due"],
    ]);
  });

  it("HIPAA: 60 calendar days from discovery; HHS at once for 500 or more, else in the annual log", () => {
    const few = run(
      record([["us-hipaa", "yes", 200]], { breach_discovered: "2026-01-31T10:00:00-05:00" }),
      "2026-02-01T00:00:00Z",
    );
    expect(deadlines(few)).toEqual([
      ["us-hipaa", "individuals", "2026-04-01T23:59:59-04:00", "due"],
      ["us-hipaa", "hhs", undefined, "not_required"],
      ["us-hipaa", "hhs_annual_log", "2027-03-01T23:59:59-05:00", "due"],
    ]);
    const many = run(
      record([["us-hipaa", "yes", 501]], { breach_discovered: "2026-01-31T10:00:00-05:00" }),
      "2026-02-01T00:00:00Z",
    );
    expect(report(many, "us-hipaa", "hhs").deadline).toBe("2026-04-01T23:59:59-04:00");
    expect(report(many, "us-hipaa", "hhs_annual_log").state).toBe("not_required");
    const unknown = run(
      record([["us-hipaa", "yes"]], { breach_discovered: "2026-01-31T10:00:00-05:00" }),
      "2026-02-01T00:00:00Z",
    );
    expect(report(unknown, "us-hipaa", "hhs").state).toBe("due");
  });

  it("CERT-In: 6 h after the incident is noticed", () => {
    const r = run(
      record([["in-cert-in", "yes"]], { aware: "2026-03-06T19:30:00+05:30" }),
      "2026-03-07T02:00:00+05:30",
    );
    expect(report(r, "in-cert-in", "report")).toMatchObject({
      deadline: "2026-03-07T01:30:00+05:30",
      state: "overdue",
      leftMs: -30 * 60_000,
      withoutUndueDelay: false,
    });
  });

  it("SOCI: 12 h and 72 h across the end of summer time in Sydney; the written record 84 h after an oral report; ransom 72 h", () => {
    const aware = { aware: "2026-04-04T20:00:00+11:00", ransom_paid: "2026-04-06T10:00:00+10:00" };
    const r = run(
      record(
        [
          ["au-soci-significant", "yes"],
          ["au-soci-relevant", "yes"],
          ["au-ransomware", "yes"],
        ],
        aware,
        [{ regime: "au-soci-significant", report: "report", submitted_at: "2026-04-05T06:00:00+10:00" }],
      ),
      "2026-04-06T12:00:00+10:00",
    );
    expect(deadlines(r)).toEqual([
      ["au-soci-significant", "report", "2026-04-05T07:00:00+10:00", "filed_on_time"],
      ["au-soci-significant", "written_record", "2026-04-08T18:00:00+10:00", "due"],
      ["au-soci-relevant", "report", "2026-04-07T19:00:00+10:00", "due"],
      ["au-ransomware", "ransom_payment", "2026-04-09T10:00:00+10:00", "due"],
    ]);
  });

  it("UK GDPR and NIS: 72 h, across the UK's spring clock change", () => {
    const r = run(
      record(
        [
          ["uk-gdpr", "yes"],
          ["uk-nis", "yes"],
        ],
        {
          personal_data_breach_aware: "2026-03-27T18:00:00Z",
          aware: "2026-03-27T18:00:00Z",
        },
      ),
      "2026-03-28T00:00:00Z",
    );
    expect(deadlines(r)).toEqual([
      ["uk-gdpr", "ico", "2026-03-30T19:00:00+01:00", "due"],
      ["uk-nis", "notification", "2026-03-30T19:00:00+01:00", "due"],
    ]);
  });

  it("one record fires NIS2, DORA and GDPR at once, each on its own trigger; --at sees only what was known then", () => {
    const rec = record(
      [
        ["eu-nis2", "yes"],
        ["eu-dora", "yes"],
        ["eu-gdpr", "undetermined"],
      ],
      {
        aware: "2026-03-06T19:30:00+01:00",
        classified_major: "2026-03-07T10:00:00+01:00",
        personal_data_breach_aware: "2026-03-08T09:00:00+01:00",
      },
      [{ regime: "eu-nis2", report: "early_warning", submitted_at: "2026-03-07T11:00:00+01:00" }],
    );
    const r = run(rec, "2026-03-08T10:00:00+01:00");
    expect(deadlines(r).filter(([, , d]) => d !== undefined)).toEqual([
      ["eu-nis2", "early_warning", "2026-03-07T19:30:00+01:00", "filed_on_time"],
      ["eu-nis2", "notification", "2026-03-09T19:30:00+01:00", "due"],
      // 14:00 on Saturday moves to Monday noon.
      ["eu-dora", "initial", "2026-03-09T12:00:00+01:00", "due"],
      ["eu-gdpr", "supervisory_authority", "2026-03-11T09:00:00+01:00", "due"],
    ]);
    const before = run(rec, "2026-03-07T10:30:00+01:00");
    expect(report(before, "eu-nis2", "early_warning").state).toBe("due");
    expect(report(before, "eu-gdpr", "supervisory_authority").state).toBe("not_triggered");
  });

  it("an enabled regime the record has not assessed is listed as undetermined once a trigger is recorded", () => {
    const config = configWith({ enabled: ["eu-nis2", "eu-gdpr"] });
    const r = run(
      record([["eu-nis2", "no"]], { aware: "2026-03-06T19:30:00+01:00" }),
      "2026-03-07T00:00:00Z",
      config,
    );
    expect(r.map((o) => [o.regime, o.applies, o.assessed, o.reports.length])).toEqual([
      ["eu-nis2", "no", true, 0],
      ["eu-gdpr", "undetermined", false, 2],
    ]);
    expect(run({ status: "new" }, "2026-03-07T00:00:00Z", config)).toEqual([]);
  });
});

function expectRegulatory(findings: Finding[], code: string, pointer: string): void {
  expect(findings.map((f) => [f.code, f.pointer])).toContainEqual([code, pointer]);
}

describe("checkRegulatoryChange", () => {
  const config = configWith({ enabled: ["eu-nis2", "eu-gdpr"] });
  const base = () =>
    record(
      [
        ["eu-nis2", "yes"],
        ["eu-gdpr", "no"],
      ],
      { aware: "2026-03-06T19:30:00+01:00" },
      [{ regime: "eu-nis2", report: "early_warning", submitted_at: "2026-03-07T11:00:00+01:00" }],
    );
  const at = new Date("2026-03-07T12:00:00+01:00");

  it("closing with an applicable report unfiled is REGULATORY_REPORT_MISSING; a filed set, an unpaid ransom or a report on request is not", () => {
    const before = { ...base(), status: "resolved" };
    const after = { ...base(), status: "closed" };
    const findings = checkRegulatoryChange(before, after, rules, config, at);
    expectRegulatory(findings, "REGULATORY_REPORT_MISSING", "/regulatory/obligations/0");
    expect(
      findings.filter((f) => f.code === "REGULATORY_REPORT_MISSING").map((f) => f.message.split("`")[1]),
    ).toEqual(["notification"]);
    const complete = record(
      [
        ["eu-nis2", "yes"],
        ["eu-gdpr", "no"],
      ],
      { aware: "2026-03-06T19:30:00+01:00", handling_ended: "2026-03-08T00:00:00+01:00" },
      [
        { regime: "eu-nis2", report: "early_warning", submitted_at: "2026-03-07T11:00:00+01:00" },
        { regime: "eu-nis2", report: "notification", submitted_at: "2026-03-08T11:00:00+01:00" },
        { regime: "eu-nis2", report: "final", submitted_at: "2026-03-20T11:00:00+01:00" },
      ],
    );
    const closedLater = new Date("2026-03-21T00:00:00Z");
    expect(
      checkRegulatoryChange(
        { ...complete, status: "resolved" },
        { ...complete, status: "closed" },
        rules,
        config,
        closedLater,
      ),
    ).toEqual([]);
    // The rule can be turned off.
    const off = configWith({ enabled: ["eu-nis2", "eu-gdpr"], close_requires_reports: false });
    expect(checkRegulatoryChange(before, after, rules, off, at)).toEqual([]);
    // Staying closed is not closing.
    expect(checkRegulatoryChange(after, after, rules, config, at)).toEqual([]);
  });

  it("closing with an awareness or decision trigger missing counts the report as missing; a ransom never paid does not", () => {
    const rec = record([["us-circia", "yes"]], {});
    const findings = checkRegulatoryChange(
      { ...rec, status: "resolved" },
      { ...rec, status: "closed" },
      rules,
      defaultConfig,
      at,
    );
    expect(findings.map((f) => [f.code, f.message.split("`")[1]])).toEqual([
      ["REGULATORY_REPORT_MISSING", "covered_incident"],
    ]);
  });

  it("an enabled regime undetermined or unassessed past 72 h after the first trigger is REGULATORY_UNDETERMINED", () => {
    const rec = record([["eu-nis2", "undetermined"]], { aware: "2026-03-06T19:30:00+01:00" });
    const early = new Date("2026-03-09T19:30:00+01:00");
    expect(checkRegulatoryChange(rec, rec, rules, config, early)).toEqual([]);
    const late = new Date("2026-03-09T19:30:01+01:00");
    const findings = checkRegulatoryChange(rec, rec, rules, config, late);
    expectRegulatory(findings, "REGULATORY_UNDETERMINED", "/regulatory/obligations/0/applies");
    expectRegulatory(findings, "REGULATORY_UNDETERMINED", "/regulatory/obligations");
    expect(findings).toHaveLength(2);
    const longer = configWith({ enabled: ["eu-nis2", "eu-gdpr"], undetermined_after: "P5D" });
    expect(checkRegulatoryChange(rec, rec, rules, longer, late)).toEqual([]);
    const never = configWith({ enabled: ["eu-nis2", "eu-gdpr"], undetermined_after: null });
    expect(checkRegulatoryChange(rec, rec, rules, never, late)).toEqual([]);
  });

  it("moving or removing a merged trigger, or changing or removing a merged filing, is REGULATORY_REWRITTEN; appending is fine", () => {
    const before = base();
    const moved = structuredClone(before);
    moved.regulatory.triggers.aware = { at: "2026-03-06T21:00:00+01:00", by: "jlee", evidence: "ticket" };
    const movedFindings = checkRegulatoryChange(before, moved, rules, config, at);
    expectRegulatory(movedFindings, "REGULATORY_REWRITTEN", "/regulatory/triggers/aware/at");
    const removed = structuredClone(before) as { regulatory: { triggers: Record<string, unknown> } };
    delete removed.regulatory.triggers.aware;
    const removedFindings = checkRegulatoryChange(before, removed, rules, config, at);
    expectRegulatory(removedFindings, "REGULATORY_REWRITTEN", "/regulatory/triggers/aware");
    const edited = structuredClone(before);
    (edited.regulatory.filings[0] as Filing).submitted_at = "2026-03-07T09:00:00+01:00";
    const editedFindings = checkRegulatoryChange(before, edited, rules, config, at);
    expectRegulatory(editedFindings, "REGULATORY_REWRITTEN", "/regulatory/filings/0");
    const dropped = structuredClone(before);
    dropped.regulatory.filings = [];
    const droppedFindings = checkRegulatoryChange(before, dropped, rules, config, at);
    expectRegulatory(droppedFindings, "REGULATORY_REWRITTEN", "/regulatory/filings");
    const appended = structuredClone(before);
    appended.regulatory.filings.push({
      regime: "eu-nis2",
      report: "notification",
      submitted_at: "2026-03-07T11:30:00+01:00",
      filed_by: "jlee",
    });
    appended.regulatory.triggers.handling_ended = {
      at: "2026-03-07T11:45:00+01:00",
      by: "jlee",
      evidence: "x",
    };
    expect(checkRegulatoryChange(before, appended, rules, config, at)).toEqual([]);
    // A new file has nothing to rewrite.
    expect(checkRegulatoryChange(undefined, before, rules, config, at)).toEqual([]);
  });
});

describe("reminders", () => {
  it("list regulatory filings due within the window and overdue ones, soonest first, at the top of the digest", async () => {
    const { computeReminders } = await import("../src/reminders/compute.js");
    const { renderDigestMarkdown } = await import("../src/reminders/render.js");
    const inc = {
      id: "INC-2026-0042",
      title: "Export bucket exposed",
      roles: { incident_commander: "jlee" },
      ...record(
        [
          ["eu-nis2", "yes"],
          ["in-cert-in", "yes"],
        ],
        { aware: "2026-03-06T19:30:00+01:00" },
      ),
    } as unknown as import("../src/model/types.js").Incident;
    const digest = (within: number) =>
      computeReminders({
        incidents: [inc],
        problems: [],
        config: defaultConfig,
        now: new Date("2026-03-07T12:00:00+01:00"),
        rules,
        withinMs: within * 3_600_000,
      });
    // CERT-In's 6 h ran out at 06:00 in Kolkata (00:30 UTC); NIS2's early warning is 7.5 h away, its notification 55.5 h.
    expect(digest(6).filings.map((f) => [f.regime, f.report, f.state, f.leftMs / 60_000])).toEqual([
      ["in-cert-in", "report", "overdue", -630],
    ]);
    expect(digest(8).filings.map((f) => f.report)).toEqual(["report", "early_warning"]);
    const text = renderDigestMarkdown(digest(8), { target: "terminal" });
    expect(text.indexOf("### Regulatory filings due (2)")).toBeGreaterThan(0);
    expect(text).toContain(
      "| INC-2026-0042 | India CERT-In | Incident report (report) | 2026-03-07 06:00 +05:30 | OVERDUE by 10h 30m |",
    );
    expect(
      computeReminders({
        incidents: [inc],
        problems: [],
        config: defaultConfig,
        now: new Date("2026-03-07T12:00:00+01:00"),
      }).filings,
    ).toEqual([]);
  });
});
