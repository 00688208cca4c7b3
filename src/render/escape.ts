// Escaping for Markdown table cells, shared by postmortems, the job summary and the PR comment.
// Pure and dependency-free, so every output path can use it without loading a renderer.

const ZWSP = "\u200b";

/**
 * Text for a Markdown table cell: one line, markup characters as entities (GitHub splits table rows
 * before it reads backslash escapes), `@` and `#` followed by a zero-width space so neither a mention
 * nor a reference survives however the entities are decoded, bidirectional overrides dropped.
 */
export function cell(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim()
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[\\`*_{}[\]()+!|<>~&@#]/g, (ch) =>
      ch === "@" || ch === "#" ? `&#${ch.charCodeAt(0)};${ZWSP}` : `&#${ch.charCodeAt(0)};`,
    );
}
