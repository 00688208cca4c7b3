// Renders Markdown from Handlebars templates given as strings, in an isolated Handlebars environment
// in strict mode with known helpers only. Nothing is escaped implicitly (`noEscape`): every value goes
// through a helper that escapes it for where it lands (text, prose in the Markdown subset, table
// cell, inline code, link). Pure.

import * as HandlebarsNs from "handlebars";
import { UserError } from "../diagnostics/errors.js";
import { formatDate, formatDuration } from "../lifecycle/time.js";
import { escapeLineStart, escapeText, inlineCode, linkDestination, textCell } from "./escape.js";
import { proseMarkdown, proseMarkdownInline, proseMarkdownItem } from "./prose.js";

export { inlineCode };

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

function text(value: unknown, helper: string): string {
  if (value === undefined || value === null)
    throw new RenderError(`helper \`${helper}\` got no value (guard optional fields with {{#if}})`);
  return String(value).replace(CONTROL, "");
}

/**
 * Escapes plain text (a title, a name, a value that is not prose) for one line of Markdown: line
 * breaks become spaces (a value is always one paragraph or one list item), then `escapeText` (markup
 * characters backslash-escaped where Markdown would read them, `@mention` and `#123` broken by a
 * zero-width space, and so are URLs, `www.` hosts, `GH-n` and SHA-like hex runs) and `escapeLineStart`
 * (list markers, quotes, setext and ordered-list numbers).
 */
export function escapeMarkdown(value: string): string {
  return escapeLineStart(escapeText(value.replace(/\s*[\r\n]+\s*/g, " ").trim()));
}

const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  md: (v: unknown) => escapeMarkdown(text(v, "md")),
  /** `{{prose v}}`: prose in the Markdown subset as blocks (paragraphs, lists, code blocks). */
  prose: (v: unknown) => proseMarkdown(text(v, "prose")),
  /** `- {{proseItem v}}`: prose as one list item, its further lines indented into the item. */
  proseItem: (v: unknown) => proseMarkdownItem(text(v, "proseItem")),
  /** `{{proseInline v}}`: prose on one line (inline subset), inside a line of text. */
  proseInline: (v: unknown) => proseMarkdownInline(text(v, "proseInline")),
  /** `{{proseCell v}}`: prose on one line in a table cell (pipes escaped, in code too). */
  proseCell: (v: unknown) => proseMarkdownInline(text(v, "proseCell"), true),
  /** `{{cell v}}`: plain text for a table cell, readable: backslashes only where Markdown needs them. */
  cell: (v: unknown) => textCell(text(v, "cell")),
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
    const label = textCell(typeof view.text === "string" ? view.text : view.url, true);
    if (view.safe !== true) return textCell(view.url);
    return `[${label}](${linkDestination(view.url)})`;
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
