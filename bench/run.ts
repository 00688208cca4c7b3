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
const cli = join(repo, "dist/cli/main.js");
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

const ROW_KEYS = [
  "a",
  "b",
  "c",
  "d",
  "d1",
  "e",
  "f",
  "d2",
  "g0",
  "g",
  "i0",
  "i",
  "x",
  "j",
  "k",
  "l",
  "h",
  "m",
  "y",
];

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
      const unknown = [...only].filter((k) => !ROW_KEYS.includes(k));
      if (unknown.length > 0 || only.size === 0)
        throw new Error(
          `--only takes row letters from ${ROW_KEYS.join(", ")}; unknown: ${unknown.join(", ")}`,
        );
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

interface Row {
  key: string;
  label: string;
  n: number;
  /** One timed run; returns an error message when the run did not do what it should. */
  once: () => { seconds: number; error?: string };
  times: number[];
  errors: string[];
}

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

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const wanted = (key: string) => !opts.only || opts.only.has(key);
  const cheapN = opts.quick ? 3 : 5;
  const slowN = 3;
  const versionN = opts.quick ? 3 : 10;
  const startedAll = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), "iac-bench-"));
  const cacheHome = join(tmp, "cache");
  mkdirSync(cacheHome);
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome, NO_COLOR: "1" };
  delete env.NODE_OPTIONS;
  log(`temp dir ${tmp}`);
  const out: string[] = [];
  const print = (line = "") => out.push(line);

  try {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    // Corpora.
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
    const files = corpusFiles(timingDir);
    const nFiles = files.length;

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
    const plainFiles = plainStats ? corpusFiles(plainDir) : [];
    const fpPlain = plainStats ? await fastPathReport(plainFiles) : undefined;

    // ajv-cli: incident files against the incident schema, problem files against the problem schema,
    // strict mode with our annotation keywords registered (as the product's ajv is configured).
    const keywords = join(tmp, "ajv-keywords.cjs");
    writeFileSync(
      keywords,
      `const addFormats = require(${JSON.stringify(require.resolve("ajv-formats"))});\n` +
        "module.exports = (ajv) => {\n  addFormats(ajv);\n" +
        '  ajv.addKeyword({ keyword: "enumDescriptions", schemaType: "array" });\n' +
        '  ajv.addKeyword({ keyword: "markdownDescription", schemaType: "string" });\n};\n',
    );
    const ajvCli = join(repo, "node_modules/ajv-cli/dist/index.js");
    const ajvArgs = (schema: string, glob: string) => [
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
    const years = readdirSync(join(timingDir, "incidents")).filter((d) => /^\d{4}$/.test(d));
    let ajvGroups: Array<[string, string]> = [
      ["incident", "incidents/[0-9][0-9][0-9][0-9]/*.yaml"],
      ["problem", "incidents/problems/*.yaml"],
    ];
    if (wanted("c")) log("checking ajv-cli over one glob for all incident files");
    const ajvCheck = wanted("c")
      ? run(process.execPath, ajvArgs("incident", ajvGroups[0]?.[1] as string), { cwd: timingDir, env })
      : undefined;
    if (ajvCheck && ajvCheck.status !== 0) {
      log(
        `ajv-cli over one glob failed (exit ${ajvCheck.status}: ${ajvCheck.stderr.slice(0, 300)}); splitting per year`,
      );
      ajvGroups = [
        ...years.map((y) => ["incident", `incidents/${y}/*.yaml`] as [string, string]),
        ["problem", "incidents/problems/*.yaml"],
      ];
    }

    const versionOk = readVersionString();
    const validateRow = (
      key: string,
      label: string,
      n: number,
      extra: string[],
      dir = timingDir,
      count = nFiles,
    ): Row => ({
      key,
      label,
      n,
      times: [],
      errors: [],
      once: () => {
        const r = run(process.execPath, [cli, "validate", "-C", dir, ...extra], { env });
        const ok = r.status === 0 && r.stdout.trim() === `${count} files valid`;
        return {
          seconds: r.seconds,
          error: ok ? undefined : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`,
        };
      },
    });
    const checkRow = (key: string, which: "small" | "big"): Row => ({
      key,
      label: `\`incident check --base main --head pr --format json\`, a pull request touching ${prTouch} incidents in a ${prSizes[which]}-incident git repository`,
      n: cheapN,
      times: [],
      errors: [],
      once: () => {
        const pr = prRepos[which];
        if (!pr) return { seconds: Number.NaN, error: prSetupErrors[which] ?? "no repository" };
        const r = run(
          process.execPath,
          [cli, "check", "--base", "main", "--head", "pr", "-C", pr.dir, "--format", "json"],
          { env },
        );
        let ok = false;
        try {
          const report = JSON.parse(r.stdout) as { ok: boolean; files: number; diagnostics: unknown[] };
          ok = report.ok && report.files === prTouch && report.diagnostics.length === 0;
        } catch {}
        return {
          seconds: r.seconds,
          error:
            r.status === 0 && ok ? undefined : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`,
        };
      },
    });
    // Rendering rows: each run writes into an emptied folder (emptied outside the timed span), so
    // that every run renders and writes everything.
    const outputCommand = (command: "render" | "site") => {
      const outDir = join(tmp, `${command}-out`);
      // --max-tlp red: every incident gets its page (the corpus marks a tenth of them TLP:RED).
      const args = [
        cli,
        command,
        "-C",
        timingDir,
        "--out",
        outDir,
        ...(command === "site" ? ["--max-tlp", "red"] : []),
      ];
      const expected =
        command === "render"
          ? (stdout: string) => {
              const wrote = stdout.split("\n").filter((l) => l.startsWith("wrote ")).length;
              return wrote === timingStats.incidents
                ? undefined
                : `wrote ${wrote} postmortem(s), expected ${timingStats.incidents}`;
            }
          : (stdout: string) => {
              const m = /wrote (\d+) file\(s\) for (\d+) incident\(s\) and (\d+) problem\(s\)/.exec(stdout);
              return m && Number(m[2]) === timingStats.incidents && Number(m[3]) === timingStats.problems
                ? undefined
                : `unexpected output: ${stdout.slice(0, 200)}`;
            };
      /** Empties the output folder (not timed), then the caller runs `args`; `verify` checks the run. */
      const prepare = () => rmSync(outDir, { recursive: true, force: true });
      const verify = (r: RunResult) =>
        r.status === 0 ? expected(r.stdout) : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`;
      return { args, prepare, verify };
    };
    const outputRow = (key: string, command: "render" | "site"): Row => {
      const c = outputCommand(command);
      return {
        key,
        label: `\`incident ${command} --out <tmp>\` over the timing corpus (${nFiles} files, into an empty folder)`,
        n: slowN,
        times: [],
        errors: [],
        once: () => {
          c.prepare();
          const r = run(process.execPath, c.args, { env });
          return { seconds: r.seconds, error: c.verify(r) };
        },
      };
    };
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
    const statsVerify = (r: RunResult, incidents: number) => {
      if (r.status !== 0) return `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`;
      try {
        const report = JSON.parse(r.stdout) as { counts: { incidents: number } };
        return report.counts.incidents === incidents
          ? undefined
          : `counted ${report.counts.incidents} incidents, expected ${incidents}`;
      } catch {
        return `no JSON: ${r.stdout.slice(0, 200)}`;
      }
    };
    const allRows: Row[] = [
      {
        key: "a",
        label: "floor: readdir + readFileSync",
        n: cheapN,
        times: [],
        errors: [],
        once: () => {
          const r = run(process.execPath, [floorJs, timingDir], { env });
          return { seconds: r.seconds, error: r.status === 0 ? undefined : r.stderr.slice(0, 300) };
        },
      },
      {
        key: "b",
        label: "floor + `yaml.parse` each file",
        n: slowN,
        times: [],
        errors: [],
        once: () => {
          const r = run(process.execPath, [floorJs, timingDir, "--parse"], { env });
          return { seconds: r.seconds, error: r.status === 0 ? undefined : r.stderr.slice(0, 300) };
        },
      },
      {
        key: "c",
        label: `ajv-cli 5, schema only (${ajvGroups.length} invocations)`,
        n: cheapN,
        times: [],
        errors: [],
        once: () => {
          let seconds = 0;
          const errs: string[] = [];
          for (const [schema, glob] of ajvGroups) {
            const r = run(process.execPath, ajvArgs(schema, glob), { cwd: timingDir, env, stdout: "ignore" });
            seconds += r.seconds;
            if (r.status !== 0) errs.push(`${glob}: exit ${r.status} ${r.stderr.slice(0, 200)}`);
          }
          return { seconds, error: errs.length ? errs.join("; ") : undefined };
        },
      },
      validateRow("d", "`incident validate --no-cache` (cold; worker threads, one per CPU)", slowN, [
        "--no-cache",
      ]),
      validateRow("d1", "`incident validate --no-cache --jobs 1` (cold, main thread only)", slowN, [
        "--no-cache",
        "--jobs",
        "1",
      ]),
      validateRow("e", "`incident validate` (warm cache)", cheapN, []),
      validateRow("f", "`incident validate --no-cache --full-parse`", slowN, ["--no-cache", "--full-parse"]),
      validateRow(
        "d2",
        `\`incident validate --no-cache\` on the same corpus without %&*! prose (${fpPlain ? ((100 * fpPlain.fast) / fpPlain.files).toFixed(0) : "?"}% fast path)`,
        slowN,
        ["--no-cache"],
        plainDir,
        plainFiles.length,
      ),
      {
        key: "g0",
        label: "`node -e 0`",
        n: versionN,
        times: [],
        errors: [],
        once: () => {
          const r = run(process.execPath, ["-e", "0"], { env });
          return { seconds: r.seconds, error: r.status === 0 ? undefined : r.stderr };
        },
      },
      {
        key: "g",
        label: "`incident --version`",
        n: versionN,
        times: [],
        errors: [],
        once: () => {
          const r = run(process.execPath, [cli, "--version"], { env });
          return {
            seconds: r.seconds,
            error: r.status === 0 && r.stdout.trim() === versionOk ? undefined : `${r.stdout}${r.stderr}`,
          };
        },
      },
      checkRow("i0", "small"),
      checkRow("i", "big"),
      {
        key: "x",
        label: `the check job's own step: \`node .github/actions/check/dist/index.js\` (the committed action bundle, a fresh RUNNER_TEMP, no GitHub context) on the same pull request in the ${prSizes.small}-incident repository`,
        n: cheapN,
        times: [],
        errors: [],
        once: () => {
          const pr = prRepos.small;
          if (!pr) return { seconds: Number.NaN, error: prSetupErrors.small ?? "no repository" };
          if (!existsSync(actionJs)) return { seconds: Number.NaN, error: `${actionJs} is missing` };
          const runner = mkdtempSync(join(tmp, "runner-"));
          const output = join(runner, "output");
          writeFileSync(output, "");
          const actionEnv: NodeJS.ProcessEnv = {};
          for (const [k, v] of Object.entries(env))
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
            error:
              r.status === 0 && ok ? undefined : `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`,
          };
        },
      },
      outputRow("j", "render"),
      outputRow("k", "site"),
      {
        key: "l",
        label: `\`incident stats --by severity --format json\` over the timing corpus (${nFiles} files)`,
        n: slowN,
        times: [],
        errors: [],
        once: () => {
          const r = run(process.execPath, statsArgs(timingDir), { env });
          return { seconds: r.seconds, error: statsVerify(r, timingStats.incidents) };
        },
      },
    ];
    const rows = allRows.filter((r) => wanted(r.key));

    // The check rows: one untimed run each must pass with no findings, or the row is not timed.
    for (const row of rows.filter((r) => r.key === "i0" || r.key === "i" || r.key === "x")) {
      const v = row.once();
      log(`(${row.key}) verification run: ${v.error ? `ERROR ${v.error.slice(0, 300)}` : "ok, no findings"}`);
      if (v.error) {
        row.errors.push(v.error);
        row.n = 0;
      }
    }

    // The rendering rows: one untimed run each, under /usr/bin/time -v when it is there (else
    // dist/tools/bench/rss.js), checks the output and measures the peak RSS; a failed run is not timed.
    const outputRss: Record<string, { kb?: number; how: string; seconds: number; error?: string }> = {};
    const peakRss = (args: string[]) => {
      const timeV = existsSync("/usr/bin/time");
      const r = timeV
        ? run("/usr/bin/time", ["-v", process.execPath, ...args], { env })
        : run(process.execPath, [rssJs, ...args], { env });
      const m = (timeV ? /Maximum resident set size \(kbytes\): (\d+)/ : /maxrss_kb=(\d+)/).exec(r.stderr);
      const how = m ? (timeV ? "/usr/bin/time -v" : "process.resourceUsage().maxRSS") : "not measured";
      return { r, kb: m ? Number(m[1]) : undefined, how };
    };
    if (wanted("l")) {
      const row = rows.find((r) => r.key === "l") as Row;
      const { r, kb, how } = peakRss(statsArgs(timingDir));
      const error = statsVerify(r, timingStats.incidents);
      outputRss.l = { kb, how, seconds: r.seconds, error };
      log(
        `(l) verification run: ${error ? `ERROR ${error.slice(0, 300)}` : "ok"}; peak RSS ${kb ? `${(kb / 1024).toFixed(0)} MB` : "?"}`,
      );
      if (error) {
        row.errors.push(error);
        row.n = 0;
      }
    }
    for (const [key, command] of [
      ["j", "render"],
      ["k", "site"],
    ] as const) {
      const row = rows.find((r) => r.key === key);
      if (!row) continue;
      const c = outputCommand(command);
      c.prepare();
      const timeV = existsSync("/usr/bin/time");
      const r = timeV
        ? run("/usr/bin/time", ["-v", process.execPath, ...c.args], { env })
        : run(process.execPath, [rssJs, ...c.args], { env });
      const m = (timeV ? /Maximum resident set size \(kbytes\): (\d+)/ : /maxrss_kb=(\d+)/).exec(r.stderr);
      const error = c.verify(r);
      outputRss[key] = {
        kb: m ? Number(m[1]) : undefined,
        how: m ? (timeV ? "/usr/bin/time -v" : "process.resourceUsage().maxRSS") : "not measured",
        seconds: r.seconds,
        error,
      };
      log(
        `(${key}) verification run: ${error ? `ERROR ${error.slice(0, 300)}` : "ok"}; peak RSS ${m ? `${(Number(m[1]) / 1024).toFixed(0)} MB` : "?"}`,
      );
      if (error) {
        row.errors.push(error);
        row.n = 0;
      }
    }

    // Populate the cache for the warm row (also reported: a cold run that writes the cache).
    let populate: { seconds: number; error?: string } | undefined;
    if (wanted("e")) {
      log("populating the result cache (incident validate, cold, writes the cache)");
      populate = validateRow("e0", "populate", 1, []).once();
      if (populate.error) log(`cache populate run failed: ${populate.error}`);
    }
    const cacheFiles = existsSync(join(cacheHome, "incident-as-code"))
      ? readdirSync(join(cacheHome, "incident-as-code"))
      : [];
    const cacheBytes = cacheFiles.reduce(
      (s, f) => s + statSync(join(cacheHome, "incident-as-code", f)).size,
      0,
    );

    // Timed runs, round-robin so that drift on the machine spreads over every row.
    const rounds = Math.max(0, ...rows.map((r) => r.n));
    for (let i = 0; i < rounds; i++) {
      for (const row of rows) {
        if (i >= row.n) continue;
        const r = row.once();
        row.times.push(r.seconds);
        if (r.error) row.errors.push(r.error);
        log(
          `(${row.key}) run ${i + 1}/${row.n}: ${fmt(r.seconds)} s${r.error ? ` ERROR ${r.error.slice(0, 200)}` : ""}`,
        );
      }
    }

    // Where the check's repository-sized work goes: listing the base tree (the check lists base and
    // head, for incidents/ and incidents/problems/).
    const lsTree: { small?: { ms: number; entries: number }; big?: { ms: number; entries: number } } = {};
    for (const which of ["small", "big"] as const) {
      const pr = prRepos[which];
      if (!pr) continue;
      const times: number[] = [];
      let entries = 0;
      for (let i = 0; i < cheapN; i++) {
        const r = run("git", ["ls-tree", "-r", "-z", "--full-tree", "main", "--", "incidents"], {
          cwd: pr.dir,
          env,
        });
        times.push(r.seconds);
        entries = r.stdout.split("\0").filter(Boolean).length;
      }
      lsTree[which] = { ms: median(times) * 1000, entries };
    }

    // Peak memory over the memory corpus.
    const memFiles = corpusFiles(memoryDir).length;
    let rssKb: number | undefined;
    let rssHow = "";
    let memSeconds = 0;
    let memError: string | undefined;
    if (wanted("h")) {
      log(`peak memory: incident validate --no-cache over ${memFiles} files`);
      const memArgs = [cli, "validate", "-C", memoryDir, "--no-cache"];
      if (existsSync("/usr/bin/time")) {
        const r = run("/usr/bin/time", ["-v", process.execPath, ...memArgs], { env });
        memSeconds = r.seconds;
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
        if (m) {
          rssKb = Number(m[1]);
          rssHow = "/usr/bin/time -v";
        }
        if (r.status !== 0 || r.stdout.trim() !== `${memFiles} files valid`)
          memError = `exit ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`;
      }
      if (rssKb === undefined) {
        const r = run(process.execPath, [rssJs, ...memArgs], { env });
        memSeconds = r.seconds;
        const m = /maxrss_kb=(\d+)/.exec(r.stderr);
        if (m) {
          rssKb = Number(m[1]);
          rssHow = "process.resourceUsage().maxRSS";
        }
        if (r.status !== 0) memError = `exit ${r.status}: ${r.stderr.slice(0, 300)}`;
      }
      log(
        `peak RSS ${rssKb === undefined ? "?" : `${(rssKb / 1024).toFixed(0)} MB`} in ${fmt(memSeconds)} s${memError ? ` ERROR ${memError}` : ""}`,
      );
    }

    // `incident stats` over the memory corpus: one run for its peak RSS.
    let statsMem: { kb?: number; how: string; seconds: number; error?: string } | undefined;
    if (wanted("m")) {
      log(`peak memory: incident stats over ${memFiles} files`);
      const { r, kb, how } = peakRss(statsArgs(memoryDir));
      statsMem = {
        kb,
        how,
        seconds: r.seconds,
        error: statsVerify(r, (memoryStats ?? timingStats).incidents),
      };
      log(
        `(m) peak RSS ${kb ? `${(kb / 1024).toFixed(0)} MB` : "?"} in ${fmt(r.seconds)} s${statsMem.error ? ` ERROR ${statsMem.error}` : ""}`,
      );
    }

    // Report.
    const med = (key: string) => {
      const row = rows.find((r) => r.key === key);
      return row?.times.length ? median(row.times) : Number.NaN;
    };
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
    if (plainStats && fpPlain) {
      print(
        `- the same corpus without %&*! prose (row d2, ${(plainStats.incidentBytes / plainStats.incidents / 1024).toFixed(2)} KB per incident): ` +
          `${fpPlain.fast} of ${fpPlain.files} files take the fast path`,
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
    print("| Row | Command | N | Median s | Min-max s | Ratio | Target | Met |");
    print("|---|---|---:|---:|---:|---:|---|---|");
    const lineOf = (row: Row, ratio: string, target: string, met: string) => {
      const t = row.times;
      const range = t.length ? `${fmt(Math.min(...t))}-${fmt(Math.max(...t))}` : "-";
      const failed = row.errors.length ? ` (${row.errors.length} failed run(s))` : "";
      print(
        `| (${row.key}) | ${row.label}${failed} | ${row.n} | ${t.length ? fmt(median(t)) : "-"} | ${range} | ${ratio} | ${target} | ${met} |`,
      );
    };
    const ratio = (a: number, b: number) =>
      Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN;
    const rx = (x: number, base: string) => (Number.isFinite(x) ? `${x.toFixed(2)}x ${base}` : "-");
    const yes = (ok: boolean, row: Row | undefined) =>
      row?.errors.length ? "no (errors)" : ok ? "yes" : "no";
    const byKey = (k: string) => rows.find((r) => r.key === k);
    const shown = new Set(rows.map((r) => r.key));
    // Only the rows that ran (--only); a ratio whose baseline did not run prints as "-".
    const line = (row: Row | undefined, ratio: string, target: string, met: string) => {
      if (row && shown.has(row.key)) lineOf(row, ratio, target, met);
    };
    const a = med("a");
    line(byKey("a"), "1.00x (a)", "baseline", "");
    line(byKey("b"), rx(ratio(med("b"), a), "(a)"), "info", "");
    line(byKey("c"), rx(ratio(med("c"), a), "(a)"), "baseline for (d)", "");
    const dc = ratio(med("d"), med("c"));
    line(byKey("d"), rx(dc, "(c)"), "<= 1.0x (c)", yes(dc <= 1.0, byKey("d")));
    const ea = ratio(med("e"), a);
    line(byKey("d1"), rx(ratio(med("d1"), med("c")), "(c)"), "info", "");
    line(byKey("e"), rx(ea, "(a)"), "<= 3x (a)", yes(ea <= 3, byKey("e")));
    line(byKey("f"), rx(ratio(med("f"), med("c")), "(c)"), "info", "");
    line(byKey("d2"), rx(ratio(med("d2"), med("c")), "(c)"), "info", "");
    line(byKey("g0"), "1.00x (g0)", "baseline for (g)", "");
    const gg = ratio(med("g"), med("g0"));
    line(byKey("g"), rx(gg, "(g0)"), "<= 1.5x (g0)", yes(gg <= 1.5, byKey("g")));
    line(byKey("i0"), "1.00x (i0)", "baseline for (i)", "");
    const ii = ratio(med("i"), med("i0"));
    line(byKey("i"), rx(ii, "(i0)"), "<= 1.3x (i0)", yes(ii <= 1.3, byKey("i")));
    const xx = med("x");
    line(
      byKey("x"),
      shown.has("i0") ? rx(ratio(xx, med("i0")), "(i0)") : "-",
      "<= 2 s",
      yes(xx <= 2, byKey("x")),
    );
    for (const key of ["j", "k", "l"]) {
      if (!shown.has(key)) continue;
      // stats reads and validates every file like a single-threaded cold validate: (d1) is its peer.
      const peer = key === "l" && shown.has("d1") ? `, ${rx(ratio(med("l"), med("d1")), "(d1)")}` : "";
      line(byKey(key), `${rx(ratio(med(key), a), "(a)")}${peer}`, "info", "");
      const m = outputRss[key];
      const mb = m?.kb === undefined ? "-" : `${(m.kb / 1024).toFixed(0)} MB`;
      print(
        `| (${key}) | peak RSS of the same command (${m?.how ?? "not measured"}; untimed verification run took ${m ? fmt(m.seconds) : "-"} s) | 1 | ${mb} | - | - | info | |`,
      );
    }
    if (wanted("y")) {
      const y = installFootprint(tmp, env);
      const met = y.error ? "no (errors)" : y.packages <= 15 && y.bytes <= 10 * 1024 * 1024 ? "yes" : "no";
      print(
        `| (y) | what \`npm install incident-as-code\` (the packed tarball) brings into a new repository (${y.how}) | 1 | ` +
          `${y.error ? "-" : `${y.packages} packages, ${(y.bytes / 1024 / 1024).toFixed(1)} MB`} | - | - | <= 15 packages, 10 MB | ${met} |`,
      );
      if (y.error) print(`- (y) error: ${y.error.replace(/\s+/g, " ").slice(0, 300)}`);
    }
    const rssMb = rssKb === undefined ? Number.NaN : rssKb / 1024;
    if (wanted("h")) {
      print(
        `| (h) | peak RSS, \`incident validate --no-cache\` over ${memFiles} files (${rssHow || "not measured"}; run took ${fmt(memSeconds)} s) | 1 | ` +
          `${Number.isFinite(rssMb) ? `${rssMb.toFixed(0)} MB` : "-"} | - | - | < 512 MB | ${memError ? "no (errors)" : Number.isFinite(rssMb) ? (rssMb < 512 ? "yes" : "no") : "-"} |`,
      );
    }
    if (statsMem) {
      const mb = statsMem.kb === undefined ? Number.NaN : statsMem.kb / 1024;
      const ratioToH = Number.isFinite(rssMb) && Number.isFinite(mb) ? rx(mb / rssMb, "(h)") : "-";
      print(
        `| (m) | peak RSS, \`incident stats --by severity --format json\` over ${memFiles} files (${statsMem.how}; run took ${fmt(statsMem.seconds)} s${statsMem.error ? `; ERROR ${statsMem.error.replace(/\s+/g, " ").slice(0, 200)}` : ""}) | 1 | ` +
          `${Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : "-"} | - | ${ratioToH} | < 512 MB | ${statsMem.error ? "no (errors)" : Number.isFinite(mb) ? (mb < 512 ? "yes" : "no") : "-"} |`,
      );
    }
    print();
    print("Notes:");
    if (wanted("c")) {
      print(
        `- (c) validates schema only (incident.schema.json for incidents, problem.schema.json for problems), no semantic or cross-file checks; ajv-cli parses .yaml with js-yaml 3 and runs ajv 2020 strict with the product's annotation keywords and ajv-formats registered, --all-errors. Globs: ${ajvGroups.map(([s, g]) => `${s}: \`${g}\``).join(", ")}.`,
      );
    }
    if (populate) {
      print(
        `- Cache populate run (cold validate that writes the cache, not in the table): ${fmt(populate.seconds)} s; cache file ${(cacheBytes / 1024 / 1024).toFixed(1)} MB.`,
      );
    }
    print(
      `- Timing corpus: ${nFiles} files. Whole benchmark took ${((performance.now() - startedAll) / 1000).toFixed(0)} s.`,
    );
    if (lsTree.small && lsTree.big) {
      print(
        `- (i0)/(i) repository-sized work: \`git ls-tree -r --full-tree main -- incidents\` (the check runs it for base and head) ` +
          `takes ${lsTree.small.ms.toFixed(0)} ms for ${lsTree.small.entries} entries and ${lsTree.big.ms.toFixed(0)} ms for ${lsTree.big.entries} entries (median of ${cheapN}).`,
      );
    }
    for (const row of rows)
      for (const e of row.errors.slice(0, 2))
        print(`- (${row.key}) error: ${e.replace(/\s+/g, " ").slice(0, 300)}`);
    if (memError) print(`- (h) error: ${memError.replace(/\s+/g, " ")}`);
    process.stdout.write(`${out.join("\n")}\n`);
    const failed =
      rows.some((r) => r.errors.length > 0) ||
      memError !== undefined ||
      statsMem?.error !== undefined ||
      check.status !== 0;
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
