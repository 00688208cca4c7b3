// Hostile and broken input through the command line (`incident validate`, in-process; a spawned one
// where a regression would block a reader): every case must end quickly with a clear diagnostic at
// the right line and column, exit status 1 (2 for usage errors), and never a crash or a stack trace.

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { validateRepo } from "../src/usecases/validateRepo.js";
import { cli, repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  pointer: string;
}

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  diagnostics: JsonDiagnostic[];
}

/** The file every case writes (it replaces a valid incident that nothing refers to). */
const TARGET = "incidents/2026/INC-2026-0003.yaml";
const fixtureRepo = join(repoRoot, "test/fixtures/repo");
/** A valid incident (13 lines, the first a comment) and a longer one, to build broken files from. */
const valid = readFileSync(join(fixtureRepo, TARGET), "utf8");
const valid2 = readFileSync(join(fixtureRepo, "incidents/2026/INC-2026-0002.yaml"), "utf8");
const VALID_LINES = valid.split("\n").length - 1;
const STACK_LINE = /^ {4}at /m;
/** Each run must end well within this (the vitest timeout is 30 s); the spawn is killed a second later. */
const QUICK_MS = 10_000;

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = scratchRepo();
  cleanup.push(dir);
  return dir;
}

function write(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
}

/**
 * Runs the CLI (in this process; in a child process with `child`, for a case where a regression
 * would block the reader for good) and checks what every case shares: it ended by itself, fast, and
 * without a stack trace.
 */
async function run(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; limitMs?: number; child?: boolean } = {},
): Promise<Omit<Outcome, "diagnostics">> {
  const limit = opts.limitMs ?? QUICK_MS;
  const started = performance.now();
  const r = opts.child
    ? runCli(args, { cwd: opts.cwd, env: opts.env, timeout: limit + 1_000 })
    : await cli(args, { cwd: opts.cwd, env: opts.env });
  const ms = performance.now() - started;
  expect(r.status, `killed after ${Math.round(ms)} ms; stderr: ${r.stderr}`).not.toBeNull();
  expect(ms).toBeLessThan(limit);
  expect(r.stdout).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(/internal error/i);
  return { ...r, ms };
}

/** Validates a scratch repository holding `files` (JSON output) and expects findings (exit 1). */
async function validate(
  files: Record<string, string | Uint8Array>,
  args: string[] = [],
  limitMs = QUICK_MS,
): Promise<Outcome> {
  const dir = scratch();
  write(dir, files);
  const r = await run(["validate", "-C", dir, "--format", "json", "--no-cache", ...args], { limitMs });
  const report = JSON.parse(r.stdout) as { ok: boolean; files: number; diagnostics: JsonDiagnostic[] };
  expect(r.status).toBe(1);
  expect(report.ok).toBe(false);
  return { ...r, diagnostics: report.diagnostics };
}

/** Exactly one diagnostic with this code sits at this place, and its message says something. */
function expectFinding(o: Outcome, code: string, line: number, column: number, file = TARGET): void {
  const all = JSON.stringify(o.diagnostics, null, 2);
  const at = o.diagnostics.filter(
    (d) => d.code === code && d.file === file && d.line === line && d.column === column,
  );
  expect(at, `${code} at ${file}:${line}:${column} in ${all}`).toHaveLength(1);
  expect(at[0]?.severity).toBe("error");
  expect(at[0]?.message.length).toBeGreaterThan(10);
}

/** No codes other than these were reported. */
function expectOnly(o: Outcome, ...codes: string[]): void {
  expect([...new Set(o.diagnostics.map((d) => d.code))].sort()).toEqual([...codes].sort());
}

describe("hostile YAML", () => {
  it("reports malformed YAML (a colon inside a plain value) at the value", async () => {
    const o = await validate({
      [TARGET]: valid.replace(
        "title: Product images load slowly in the storefront",
        "title: Storefront: product images load slowly",
      ),
    });
    expectFinding(o, "YAML_SYNTAX", 4, 8);
    expectOnly(o, "YAML_SYNTAX");
  });

  it("reports a tab used as indentation at the tab", async () => {
    const o = await validate({ [TARGET]: valid.replace("  detected_at:", "\tdetected_at:") });
    expectFinding(o, "YAML_SYNTAX", 7, 1);
    expectOnly(o, "YAML_SYNTAX");
  });

  it("reports duplicate keys at the second occurrence, top level and nested", async () => {
    const text = valid.replace("  declared_at:", "  detected_at: 2026-05-02T07:46:00Z\n  declared_at:");
    const o = await validate({ [TARGET]: `${text}title: A second title\n` });
    expectFinding(o, "YAML_DUPLICATE_KEY", 8, 3);
    expectFinding(o, "YAML_DUPLICATE_KEY", VALID_LINES + 2, 1);
    expectOnly(o, "YAML_DUPLICATE_KEY");
  });

  it("reports anchors and aliases at the & and * tokens", async () => {
    const o = await validate({ [TARGET]: `${valid}x-first: &when 2026-05-02T07:45:00Z\nx-again: *when\n` });
    expectFinding(o, "YAML_ANCHOR", VALID_LINES + 1, 10);
    expectFinding(o, "YAML_ANCHOR", VALID_LINES + 2, 10);
    expectOnly(o, "YAML_ANCHOR");
  });

  it("refuses a billion-laughs file (9 levels of 9 aliases) quickly, without expanding it", async () => {
    const names = "abcdefghi";
    const lines = [`a: &a [${Array(9).fill('"lol"').join(", ")}]`];
    for (let i = 1; i < names.length; i++) {
      const n = names[i] as string;
      const prev = names[i - 1] as string;
      lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const o = await validate({ [TARGET]: `${lines.join("\n")}\n` });
    expectFinding(o, "YAML_ANCHOR", 1, 4);
    expectFinding(o, "YAML_ANCHOR", 2, 4);
    expectFinding(o, "YAML_ANCHOR", 2, 8);
    expectFinding(o, "YAML_ANCHOR", 9, 8);
    expectOnly(o, "YAML_ANCHOR");
    expect(o.diagnostics).toHaveLength(9 + 8 * 9);
    expect(o.stdout.length).toBeLessThan(100_000);
  });

  it("reports a %YAML 1.1 directive at the %", async () => {
    const o = await validate({ [TARGET]: `%YAML 1.1\n---\n${valid}` });
    expectFinding(o, "YAML_DIRECTIVE", 1, 1);
    expectOnly(o, "YAML_DIRECTIVE");
  });

  it("reports a %TAG directive at the %", async () => {
    const o = await validate({ [TARGET]: `# comment\n%TAG !e! tag:example.com,2026:\n---\n${valid}` });
    expectFinding(o, "YAML_DIRECTIVE", 2, 1);
    expectOnly(o, "YAML_DIRECTIVE");
  });

  it("reports an unknown !custom tag at the !", async () => {
    const o = await validate({ [TARGET]: `${valid}x-thing: !custom value\n` });
    expectFinding(o, "YAML_TAG", VALID_LINES + 1, 10);
    expectOnly(o, "YAML_TAG");
  });

  // Regression: the tag was once located at its second `!`.
  it("reports a !!binary tag at its first !", async () => {
    const o = await validate({ [TARGET]: `${valid}x-blob: !!binary aGVsbG8=\n` });
    expectFinding(o, "YAML_TAG", VALID_LINES + 1, 9);
    expectOnly(o, "YAML_TAG");
  });

  it("reports merge keys at the <<, with and without an alias", async () => {
    const o = await validate({
      [TARGET]: `${valid}x-defaults: &defaults\n  tlp: amber\n<<: *defaults\nx-meta:\n  <<: {tlp: red}\n`,
    });
    expectFinding(o, "YAML_MERGE_KEY", VALID_LINES + 3, 1);
    expectFinding(o, "YAML_MERGE_KEY", VALID_LINES + 5, 3);
    expectFinding(o, "YAML_ANCHOR", VALID_LINES + 1, 13);
    expectFinding(o, "YAML_ANCHOR", VALID_LINES + 3, 5);
    expectOnly(o, "YAML_MERGE_KEY", "YAML_ANCHOR");
  });

  it("refuses __proto__, constructor and prototype keys and pollutes nothing", async () => {
    const text =
      `${valid}__proto__:\n  polluted: yes\nx-meta:\n  constructor:\n    prototype:\n      polluted: yes\n` +
      `x-quoted: {"__proto__": {polluted: yes}}\n`;
    const o = await validate({ [TARGET]: text });
    const n = VALID_LINES;
    expectFinding(o, "YAML_UNSAFE_KEY", n + 1, 1);
    expectFinding(o, "YAML_UNSAFE_KEY", n + 4, 3);
    expectFinding(o, "YAML_UNSAFE_KEY", n + 5, 5);
    expectFinding(o, "YAML_UNSAFE_KEY", n + 7, 12);
    expectOnly(o, "YAML_UNSAFE_KEY");
    // Reading the JSON result back must not pollute either.
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // And the same file validated in this process, through both parsers, leaves Object.prototype alone.
    const dir = scratch();
    write(dir, { [TARGET]: text });
    for (const fullParse of [false, true]) {
      const report = await validateRepo({ dir, cache: false, fullParse });
      expect(report.diagnostics.filter((d) => d.code === "YAML_UNSAFE_KEY")).toHaveLength(4);
    }
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.constructor).toBe(Object);
  });

  it("refuses keys that are numbers, booleans, null or collections", async () => {
    const o = await validate({
      [TARGET]: `${valid}x-keys:\n  1: one\n  true: yes\n  null: nothing\n  ? [a, b]\n  : pair\n`,
    });
    const n = VALID_LINES;
    expectFinding(o, "YAML_NON_STRING_KEY", n + 2, 3);
    expectFinding(o, "YAML_NON_STRING_KEY", n + 3, 3);
    expectFinding(o, "YAML_NON_STRING_KEY", n + 4, 3);
    expectFinding(o, "YAML_NON_STRING_KEY", n + 5, 5);
    expectOnly(o, "YAML_NON_STRING_KEY");
  });

  it("reports several documents in one file at the start of the second", async () => {
    const o = await validate({ [TARGET]: `${valid}---\n${valid2}` });
    expectFinding(o, "YAML_MULTIPLE_DOCUMENTS", VALID_LINES + 1, 1);
    expectOnly(o, "YAML_MULTIPLE_DOCUMENTS");
  });

  it("reports an empty file, a comments-only file and a blank file as FILE_EMPTY", async () => {
    const o = await validate({
      [TARGET]: "",
      "incidents/2026/INC-2026-0005.yaml": "# yaml-language-server: $schema=x\n# nothing here yet\n",
      "incidents/2026/INC-2026-0006.yaml": "\n   \n\n",
    });
    expectFinding(o, "FILE_EMPTY", 1, 1);
    expectFinding(o, "FILE_EMPTY", 1, 1, "incidents/2026/INC-2026-0005.yaml");
    expectFinding(o, "FILE_EMPTY", 1, 1, "incidents/2026/INC-2026-0006.yaml");
    expectOnly(o, "FILE_EMPTY");
  });

  it("reports a top-level list or scalar instead of a mapping", async () => {
    const list = valid
      .split("\n")
      .map((l, i) => (i === 0 || l === "" ? l : i === 1 ? `- ${l}` : `  ${l}`))
      .join("\n");
    const o = await validate({
      [TARGET]: list,
      "incidents/2026/INC-2026-0005.yaml": "# note\njust a sentence\n",
    });
    expectFinding(o, "YAML_NOT_MAPPING", 2, 1);
    expectFinding(o, "YAML_NOT_MAPPING", 2, 1, "incidents/2026/INC-2026-0005.yaml");
    expectOnly(o, "YAML_NOT_MAPPING");
  });

  it("refuses 10,000 levels of flow nesting at the first bracket past the limit", async () => {
    const o = await validate({ [TARGET]: `${valid}x-deep: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n` });
    // `x-deep: ` is 8 characters; brackets 1..64 are allowed, the 65th is at column 9 + 64.
    expectFinding(o, "YAML_TOO_DEEP", VALID_LINES + 1, 73);
    expectOnly(o, "YAML_TOO_DEEP");
  });

  it("refuses 10,000 levels of block nesting", async () => {
    // Compact block sequences (`- - - ...`) nest one level per `- `. Block depth is estimated from
    // indentation at up to 4 columns per level (64 levels = 256 columns), so the finding is at column 257.
    const o = await validate({ [TARGET]: `${valid}x-deep:\n${"- ".repeat(10_000)}leaf\n` });
    expectFinding(o, "YAML_TOO_DEEP", VALID_LINES + 2, 257);
    expectOnly(o, "YAML_TOO_DEEP");
  });

  // Regression: the fast path once skipped the depth check.
  it("refuses 65 levels of flow sequences on the default (fast) path too", async () => {
    const o = await validate({ [TARGET]: `${valid}x-deep: ${"[".repeat(65)}${"]".repeat(65)}\n` });
    expectFinding(o, "YAML_TOO_DEEP", VALID_LINES + 1, 73);
    expectOnly(o, "YAML_TOO_DEEP");
  });
});

describe("hostile values", () => {
  // Regression: the priority matrix was once looked up through the prototype chain.
  it("does not look impact x urgency up through Object.prototype", async () => {
    const o = await validate({
      "incidents/2026/INC-2026-0002.yaml": valid2
        .replace("impact: medium", "impact: constructor")
        .replace("urgency: medium", "urgency: name"),
    });
    expectFinding(o, "SCHEMA_ENUM", 11, 9, "incidents/2026/INC-2026-0002.yaml");
    expectFinding(o, "SCHEMA_ENUM", 12, 10, "incidents/2026/INC-2026-0002.yaml");
    expectOnly(o, "SCHEMA_ENUM");
  });

  it("prints no terminal escape sequences from file content in text output", async () => {
    const dir = scratch();
    write(dir, { [TARGET]: `${valid}"\\e]0;pwned\\a\\e[2J\\e[31mred": 1\n` });
    const r = await run(["validate", "-C", dir, "--no-cache"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("SCHEMA_UNKNOWN_PROPERTY");
    expect(r.stdout).toContain(`${TARGET}:${VALID_LINES + 1}:1`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  // Regression: duplicate-key detection was once quadratic in the number of keys.
  // Not a speed test (the benchmark measures speed): the quadratic version took minutes, so the
  // shared no-hang guard of run() catches it with a wide margin.
  it("validates a 1 MiB file with 80,000 keys and one mistake without hanging", async () => {
    const keys = Array.from({ length: 80_000 }, (_, i) => `x-k${i}: 1\n`).join("");
    const text = `${valid}tlp: white\n${keys}`;
    expect(text.length).toBeLessThan(1_048_576);
    const o = await validate({ [TARGET]: text });
    expectFinding(o, "SCHEMA_ENUM", VALID_LINES + 1, 6);
    expectOnly(o, "SCHEMA_ENUM");
  });
});

describe("finding limits", () => {
  it("reports at most 100 findings per file and counts the rest", async () => {
    const keys = Array.from({ length: 150 }, (_, i) => `unknown_${i}: 1\n`).join("");
    const o = await validate({ [TARGET]: `${valid}${keys}` });
    const inFile = o.diagnostics.filter((d) => d.file === TARGET);
    expect(inFile.filter((d) => d.code === "SCHEMA_UNKNOWN_PROPERTY")).toHaveLength(100);
    expectFinding(o, "TOO_MANY_FINDINGS", 1, 1);
    expect(inFile.find((d) => d.code === "TOO_MANY_FINDINGS")?.message).toContain("50 more");
    expectOnly(o, "SCHEMA_UNKNOWN_PROPERTY", "TOO_MANY_FINDINGS");
  });
});

describe("hostile bytes and files", () => {
  it("reports a byte order mark at 1:1 and nothing else", async () => {
    const o = await validate({ [TARGET]: `\uFEFF${valid}` });
    expectFinding(o, "FILE_BOM", 1, 1);
    expectOnly(o, "FILE_BOM");
  });

  it("reports CRLF line endings at the end of the first line", async () => {
    const o = await validate({ [TARGET]: valid.replaceAll("\n", "\r\n") });
    const firstLine = valid.split("\n")[0] as string;
    expectFinding(o, "FILE_CRLF", 1, firstLine.length + 1);
    expectOnly(o, "FILE_CRLF");
  });

  it("reports binary files at the first NUL byte: random bytes, and text with a NUL byte", async () => {
    let seed = 42;
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      random[i] = i % 97 === 0 ? 0 : seed >>> 23;
    }
    const o = await validate({ [TARGET]: random, "incidents/2026/INC-2026-0005.yaml": `${valid}\u0000\n` });
    expectFinding(o, "FILE_NOT_TEXT", 1, 1);
    expectFinding(o, "FILE_NOT_TEXT", VALID_LINES + 1, 1, "incidents/2026/INC-2026-0005.yaml");
    expectOnly(o, "FILE_NOT_TEXT");
  });

  it("reports invalid UTF-8 at the offending byte (a Latin-1 byte, an encoded surrogate, an overlong form)", async () => {
    const latin1 = Buffer.from(valid.replace("slowly", "slowly in Caf\u00e9"), "latin1");
    const surrogate = Buffer.concat([Buffer.from(`${valid}x-note: `), Buffer.from([0xed, 0xa0, 0x80, 0x0a])]);
    const overlong = Buffer.concat([Buffer.from(`${valid}x-note: `), Buffer.from([0xc0, 0xaf, 0x0a])]);
    const o = await validate({
      [TARGET]: latin1,
      "incidents/2026/INC-2026-0005.yaml": surrogate,
      "incidents/2026/INC-2026-0006.yaml": overlong,
    });
    const lines = valid.replace("slowly", "slowly in Caf\u00e9").split("\n");
    const line = lines.findIndex((l) => l.includes("Caf\u00e9"));
    expectFinding(o, "FILE_NOT_TEXT", line + 1, (lines[line] ?? "").indexOf("\u00e9") + 1);
    expectFinding(o, "FILE_NOT_TEXT", VALID_LINES + 1, 9, "incidents/2026/INC-2026-0005.yaml");
    expectFinding(o, "FILE_NOT_TEXT", VALID_LINES + 1, 9, "incidents/2026/INC-2026-0006.yaml");
    expectOnly(o, "FILE_NOT_TEXT");
  });

  it("refuses a 10 MB file without parsing it", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, "x: 1\n");
    const o = await validate({ [TARGET]: big });
    expectFinding(o, "FILE_TOO_LARGE", 1, 1);
    expectOnly(o, "FILE_TOO_LARGE");
  });

  it("refuses symbolic links inside incidents/ without reading their targets", async () => {
    const dir = scratch();
    const outside = mkdtempSync(join(tmpdir(), "incident-outside-"));
    cleanup.push(outside);
    // Targets that would produce other findings if they were read: a duplicate key, and a FIFO that
    // would block any reader forever.
    writeFileSync(join(outside, "secret.yaml"), "a: 1\na: 2\n");
    mkdirSync(join(outside, "more"));
    writeFileSync(join(outside, "more/INC-2027-0001.yaml"), "- not a mapping\n");
    const links: Record<string, string> = {
      "incidents/2026/INC-2026-0099.yaml": join(outside, "secret.yaml"),
      "incidents/2027": join(outside, "more"),
    };
    const fifo = spawnSync("mkfifo", [join(outside, "pipe.yaml")]).status === 0;
    if (fifo) links["incidents/2026/INC-2026-0098.yaml"] = join(outside, "pipe.yaml");
    for (const [rel, target] of Object.entries(links)) symlinkSync(target, join(dir, rel));
    const r = await run(["validate", "-C", dir, "--format", "json", "--no-cache"], { child: true });
    const o = { ...r, diagnostics: (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics };
    expect(o.status).toBe(1);
    for (const rel of Object.keys(links)) {
      expectFinding(o, "FILE_SYMLINK", 1, 1, rel);
      expect(o.diagnostics.find((d) => d.file === rel)?.message).toMatch(/outside the repository/);
    }
    expectOnly(o, "FILE_SYMLINK");
    expect(o.diagnostics).toHaveLength(Object.keys(links).length);
  });

  // Regression: a configured folder that is a link was once followed.
  it("refuses an incidents folder that is a symbolic link to outside the repository", async () => {
    const dir = scratch();
    const outside = mkdtempSync(join(tmpdir(), "incident-outside-"));
    cleanup.push(outside);
    cpSync(join(dir, "incidents"), outside, { recursive: true });
    writeFileSync(join(outside, "2026/INC-2026-0003.yaml"), "a: 1\na: 2\n");
    rmSync(join(dir, "incidents"), { recursive: true });
    symlinkSync(outside, join(dir, "incidents"));
    const r = await run(["validate", "-C", dir, "--format", "json", "--no-cache"]);
    const o = { ...r, diagnostics: (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics };
    expect(o.status).toBe(1);
    expectFinding(o, "FILE_SYMLINK", 1, 1, "incidents");
    expectOnly(o, "FILE_SYMLINK");
  });

  it("refuses a path argument outside the repository", async () => {
    const container = mkdtempSync(join(tmpdir(), "incident-container-"));
    cleanup.push(container);
    const dir = join(container, "repo");
    cpSync(fixtureRepo, dir, { recursive: true });
    writeFileSync(join(container, "elsewhere.yaml"), "a: 1\na: 2\n");
    const r = await run(["validate", "../elsewhere.yaml", "--format", "json", "--no-cache"], { cwd: dir });
    const report = JSON.parse(r.stdout) as { ok: boolean; files: number; diagnostics: JsonDiagnostic[] };
    const o = { ...r, diagnostics: report.diagnostics };
    expect(r.status).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.files).toBe(0);
    expectFinding(o, "PATH_OUTSIDE_REPO", 1, 1, "../elsewhere.yaml");
    expectOnly(o, "PATH_OUTSIDE_REPO");
  });

  it("reports a path argument that does not exist as unreadable", async () => {
    const dir = scratch();
    const r = await run(["validate", "incidents/2026/INC-2026-0404.yaml", "--format", "json", "--no-cache"], {
      cwd: dir,
    });
    const o = { ...r, diagnostics: (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics };
    expect(r.status).toBe(1);
    expectFinding(o, "FILE_UNREADABLE", 1, 1, "incidents/2026/INC-2026-0404.yaml");
    expectOnly(o, "FILE_UNREADABLE");
  });
});

describe("hostile output and usage", () => {
  it("prints GitHub annotations and an escaped Markdown summary for --format github", async () => {
    const dir = scratch();
    const key = '"<img src=x onerror=alert(1)>@everyone"';
    write(dir, { [TARGET]: `${valid}${key}: hi\n` });
    const summary = join(dir, "step-summary.md");
    writeFileSync(summary, "");
    const r = await run(["validate", "-C", dir, "--format", "github", "--no-cache"], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.status).toBe(1);
    const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::error "));
    expect(annotations).toHaveLength(1);
    const props = (annotations[0] ?? "").slice("::error ".length).split("::")[0]?.split(",") ?? [];
    expect(props).toEqual(
      expect.arrayContaining([
        `file=${TARGET}`,
        `line=${VALID_LINES + 1}`,
        "col=1",
        "title=SCHEMA_UNKNOWN_PROPERTY",
      ]),
    );
    const md = readFileSync(summary, "utf8");
    expect(md).toMatch(/^\| Code \| Location \| Message \|$/m);
    expect(md).toContain(
      `| SCHEMA&#95;UNKNOWN&#95;PROPERTY | ${TARGET.replaceAll("_", "&#95;")}:${VALID_LINES + 1}:1 |`,
    );
    expect(md).not.toContain("<img");
    expect(md).not.toContain("@everyone");
    expect(md).toContain("&#60;img src=x onerror=alert&#40;1&#41;&#62;&#64;\u200beveryone");
  });

  it("exits 2 with a message, not a stack trace, for an unknown option", async () => {
    const r = await run(["validate", "--bogus"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--bogus'/);
    expect(r.stdout).toBe("");
  });

  it("exits 2 with a message for an unknown output format", async () => {
    const r = await run(["validate", "--format", "xml"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/xml/);
    expect(r.stderr).toMatch(/text, json, github/);
  });
});
