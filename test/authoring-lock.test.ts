// A full disk while the lock file is written: the write fails with a message naming the lock, and
// no lock is left behind (an empty lock used to block every later edit of the record).

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const disk = vi.hoisted(() => ({ full: false }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (disk.full)
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const { StoreError, writeRecord } = await import("../src/io/store.js");

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("a full disk while the lock is written", () => {
  it("refuses the write, names the lock file, and leaves no lock behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-lock-"));
    dirs.push(dir);
    const file = join(dir, "INC-2026-0001.yaml");
    writeFileSync(file, "id: INC-2026-0001\n");
    const original = readFileSync(file);
    disk.full = true;
    try {
      const failed = writeRecord(file, original, "id: INC-2026-0001\ntitle: x\n");
      await expect(failed).rejects.toBeInstanceOf(StoreError);
      await expect(failed).rejects.toThrow(/cannot write the lock file INC-2026-0001\.yaml\.lock \(ENOSPC\)/);
    } finally {
      disk.full = false;
    }
    expect(readdirSync(dir)).toEqual(["INC-2026-0001.yaml"]);
    expect(readFileSync(file).equals(original)).toBe(true);
    // Once there is space again, the next edit goes through.
    await writeRecord(file, original, "id: INC-2026-0001\ntitle: x\n");
    expect(readFileSync(file, "utf8")).toBe("id: INC-2026-0001\ntitle: x\n");
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
