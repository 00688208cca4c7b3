// Prose fields (summary, narrative, root cause, lessons, action items, timeline entries, ...) in the
// toolkit's Markdown subset. markdown-it reads a value into a small tree that can hold only the
// subset (paragraphs and line breaks, emphasis, inline and block code, lists, links), and the tree is
// written out again: as Markdown for postmortems, as allow-listed HTML for the site. What the tree
// cannot hold never reaches an output: raw HTML, headings, quotes, rules, tables and reference
// definitions stay text, an image becomes a link, a link whose scheme is not http, https or mailto
// loses its target and keeps its text; lists nested deeper than the tree may go stay their text.
// No word of a value is ever left out. Pure.

import MarkdownIt, { type Options, type StateBlock, type Token } from "markdown-it";
import { escapeLineStart, escapeText, inlineCode, linkDestination, withoutBidi } from "./escape.js";

/** Inline content: text, code, emphasis, a link (no `href`: its target was unsafe), breaks. */
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "em" | "strong"; children: Inline[] }
  | { kind: "link"; href?: string; image: boolean; children: Inline[] }
  | { kind: "softbreak" | "hardbreak" };

/**
 * Block content: a paragraph, a code block, a list (each item a list of blocks), or plain text: the
 * source as written, shown with its line breaks and no markup (what lies deeper than `LIST_DEPTH`).
 */
export type Block =
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "code"; text: string; lang: string }
  | { kind: "list"; ordered: boolean; start: number; tight: boolean; items: Block[][] }
  | { kind: "text"; text: string };

/** How many lists deep prose is read as Markdown; the content of the deepest items is plain text. */
export const LIST_DEPTH = 50;

/**
 * Token levels: a list and its item take one each, so the content of an item `LIST_DEPTH` lists deep
 * sits at twice that. Past `maxNesting` markdown-it does not read a block at all: it skips every line
 * to the end of the value (and the preset's 20 did so after 9 levels of lists). `plainDeep` takes
 * over two levels before that bound, so markdown-it never reaches it.
 */
const DEEP_LEVEL = 2 * LIST_DEPTH;
const MAX_NESTING = DEEP_LEVEL + 2;

/**
 * CommonMark without the rules outside the subset. `html: false` leaves tags as text; every link is
 * parsed (`validateLink` accepts all) so that `safeLink` alone decides, and an unsafe one keeps its
 * text instead of showing its Markdown source.
 */
// `maxNesting` is a markdown-it option its type declarations leave out.
const options = { html: false, linkify: false, typographer: false, maxNesting: MAX_NESTING };
const parser = new MarkdownIt("commonmark", options as Options).disable([
  "heading",
  "lheading",
  "blockquote",
  "hr",
  "html_block",
  "html_inline",
  "reference",
]);
parser.validateLink = () => true;
parser.block.ruler.before("table", "plain_deep", plainDeep);

/**
 * The block rule that runs first: at `DEEP_LEVEL` (inside an item `LIST_DEPTH` lists deep) the rest
 * of the item, deeper lists included, becomes one `plain_text` token holding its source lines (the
 * item's indentation taken off); the lines after the item are read as usual by the lists around it.
 */
function plainDeep(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.level < DEEP_LEVEL) return false;
  if (silent) return true;
  let last = startLine + 1;
  for (let line = startLine + 1; line < endLine; line++) {
    if (state.isEmpty(line)) continue;
    if ((state.sCount[line] as number) < state.blkIndent) break;
    last = line + 1;
  }
  // The first line starts after the markers of the items it opens; the others lose the indentation.
  const first = state.src.slice(
    (state.bMarks[startLine] as number) + (state.tShift[startLine] as number),
    state.eMarks[startLine],
  );
  const rest = last > startLine + 1 ? state.getLines(startLine + 1, last, state.blkIndent, false) : "";
  const token = state.push("plain_text", "", 0);
  token.content = rest === "" ? first : `${first}\n${rest}`;
  token.map = [startLine, last];
  state.line = last;
  return true;
}

/**
 * The check that nothing was skipped after all: markdown-it skips the lines of a block nested past
 * `maxNesting` (it leaves `state.line` at the end of the block without reading it). `plainDeep`
 * keeps that from happening; should a later markdown-it nest deeper in a way it does not catch,
 * `parseProse` shows the whole value as plain text rather than lose a line of it.
 */
const readBlockLines = parser.block.tokenize.bind(parser.block);
parser.block.tokenize = (state: StateBlock, startLine: number, endLine: number) => {
  readBlockLines(state, startLine, endLine);
  if (state.level >= MAX_NESTING && state.line >= endLine && state.skipEmptyLines(startLine) < endLine)
    (state.env as ReadEnv).skipped = true;
};

interface ReadEnv {
  skipped?: boolean;
}

/**
 * The link target when it is an absolute `http:`/`https:` URL with a host or a `mailto:` URL, as the
 * WHATWG URL parser writes it; undefined for anything else (`javascript:`, `data:`, `vbscript:`,
 * `//host`, relative paths). markdown-it has decoded entities and percent-encoded the rest already.
 */
export function safeLink(href: string): string | undefined {
  if (!/^(https?:\/\/|mailto:[^\s])/i.test(href)) return undefined;
  try {
    const u = new URL(href);
    if (u.protocol === "mailto:") return u.href;
    if ((u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "") return u.href;
  } catch {
    // not a URL: no link
  }
  return undefined;
}

/** Reads prose into the subset's tree; every word of the value is in it. */
export function parseProse(source: string): Block[] {
  const env: ReadEnv = {};
  const blocks = readBlocks(parser.parse(source, env), 0, "").blocks;
  return env.skipped ? [{ kind: "text", text: source }] : blocks;
}

interface Read {
  blocks: Block[];
  next: number;
  /** A paragraph was hidden: markdown-it's mark of a tight list. */
  hidden: boolean;
}

function readBlocks(tokens: Token[], start: number, closer: string): Read {
  const blocks: Block[] = [];
  let hidden = false;
  let i = start;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (t.type === closer) return { blocks, next: i + 1, hidden };
    if (t.type === "inline") {
      blocks.push({ kind: "paragraph", children: readInline(t.children ?? [], false) });
      if (tokens[i - 1]?.hidden) hidden = true;
      i++;
    } else if (t.type === "plain_text") {
      blocks.push({ kind: "text", text: t.content });
      i++;
    } else if (t.type === "fence" || t.type === "code_block") {
      blocks.push({ kind: "code", text: t.content, lang: t.info.trim().split(/\s+/)[0] ?? "" });
      i++;
    } else if (t.type === "bullet_list_open" || t.type === "ordered_list_open") {
      const close = t.type.replace("_open", "_close");
      const items: Block[][] = [];
      let tight = false;
      i++;
      while (i < tokens.length && tokens[i]?.type === "list_item_open") {
        const item = readBlocks(tokens, i + 1, "list_item_close");
        items.push(item.blocks);
        tight ||= item.hidden;
        i = item.next;
      }
      if (tokens[i]?.type === close) i++;
      const first = Number(t.attrGet("start") ?? 1);
      blocks.push({
        kind: "list",
        ordered: t.type === "ordered_list_open",
        start: Number.isSafeInteger(first) ? first : 1,
        tight: tight || items.every((item) => !item.some((b) => b.kind === "paragraph")),
        items,
      });
    } else {
      // paragraph_open/close, and anything a disabled rule would have made: its text, if any, is
      // read as the inline token that follows.
      i++;
    }
  }
  return { blocks, next: i, hidden };
}

function readInline(tokens: readonly Token[], inLink: boolean): Inline[] {
  const root: Inline[] = [];
  let out = root;
  const stack: Inline[][] = [];
  const open = (node: Inline & { children: Inline[] }) => {
    out.push(node);
    stack.push(out);
    out = node.children;
  };
  let linkDepth = inLink ? 1 : 0;
  for (const t of tokens) {
    switch (t.type) {
      case "text":
      case "text_special":
        if (t.content !== "") out.push({ kind: "text", text: t.content });
        break;
      case "code_inline":
        out.push({ kind: "code", text: t.content });
        break;
      case "softbreak":
      case "hardbreak":
        out.push({ kind: t.type });
        break;
      case "em_open":
        open({ kind: "em", children: [] });
        break;
      case "strong_open":
        open({ kind: "strong", children: [] });
        break;
      case "link_open":
        open({ kind: "link", href: safeLink(t.attrGet("href") ?? ""), image: false, children: [] });
        linkDepth++;
        break;
      case "link_close":
        linkDepth--;
        out = stack.pop() ?? root;
        break;
      case "em_close":
      case "strong_close":
        out = stack.pop() ?? root;
        break;
      case "image": {
        // Never an image: a link to it with its alt text (text only inside another link's text).
        const alt = readInline(t.children ?? [], true);
        const src = t.attrGet("src") ?? "";
        const children = alt.length > 0 ? alt : [{ kind: "text" as const, text: src }];
        if (linkDepth > 0) out.push(...children);
        else out.push({ kind: "link", href: safeLink(src), image: true, children });
        break;
      }
      default:
        if (t.content) out.push({ kind: "text", text: t.content });
    }
  }
  return root;
}

// ---- Markdown ----

/**
 * Languages GitHub draws instead of showing as code (diagrams, maps, models): written as `text`, like
 * a block with no language or a language that is not a plain word, so every block shows as code.
 */
const DRAWN = new Set(["mermaid", "geojson", "topojson", "stl", "math"]);

/** Inline code; in a table cell its pipes escaped too. */
function codeSpan(text: string, inTable: boolean): string {
  return inTable ? inlineCode(text).replace(/\|/g, "\\|") : inlineCode(text);
}

/** Where inline Markdown lands: a block (breaks kept), one line, or one line in a table cell. */
type Place = "block" | "line" | "cell";

function inlineMarkdown(nodes: readonly Inline[], inLink: boolean, place: Place): string {
  let out = "";
  for (const n of nodes) {
    switch (n.kind) {
      case "text":
        out += escapeText(n.text, inLink);
        break;
      case "code":
        out += codeSpan(n.text, place === "cell");
        break;
      case "em":
      case "strong": {
        const inner = inlineMarkdown(n.children, inLink, place);
        const mark = n.kind === "em" ? "*" : "**";
        out += inner === "" ? "" : `${mark}${inner}${mark}`;
        break;
      }
      case "link": {
        const label = inlineMarkdown(n.children, true, place);
        if (n.href === undefined || inLink) out += label;
        else out += `[${label === "" ? escapeText(n.href, true) : label}](${linkDestination(n.href)})`;
        break;
      }
      case "softbreak":
        out += place === "block" ? "\n" : " ";
        break;
      case "hardbreak":
        out += place === "block" ? "\\\n" : " ";
        break;
    }
  }
  return out;
}

function codeBlockMarkdown(text: string, lang: string): string {
  const body = withoutBidi(text).replace(/\n$/, "");
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const info = /^[A-Za-z0-9_+.-]{1,32}$/.test(lang) && !DRAWN.has(lang.toLowerCase()) ? lang : "text";
  return body === "" ? `${fence}${info}\n${fence}` : `${fence}${info}\n${body}\n${fence}`;
}

/** Plain text's paragraphs (split at blank lines), each a list of its lines, trimmed. */
function paragraphsOf(text: string): string[][] {
  const paragraphs: string[][] = [[]];
  for (const line of text.split(/\r\n?|\n/)) {
    const trimmed = line.trim();
    if (trimmed !== "") (paragraphs.at(-1) as string[]).push(trimmed);
    else if ((paragraphs.at(-1) as string[]).length > 0) paragraphs.push([]);
  }
  return paragraphs.filter((p) => p.length > 0);
}

/**
 * Plain text as Markdown: every line escaped like text (markers, `#`, fences and the rest shown as
 * written), its line breaks as hard breaks, blank lines between paragraphs.
 */
function plainMarkdown(text: string): string {
  return paragraphsOf(text)
    .map((lines) => lines.map((l) => escapeLineStart(escapeText(l))).join("\\\n"))
    .join("\n\n");
}

/**
 * Blocks as Markdown. A block that writes nothing (an empty paragraph, say, left by a link that lost
 * its target and had no text) is left out, and so is an empty list item: a line of bare list markers
 * (`- - -`, `* * *`) would be a thematic break and end the list the prose sits in.
 */
function blocksMarkdown(blocks: readonly Block[], tight: boolean): string {
  let out = "";
  let previous: Block | undefined;
  let alternate = false;
  for (const b of blocks) {
    let text: string;
    if (b.kind === "paragraph") {
      text = inlineMarkdown(b.children, false, "block").split("\n").map(escapeLineStart).join("\n");
    } else if (b.kind === "text") {
      text = plainMarkdown(b.text);
    } else if (b.kind === "code") {
      text = codeBlockMarkdown(b.text, b.lang);
    } else {
      // Two lists in a row stay two lists: the second uses the other bullet or delimiter.
      const next: boolean = previous?.kind === "list" && previous.ordered === b.ordered ? !alternate : false;
      text = listMarkdown(b, next);
      if (text !== "") alternate = next;
    }
    if (text.trim() === "") continue;
    if (previous) {
      const joinTight =
        tight &&
        (previous.kind === "paragraph" || previous.kind === "text") &&
        !(b.kind === "list" && b.ordered && b.start !== 1);
      out += joinTight ? "\n" : "\n\n";
    }
    out += text;
    previous = b;
  }
  return out;
}

function listMarkdown(list: Extract<Block, { kind: "list" }>, alternate: boolean): string {
  return list.items
    .map((item) => blocksMarkdown(item, list.tight))
    .filter((body) => body !== "")
    .map((body, i) => {
      const marker = list.ordered ? `${list.start + i}${alternate ? ")" : "."}` : alternate ? "*" : "-";
      const pad = " ".repeat(marker.length + 1);
      const [first, ...rest] = body.split("\n");
      return [`${marker} ${first}`, ...rest.map((l) => (l === "" ? "" : pad + l))].join("\n");
    })
    .join(list.tight ? "\n" : "\n\n");
}

/** Prose as Markdown blocks (paragraphs, lists, code), for a section of its own. */
export function proseMarkdown(source: string): string {
  return blocksMarkdown(parseProse(source), false);
}

/**
 * Prose as the content of a list item written `- {{...}}`: its lines after the first are indented
 * by `indent` so they stay inside the item.
 */
export function proseMarkdownItem(source: string, indent = 2): string {
  const pad = " ".repeat(indent);
  return proseMarkdown(source)
    .split("\n")
    .map((l, i) => (i === 0 || l === "" ? l : pad + l))
    .join("\n");
}

/**
 * Prose on one line, inline subset only (paragraphs and list items joined by spaces and `;`, code
 * blocks as inline code), safe at the start of a line and inside one. `inTable`: for a table cell,
 * where GFM splits the row on every pipe first, so pipes in code are escaped too (GFM shows `\|`
 * there as `|`).
 */
export function proseMarkdownInline(source: string, inTable = false): string {
  return escapeLineStart(
    flatMarkdown(parseProse(source), inTable)
      .replace(/[\r\n]+/g, " ")
      .trim(),
  );
}

function flatMarkdown(blocks: readonly Block[], inTable: boolean): string {
  return blocks
    .map((b) => {
      if (b.kind === "paragraph") return inlineMarkdown(b.children, false, inTable ? "cell" : "line");
      if (b.kind === "text") return escapeText(paragraphsOf(b.text).flat().join(" "));
      if (b.kind === "code") return codeSpan(b.text.replace(/\n$/, ""), inTable);
      return b.items.map((item) => flatMarkdown(item, inTable)).join("; ");
    })
    .join(" ");
}

// ---- HTML ----

/** The rel of every link prose makes: no opener, no referrer, no endorsement. */
export const PROSE_LINK_REL = "noopener noreferrer nofollow";

/**
 * HTML escaping as Handlebars does it on the site's pages, so plain prose reads the same there;
 * bidirectional overrides dropped, as in Markdown.
 */
const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
  "`": "&#x60;",
  "=": "&#x3D;",
};

function escapeHtml(value: string): string {
  return withoutBidi(value).replace(/[&<>"'`=]/g, (ch) => HTML_ESCAPES[ch] as string);
}

function inlineHtml(nodes: readonly Inline[], inLink: boolean, oneLine: boolean): string {
  let out = "";
  for (const n of nodes) {
    switch (n.kind) {
      case "text":
        out += escapeHtml(n.text);
        break;
      case "code":
        out += `<code>${escapeHtml(n.text)}</code>`;
        break;
      case "em":
      case "strong":
        out += `<${n.kind}>${inlineHtml(n.children, inLink, oneLine)}</${n.kind}>`;
        break;
      case "link": {
        const label = inlineHtml(n.children, true, oneLine);
        if (n.href === undefined || inLink) out += label;
        else
          out += `<a href="${escapeHtml(n.href)}" rel="${PROSE_LINK_REL}">${label === "" ? escapeHtml(n.href) : label}</a>`;
        break;
      }
      case "softbreak":
        out += oneLine ? " " : "\n";
        break;
      case "hardbreak":
        out += oneLine ? " " : "<br>\n";
        break;
    }
  }
  return out;
}

function blocksHtml(blocks: readonly Block[], tight: boolean): string {
  return blocks
    .map((b) => {
      if (b.kind === "paragraph") {
        const inner = inlineHtml(b.children, false, false);
        return tight ? inner : `<p>${inner}</p>`;
      }
      if (b.kind === "text") {
        const paragraphs = paragraphsOf(b.text).map((lines) => lines.map(escapeHtml).join("<br>\n"));
        return tight && paragraphs.length === 1
          ? paragraphs[0]
          : paragraphs.map((p) => `<p>${p}</p>`).join("\n");
      }
      if (b.kind === "code") return `<pre><code>${escapeHtml(b.text.replace(/\n$/, ""))}</code></pre>`;
      const items = b.items.map((item) => `<li>${blocksHtml(item, b.tight)}</li>`).join("\n");
      if (!b.ordered) return `<ul>\n${items}\n</ul>`;
      return `<ol${b.start === 1 ? "" : ` start="${b.start}"`}>\n${items}\n</ol>`;
    })
    .join("\n");
}

/** Prose as HTML blocks: `p`, `ul`, `ol`, `li`, `pre`, `code`, `em`, `strong`, `a`, `br` only. */
export function proseHtml(source: string): string {
  return blocksHtml(parseProse(source), false);
}

/**
 * Prose as the content of an `li`: one paragraph without its `p` (like an item of a tight list),
 * several blocks as they are.
 */
export function proseHtmlItem(source: string): string {
  const blocks = parseProse(source);
  return blocksHtml(blocks, blocks.length === 1 && blocks[0]?.kind === "paragraph");
}

/** Prose as inline HTML on one line (for a table cell or a list entry): `code`, `em`, `strong`, `a`. */
export function proseHtmlInline(source: string): string {
  return flatHtml(parseProse(source)).trim();
}

function flatHtml(blocks: readonly Block[]): string {
  return blocks
    .map((b) => {
      if (b.kind === "paragraph") return inlineHtml(b.children, false, true);
      if (b.kind === "text") return escapeHtml(paragraphsOf(b.text).flat().join(" "));
      if (b.kind === "code") return `<code>${escapeHtml(b.text.replace(/\n$/, ""))}</code>`;
      return b.items.map(flatHtml).join("; ");
    })
    .join(" ");
}
