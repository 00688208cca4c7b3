// `incident stats` counts regulatory reports per regime (on time, late, missing, pending) only when
// some incident records a `regulatory` block; without one every output stays as it was.

import { describe, expect, it } from "vitest";
import { defaultConfig as config } from "../src/config/defaults.js";
import { computeStats } from "../src/metrics/compute.js";
import { formatStats } from "../src/metrics/format.js";
import type { Incident } from "../src/model/types.js";
import { bundledRules, ruleSetSchema } from "../src/regulatory/bundled.js";
import { mergeRules } from "../src/regulatory/rules.js";

const { rules } = mergeRules(bundledRules(), config.regulatory, ruleSetSchema());
const now = new Date("2026-04-22T10:00:00Z");

const base = (id: string, over: Partial<Incident> = {}): Incident => ({
  schema_version: 1,
  id,
  title: id,
  status: "closed",
  timestamps: { detected_at: "2026-04-14T09:00:00Z", resolved_at: "2026-04-20T16:00:00Z" },
  timeline: [],
  ...over,
});

const aware = { at: "2026-04-14T10:00:00Z", by: "lucas", evidence: "SIEM" };
const incidents: Incident[] = [
  base("INC-2026-0301", {
    regulatory: {
      obligations: [
        { regime: "eu-nis2", applies: "yes" },
        { regime: "eu-gdpr", applies: "no" },
      ],
      triggers: { aware },
      filings: [
        // Early warning late (limit 2026-04-15T10:00Z), notification on time; progress and final
        // then run a month from the notification: pending on 2026-04-22.
        {
          regime: "eu-nis2",
          report: "early_warning",
          submitted_at: "2026-04-15T11:00:00Z",
          filed_by: "lucas",
        },
        {
          regime: "eu-nis2",
          report: "notification",
          submitted_at: "2026-04-16T09:30:00Z",
          filed_by: "lucas",
        },
      ],
    },
  }),
  base("INC-2026-0302", {
    regulatory: {
      obligations: [{ regime: "eu-nis2", applies: "yes" }],
      triggers: { aware },
      // Nothing filed: early warning and notification missing; progress and final not started.
    },
  }),
  base("INC-2026-0303"),
];

describe("stats: regulatory reports per regime", () => {
  it("counts reports with an outer limit by outcome", () => {
    const r = computeStats({ incidents, problems: [], config, now, rules });
    expect(r.regulatory).toEqual([
      {
        regime: "eu-nis2",
        name: "EU NIS2",
        incidents: 2,
        reports: 6,
        onTime: 1,
        late: 1,
        missing: 2,
        pending: 2,
      },
    ]);
    expect(formatStats(r, "table")).toContain("Regulatory reports");
    const json = JSON.parse(formatStats(r, "json"));
    expect(json.regulatory).toEqual([
      {
        regime: "eu-nis2",
        name: "EU NIS2",
        incidents: 2,
        reports: 6,
        on_time: 1,
        late: 1,
        missing: 2,
        pending: 2,
      },
    ]);
  });

  it("leaves every output unchanged without regulatory data", () => {
    const plain = [base("INC-2026-0303")];
    const withRules = computeStats({ incidents: plain, problems: [], config, now, rules });
    const without = computeStats({ incidents: plain, problems: [], config, now });
    expect(withRules.regulatory).toBeUndefined();
    for (const f of ["table", "md", "json", "csv"] as const)
      expect(formatStats(withRules, f)).toBe(formatStats(without, f));
  });
});
