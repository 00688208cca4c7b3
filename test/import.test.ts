// `incident import` as a user runs it: every adapter's fixture round-trips (import, validate clean,
// re-import changes nothing, an edited record is refused and left alone), --dry-run writes nothing,
// config additions are a diff until --write-config, and a seeded collection of 250 Markdown
// postmortems imports valid under the default rules and is listed, rendered and counted.

import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = scratchRepo();
  dirs.push(d);
  return d;
};
const fx = (rel: string) => join(repoRoot, "test/fixtures/import", rel);
const NOW = "2026-12-01T10:00:00Z";

const ADAPTERS: Array<{ name: string; args: string[] }> = [
  {
    name: "pagerduty",
    args: [
      fx("pagerduty/incidents.json"),
      fx("pagerduty/log_entries.json"),
      "--mapping",
      fx("pagerduty/mapping.yaml"),
    ],
  },
  { name: "statuspage", args: [fx("statuspage/incidents.json")] },
  { name: "markdown", args: [fx("markdown/postmortems"), "--mapping", fx("markdown/mapping.yaml")] },
  { name: "csv", args: [fx("csv/incidents.csv"), "--mapping", fx("csv/mapping.yaml")] },
  { name: "json", args: [fx("json/incidents.json"), "--mapping", fx("json/mapping.yaml")] },
];

function recordFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".yaml")) out.set(p, readFileSync(p, "utf8"));
    }
  };
  walk(join(dir, "incidents"));
  return out;
}

/** The import's own diagnostics (on stderr as file:line:column CODE). */
function expectImport(stderr: string, code: string): void {
  expect(stderr).toMatch(new RegExp(`:\\d+:\\d+ ${code} `));
}

describe("incident import round trips", () => {
  for (const a of ADAPTERS) {
    it(`${a.name}: import, validate clean, re-import is a no-op, an edited record is refused`, async () => {
      const dir = scratch();
      const first = await cli(["import", a.name, ...a.args, "-C", dir, "--write-config"], { now: NOW });
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/^created INC-\d{4}-\d{4} /m);
      const valid = await cli(["validate", "-C", dir, "--no-cache"]);
      expect(valid.stdout + valid.stderr).toMatch(/files valid/);
      expect(valid.status).toBe(0);
      const before = recordFiles(dir);
      const again = await cli(["import", a.name, ...a.args, "-C", dir], { now: "2026-12-02T10:00:00Z" });
      expect(again.status).toBe(0);
      expect(again.stdout).not.toMatch(/^(created|updated) /m);
      expect(recordFiles(dir)).toEqual(before);
      // Someone edits one imported record: the next import leaves it alone and says so.
      const [file, text] = [...before].find(([, t]) => t.includes(`source: ${a.name}`)) as [string, string];
      writeFileSync(file, text.replace(/^title: .*$/m, "title: Edited by hand after the import"));
      const refused = await cli(["import", a.name, ...a.args, "-C", dir], { now: NOW });
      expect(refused.status).toBe(1);
      expectImport(refused.stderr, "IMPORT_EDITED");
      expect(readFileSync(file, "utf8")).toContain("title: Edited by hand after the import");
    });
  }

  it("--dry-run prints diffs and writes nothing; unknown services are a config diff until --write-config", async () => {
    const dir = scratch();
    const config = readFileSync(join(dir, "incident.config.yaml"), "utf8");
    const pd = ADAPTERS[0] as { args: string[] };
    const dry = await cli(["import", "pagerduty", ...pd.args, "-C", dir, "--dry-run", "--write-config"], {
      now: NOW,
    });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^would be created INC-2025-0001 /m);
    expect(dry.stdout).toContain("+++ b/incidents/2025/INC-2025-0001.yaml");
    expect(dry.stdout).toContain("+  - id: search-indexer");
    expect(readFileSync(join(dir, "incident.config.yaml"), "utf8")).toBe(config);
    expect(recordFiles(dir).size).toBe(5);
    const plain = await cli(["import", "pagerduty", ...pd.args, "-C", dir], { now: NOW });
    expect(plain.stdout).toMatch(/Not mapped:\n.*services: service `Search Indexer` is not in the config/);
    expect(readFileSync(join(dir, "incident.config.yaml"), "utf8")).toBe(config);
    // Accepting the additions keeps the config's comments and updates the untouched record.
    const accepted = await cli(["import", "pagerduty", ...pd.args, "-C", dir, "--write-config"], {
      now: NOW,
    });
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toMatch(/^updated INC-2025-0002 /m);
    const after = readFileSync(join(dir, "incident.config.yaml"), "utf8");
    expect(after.startsWith(config.split("\nteams:")[0] as string)).toBe(true);
    expect(after).toContain("  - id: search-indexer\n    name: Search Indexer\n");
    expect(readFileSync(join(dir, "incidents/2025/INC-2025-0002.yaml"), "utf8")).toContain(
      "- search-indexer",
    );
  });

  it("--write-config keeps the editor's schemas in step with the config (no SCHEMA_STALE after it)", async () => {
    const dir = scratch();
    expect((await cli(["schema", "--write", "-C", dir])).status).toBe(0);
    const pd = ADAPTERS[0] as { args: string[] };
    const r = await cli(["import", "pagerduty", ...pd.args, "-C", dir, "--write-config"], { now: NOW });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/incident\.schema\.json: written/);
    const check = await cli(["schema", "--check", "-C", dir]);
    expect(check.stdout).not.toContain("SCHEMA_STALE");
    expect(check.status).toBe(0);
  });

  it("bad input is reported with file:line:column and a stable code; the rest is still imported", async () => {
    const dir = scratch();
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"incidents": [\n  {"id": "P1", "title": "x",}\n]}');
    const r = await cli(["import", "pagerduty", bad, fx("pagerduty/incidents.json"), "-C", dir], {
      now: NOW,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\/bad\.json:2:29 IMPORT_SYNTAX /m);
    expect(r.stdout).toMatch(/2 created/);
    const badMapping = join(dir, "m.yaml");
    writeFileSync(badMapping, "version: 1\nfields:\n  title: [a, b]\n");
    const m = await cli(["import", "csv", fx("csv/incidents.csv"), "--mapping", badMapping, "-C", dir]);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/\/m\.yaml:3:10 IMPORT_MAPPING /m);
    const unsafe = join(dir, "u.json");
    writeFileSync(unsafe, '[{"id": "x", "constructor": {"prototype": {}}}]');
    const u = await cli(["import", "statuspage", unsafe, "-C", dir]);
    expectImport(u.stderr, "IMPORT_UNSAFE_KEY");
    const shape = await cli(["import", "statuspage", fx("csv/mapping.yaml"), "-C", dir]);
    expect(shape.status).toBe(1);
    const wrong = join(dir, "w.json");
    writeFileSync(wrong, '{"page": {"id": "x"}}');
    expectImport((await cli(["import", "statuspage", wrong, "-C", dir])).stderr, "IMPORT_SHAPE");
    const deep = join(dir, "d.json");
    writeFileSync(deep, `${"[".repeat(70)}${"]".repeat(70)}`);
    expectImport(
      (await cli(["import", "json", deep, "--mapping", fx("json/mapping.yaml"), "-C", dir])).stderr,
      "IMPORT_TOO_LARGE",
    );
    const usage = await cli(["import", "markdown", fx("markdown/postmortems"), "-C", dir]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("needs --mapping");
  });

  it("never writes an invalid record: it reports the findings instead", async () => {
    const dir = scratch();
    const mapping = join(dir, "m.yaml");
    writeFileSync(mapping, "version: 1\nsource_id: ticket\nfields:\n  title: title\n  severity: sev\n");
    const csv = join(dir, "x.csv");
    writeFileSync(csv, "ticket,title,sev\nT-1,No time at all,SEV9\n");
    const r = await cli(["import", "csv", csv, "--mapping", mapping, "-C", dir], { now: NOW });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^invalid csv T-1/m);
    expect(r.stderr).toMatch(/SCHEMA_LIMIT|UNKNOWN_SEVERITY/);
    expect(recordFiles(dir).size).toBe(5);
  });
});

describe("the mapping file and the inputs are regular files, read up to their cap", () => {
  it("a device, a FIFO or a link as the mapping is a usage error (exit 2), read not at all", async () => {
    const dir = scratch();
    const csv = fx("csv/incidents.csv");
    if (existsSync("/dev/zero")) {
      const zero = await cli(["import", "csv", csv, "--mapping", "/dev/zero", "-C", dir], { now: NOW });
      expect(zero.status).toBe(2);
    }
    const tmp = mkdtempSync(join(tmpdir(), "incident-import-"));
    dirs.push(tmp);
    execFileSync("mkfifo", [join(tmp, "m.fifo")]);
    // A child process with a deadline: a read that blocks on the FIFO fails here instead of hanging.
    const fifo = runCli(["import", "csv", csv, "--mapping", join(tmp, "m.fifo"), "-C", dir], {
      timeout: 20_000,
    });
    expect(fifo.status).toBe(2);
    symlinkSync(fx("csv/mapping.yaml"), join(tmp, "linked.yaml"));
    const linked = await cli(["import", "csv", csv, "--mapping", join(tmp, "linked.yaml"), "-C", dir], {
      now: NOW,
    });
    expect(linked.status).toBe(2);
    symlinkSync(csv, join(tmp, "linked.csv"));
    const input = await cli(
      ["import", "csv", join(tmp, "linked.csv"), "--mapping", fx("csv/mapping.yaml"), "-C", dir],
      { now: NOW },
    );
    expect(input.status).toBe(2);
    expect(recordFiles(dir).size).toBe(5);
  }, 30_000);

  it("a mapping over its cap, however large, is IMPORT_TOO_LARGE (exit 1)", async () => {
    const dir = scratch();
    const big = join(dir, "big.yaml");
    writeFileSync(big, `version: 1\n${"#".repeat(2 * 1024 * 1024)}\n`);
    const r = await cli(["import", "csv", fx("csv/incidents.csv"), "--mapping", big, "-C", dir], {
      now: NOW,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/big\.yaml:1:1 IMPORT_TOO_LARGE /);
  });
});

describe("the year a record is filed under", () => {
  const MAPPING = [
    "version: 1",
    "source_id: ticket",
    "fields:",
    "  title: title",
    '  timestamps.resolved_at: { from: closed, time: "YYYY-MM-DD HH:mm", zone: UTC }',
    "set:",
    "  status: resolved",
    "",
  ].join("\n");

  it("is the year of the record's earliest time, a resolution time too, not the year of the import", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "m.yaml"), MAPPING);
    writeFileSync(join(dir, "r.csv"), "ticket,title,closed\nT-1,Only resolved,2023-05-04 10:00\n");
    const r = await cli(["import", "csv", join(dir, "r.csv"), "--mapping", join(dir, "m.yaml"), "-C", dir], {
      now: NOW,
    });
    expect(r.status).toBe(0);
    expect([...recordFiles(dir).keys()].filter((f) => f.includes("INC-2023-"))).toEqual([
      join(dir, "incidents/2023/INC-2023-0001.yaml"),
    ]);
  });

  it("is the year of the import only when the record has no time at all, and the report says so", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "m.yaml"), MAPPING);
    writeFileSync(join(dir, "r.csv"), "ticket,title,closed\nT-1,No time,\n");
    const r = await cli(
      ["import", "csv", join(dir, "r.csv"), "--mapping", join(dir, "m.yaml"), "-C", dir, "--format", "json"],
      { now: NOW },
    );
    const report = JSON.parse(r.stdout) as { unmapped: Array<{ id?: string; field: string }> };
    expect(report.unmapped.filter((u) => u.field === "id").map((u) => u.id)).toEqual(["INC-2026-0005"]);
  });
});

describe("docs/import.md", () => {
  const doc = readFileSync(join(repoRoot, "docs/import.md"), "utf8");
  it("shows the example files as they are", () => {
    for (const m of doc.matchAll(/^`([a-z]+\/[\w./-]+)`:\n\n```\w+\n([\s\S]*?)```$/gm)) {
      expect(readFileSync(fx(m[1] as string), "utf8"), m[1]).toBe(m[2]);
    }
    expect([...doc.matchAll(/^`[a-z]+\/[\w./-]+`:$/gm)].length).toBe(10);
  });
  it("runs every example command as shown, from test/fixtures/import", async () => {
    const commands = [...doc.matchAll(/^incident import (.+)$/gm)]
      .map((m) => (m[1] as string).split(" "))
      .filter((c) => !c[0]?.startsWith("<"));
    expect(commands.map((c) => c[0])).toEqual(["pagerduty", "statuspage", "markdown", "csv", "json"]);
    for (const args of commands) {
      const dir = scratch();
      const r = await cli(["import", ...args, "-C", dir], { cwd: fx(""), now: NOW });
      expect(r.stderr, args.join(" ")).toBe("");
      expect(r.status, args.join(" ")).toBe(0);
      expect((await cli(["validate", "-C", dir, "--no-cache"])).status).toBe(0);
    }
  });
});

// The done-when test: a seeded generator of postmortems in the shape public postmortem collections
// use (start and end times, categories, company, product, links, prose).
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function postmortems(dir: string, n: number, seed: number): void {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const companies = ["Northwind", "Contoso Cloud", "Fabrikam Pay", "Tailspin Air", "Wide World Hosting"];
  const products = ["Storefront", "Checkout", "Login", "Search", "Mobile App"];
  const cats = ["database", "deploy", "network", "certificate", "capacity", "dns"];
  const impacts = ["outage", "degraded", "minor"];
  const words = [
    "cache",
    "replica",
    "rollout",
    "queue",
    "TLS",
    "quota",
    "config",
    "failover",
    "index",
    "DNS",
  ];
  for (let i = 0; i < n; i++) {
    const year = 2012 + Math.floor(r() * 12);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const hour = Math.floor(r() * 20);
    const minutes = 5 + Math.floor(r() * 600);
    const p2 = (x: number) => String(x).padStart(2, "0");
    const start = `${year}-${p2(month)}-${p2(day)} ${p2(hour)}:${p2(Math.floor(r() * 60))}`;
    const endMs = Date.parse(`${start.replace(" ", "T")}:00Z`) + minutes * 60_000;
    const end = new Date(endMs).toISOString().slice(0, 16).replace("T", " ");
    const title = `${pick(words)} ${pick(["failure", "exhaustion", "misconfiguration", "expiry", "overload"])} at ${pick(companies)} #${i}`;
    const categories = [...new Set([pick(cats), pick(cats)])];
    const links = r() < 0.7 ? `links:\n  - https://status.example.com/pm/${i}\n` : "";
    const prose = Array.from({ length: 1 + Math.floor(r() * 4) }, () =>
      Array.from({ length: 8 + Math.floor(r() * 20) }, () => pick(words)).join(" "),
    ).join("\n\n");
    writeFileSync(
      join(dir, `pm-${String(i).padStart(3, "0")}.md`),
      `---\ntitle: "${title}"\nstart: ${start}\nend: ${end}\nimpact: ${pick(impacts)}\ncategories: [${categories.join(", ")}]\ncompany: ${pick(companies)}\nproduct: ${pick(products)}\n${links}---\n# ${title}\n\n${prose}\n`,
    );
  }
}

const COLLECTION_MAPPING = `version: 1
fields:
  title: title
  timestamps.impact_started_at: { from: start, time: "YYYY-MM-DD HH:mm", zone: UTC }
  timestamps.impact_ended_at: { from: end, time: "YYYY-MM-DD HH:mm", zone: UTC }
  timestamps.resolved_at: { from: end, time: "YYYY-MM-DD HH:mm", zone: UTC }
  services: product
  external_refs: { from: links, link_type: doc }
  x-company: company
severity:
  - when: { key: impact, equals: outage }
    set: SEV1
  - when: { key: impact, equals: degraded }
    set: SEV3
  - when: { key: impact, equals: minor }
    set: SEV4
categories:
  - when: { key: categories, contains: database }
    add: ops.capacity
  - when: { key: categories, contains: capacity }
    add: ops.capacity
  - when: { key: categories, contains: deploy }
    add: ops.change
  - when: { key: categories, contains: network }
    add: ops.infrastructure
  - when: { key: categories, contains: dns }
    add: ops.infrastructure
  - when: { key: categories, contains: certificate }
    add: ops.certificate
set:
  status: resolved
narrative: { from: $body, drop_title: true }
`;

describe("an import's pull request", () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
  for (const a of ADAPTERS) {
    it(`${a.name}: the records an import writes pass incident check as a new pull request`, async () => {
      const dir = scratch();
      // The base branch already knows the source's services and people (a reviewed config change).
      expect(
        (await cli(["import", a.name, ...a.args, "-C", dir, "--write-config"], { now: NOW })).status,
      ).toBe(0);
      const imported = [...recordFiles(dir).keys()].filter(
        (f) => !existsSync(join(repoRoot, "test/fixtures/repo", relative(dir, f))),
      );
      for (const f of imported) rmSync(f);
      git(dir, "init", "-q", "-b", "main");
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "base");
      git(dir, "checkout", "-q", "-b", "pr");
      const again = await cli(["import", a.name, ...a.args, "-C", dir], { now: NOW });
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^created INC-/m);
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "import");
      const check = await cli(["check", "--base", "main", "--head", "pr", "-C", dir, "--format", "json"]);
      const codes = (JSON.parse(check.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics.map(
        (d) => d.code,
      );
      // Only sign-offs may be asked for (a major incident arriving closed); nothing else is refused.
      expect(codes.filter((c) => c !== "APPROVAL_MISSING")).toEqual([]);
    });
  }
});

describe("a collection of 250 postmortems", () => {
  it("imports valid under the default rules, and is listed, rendered, shown on the site and counted", async () => {
    const dir = scratch();
    // The default rules: a config that only names the format version.
    writeFileSync(join(dir, "incident.config.yaml"), "schema_version: 1\n");
    rmSync(join(dir, "incidents"), { recursive: true, force: true });
    const input = join(dir, "postmortems");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(input);
    postmortems(input, 250, 20_260_101);
    writeFileSync(join(dir, "mapping.yaml"), COLLECTION_MAPPING);
    const imported = await cli(
      ["import", "markdown", input, "--mapping", join(dir, "mapping.yaml"), "-C", dir],
      {
        now: NOW,
      },
    );
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(
      /^250 created, 0 updated, 0 unchanged, 0 refused, 0 invalid, 0 skipped$/m,
    );
    const valid = await cli(["validate", "-C", dir, "--no-cache", "--format", "json"]);
    const report = JSON.parse(valid.stdout) as { ok: boolean; files: number; diagnostics: unknown[] };
    expect(report.diagnostics).toEqual([]);
    expect(report).toMatchObject({ ok: true, files: 250 });
    const list = await cli(["list", "-C", dir, "--format", "json"]);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(list.stdout))).toContain('"mode":"retrospective"');
    expect((list.stdout.match(/"id": "INC-/g) ?? []).length).toBe(250);
    const stats = await cli(["stats", "-C", dir, "--include-modes", "retrospective", "--format", "json"]);
    expect(stats.status, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout).counts.incidents).toBe(250);
    const rendered = await cli(["render", "-C", dir, "--out", join(dir, "pm")]);
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(readdirSync(join(dir, "pm")).filter((f) => f.endsWith(".md"))).toHaveLength(250);
    // The site shows every record, and its metrics count them under the same switch as stats.
    const site = await cli([
      "site",
      "-C",
      dir,
      "--out",
      join(dir, "_site"),
      "--include-modes",
      "retrospective",
    ]);
    expect(site.status, site.stderr).toBe(0);
    const pages = readdirSync(join(dir, "_site"), { recursive: true }).map(String);
    expect(pages.filter((f) => /INC-\d{4}-\d{4}\.html$/.test(f))).toHaveLength(250);
    const metrics = readFileSync(join(dir, "_site", "metrics.html"), "utf8");
    expect(metrics).toMatch(/\b250 incidents?\b/);
    const hidden = await cli(["site", "-C", dir, "--out", join(dir, "_site2")]);
    expect(hidden.status, hidden.stderr).toBe(0);
    const left = readFileSync(join(dir, "_site2", "metrics.html"), "utf8");
    expect(left).not.toMatch(/\b250 incidents?\b/);
    const again = await cli(["import", "markdown", input, "--mapping", join(dir, "mapping.yaml"), "-C", dir]);
    expect(again.stdout).toMatch(/^0 created, 0 updated, 250 unchanged/m);
  });
});
