// Renders diagnostics as text (with a code frame), JSON, or GitHub workflow commands and a job summary.

import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { cell } from "../render/escape.js";

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

/** `file:line:column CODE message`, then the offending line with a caret under the column. */
export function formatText(
  diags: readonly Diagnostic[],
  readText: (file: string) => string | undefined,
  c: Colors = noColors,
): string {
  const lines: string[] = [];
  const cache = new Map<string, string[] | undefined>();
  for (const d of diags) {
    const sev = d.severity === "error" ? c.red(d.code) : c.yellow(d.code);
    lines.push(`${c.bold(safe(`${d.file}:${d.line}:${d.column}`))} ${sev} ${safe(d.message)}`);
    if (!cache.has(d.file)) cache.set(d.file, readText(d.file)?.split(/\r?\n/));
    const src = cache.get(d.file)?.[d.line - 1];
    if (src !== undefined && src.length <= 500) {
      const gutter = `${d.line} | `;
      lines.push(c.dim(`  ${gutter}`) + safe(src));
      lines.push(`  ${" ".repeat(gutter.length + Math.max(0, d.column - 1))}${c.cyan("^")}`);
    }
  }
  return lines.join("\n");
}

// Text from a hostile file must not reach a terminal as escape sequences: show control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function safe(text: string): string {
  return text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function formatJson(files: number, diags: readonly Diagnostic[]): string {
  const ok = !diags.some((d) => d.severity === "error");
  // C1 and bidi controls inside strings become \uXXXX escapes (JSON.stringify leaves them raw); the
  // text stays valid JSON, since such characters can only occur inside strings.
  return safe(
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

/** GitHub shows at most 10 annotations of each kind per step; the rest go to the log and summary. */
export const ANNOTATION_LIMIT = 10;

export interface AnnotationSink {
  error(
    message: string,
    props: { title: string; file: string; startLine: number; startColumn: number },
  ): void;
  warning(
    message: string,
    props: { title: string; file: string; startLine: number; startColumn: number },
  ): void;
  notice(message: string): void;
  info(message: string): void;
}

export function emitGithub(diags: readonly Diagnostic[], sink: AnnotationSink): void {
  const counts = { error: 0, warning: 0 };
  for (const d of diags) {
    sink.info(safe(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`));
    if (counts[d.severity]++ >= ANNOTATION_LIMIT) continue;
    sink[d.severity](d.message, { title: d.code, file: d.file, startLine: d.line, startColumn: d.column });
  }
  const hidden =
    Math.max(0, counts.error - ANNOTATION_LIMIT) + Math.max(0, counts.warning - ANNOTATION_LIMIT);
  if (hidden > 0)
    sink.notice(`${hidden} more findings are not annotated (GitHub limit); see the log or the job summary`);
}

/** A Markdown table of findings for $GITHUB_STEP_SUMMARY; all text is escaped. */
export function summaryMarkdown(files: number, diags: readonly Diagnostic[], limit = 500): string {
  const errors = diags.filter((d) => d.severity === "error").length;
  const head = `### incident validate: ${diags.length === 0 ? "no findings" : `${errors} error(s), ${diags.length - errors} warning(s)`} in ${files} file(s)\n`;
  if (diags.length === 0) return head;
  const rows = diags
    .slice(0, limit)
    .map((d) => `| ${cell(d.code)} | ${cell(`${d.file}:${d.line}:${d.column}`)} | ${cell(d.message)} |`);
  const more = diags.length > limit ? `\n\n${diags.length - limit} more findings are in the log.` : "";
  return `${head}\n| Code | Location | Message |\n| --- | --- | --- |\n${rows.join("\n")}${more}\n`;
}
