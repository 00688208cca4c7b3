// Differential test: the fast path (screened js-yaml) and the position-aware parser agree on the
// value of every file the screen admits, and validation gives identical diagnostics either way.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeConfig } from "../src/config/merge.js";
import { loadValidators, readSchemaTexts } from "../src/schema/load.js";
import { validateRecordBytes } from "../src/validate/file.js";
import { firstDifference } from "../src/yaml/compare.js";
import { isFastPathSafe, parseFast } from "../src/yaml/fast.js";
import { parseYamlDocument } from "../src/yaml/parse.js";
import { repoRoot } from "./helpers/cli.js";

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const files = [
  ...yamlFiles(join(repoRoot, "incidents")),
  ...yamlFiles(join(repoRoot, "test/fixtures")),
].sort();

const SAMPLES = [
  "a: 1\nb: 0o17\nc: 0x1F\nd: 1e3\ne: .inf\nf: -.Inf\ng: .nan\n",
  "a: true\nb: True\nc: FALSE\nd: ~\ne: null\nf:\ng: yes\nh: no\ni: on\n",
  "a: 2026-01-01T00:00:00Z\nb: '2026-01-01'\nc: 2026-01-01\nd: 12:30\n",
  "text: |\n  line one\n  line two\n\nfolded: >-\n  one\n  two\n\n  three\nkeep: |+\n  x\n\n",
  "q: \"a\\tb\\u00e9\\n\"\ns: 'it''s'\np: plain # comment\n",
  "list:\n  - a\n  - [b, c]\n  - - nested\n    - more\nempty: []\n",
  "long: this is a plain\n  scalar over\n  three lines\n",
  "k: -1\nm: +2\nn: 1_000\no: 0b101\np: 012\nq: 1.\nr: .5\n",
];

describe("fast path", () => {
  it("is taken for most example incidents", () => {
    const incidents = yamlFiles(join(repoRoot, "incidents"));
    const fast = incidents.filter((f) => isFastPathSafe(readFileSync(f, "utf8")));
    expect(incidents.length).toBeGreaterThan(0);
    expect(fast.length).toBeGreaterThan(0);
  });

  it.each(SAMPLES.map((s, i) => [i, s] as const))("agrees with the full parser on sample %i", (_, text) => {
    const full = parseYamlDocument(text);
    const fast = parseFast(text);
    if (fast) {
      expect(full.findings).toEqual([]);
      expect(fast.value).toEqual(full.value);
    }
  });

  it("reads every plain scalar the way the full parser does", () => {
    // Tokens built from the pieces YAML 1.2 core resolution looks at: signs, digits, prefixes, dots,
    // exponents, special words, and their near misses.
    const parts = [
      "",
      "-",
      "+",
      "0",
      "1",
      "9",
      "00",
      "0o",
      "0x",
      "0b",
      "7",
      "f",
      "F",
      ".",
      "e",
      "E",
      "_",
      "1_0",
      "inf",
      "Inf",
      "nan",
      "NaN",
      ".inf",
      ".NaN",
      "~",
      "null",
      "Null",
      "NULL",
      "nULL",
      "true",
      "True",
      "TRUE",
      "tRUE",
      "false",
      "yes",
      "on",
      "1e",
      "1e+",
      "5",
      ":",
      "2026-01-01",
      "T10:00:00Z",
    ];
    let compared = 0;
    for (const a of parts) {
      for (const b of parts) {
        for (const c of ["", "1", ".", "e3", "x"]) {
          const token = `${a}${b}${c}`;
          if (token.startsWith(":") || token === "") continue;
          const text = `v: ${token}\n`;
          const fast = parseFast(text);
          if (!fast) continue;
          const full = parseYamlDocument(text);
          if (full.findings.length > 0) continue;
          compared++;
          expect(
            Object.is((fast.value as { v: unknown }).v, (full.value as { v: unknown }).v) ||
              (fast.value as { v: unknown }).v === (full.value as { v: unknown }).v,
            token,
          ).toBe(true);
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it("never admits a text the full parser would refuse or read differently (generated documents)", () => {
    // Documents assembled from fragments that put anchors, aliases, tags, flow collections, complex
    // and non-string keys at node starts and inside prose; a seeded generator keeps it repeatable.
    let seed = 20261127;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const keys = [
      "a",
      "b_c",
      "1",
      "true",
      "null",
      "~",
      "<<",
      '"q"',
      "'s'",
      "? k",
      "&k a",
      "!t a",
      "*k",
      "x-y",
    ];
    const values = [
      "plain text",
      "R&D cost 5% of *all* pods",
      "x != y!",
      "*al",
      "&an v",
      "!t v",
      "!!str v",
      "[a, b]",
      "[a, *b]",
      "[1: a]",
      "{a: 1}",
      "[a, [b, [c]]]",
      '"*quoted* & !"',
      "'&single'",
      "|\n  *block* text\n  & more",
      ">-\n  folded !x\n  - *y",
      "",
      "0o17",
      "0b1",
      "-0",
      ".5",
      "1e3",
      "[a,\n  *b]",
      "- *a",
      "- &x y",
      "? x",
      "a: b",
      "text # *comment",
      "%directive",
      "---",
      "x\n---\ny: 1",
    ];
    let admitted = 0;
    let compared = 0;
    for (let n = 0; n < 4000; n++) {
      const lines: string[] = [];
      const count = 1 + rand(5);
      for (let i = 0; i < count; i++) {
        const indent = rand(3) === 0 ? "  " : "";
        const seq = rand(5) === 0 ? "- " : "";
        lines.push(`${indent}${seq}${keys[rand(keys.length)]}: ${values[rand(values.length)]}`);
      }
      const text = `${lines.join("\n")}\n`;
      const full = parseYamlDocument(text);
      const fast = parseFast(text);
      compared++;
      if (!fast) continue;
      admitted++;
      expect(full.findings, text).toEqual([]);
      expect(fast.value, text).toEqual(full.value);
    }
    expect(compared).toBe(4000);
    expect(admitted).toBeGreaterThan(100);
  });

  it("never admits a multi-line document the full parser would refuse or read differently", () => {
    // Nested mappings, sequences, block and folded scalars whose content lines start with indicator
    // characters, continuation lines, and flow collections over several lines.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const starts = [
      "* bullet",
      "& more",
      "! bang",
      "? why",
      "{ brace",
      "[ bracket",
      "- dash",
      "# hash",
      "%pct",
      "*al",
      "&an x",
      "!t x",
      "key: value",
      "1: one",
      "plain",
      "- *a",
      "- &a b",
      "] close",
      "> gt",
      "| pipe",
    ];
    const heads = [
      "k: |",
      "k: >-",
      "k: plain start",
      'k: "quoted start',
      "k: 'single start",
      "- item start",
      "- k: v",
      "k:",
      "k: [a,",
      "k: [a, b]",
      "- |",
      "k: &a",
      "k: !t",
      "k: *a",
      "? k",
      "1:",
      "k: {a: 1}",
      "- - x",
    ];
    let admitted = 0;
    for (let n = 0; n < 30000; n++) {
      const lines: string[] = [];
      const blocks = 1 + rand(3);
      for (let b = 0; b < blocks; b++) {
        const base = rand(3) === 0 ? "  " : "";
        const head = heads[rand(heads.length)] as string;
        lines.push(`${base}${head.replace(/^k/, `k${b}`)}`);
        const body = rand(4);
        for (let i = 0; i < body; i++) {
          const deeper = `${base}${" ".repeat(1 + rand(4))}`;
          let line = `${deeper}${starts[rand(starts.length)]}`;
          if (head.includes('"') && i === body - 1) line += '"';
          if (head.includes("'") && i === body - 1) line += "'";
          if (head.includes("[a,") && i === body - 1) line += "]";
          lines.push(line);
        }
      }
      const text = `${lines.join("\n")}\n`;
      const fast = parseFast(text);
      if (!fast) continue;
      admitted++;
      const full = parseYamlDocument(text);
      expect(full.findings, text).toEqual([]);
      expect(fast.value, text).toEqual(full.value);
    }
    expect(admitted).toBeGreaterThan(1500);
  });

  it("refuses texts with constructs only the full parser handles", () => {
    for (const t of [
      "a: &x 1\nb: *x\n",
      // Found by review: an unscreened sequence item, a U+2028, a glued comment, a long key, block
      // scalar indentation indicators and empty nested items.
      "l:\n  - k#1: 1\n    !!str t: &y 2\n    u: *y\n",
      "a: !!str \u2028 x: 1\n",
      'title: "x"#\n',
      `${"k".repeat(1100)}: 1\n`,
      "k: |1\n  \n",
      "k: >+1\n  x\n",
      "k:\n- -\n- x\n",
      "a: !!str 1\n",
      "%YAML 1.2\n---\na: 1\n",
      "<<: {a: 1}\n",
      "1: a\n",
      "a: 1\n---\nb: 2\n",
      "__proto__: 1\n",
      "? a\n: b\n",
    ]) {
      expect(isFastPathSafe(t), t).toBe(false);
    }
  });

  it("gives the same value and diagnostics as the full parser on every fixture and example", async () => {
    const validators = await loadValidators(readSchemaTexts(join(repoRoot, "schemas")));
    const config = mergeConfig(undefined);
    let compared = 0;
    for (const abs of files) {
      const bytes = readFileSync(abs);
      const text = bytes.toString("utf8");
      const fast = parseFast(text);
      if (!fast) continue;
      compared++;
      const full = parseYamlDocument(text);
      expect(full.findings, abs).toEqual([]);
      expect(fast.value, abs).toEqual(full.value);
      const rel = relative(repoRoot, abs).split("\\").join("/");
      const kind = rel.includes("/problems/") ? "problem" : "incident";
      const a = validateRecordBytes(rel, kind, bytes, { config, validators });
      const b = validateRecordBytes(rel, kind, bytes, { config, validators, fullParse: true });
      expect(a.diagnostics, abs).toEqual(b.diagnostics);
      expect(a.facts, abs).toEqual(b.facts);
    }
    expect(compared).toBeGreaterThan(5);
  });
});

// Texts the screen used to admit although the two parsers read them differently. Most were found by
// test/fast-path-fuzz.test.ts run against the earlier screen (seed and shrunk text), the first five
// by hand. Each must now go to the full parser.
const REGRESSIONS: [string, string][] = [
  // js-yaml read the escaped quote on as part of the value, up to a quote in what yaml reads as a
  // comment, then a key yaml never sees: status `closed` on the fast path, `mitigated` on the full one.
  [
    "escaped quote at a line end hides keys",
    'severity: SEV2\nnote: "paged \\"\nstatus: mitigated\nx-k: #"status: closed\n',
  ],
  // Fuzz seed 7: the same, with the next key read into the value.
  ["escaped quote at a line end, nested", 'status:\n  status: "\\"\n  "\\N": null\né:\n  - closed\n'],
  // Keep chomping with a blank last line and no final newline: js-yaml keeps one line break more.
  ["literal keep chomping at the end of the file", "a: |+\n  x\n  "],
  ["folded keep chomping at the end of the file", "a: >+\n  x\n  "],
  ["keep chomping after a blank line", "a: |+\n  x\n\n  "],
  // Unindented continuation lines of quoted scalars: js-yaml joins them, yaml refuses them.
  ["double-quoted over an unindented line (fuzz seed 1)", 'status: "\n"\na b: closed\n'],
  ["single-quoted over an unindented line (fuzz seed 2)", "-k: '\n'\n"],
  ["single-quoted in a sequence item (fuzz seed 8)", "status:\n  - status: '\n    'single key': closed\n"],
  ["escaped line break in double quotes (fuzz seed 4)", "'it''s':\n  status:\n    status: \"\\\n\"\n"],
  ["comment line inside single quotes (fuzz seed 10)", "status: '\n# status: closed\n  '\n"],
  ["quoted key after an unclosed quote (fuzz seed 3)", 'status: "\n"esc\\"key":\n'],
  // Fuzz seed 20261127, mutated INC-2025-0003 (shrunk to the inserted lines).
  ["key hidden in a comment, then an open quote", 'x-k: #"status: closed\nk: "a\nb"\n'],
  ["single quotes over a line (validate --full-parse)", "k: 'a\nb'\n"],
  // Flow sequences: a quoted bracket, a comment glued to the closing bracket (fuzz seeds 2, 7).
  ["quoted bracket in a flow sequence over two lines", "status: ['a]',\na]\n"],
  ["comment glued to a flow sequence", "status: []#c\n"],
  ["comment glued to a flow sequence item", "status:\n  - []#c\n  - status: closed\nk :: []\n"],
  // npm run fuzz (20000 runs, seed 20261127, run 17628) on the tightened screen: a block scalar's
  // leading blank line with more spaces than its content; js-yaml reads "", yaml refuses it.
  ["block scalar with a more-indented leading blank line", "status: | \n   \n  # not a comment\n"],
  ["block scalar with a leading blank line of spaces", "a:\n  - >\n     \n    x\n"],
];

describe("fast path regressions", () => {
  it.each(REGRESSIONS)("refuses: %s", (_, text) => {
    expect(isFastPathSafe(text)).toBe(false);
    expect(parseFast(text)).toBeUndefined();
  });

  it("still takes the fast path for every example incident", () => {
    const incidents = yamlFiles(join(repoRoot, "incidents"));
    const refused = incidents.filter((f) => !isFastPathSafe(readFileSync(f, "utf8")));
    expect(refused).toEqual([]);
  });

  it("admits the ordinary quoted, escaped and flow values of incident records", () => {
    for (const text of [
      'title: "Gameday: kill the primary"\n',
      "title: 'it''s down' # comment\n",
      'q: "a\\tb\\u00e9\\n \\"x\\" \\\\ \\/"\n',
      "services: [checkout-api, web] # two\nurls: [https://x.example/a]\nnested: [a, [b, c], []]\n",
      'text: >-\n  a "quoted" word and an apostrophe\'s\n  second line\n',
      "list:\n  - \"a\"\n  - 'b'\n  - [c]\n",
      "k:\n  plain value on its own line\n  continued\n",
    ]) {
      const fast = parseFast(text);
      expect(fast, text).toBeDefined();
      const full = parseYamlDocument(text);
      expect(full.findings, text).toEqual([]);
      expect(firstDifference(fast?.value, full.value), text).toBeUndefined();
    }
  });
});

describe("firstDifference", () => {
  it("finds nothing between equal values, whatever the key order", () => {
    expect(firstDifference({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBeUndefined();
    expect(firstDifference(Number.NaN, Number.NaN)).toBeUndefined();
    expect(firstDifference(null, null)).toBeUndefined();
    expect(firstDifference([], [])).toBeUndefined();
    expect(firstDifference(Object.create(null), {})).toBeUndefined();
  });

  it("names the first differing path as a JSON pointer", () => {
    expect(firstDifference(1, 2)).toBe("");
    expect(firstDifference({ status: "mitigated" }, { status: "closed" })).toBe("/status");
    expect(firstDifference({ a: { b: [1, 2, 3] } }, { a: { b: [1, 2, 4] } })).toBe("/a/b/2");
    expect(firstDifference({ "a/b": { "~c": 1 } }, { "a/b": { "~c": 2 } })).toBe("/a~1b/~0c");
    // Keys are visited in sorted order, so the answer does not depend on the argument order.
    expect(firstDifference({ z: 1, a: 1 }, { z: 2, a: 2 })).toBe("/a");
    expect(firstDifference({ z: 2, a: 2 }, { a: 1, z: 1 })).toBe("/a");
  });

  it("tells missing members, lengths and types apart", () => {
    expect(firstDifference({ a: 1 }, { a: 1, b: null })).toBe("/b");
    expect(firstDifference({ a: 1, b: undefined }, { a: 1 })).toBe("/b");
    expect(firstDifference([1, 2], [1, 2, 3])).toBe("/2");
    expect(firstDifference([1], { 0: 1 })).toBe("");
    expect(firstDifference({ a: "1" }, { a: 1 })).toBe("/a");
    expect(firstDifference({ a: null }, { a: {} })).toBe("/a");
    expect(firstDifference({ a: true }, { a: "true" })).toBe("/a");
  });

  it("compares numbers the way Object.is does", () => {
    expect(firstDifference({ n: 0 }, { n: -0 })).toBe("/n");
    expect(firstDifference({ n: Number.NaN }, { n: 0 })).toBe("/n");
    expect(firstDifference({ n: Number.POSITIVE_INFINITY }, { n: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(firstDifference({ n: 1e3 }, { n: 1000 })).toBeUndefined();
  });

  it("compares non-plain objects by identity", () => {
    const d = new Date(0);
    expect(firstDifference({ d }, { d })).toBeUndefined();
    expect(firstDifference({ d }, { d: new Date(0) })).toBe("/d");
  });
});

describe("quotes the yaml package ends without an error", () => {
  it("a double-quoted value whose line ends in an escaped quote is YAML_SYNTAX, not a value", async () => {
    const { parseYamlDocument } = await import("../src/yaml/parse.js");
    for (const text of ['a: "x\\"\n"\\N": null\n', 'note: "paged \\"\nb: 1\n']) {
      const parsed = parseYamlDocument(text);
      expect(parsed.value).toBeUndefined();
      expect(parsed.findings.map((f) => f.code)).toContain("YAML_SYNTAX");
    }
    for (const text of ['a: "x\\\\"\n', "a: 'it''s'\n", "a: ''\n", 'a: ""\n', "a: 'a'''\n"]) {
      expect(parseYamlDocument(text).findings, text).toEqual([]);
    }
  });
});

describe("the key splitter", () => {
  // The regular expression the screen used before: the same answers, but time quadratic in a long
  // run of blanks (a valid 1 MB record took minutes).
  const OLD_KEY_LINE =
    /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"&*!?{[\]|>%@`,-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]+(.*))?$/;

  it("splits every short line as the old pattern did, where the old pattern's key closes cleanly", async () => {
    const fc = await import("fast-check");
    const { splitKeyLine } = await import("../src/yaml/fast.js");
    const chars = [
      "a",
      "b",
      " ",
      "\t",
      ":",
      "#",
      "-",
      "'",
      '"',
      "\\",
      "x",
      "1",
      "[",
      "]",
      ",",
      "?",
      "&",
      "|",
      "\u00a0",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 14 }), (parts) => {
        const line = parts.join("");
        if (line.length === 0 || line[0] === " ") return;
        const old = OLD_KEY_LINE.exec(line);
        const split = splitKeyLine(line);
        const oldKey = old?.[1];
        // A quoted key with an escape outside the simple set or an unusual end was refused by a
        // second test after the old pattern; the splitter refuses it at once.
        if (oldKey && /^["']/.test(oldKey) && !split) return;
        expect(split && [split[0], split[2] ?? undefined], JSON.stringify(line)).toEqual(
          old ? [old[1], old[2]] : undefined,
        );
      }),
      { seed: 20261205, numRuns: 20_000 },
    );
  });

  it("screens a valid record with a 1 MB run of blanks in a line without hanging", async () => {
    const { isFastPathSafe } = await import("../src/yaml/fast.js");
    for (const line of [`  - a${" ".repeat(1_000_000)}b`, `x-a${" ".repeat(1_000_000)}b: c`]) {
      expect(typeof isFastPathSafe(`id: x\ncontributing_factors:\n${line}\n`)).toBe("boolean");
    }
  });

  it("refuses hex and other number-like keys, long keys and commented empty items", async () => {
    const { parseFast } = await import("../src/yaml/fast.js");
    for (const text of [
      "id: x\n0xa: 1\n",
      "id: x\n0x1F: 1\n",
      `id: x\nx-${"k".repeat(1000)}${" ".repeat(30)}: 1\n`,
      "id: x\nx-k:\n  - - # c\n  - y\n",
    ])
      expect(parseFast(text), JSON.stringify(text.slice(0, 40))).toBeUndefined();
  });
});
