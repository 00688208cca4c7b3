// The HTML side of the site: an isolated Handlebars environment with HTML escaping on (`{{x}}`
// escapes), strict mode and a few known helpers. Incident text only ever reaches the page through
// Handlebars' escaping or a helper that escapes it; URLs become links only when `safeHref` allows them;
// every page leaves without bidirectional controls. Pure.

import * as HandlebarsNs from "handlebars";
import { UserError } from "../diagnostics/errors.js";
import { withoutBidi } from "../render/escape.js";
import { PROSE_LINK_REL, proseHtml, proseHtmlInline, proseHtmlItem } from "../render/prose.js";
import { type BarChart, renderBarChart } from "./charts.js";

// handlebars is CommonJS: under Node's ESM loader its API is the default export.
const Handlebars = (HandlebarsNs as unknown as { default: typeof HandlebarsNs }).default;

/** The site's templates (name -> source): layout, index, incident, problem, metrics. */
export interface SiteTemplateSet {
  layout: string;
  index: string;
  incident: string;
  problem: string;
  metrics: string;
}

export const SITE_TEMPLATE_NAMES = ["layout", "index", "incident", "problem", "metrics"] as const;

/** A site template that does not compile or refers to a field its model does not have. */
export class SiteRenderError extends UserError {}

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/`/g, "&#96;")
    .replace(/=/g, "&#61;");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a scheme
const IGNORED_IN_URL = /[\u0000-\u0020\u007f-\u009f]/g;

/**
 * The URL as an href when it is `http:`, `https:`, `mailto:` or relative (no scheme, not `//host`,
 * no backslash); undefined otherwise. Whitespace and control characters that browsers drop while
 * reading a scheme (`java\tscript:`) are removed before the check.
 */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  const trimmed = url.trim();
  if (trimmed === "") return undefined;
  const squeezed = trimmed.replace(IGNORED_IN_URL, "");
  if (squeezed.includes("\\")) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(squeezed);
  if (!scheme) {
    if (squeezed.startsWith("//") || squeezed !== trimmed) return undefined;
    return trimmed;
  }
  const proto = (scheme[1] as string).toLowerCase();
  if (!["http", "https", "mailto"].includes(proto) || squeezed !== trimmed) return undefined;
  try {
    const u = new URL(trimmed);
    if (proto !== "mailto" && u.host === "") return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

type SafeString = InstanceType<typeof Handlebars.SafeString>;

const HELPERS = {
  /**
   * `{{link url text}}`: `<a href>` for http(s), mailto and relative URLs; anything else is shown as
   * escaped text. External links get `rel="noopener noreferrer nofollow"`, like prose's links: the
   * URL comes from a record, and the site vouches for none.
   */
  link(url: unknown, text: unknown): SafeString {
    const label = typeof text === "string" && text !== "" ? text : String(url ?? "");
    const href = safeHref(url);
    if (href === undefined) {
      const shown = label === url ? label : `${label} (${String(url)})`;
      return new Handlebars.SafeString(`<span class="unlinked">${escapeHtml(shown)}</span>`);
    }
    const external = /^(https?|mailto):/i.test(href) ? ` rel="${PROSE_LINK_REL}"` : "";
    return new Handlebars.SafeString(`<a href="${escapeHtml(href)}"${external}>${escapeHtml(label)}</a>`);
  },
  /**
   * `{{prose text}}`: a prose field in the Markdown subset as HTML blocks; only `p`, `ul`, `ol`, `li`,
   * `pre`, `code`, `em`, `strong`, `br` and `a` (http, https, mailto; rel noopener noreferrer nofollow).
   */
  prose(value: unknown): SafeString {
    return new Handlebars.SafeString(typeof value === "string" ? proseHtml(value) : "");
  },
  /** `<li>{{proseItem text}}</li>`: the same as a list entry (one paragraph without its `p`). */
  proseItem(value: unknown): SafeString {
    return new Handlebars.SafeString(typeof value === "string" ? proseHtmlItem(value) : "");
  },
  /** `{{proseInline text}}`: the same on one line, for a table cell or inside a line. */
  proseInline(value: unknown): SafeString {
    return new Handlebars.SafeString(typeof value === "string" ? proseHtmlInline(value) : "");
  },
  /** `{{join list ", "}}`: strings, each escaped, joined. */
  join(list: unknown, sep: unknown): SafeString {
    const s = typeof sep === "string" ? sep : ", ";
    return new Handlebars.SafeString(Array.isArray(list) ? list.map(escapeHtml).join(escapeHtml(s)) : "");
  },
  /** `{{#if (eq a b)}}`: strict equality. */
  eq(a: unknown, b: unknown): boolean {
    return a === b;
  },
  /** `{{chart c}}`: an SVG bar chart drawn from data; every label in it is escaped. */
  chart(c: unknown): SafeString {
    return new Handlebars.SafeString(renderBarChart(c as BarChart));
  },
};

const KNOWN_HELPERS = Object.fromEntries(Object.keys(HELPERS).map((k) => [k, true]));

export interface CompiledSite {
  /** Renders the page template `name` with `model`, then wraps it in the layout. */
  page(name: Exclude<keyof SiteTemplateSet, "layout">, model: object, layout: LayoutModel): string;
}

/** What the layout receives besides the page body. */
export interface LayoutModel {
  /** The page title (text). */
  title: string;
  /** The relative path to the site root: `""` or `"../"`. */
  base: string;
  /** Which nav entry is current: `incidents`, `metrics` or empty. */
  current: string;
  /** True on pages that use site.js. */
  script: boolean;
}

/**
 * Compiles the site templates once, in their own Handlebars environment. A page drops the
 * bidirectional embeddings, overrides and isolates Markdown drops (`withoutBidi`), wherever record
 * text landed in it: `<title>`, headings, table cells, attributes (the index's `data-text`), prose,
 * chart labels. They are taken from the finished page because Handlebars' `{{x}}` escaping is one
 * function shared by every environment in the process, and the site's templates write none.
 */
export function compileSite(templates: SiteTemplateSet): CompiledSite {
  const hb = Handlebars.create();
  hb.registerHelper(HELPERS);
  const options = { strict: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true };
  const compiled = {} as Record<keyof SiteTemplateSet, HandlebarsNs.TemplateDelegate>;
  for (const name of SITE_TEMPLATE_NAMES) {
    try {
      compiled[name] = hb.compile(templates[name], options);
    } catch (err) {
      throw new SiteRenderError(`site template ${name}: ${(err as Error).message}`);
    }
  }
  const runtime = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  const run = (name: keyof SiteTemplateSet, model: object): string => {
    try {
      return compiled[name](model, runtime);
    } catch (err) {
      throw new SiteRenderError(`site template ${name}: ${(err as Error).message}`);
    }
  };
  return {
    page(name, model, layout) {
      const body = new Handlebars.SafeString(run(name, model));
      return tidy(withoutBidi(run("layout", { ...layout, body })));
    },
  };
}

/** Drops trailing spaces and runs of blank lines that skipped sections leave behind. */
function tidy(html: string): string {
  return `${html
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
