// Escaping for Markdown table cells, shared by postmortems, the job summary and the PR comment, and
// the neutralising of GitHub's autolinks that every escaper applies to record text.
// Pure and dependency-free, so every output path can use it without loading a renderer.

const ZWSP = "\u200b";

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

/**
 * `cell` for the text of a link the template writes (`[text](url)`): GitHub makes no autolink inside
 * a link's text, so URLs and hex runs there stay as written; mentions and references are still broken.
 */
export function linkTextCell(value: string): string {
  return entities(oneLine(value));
}

function oneLine(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim()
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, "");
}

function entities(value: string): string {
  return value.replace(/[\\`*_{}[\]()+!|<>~&@#]/g, (ch) =>
    ch === "@" || ch === "#" ? `&#${ch.charCodeAt(0)};${ZWSP}` : `&#${ch.charCodeAt(0)};`,
  );
}
