// Escaping for Markdown table cells, shared by postmortems, the job summary and the PR comment, and
// the neutralising of GitHub's autolinks that every escaper applies to record text; the readable
// escapes postmortems use (backslashes where Markdown needs them, no entities), inline code and
// link destinations; the one set of bidirectional controls every output drops. Pure and
// dependency-free, so every output path can use it without a renderer.

const ZWSP = "\u200b";

/**
 * The bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI):
 * one left open in a value reverses or reorders the text after it, past the end of the field (a
 * title's `evil | pipe` shown as `epip | live`). Markdown and the site's pages drop them wherever
 * they write record text. The marks LRM, RLM and ALM stay: they open nothing, so they cannot reach
 * past their field, and right-to-left text needs them.
 */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** The value without bidirectional embeddings, overrides and isolates (see `BIDI`). */
export function withoutBidi(value: string): string {
  return value.replace(BIDI, "");
}

/**
 * Record text with GitHub's autolinks broken by a zero-width space, so a value shows as written but
 * links nowhere and references nothing:
 * - `https://…` (any `scheme://`): the space goes inside `://`;
 * - `www.host`: after `www`;
 * - `GH-123` and `GHSA-…` references: before the hyphen;
 * - commit SHAs (a run of 7 or more hex digits standing alone): a space after every 6 digits, so
 *   no part is long enough to be a short SHA either.
 * A GitHub issue URL (`https://github.com/o/r/issues/1`, which would put a "mentioned this issue"
 * event in that repository) is a URL like any other here. `@mention`, `#123` and `owner/repo#123`
 * are broken by each escaper where it escapes `@` and `#`.
 */
export function neutraliseAutolinks(value: string): string {
  return value
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/(?<![0-9A-Za-z])(www)(?=\.[0-9A-Za-z])/gi, `$1${ZWSP}`)
    .replace(/(?<![0-9A-Za-z])(GH|GHSA)(?=-[0-9A-Za-z])/gi, `$1${ZWSP}`)
    .replace(/(?<![0-9A-Za-z])[0-9A-Fa-f]{7,}(?![0-9A-Za-z])/g, (run) =>
      (run.match(/.{1,6}/g) as string[]).join(ZWSP),
    );
}

/**
 * Text for a Markdown table cell: one line, markup characters as entities (GitHub splits table rows
 * before it reads backslash escapes), `@` and `#` followed by a zero-width space so neither a mention
 * nor a reference survives however the entities are decoded, autolinks neutralised, bidirectional
 * overrides dropped.
 */
export function cell(value: string): string {
  return entities(neutraliseAutolinks(oneLine(value)));
}

function oneLine(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim()
    .replace(BIDI, "");
}

function entities(value: string): string {
  return value.replace(/[\\`*_{}[\]()+!|<>~&@#]/g, (ch) =>
    ch === "@" || ch === "#" ? `&#${ch.charCodeAt(0)};${ZWSP}` : `&#${ch.charCodeAt(0)};`,
  );
}

/**
 * Record text for Markdown, escaped only where Markdown would read it: `\\`, backticks, `*`, `[`,
 * `]`, `<`, `~` and `|` get a backslash, so does `_` unless it sits inside a word (`snake_case` reads
 * as written: GFM makes no emphasis there), `&` only where it would start an entity, and `!` at the
 * end (a link written after it would become an image). `@` and `#` get a zero-width space (no mention,
 * no reference, no heading), autolinks are neutralised unless `inLink` (GitHub makes no autolink
 * inside a link's text), bidirectional overrides are dropped. Line starts are the caller's
 * (`escapeLineStart`): this is for text inside a line, table cells included.
 */
export function escapeText(value: string, inLink = false): string {
  const text = (inLink ? value : neutraliseAutolinks(value)).replace(BIDI, "");
  return text
    .replace(/[\\`*[\]<~|]/g, "\\$&")
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_")
    .replace(/&(?=#?[0-9A-Za-z]+;)/g, "\\&")
    .replace(/!$/, "\\!")
    .replace(/[@#]/g, `$&${ZWSP}`);
}

/**
 * A line of escaped text made safe at the start of a Markdown line: a list marker, a quote, a setext
 * underline, a `#` (no heading already, for its zero-width space, but linters and readers take it for
 * one) or an ordered-list number gets a backslash; leading blanks (indented code) are dropped.
 */
export function escapeLineStart(line: string): string {
  return line
    .replace(/^[ \t]+/, "")
    .replace(/^([-+=>#]|\d{1,9}(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/**
 * A plain value for a postmortem's table cell, readable in the raw Markdown: one line, `escapeText`
 * (so `|` is `\\|`, which GFM reads as a pipe inside a cell, code spans included). `inLink` for a
 * link's text, where GitHub makes no autolink.
 */
export function textCell(value: string, inLink = false): string {
  return escapeText(oneLine(value), inLink);
}

/**
 * Inline code whose fence is longer than any backtick run inside, so it cannot be closed early;
 * bidirectional overrides dropped, as in text.
 */
export function inlineCode(value: string): string {
  const flat = withoutBidi(value).replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.trim() === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A link destination that cannot end the link early: characters with meaning are percent-encoded. */
export function linkDestination(url: string): string {
  return new URL(url).href.replace(
    /[()[\]<>`|\\ "']/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
