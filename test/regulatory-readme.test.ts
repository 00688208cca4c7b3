// The README's "Regulatory deadlines" walk-through is real output: the incident block it shows is
// written into a scratch copy of the fixture repository with NIS2 and GDPR enabled, and each
// `incident obligations` command it shows must print exactly what the README says.

import { appendFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, repoRoot, scratchRepo } from "./helpers/cli.js";

const section = readFileSync(join(repoRoot, "docs/regulatory.md"), "utf8");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("README: regulatory deadlines", () => {
  it("shows the real output of incident obligations for the walk-through incident", async () => {
    const record = /<!-- regulatory-sample:record -->\n```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(record).toBeDefined();
    const dir = scratchRepo();
    dirs.push(dir);
    appendFileSync(join(dir, "incident.config.yaml"), "\nregulatory:\n  enabled: [eu-nis2, eu-gdpr]\n");
    appendFileSync(join(dir, "incidents/2026/INC-2026-0002.yaml"), record as string);
    expect((await cli(["validate", "-C", dir, "--no-cache"])).status).toBe(0);
    const samples = [
      ...section.matchAll(
        /```console\n\$ incident obligations (\S+) --at (\S+)\n```\n\n```text\n([\s\S]*?)```/g,
      ),
    ];
    expect(samples).toHaveLength(3);
    for (const [, id, at, expected] of samples) {
      const r = await cli(["obligations", id as string, "-C", dir, "--at", at as string]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(expected);
    }
    const json = JSON.parse(
      (await cli(["obligations", "-C", dir, "--at", "2026-04-14T12:00:00Z", "-f", "json"])).stdout,
    );
    expect(json.incidents.map((i: { id: string }) => i.id)).toEqual(["INC-2026-0002"]);
    expect(json.incidents[0].obligations[0].reports[0]).toMatchObject({
      report: "early_warning",
      state: "due",
      deadline: "2026-04-15T12:00:00+02:00",
    });
    const md = await cli([
      "obligations",
      "INC-2026-0002",
      "-C",
      dir,
      "--at",
      "2026-04-14T12:00:00Z",
      "-f",
      "md",
    ]);
    expect(md.stdout).toContain("| Report | State | Outer limit | Counted as | Filed |");
    expect((await cli(["obligations", "-C", dir, "--at", "yesterday"])).status).toBe(2);
    expect((await cli(["obligations", "INC-2026-9999", "-C", dir])).status).toBe(2);
  });
});
