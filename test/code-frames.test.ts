// Code frames under a finding come only from files read as regular files inside the repository: a
// record or config that is a link to a file elsewhere is reported, and its target never printed.

import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliIn, scratchRepo } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A scratch repository and a secret file outside it. */
function setUp(): { dir: string; secret: string } {
  const dir = scratchRepo();
  const outside = mkdtempSync(join(tmpdir(), "incident-outside-"));
  dirs.push(dir, outside);
  const secret = join(outside, "s");
  writeFileSync(secret, "TOKEN=ghp_secret\n");
  return { dir, secret };
}

describe("a link's target is never printed in a code frame", () => {
  it("incident remind: a record linked outside the repository", async () => {
    const { dir, secret } = setUp();
    symlinkSync(secret, join(dir, "incidents/2026/INC-2026-0014.yaml"));
    const r = await cliIn(dir, ["remind", "--now", "2026-06-01T00:00:00Z"]);
    expect(r.stderr).toContain("incidents/2026/INC-2026-0014.yaml:1:1 FILE_SYMLINK");
    expect(`${r.stdout}${r.stderr}`).not.toContain("ghp_secret");
  });

  it("incident remind and incident schema: a config linked outside the repository", async () => {
    const { dir, secret } = setUp();
    unlinkSync(join(dir, "incident.config.yaml"));
    symlinkSync(secret, join(dir, "incident.config.yaml"));
    for (const args of [
      ["remind", "--now", "2026-06-01T00:00:00Z"],
      ["schema", "--check"],
    ]) {
      const r = await cliIn(dir, args);
      // The config is refused as a link before it is read at all.
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/incident\.config\.yaml is a symbolic link/);
      expect(`${r.stdout}${r.stderr}`).not.toContain("ghp_secret");
    }
  });
});
