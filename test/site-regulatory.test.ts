// The site's regulatory section: only with `incident site --regulatory`, only on pages of incidents
// within the TLP ceiling; without the flag (the default, and the Pages workflow) nothing regulatory.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runSite } from "../src/cli/render.js";
import { defaultConfig } from "../src/config/defaults.js";
import type { Incident } from "../src/model/types.js";
import { bundledRules, ruleSetSchema } from "../src/regulatory/bundled.js";
import { mergeRules } from "../src/regulatory/rules.js";
import { buildSite, readSiteTemplates } from "../src/site/build.js";
import { scratchRepo } from "./helpers/cli.js";

const { rules } = mergeRules(bundledRules(), defaultConfig.regulatory, ruleSetSchema());

function incident(id: string, tlp: Incident["tlp"]): Incident {
  return {
    schema_version: 1,
    id,
    title: `Account takeovers ${id}`,
    status: "closed",
    tlp,
    timestamps: {
      detected_at: "2026-03-04T09:00:00Z",
      resolved_at: "2026-03-04T12:15:00Z",
      closed_at: "2026-03-06T10:00:00Z",
    },
    timeline: [],
    regulatory: {
      obligations: [{ regime: "eu-nis2", applies: "yes", reason: "Login service of an essential entity" }],
      triggers: { aware: { at: "2026-03-04T10:00:00Z", by: "lucas.moreau", evidence: "SIEM case 8812" } },
      filings: [
        {
          regime: "eu-nis2",
          report: "early_warning",
          submitted_at: "2026-03-05T11:00:00Z",
          reference: "CSIRT-1",
          filed_by: "lucas.moreau",
          late_reason: "Weekend <b>staffing</b>",
        },
      ],
    },
  } as Incident;
}

// The early warning is due 24 hours after awareness; it was filed an hour late.
const DEADLINE = "2026-03-05 10:00 UTC";

describe("site regulatory section (pure)", () => {
  const page = (withRules: boolean) =>
    buildSite(
      {
        incidents: [incident("INC-2026-0300", "clear")],
        problems: [],
        config: defaultConfig,
        rules: withRules ? rules : undefined,
      },
      readSiteTemplates(),
    ).get("incidents/INC-2026-0300.html") ?? "";

  it("with the rules, the page shows each report's deadline, filing and outcome, escaped", () => {
    const html = page(true);
    expect(html).toContain('id="s-regulatory"');
    expect(html).toContain(DEADLINE);
    expect(html).toContain("2026-03-05 11:00 UTC, ref. CSIRT-1");
    expect(html).toContain("late: Weekend &lt;b&gt;staffing&lt;/b&gt;");
    expect(html).not.toContain("<b>");
  });

  it("without them, nothing regulatory", () => {
    const html = page(false);
    expect(html).toContain("Account takeovers");
    for (const text of ["Regulatory", "s-regulatory", "CSIRT", "early_warning", DEADLINE, "staffing"])
      expect(html).not.toContain(text);
  });
});

describe("incident site --regulatory", () => {
  // Two copies of a valid closed fixture incident, with the regulatory block added: one within
  // the ceiling (clear), one above it (red).
  const repo = scratchRepo();
  const base = parse(readFileSync(join(repo, "incidents/2026/INC-2026-0001.yaml"), "utf8"));
  for (const [id, tlp] of [
    ["INC-2026-0300", "clear"],
    ["INC-2026-0301", "red"],
  ] as const)
    writeFileSync(
      join(repo, `incidents/2026/${id}.yaml`),
      stringify({ ...base, id, tlp, regulatory: incident(id, tlp).regulatory }),
    );
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of [repo, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  async function build(regulatory: boolean): Promise<{ code: number; dir: string; said: string }> {
    const dir = mkdtempSync(join(tmpdir(), "incident-site-reg-"));
    dirs.push(dir);
    const said: string[] = [];
    const [out, err] = [process.stdout.write, process.stderr.write];
    process.stdout.write = ((s: string) => said.push(s) > 0) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => said.push(s) > 0) as typeof process.stderr.write;
    try {
      const code = await runSite({ dir: repo, out: dir, maxTlp: "amber", regulatory });
      return { code, dir, said: said.join("") };
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
  }
  const allText = (dir: string) =>
    ["index.html", "metrics.html", ...readdirSync(join(dir, "incidents")).map((f) => `incidents/${f}`)]
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");

  it("shows the deadline on the page of an incident within the ceiling", async () => {
    const { code, dir, said } = await build(true);
    expect(code, said).toBe(0);
    const html = readFileSync(join(dir, "incidents/INC-2026-0300.html"), "utf8");
    expect(html).toContain('id="s-regulatory"');
    expect(html).toContain(DEADLINE);
  });

  it("leaves an incident above the ceiling out of the site entirely", async () => {
    const { dir } = await build(true);
    expect(readdirSync(join(dir, "incidents"))).not.toContain("INC-2026-0301.html");
    expect(allText(dir)).not.toContain("INC-2026-0301");
  });

  it("without the flag, no page carries anything regulatory", async () => {
    const { code, dir, said } = await build(false);
    expect(code, said).toBe(0);
    const text = allText(dir);
    expect(text).toContain("INC-2026-0300");
    for (const t of ["s-regulatory", "Regulatory appendix", "CSIRT-1", DEADLINE])
      expect(text).not.toContain(t);
  });
});
