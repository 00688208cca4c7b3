// Times the rules cannot compute must not let a pull request past a time rule: a resolution time
// rewritten as `+00` does not keep the reopen window open forever, and a timeline entry or timestamp
// backdated in such a form does not dodge TIMELINE_ORDER or TIMESTAMP_ORDER. Judged in process
// (checkChange, checkIncident) and by `incident check` in real temporary git repositories.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultConfig } from "../src/config/defaults.js";
import { checkChange } from "../src/lifecycle/compare.js";
import { checkIncident } from "../src/validate/semantic.js";
import { cli, repoRoot } from "./helpers/cli.js";

const DAY = 86_400_000;
const NOW = new Date("2026-12-05T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
/** The same instant written with an hour-only offset, which Date.parse cannot read. */
const hourOffset = (z: string) => z.replace(/Z$/, "+00");

const INC2 = "incidents/2026/INC-2026-0002.yaml";
const fixtureText = readFileSync(join(repoRoot, "test/fixtures/repo", INC2), "utf8");

function statusChange(at: string, from: string, to: string, text = "Moved on."): string {
  return `  - at: ${at}\n    type: status_change\n    actor: lucas.moreau\n    from: ${from}\n    to: ${to}\n    text: ${text}\n`;
}
const note = (at: string, text: string) =>
  `  - at: ${at}\n    type: note\n    actor: lucas.moreau\n    text: ${text}\n`;
const append = (text: string, yaml: string) => `${text.trimEnd()}\n${yaml}`;

/** INC-2026-0002 resolved at `timelineAt`, with `timestamps.resolved_at` written as `resolvedAt`. */
function resolved(resolvedAt: string, timelineAt: string): string {
  const text = fixtureText
    .replace("status: in_progress", "status: resolved")
    .replace(
      "  acknowledged_at: 2026-04-14T08:40:00Z\n",
      `  acknowledged_at: 2026-04-14T08:40:00Z\n  mitigated_at: ${timelineAt}\n  resolved_at: ${resolvedAt}\n`,
    )
    .replace("detection:\n", "resolution:\n  code: fixed\n  summary: Blocked the network.\ndetection:\n");
  return append(text, statusChange(timelineAt, "in_progress", "resolved", "Network blocked."));
}
function reopened(base: string, at: string): string {
  return append(
    base.replace("status: resolved", "status: in_progress"),
    statusChange(at, "resolved", "in_progress", "Logins from the network again."),
  );
}

const codesAt = (findings: Array<{ code: string; pointer: string }>) =>
  findings.map((f) => `${f.code} ${f.pointer}`).sort();

describe("checkChange: the reopen window with an uncomputable resolution time", () => {
  const lc = defaultConfig.lifecycle;
  /** The base text: resolved `days` before NOW, `resolved_at` written by `write`. */
  const resolvedAgo = (days: number, write = (z: string) => z) => {
    const z = iso(NOW.getTime() - days * DAY);
    return resolved(write(z), z);
  };
  /** The pull request reopens the base at NOW. */
  const reopen = (base: string) =>
    checkChange(parse(base), parse(reopened(base, iso(NOW.getTime()))), lc, { now: NOW });

  it("reopening 25 days after a resolution written as +00 is refused (TIME_INVALID), as with Z (REOPEN_WINDOW_EXPIRED)", async () => {
    expect(codesAt(reopen(resolvedAgo(25)).findings)).toEqual(["REOPEN_WINDOW_EXPIRED /timeline/4/to"]);
    expect(codesAt(reopen(resolvedAgo(25, hourOffset)).findings)).toEqual([
      "TIME_INVALID /timestamps/resolved_at",
    ]);
  });

  it("the other forms Date.parse cannot compute are refused the same way", async () => {
    for (const write of [
      hourOffset,
      (z: string) => z.replace(/Z$/, "+0000"),
      (z: string) => z.replace("T", " "),
      (z: string) => z.replace(/\d\d:\d\d:\d\dZ$/, "23:59:60Z"),
    ]) {
      const found = codesAt(reopen(resolvedAgo(25, write)).findings);
      expect(found, write("2026-11-10T10:00:00Z")).toEqual(["TIME_INVALID /timestamps/resolved_at"]);
    }
  });

  it("a computable resolution inside the window is no finding, lower-case t and z included", async () => {
    expect(reopen(resolvedAgo(3)).findings).toEqual([]);
    expect(reopen(resolvedAgo(3, (z) => z.toLowerCase())).findings).toEqual([]);
    expect(codesAt(reopen(resolvedAgo(25, (z) => z.toLowerCase())).findings)).toEqual([
      "REOPEN_WINDOW_EXPIRED /timeline/4/to",
    ]);
  });

  it("without a clock, a move whose own time cannot be computed is TIME_INVALID, not judged as timeless", async () => {
    const base = resolvedAgo(3);
    const [before, after] = [parse(base), parse(reopened(base, "2026-12-05T12:00:00+00"))];
    expect(codesAt(checkChange(before, after, lc).findings)).toEqual(["TIME_INVALID /timeline/4/at"]);
  });
});

describe("validate: a backdated timestamp or timeline entry in an uncomputable form", () => {
  const ctx = { config: defaultConfig, file: INC2 };
  const judge = (text: string) => codesAt(checkIncident(parse(text), ctx).findings);

  it("a timeline entry backdated to 2020 is TIMELINE_ORDER with Z and TIME_INVALID with +00", async () => {
    expect(judge(fixtureText)).toEqual([]);
    expect(judge(append(fixtureText, note("2020-01-01T00:00:00Z", "Backdated.")))).toEqual([
      "TIMELINE_ORDER /timeline/3/at",
    ]);
    expect(judge(append(fixtureText, note("2020-01-01T00:00:00+00", "Backdated.")))).toEqual([
      "TIME_INVALID /timeline/3/at",
    ]);
  });

  it("a timestamp moved before its predecessor is TIMESTAMP_ORDER with Z and TIME_INVALID with +00", async () => {
    const back = (value: string) =>
      fixtureText.replace("acknowledged_at: 2026-04-14T08:40:00Z", `acknowledged_at: ${value}`);
    expect(judge(back("2020-01-01T00:00:00Z"))).toEqual(["TIMESTAMP_ORDER /timestamps/acknowledged_at"]);
    expect(judge(back("2020-01-01T00:00:00+00"))).toEqual(["TIME_INVALID /timestamps/acknowledged_at"]);
  });
});

// `incident check` end to end: the base commit is written directly (as if merged before strict
// times), the pull request is the next commit. The check's clock is the real one, so dates are
// relative to now.
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(base: string): { dir: string; commit: (text: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), "incident-check-time-"));
  dirs.push(dir);
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  writeFileSync(join(dir, INC2), base);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "pr");
  return {
    dir,
    commit: (text: string) => {
      writeFileSync(join(dir, INC2), text);
      git("commit", "-qam", "pr");
    },
  };
}

interface Report {
  ok: boolean;
  diagnostics: Array<{ code: string; file: string; line: number; column: number }>;
}
async function check(dir: string): Promise<{ status: number | null; found: string[] }> {
  const r = await cli(["check", "--base", "main", "--head", "pr", "-C", dir, "--format", "json"]);
  const report = JSON.parse(r.stdout) as Report;
  return {
    status: r.status,
    found: report.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`).sort(),
  };
}
const lineOf = (text: string, needle: string, nth = 0) => {
  const hits = text.split("\n").flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  const line = hits.at(nth);
  if (line === undefined) throw new Error(`no line with ${needle}`);
  return line;
};

describe("incident check", () => {
  const daysAgo = (n: number) => iso(Date.now() - n * DAY);

  it("a reopen 25 days after a resolution merged as +00 is refused, even when the pull request repairs resolved_at", async () => {
    const at = daysAgo(25);
    const base = resolved(hourOffset(at), at);
    // The reopen alone: the head still carries the unreadable time.
    const plain = repo(base);
    const head = reopened(base, daysAgo(0));
    plain.commit(head);
    const r1 = await check(plain.dir);
    expect(r1.status).toBe(1);
    const line = lineOf(head, "  resolved_at:");
    expect(r1.found).toContain(`TIME_INVALID ${INC2}:${line}:16`);
    // The reopen that also rewrites resolved_at to a readable recent time: only the base's time
    // can judge the window, and it cannot be computed.
    const repaired = repo(base);
    const head2 = reopened(
      base.replace(`resolved_at: ${hourOffset(at)}`, `resolved_at: ${daysAgo(1)}`),
      daysAgo(0),
    );
    repaired.commit(head2);
    const r2 = await check(repaired.dir);
    expect(r2.status).toBe(1);
    expect(r2.found).toEqual([`TIME_INVALID ${INC2}:${lineOf(head2, "  resolved_at:")}:16`]);
  });

  it("a pull request that rewrites resolved_at as +00 is refused", async () => {
    const at = daysAgo(25);
    const base = resolved(at, at);
    const { dir, commit } = repo(base);
    const head = base.replace(`resolved_at: ${at}`, `resolved_at: ${hourOffset(at)}`);
    commit(head);
    const { status, found } = await check(dir);
    expect(status).toBe(1);
    const line = lineOf(head, "  resolved_at:");
    expect(found).toEqual([`SCHEMA_FORMAT ${INC2}:${line}:16`, `TIME_INVALID ${INC2}:${line}:16`]);
  });

  it("a timeline entry backdated to 2020 as +00 is refused; as 2020-01-01t00:00:00z it is TIMELINE_ORDER", async () => {
    const { dir, commit } = repo(fixtureText);
    const head = append(fixtureText, note("2020-01-01T00:00:00+00", "Backdated."));
    commit(head);
    const r = await check(dir);
    expect(r.status).toBe(1);
    const line = lineOf(head, "2020-01-01T00:00:00+00");
    expect(r.found).toEqual([`SCHEMA_FORMAT ${INC2}:${line}:9`, `TIME_INVALID ${INC2}:${line}:9`]);

    const lower = repo(fixtureText);
    const head2 = append(fixtureText, note("2020-01-01t00:00:00z", "Backdated."));
    lower.commit(head2);
    const r2 = await check(lower.dir);
    expect(r2.status).toBe(1);
    expect(r2.found).toEqual([`TIMELINE_ORDER ${INC2}:${lineOf(head2, "2020-01-01t00:00:00z")}:9`]);
  });

  it("a far-future time (9999-12-31T23:59:59Z) is computed: in order it passes", async () => {
    const { dir, commit } = repo(fixtureText);
    commit(append(fixtureText, note("9999-12-31T23:59:59Z", "Far future.")));
    const r = await check(dir);
    expect(r.found).toEqual([]);
    expect(r.status).toBe(0);
  });
});
