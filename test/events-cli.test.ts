// `incident events` on a real git repository: records read at both revisions, events for what was
// added between them, the TLP ceiling, every event valid against the CDEvents 0.5.1 schemas, and
// revisions that could be read as options or revision syntax refused before git runs.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryContext } from "../src/cli/context.js";
import { type EventsCliOptions, runEvents } from "../src/cli/export.js";
import type { CDEvent, CloudEvent } from "../src/export/cdevents.js";
import { repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

const FIXTURES = join(repoRoot, "test/fixtures/cdevents-0.5.1");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
for (const f of readdirSync(join(FIXTURES, "schemas/links")))
  ajv.addSchema(readJson(join(FIXTURES, "schemas/links", f)));
const validators = new Map(
  ["detected", "reported", "resolved"].map((k) => [
    `dev.cdevents.incident.${k}.0.3.0`,
    ajv.compile(readJson(join(FIXTURES, `schemas/incident${k}.json`))),
  ]),
);
function expectValid(event: CDEvent): void {
  const validate = validators.get(event.context.type);
  expect(validate?.(event), JSON.stringify(validate?.errors)).toBe(true);
}

const env = { XDG_CACHE_HOME: join(tmpdir(), "incident-test-cache") };
let dir = "";
let first = "";
let second = "";
const git = (...args: string[]) =>
  execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  }).trim();

beforeAll(() => {
  // First commit: INC-2026-0003 (new) and INC-2026-0004 (canceled). Second: INC-2026-0001 (closed)
  // and INC-2026-0002 (in progress) arrive, and a hostile title lands in INC-2026-0003.
  dir = scratchRepo();
  const inc = join(dir, "incidents/2026");
  const parked = join(dir, "parked");
  execFileSync("mkdir", [parked]);
  for (const id of ["INC-2026-0001", "INC-2026-0002"])
    renameSync(join(inc, `${id}.yaml`), join(parked, `${id}.yaml`));
  git("init", "-q", "-b", "main");
  git("add", "incidents", "incident.config.yaml");
  git("commit", "-q", "-m", "first");
  first = git("rev-parse", "HEAD");
  for (const id of ["INC-2026-0001", "INC-2026-0002"])
    renameSync(join(parked, `${id}.yaml`), join(inc, `${id}.yaml`));
  git("add", "incidents");
  git("commit", "-q", "-m", "second");
  second = git("rev-parse", "HEAD");
  git("tag", "v2");
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function events(opts: Partial<EventsCliOptions>, ctxEnv: Record<string, string> = {}) {
  const ctx = memoryContext({ cwd: dir, env: ctxEnv });
  const code = await runEvents({ dir: ".", since: first, ...opts }, ctx);
  const lines = ctx.stdout.text.split("\n").filter((l) => l !== "");
  return { code, stderr: ctx.stderr.text, lines, parsed: lines.map((l) => JSON.parse(l) as unknown) };
}

describe("incident events between two revisions", () => {
  it("one CloudEvent per line for the records added, oldest first, each valid", async () => {
    const r = await events({ until: second, maxTlp: "amber", source: "https://git.example/acme/incidents" });
    expect(r.code).toBe(0);
    const ces = r.parsed as CloudEvent[];
    expect(ces.map((e) => `${e.data.subject.id} ${e.type.split(".")[3]} ${e.time}`)).toEqual([
      "INC-2026-0001 detected 2026-03-04T10:02:00.000Z",
      "INC-2026-0001 reported 2026-03-04T10:07:00.000Z",
      "INC-2026-0001 resolved 2026-03-04T12:15:00.000Z",
      "INC-2026-0002 detected 2026-04-14T08:20:00.000Z",
      "INC-2026-0002 reported 2026-04-14T08:35:00.000Z",
    ]);
    for (const ce of ces) {
      expect(ce).toMatchObject({
        specversion: "1.0",
        datacontenttype: "application/json",
        id: ce.data.context.id,
      });
      expect(ce.source).toBe("https://git.example/acme/incidents");
      expectValid(ce.data);
    }
    expect(ces[0]?.data.subject.content).toMatchObject({
      environment: { id: "production" },
      service: { id: "checkout-api" },
    });
  });

  it("runs again to the same bytes; --envelope none prints the bare CDEvents", async () => {
    const a = await events({ until: "v2", maxTlp: "amber", source: "/x" });
    const b = await events({ until: second, maxTlp: "amber", source: "/x" });
    expect(a.lines).toEqual(b.lines);
    const bare = await events({ until: second, maxTlp: "amber", source: "/x", envelope: "none" });
    expect(bare.parsed).toEqual((a.parsed as CloudEvent[]).map((e) => e.data));
    for (const e of bare.parsed as CDEvent[]) expectValid(e);
  });

  it("withholds incidents above the TLP ceiling (clear by default) and says so", async () => {
    const r = await events({ until: second });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toContain("withheld the events of 2 incident(s) marked above TLP:CLEAR");
  });

  it("nothing between a revision and itself", async () => {
    const r = await events({ since: second, until: second, maxTlp: "red" });
    expect(r).toMatchObject({ code: 0, lines: [] });
  });

  it("the source: GitHub's repository in Actions, with the record's file as the ticket; else the folder", async () => {
    const r = await events(
      { until: second, maxTlp: "amber" },
      { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/incidents" },
    );
    const reported = (r.parsed as CloudEvent[]).find((e) => e.type.endsWith("reported.0.3.0"));
    expect(reported?.source).toBe("https://github.com/acme/incidents");
    expect(reported?.data.subject.content.ticketURI).toBe(
      `https://github.com/acme/incidents/blob/${second}/incidents/2026/INC-2026-0001.yaml`,
    );
    const local = await events({ until: second, maxTlp: "amber" });
    expect((local.parsed as CloudEvent[])[0]?.source).toMatch(/^\/incident-as-code\/incident-repo-/);
  });

  it("a record invalid at the later revision is left out with its finding, exit 1", async () => {
    writeFileSync(join(dir, "incidents/2026/INC-2026-0001.yaml"), "schema_version: 1\nid: INC-2026-0001\n");
    git("commit", "-q", "-am", "broken");
    const broken = git("rev-parse", "HEAD");
    const r = await events({ until: broken, maxTlp: "amber" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/incidents\/2026\/INC-2026-0001\.yaml:\d+:\d+ /);
    expect(r.parsed.map((e) => (e as CloudEvent).subject)).toEqual(["INC-2026-0002", "INC-2026-0002"]);
    git("revert", "--no-edit", "HEAD");
  });
});

describe("refused revisions and options", () => {
  it.each([
    ["--since", "--output=/tmp/x"],
    ["--since", "-n1"],
    ["--since", "main..v2"],
    ["--since", "HEAD~1"],
    ["--until", "-p"],
    ["--until", "v2:incidents"],
  ])("%s %s: exit 2 before git runs", async (flag, rev) => {
    const opts = flag === "--since" ? { since: rev } : { until: rev };
    await expect(events(opts)).rejects.toMatchObject({ exitCode: 2 });
  });

  it("a source with blanks, an odd environment: exit 2", async () => {
    await expect(events({ source: "a b" })).rejects.toMatchObject({ exitCode: 2 });
    await expect(events({ environment: "../x" })).rejects.toMatchObject({ exitCode: 2 });
  });

  it("through the command line: usage errors exit 2 with a message, no stack trace", () => {
    const dash = runCli(["events", "--since=-x", "-C", dir], { env });
    expect(dash.status).toBe(2);
    expect(dash.stderr).toContain("--since");
    expect(dash.stderr).not.toMatch(/\n\s+at /);
    expect(runCli(["events", "-C", dir], { env }).status).toBe(2);
    const ok = runCli(["events", "--since", first, "--until", "v2", "--max-tlp", "amber", "-C", dir], {
      env,
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split("\n")).toHaveLength(5);
  });
});
