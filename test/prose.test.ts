// Prose in the Markdown subset: what each construct becomes in a postmortem (Markdown) and on the site
// (HTML), and properties over hostile prose: in Markdown no new heading, no table break-out, no raw
// HTML, no image and no link but http, https and mailto, in a section, a list item or a table cell;
// in HTML no element or attribute outside the allow-list. In-process, fixed seeds.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import MarkdownIt, { type Options } from "markdown-it";
import { type DefaultTreeAdapterMap, parseFragment } from "parse5";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultConfig } from "../src/config/defaults.js";
import type { Incident, Problem } from "../src/model/types.js";
import {
  type Block,
  parseProse,
  proseHtml,
  proseHtmlInline,
  proseMarkdown,
  proseMarkdownInline,
  proseMarkdownItem,
  safeLink,
} from "../src/render/prose.js";
import { buildSite, readSiteTemplates } from "../src/site/build.js";
import { repoRoot } from "./helpers/cli.js";

const ZWSP = "\u200b";

/**
 * Markdown as GitHub reads it: GFM tables, raw HTML allowed, bare URLs linked (as GitHub's autolinks
 * do: `scheme://`, `www.` and e-mail addresses; not linkify-it's protocol-relative `//host`).
 */
const gfm = new MarkdownIt("default", { html: true, linkify: true, maxNesting: 1000 } as Options);
gfm.linkify.add("//", null);
const tokensOf = (markdown: string) => gfm.parse(markdown, {}).flatMap((t) => [t, ...(t.children ?? [])]);

/** A table row's cells as GFM splits them: on every pipe without a backslash before it. */
const cellsOf = (row: string) => row.split(/(?<!\\)\|/).length - 2;

/** Pieces hostile prose is made of: every construct outside the subset, and the ones in it. */
const PIECES = [
  "# ",
  "#",
  "## h",
  "\n",
  "\n\n",
  "|",
  "||",
  "| a | b |\n| --- | --- |\n| c | d |",
  "---",
  "===",
  "***",
  "> ",
  "- ",
  "* ",
  "+ ",
  "1. ",
  "2) ",
  "    ",
  "\t",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<!-- c -->",
  "<div>",
  "</td></tr>",
  "<a href='javascript:alert(1)'>x</a>",
  "![a](https://img.example/x.png)",
  "![](javascript:alert(1))",
  '![t](https://img.example/y.png "title")',
  "[a](javascript:alert(1))",
  "[b](JaVaScRiPt:alert(1))",
  "[c](data:text/html,<b>x</b>)",
  "[d](vbscript:msgbox)",
  "[e](//evil.example/x)",
  "[f](/relative/path)",
  "[g](&#106;avascript:alert(1))",
  "[h](java%0Ascript:x)",
  "[ok](https://ok.example/a_(b)|c)",
  "[m](mailto:a@b.example)",
  "[](javascript:alert(1))",
  "[](https://empty.example)",
  "- - -",
  "* * *",
  "-\n",
  "[r]: javascript:alert(1)\n",
  "[r]",
  "[^1]",
  "<javascript:alert(1)>",
  "<https://auto.example>",
  "https://bare.example",
  "www.bare.example",
  "javascript:alert(1)",
  "`",
  "``",
  "```",
  "```mermaid\ngraph TD; A-->B\n```",
  "~~~",
  "~~s~~",
  "*",
  "**",
  "_",
  "\\",
  "&#106;",
  "&lt;",
  "&",
  "[",
  "]",
  "(",
  ")",
  "!",
  "<",
  ">",
  "@everyone",
  "#12",
  "x",
  "word",
  " ",
  "\r\n",
  "\u2028",
];

/** Lists nested around the limit (50 levels): on one line (`- - - x`) or a level a line. */
const deepList = (marker: fc.Arbitrary<string>, text: fc.Arbitrary<string>) =>
  fc
    .record({ depth: fc.integer({ min: 44, max: 64 }), marker, oneLine: fc.boolean(), text })
    .map(({ depth, marker, oneLine, text }) =>
      oneLine
        ? `${marker.repeat(depth)}${text}\n`
        : Array.from(
            { length: depth },
            (_, i) => `${" ".repeat(i * marker.length)}${marker}${text}${i}`,
          ).join("\n"),
    );

const hostile = fc
  .array(
    fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 2, arbitrary: fc.string() },
      {
        weight: 1,
        arbitrary: deepList(fc.constantFrom("- ", "* ", "1. ", "2) "), fc.constantFrom(...PIECES)),
      },
    ),
    {
      maxLength: 24,
    },
  )
  .map((parts) => parts.join(""));

const RUNS = { seed: 20260401, numRuns: 400 };

/** What must never come out of prose in Markdown, read as GitHub reads it. */
function expectInert(markdown: string, headings: string[]) {
  const all = tokensOf(markdown);
  const bad = all.filter((t) => /^html_/.test(t.type) || t.type === "image" || t.type === "blockquote_open");
  expect(bad.map((t) => `${t.type} ${t.content}`)).toEqual([]);
  for (const t of all.filter((x) => x.type === "link_open"))
    expect(t.attrGet("href")).toMatch(/^(https?:\/\/|mailto:)/i);
  const found = all
    .filter((t, i) => t.type === "inline" && all[i - 1]?.type === "heading_open")
    .map((t) => t.content);
  expect(found).toEqual(headings);
}

describe("prose in a postmortem (Markdown)", () => {
  it("cannot add a heading, raw HTML, an image, a quote or a link to another scheme in a section", () => {
    fc.assert(
      fc.property(hostile, (prose) => {
        const doc = `# Title\n\n## Summary\n\n${proseMarkdown(prose)}\n\n## After\n\nend\n`;
        expectInert(doc, ["Title", "Summary", "After"]);
      }),
      RUNS,
    );
  });

  it("stays inside its list item", () => {
    fc.assert(
      fc.property(hostile, (prose) => {
        const doc = `## Lessons\n\n- ${proseMarkdownItem(prose)}\n- last\n\n## After\n`;
        expectInert(doc, ["Lessons", "After"]);
        // The items are the two the template writes: nothing in prose ends the first.
        const items = gfm.parse(doc, {}).filter((t) => t.type === "list_item_open" && t.level === 1);
        expect(items).toHaveLength(2);
      }),
      RUNS,
    );
  });

  it("stays inside its table cell: one line, its row keeps its columns", () => {
    fc.assert(
      fc.property(hostile, (prose) => {
        const cell = proseMarkdownInline(prose, true);
        expect(cell).not.toMatch(/[\r\n]/);
        const rows = [
          "| Time | What | Who |",
          "| --- | --- | --- |",
          `| 10:00 | ${cell} | x |`,
          "| 11:00 | y | z |",
        ];
        for (const row of rows) expect(cellsOf(row), row).toBe(3);
        const doc = `## Timeline\n\n${rows.join("\n")}\n\n## After\n`;
        expectInert(doc, ["Timeline", "After"]);
        const all = gfm.parse(doc, {});
        expect(all.filter((t) => t.type === "tr_open")).toHaveLength(3);
        // The cell after the prose is still the template's.
        const cells = all.filter((t, i) => t.type === "inline" && all[i - 1]?.type === "td_open");
        expect(cells.map((t) => t.content)).toEqual([
          cells[0]?.content,
          cells[1]?.content,
          "x",
          "11:00",
          "y",
          "z",
        ]);
      }),
      RUNS,
    );
  });

  it("on one line inside a list entry, starts no block", () => {
    fc.assert(
      fc.property(hostile, (prose) => {
        const line = proseMarkdownInline(prose);
        expect(line).not.toMatch(/[\r\n]/);
        expectInert(`## Resolution\n\n${line} (\`fixed\`)\n\n## After\n`, ["Resolution", "After"]);
      }),
      RUNS,
    );
  });

  it("writes the subset back as Markdown", () => {
    expect(proseMarkdown("See [the runbook](https://runbooks.example/db) and *this* **now**.")).toBe(
      "See [the runbook](https://runbooks.example/db) and *this* **now**.",
    );
    expect(proseMarkdown("a `x | y` b\nnext line  \nhard")).toBe("a `x | y` b\nnext line\\\nhard");
    expect(proseMarkdown("- one\n- two\n  1. a\n  2. b")).toBe("- one\n- two\n  1. a\n  2. b");
    expect(proseMarkdown("```sql\nselect 1;\n```")).toBe("```sql\nselect 1;\n```");
    expect(proseMarkdown("    indented\n")).toBe("```text\nindented\n```");
    expect(proseMarkdown("[mail](mailto:oncall@example.com)")).toBe("[mail](mailto:oncall@example.com)");
    // Two lists in a row stay two lists.
    expect(parseProse(proseMarkdown("- a\n* b")).map((b) => b.kind)).toEqual(["list", "list"]);
  });

  it("drops what is outside the subset and keeps the text", () => {
    expect(proseMarkdown("[click](javascript:alert(1))")).toBe("click");
    expect(proseMarkdown("[x](//evil.example) [y](/path) [z](data:text/html,x)")).toBe("x y z");
    expect(proseMarkdown("![diagram](https://img.example/d.png)")).toBe(
      "[diagram](https://img.example/d.png)",
    );
    expect(proseMarkdown("![x](javascript:alert(1))")).toBe("x");
    expect(proseMarkdown("# Not a heading")).toBe(`\\#${ZWSP} Not a heading`);
    expect(proseMarkdown("> not a quote")).toBe("\\> not a quote");
    expect(proseMarkdown("<b>bold</b>")).toBe("\\<b>bold\\</b>");
    expect(proseMarkdown("```mermaid\ngraph TD;\n```")).toBe("```text\ngraph TD;\n```");
    expect(proseMarkdown("a\n```\nx ``` y\n````")).toBe("a\n\n````text\nx ``` y\n````");
    expect(proseMarkdownInline("a | b\n\n- c\n- d", true)).toBe("a \\| b c; d");
    expect(proseMarkdownInline("`a|b`", true)).toBe("`a\\|b`");
  });

  it("breaks mentions, references and autolinks in text, not in link text or code", () => {
    expect(proseMarkdown("@team #12 https://x.example")).toBe(
      `@${ZWSP}team #${ZWSP}12 https:${ZWSP}//x.example`,
    );
    expect(proseMarkdown("[https://x.example](https://x.example)")).toBe(
      "[https://x.example](https://x.example/)",
    );
    expect(proseMarkdown("`@team`")).toBe("`@team`");
  });

  it("keeps 25 levels of nested lists and the paragraph after them", () => {
    const source = `${Array.from({ length: 25 }, (_, i) => `${"  ".repeat(i)}- L${i}`).join("\n")}\n\nafter`;
    const out = proseMarkdown(source);
    expect(out).toContain(`${"  ".repeat(24)}- L24`);
    expect(out.endsWith("\n\nafter")).toBe(true);
  });

  it("keeps every line of lists nested past 50 levels, as text, and the paragraph after them", () => {
    const list = Array.from({ length: 55 }, (_, i) => `${"  ".repeat(i)}- L${i}`).join("\n");
    const out = proseMarkdown(`Para one.\n\n${list}\n\nIMPORTANT: the root cause was X.`);
    // 50 levels stay lists; the 50th item's content, deeper items included, is its text.
    expect(out).toContain(`${"  ".repeat(48)}- L48\n${"  ".repeat(49)}- L49\\\n`);
    for (let i = 50; i < 55; i++) expect(out).toContain(`\\- L${i}`);
    expect(out.startsWith("Para one.\n\n- L0")).toBe(true);
    expect(out.endsWith("\n\nIMPORTANT: the root cause was X.")).toBe(true);
    const read = tokensOf(out);
    expect(read.filter((t) => t.type === "bullet_list_open")).toHaveLength(50);
    expect(read.filter((t) => t.type === "inline").at(-1)?.content).toBe("IMPORTANT: the root cause was X.");
  });

  it("keeps a value ten thousand lists deep as text", () => {
    const source = `${"- ".repeat(10_000)}deepest\n\nafter`;
    const out = proseMarkdown(source);
    expect(out).toContain(`${"- ".repeat(50)}\\${"- ".repeat(9_950)}deepest`);
    expect(out.endsWith("\n\nafter")).toBe(true);
    expect(proseMarkdownInline(source)).toContain("deepest after");
    expect(proseHtml(source)).toContain(`${"- ".repeat(9_950)}deepest`);
    expect(proseHtmlInline(source)).toContain("deepest after");
  });

  it("lays out the same structure it reads (round trip)", () => {
    const shape = (blocks: Block[]): unknown =>
      blocks.map((b) =>
        b.kind === "list"
          ? { list: b.ordered, start: b.start, items: b.items.map(shape) }
          : { [b.kind]: true },
      );
    for (const source of [
      "p1\n\np2",
      "- a\n- b\n\n  c\n- d",
      "3. x\n4. y",
      "- a\n  - b\n    - c\n- d",
      "text\n\n```js\ncode\n```\n\n1. one",
      "- ```\n  code\n  ```\n- b",
    ]) {
      expect(shape(parseProse(proseMarkdown(source))), source).toEqual(shape(parseProse(source)));
    }
  });
});

type Node = DefaultTreeAdapterMap["childNode"];
const ALLOWED: Record<string, string[]> = {
  p: [],
  br: [],
  em: [],
  strong: [],
  code: [],
  pre: [],
  ul: [],
  ol: ["start"],
  li: [],
  a: ["href", "rel"],
};

/** Every element and attribute in the HTML, as a browser parses it, against the allow-list. */
function expectAllowed(html: string, elements = Object.keys(ALLOWED)) {
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.nodeName === "#text") continue;
      expect(n.nodeName, html).not.toBe("#comment");
      if (!("tagName" in n)) continue;
      expect(elements, html).toContain(n.tagName);
      for (const a of n.attrs) expect(ALLOWED[n.tagName], `${n.tagName} ${a.name}`).toContain(a.name);
      if (n.tagName === "a") {
        expect(n.attrs.find((a) => a.name === "href")?.value).toMatch(/^(https?:\/\/[^/]|mailto:)/i);
        expect(n.attrs.find((a) => a.name === "rel")?.value).toBe("noopener noreferrer nofollow");
      }
      if (n.tagName === "ol") for (const a of n.attrs) expect(a.value).toMatch(/^\d+$/);
      walk(n.childNodes);
    }
  };
  walk(parseFragment(html).childNodes);
}

describe("prose on the site (HTML)", () => {
  it("has no element or attribute outside the allow-list, and only http, https and mailto links", () => {
    fc.assert(
      fc.property(hostile, (prose) => {
        expectAllowed(proseHtml(prose));
        expectAllowed(proseHtmlInline(prose), ["code", "em", "strong", "a"]);
      }),
      RUNS,
    );
  });

  it("renders the subset and shows everything else as text", () => {
    expect(proseHtml("See [docs](https://d.example/) and `x`.")).toBe(
      '<p>See <a href="https://d.example/" rel="noopener noreferrer nofollow">docs</a> and <code>x</code>.</p>',
    );
    expect(proseHtml("<script>alert(1)</script>")).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(proseHtml("![pic](https://img.example/p.png)")).toBe(
      '<p><a href="https://img.example/p.png" rel="noopener noreferrer nofollow">pic</a></p>',
    );
    expect(proseHtml("[x](javascript:alert(1)) <javascript:alert(1)>")).toBe("<p>x javascript:alert(1)</p>");
    expect(proseHtml("3. a\n4. b")).toBe('<ol start="3">\n<li>a</li>\n<li>b</li>\n</ol>');
    expect(proseHtmlInline("a\n\n- b\n- c")).toBe("a b; c");
  });
});

/** What words are made of here: letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The words prose must keep: runs of letters and digits with a letter in them (a list's number may
 * become its `start`), except a code fence's language (an attribute of the block, not its text).
 */
function wordsOf(source: string): string[] {
  const fences = source.match(/^[ \t>*+\d.)-]*(?:`{3,}|~{3,})[^\n]*/gm) ?? [];
  const skipped = new Set(fences.flatMap((f) => f.match(WORD) ?? []));
  return [...new Set(source.match(WORD) ?? [])].filter((w) => /\p{L}/u.test(w) && !skipped.has(w));
}

/** The text a browser shows for the HTML (entities decoded, no markup). */
function textContent(html: string): string {
  const walk = (nodes: Node[]): string =>
    nodes.map((n) => ("value" in n ? n.value : "childNodes" in n ? walk(n.childNodes) : "")).join(" ");
  return walk(parseFragment(html).childNodes);
}

/** Prose without what may take words out of it by design: link and image targets, entities. */
const lossless = fc
  .array(
    fc.oneof(
      {
        weight: 10,
        arbitrary: fc.constantFrom(...PIECES.filter((p) => !/[(&]/.test(p)), "Müller", "日本語"),
      },
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(..."ab1 \n\t-*_`~<>[]!#|\\:/.") }) },
      {
        weight: 1,
        arbitrary: deepList(
          fc.constantFrom("- ", "* ", "1. ", "2) ", "+ "),
          fc.constantFrom("w", "`c`", "*e*", "```"),
        ),
      },
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(""));

describe("prose keeps its text", () => {
  it("every word of the value is in the Markdown and in the text of the HTML", () => {
    fc.assert(
      fc.property(lossless, (prose) => {
        const outputs = {
          markdown: proseMarkdown(prose),
          item: proseMarkdownItem(prose),
          line: proseMarkdownInline(prose),
          cell: proseMarkdownInline(prose, true),
          html: textContent(proseHtml(prose)),
          htmlLine: textContent(proseHtmlInline(prose)),
        };
        for (const [name, out] of Object.entries(outputs)) {
          const shown = out.replaceAll(ZWSP, "");
          for (const word of wordsOf(prose))
            expect(shown, `${name}: ${word} in ${JSON.stringify(prose)}`).toContain(word);
        }
      }),
      RUNS,
    );
  });
});

describe("bidirectional controls in prose", () => {
  it("are dropped from text, code and plain text, in Markdown and in HTML; the marks stay", () => {
    const controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
    const source = `a${controls}b \`c${controls}\`\n\n\`\`\`\nd${controls}\n\`\`\`\n\n${"- ".repeat(60)}e${controls}\u200f`;
    for (const out of [
      proseMarkdown(source),
      proseMarkdownInline(source),
      proseMarkdownInline(source, true),
      proseHtml(source),
      proseHtmlInline(source),
    ]) {
      expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      for (const kept of ["ab", "c", "d", "e\u200f"]) expect(out).toContain(kept);
    }
  });
});

describe("the site's incident and problem pages", () => {
  const incident = parse(
    readFileSync(join(repoRoot, "test/fixtures/prose/INC-2026-0200.yaml"), "utf8"),
  ) as Incident;
  const problem = {
    schema_version: 1,
    id: "PRB-2026-0200",
    title: "Discount codes",
    status: "assessed",
    summary: "See [INC-2026-0200](https://x.example/i).",
    narrative: incident.narrative,
    workaround: "Retry *without* a code.",
    timestamps: { created_at: "2026-03-10T11:00:00Z", assessed_at: "2026-03-11T11:00:00Z" },
  } as Problem;
  const files = buildSite(
    { incidents: [incident], problems: [problem], config: defaultConfig },
    readSiteTemplates(),
  );

  it.each([
    ["incidents/INC-2026-0200.html", ["Summary", "Narrative", "Key times"]],
    ["problems/PRB-2026-0200.html", ["Summary", "Narrative", "Workaround"]],
  ])("%s shows the narrative after the summary, allow-listed HTML only", (path, sections) => {
    const page = files.get(path) ?? "";
    const main = /<main id="main">([\s\S]*)<\/main>/.exec(page)?.[1] ?? "";
    expect([...main.matchAll(/<h2 id="s-[a-z]+">([^<]*)<\/h2>/g)].map((m) => m[1]).slice(0, 3)).toEqual(
      sections,
    );
    const narrative = /<h2 id="s-narrative">Narrative<\/h2>([\s\S]*?)<\/section>/.exec(main)?.[1] ?? "";
    expect(narrative).toContain('<a href="mailto:orders@example.com" rel="noopener noreferrer nofollow">');
    expect(narrative).toContain("<pre><code>select * from orders");
    expectAllowed(narrative);
  });
});

describe("safeLink", () => {
  it("allows absolute http(s) URLs with a host and mailto only", () => {
    expect(safeLink("https://a.example/x")).toBe("https://a.example/x");
    expect(safeLink("mailto:a@b.example")).toBe("mailto:a@b.example");
    for (const bad of [
      "javascript:alert(1)",
      "data:text/html,x",
      "vbscript:x",
      "//a.example",
      "/x",
      "https:a",
      "mailto:",
      "file:///etc/passwd",
      "ftp://a.example",
    ])
      expect(safeLink(bad), bad).toBeUndefined();
  });
});
