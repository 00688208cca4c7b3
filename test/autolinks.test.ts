// Record text posted to GitHub links nowhere: bare URLs, www. hosts, GH-n and GHSA references, issue
// URLs, commit SHAs, owner/repo#n, #n and @mentions are neutralised in the sticky PR comment, the
// digest issue and postmortem prose; the text still reads the same with the zero-width spaces removed.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTemplates } from "../src/cli/render.js";
import { defaultConfig } from "../src/config/defaults.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { renderComment } from "../src/github/comment.js";
import type { Incident } from "../src/model/types.js";
import type { Digest } from "../src/reminders/compute.js";
import { renderDigestMarkdown } from "../src/reminders/render.js";
import { cell, neutraliseAutolinks } from "../src/render/escape.js";
import { compileTemplates, escapeMarkdown } from "../src/render/markdown.js";
import { buildPostmortemModel } from "../src/render/model.js";

const ZWSP = "\u200b";

/** One example of each kind of autolink GitHub makes in issue and comment text. */
const KINDS: Record<string, string> = {
  url: "see https://evil.example/path for details",
  httpUrl: "or http://evil.example",
  issueUrl: "https://github.com/other-org/other-repo/issues/42",
  www: "visit www.evil.example today",
  gh: "fixed in GH-123",
  ghLower: "fixed in gh-7",
  ghsa: "GHSA-abcd-efgh-ijkl",
  sha40: "reverted a5c3785ed8d6a35868bc169f07e40e889087fd2e",
  sha7: "commit deadbee broke it",
  repoRef: "other-org/other-repo#99",
  hashRef: "as in #12",
  mention: "ping @octocat and @org/team",
  email: "mail root@evil.example",
  userSha: "octocat@a5c3785",
};

/** Text as GitHub reads it: entities and backslash escapes decoded. */
function decoded(markdown: string): string {
  return markdown
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(
      /&(amp|lt|gt|quot);/g,
      (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"' })[e] as string,
    )
    .replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

/** Every autolink trigger in decoded text (what GitHub would turn into a link or a reference). */
function triggers(text: string): string[] {
  const patterns = [
    /[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*/g,
    /(?<![0-9A-Za-z])www\.[0-9A-Za-z]\S*/gi,
    /(?<![0-9A-Za-z])GH(?:SA)?-[0-9A-Za-z]+/gi,
    /(?<![0-9A-Za-z])[0-9a-f]{7,}(?![0-9A-Za-z])/gi,
    /(?<![0-9A-Za-z_])@[A-Za-z0-9]\S*/g,
    /\S*@[A-Za-z0-9]\S*/g,
    /\S*#[0-9]+/g,
  ];
  return patterns.flatMap((p) => text.match(p) ?? []);
}

describe("the trigger finder", () => {
  it.each(Object.entries(KINDS))("finds the autolink in %s", (_, text) => {
    expect(triggers(text).length).toBeGreaterThan(0);
  });
});

describe("neutraliseAutolinks", () => {
  it.each(Object.entries(KINDS))("breaks %s and keeps the text", (_, text) => {
    const out = neutraliseAutolinks(text);
    expect(out.replaceAll(ZWSP, "")).toBe(text);
  });

  it("leaves a SHA in runs of at most six hex digits, and ordinary words and ids alone", () => {
    const out = neutraliseAutolinks("a5c3785ed8d6a35868bc169f07e40e889087fd2e");
    expect(out.split(ZWSP).every((part) => part.length <= 6)).toBe(true);
    for (const plain of ["INC-2026-0001", "decade", "2026-03-14 07:05 UTC", "ends with www.", "high-5"])
      expect(neutraliseAutolinks(plain)).toBe(plain);
  });
});

describe.each([
  ["cell", cell],
  ["escapeMarkdown", escapeMarkdown],
])("%s", (_, esc) => {
  it.each(Object.entries(KINDS))("leaves no autolink in %s", (_, text) => {
    const out = decoded(esc(text));
    expect(triggers(out)).toEqual([]);
    expect(out.replaceAll(ZWSP, "")).toBe(text);
  });

  it("leaves no autolink in any mix of them (property, fixed seed)", () => {
    const piece = fc.constantFrom(...Object.values(KINDS), " ", "(", ")", ".", ",", "/", "-", "x", "7", "f");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const text = parts.join("");
        const out = decoded(esc(text));
        expect(triggers(out)).toEqual([]);
        expect(out.replaceAll(ZWSP, "")).toBe(text.replace(/\s+/g, " ").trim());
      }),
      { seed: 20260314, numRuns: 300 },
    );
  });
});

const hostile = Object.values(KINDS).join(" ");

describe("the sticky PR comment", () => {
  it("links nothing from a record's title, id, states or a finding's message", () => {
    const body = renderComment(
      [
        {
          file: "incidents/2026/INC-2026-0001.yaml",
          id: "INC-2026-0001",
          title: hostile,
          severity: "GH-1",
          from: "www.evil.example",
          to: "deadbeef00",
          findings: 1,
        },
      ],
      [
        {
          code: "SCHEMA_TYPE",
          severity: "error",
          message: `bad value ${hostile}`,
          file: "incidents/2026/INC-2026-0001.yaml",
          line: 3,
          column: 1,
        } as Diagnostic,
      ],
    );
    const visible = decoded(body.replace(/^<!--.*-->$/m, ""));
    expect(triggers(visible)).toEqual([]);
    expect(visible.replaceAll(ZWSP, "")).toContain(hostile);
  });
});

describe("the digest issue", () => {
  const digest: Digest = {
    now: "2026-03-14T09:00:00Z",
    today: "2026-03-14",
    timezone: "UTC",
    actionItems: [
      {
        record: "INC-2026-0001",
        recordTitle: hostile,
        id: "AI-1",
        title: hostile,
        owner: "@octocat",
        due: "2026-03-01",
        status: "open",
        daysOverdue: 13,
        tracker: "https://github.com/other-org/other-repo/issues/42",
      },
    ],
    postmortems: [
      {
        incident: "INC-2026-0002",
        title: hostile,
        severity: "SEV2",
        resolvedAt: "2026-03-01T00:00:00Z",
        due: "2026-03-06",
        businessDays: 5,
        daysOverdue: 8,
        owner: "GH-5",
      },
    ],
    stuck: [
      {
        incident: "INC-2026-0003",
        title: hostile,
        status: "investigating",
        since: "2026-03-01T00:00:00Z",
        forMs: 86_400_000,
        limit: "1d",
        owner: "www.evil.example",
      },
    ],
    unownedProblems: [{ problem: "PRB-2026-0001", title: hostile, status: "a5c3785" }],
    filings: [
      {
        incident: "INC-2026-0004",
        title: hostile,
        regime: "gh-1",
        regimeName: hostile,
        report: "www.evil.example",
        reportName: hostile,
        state: "due",
        deadline: "2026-03-15T00:00:00Z",
        zone: "UTC",
        leftMs: 3_600_000,
        withoutUndueDelay: false,
        owner: "@octocat",
      },
    ],
    excludedIncidents: 0,
  };

  it("links nothing from any record value", () => {
    const body = renderDigestMarkdown(digest, { target: "github" });
    const visible = decoded(body.replace(/^<!--.*-->$/m, ""));
    expect(triggers(visible)).toEqual([]);
    expect(visible.replaceAll(ZWSP, "")).toContain(hostile);
  });
});

describe("a postmortem", () => {
  const compiled = compileTemplates(readTemplates());
  const incident: Incident = {
    schema_version: 1,
    id: "INC-2026-0100",
    title: hostile,
    summary: hostile,
    status: "resolved",
    timestamps: { detected_at: "2026-03-14T07:00:00Z", resolved_at: "2026-03-14T08:00:00Z" },
    timeline: [{ at: "2026-03-14T07:00:00Z", type: "note", text: hostile }],
    external_refs: [{ type: "chat", url: "https://chat.example/archives/1" }],
  } as Incident;

  it("links nothing from record prose, but keeps the links the template writes", () => {
    const md = compiled.render(buildPostmortemModel(incident, defaultConfig, []));
    // The template's own links: `[label](target)`, kept as written.
    expect(md).toContain("[https://chat.example/archives/1](https://chat.example/archives/1)");
    const prose = decoded(md.replace(/\[[^\]]*\]\([^)]*\)/g, ""));
    expect(triggers(prose)).toEqual([]);
    expect(prose.replaceAll(ZWSP, "")).toContain(hostile);
  });
});
