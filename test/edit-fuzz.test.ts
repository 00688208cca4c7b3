// Property tests of the splice editor: any text set into a block or flow collection, as a scalar, a
// list item or a nested key, reads back unchanged (with the hardened parser and through the one
// record reader with both parsers), and every other byte of the file stays as it was.
//
// Fixed seed and bounded runs keep `npm test` at a few seconds; INCIDENT_FUZZ_RUNS=N runs longer,
// INCIDENT_FUZZ_SEED=N tries another seed. A failure prints the seed and the shrunk value.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { readRecord } from "../src/validate/read.js";
import { appendIn, insertIn, type PathKey, setIn } from "../src/yaml/edit.js";
import { parseYamlDocument } from "../src/yaml/parse.js";
import { cliIn, repoRoot } from "./helpers/cli.js";

const RUNS = Number(process.env.INCIDENT_FUZZ_RUNS ?? "") || 0;
const SEED = Number(process.env.INCIDENT_FUZZ_SEED ?? "") || 20261203;
const options = (quick: number) => ({ seed: SEED, numRuns: RUNS > 0 ? RUNS : quick });
const TIMEOUT = RUNS > 0 ? 0 : 30_000;

/** Block and flow collections, comments, a block scalar, an empty value: what people write. */
const BASE = `# yaml-language-server: $schema=../../schemas/incident.schema.json
id: INC-2026-0001   # the id
title: "Checkout errors"
summary: plain text
status: new
services: [checkout-api, payments]   # one line
tags: []
x-ext: {owner: amara, list: [a, 'b c'], nested: {k: v}}
roles:
  incident_commander: amara   # on call
  # a comment inside the mapping
  scribe: erin
notes:
  - first
  - at: 2026-03-04T10:02:00Z
    text: |
      Alert fired.
      Second line.

  # a comment after the list
empty:
timeline:
  - at: 2026-03-04T10:02:00Z
    type: detection
    text: Declared.
tail: end
`;

type Obj = Record<string, unknown>;
const baseValue = parseDocument(BASE).toJS() as Obj;

// --- Values -----------------------------------------------------------------------------------------
const RISKY = [
  ",",
  ", ",
  ":",
  ": ",
  "#",
  " #",
  "'",
  '"',
  "[",
  "]",
  "{",
  "}",
  "-",
  "- ",
  "?",
  "? ",
  "&",
  "*",
  "!",
  "%",
  "@",
  "`",
  "|",
  ">",
  "\\",
  "\\n",
  " ",
  "  ",
  "\n",
  "\n\n",
  "\t",
  "\r",
  "\u0000",
  "\u0085",
  "\u2028",
  "\u007f",
  "\ufeff",
  "\u00a0",
  "é",
  "日本",
  "😀",
  "true",
  "null",
  "~",
  "1",
  "0x1F",
  ".5",
  "1e3",
  "1_000",
  "0o17",
  "Yes",
  "2026-03-04",
  "10:02",
  "<<",
  "=",
  "---",
  "...",
  "a",
  "word",
];
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...RISKY) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 3 }) },
);
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
/** A list item: a text, or a mapping of texts (a timeline entry). */
const item = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: fc.record({ at: text, text }) },
);

// --- Where the values go ----------------------------------------------------------------------------
/** Existing scalars, block and flow: replaced in place. */
const SCALARS: PathKey[][] = [
  ["title"],
  ["summary"],
  ["roles", "incident_commander"],
  ["notes", 0],
  ["notes", 1, "text"],
  ["timeline", 0, "text"],
  ["tail"],
  ["services", 1],
  ["x-ext", "owner"],
  ["x-ext", "list", 1],
  ["x-ext", "nested", "k"],
];
/** Keys that do not exist yet, in block and flow mappings and below an empty value. */
const NEW_KEYS: PathKey[][] = [
  ["roles", "comms_lead"],
  ["x-ext", "note"],
  ["x-ext", "a", "b"],
  ["x-ext", "nested", "z"],
  ["empty", "k"],
  ["resolution", "summary"],
  ["notes", 1, "extra"],
];
/** Lists, block and flow, empty and missing. */
const LISTS: PathKey[][] = [["services"], ["tags"], ["notes"], ["timeline"], ["x-ext", "list"], ["missing"]];

function getPath(value: unknown, path: readonly PathKey[]): unknown {
  let cur = value;
  for (const key of path) cur = (cur as Record<PathKey, unknown> | undefined)?.[key];
  return cur;
}

function withSet(value: Obj, path: readonly PathKey[], v: unknown): Obj {
  const root = structuredClone(value);
  let cur = root as Record<PathKey, unknown>;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) cur[key] = v;
    else {
      if (cur[key] === null || typeof cur[key] !== "object") cur[key] = {};
      cur = cur[key] as Record<PathKey, unknown>;
    }
  }
  return root;
}

/** Every reader reads `out` as `expected`, with no finding. */
function expectReadsAs(out: string, expected: Obj): void {
  const parsed = parseYamlDocument(out);
  expect(parsed.findings, out).toEqual([]);
  expect(parsed.value).toEqual(expected);
  const read = readRecord(Buffer.from(out), { maxBytes: 1_000_000, mode: "both" });
  expect(read.findings, out).toEqual([]);
  expect(read.value).toEqual(expected);
}

/**
 * The bytes of `before` that `after` does not keep: the span between their common prefix and common
 * suffix. An insertion removes nothing; a replacement removes only the old value's text.
 */
function removedSpan(before: string, after: string): [number, number] {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before[p] === after[p]) p++;
  let s = 0;
  while (s < max - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  return [p, before.length - s];
}

function valueRange(path: readonly PathKey[]): [number, number] {
  const node = parseDocument(BASE).getIn(path, true) as { range: [number, number, number] };
  return [node.range[0], node.range[1]];
}

describe("the editor writes any value as itself, touching nothing else", () => {
  it(
    "set path=value on an existing scalar (block and flow)",
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...SCALARS), text, (path, value) => {
          const out = setIn(BASE, path, value);
          expectReadsAs(out, withSet(baseValue, path, value));
          const [from, to] = removedSpan(BASE, out);
          const [start, end] = valueRange(path);
          if (from < to) {
            expect(from).toBeGreaterThanOrEqual(start);
            expect(to).toBeLessThanOrEqual(end);
          }
        }),
        options(250),
      );
    },
    TIMEOUT,
  );

  it(
    "set a.b=value on new keys (block and flow mappings, empty values, missing parents)",
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...NEW_KEYS), text, (path, value) => {
          const out = setIn(BASE, path, value);
          expectReadsAs(out, withSet(baseValue, path, value));
          const [from, to] = removedSpan(BASE, out);
          expect(to - from, "an added key removes no byte").toBe(0);
        }),
        options(250),
      );
    },
    TIMEOUT,
  );

  it(
    "path+=item appends, and inserts before the first item (block, flow, empty, missing lists)",
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...LISTS), item, fc.boolean(), (path, value, first) => {
          const list = (getPath(baseValue, path) as unknown[] | undefined) ?? [];
          const out = first ? insertIn(BASE, path, 0, value) : appendIn(BASE, path, value);
          expectReadsAs(out, withSet(baseValue, path, first ? [value, ...list] : [...list, value]));
          const [from, to] = removedSpan(BASE, out);
          if (path[0] === "tags" && from < to) {
            // Only `[]` is written in place; nothing else is removed.
            expect(BASE.slice(from, to)).toBe("");
          }
          expect(to - from, "an added item removes no byte").toBe(0);
        }),
        options(250),
      );
    },
    TIMEOUT,
  );

  it(
    "edits in a row keep every value (several assignments of one command)",
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.constantFrom(...SCALARS, ...NEW_KEYS), text), { maxLength: 5 }),
          (ops) => {
            let out = BASE;
            let expected = baseValue;
            for (const [path, value] of ops) {
              out = setIn(out, path, value);
              expected = withSet(expected, path, value);
            }
            expectReadsAs(out, expected);
          },
        ),
        options(100),
      );
    },
    TIMEOUT,
  );
});

// --- Through the command line -----------------------------------------------------------------------
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "incident-edit-fuzz-"));
  dirs.push(dir);
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  cpSync(join(repoRoot, "schemas"), join(dir, "schemas"), { recursive: true });
  return dir;
}

describe("incident set with hostile values", () => {
  const OPEN = "INC-2026-0002";
  const file = (dir: string) => join(dir, "incidents/2026", `${OPEN}.yaml`);

  it("stores each value as one scalar in one-line collections, and reads back unchanged", async () => {
    const dir = scratch();
    const before = readFileSync(file(dir), "utf8");
    writeFileSync(file(dir), `${before}x-ext: {owner: a, list: [one]}\n`);
    // A command-line argument cannot hold a NUL byte.
    const values = fc
      .sample(text, { seed: SEED, numRuns: 6 })
      .filter((v) => v !== "" && !v.includes("\u0000"));
    values.push("Rolled back, then fixed", "a: b, c: d}", "- x\n  y: z");
    const args = values.flatMap((v, i) => [`x-ext.k${i}=${v}`, `x-ext.list+=${v}`]);
    const r = await cliIn(dir, ["set", OPEN, ...args]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const after = readFileSync(file(dir), "utf8");
    expect(after.startsWith(before)).toBe(true);
    const read = readRecord(Buffer.from(after), { maxBytes: 1_000_000, mode: "both" });
    expect(read.findings).toEqual([]);
    const ext = (read.value as Obj)["x-ext"] as Obj;
    expect(ext.list).toEqual(["one", ...new Set(values)]);
    values.forEach((v, i) => {
      expect(ext[`k${i}`]).toBe(v);
    });
  });

  it("refuses services+=a, b on a one-line list: one item named `a, b` is no service", async () => {
    const dir = scratch();
    const before = readFileSync(file(dir), "utf8");
    const r = await cliIn(dir, ["set", OPEN, "services+=checkout-api, postgres-orders"]);
    expect(r.status).toBe(1);
    expect(readFileSync(file(dir), "utf8")).toBe(before);
  });
});
