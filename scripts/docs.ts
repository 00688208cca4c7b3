// `npm run docs`: writes the diagnostic code table of docs/diagnostics.md from the registry
// (src/diagnostics/codes.ts), between its markers; test/readme.test.ts fails when they differ.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CODES } from "../src/diagnostics/codes.js";
import { markdownTable } from "../src/render/table.js";
import { repoRoot } from "./root.js";

const START = "<!-- codes:start -->";
const END = "<!-- codes:end -->";

/** The Markdown table of every code, in registry order. */
export function codesTable(): string {
  const rows = Object.entries(CODES).map(([code, info]) => [
    `\`${code}\``,
    info.severity,
    info.summary.replaceAll("|", "\\|"),
  ]);
  return markdownTable(["Code", "Severity", "Meaning"], rows).join("\n");
}

/** `text` with the block between the markers replaced by the table. */
export function withCodesTable(text: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the code table markers ${START} ... ${END} are missing`);
  return `${text.slice(0, start + START.length)}\n${codesTable()}\n${text.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = new URL("docs/diagnostics.md", pathToFileURL(repoRoot(import.meta.url)));
  writeFileSync(file, withCodesTable(readFileSync(file, "utf8")));
  process.stdout.write("wrote docs/diagnostics.md\n");
}
