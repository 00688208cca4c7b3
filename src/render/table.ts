// Markdown (GFM) tables: the one place that writes the pipes and the delimiter row. Cells come in
// already escaped (each output escapes for its reader: `cell` for GitHub, plain pipes for docs), so
// the layout is shared and the escaping stays with the caller. Pure, no imports.

/** One table line: `| a | b |`. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** The header line and the delimiter line; columns listed in `right` are aligned right (`---:`). */
export function tableHead(headers: readonly string[], right: readonly number[] = []): [string, string] {
  const r = new Set(right);
  return [tableRow(headers), tableRow(headers.map((_, i) => (r.has(i) ? "---:" : "---")))];
}

/** A whole table as lines (no trailing newline): header, delimiter, then one line per row. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string[] {
  return [...tableHead(headers, right), ...rows.map(tableRow)];
}
