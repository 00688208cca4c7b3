// Headless Chromium for the site's browser test and the README screenshot: where Chromium is, how it
// is started (no network of its own), a scratch copy of the example repository built with the real
// `incident site`, a static server that serves a site under a subpath as GitHub Pages does, and a
// guard that records everything a page must not do (dialogs, errors, requests outside the site).

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { repoRoot, runCli } from "./cli.js";

/** Debian's Chromium, unless CHROMIUM_PATH names another Chromium or Chrome binary. */
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const chromiumFound = existsSync(chromiumPath);
/** Set in CI (.ci/run): a missing Chromium fails the browser test instead of skipping it. */
export const browserRequired = !["", "0", undefined].includes(process.env.INCIDENT_REQUIRE_BROWSER);

/**
 * Flags that keep Chromium from reaching the network by itself (component updates, sync, domain
 * reliability reports, pings), from needing a GPU or a large /dev/shm, and from asking first-run
 * questions. Playwright adds --headless and a fresh temporary profile.
 */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-domain-reliability",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--no-pings",
];

export async function launchChromium(): Promise<Browser> {
  if (!chromiumFound) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it (apt-get install chromium) ` +
        "or point CHROMIUM_PATH at one",
    );
  }
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 20_000 });
}

/**
 * A scratch copy of the example repository (config and records) plus `extra` files (repository
 * path -> text), with its site built into `<repo>/_site` by the built `incident site`.
 */
export function buildScratchSite(extra: Record<string, string> = {}): { repo: string; out: string } {
  const repo = mkdtempSync(join(tmpdir(), "incident-browser-"));
  cpSync(join(repoRoot, "incident.config.yaml"), join(repo, "incident.config.yaml"));
  cpSync(join(repoRoot, "incidents"), join(repo, "incidents"), { recursive: true });
  for (const [rel, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(repo, rel)), { recursive: true });
    writeFileSync(join(repo, rel), text);
  }
  const out = join(repo, "_site");
  const r = runCli(["site", "--out", out, "-C", repo], { cwd: repo });
  if (r.status !== 0) {
    const why = runCli(["validate", "-C", repo], { cwd: repo });
    rmSync(repo, { recursive: true, force: true });
    throw new Error(`incident site exited ${r.status}: ${r.stderr}\n${why.stdout}${why.stderr}`);
  }
  return { repo, out };
}

/** Every file of a built site, as `/`-separated paths relative to its root, sorted. */
export function siteFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((rel) => statSync(join(root, rel)).isFile())
    .map((rel) => rel.split(sep).join("/"))
    .sort();
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

export interface SiteServer {
  /** The site's address, ending in `/`: `http://127.0.0.1:<port>/<prefix>/`. */
  base: string;
  close(): Promise<void>;
}

/**
 * Serves the files of `root` at `http://127.0.0.1:<port>/<prefix>/` as GitHub Pages serves a
 * project site: the folder URL answers with its index.html, anything else is a 404.
 */
export async function serveSite(root: string, prefix: string): Promise<SiteServer> {
  const files = new Set(siteFiles(root));
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let rel = path.startsWith(`/${prefix}/`) ? path.slice(prefix.length + 2) : undefined;
    if (rel === "") rel = "index.html";
    if (req.method !== "GET" || rel === undefined || !files.has(rel)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res
      .writeHead(200, {
        "content-type": TYPES[extname(rel)] ?? "application/octet-stream",
        "x-content-type-options": "nosniff",
      })
      .end(readFileSync(join(root, rel)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/${prefix}/`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** The URLs a page of the site may load: its own files under `base`, and `base` itself (the index). */
export function siteUrls(root: string, base: string): Set<string> {
  const urls = new Set(siteFiles(root).map((rel) => new URL(rel, base).href));
  urls.add(base);
  return urls;
}

/** The site root as a file:// URL ending in `/`. */
export const fileBase = (root: string) => `${pathToFileURL(root).href}/`;

/** What pages of a browser context did that they must not: each entry is one finding, as text. */
export interface Guard {
  findings: string[];
  /** Every URL requested, in order. */
  requests: string[];
}

/**
 * Watches a context: dialogs (dismissed), console errors, uncaught page errors, CSP violations,
 * WebSockets, and requests to anything but `allowed` (aborted before they leave, then reported).
 * Also marks the global a hostile payload sets, so `pwned(page)` can tell whether any of it ran.
 */
export async function guardContext(context: BrowserContext, allowed: ReadonlySet<string>): Promise<Guard> {
  const guard: Guard = { findings: [], requests: [] };
  const strip = (u: string) => u.split("#")[0] as string;
  context.on("dialog", (d) => {
    guard.findings.push(`dialog ${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  context.on("console", (m) => {
    if (m.type() === "error") guard.findings.push(`console error: ${m.text()}`);
  });
  context.on("weberror", (e) => guard.findings.push(`page error: ${e.error().message}`));
  context.on("request", (r) => {
    guard.requests.push(r.url());
    if (!allowed.has(strip(r.url())))
      guard.findings.push(`request outside the site: ${r.method()} ${r.url()}`);
  });
  context.on("page", (p: Page) => {
    p.on("websocket", (ws) => guard.findings.push(`websocket: ${ws.url()}`));
  });
  await context.route(
    (url) => !allowed.has(strip(url.href)),
    (route) => route.abort("blockedbyclient"),
  );
  // Runs before any page script (and is not subject to the page's CSP): reports CSP violations
  // with their directive, and turns any write to `__pwned` into a console error.
  await context.addInitScript(() => {
    const g = globalThis as unknown as {
      addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void;
      console: Console;
    };
    g.addEventListener("securitypolicyviolation", (e) =>
      g.console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`),
    );
    Object.defineProperty(globalThis, "__pwned", {
      set(v: unknown) {
        g.console.error(`payload ran: __pwned = ${String(v)}`);
      },
      get: () => undefined,
    });
  });
  return guard;
}
