// The regulatory appendix of a postmortem: each obligation's reports with deadline, filing and
// outcome, judged at closing (never at the clock), rendered inert, and absent without a block.

import MarkdownIt from "markdown-it";
import { lint } from "markdownlint/sync";
import { describe, expect, it } from "vitest";
import { readTemplates } from "../src/cli/render.js";
import { defaultConfig } from "../src/config/defaults.js";
import type { Incident } from "../src/model/types.js";
import { bundledRules, ruleSetSchema } from "../src/regulatory/bundled.js";
import { mergeRules } from "../src/regulatory/rules.js";
import { compileTemplates } from "../src/render/markdown.js";
import { buildPostmortemModel, regulatoryAsOf } from "../src/render/model.js";
import { buildSite, readSiteTemplates } from "../src/site/build.js";

const config = defaultConfig;
const { rules } = mergeRules(bundledRules(), config.regulatory, ruleSetSchema());
const compiled = compileTemplates(readTemplates());

function incident(over: Partial<Incident> = {}): Incident {
  return {
    schema_version: 1,
    id: "INC-2026-0200",
    title: "Account takeovers",
    status: "closed",
    timestamps: {
      detected_at: "2026-04-14T09:00:00Z",
      resolved_at: "2026-04-20T16:00:00Z",
      closed_at: "2026-04-22T10:00:00Z",
    },
    timeline: [],
    regulatory: {
      obligations: [
        { regime: "eu-nis2", applies: "yes", reason: "Login service of an essential entity" },
        { regime: "eu-gdpr", applies: "yes", reason: "Order history viewed @alice #12" },
      ],
      triggers: {
        aware: { at: "2026-04-14T10:00:00Z", by: "lucas", evidence: "SIEM case 8812" },
        personal_data_breach_aware: { at: "2026-04-14T15:30:00Z", by: "lucas", evidence: "logs" },
      },
      filings: [
        {
          regime: "eu-nis2",
          report: "early_warning",
          submitted_at: "2026-04-15T11:00:00Z",
          reference: "CSIRT|1",
          filed_by: "lucas",
          late_reason: "Weekend <b>staffing</b>",
        },
        {
          regime: "eu-nis2",
          report: "notification",
          submitted_at: "2026-04-16T09:30:00Z",
          filed_by: "lucas",
        },
      ],
    },
    ...over,
  };
}

describe("postmortem regulatory appendix", () => {
  it("lists every report's deadline, filing and outcome as of closing", () => {
    const model = buildPostmortemModel(incident(), config, [], rules);
    expect(model.regulatory?.asOf).toBe("2026-04-22 10:00 UTC");
    expect(model.regulatory?.asOfBasis).toBe("closed");
    const rows = model.regulatory?.obligations.map((o) => [
      o.regime,
      o.applies,
      o.reports.map((r) => [r.report, r.deadline ?? "-", r.filed ?? "-", r.outcome]),
    ]);
    expect(rows).toEqual([
      [
        "eu-nis2",
        "applies",
        [
          ["early_warning", "2026-04-15 10:00 UTC", "2026-04-15 11:00 UTC", "late"],
          ["notification", "2026-04-17 10:00 UTC", "2026-04-16 09:30 UTC", "on time"],
          ["intermediate", "-", "-", "on request"],
          // No `handling_ended` recorded: the progress report runs beside the final one, both a
          // month after the notification, to the end of the day in Brussels.
          ["progress", "2026-05-16 21:59 UTC", "-", "pending"],
          ["final", "2026-05-16 21:59 UTC", "-", "pending"],
        ],
      ],
      [
        "eu-gdpr",
        "applies",
        [
          ["supervisory_authority", "2026-04-17 15:30 UTC", "-", "missing"],
          ["documentation", "-", "-", "pending"],
        ],
      ],
    ]);
  });

  it("renders inert Markdown that passes markdownlint", () => {
    const md = compiled.render(buildPostmortemModel(incident(), config, [], rules));
    const start = md.indexOf("## Regulatory appendix");
    expect(start).toBeGreaterThan(0);
    expect(md.slice(start)).toMatchSnapshot();
    // Read as GitHub reads it (raw HTML on): the `<b>` of a late reason is text, the `|` of a
    // reference stays in its cell.
    const tokens = new MarkdownIt("default", { html: true })
      .parse(md, {})
      .flatMap((t) => [t, ...(t.children ?? [])]);
    expect(tokens.filter((t) => t.type.startsWith("html_"))).toEqual([]);
    expect(tokens.some((t) => t.type === "text" && t.content.includes("Weekend <b>staffing</b>"))).toBe(true);
    expect(md).not.toContain("CSIRT|1");
    expect(tokens.some((t) => t.type === "text" && t.content.includes("CSIRT|1"))).toBe(true);
    const result = lint({ strings: { pm: md }, config: { default: true, MD013: false, MD034: false } });
    expect(result.pm).toEqual([]);
  });

  it("does not change with the clock: resolved, else the latest recorded time", () => {
    const ts = { detected_at: "2026-04-14T09:00:00Z", resolved_at: "2026-04-20T16:00:00Z" };
    expect(regulatoryAsOf(incident({ timestamps: ts }))).toEqual({
      ms: Date.parse("2026-04-20T16:00:00Z"),
      basis: "resolved",
    });
    const open = incident({ status: "in_progress", timestamps: { detected_at: "2026-04-14T09:00:00Z" } });
    expect(regulatoryAsOf(open)).toEqual({
      ms: Date.parse("2026-04-16T09:30:00Z"),
      basis: "latest recorded time",
    });
  });

  it("is absent without a regulatory block or without rules", () => {
    const { regulatory: _r, ...plain } = incident();
    expect(buildPostmortemModel(plain as Incident, config, [], rules).regulatory).toBeUndefined();
    expect(buildPostmortemModel(incident(), config, []).regulatory).toBeUndefined();
    const md = compiled.render(buildPostmortemModel(plain as Incident, config, [], rules));
    expect(md).not.toContain("Regulatory");
  });
});

describe("the site", () => {
  it("shows no regulatory deadline, filing or reference, whatever the TLP ceiling", () => {
    const files = buildSite(
      { incidents: [incident()], problems: [], config, maxTlp: "red" },
      readSiteTemplates(),
    );
    const page = files.get("incidents/INC-2026-0200.html") ?? "";
    expect(page).toContain("Account takeovers");
    for (const text of ["Regulatory", "CSIRT", "early_warning", "2026-04-15 10:00", "staffing"])
      expect(page).not.toContain(text);
  });
});
