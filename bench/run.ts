// `npm run bench`: generates a corpus once, then times the validator against baselines on the same
// files, every run in its own child process, and prints a Markdown table with targets.
//
//   node --expose-gc dist/tools/bench/run.js [--quick] [--sizes 10000,100000] [--seed N] [--keep] [--only a,l,m]
//
// --quick: 1k files, N=3 everywhere, memory row on the 1k corpus. --sizes: the first size is the
// timing corpus, the second (optional) the memory corpus. --keep: leave the temp dir behind. --only:
// run only these rows (and only the set-up they need); ratios need their baseline row in the list.
// Rows (i0)/(i), `incident check` of the same kind of pull request, use their own git repositories:
// 100 incidents against 10k (1k with --quick), whatever --sizes says.
// Rows (j)/(k), `incident render --out` and `incident site --out`, run over the timing corpus into a
// fresh folder each run; one untimed run of each under /usr/bin/time -v checks the output and gives
// the peak RSS.
// Row (l), `incident stats --format json`, runs over the timing corpus the same way (timed, plus one
// untimed run for the peak RSS); row (m) is one run over the memory corpus for its peak RSS.
// Row (x) is the check job's own step: the committed action bundle (.github/actions/check/dist/
// index.js) run by node, as the runner runs it, with a fresh RUNNER_TEMP each time, on the small
// pull-request repository. Row (y) is what `npm install incident-as-code` brings into a new
// repository: packages and megabytes, from an offline install of the packed tarball when the npm
// cache allows it, else from package-lock.json's production tree sized on disk.

import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../scripts/root.js";
import { type CorpusStats, generateCorpus } from "./generate.js";
import { buildPrRepo, type PrRepo } from "./prcheck.js";

const repo = repoRoot(import.meta.url);
// What a user runs: the package's `bin` (the bundled CLI, dist/pkg/main.js), not the tsc output the
// tests use.
const cli = join(
  repo,
  (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { bin: Record<string, string> }).bin
    .incident as string,
);
const floorJs = join(repo, "dist/tools/bench/floor.js");
const rssJs = join(repo, "dist/tools/bench/rss.js");
const actionJs = join(repo, ".github/actions/check/dist/index.js");
const require = createRequire(import.meta.url);

interface Options {
  quick: boolean;
  timingSize: number;
  memorySize: number;
  seed: number;
  keep: boolean;
  /** Row letters to run; undefined for all. */
  only?: Set<string>;
}

function parseArgs(argv: string[]): Options {
  let quick = false;
  let sizes: number[] | undefined;
  let seed = 20260301;
  let keep = false;
  let only: Set<string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      i++;
      if (argv[i] === undefined) throw new Error(`${a} needs a value`);
      return argv[i] as string;
    };
    if (a === "--quick") quick = true;
    else if (a === "--keep") keep = true;
    else if (a.startsWith("--sizes"))
      sizes = value()
        .split(",")
        .map((s) => Number(s.replace(/k$/i, "000")));
    else if (a.startsWith("--seed")) seed = Number(value());
    else if (a.startsWith("--only")) {
      only = new Set(
        value()
          .split(",")
          .map((k) => k.trim().replace(/^\((.*)\)$/, "$1"))
          .filter(Boolean),
      );
      const ids = ROWS.map((r) => r.id);
      const unknown = [...only].filter((k) => !ids.includes(k));
      if (unknown.length > 0 || only.size === 0)
        throw new Error(`--only takes row letters from ${ids.join(", ")}; unknown: ${unknown.join(", ")}`);
    } else
      throw new Error(`unknown argument ${a} (use --quick, --sizes A[,B], --seed N, --keep, --only a,l,m)`);
  }
  sizes ??= quick ? [1000] : [10_000, 100_000];
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error("--sizes takes positive integers");
  return {
    quick,
    timingSize: sizes[0] as number,
    memorySize: sizes[1] ?? (sizes[0] as number),
    seed,
    keep,
    only,
  };
}

const log = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

interface RunResult {
  seconds: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv; stdout?: "pipe" | "ignore" },
): RunResult {
  const started = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? repo,
    env: opts.env,
    encoding: "utf8",
    stdio: ["ignore", opts.stdout ?? "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    status: r.status,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? (r.error ? String(r.error) : ""),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Bytes of the files under `dir`, without nested node_modules (those are packages of their own). */
function packageBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") total += packageBytes(p);
    } else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

/**
 * What installing the packed package brings: an offline `npm install` of the tarball into a new
 * folder when the npm cache holds every package (counted with npm ls, sized on disk); otherwise the
 * production entries of package-lock.json, each sized in this repository's node_modules, plus the
 * package itself.
 */
function installFootprint(
  tmp: string,
  env: NodeJS.ProcessEnv,
): { packages: number; bytes: number; how: string; error?: string } {
  const dir = mkdtempSync(join(tmp, "install-"));
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { env });
  let tarball: string;
  let unpacked: number;
  try {
    const info = (JSON.parse(pack.stdout) as Array<{ filename: string; unpackedSize: number }>)[0];
    if (!info) throw new Error("npm pack printed nothing");
    tarball = join(dir, info.filename);
    unpacked = info.unpackedSize;
  } catch (err) {
    return { packages: 0, bytes: 0, how: "npm pack failed", error: `${String(err)} ${pack.stderr}` };
  }
  const app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), '{ "name": "app", "version": "1.0.0", "private": true }\n');
  const install = run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", tarball],
    { env, cwd: app },
  );
  if (install.status === 0) {
    const ls = run("npm", ["ls", "--all", "--parseable"], { env, cwd: app });
    const paths = [...new Set(ls.stdout.split("\n").filter(Boolean))].slice(1);
    const bytes = paths.reduce((sum, p) => sum + packageBytes(p), 0);
    return { packages: paths.length, bytes, how: "offline npm install of the tarball, sized on disk" };
  }
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; optional?: boolean }>;
  };
  const deps = Object.entries(lock.packages).filter(([path, e]) => path !== "" && !e.dev);
  let bytes = unpacked;
  for (const [path] of deps) if (existsSync(join(repo, path))) bytes += packageBytes(join(repo, path));
  return {
    packages: deps.length + 1,
    bytes,
    how: "package-lock.json's production tree sized in node_modules, plus the unpacked tarball (the npm cache could not install offline)",
  };
}

function corpusFiles(dir: string): string[] {
  return readdirSync(join(dir, "incidents"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, "incidents", f));
}

interface FastPathReport {
  files: number;
  screened: number;
  fast: number;
  triggers: Array<[string, number]>;
}

/** Which files the product's fast path takes, and which tokens make the screen refuse the others. */
async function fastPathReport(files: string[]): Promise<FastPathReport> {
  const fast = (await import(
    pathToFileURL(join(repo, "dist/yaml/fast.js")).href
  )) as typeof import("../src/yaml/fast.js");
  let screened = 0;
  let taken = 0;
  const triggers = new Map<string, number>();
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    if (fast.isFastPathSafe(text)) {
      screened++;
      if (fast.parseFast(text)) taken++;
      continue;
    }
    // Name the first refused token per offending line (the screen works on lines except for the last rule).
    const seen = new Set<string>();
    for (const line of text.split("\n")) {
      if (fast.isFastPathSafe(line)) continue;
      const m = /(?:^|[\s[,:-])([&*!{?]\S*)/.exec(line);
      const token = m ? (m[1] as string).replace(/[.,;:)]+$/, "") : line.trim().slice(0, 24);
      if (seen.has(token)) continue;
      seen.add(token);
      triggers.set(token, (triggers.get(token) ?? 0) + 1);
    }
  }
  return {
    files: files.length,
    screened,
    fast: taken,
    triggers: [...triggers].sort((a, b) => b[1] - a[1]).slice(0, 8),
  };
}

function fmt(s: number): string {
  return s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3);
}

function describeCorpus(label: string, s: CorpusStats): string {
  const files = s.incidents + s.problems;
  const mb = (s.incidentBytes + s.problemBytes) / 1024 / 1024;
  const statuses = Object.entries(s.byStatus)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const sev = Object.entries(s.bySeverity)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    `- ${label}: ${files} files (${s.incidents} incidents, ${s.problems} problems), ${mb.toFixed(1)} MB, ` +
      `${(s.incidentBytes / s.incidents / 1024).toFixed(2)} KB per incident on average; generated in ${(s.ms / 1000).toFixed(1)} s (seed ${s.seed})`,
    `  - status: ${statuses}`,
    `  - severity: ${sev}; families: sec ${s.byFamily.sec ?? 0}, ops ${s.byFamily.ops ?? 0}; ` +
      `security blocks ${s.withSecurityBlock}, postmortems ${s.withPostmortem}`,
    `  - free-text fields with %, &, * or ! prose: ${s.proseWithSpecial} of ${s.proseFields} (${((100 * s.proseWithSpecial) / s.proseFields).toFixed(1)}%)`,
  ].join("\n");
}

/** What the rows measure on: the corpora, the pull-request repositories and the settings, built once. */
interface Bench {
  opts: Options;
  env: NodeJS.ProcessEnv;
  tmp: string;
  cacheHome: string;
  cheapN: number;
  slowN: number;
  versionN: number;
  timingDir: string;
  timingStats: CorpusStats;
  /** Files of the timing corpus. */
  nFiles: number;
  plainDir: string;
  plainStats?: CorpusStats;
  plainFiles: string[];
  fpPlain?: FastPathReport;
  memoryDir: string;
  memoryStats?: CorpusStats;
  /** Incidents the pull request appends a note to, and the sizes of the two repositories. */
  prTouch: number;
  prSizes: { small: number; big: number };
  prRepos: { small?: PrRepo; big?: PrRepo };
  prSetupErrors: { small?: string; big?: string };
  /** ajv-cli's invocations over the timing corpus: [schema, glob]. */
  ajvGroups: Array<[string, string]>;
  ajvArgs: (schema: string, glob: string) => string[];
  versionOk: string;
}

/** One run: how long it took, and what went wrong when it did not do its job. */
interface Measured {
  seconds: number;
  error?: string;
}

/** The peak RSS of one untimed run. */
interface Rss {
  kb?: number;
  how: string;
  seconds: number;
  error?: string;
}

/** What a one-off row (memory, install footprint) prints: its table line, lines after it, notes. */
interface OneOff {
  line: string;
  after?: string[];
  notes?: string[];
  failed: boolean;
  kb?: number;
}

/**
 * A row of the table. A timed row has `run` (one timed run; N of them, round-robin with the other
 * rows); `verify` is an untimed run before any timing that must succeed or the row is not timed (it
 * may measure the peak RSS); `setup` prepares untimed state and may report on it. `baseline` is the
 * row the Ratio column divides by (the row itself for a baseline), `peer` a second ratio beside it,
 * `target` the goal and whether the median or the ratio meets it. A one-off row has `measure`.
 */
interface BenchRow {
  id: string;
  label: (b: Bench) => string;
  n?: (b: Bench) => number;
  run?: (b: Bench) => Measured;
  verify?: (b: Bench) => Measured & { rss?: Rss };
  setup?: (b: Bench) => Measured;
  baseline?: string;
  peer?: string;
  target?: { text: string; met?: (median: number, ratio: number) => boolean };
  measure?: (b: Bench, done: ReadonlyMap<string, Outcome>) => OneOff;
}

/** What running a row gave. */
interface Outcome {
  row: BenchRow;
  n: number;
  times: number[];
  errors: string[];
  rss?: Rss;
  setup?: Measured;
  oneOff?: OneOff;
}

function validateOnce(b: Bench, extra: string[], dir: string, count: number): Measured {
  const r = run(process.execPath, [cli, "validate", "-C", dir, ...extra], { env: b.env });
  const ok = r.status === 0 && r.stdout.trim() === `${count} files valid`;
  return {
    seconds: r.seconds,
    error: ok ? undefined : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`,
  };
}

/** `incident validate` with these flags over the timing corpus (or another), N runs. */
function validateRow(
  id: string,
  label: string,
  slow: boolean,
  extra: string[],
  more: Omit<BenchRow, "id" | "label" | "n" | "run">,
): BenchRow {
  return {
    id,
    label: () => label,
    n: (b) => (slow ? b.slowN : b.cheapN),
    run: (b) => validateOnce(b, extra, b.timingDir, b.nFiles),
    ...more,
  };
}

function checkOnce(b: Bench, which: "small" | "big"): Measured {
  const pr = b.prRepos[which];
  if (!pr) return { seconds: Number.NaN, error: b.prSetupErrors[which] ?? "no repository" };
  const r = run(
    process.execPath,
    [cli, "check", "--base", "main", "--head", "pr", "-C", pr.dir, "--format", "json"],
    { env: b.env },
  );
  let ok = false;
  try {
    const report = JSON.parse(r.stdout) as { ok: boolean; files: number; diagnostics: unknown[] };
    ok = report.ok && report.files === b.prTouch && report.diagnostics.length === 0;
  } catch {}
  return {
    seconds: r.seconds,
    error: r.status === 0 && ok ? undefined : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`,
  };
}

/** `incident check` of the pull request in the small or the large repository. */
function checkRow(id: string, which: "small" | "big", more: Pick<BenchRow, "baseline" | "target">): BenchRow {
  return {
    id,
    label: (b) =>
      `\`incident check --base main --head pr --format json\`, a pull request touching ${b.prTouch} incidents in a ${b.prSizes[which]}-incident git repository`,
    n: (b) => b.cheapN,
    run: (b) => checkOnce(b, which),
    // One untimed run must pass with no findings, or the row is not timed.
    verify: (b) => checkOnce(b, which),
    ...more,
  };
}

/** The check job's own step: the committed action bundle run by node, as the runner runs it. */
function actionOnce(b: Bench): Measured {
  const pr = b.prRepos.small;
  if (!pr) return { seconds: Number.NaN, error: b.prSetupErrors.small ?? "no repository" };
  if (!existsSync(actionJs)) return { seconds: Number.NaN, error: `${actionJs} is missing` };
  const runner = mkdtempSync(join(b.tmp, "runner-"));
  const output = join(runner, "output");
  writeFileSync(output, "");
  // The runner creates both files before each step; @actions/core refuses a summary file that is missing.
  writeFileSync(join(runner, "summary"), "");
  const actionEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(b.env))
    if (!/^(?:GITHUB_|INPUT_|RUNNER_|INCIDENT_)/.test(k)) actionEnv[k] = v;
  Object.assign(actionEnv, {
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request_target",
    GITHUB_STEP_SUMMARY: join(runner, "summary"),
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: runner,
    INPUT_BASE: "main",
    INPUT_HEAD: "pr",
    "INPUT_WORKING-DIRECTORY": pr.dir,
    INPUT_REPORT: "false",
    "INPUT_FETCH-HEAD": "false",
  });
  const r = run(process.execPath, [actionJs], { env: actionEnv, cwd: pr.dir });
  const outputs = readFileSync(output, "utf8");
  const ok = /^result<<(\S+)\npass\n\1$/m.test(outputs) && /^findings<<(\S+)\n0\n\1$/m.test(outputs);
  return {
    seconds: r.seconds,
    error: r.status === 0 && ok ? undefined : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`,
  };
}

/** One untimed run under /usr/bin/time -v when it is there (else dist/tools/bench/rss.js): its peak RSS. */
function peakRss(b: Bench, args: string[]): { r: RunResult; kb?: number; how: string } {
  const timeV = existsSync("/usr/bin/time");
  const r = timeV
    ? run("/usr/bin/time", ["-v", process.execPath, ...args], { env: b.env })
    : run(process.execPath, [rssJs, ...args], { env: b.env });
  const m = (timeV ? /Maximum resident set size \(kbytes\): (\d+)/ : /maxrss_kb=(\d+)/).exec(r.stderr);
  const how = m ? (timeV ? "/usr/bin/time -v" : "process.resourceUsage().maxRSS") : "not measured";
  return { r, kb: m ? Number(m[1]) : undefined, how };
}

/** `incident render|site --out <tmp>` over the timing corpus: its arguments, set-up and judge. */
function outputCommand(b: Bench, command: "render" | "site") {
  const outDir = join(b.tmp, `${command}-out`);
  // --max-tlp red: every incident gets its page (the corpus marks a tenth of them TLP:RED).
  const args = [
    cli,
    command,
    "-C",
    b.timingDir,
    "--out",
    outDir,
    ...(command === "site" ? ["--max-tlp", "red"] : []),
  ];
  const expected =
    command === "render"
      ? (stdout: string) => {
          const wrote = stdout.split("\n").filter((l) => l.startsWith("wrote ")).length;
          return wrote === b.timingStats.incidents
            ? undefined
            : `wrote ${wrote} postmortem(s), expected ${b.timingStats.incidents}`;
        }
      : (stdout: string) => {
          const m = /wrote (\d+) file\(s\) for (\d+) incident\(s\) and (\d+) problem\(s\)/.exec(stdout);
          return m && Number(m[2]) === b.timingStats.incidents && Number(m[3]) === b.timingStats.problems
            ? undefined
            : `unexpected output: ${stdout.slice(0, 200)}`;
        };
  /** Empties the output folder (not timed), so that every run renders and writes everything. */
  const prepare = () => rmSync(outDir, { recursive: true, force: true });
  const verify = (r: RunResult) =>
    r.status === 0 ? expected(r.stdout) : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`;
  return { args, prepare, verify };
}

/** A rendering row; its untimed verification run checks the output and measures the peak RSS. */
function outputRow(id: string, command: "render" | "site"): BenchRow {
  return {
    id,
    label: (b) =>
      `\`incident ${command} --out <tmp>\` over the timing corpus (${b.nFiles} files, into an empty folder)`,
    n: (b) => b.slowN,
    baseline: "a",
    target: { text: "info" },
    run: (b) => {
      const c = outputCommand(b, command);
      c.prepare();
      const r = run(process.execPath, c.args, { env: b.env });
      return { seconds: r.seconds, error: c.verify(r) };
    },
    verify: (b) => {
      const c = outputCommand(b, command);
      c.prepare();
      const { r, kb, how } = peakRss(b, c.args);
      const error = c.verify(r);
      return { seconds: r.seconds, error, rss: { kb, how, seconds: r.seconds, error } };
    },
  };
}

// `incident stats`: a fixed clock so every run computes the same report; the JSON must count every
// incident of the corpus.
const statsArgs = (dir: string) => [
  cli,
  "stats",
  "-C",
  dir,
  "--format",
  "json",
  "--by",
  "severity",
  "--now",
  "2026-12-01T00:00:00Z",
];

function statsVerify(r: RunResult, incidents: number): string | undefined {
  if (r.status !== 0) return `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`;
  try {
    const report = JSON.parse(r.stdout) as { counts: { incidents: number } };
    return report.counts.incidents === incidents
      ? undefined
      : `counted ${report.counts.incidents} incidents, expected ${incidents}`;
  } catch {
    return `no JSON: ${r.stdout.slice(0, 200)}`;
  }
}

const ratioOf = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN;
const rx = (x: number, base: string) => (Number.isFinite(x) ? `${x.toFixed(2)}x ${base}` : "-");

/** The rows, in the table's order; the timed ones also run round-robin in this order. */
const ROWS: BenchRow[] = [
  {
    id: "a",
    label: () => "floor: readdir + readFileSync",
    n: (b) => b.cheapN,
    baseline: "a",
    target: { text: "baseline" },
    run: (b) => {
      const r = run(process.execPath, [floorJs, b.timingDir], { env: b.env });
      return { seconds: r.seconds, error: r.status === 0 ? undefined : r.stderr.slice(0, 300) };
    },
  },
  {
    id: "b",
    label: () => "floor + `yaml.parse` each file",
    n: (b) => b.slowN,
    baseline: "a",
    target: { text: "info" },
    run: (b) => {
      const r = run(process.execPath, [floorJs, b.timingDir, "--parse"], { env: b.env });
      return { seconds: r.seconds, error: r.status === 0 ? undefined : r.stderr.slice(0, 300) };
    },
  },
  {
    id: "c",
    label: (b) => `ajv-cli 5, schema only (${b.ajvGroups.length} invocations)`,
    n: (b) => b.cheapN,
    baseline: "a",
    target: { text: "baseline for (d)" },
    run: (b) => {
      let seconds = 0;
      const errs: string[] = [];
      for (const [schema, glob] of b.ajvGroups) {
        const r = run(process.execPath, b.ajvArgs(schema, glob), {
          cwd: b.timingDir,
          env: b.env,
          stdout: "ignore",
        });
        seconds += r.seconds;
        if (r.status !== 0) errs.push(`${glob}: exit ${r.status} ${r.stderr.slice(0, 200)}`);
      }
      return { seconds, error: errs.length ? errs.join("; ") : undefined };
    },
  },
  validateRow(
    "d",
    "`incident validate --no-cache` (cold; worker threads, one per CPU)",
    true,
    ["--no-cache"],
    {
      baseline: "c",
      target: { text: "<= 1.0x (c)", met: (_, ratio) => ratio <= 1.0 },
    },
  ),
  validateRow(
    "d1",
    "`incident validate --no-cache --jobs 1` (cold, main thread only)",
    true,
    ["--no-cache", "--jobs", "1"],
    { baseline: "c", target: { text: "info" } },
  ),
  validateRow("e", "`incident validate` (warm cache)", false, [], {
    baseline: "a",
    target: { text: "<= 3x (a)", met: (_, ratio) => ratio <= 3 },
    // The warm runs need the cache: a cold run that writes it (reported in the notes).
    setup: (b) => {
      log("populating the result cache (incident validate, cold, writes the cache)");
      const populate = validateOnce(b, [], b.timingDir, b.nFiles);
      if (populate.error) log(`cache populate run failed: ${populate.error}`);
      return populate;
    },
  }),
  validateRow("f", "`incident validate --no-cache --full-parse`", true, ["--no-cache", "--full-parse"], {
    baseline: "c",
    target: { text: "info" },
  }),
  {
    id: "d2",
    label: (b) =>
      `\`incident validate --no-cache\` on the same corpus without %&*! prose (${b.fpPlain ? ((100 * b.fpPlain.fast) / b.fpPlain.files).toFixed(0) : "?"}% fast path)`,
    n: (b) => b.slowN,
    run: (b) => validateOnce(b, ["--no-cache"], b.plainDir, b.plainFiles.length),
    baseline: "c",
    target: { text: "info" },
  },
  {
    id: "g0",
    label: () => "`node -e 0`",
    n: (b) => b.versionN,
    baseline: "g0",
    target: { text: "baseline for (g)" },
    run: (b) => {
      const r = run(process.execPath, ["-e", "0"], { env: b.env });
      return { seconds: r.seconds, error: r.status === 0 ? undefined : r.stderr };
    },
  },
  {
    id: "g",
    label: () => "`incident --version`",
    n: (b) => b.versionN,
    baseline: "g0",
    target: { text: "<= 1.5x (g0)", met: (_, ratio) => ratio <= 1.5 },
    run: (b) => {
      const r = run(process.execPath, [cli, "--version"], { env: b.env });
      return {
        seconds: r.seconds,
        error: r.status === 0 && r.stdout.trim() === b.versionOk ? undefined : `${r.stdout}${r.stderr}`,
      };
    },
  },
  checkRow("i0", "small", { baseline: "i0", target: { text: "baseline for (i)" } }),
  checkRow("i", "big", { baseline: "i0", target: { text: "<= 1.3x (i0)", met: (_, ratio) => ratio <= 1.3 } }),
  {
    id: "x",
    label: (b) =>
      `the check job's own step: \`node .github/actions/check/dist/index.js\` (the committed action bundle, a fresh RUNNER_TEMP, no GitHub context) on the same pull request in the ${b.prSizes.small}-incident repository`,
    n: (b) => b.cheapN,
    run: actionOnce,
    verify: actionOnce,
    baseline: "i0",
    target: { text: "<= 2 s", met: (median) => median <= 2 },
  },
  outputRow("j", "render"),
  outputRow("k", "site"),
  {
    id: "l",
    label: (b) => `\`incident stats --by severity --format json\` over the timing corpus (${b.nFiles} files)`,
    n: (b) => b.slowN,
    run: (b) => {
      const r = run(process.execPath, statsArgs(b.timingDir), { env: b.env });
      return { seconds: r.seconds, error: statsVerify(r, b.timingStats.incidents) };
    },
    verify: (b) => {
      const { r, kb, how } = peakRss(b, statsArgs(b.timingDir));
      const error = statsVerify(r, b.timingStats.incidents);
      return { seconds: r.seconds, error, rss: { kb, how, seconds: r.seconds, error } };
    },
    baseline: "a",
    // stats reads and validates every file like a single-threaded cold validate: (d1) is its peer.
    peer: "d1",
    target: { text: "info" },
  },
  {
    id: "y",
    label: () => "what `npm install incident-as-code` (the packed tarball) brings into a new repository",
    measure: (b) => {
      const y = installFootprint(b.tmp, b.env);
      const met = y.error ? "no (errors)" : y.packages <= 15 && y.bytes <= 10 * 1024 * 1024 ? "yes" : "no";
      return {
        line:
          `| (y) | what \`npm install incident-as-code\` (the packed tarball) brings into a new repository (${y.how}) | 1 | ` +
          `${y.error ? "-" : `${y.packages} packages, ${(y.bytes / 1024 / 1024).toFixed(1)} MB`} | - | - | <= 15 packages, 10 MB | ${met} |`,
        after: y.error ? [`- (y) error: ${y.error.replace(/\s+/g, " ").slice(0, 300)}`] : [],
        failed: false,
      };
    },
  },
  {
    id: "h",
    label: () => "peak RSS, `incident validate --no-cache` over the memory corpus",
    measure: (b) => {
      const files = corpusFiles(b.memoryDir).length;
      log(`peak memory: incident validate --no-cache over ${files} files`);
      const memArgs = [cli, "validate", "-C", b.memoryDir, "--no-cache"];
      let kb: number | undefined;
      let how = "";
      let seconds = 0;
      let error: string | undefined;
      if (existsSync("/usr/bin/time")) {
        const r = run("/usr/bin/time", ["-v", process.execPath, ...memArgs], { env: b.env });
        seconds = r.seconds;
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
        if (m) {
          kb = Number(m[1]);
          how = "/usr/bin/time -v";
        }
        if (r.status !== 0 || r.stdout.trim() !== `${files} files valid`)
          error = `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`;
      }
      if (kb === undefined) {
        const r = run(process.execPath, [rssJs, ...memArgs], { env: b.env });
        seconds = r.seconds;
        const m = /maxrss_kb=(\d+)/.exec(r.stderr);
        if (m) {
          kb = Number(m[1]);
          how = "process.resourceUsage().maxRSS";
        }
        if (r.status !== 0) error = `exit ${r.status}: ${r.stderr.slice(0, 300)}`;
      }
      log(
        `peak RSS ${kb === undefined ? "?" : `${(kb / 1024).toFixed(0)} MB`} in ${fmt(seconds)} s${error ? ` ERROR ${error}` : ""}`,
      );
      const mb = kb === undefined ? Number.NaN : kb / 1024;
      return {
        line:
          `| (h) | peak RSS, \`incident validate --no-cache\` over ${files} files (${how || "not measured"}; run took ${fmt(seconds)} s) | 1 | ` +
          `${Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : "-"} | - | - | < 512 MB | ${error ? "no (errors)" : Number.isFinite(mb) ? (mb < 512 ? "yes" : "no") : "-"} |`,
        notes: error ? [`- (h) error: ${error.replace(/\s+/g, " ")}`] : [],
        failed: error !== undefined,
        kb,
      };
    },
  },
  {
    id: "m",
    label: () => "peak RSS, `incident stats --by severity --format json` over the memory corpus",
    measure: (b, done) => {
      const files = corpusFiles(b.memoryDir).length;
      log(`peak memory: incident stats over ${files} files`);
      const { r, kb, how } = peakRss(b, statsArgs(b.memoryDir));
      const error = statsVerify(r, (b.memoryStats ?? b.timingStats).incidents);
      log(
        `(m) peak RSS ${kb ? `${(kb / 1024).toFixed(0)} MB` : "?"} in ${fmt(r.seconds)} s${error ? ` ERROR ${error}` : ""}`,
      );
      const mb = kb === undefined ? Number.NaN : kb / 1024;
      const hKb = done.get("h")?.oneOff?.kb;
      const hMb = hKb === undefined ? Number.NaN : hKb / 1024;
      const ratioToH = Number.isFinite(hMb) && Number.isFinite(mb) ? rx(mb / hMb, "(h)") : "-";
      return {
        line:
          `| (m) | peak RSS, \`incident stats --by severity --format json\` over ${files} files (${how}; run took ${fmt(r.seconds)} s${error ? `; ERROR ${error.replace(/\s+/g, " ").slice(0, 200)}` : ""}) | 1 | ` +
          `${Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : "-"} | - | ${ratioToH} | < 512 MB | ${error ? "no (errors)" : Number.isFinite(mb) ? (mb < 512 ? "yes" : "no") : "-"} |`,
        failed: error !== undefined,
        kb,
      };
    },
  },
];

/**
 * The one runner: verification runs (a failed one leaves its row untimed), set-ups, then the timed
 * runs round-robin so that drift on the machine spreads over every row. One-off rows are measured
 * later, by `measureOneOffs`, after the timing.
 */
function runRows(b: Bench, rows: readonly BenchRow[]): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const row of rows) outcomes.set(row.id, { row, n: row.n?.(b) ?? 0, times: [], errors: [] });
  for (const o of outcomes.values()) {
    if (!o.row.verify) continue;
    const v = o.row.verify(b);
    o.rss = v.rss;
    const rss = v.rss
      ? `; peak RSS ${v.rss.kb ? `${(v.rss.kb / 1024).toFixed(0)} MB` : "?"}`
      : v.error
        ? ""
        : ", no findings";
    log(`(${o.row.id}) verification run: ${v.error ? `ERROR ${v.error.slice(0, 300)}` : "ok"}${rss}`);
    if (v.error) {
      o.errors.push(v.error);
      o.n = 0;
    }
  }
  for (const o of outcomes.values()) if (o.row.setup) o.setup = o.row.setup(b);
  const timed = [...outcomes.values()].filter((o) => o.row.run);
  const rounds = Math.max(0, ...timed.map((o) => o.n));
  for (let i = 0; i < rounds; i++) {
    for (const o of timed) {
      if (i >= o.n) continue;
      const r = (o.row.run as (b: Bench) => Measured)(b);
      o.times.push(r.seconds);
      if (r.error) o.errors.push(r.error);
      log(
        `(${o.row.id}) run ${i + 1}/${o.n}: ${fmt(r.seconds)} s${r.error ? ` ERROR ${r.error.slice(0, 200)}` : ""}`,
      );
    }
  }
  return outcomes;
}

function measureOneOffs(b: Bench, outcomes: Map<string, Outcome>): void {
  // Memory first (as measured before the report is written), the install footprint last.
  const order = [...outcomes.values()]
    .filter((o) => o.row.measure)
    .sort((x, y) => Number(x.row.id === "y") - Number(y.row.id === "y"));
  for (const o of order) o.oneOff = o.row.measure?.(b, outcomes);
}

/** The table's lines for the rows that ran: median, range, ratio to the baseline, target and whether it is met. */
function tableLines(b: Bench, outcomes: ReadonlyMap<string, Outcome>): string[] {
  const lines = [
    "| Row | Command | N | Median s | Min-max s | Ratio | Target | Met |",
    "|---|---|---:|---:|---:|---:|---|---|",
  ];
  const med = (id: string) => {
    const o = outcomes.get(id);
    return o?.times.length ? median(o.times) : Number.NaN;
  };
  for (const o of outcomes.values()) {
    const { row } = o;
    if (o.oneOff) {
      lines.push(o.oneOff.line, ...(o.oneOff.after ?? []));
      continue;
    }
    const m = med(row.id);
    const ratio = row.baseline === row.id ? 1 : ratioOf(m, med(row.baseline ?? ""));
    let ratioText = row.baseline === row.id ? `1.00x (${row.id})` : rx(ratio, `(${row.baseline})`);
    if (row.peer && outcomes.has(row.peer))
      ratioText += `, ${rx(ratioOf(m, med(row.peer)), `(${row.peer})`)}`;
    const met = row.target?.met
      ? o.errors.length
        ? "no (errors)"
        : row.target.met(m, ratio)
          ? "yes"
          : "no"
      : "";
    const t = o.times;
    const range = t.length ? `${fmt(Math.min(...t))}-${fmt(Math.max(...t))}` : "-";
    const failed = o.errors.length ? ` (${o.errors.length} failed run(s))` : "";
    lines.push(
      `| (${row.id}) | ${row.label(b)}${failed} | ${o.n} | ${t.length ? fmt(median(t)) : "-"} | ${range} | ${ratioText} | ${row.target?.text ?? ""} | ${met} |`,
    );
    if (o.rss) {
      const mb = o.rss.kb === undefined ? "-" : `${(o.rss.kb / 1024).toFixed(0)} MB`;
      lines.push(
        `| (${row.id}) | peak RSS of the same command (${o.rss.how}; untimed verification run took ${fmt(o.rss.seconds)} s) | 1 | ${mb} | - | - | info | |`,
      );
    }
  }
  return lines;
}

/** Builds the corpora and the pull-request repositories the chosen rows need. */
function prepare(opts: Options, tmp: string, wanted: (id: string) => boolean): Bench {
  const cacheHome = join(tmp, "cache");
  mkdirSync(cacheHome);
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome, NO_COLOR: "1" };
  delete env.NODE_OPTIONS;
  log(`temp dir ${tmp}`);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const timingDir = join(tmp, `corpus-${opts.timingSize}`);
  log(`generating ${opts.timingSize} incidents into ${timingDir}`);
  const timingStats = generateCorpus(timingDir, opts.timingSize, opts.seed);
  // The same corpus without %, &, * or ! prose: what the validator costs when the fast path's
  // screen admits (nearly) every file. Reported for reference.
  const plainDir = join(tmp, `corpus-${opts.timingSize}-plain`);
  let plainStats: CorpusStats | undefined;
  if (wanted("d2")) {
    log(`generating ${opts.timingSize} incidents without %&*! prose into ${plainDir}`);
    plainStats = generateCorpus(plainDir, opts.timingSize, opts.seed, { specialRate: 0 });
  }
  let memoryDir = timingDir;
  let memoryStats: CorpusStats | undefined;
  if (opts.memorySize !== opts.timingSize && (wanted("h") || wanted("m"))) {
    memoryDir = join(tmp, `corpus-${opts.memorySize}`);
    log(`generating ${opts.memorySize} incidents into ${memoryDir}`);
    memoryStats = generateCorpus(memoryDir, opts.memorySize, opts.seed);
  }
  // Pull-request check: the same kind of change (a note appended to prTouch open incidents) in a
  // small and a large git repository; the check's cost should follow the change.
  const prTouch = 20;
  const prSizes = { small: 100, big: opts.quick ? 1000 : 10_000 };
  const prRepos: { small?: PrRepo; big?: PrRepo } = {};
  const prSetupErrors: { small?: string; big?: string } = {};
  for (const which of ["small", "big"] as const) {
    if (!wanted("i0") && !wanted("i") && !(which === "small" && wanted("x"))) continue;
    const dir = join(tmp, `pr-${prSizes[which]}`);
    log(`building a git repository of ${prSizes[which]} incidents with a pull request into ${dir}`);
    try {
      prRepos[which] = buildPrRepo(dir, prSizes[which], opts.seed, prTouch);
      log(`  done in ${fmt((prRepos[which] as PrRepo).ms / 1000)} s`);
    } catch (err) {
      prSetupErrors[which] = `setup: ${err instanceof Error ? err.message : String(err)}`;
      log(`  failed: ${prSetupErrors[which]}`);
    }
  }
  (globalThis as { gc?: () => void }).gc?.();
  return {
    opts,
    env,
    tmp,
    cacheHome,
    cheapN: opts.quick ? 3 : 5,
    slowN: 3,
    versionN: opts.quick ? 3 : 10,
    timingDir,
    timingStats,
    nFiles: corpusFiles(timingDir).length,
    plainDir,
    plainStats,
    plainFiles: plainStats ? corpusFiles(plainDir) : [],
    memoryDir,
    memoryStats,
    prTouch,
    prSizes,
    prRepos,
    prSetupErrors,
    ajvGroups: [],
    ajvArgs: () => [],
    versionOk: readVersionString(),
  };
}

/** ajv-cli as the baseline runs it; one glob for every incident file, per year when that fails. */
function setUpAjv(b: Bench, wanted: (id: string) => boolean): void {
  // Incident files against the incident schema, problem files against the problem schema, strict
  // mode with our annotation keywords registered (as the product's ajv is configured).
  const keywords = join(b.tmp, "ajv-keywords.cjs");
  writeFileSync(
    keywords,
    `const addFormats = require(${JSON.stringify(require.resolve("ajv-formats"))});\n` +
      "module.exports = (ajv) => {\n  addFormats(ajv);\n" +
      '  ajv.addKeyword({ keyword: "enumDescriptions", schemaType: "array" });\n' +
      '  ajv.addKeyword({ keyword: "markdownDescription", schemaType: "string" });\n};\n',
  );
  const ajvCli = join(repo, "node_modules/ajv-cli/dist/index.js");
  b.ajvArgs = (schema: string, glob: string) => [
    ajvCli,
    "validate",
    "--spec=draft2020",
    "-c",
    keywords,
    "-s",
    join(repo, "schemas", `${schema}.schema.json`),
    "-d",
    glob,
    "--strict=true",
    "--all-errors",
  ];
  const years = readdirSync(join(b.timingDir, "incidents")).filter((d) => /^\d{4}$/.test(d));
  b.ajvGroups = [
    ["incident", "incidents/[0-9][0-9][0-9][0-9]/*.yaml"],
    ["problem", "incidents/problems/*.yaml"],
  ];
  if (!wanted("c")) return;
  log("checking ajv-cli over one glob for all incident files");
  const ajvCheck = run(process.execPath, b.ajvArgs("incident", b.ajvGroups[0]?.[1] as string), {
    cwd: b.timingDir,
    env: b.env,
  });
  if (ajvCheck.status !== 0) {
    log(
      `ajv-cli over one glob failed (exit ${ajvCheck.status}: ${ajvCheck.stderr.slice(0, 300)}); splitting per year`,
    );
    b.ajvGroups = [
      ...years.map((y) => ["incident", `incidents/${y}/*.yaml`] as [string, string]),
      ["problem", "incidents/problems/*.yaml"],
    ];
  }
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const wanted = (key: string) => !opts.only || opts.only.has(key);
  const startedAll = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), "iac-bench-"));
  const out: string[] = [];
  const print = (line = "") => out.push(line);

  try {
    const b = prepare(opts, tmp, wanted);
    const { timingDir, timingStats, memoryStats, prRepos, prSizes, prSetupErrors, prTouch, env } = b;
    const files = corpusFiles(timingDir);

    // Correctness: every generated file must be valid.
    log("checking that the corpus is valid (incident validate --no-cache --format json)");
    const check = run(
      process.execPath,
      [cli, "validate", "-C", timingDir, "--no-cache", "--format", "json"],
      { env },
    );
    let validity = `exit ${check.status}`;
    try {
      const report = JSON.parse(check.stdout) as {
        ok: boolean;
        files: number;
        diagnostics: Array<{ code: string; file: string; message: string }>;
      };
      validity = `ok ${report.ok}, ${report.files} files, ${report.diagnostics.length} diagnostics`;
      if (!report.ok) {
        for (const d of report.diagnostics.slice(0, 5)) log(`  ${d.file}: ${d.code} ${d.message}`);
      }
    } catch {
      log(`validate --format json printed no JSON: ${check.stderr.slice(0, 500)}`);
    }
    log(`corpus check: ${validity} (${fmt(check.seconds)} s)`);

    log("measuring the fast-path fraction");
    const fp = opts.only ? undefined : await fastPathReport(files);
    const repoIncidents = join(repo, "incidents");
    const examples =
      !opts.only && existsSync(repoIncidents) ? await fastPathReport(corpusFiles(repo)) : undefined;
    b.fpPlain = b.plainStats ? await fastPathReport(b.plainFiles) : undefined;
    setUpAjv(b, wanted);

    const outcomes = runRows(
      b,
      ROWS.filter((r) => wanted(r.id)),
    );

    // Where the check's repository-sized work goes: listing the base tree (the check lists base and
    // head, for incidents/ and incidents/problems/).
    const lsTree: { small?: { ms: number; entries: number }; big?: { ms: number; entries: number } } = {};
    for (const which of ["small", "big"] as const) {
      const pr = prRepos[which];
      if (!pr) continue;
      const times: number[] = [];
      let entries = 0;
      for (let i = 0; i < b.cheapN; i++) {
        const r = run("git", ["ls-tree", "-r", "-z", "--full-tree", "main", "--", "incidents"], {
          cwd: pr.dir,
          env,
        });
        times.push(r.seconds);
        entries = r.stdout.split("\0").filter(Boolean).length;
      }
      lsTree[which] = { ms: median(times) * 1000, entries };
    }
    measureOneOffs(b, outcomes);

    // Report.
    const cpuList = cpus();
    print(`## incident-as-code benchmark${opts.quick ? " (--quick)" : ""}`);
    print();
    print(`Code: ${gitState()}`);
    print();
    print(
      `Machine: Node ${process.version}, ${process.platform} ${release()}, ${cpuList.length} CPU(s) (${cpuList[0]?.model.trim() ?? "unknown"}), ` +
        `${(totalmem() / 2 ** 30).toFixed(1)} GB RAM (${(freemem() / 2 ** 30).toFixed(1)} GB free), load average at end ${loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );
    print();
    print("Corpus (deterministic, bench/generate.ts):");
    print(describeCorpus(`timing corpus`, timingStats));
    if (memoryStats) print(describeCorpus(`memory corpus`, memoryStats));
    print(
      `- validity check (\`incident validate --no-cache --format json\` on the timing corpus): ${validity}`,
    );
    if (fp) {
      print(
        `- fast path (isFastPathSafe + parseFast from dist/yaml/fast.js): ${fp.fast} of ${fp.files} files ` +
          `(${((100 * fp.fast) / fp.files).toFixed(1)}%); ${fp.files - fp.screened} refused by the lexical screen`,
      );
      if (fp.triggers.length)
        print(`  - files refused, by token: ${fp.triggers.map(([t, n]) => `\`${t}\` ${n}`).join(", ")}`);
    }
    if (b.plainStats && b.fpPlain) {
      print(
        `- the same corpus without %&*! prose (row d2, ${(b.plainStats.incidentBytes / b.plainStats.incidents / 1024).toFixed(2)} KB per incident): ` +
          `${b.fpPlain.fast} of ${b.fpPlain.files} files take the fast path`,
      );
    }
    if (opts.only) print(`- rows run: ${[...opts.only].map((k) => `(${k})`).join(", ")} (--only)`);
    if (examples) {
      print(
        `- for comparison, the repository's own examples: ${examples.fast} of ${examples.files} files take the fast path`,
      );
    }
    const describePr = (which: "small" | "big") => {
      const pr = prRepos[which];
      if (!pr) return `${prSizes[which]} incidents: not built (${prSetupErrors[which] ?? "?"})`;
      const mb = (pr.stats.incidentBytes + pr.stats.problemBytes) / 1024 / 1024;
      const statuses = Object.entries(pr.byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      return (
        `${pr.stats.incidents} incidents + ${pr.stats.problems} problems (${pr.tracked} tracked files, ${mb.toFixed(1)} MB; ` +
        `.git ${(pr.gitBytes / 1024 / 1024).toFixed(1)} MB, one pack) built in ${fmt(pr.ms / 1000)} s; the pull request's incidents: ${statuses}`
      );
    };
    print(
      `- pull-request check repositories (rows i0 and i; same generator and seed, one commit on \`main\`, ` +
        `a \`pr\` commit appending a \`note\` entry at ${prTouch} open incidents' timeline ends):`,
    );
    print(`  - small: ${describePr("small")}`);
    print(`  - large: ${describePr("big")}`);
    print();
    print(
      "Every timed run is a separate child process on the same files (warm OS page cache); medians of N runs, round-robin.",
    );
    print();
    for (const line of tableLines(b, outcomes)) print(line);
    print();
    print("Notes:");
    if (wanted("c")) {
      print(
        `- (c) validates schema only (incident.schema.json for incidents, problem.schema.json for problems), no semantic or cross-file checks; ajv-cli parses .yaml with js-yaml 3 and runs ajv 2020 strict with the product's annotation keywords and ajv-formats registered, --all-errors. Globs: ${b.ajvGroups.map(([s, g]) => `${s}: \`${g}\``).join(", ")}.`,
      );
    }
    const populate = outcomes.get("e")?.setup;
    if (populate) {
      const cacheDir = join(b.cacheHome, "incident-as-code");
      const cacheFiles = existsSync(cacheDir) ? readdirSync(cacheDir) : [];
      const cacheBytes = cacheFiles.reduce((s, f) => s + statSync(join(cacheDir, f)).size, 0);
      print(
        `- Cache populate run (cold validate that writes the cache, not in the table): ${fmt(populate.seconds)} s; cache file ${(cacheBytes / 1024 / 1024).toFixed(1)} MB.`,
      );
    }
    print(
      `- Timing corpus: ${b.nFiles} files. Whole benchmark took ${((performance.now() - startedAll) / 1000).toFixed(0)} s.`,
    );
    if (lsTree.small && lsTree.big) {
      print(
        `- (i0)/(i) repository-sized work: \`git ls-tree -r --full-tree main -- incidents\` (the check runs it for base and head) ` +
          `takes ${lsTree.small.ms.toFixed(0)} ms for ${lsTree.small.entries} entries and ${lsTree.big.ms.toFixed(0)} ms for ${lsTree.big.entries} entries (median of ${b.cheapN}).`,
      );
    }
    for (const o of outcomes.values())
      for (const e of o.errors.slice(0, 2))
        print(`- (${o.row.id}) error: ${e.replace(/\s+/g, " ").slice(0, 300)}`);
    for (const o of outcomes.values()) for (const n of o.oneOff?.notes ?? []) print(n);
    process.stdout.write(`${out.join("\n")}\n`);
    const failed =
      [...outcomes.values()].some((o) => o.errors.length > 0 || o.oneOff?.failed) || check.status !== 0;
    return failed ? 1 : 0;
  } finally {
    if (opts.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

function gitState(): string {
  const git = (args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  const head = git(["rev-parse", "--short", "HEAD"]);
  if (head.status !== 0) return "not a git checkout";
  const dirty = git([
    "status",
    "--porcelain",
    "--untracked-files=no",
    "--",
    "src",
    "schemas",
    "package.json",
  ]);
  const changed = dirty.stdout.split("\n").filter(Boolean).length;
  return `commit ${head.stdout.trim()}${changed ? `, ${changed} tracked file(s) under src/, schemas/ or package.json modified` : ", clean"}; dist built by \`npm run bench\``;
}

function readVersionString(): string {
  return (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string }).version;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
