// Runs a Node script in this process and reports its peak resident set size on exit, for machines
// without /usr/bin/time: node dist/tools/bench/rss.js <script.js> [args...]. Prints `maxrss_kb=<n>` to stderr.

import { writeSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [script, ...args] = process.argv.slice(2);
if (!script) {
  process.stderr.write("usage: node dist/tools/bench/rss.js <script.js> [args...]\n");
  process.exit(2);
}
process.argv = [process.argv[0] as string, resolve(script), ...args];
process.on("exit", () => {
  writeSync(2, `maxrss_kb=${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(resolve(script)).href);
