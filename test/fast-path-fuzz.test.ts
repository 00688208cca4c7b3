// Generated differential fuzzing of the fast YAML path: whenever the screened js-yaml path returns a
// value, the hardened parser must accept the same text and read the same value, and validation must
// give the same diagnostics with and without --full-parse. Texts are built from incident-like YAML
// mixed with the constructs where the two parsers are known to differ (quoted scalars that run over
// lines, escapes, comments after quotes, keys inside comments, block-scalar headers, odd line breaks),
// and from mutations of the repository's example and fixture files.
//
// Fixed seed and a bounded run count keep `npm test` fast and repeatable; `npm run fuzz` (or
// INCIDENT_FUZZ_RUNS=N) runs longer, INCIDENT_FUZZ_SEED=N tries another seed. A failure prints the
// seed, the path and the shrunk text: add that text to the regression list in test/fast-path.test.ts.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeConfig } from "../src/config/merge.js";
import { loadValidators, readSchemaTexts } from "../src/schema/load.js";
import { validateRecordBytes } from "../src/validate/file.js";
import { firstDifference } from "../src/yaml/compare.js";
import { parseFast } from "../src/yaml/fast.js";
import { parseYamlDocument } from "../src/yaml/parse.js";
import { repoRoot } from "./helpers/cli.js";

const RUNS = Number(process.env.INCIDENT_FUZZ_RUNS ?? "") || 0;
const SEED = Number(process.env.INCIDENT_FUZZ_SEED ?? "") || 20261127;
/** Runs for a property: its default in `npm test`, or the requested count for a long run. */
const runs = (quick: number) => (RUNS > 0 ? RUNS : quick);
// A long run may take minutes; the default runs stay well inside the suite's timeout.
const TIMEOUT = RUNS > 0 ? 0 : 30_000;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const EXAMPLES = [
  ...yamlFiles(join(repoRoot, "incidents")),
  ...yamlFiles(join(repoRoot, "test/fixtures")),
].map((abs) => ({ rel: relative(repoRoot, abs).split("\\").join("/"), text: readFileSync(abs, "utf8") }));

// --- Generators -------------------------------------------------------------------------------------
// Scalars and block bodies are rendered later at their node's indentation: in generated text, "\n"
// followed by INDENT continues at the node's indentation plus two, and a bare "\n" continues at
// column 0 (an unindented continuation line).
const INDENT = "\u0001";

/** Mostly one of the ordinary values, now and then one of the risky ones. */
function mostly<T>(ordinary: readonly T[], risky: readonly T[]): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ordinary) },
    { weight: 1, arbitrary: fc.constantFrom(...risky) },
  );
}

/** Usually nothing, sometimes one or two of these. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant<T[]>([]) },
    { weight: 1, arbitrary: fc.array(arb, { minLength: 1, maxLength: 2 }) },
  );
}

const key = mostly(
  ["status", "severity", "title", "summary", "id", "x-k", "text", "a b", "é"],
  ["k#1", '"quoted key"', "'single key'", "'it''s'", '"esc\\"key"', '"\\N"', "k :", "1", "-k"],
);

const word = mostly(
  [
    "closed",
    "mitigated",
    "SEV2",
    "checkout api",
    "it's",
    'say "hi"',
    "50%",
    "é",
    "2026-01-01T00:00:00Z",
    "1",
    "true",
    "a:b",
    "k#c",
    "x-y",
    "(P2)",
  ],
  [
    "x: y",
    "a:b",
    "k #c",
    "k#c",
    "#c",
    "it's",
    'say "hi"',
    '"',
    "'",
    "\\",
    "50%",
    "- dash",
    "* star",
    "&amp",
    "!bang",
    "? q",
    "|",
    ">",
    "|+",
    "[x]",
    "{y}",
    "a,b",
    "...",
    "---",
    "~",
    "null",
    "1",
    "-0",
    "0x1F",
    "1e3",
    ".5",
    "true",
    "no",
    "2026-01-01T00:00:00Z",
    "é",
    "a\tb",
    "a\u0085b",
    "a\u2028b",
    "a\u00a0b",
    "",
    " ",
  ],
);
const words = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(" "));

const plain = fc.oneof(
  { weight: 4, arbitrary: words },
  // A plain scalar continued on following lines, indented or not, with comment and blank lines.
  fc
    .tuple(
      words,
      fc.array(
        fc.tuple(fc.constantFrom(`\n${INDENT}`, "\n", `\n\n${INDENT}`, `\n${INDENT}# c\n${INDENT}`), words),
        { maxLength: 2 },
      ),
    )
    .map(([w, more]) => w + more.map(([nl, x]) => nl + x).join("")),
);

// Double-quoted text: ordinary pieces, and now and then an escape outside the simple set, a line
// break (indented or not, escaped or not) or a comment sign.
const doubleQuoted = fc
  .tuple(
    fc.array(
      mostly(
        ["abc", " ", "SEV2", "status: closed", '\\"', "\\\\", "\\n", "\\t", "\\u00e9", "'", " #", "x#"],
        [
          "\\/",
          "\\ ",
          "\\0",
          "\\e",
          "\\x41",
          "\\xZZ",
          "\\ud83d\\ude00",
          "\\U0001F600",
          "\\N",
          "\\_",
          "\\L",
          "\\P",
          "\\q",
          "\n",
          `\n${INDENT}`,
          `\n\n${INDENT}`,
          `\\\n${INDENT}`,
          "\\\n",
        ],
      ),
      { maxLength: 5 },
    ),
    // The close: a quote, a quote and a comment (glued or not), an escaped quote that leaves the
    // scalar open, or nothing.
    mostly(['"', '" # c'], ['"#c', '\\"', "", '" x']),
  )
  .map(([pieces, close]) => `"${pieces.join("")}${close}`);

const singleQuoted = fc
  .tuple(
    fc.array(
      mostly(
        ["abc", " ", "''", "status: closed", '"', " #", "x#", "\\"],
        ["'' x", "\n", `\n${INDENT}`, `\n\n${INDENT}`, `\n${INDENT}# c\n${INDENT}`],
      ),
      { maxLength: 5 },
    ),
    mostly(["'", "' # c"], ["'#c", "", "' x"]),
  )
  .map(([pieces, close]) => `'${pieces.join("")}${close}`);

const flowItem = mostly(
  ["a", "b c", "ops.capacity", "1", "true", "a#b", "a:b", "-1", "[x]", "[]"],
  [
    "",
    " ",
    "#c",
    " #c",
    "-",
    "- x",
    "k: v",
    "a:",
    "?",
    '"q"',
    "'s'",
    '"a, b"',
    "'a]'",
    '"\\"]"',
    "{a: 1}",
    "*al",
    "&an x",
    "!t x",
  ],
);
const flow = fc
  .tuple(
    fc.array(flowItem, { maxLength: 4 }),
    mostly([", ", ","], [" , ", `,\n${INDENT}`, ",\n"]),
    mostly(["]", "] # c"], ["]#c", "] x", ""]),
  )
  .map(([items, sep, close]) => `[${items.join(sep)}${close}`);

// Block scalar headers: style, chomping and indentation indicator in either order, a comment.
const blockHeader = fc
  .tuple(
    fc.constantFrom("|", ">"),
    mostly(["", "-"], ["+"]),
    mostly([""], ["1", "2"]),
    fc.boolean(),
    mostly(["", " # c"], ["  #c", " x"]),
  )
  .map(([style, chomp, ind, indFirst, tail]) => style + (indFirst ? ind + chomp : chomp + ind) + tail);
const blockLine = fc.oneof(
  { weight: 6, arbitrary: words.map((w) => INDENT + w) },
  { weight: 1, arbitrary: words.map((w) => `${INDENT}  ${w}`) },
  { weight: 1, arbitrary: fc.constantFrom("", INDENT, `${INDENT}   `, " ", `${INDENT}# not a comment`) },
);
const block = fc
  .tuple(blockHeader, fc.array(blockLine, { minLength: 0, maxLength: 3 }))
  .map(([header, lines]) => [header, ...lines].join("\n"));

const scalar = fc.oneof(
  { weight: 12, arbitrary: plain },
  { weight: 3, arbitrary: doubleQuoted },
  { weight: 2, arbitrary: singleQuoted },
  { weight: 2, arbitrary: flow },
  { weight: 3, arbitrary: block },
  // Empty values, a value that is a comment (a key "hidden" after it), and node properties.
  {
    weight: 1,
    arbitrary: mostly(["", "# c", '#"status: closed'], [" ", "? k", "*al", "&an x", "!!str x"]),
  },
);

type Tree = { map: [string, Value][] } | { seq: Value[]; indentless: boolean };
type Value = string | Tree;

const tree = fc.letrec<{ node: Tree; value: Value }>((tie) => ({
  node: fc.oneof(
    { depthIdentifier: "tree", maxDepth: 2 },
    fc.array(fc.tuple(key, tie("value")), { minLength: 1, maxLength: 3 }).map((map) => ({ map })),
    fc
      .tuple(fc.array(tie("value"), { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([seq, indentless]) => ({ seq, indentless })),
  ),
  value: fc.oneof({ depthIdentifier: "tree", maxDepth: 2 }, scalar, scalar, tie("node")),
}));

const pad = (n: number) => " ".repeat(n);

/** Renders a scalar after `head` (a key and `: `, or `- `) at the given node indentation. */
function renderScalar(head: string, text: string, indent: number, out: string[]): void {
  const [first, ...rest] = text.split("\n");
  out.push(`${head}${first}`);
  for (const line of rest) out.push(line.startsWith(INDENT) ? pad(indent + 2) + line.slice(1) : line);
}

function render(node: Tree, indent: number, out: string[]): void {
  if ("map" in node) {
    for (const [key, value] of node.map) {
      const head = `${pad(indent)}${key}:`;
      if (typeof value === "string") renderScalar(value === "" ? head : `${head} `, value, indent, out);
      else {
        out.push(head);
        render(value, "seq" in value && value.indentless ? indent : indent + 2, out);
      }
    }
    return;
  }
  for (const item of node.seq) {
    if (typeof item === "string") {
      renderScalar(`${pad(indent)}-${item === "" ? "" : " "}`, item, indent, out);
      continue;
    }
    // A collection in a sequence item starts on the item's line: `- key: v` or `- - x`.
    const inner: string[] = [];
    render(item, indent + 2, inner);
    const [first = "", ...rest] = inner;
    out.push(`${pad(indent)}- ${first.slice(indent + 2)}`, ...rest);
  }
}

const NOISE = [
  "# status: closed",
  "#",
  '# "',
  "  # indented comment",
  "",
  "   ",
  "...",
  "---",
  "? k",
  ": v",
  'x-k: #"status: closed',
  "status: closed",
  "- stray",
  "%YAML 1.2",
];
const BREAKS = ["\r\n", "\r", "\u0085", "\u2028", "\u2029"];
const ENDINGS = ["\n", "\n", "\n", "", "\n\n", "\n  \n", "\n  ", "\n# end"];

/** Incident-like documents: a mapping at the top, with noise lines, trailing blanks and odd breaks. */
const generatedText = fc
  .record({
    root: fc.array(fc.tuple(key, fc.oneof(scalar, tree.node)), {
      minLength: 1,
      maxLength: 4,
    }),
    noise: rarely(fc.tuple(fc.nat(), fc.constantFrom(...NOISE))),
    trailing: rarely(fc.tuple(fc.nat(), fc.constantFrom(" ", "  ", "\t"))),
    breaks: rarely(fc.tuple(fc.nat(), fc.constantFrom(...BREAKS))),
    ending: fc.constantFrom(...ENDINGS),
  })
  .map(({ root, noise, trailing, breaks, ending }) => {
    const lines: string[] = [];
    render({ map: root }, 0, lines);
    for (const [at, line] of noise) lines.splice(at % (lines.length + 1), 0, line);
    for (const [at, tail] of trailing) lines[at % lines.length] += tail;
    const text = lines.join("\n") + ending;
    return breaks.reduce((t, [at, br]) => replaceNthNewline(t, at, br), text);
  });

function replaceNthNewline(text: string, n: number, by: string): string {
  const count = text.split("\n").length - 1;
  if (count === 0) return text;
  let i = -1;
  for (let k = 0; k <= n % count; k++) i = text.indexOf("\n", i + 1);
  return text.slice(0, i) + by + text.slice(i + 1);
}

// Mutations of real files: insert a risky fragment at a line start, insert or delete characters,
// change a line break, add trailing blanks.
const FRAGMENTS = [
  'x: "abc\\"\n',
  'x-k: #"status: closed\n',
  "# status: closed\n",
  "k: |+\n  a\n",
  "k: >+\n",
  "k: |2-\n   a\n",
  "k: 'a\nb'\n",
  'k: "a\nb"\n',
  'k: "a\\N\\_\\L\\P\\x41"\n',
  "k: 'it''s'\n",
  "k:\n",
  "? k\n",
  "...\n",
  "  - [a, 'b]', c]\n",
];
const CHARS = [
  '"',
  "'",
  "\\",
  "#",
  ":",
  " ",
  "\n",
  "\t",
  "\r",
  "\u0085",
  "\u2028",
  "-",
  "|",
  ">",
  "+",
  "[",
  "]",
  "&",
  "*",
  "!",
  "?",
];
type Mutation =
  | { op: "fragment"; at: number; s: string }
  | { op: "char"; at: number; s: string }
  | { op: "delete"; at: number; n: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("fragment" as const), at: fc.nat(), s: fc.constantFrom(...FRAGMENTS) }),
  fc.record({
    op: fc.constant("fragment" as const),
    at: fc.nat(),
    s: generatedText.map((t) => (t.endsWith("\n") ? t : `${t}\n`)),
  }),
  fc.record({ op: fc.constant("char" as const), at: fc.nat(), s: fc.constantFrom(...CHARS) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
);

function mutate(text: string, m: Mutation): string {
  if (m.op === "fragment") {
    // At the start of a line, so the fragment is a line of its own at column 0.
    const starts = [0];
    for (let i = text.indexOf("\n"); i >= 0 && i + 1 < text.length; i = text.indexOf("\n", i + 1))
      starts.push(i + 1);
    const at = starts[m.at % starts.length] ?? 0;
    return text.slice(0, at) + m.s + text.slice(at);
  }
  const at = m.at % (text.length + 1);
  if (m.op === "char") return text.slice(0, at) + m.s + text.slice(at);
  return text.slice(0, at) + text.slice(at + m.n);
}

const mutatedExample = fc
  .tuple(fc.nat(EXAMPLES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([i, ms]) => {
    const ex = EXAMPLES[i] as (typeof EXAMPLES)[number];
    return { rel: ex.rel, text: ms.reduce(mutate, ex.text) };
  });

// --- Properties -------------------------------------------------------------------------------------

/** Undefined when the fast path refuses the text or agrees with the full parser; else what differs. */
function disagreement(text: string): string | undefined {
  const fast = parseFast(text);
  if (!fast) return undefined;
  const full = parseYamlDocument(text);
  if (full.findings.length > 0) return `full parser finds ${full.findings.map((f) => f.code).join(", ")}`;
  const at = firstDifference(fast.value, full.value);
  return at === undefined ? undefined : `values differ at "${at}"`;
}

const options = (quick: number) => ({ seed: SEED, numRuns: runs(quick) });

describe("fast path fuzzing", () => {
  it(
    "never reads a generated document differently from the full parser",
    () => {
      let admitted = 0;
      fc.assert(
        fc.property(generatedText, (text) => {
          if (parseFast(text)) admitted++;
          expect(disagreement(text)).toBeUndefined();
        }),
        options(2500),
      );
      // The generators must keep producing texts the fast path takes, or the property proves nothing.
      expect(admitted).toBeGreaterThan(runs(2500) / 10);
    },
    TIMEOUT,
  );

  it(
    "never reads a mutated example differently from the full parser",
    () => {
      fc.assert(
        fc.property(mutatedExample, ({ text }) => {
          expect(disagreement(text)).toBeUndefined();
        }),
        options(300),
      );
    },
    TIMEOUT,
  );

  it(
    "validate and validate --full-parse give the same diagnostics",
    async () => {
      const validators = await loadValidators(readSchemaTexts(join(repoRoot, "schemas")));
      const ctx = { config: mergeConfig(undefined), validators };
      const source = fc.oneof(
        mutatedExample,
        generatedText.map((text) => ({ rel: "incidents/2026/INC-2026-0001.yaml", text })),
      );
      fc.assert(
        fc.property(source, ({ rel, text }) => {
          const kind = rel.includes("/problems/") ? "problem" : "incident";
          const bytes = Buffer.from(text, "utf8");
          const fast = validateRecordBytes(rel, kind, bytes, ctx);
          const full = validateRecordBytes(rel, kind, bytes, { ...ctx, fullParse: true });
          expect(fast.diagnostics.map((d) => d.code)).toEqual(full.diagnostics.map((d) => d.code));
        }),
        options(150),
      );
    },
    TIMEOUT,
  );
});
