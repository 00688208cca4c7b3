// The repository's config is read like a record: a regular file only, never through a link, never
// past its cap. A cloned repository whose config links to a device or a file elsewhere is refused.

import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_FILE, loadRepoConfig } from "../src/config/load.js";
import { UserError } from "../src/diagnostics/errors.js";

const repo = () => mkdtempSync(join(tmpdir(), "incident-config-"));

describe("reading incident.config.yaml", () => {
  it("a regular file is read, a missing one means the defaults", async () => {
    const dir = repo();
    expect((await loadRepoConfig(dir)).config.timezone).toBe("UTC");
    writeFileSync(join(dir, CONFIG_FILE), "schema_version: 1\ntimezone: Europe/Berlin\n");
    expect((await loadRepoConfig(dir)).config.timezone).toBe("Europe/Berlin");
  });

  it("a link (to a device, or to a file outside the repository) is refused, not followed", async () => {
    const outside = join(repo(), "elsewhere.yaml");
    writeFileSync(outside, "schema_version: 1\ntimezone: Europe/Berlin\n");
    for (const target of ["/dev/zero", outside]) {
      const dir = repo();
      symlinkSync(target, join(dir, CONFIG_FILE));
      await expect(loadRepoConfig(dir)).rejects.toThrow(UserError);
      await expect(loadRepoConfig(dir)).rejects.toThrow(/symbolic link/);
    }
  });

  it("a FIFO is refused without blocking", async () => {
    const dir = repo();
    execFileSync("mkfifo", [join(dir, CONFIG_FILE)]);
    await expect(loadRepoConfig(dir)).rejects.toThrow(/not a regular file/);
  });
});
