// `incident new` without --title on a real terminal asks its questions. The terminal is a detached
// tmux session on a private socket; the test types answers and reads the screen with capture-pane,
// polling against a deadline. Skipped where tmux is not installed.

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bin, repoRoot, runCli } from "./helpers/cli.js";

const hasTmux = spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
// A private tmux server: its socket lives in a temporary folder that is removed afterwards.
const home = mkdtempSync(join(tmpdir(), "incident-tty-"));
const socket = join(home, "tmux.sock");

afterAll(() => {
  // Only the server on this test's own socket.
  if (hasTmux) spawnSync("tmux", ["-S", socket, "kill-server"], { stdio: "ignore" });
  rmSync(home, { recursive: true, force: true });
});

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", ["-S", socket, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const screen = (session: string) => tmux("capture-pane", "-p", "-t", session);

/** Waits until the screen matches, or fails with what the screen shows at the deadline. */
async function waitFor(session: string, pattern: RegExp, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = screen(session);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${text}`);
    await sleep(50);
  }
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

describe("incident new on a terminal", () => {
  it.skipIf(!hasTmux)(
    "asks for the title, severity, categories, services and commander, then writes the incident (needs tmux; skipped without it)",
    async () => {
      const dir = join(home, "repo");
      cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
      cpSync(join(repoRoot, "schemas"), join(dir, "schemas"), { recursive: true });
      const session = "new";
      const command = [
        `cd ${quote(dir)}`,
        `NO_COLOR=1 INCIDENT_HANDLE= XDG_CACHE_HOME=${quote(join(tmpdir(), "incident-test-cache"))} ${quote(process.execPath)} ${quote(bin)} new -C ${quote(dir)}`,
        'echo "EXIT=$?"',
        "sleep 60",
      ].join("; ");
      tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command);
      try {
        await waitFor(session, /Title \(what is broken, for whom\)/);
        tmux("send-keys", "-t", session, "-l", "Search returns no results");
        await waitFor(session, /Search returns no results/);
        tmux("send-keys", "-t", session, "Enter");
        // The configured severities are offered; Enter takes the first (SEV1).
        await waitFor(session, /Severity[\s\S]*SEV1 Critical[\s\S]*SEV5/);
        tmux("send-keys", "-t", session, "Enter");
        // Categories: space selects the first (sec.phishing), Enter confirms.
        await waitFor(session, /Categories \(space to select\)[\s\S]*ops\.change/);
        tmux("send-keys", "-t", session, "Space");
        await waitFor(session, /◼ sec\.phishing|\[[x•]\] sec\.phishing|◉ sec\.phishing/);
        tmux("send-keys", "-t", session, "Enter");
        // The service catalog of the config.
        await waitFor(session, /Affected services[\s\S]*checkout-api/);
        tmux("send-keys", "-t", session, "Enter");
        // People who may command: "not yet named" first, then amara.okafor.
        await waitFor(session, /Incident commander[\s\S]*not yet named[\s\S]*amara\.okafor/);
        tmux("send-keys", "-t", session, "Down");
        await waitFor(session, /● amara\.okafor|> amara\.okafor|❯ amara\.okafor/);
        tmux("send-keys", "-t", session, "Enter");
        const done = await waitFor(session, /EXIT=\d+/);
        expect(done).toMatch(/incidents\/\d{4}\/INC-\d{4}-\d{4}\.yaml/);
        expect(done).toContain("EXIT=0");
      } finally {
        spawnSync("tmux", ["-S", socket, "kill-session", "-t", session], { stdio: "ignore" });
      }
      // The new file is the only one in the current year's folder besides the fixture's records.
      const year = String(new Date().getUTCFullYear());
      const written = readdirSync(join(dir, "incidents", year)).filter(
        (f) => !/^INC-2026-000[1-4]\.yaml$/.test(f),
      );
      expect(written).toHaveLength(1);
      const record = parse(
        readFileSync(join(dir, "incidents", year, written[0] as string), "utf8"),
      ) as Record<string, unknown>;
      expect(record).toMatchObject({
        title: "Search returns no results",
        status: "new",
        severity: "SEV1",
        categories: ["sec.phishing"],
        roles: { incident_commander: "amara.okafor" },
      });
      expect(record.services).toBeUndefined();
      const v = runCli(["validate", "-C", dir, "--no-cache"]);
      expect(v.stdout + v.stderr).toMatch(/files valid/);
      expect(v.status).toBe(0);
    },
  );
});
