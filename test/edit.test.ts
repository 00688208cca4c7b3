import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appendIn, EditError, formatScalar, insertIn, removeFromList, setIn } from "../src/yaml/edit.js";

const base = `# yaml-language-server: $schema=../../schemas/incident.schema.json
# Hand-written note at the top.
id: INC-2026-0001
title: "Checkout errors"   # quoted on purpose
status: new
services: [checkout-api, payments]

roles:
  incident_commander: amara   # on call
timeline:
  - at: 2026-03-04T10:02:00Z
    type: detection
    text: |
      Alert fired.
      Second line.
empty:
`;

describe("YAML splice editing", () => {
  it("replaces a scalar and keeps its comment and every other byte", () => {
    const out = setIn(base, ["status"], "triaged");
    expect(out).toBe(base.replace("status: new", "status: triaged"));
    const out2 = setIn(base, ["roles", "incident_commander"], "jlee");
    expect(out2).toBe(
      base.replace("incident_commander: amara   # on call", "incident_commander: jlee   # on call"),
    );
  });

  it("quotes a scalar only when it must", () => {
    expect(formatScalar("plain text")).toBe("plain text");
    expect(formatScalar("true")).toBe('"true"');
    expect(formatScalar("a: b")).toBe('"a: b"');
    expect(formatScalar("@alice")).toBe('"@alice"');
    expect(formatScalar("2026-03-04T10:02:00Z")).toBe("2026-03-04T10:02:00Z");
    expect(formatScalar("two\nlines")).toBe('"two\\nlines"');
    expect(parse(`k: ${formatScalar("# not a comment")}`)).toEqual({ k: "# not a comment" });
  });

  it("adds a missing key at the end of its mapping with the mapping's indentation", () => {
    const out = setIn(base, ["roles", "scribe"], "erin");
    expect(out).toContain("  incident_commander: amara   # on call\n  scribe: erin\ntimeline:");
    expect(parse(out).roles).toEqual({ incident_commander: "amara", scribe: "erin" });
  });

  it("creates missing parent mappings", () => {
    const out = setIn(base, ["timestamps", "triaged_at"], "2026-03-04T10:10:00Z");
    expect(parse(out).timestamps).toEqual({ triaged_at: "2026-03-04T10:10:00Z" });
    expect(out.startsWith(base)).toBe(true);
  });

  it("fills an empty value with a nested mapping", () => {
    const out = setIn(base, ["empty", "inner"], "x");
    expect(parse(out).empty).toEqual({ inner: "x" });
    expect(out).toContain("empty:\n  inner: x\n");
  });

  it("appends to flow and block lists", () => {
    const flow = appendIn(base, ["services"], "search");
    expect(flow).toBe(base.replace("[checkout-api, payments]", "[checkout-api, payments, search]"));
    const entry = {
      at: "2026-03-04T10:05:00Z",
      type: "note",
      actor: "amara",
      text: "Rolled back: 5% errors",
    };
    const block = appendIn(base, ["timeline"], entry);
    expect(parse(block).timeline[1]).toEqual(entry);
    expect(block.startsWith(base.slice(0, base.indexOf("empty:")))).toBe(true);
    expect(block).toContain(
      '  - at: 2026-03-04T10:05:00Z\n    type: note\n    actor: amara\n    text: "Rolled back: 5% errors"\n',
    );
  });

  it("creates a missing list", () => {
    const out = appendIn(base, ["categories"], "ops.change");
    expect(parse(out).categories).toEqual(["ops.change"]);
  });

  it("inserts before an item to keep order", () => {
    const entry = { at: "2026-03-04T09:00:00Z", type: "note", text: "earlier" };
    const out = insertIn(base, ["timeline"], 0, entry);
    expect(parse(out).timeline.map((e: { text: string }) => e.text)).toEqual([
      "earlier",
      "Alert fired.\nSecond line.\n",
    ]);
  });

  it("removes a list item", () => {
    expect(removeFromList(base, ["services"], "payments")).toBe(
      base.replace("[checkout-api, payments]", "[checkout-api]"),
    );
    expect(removeFromList(base, ["services"], "checkout-api")).toBe(
      base.replace("[checkout-api, payments]", "[payments]"),
    );
  });

  it("appends to a file without a final newline", () => {
    const out = appendIn("a:\n  - x", ["a"], "y");
    expect(parse(out)).toEqual({ a: ["x", "y"] });
  });

  it("refuses to replace a collection or edit broken YAML", () => {
    expect(() => setIn(base, ["roles"], "x")).toThrow(EditError);
    expect(() => setIn("a: [", ["a"], "x")).toThrow(EditError);
  });
});

describe("placing new keys", () => {
  const order = () => ["id", "title", "summary", "status", "severity", "roles", "timestamps", "timeline"];
  const text = "# top\nid: X\ntitle: T # t\nstatus: new\n# about timeline\ntimeline:\n  - a\n";
  it("puts a new key after the last key that precedes it in the preferred order", () => {
    expect(setIn(text, ["summary"], "S", order)).toBe(
      "# top\nid: X\ntitle: T # t\nsummary: S\nstatus: new\n# about timeline\ntimeline:\n  - a\n",
    );
    expect(setIn(text, ["severity"], "SEV2", order)).toBe(
      "# top\nid: X\ntitle: T # t\nstatus: new\nseverity: SEV2\n# about timeline\ntimeline:\n  - a\n",
    );
  });

  it("puts a key that precedes every existing key first, and unknown keys last", () => {
    const t = "title: T\nstatus: new\n";
    expect(setIn(t, ["id"], "X", order)).toBe("id: X\ntitle: T\nstatus: new\n");
    expect(setIn(t, ["x-extra"], "1", order)).toBe('title: T\nstatus: new\nx-extra: "1"\n');
  });
});

describe("values land as exactly one scalar, in block and flow collections", () => {
  const flow = "services: [a]\nx-ext: {owner: a}\nnotes:\n  - first\n";

  it("quotes an item with a comma in a one-line list", () => {
    const out = appendIn(flow, ["services"], "search, cdn-edge");
    expect(out).toBe(flow.replace("[a]", '[a, "search, cdn-edge"]'));
    expect(parse(out).services).toEqual(["a", "search, cdn-edge"]);
  });

  it("quotes a value with a comma in a one-line mapping, new key or existing", () => {
    const added = setIn(flow, ["x-ext", "note"], "Rolled back, then fixed");
    expect(parse(added)["x-ext"]).toEqual({ owner: "a", note: "Rolled back, then fixed" });
    expect(added).toBe(flow.replace("{owner: a}", '{owner: a, note: "Rolled back, then fixed"}'));
    const replaced = setIn(flow, ["x-ext", "owner"], "b, c");
    expect(parse(replaced)["x-ext"]).toEqual({ owner: "b, c" });
    for (const v of ["a]", "{b}", "k: v", "x #y", "#", "[", "a:b", "?", "-"]) {
      expect(parse(appendIn(flow, ["services"], v)).services).toEqual(["a", v]);
      expect(parse(setIn(flow, ["x-ext", "owner"], v))["x-ext"]).toEqual({ owner: v });
    }
  });

  it("keeps a time plain in a one-line mapping (a colon splits only before a blank)", () => {
    const t = "timestamps: {detected_at: 2026-03-04T10:02:00Z}\n";
    expect(setIn(t, ["timestamps", "triaged_at"], "2026-03-04T10:10:00Z")).toBe(
      "timestamps: {detected_at: 2026-03-04T10:02:00Z, triaged_at: 2026-03-04T10:10:00Z}\n",
    );
    expect(setIn(t, ["timestamps", "x"], "a:")).toBe(
      'timestamps: {detected_at: 2026-03-04T10:02:00Z, x: "a:"}\n',
    );
  });

  it("writes a nested mapping into a one-line mapping as a one-line mapping", () => {
    const out = setIn(flow, ["x-ext", "a", "b"], "c, d: e");
    expect(parse(out)["x-ext"]).toEqual({ owner: "a", a: { b: "c, d: e" } });
    expect(out).toBe(flow.replace("{owner: a}", '{owner: a, a: {b: "c, d: e"}}'));
  });

  it("adds after the last item of a one-line list that ends in a comma or spans lines", () => {
    expect(parse(appendIn("l: [a, ]\n", ["l"], "b, c")).l).toEqual(["a", "b, c"]);
    expect(parse(appendIn("l: [\n  a,  # first\n  b  # second\n]\n", ["l"], "c")).l).toEqual(["a", "b", "c"]);
    expect(parse(appendIn("l: []\n", ["l"], "x, y")).l).toEqual(["x, y"]);
  });

  it("stores a multi-line item whose first line is indented exactly", () => {
    for (const v of ["  indented\nsecond", " one\n  two\n", "\tx\ny"]) {
      expect(parse(appendIn(flow, ["notes"], v)).notes).toEqual(["first", v]);
      const entry = { at: "2026-03-04T10:05:00Z", text: v };
      expect(parse(appendIn(flow, ["notes"], entry)).notes).toEqual(["first", entry]);
      expect(parse(setIn(flow, ["x-ext", "long"], v))["x-ext"]).toEqual({ owner: "a", long: v });
    }
  });

  it("writes a multi-line text in a block list as a literal block", () => {
    const out = appendIn(flow, ["notes"], "Line one.\nLine two.");
    expect(out).toBe(`${flow}  - |-\n    Line one.\n    Line two.\n`);
  });
});
