import { describe, expect, it } from "vitest";
import { safe } from "../src/cli/report.js";
import { cell } from "../src/render/escape.js";

describe("output escaping", () => {
  it("shows control characters and bidirectional overrides in terminal text", () => {
    expect(safe("a\u001b[2Jb")).toBe("a\\u001b[2Jb");
    expect(safe("abc\u202edef")).toBe("abc\\u202edef");
  });

  it("drops bidirectional overrides from Markdown cells and neutralises mentions and references", () => {
    const out = cell("ok\u202e@everyone #1 |x|");
    expect(out).not.toContain("\u202e");
    expect(out).not.toContain("@everyone");
    expect(out).not.toMatch(/(^|[^&])#1/);
    expect(out).not.toContain("|");
  });
});
