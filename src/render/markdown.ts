// Renders Markdown from Handlebars templates given as strings, in an isolated Handlebars environment
// in strict mode with known helpers only. Nothing is escaped implicitly (`noEscape`): every value goes
// through a helper that escapes it for where it lands (prose, table cell, inline code, link). Pure.

import * as HandlebarsNs from "handlebars";
import { UserError } from "../diagnostics/errors.js";
import { formatDate, formatDuration } from "../lifecycle/time.js";
import { cell, linkTextCell, neutraliseAutolinks } from "./escape.js";

// handlebars is CommonJS: under Node's ESM loader its API is the default export.
const Handlebars = (HandlebarsNs as unknown as { default: typeof HandlebarsNs }).default;

/** The main template and its partials (name -> source), e.g. read from `templates/`. */
export interface TemplateSet {
  main: string;
  partials: Record<string, string>;
}

/** A template that does not compile or refers to a field the model does not have. */
export class RenderError extends UserError {}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;
const ZWSP = "\u200b";

function text(value: unknown, helper: string): string {
  if (value === undefined || value === null)
    throw new RenderError(`helper \`${helper}\` got no value (guard optional fields with {{#if}})`);
  return String(value).replace(CONTROL, "");
}

/**
 * Escapes text for Markdown prose: markup characters are backslash-escaped, HTML becomes entities,
 * `@mention` and `#123` get a zero-width space so GitHub neither notifies nor links, so do URLs,
 * `www.` hosts, `GH-n` and SHA-like hex runs (`neutraliseAutolinks`), and line breaks become spaces
 * (a value is always one paragraph or one list item).
 */
export function escapeMarkdown(value: string): string {
  const flat = neutraliseAutolinks(value.replace(/\s*[\r\n]+\s*/g, " ").trim());
  const escaped = flat
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()!|~]/g, "\\$&")
    .replace(/[@#]/g, `$&${ZWSP}`);
  // Block syntax only matters at the start of a line: list markers, ordered lists, setext/thematic rules.
  return escaped.replace(/^([-+=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/**
 * Escapes text for a table cell: markup becomes an entity. Same rules as `cell` in src/cli/report.ts
 * (kept here so the pure renderer does not depend on the CLI); entities rather than backslashes because
 * GFM splits table rows before it reads escapes.
 */

/** Inline code whose fence is longer than any backtick run inside, so it cannot be closed early. */
export function inlineCode(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.trim() === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A link destination that cannot end the link early: characters with meaning are percent-encoded. */
function linkTarget(url: string): string {
  return new URL(url).href.replace(
    /[()[\]<>`|\\ "']/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  md: (v: unknown) => escapeMarkdown(text(v, "md")),
  cell: (v: unknown) => cell(text(v, "cell")),
  code: (v: unknown) => inlineCode(text(v, "code")),
  /**
   * `{{codeCell v}}`: inline code inside a table cell, for values read by copying (indicators): shown
   * exactly, since GitHub links nothing inside code; `|` escaped because GFM splits rows first.
   */
  codeCell: (v: unknown) =>
    inlineCode(
      text(v, "codeCell")
        .replace(/\s*[\r\n]+\s*/g, " ")
        .trim()
        .replace(/[\u202a-\u202e\u2066-\u2069]/g, ""),
    ).replace(/\|/g, "\\|"),
  /** `{{link view}}`: `[text](url)` for safe (http/https) URLs, the escaped URL as text otherwise. */
  link: (v: unknown) => {
    const view = v as { url?: unknown; text?: unknown; safe?: unknown } | undefined;
    if (!view || typeof view.url !== "string")
      throw new RenderError("helper `link` needs a link ({url, text, safe})");
    const label = linkTextCell(typeof view.text === "string" ? view.text : view.url);
    if (view.safe !== true) return cell(view.url);
    return `[${label}](${linkTarget(view.url)})`;
  },
  /** `{{date iso}}`: an RFC 3339 time in the model's time zone. */
  date: (v: unknown, opts: Handlebars.HelperOptions) =>
    formatDate(text(v, "date"), String((opts.data?.root as { timezone?: string })?.timezone ?? "UTC")),
  /** `{{duration ms}}`: milliseconds as `1h 23m`. */
  duration: (v: unknown) => formatDuration(Number(text(v, "duration"))) ?? "",
  eq: (a: unknown, b: unknown) => a === b,
  /** `{{join list ", "}}`: joins strings, each escaped for prose. */
  join: (list: unknown, sep: unknown) =>
    Array.isArray(list)
      ? list.map((x) => escapeMarkdown(String(x))).join(typeof sep === "string" ? sep : ", ")
      : "",
};

const KNOWN_HELPERS = Object.fromEntries(Object.keys(HELPERS).map((k) => [k, true]));

export interface CompiledTemplates {
  render(model: object): string;
}

/** Compiles a template set once, in its own Handlebars environment. */
export function compileTemplates(templates: TemplateSet): CompiledTemplates {
  const hb = Handlebars.create();
  const options: CompileOptions = {
    strict: true,
    noEscape: true,
    knownHelpers: KNOWN_HELPERS,
    knownHelpersOnly: true,
  };
  hb.registerHelper(HELPERS);
  let main: Handlebars.TemplateDelegate;
  try {
    for (const [name, source] of Object.entries(templates.partials)) {
      hb.registerPartial(name, hb.compile(source, options));
    }
    main = hb.compile(templates.main, options);
  } catch (err) {
    throw new RenderError(`template error: ${(err as Error).message}`);
  }
  return {
    render(model: object): string {
      let out: string;
      try {
        out = main(model, {
          allowProtoPropertiesByDefault: false,
          allowProtoMethodsByDefault: false,
        });
      } catch (err) {
        if (err instanceof RenderError) throw err;
        throw new RenderError(`template error: ${(err as Error).message}`);
      }
      return tidy(out);
    },
  };
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1] & object;

/** Renders one model: `render(templates, model) -> string`. */
export function render(templates: TemplateSet, model: object): string {
  return compileTemplates(templates).render(model);
}

/** Sections that render nothing leave blank lines behind: keep at most one, end with one newline. */
function tidy(markdown: string): string {
  return `${markdown
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
