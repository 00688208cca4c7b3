// Shared by the pull-request scenarios (test/check.test.ts in git, test/judge-scenarios.test.ts in
// memory): record snippets, positions in a text, and assertions on reported codes.

import { expect } from "vitest";

interface Reported {
  code: string;
  file: string;
  line: number;
  column: number;
}

/** The diagnostic with this code (and file, line, column when given); fails the test when absent. */
export function expectCode<D extends Reported>(
  report: { diagnostics: D[] },
  code: string,
  file?: string,
  line?: number,
  column?: number,
): D {
  const hit = report.diagnostics.find(
    (d) =>
      d.code === code &&
      (file === undefined || d.file === file) &&
      (line === undefined || d.line === line) &&
      (column === undefined || d.column === column),
  );
  expect(
    hit,
    `${code} at ${file}:${line}:${column} in ${JSON.stringify(report.diagnostics, null, 1)}`,
  ).toBeDefined();
  return hit as D;
}

/** The distinct codes reported for `file` (all files when omitted), sorted. */
export function codes(report: { diagnostics: Reported[] }, file?: string): string[] {
  const found = report.diagnostics.filter((d) => file === undefined || d.file === file).map((d) => d.code);
  return [...new Set(found)].sort();
}

/** A `status_change` timeline entry, as YAML lines to append to a record. */
export function statusChange(at: string, from: string, to: string, text = "Moved on."): string {
  return `  - at: ${at}\n    type: status_change\n    actor: jlee\n    from: ${from}\n    to: ${to}\n    text: ${text}\n`;
}

/** A `note` timeline entry, as YAML lines to append to a record. */
export const note = (at: string, text: string) =>
  `  - at: ${at}\n    type: note\n    actor: jlee\n    text: ${text}\n`;

/**
 * 1-based line and column in `text`: the line is the `nth` line containing `lineNeedle` (-1: the
 * last), the column is where `valueNeedle` starts on it (default: the line's first non-blank).
 */
export function pos(
  text: string,
  lineNeedle: string,
  valueNeedle?: string,
  nth = 0,
): { line: number; column: number } {
  const lines = text.split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(lineNeedle) ? [i] : []));
  const i = hits.at(nth);
  if (i === undefined) throw new Error(`no line with ${lineNeedle}`);
  const l = lines[i] as string;
  const column = valueNeedle === undefined ? l.search(/\S/) + 1 : l.indexOf(valueNeedle) + 1;
  if (column === 0) throw new Error(`no ${valueNeedle} on line ${i + 1}`);
  return { line: i + 1, column };
}

/** A valid incident in state `new`, as `incident new` writes one. */
export function newIncident(id: string, title: string): string {
  return `schema_version: 1
id: ${id}
title: ${title}
status: new
timestamps:
  detected_at: 2026-06-01T09:55:00Z
  declared_at: 2026-06-01T10:00:00Z
timeline:
  - at: 2026-06-01T10:00:00Z
    type: detection
    actor: jlee
    text: Declared.
`;
}
