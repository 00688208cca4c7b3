// A reader that closes the pipe early (`incident validate | head -1`) ends the command quietly: the
// exit status of the findings, no stack trace.

import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { bin, scratchRepo } from "./helpers/cli.js";

it("stops quietly when stdout is closed after the first line", async () => {
  const dir = scratchRepo();
  try {
    for (let i = 0; i < 400; i++)
      writeFileSync(join(dir, `incidents/2026/INC-2026-${1000 + i}.yaml`), "id: bad\n");
    const child = spawn(process.execPath, [bin, "validate", "-C", dir, "--no-cache"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    // Read one chunk, then close our end, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
