// Baseline child processes for the benchmark. `node dist/tools/bench/floor.js <dir>` only lists and reads
// every YAML file under <dir>/incidents (the I/O floor of any validator); with `--parse` it also
// parses each file with the `yaml` package's plain `parse` (no positions kept, no checks).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, mode] = process.argv.slice(2);
if (!dir) {
  process.stderr.write("usage: node dist/tools/bench/floor.js <dir> [--parse]\n");
  process.exit(2);
}
const base = join(dir, "incidents");
const files = readdirSync(base, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const parse = mode === "--parse" ? (await import("yaml")).parse : undefined;
let bytes = 0;
let parsed = 0;
for (const f of files) {
  const buf = readFileSync(join(base, f));
  bytes += buf.length;
  if (parse && parse(buf.toString("utf8")) !== undefined) parsed++;
}
process.stdout.write(`${files.length} files, ${bytes} bytes${parse ? `, ${parsed} parsed` : ""}\n`);
