// Labels come only from configured severities and states of records the check passed: GitHub
// creates any label a pull request names, so a made-up value must never become one.

import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { labelsFor } from "../src/github/comment.js";

const row = (over: Record<string, unknown>) => ({
  file: "incidents/2026/INC-2026-0001.yaml",
  id: "INC-2026-0001",
  title: "t",
  severity: "SEV2",
  from: "in_progress",
  to: "resolved",
  findings: 0,
  ...over,
});

describe("labels", () => {
  it("labels a valid incident by its configured severity and state", () => {
    expect([...labelsFor([row({})], defaultConfig)].sort()).toEqual(["incident", "sev:2", "status:resolved"]);
  });

  it("never labels from a record with findings, or from values outside the config", () => {
    expect([...labelsFor([row({ findings: 1, to: "anything_goes" })], defaultConfig)]).toEqual([]);
    expect([...labelsFor([row({ to: "pwned", severity: "SEV9" })], defaultConfig)]).toEqual(["incident"]);
    expect([...labelsFor([row({ id: "PRB-2026-0001" })], defaultConfig)]).toEqual([]);
  });
});
