// Output escaping against workflow-command injection: in `--format github` no value from a file (a
// message with record keys or values, a file name from the pull request) can start a line the
// GitHub Actions runner obeys, and every value reads back exactly once unescaped; `text` shows line
// breaks and other controls as escapes; `json` round-trips. The runner model below follows its
// parser: a line is a command when it starts with `::` after leading blanks, or (legacy form) when
// it contains `##[` anywhere.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { touchedTable } from "../src/cli/check.js";
import {
  escapeData,
  escapeProperty,
  formatJson,
  formatText,
  githubError,
  githubLines,
  oneLine,
  summaryMarkdown,
} from "../src/cli/report.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { cli, scratchRepo } from "./helpers/cli.js";

const HOSTILE = [
  "\n::warning::x",
  "%0A",
  "\r::error::cr",
  "\n::stop-commands::tok",
  "\n::add-mask::secret",
  "\n  ::add-mask::indented",
  "\r\n::notice::crlf",
  " ##[add-mask]legacy",
  "a,b:c=d%25",
].join("");

function diag(over: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: "SCHEMA_UNKNOWN_PROPERTY",
    severity: "error",
    message: `unknown field \`${HOSTILE}\``,
    file: `incidents/2026/${HOSTILE}.yaml`,
    line: 3,
    column: 5,
    pointer: "/x",
    ...over,
  } as Diagnostic;
}

/** The runner reads its output line by line, splitting at CR, LF and CRLF. */
const runnerLines = (out: string) => out.split(/\r\n|\r|\n/);

/** What the runner would treat as a command: `::name ...::data` after blanks, or `##[` anywhere. */
function commandOf(line: string): { name: string; props: string; data: string } | undefined {
  const t = line.trimStart();
  if (t.startsWith("::")) {
    const end = t.indexOf("::", 2);
    if (end < 0) return undefined;
    const info = t.slice(2, end);
    const sp = info.indexOf(" ");
    return {
      name: sp < 0 ? info : info.slice(0, sp),
      props: sp < 0 ? "" : info.slice(sp + 1),
      data: t.slice(end + 2),
    };
  }
  if (line.includes("##[")) return { name: "legacy", props: "", data: line };
  return undefined;
}

// The runner's unescaping, one pass left to right (a `%25` never becomes the start of another escape).
const unescapeData = (s: string) =>
  s.replace(/%(25|0D|0A)/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
const unescapeProperty = (s: string) =>
  s.replace(/%(25|0D|0A|3A|2C)/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
// Log lines also carry `##[` as `##%5B`.
const unescapeLog = (s: string) =>
  s.replace(/%(25|0D|0A|3A|2C|5B)/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

function props(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of s.split(",")) {
    const i = p.indexOf("=");
    out[p.slice(0, i)] = unescapeProperty(p.slice(i + 1));
  }
  return out;
}

describe("github format", () => {
  it("escapes data and properties as @actions/core does", async () => {
    expect(escapeData("50%\r\n")).toBe("50%25%0D%0A");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });

  it("prints no command but its own annotations, and each value reads back exactly", async () => {
    const diags = [diag(), diag({ severity: "warning", code: "UNKNOWN_SERVICE" })];
    const out = `${githubLines(diags).join("\n")}\n`;
    const lines = runnerLines(out).filter((l) => l !== "");
    // Two findings: a log line and an annotation each, nothing else.
    expect(lines).toHaveLength(4);
    const commands = lines.map(commandOf).filter((c) => c !== undefined);
    expect(commands.map((c) => c.name)).toEqual(["error", "warning"]);
    for (const [i, c] of commands.entries()) {
      const d = diags[i] as Diagnostic;
      expect(unescapeData(c.data)).toBe(d.message);
      expect(props(c.props)).toEqual({ title: d.code, file: d.file, line: "3", col: "5" });
    }
    // The log lines: `file:line:column CODE message`, read back with the documented escapes.
    const log = lines.filter((l) => commandOf(l) === undefined);
    expect(log).toHaveLength(2);
    for (const l of log) {
      const m = /^([^:]*):3:5 ([A-Z_]+) (.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(unescapeLog(m?.[1] ?? "")).toBe(diag().file);
      expect(unescapeLog(m?.[3] ?? "")).toBe(diag().message);
    }
  });

  it("counts findings over the annotation limit in a notice and still escapes their log lines", async () => {
    const diags = Array.from({ length: 12 }, () => diag());
    const lines = runnerLines(githubLines(diags).join("\n"));
    const names = lines.map(commandOf).flatMap((c) => (c ? [c.name] : []));
    expect(names.filter((n) => n === "error")).toHaveLength(10);
    expect(names.at(-1)).toBe("notice");
    expect(names.every((n) => n === "error" || n === "notice")).toBe(true);
    expect(lines).toHaveLength(12 + 10 + 1);
  });

  it("escapes the annotation of a check that cannot run", async () => {
    const lines = runnerLines(githubError("BASE_UNRESOLVED", `cannot resolve \`${HOSTILE}\``));
    expect(lines).toHaveLength(1);
    const c = commandOf(lines[0] as string);
    expect(c?.name).toBe("error");
    expect(unescapeData(c?.data ?? "")).toBe(`cannot resolve \`${HOSTILE}\``);
  });

  it("keeps other control characters and bidi overrides out of annotations and log lines", async () => {
    const out = githubLines([diag({ message: "a\u001b[2Jb\u202ec\u2028d\u0085e" })]).join("\n");
    for (const ch of ["\u001b", "\u202e", "\u2028", "\u0085"]) expect(out).not.toContain(ch);
    expect(out).toContain("\\u001b");
  });

  it("gives the job summary no line a value starts", async () => {
    const md =
      summaryMarkdown(1, [diag()]) +
      touchedTable([
        {
          file: HOSTILE,
          id: HOSTILE,
          title: HOSTILE,
          severity: HOSTILE,
          from: HOSTILE,
          to: HOSTILE,
          findings: 1,
        },
      ]);
    for (const l of runnerLines(md)) {
      expect(l.trimStart().startsWith("::"), l).toBe(false);
      expect(l).not.toContain("##[");
    }
  });
});

describe("text format", () => {
  it("shows line breaks and controls as escapes, one line per finding", async () => {
    const out = formatText([diag()], () => undefined);
    expect(runnerLines(out)).toHaveLength(1);
    expect(out).toContain("\\u000a::warning::x");
    expect(out).toContain("\\u000d");
    expect(out).not.toContain("##[");
    expect(runnerLines(out).every((l) => commandOf(l) === undefined)).toBe(true);
  });

  it("escapes a file name that would start a command line and a hostile source line", async () => {
    const d = diag({ file: "::add-mask::x.yaml", message: "m", line: 1, column: 1 });
    const out = formatText([d], () => "title: '##[add-mask]y'\n");
    expect(runnerLines(out)).toHaveLength(3);
    expect(runnerLines(out).every((l) => commandOf(l) === undefined)).toBe(true);
    expect(out.startsWith("\\u003a:add-mask::x.yaml:1:1")).toBe(true);
  });

  it("oneLine escapes C0 but tab, DEL, C1, separators and bidi controls", async () => {
    expect(oneLine("a\tb\nc\u007fd\u0085e\u2029f\u2066g")).toBe(
      "a\tb\\u000ac\\u007fd\\u0085e\\u2029f\\u2066g",
    );
  });
});

describe("json format", () => {
  it("stays valid JSON that reads back exactly, with no command prefix in its text", async () => {
    const d = diag();
    const out = formatJson(1, [d]);
    expect(out).not.toContain("##[");
    expect(runnerLines(out).every((l) => commandOf(l) === undefined)).toBe(true);
    const parsed = JSON.parse(out) as { diagnostics: Diagnostic[] };
    expect(parsed.diagnostics[0]?.message).toBe(d.message);
    expect(parsed.diagnostics[0]?.file).toBe(d.file);
  });
});

describe("through the CLI", () => {
  // A record key with an escaped line break: the unknown-field message embeds it.
  const KEY = "zz\\n::warning::pwned %0A \\r\\n::add-mask::tok ##[add-mask]zz";
  const VALUE = "zz\n::warning::pwned %0A \r\n::add-mask::tok ##[add-mask]zz";

  function hostileRepo(): string {
    const dir = scratchRepo();
    const f = join(dir, "incidents/2026/INC-2026-0001.yaml");
    writeFileSync(f, `${readFileSync(f, "utf8")}"${KEY}": 1\n`);
    return dir;
  }

  it("validate --format github prints one finding as two runner lines, the key read back", async () => {
    const dir = hostileRepo();
    const summary = join(mkdtempSync(join(tmpdir(), "incident-summary-")), "summary.md");
    writeFileSync(summary, "");
    try {
      const r = await cli(["validate", "-C", dir, "--format", "github", "--no-cache"], {
        env: { GITHUB_STEP_SUMMARY: summary },
      });
      expect(r.status).toBe(1);
      const lines = runnerLines(r.stdout).filter((l) => l !== "");
      expect(lines).toHaveLength(2);
      const cmds = lines.map(commandOf).filter((c) => c !== undefined);
      expect(cmds.map((c) => c.name)).toEqual(["error"]);
      expect(props(cmds[0]?.props ?? "").title).toBe("SCHEMA_UNKNOWN_PROPERTY");
      expect(unescapeData(cmds[0]?.data ?? "")).toContain(VALUE);
      for (const l of runnerLines(r.stderr)) expect(commandOf(l)).toBeUndefined();
      for (const l of runnerLines(readFileSync(summary, "utf8"))) {
        expect(l.trimStart().startsWith("::"), l).toBe(false);
        expect(l).not.toContain("##[");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(summary, { force: true });
    }
  });

  it("validate in text shows the key's line break as an escape", async () => {
    const dir = hostileRepo();
    try {
      const r = await cli(["validate", "-C", dir, "--no-cache"]);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("zz\\u000a::warning::pwned");
      for (const l of runnerLines(r.stdout)) expect(commandOf(l)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("check --format github escapes a key a pull request adds, and its summary", async () => {
    const dir = scratchRepo();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: dir,
        encoding: "utf8",
      });
    const summary = join(dir, "summary.md");
    try {
      git("init", "-q", "-b", "main");
      git("add", "-A");
      git("commit", "-qm", "base");
      git("checkout", "-qb", "pr");
      const f = join(dir, "incidents/2026/INC-2026-0001.yaml");
      writeFileSync(f, `${readFileSync(f, "utf8")}"${KEY}": 1\n`);
      git("commit", "-qam", "pr");
      writeFileSync(summary, "");
      const r = await cli(["check", "--base", "main", "--head", "pr", "-C", dir, "--format", "github"], {
        env: { GITHUB_STEP_SUMMARY: summary, GITHUB_TOKEN: "", INCIDENT_GITHUB_TOKEN: "" },
      });
      expect(r.status, r.stderr).toBe(1);
      const lines = runnerLines(r.stdout).filter((l) => l !== "");
      const cmds = lines.map(commandOf).filter((c) => c !== undefined);
      expect(cmds.length).toBeGreaterThan(0);
      expect(cmds.every((c) => c.name === "error" || c.name === "warning" || c.name === "notice")).toBe(true);
      expect(cmds.some((c) => unescapeData(c.data).includes(VALUE))).toBe(true);
      for (const l of runnerLines(r.stderr)) expect(commandOf(l)).toBeUndefined();
      for (const l of runnerLines(readFileSync(summary, "utf8"))) {
        expect(l.trimStart().startsWith("::"), l).toBe(false);
        expect(l).not.toContain("##[");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
