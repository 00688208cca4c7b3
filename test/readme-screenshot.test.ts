// The README's pictures of the incident site: the index of the example repository at desktop and at
// phone width, in .github/readme/. `npm run screenshot` takes them again in headless Chromium
// (INCIDENT_UPDATE_SCREENSHOTS=1); every run checks that they are there, are PNGs of the expected
// size, stay small, and that the README shows them.

import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildScratchSite, fileBase, guardContext, launchChromium, siteUrls } from "./helpers/browser.js";
import { repoRoot } from "./helpers/cli.js";

const SHOTS = [
  { file: ".github/readme/site-index.png", width: 1280, height: 800, scale: 1 },
  { file: ".github/readme/site-index-phone.png", width: 390, height: 844, scale: 2 },
];
const MAX_BYTES = 300_000;
const update = !["", "0", undefined].includes(process.env.INCIDENT_UPDATE_SCREENSHOTS);

// Defined only when asked for, so ordinary runs do not list a skipped test.
if (update) {
  describe("taking the README screenshots", () => {
    it("writes the index at desktop and phone width", async () => {
      const { repo, out } = buildScratchSite();
      const browser = await launchChromium();
      try {
        for (const shot of SHOTS) {
          const context = await browser.newContext({
            viewport: { width: shot.width, height: shot.height },
            deviceScaleFactor: shot.scale,
            colorScheme: "light",
            locale: "en-US",
            timezoneId: "UTC",
          });
          const guard = await guardContext(context, siteUrls(out, fileBase(out)));
          const page = await context.newPage();
          await page.goto(`${fileBase(out)}index.html`);
          await page.screenshot({ path: join(repoRoot, shot.file) });
          await context.close();
          expect(guard.findings).toEqual([]);
          console.log(`wrote ${shot.file}`);
        }
      } finally {
        await browser.close();
        rmSync(repo, { recursive: true, force: true });
      }
    }, 60_000);
  });
}

describe("the README screenshots", () => {
  for (const shot of SHOTS) {
    it(`${shot.file} is a ${shot.width}x${shot.height} PNG under ${MAX_BYTES / 1000} KB`, () => {
      const png = readFileSync(join(repoRoot, shot.file));
      expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
      expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([
        shot.width * shot.scale,
        shot.height * shot.scale,
      ]);
      expect(png.length).toBeLessThan(MAX_BYTES);
    });
  }

  it("are shown in the site section of docs/render.md by relative links", () => {
    const readme = readFileSync(join(repoRoot, "docs/render.md"), "utf8");
    const section = readme.slice(readme.indexOf("`incident site ["));
    for (const shot of SHOTS) expect(section).toContain(`(../${shot.file})`);
  });
});
