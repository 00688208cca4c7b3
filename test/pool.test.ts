// The worker pool fails closed: a worker that cannot load or that dies ends the run with an error,
// never with a pool that waits forever (Node would then exit 0 with no output at all).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { type Job, WorkerPool } from "../src/usecases/pool.js";

const dir = mkdtempSync(join(tmpdir(), "incident-pool-"));
function workerFile(name: string, body: string): URL {
  const file = join(dir, name);
  writeFileSync(file, body);
  return pathToFileURL(file);
}

const init = { config: defaultConfig, schemaTexts: {} as never, fullParse: false };
const jobs = (n: number): Job[] =>
  Array.from({ length: n }, (_, index) => ({
    index,
    file: `incidents/2026/INC-2026-${String(index).padStart(4, "0")}.yaml`,
    kind: "incident" as const,
    bytes: new TextEncoder().encode("id: x\n"),
  }));

async function run(url: URL, n: number): Promise<unknown> {
  const pool = new WorkerPool(2, init, url);
  for (const job of jobs(n)) await pool.add(job);
  return pool.drain();
}

describe("worker pool", () => {
  it("a worker that throws while loading fails the run", async () => {
    const url = workerFile("throws.mjs", 'throw new Error("cannot load");\n');
    await expect(run(url, 200)).rejects.toThrow(/cannot load/);
  });

  it("a worker that exits without an error event fails the run", async () => {
    const url = workerFile("exits.mjs", "process.exit(3);\n");
    await expect(run(url, 200)).rejects.toThrow(/exit code 3/);
  });

  it("a worker that never answers is not mistaken for success when it dies mid-batch", async () => {
    const url = workerFile(
      "dies.mjs",
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(5));\n',
    );
    await expect(run(url, 100)).rejects.toThrow(/exit code 5/);
  });
});
