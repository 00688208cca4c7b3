// Writes and deletes never go through a link or leave their folder: a symlinked postmortem, a linked
// folder in the site, and a manifest entry pointing above the site all leave the outside file alone.

import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CommandContext, memoryContext } from "../src/cli/context.js";
import { runRender, runSite } from "../src/cli/render.js";
import { UserError } from "../src/diagnostics/errors.js";
import { readInside, removeInside, UnsafePathError, writeInside } from "../src/io/safeWrite.js";
import { ownedEntry, SITE_MANIFEST, writeSite } from "../src/site/build.js";
import { runCli, scratchRepo } from "./helpers/cli.js";

const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Runs a command with stdout and stderr captured: its exit status, or that of the UserError it
 * throws for the CLI to print (with the message among what it said).
 */
/** Runs a command with one buffer for both of its outputs; a refusal gives its exit status. */
async function quiet(f: (ctx: CommandContext) => Promise<number>): Promise<{ value: number; said: string }> {
  const base = memoryContext({ now: new Date() });
  const ctx = { ...base, stderr: base.stdout };
  try {
    return { value: await f(ctx), said: ctx.stdout.text };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { value: (e as { exitCode?: number }).exitCode ?? 1, said: `${ctx.stdout.text}${e.message}` };
  }
}

describe("writeInside, removeInside, readInside", () => {
  it("write a new file and replace an old one, making the folders on the way", () => {
    const root = temp("incident-safe-");
    writeInside(root, join(root, "a/b/c.md"), "one\n");
    expect(readFileSync(join(root, "a/b/c.md"), "utf8")).toBe("one\n");
    writeInside(root, join(root, "a/b/c.md"), "two\n");
    expect(readInside(root, join(root, "a/b/c.md"))).toEqual({ text: "two\n" });
    // No temporary file is left behind.
    expect(readdirSync(join(root, "a/b"))).toEqual(["c.md"]);
    expect(removeInside(root, join(root, "a/b/c.md"))).toBe(true);
    expect(removeInside(root, join(root, "a/b/c.md"))).toBe(false);
    expect(removeInside(root, join(root, "nowhere/c.md"))).toBe(false);
  });

  it("refuse a link at the name or on the way, and a path outside the folder", () => {
    const root = temp("incident-safe-");
    const outside = temp("incident-outside-");
    writeFileSync(join(outside, "victim.txt"), "precious\n");
    symlinkSync(join(outside, "victim.txt"), join(root, "file.md"));
    symlinkSync(outside, join(root, "folder"));
    expect(() => writeInside(root, join(root, "file.md"), "x")).toThrow(UnsafePathError);
    expect(() => writeInside(root, join(root, "folder/victim.txt"), "x")).toThrow(UnsafePathError);
    expect(() => writeInside(root, join(root, "folder/new.md"), "x")).toThrow(UnsafePathError);
    expect(() => writeInside(root, join(root, "../victim.txt"), "x")).toThrow(UnsafePathError);
    expect(() => removeInside(root, join(root, "folder/victim.txt"))).toThrow(UnsafePathError);
    expect(() => removeInside(root, join(outside, "victim.txt"))).toThrow(UnsafePathError);
    expect(readInside(root, join(root, "file.md"))).toEqual({ link: true });
    expect(readInside(root, join(root, "folder/victim.txt"))).toEqual({ link: true });
    expect(readFileSync(join(outside, "victim.txt"), "utf8")).toBe("precious\n");
    expect(existsSync(join(outside, "new.md"))).toBe(false);
    // Removing a link removes the link, never its target.
    expect(removeInside(root, join(root, "file.md"))).toBe(true);
    expect(readFileSync(join(outside, "victim.txt"), "utf8")).toBe("precious\n");
  });
});

describe("incident render and a symlinked postmortem", () => {
  it("validate reports it, render refuses to write through it, --check reports it", async () => {
    const dir = scratchRepo();
    dirs.push(dir);
    const outside = temp("incident-outside-");
    const victim = join(outside, "victim.txt");
    writeFileSync(victim, "precious\n");
    const md = join(dir, "incidents/2026/INC-2026-0001.md");
    symlinkSync(victim, md);

    const validate = runCli(["validate", "-C", dir, "--format", "json", "--no-cache"]);
    const found = (JSON.parse(validate.stdout) as { diagnostics: Array<{ code: string; file: string }> })
      .diagnostics;
    expect(found.filter((d) => d.code === "FILE_SYMLINK").map((d) => d.file)).toEqual([
      "incidents/2026/INC-2026-0001.md",
    ]);

    const rendered = await quiet((ctx) => runRender(["INC-2026-0001"], { dir }, ctx));
    expect(rendered.value).toBe(1);
    expect(rendered.said).toContain("symbolic link");
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(md).isSymbolicLink()).toBe(true);

    const checked = await quiet((ctx) => runRender(["INC-2026-0001"], { dir, check: true }, ctx));
    expect(checked.value).toBe(1);
    expect(checked.said).toContain("INC-2026-0001.md (symbolic link)");

    // The same through the built CLI, every incident at once.
    const cli = runCli(["render", "-C", dir]);
    expect(cli.status).toBe(1);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
  });

  it("render --out refuses a linked file in the output folder", async () => {
    const dir = scratchRepo();
    dirs.push(dir);
    const out = temp("incident-out-");
    const outside = temp("incident-outside-");
    writeFileSync(join(outside, "victim.txt"), "precious\n");
    symlinkSync(join(outside, "victim.txt"), join(out, "INC-2026-0002.md"));
    const r = await quiet((ctx) => runRender(["INC-2026-0002"], { dir, out }, ctx));
    expect(r.value).toBe(1);
    expect(readFileSync(join(outside, "victim.txt"), "utf8")).toBe("precious\n");
  });
});

describe("the site folder and its manifest", () => {
  it("ownedEntry accepts only files the site writes, inside the folder", () => {
    const out = "/srv/site";
    for (const ok of [
      "index.html",
      "incidents/INC-2026-0001.html",
      "postmortems/INC-2026-0001.md",
      "site.css",
    ])
      expect(ownedEntry(out, ok), ok).toBe(true);
    for (const bad of [
      "../NOTES.md",
      "../x/NOTES.md",
      "./index.html",
      "..",
      "/etc/passwd.md",
      "incidents/../../NOTES.md",
      "a/b/c.html",
      "NOTES.txt",
      42,
      null,
    ])
      expect(ownedEntry(out, bad), String(bad)).toBe(false);
  });

  it("an entry that leaves the folder deletes nothing and is reported", () => {
    const parent = temp("incident-site-parent-");
    const out = join(parent, "_site");
    mkdirSync(out);
    writeFileSync(join(parent, "NOTES.md"), "mine\n");
    mkdirSync(join(parent, "x"));
    writeFileSync(join(parent, "x/NOTES.md"), "mine too\n");
    writeFileSync(join(out, "old.html"), "old\n");
    writeFileSync(
      join(out, SITE_MANIFEST),
      JSON.stringify(["../NOTES.md", "../x/NOTES.md", join(parent, "NOTES.md"), "old.html"]),
    );
    const warnings: string[] = [];
    writeSite(out, [["index.html", "<p>hi</p>\n"]], [], (m) => warnings.push(m));
    expect(readFileSync(join(parent, "NOTES.md"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(parent, "x/NOTES.md"), "utf8")).toBe("mine too\n");
    // A real entry of the last build still goes.
    expect(existsSync(join(out, "old.html"))).toBe(false);
    expect(warnings).toHaveLength(3);
    for (const w of warnings) expect(w).toContain(SITE_MANIFEST);
    expect(JSON.parse(readFileSync(join(out, SITE_MANIFEST), "utf8"))).toEqual(["index.html"]);
  });

  it("a linked folder inside the site is neither written nor pruned through", async () => {
    const dir = scratchRepo();
    dirs.push(dir);
    const out = temp("incident-site-");
    const outside = temp("incident-outside-");
    writeFileSync(join(outside, "INC-2026-0001.html"), "precious\n");
    writeFileSync(join(outside, "gone.html"), "precious\n");
    symlinkSync(outside, join(out, "incidents"));
    // Pruning through the link: kept, with a warning.
    writeFileSync(join(out, SITE_MANIFEST), JSON.stringify(["incidents/gone.html"]));
    const warnings: string[] = [];
    writeSite(out, [["index.html", "x"]], [], (m) => warnings.push(m));
    expect(readFileSync(join(outside, "gone.html"), "utf8")).toBe("precious\n");
    expect(warnings.join("\n")).toContain("symbolic link");
    // Writing through the link: the build stops with exit 1.
    const r = await quiet((ctx) => runSite({ dir, out, maxTlp: "red" }, ctx));
    expect(r.value).toBe(1);
    expect(r.said).toContain("symbolic link");
    expect(readFileSync(join(outside, "INC-2026-0001.html"), "utf8")).toBe("precious\n");
  });

  it("a site manifest that is a link is neither read nor written through", () => {
    const out = temp("incident-site-");
    const outside = temp("incident-outside-");
    writeFileSync(join(outside, "list.json"), JSON.stringify(["keep.html"]));
    writeFileSync(join(out, "keep.html"), "mine\n");
    symlinkSync(join(outside, "list.json"), join(out, SITE_MANIFEST));
    expect(() => writeSite(out, [["index.html", "x"]], [], () => {})).toThrow(UnsafePathError);
    expect(readFileSync(join(outside, "list.json"), "utf8")).toBe(JSON.stringify(["keep.html"]));
    expect(readFileSync(join(out, "keep.html"), "utf8")).toBe("mine\n");
  });
});

describe("incident schema --write and a linked schema file", () => {
  it("is not written through; the command stops with exit 2", async () => {
    const dir = scratchRepo();
    dirs.push(dir);
    const outside = temp("incident-outside-");
    writeFileSync(join(outside, "victim.txt"), "precious\n");
    mkdirSync(join(dir, ".incident/schemas"), { recursive: true });
    symlinkSync(join(outside, "victim.txt"), join(dir, ".incident/schemas/incident.schema.json"));
    const { runSchema } = await import("../src/cli/schema.js");
    const r = await quiet((ctx) => runSchema({ dir, write: true }, ctx));
    expect(r.value).toBe(2);
    expect(r.said).toContain("symbolic link");
    expect(readFileSync(join(outside, "victim.txt"), "utf8")).toBe("precious\n");
  });
});
