// A command whose work never settles (a bug) must not end the process with status 0 and no output:
// a CI step would read that as a pass.

import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { exitWhenSettled } from "../src/cli/exit.js";
import { UserError } from "../src/diagnostics/errors.js";

function fakeProcess() {
  const events = new EventEmitter();
  let err = "";
  const proc = {
    exitCode: undefined as number | string | null | undefined,
    once: (event: "beforeExit", fn: () => void) => events.once(event, fn),
    stderr: { write: (t: string) => (err += t) },
  };
  return { proc, emitBeforeExit: () => events.emit("beforeExit"), stderr: () => err };
}

describe("exitWhenSettled", () => {
  it("a run that settles sets its own status, and Node's last turn changes nothing", async () => {
    const f = fakeProcess();
    exitWhenSettled(Promise.resolve(1), f.proc);
    await Promise.resolve();
    f.emitBeforeExit();
    expect(f.proc.exitCode).toBe(1);
    expect(f.stderr()).toBe("");
  });

  it("a run that never settles ends as an internal error (2), not as success", () => {
    const f = fakeProcess();
    exitWhenSettled(new Promise<number>(() => {}), f.proc);
    f.emitBeforeExit();
    expect(f.proc.exitCode).toBe(2);
    expect(f.stderr()).toMatch(/internal error: the command stopped before it finished/);
  });

  it("a run that rejects maps the error once, like every other error", async () => {
    const f = fakeProcess();
    exitWhenSettled(Promise.reject(new UserError("refused")), f.proc);
    await new Promise((r) => setImmediate(r));
    expect(f.proc.exitCode).toBe(1);
    expect(f.stderr()).toContain("incident: refused");
  });
});
