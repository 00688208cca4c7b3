// One exit-status table for every command (README, "Commands"): the same mistake gets the same
// status whichever command meets it, because cli/exit.ts alone decides.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exitStatus } from "../src/cli/exit.js";
import { InternalError, UsageError, UserError } from "../src/diagnostics/errors.js";
import { GitError } from "../src/io/git.js";
import { TimeError } from "../src/lifecycle/time.js";
import { repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

const OPEN = "INC-2026-0002";

describe("exit status", () => {
  it("the README documents the one table", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const table = readme.slice(
      readme.indexOf("<!-- exit-status:start -->"),
      readme.indexOf("<!-- exit-status:end -->"),
    );
    expect([...table.matchAll(/^\| `(\d)` \|/gm)].map((m) => m[1])).toEqual(["0", "1", "2"]);
  });

  it("each kind of error knows its status", () => {
    const quiet = () => undefined;
    expect(exitStatus(new UserError("refused"), quiet)).toBe(1);
    expect(exitStatus(new UsageError("bad flag"), quiet)).toBe(2);
    expect(exitStatus(new TimeError("bad time"), quiet)).toBe(2);
    expect(exitStatus(new GitError("bad revision"), quiet)).toBe(2);
    expect(exitStatus(Object.assign(new Error("no such file"), { code: "ENOENT" }), quiet)).toBe(1);
    let said = "";
    expect(exitStatus(new InternalError("cannot happen"), (t) => (said += t))).toBe(2);
    expect(said).toMatch(/internal error: cannot happen/);
    expect(said).toMatch(/please report it at https:\/\//);
  });

  it("the same mistake gets the same status from every command that meets it", () => {
    const dir = scratchRepo();
    const cases: Array<[string[], number]> = [
      [["validate", "-C", dir], 0],
      [["log", OPEN, "x", "--at", "garbage", "-C", dir], 2],
      [["stats", "--since", "garbage", "-C", dir], 2],
      [["list", "--since", "garbage", "-C", dir], 2],
      [["remind", "--now", "garbage", "-C", dir], 2],
      [["check", "--base", "no-such-branch", "--head", "HEAD", "-C", dir], 2],
      [["validate", "--no-such-flag", "-C", dir], 2],
      [["validate", "-C", join(dir, "missing")], 2],
      [["set", OPEN, "severity=SEV9", "-C", dir], 1],
    ];
    for (const [args, status] of cases) {
      const r = runCli(args);
      expect(r.status, `incident ${args.join(" ")}: ${r.stderr}`).toBe(status);
      expect(r.stderr, "no stack trace").not.toMatch(/^\s+at /m);
    }
  });
});
