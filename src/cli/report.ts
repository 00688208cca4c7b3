// Renders diagnostics as text (with a code frame), JSON, or GitHub workflow commands and a job summary.

import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { cell } from "../render/escape.js";
import { markdownTable } from "../render/table.js";

export type Format = "text" | "json" | "github";

export interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

export const noColors: Colors = {
  red: (s) => s,
  yellow: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
  cyan: (s) => s,
};

/**
 * `file:line:column CODE message`, then the offending line with a caret under the column. File names,
 * messages and source lines are shown on one line each, control characters escaped (see `oneLine`).
 */
export function formatText(
  diags: readonly Diagnostic[],
  readText: (file: string) => string | undefined,
  c: Colors = noColors,
): string {
  const lines: string[] = [];
  const cache = new Map<string, string[] | undefined>();
  for (const d of diags) {
    const sev = d.severity === "error" ? c.red(d.code) : c.yellow(d.code);
    const where = noLeadingCommand(oneLine(`${d.file}:${d.line}:${d.column}`));
    lines.push(`${c.bold(where)} ${sev} ${oneLine(d.message)}`);
    if (!cache.has(d.file)) cache.set(d.file, readText(d.file)?.split(/\r?\n/));
    const src = cache.get(d.file)?.[d.line - 1];
    if (src !== undefined && src.length <= 500) {
      const gutter = `${d.line} | `;
      lines.push(c.dim(`  ${gutter}`) + oneLine(src));
      lines.push(`  ${" ".repeat(gutter.length + Math.max(0, d.column - 1))}${c.cyan("^")}`);
    }
  }
  return lines.join("\n");
}

// Text from a hostile file must not reach a terminal as escape sequences: show control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same without CR: for workflow-command data, where CR and LF are percent-escaped instead.
const CONTROL_BUT_BREAKS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const uEscape = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Control characters (C0 but tab and line feed, DEL, C1, line separators, bidi controls) as `\uXXXX`. */
export function safe(text: string): string {
  return text.replace(CONTROL, uEscape);
}

/**
 * One line of text from a file (a message, a file name, a source line), safe for a terminal and for a
 * GitHub Actions log: line feeds are `\u000a` like every other control character, so a value never
 * starts a line of its own, and the runner's legacy command prefix `##[`, which it obeys anywhere in
 * a line, becomes `##\u005b`.
 */
export function oneLine(text: string): string {
  return safe(text).replace(/\n/g, uEscape).replace(/##\[/g, "##\\u005b");
}

/** A line that would start with `::` after blanks (a workflow command to the runner) gets `\u003a`. */
function noLeadingCommand(line: string): string {
  return line.replace(/^(\s*):(?=:)/, "$1\\u003a");
}

export function formatJson(files: number, diags: readonly Diagnostic[]): string {
  const ok = !diags.some((d) => d.severity === "error");
  // C1 and bidi controls inside strings become \uXXXX escapes (JSON.stringify leaves them raw); the
  // text stays valid JSON, since such characters can only occur inside strings. So does `##[` (the
  // runner's legacy command prefix, obeyed anywhere in a line of a GitHub Actions log) as `##\u005b`:
  // JSON's own brackets never follow `##`, and a JSON parser reads the same string back.
  return jsonSafe(
    JSON.stringify(
      {
        ok,
        files,
        diagnostics: diags.map((d) => ({
          code: d.code,
          severity: d.severity,
          message: d.message,
          file: d.file,
          line: d.line,
          column: d.column,
          pointer: d.pointer,
        })),
      },
      null,
      2,
    ),
  );
}

function jsonSafe(text: string): string {
  return safe(text).replace(/##\[/g, "##\\u005b");
}

/** GitHub shows at most 10 annotations of each kind per step; the rest go to the log and summary. */
export const ANNOTATION_LIMIT = 10;

/**
 * Workflow-command data as @actions/core escapes it (`escapeData`); the runner reverses it. Without
 * it a line feed in a message would end the command and start a line the runner obeys.
 */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow-command property (`file=`, `title=`): data escaping plus the separators `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * A log line for the runner that carries file data: the data escaping above plus `##[` as `##%5B`
 * (the runner obeys its legacy `##[command]` form anywhere in a line) and other control characters as
 * `\uXXXX`. Callers start the line with a fixed word or an escaped property, never with a raw value.
 */
function logData(s: string): string {
  return escapeData(s.replace(CONTROL_BUT_BREAKS, uEscape)).replace(/##\[/g, "##%5B");
}

function logProperty(s: string): string {
  return logData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function annotation(kind: "error" | "warning", d: Diagnostic): string {
  // Property order as @actions/core writes it. The file stays the real path (escaped, not rewritten),
  // so the annotation lands on the file; the message loses only its invisible controls.
  const props = [
    `title=${escapeProperty(d.code)}`,
    `file=${escapeProperty(d.file)}`,
    `line=${Math.trunc(d.line)}`,
    `col=${Math.trunc(d.column)}`,
  ].join(",");
  return `::${kind} ${props}::${escapeData(d.message.replace(CONTROL_BUT_BREAKS, uEscape))}`;
}

/**
 * Every line `--format github` prints for these findings: a log line per finding (`file:line:column
 * CODE message`, the file escaped as a property so it holds no `:` and cannot open a command), an
 * annotation for the first 10 of each kind, and a notice counting the rest. Pure, so the escaping is
 * tested on the exact lines the runner reads.
 */
export function githubLines(diags: readonly Diagnostic[]): string[] {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0 };
  for (const d of diags) {
    lines.push(`${logProperty(d.file)}:${d.line}:${d.column} ${d.code} ${logData(d.message)}`);
    if (counts[d.severity]++ >= ANNOTATION_LIMIT) continue;
    lines.push(annotation(d.severity, d));
  }
  const hidden =
    Math.max(0, counts.error - ANNOTATION_LIMIT) + Math.max(0, counts.warning - ANNOTATION_LIMIT);
  if (hidden > 0)
    lines.push(
      `::notice::${hidden} more findings are not annotated (GitHub limit); see the log or the job summary`,
    );
  return lines;
}

/** An error annotation without a position (the check could not run), escaped like the others. */
export function githubError(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message.replace(CONTROL_BUT_BREAKS, uEscape))}`;
}

/** Writes `githubLines` to stdout (where the runner reads workflow commands). */
export function emitGithub(diags: readonly Diagnostic[], write: (s: string) => unknown): void {
  const lines = githubLines(diags);
  if (lines.length > 0) write(`${lines.join("\n")}\n`);
}

/** A Markdown table of findings for $GITHUB_STEP_SUMMARY; all text is escaped. */
export function summaryMarkdown(files: number, diags: readonly Diagnostic[], limit = 500): string {
  const errors = diags.filter((d) => d.severity === "error").length;
  const head = `### incident validate: ${diags.length === 0 ? "no findings" : `${errors} error(s), ${diags.length - errors} warning(s)`} in ${files} file(s)\n`;
  if (diags.length === 0) return head;
  const rows = diags
    .slice(0, limit)
    .map((d) => [cell(d.code), cell(`${d.file}:${d.line}:${d.column}`), cell(d.message)]);
  const more = diags.length > limit ? `\n\n${diags.length - limit} more findings are in the log.` : "";
  return `${head}\n${markdownTable(["Code", "Location", "Message"], rows).join("\n")}${more}\n`;
}
