// `incident render`: writes one Markdown postmortem per incident from the repository's templates
// (bundled ones unless overridden), only when the content changed; `--check` reports stale files.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../config/types.js";
import { UsageError, UserError } from "../diagnostics/errors.js";
import { isInside } from "../io/discover.js";
import { readInside, writeInside } from "../io/safeWrite.js";
import { checkIdShape } from "../io/store.js";
import type { Incident, Tlp } from "../model/types.js";
import type { RuleSet } from "../regulatory/types.js";
import { loadRecords, type RecordSet } from "../usecases/loadRecords.js";
import { type CommandContext, processContext } from "./context.js";
import { safe } from "./report.js";

export interface RenderCliOptions {
  dir: string;
  out?: string;
  templates?: string;
  check?: boolean;
  /** md (default): postmortems; html: the site; both: postmortems and the site. */
  format?: "md" | "html" | "both";
  /** For the site (html, both): the TLP ceiling. */
  maxTlp?: Tlp;
}

export const BUNDLED_TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));
const MAIN_TEMPLATE = "postmortem.md.hbs";
const PARTIAL_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The template set: the bundled templates, each replaced by a file of the same name in `overrides`
 * (a repository's `templates/` folder) when there is one.
 */
export function readTemplates(overrides?: string): { main: string; partials: Record<string, string> } {
  const pick = (rel: string): string => {
    const own = overrides ? join(overrides, rel) : undefined;
    return readFileSync(own && existsSync(own) ? own : join(BUNDLED_TEMPLATES, rel), "utf8");
  };
  const names = new Set<string>();
  for (const dir of [BUNDLED_TEMPLATES, overrides]) {
    const p = dir ? join(dir, "partials") : undefined;
    if (!p || !existsSync(p) || !statSync(p).isDirectory()) continue;
    for (const f of readdirSync(p)) {
      const name = f.replace(/\.hbs$/, "");
      if (f.endsWith(".hbs") && PARTIAL_NAME.test(name)) names.add(name);
    }
  }
  const partials: Record<string, string> = {};
  for (const name of [...names].sort()) partials[name] = pick(`partials/${name}.hbs`);
  return { main: pick(MAIN_TEMPLATE), partials };
}

export async function runRender(
  ids: string[],
  opts: RenderCliOptions,
  ctx: CommandContext = processContext(),
): Promise<number> {
  const format = opts.format ?? "md";
  if (format !== "md") {
    // The site is a build output, never committed, so there is nothing for --check to compare;
    // and it is built from every incident (the index and the metrics need them all).
    const refuse = opts.check ? "--check" : ids.length > 0 ? "incident ids" : undefined;
    if (refuse) {
      throw new UsageError(`${refuse} cannot be combined with --format ${format}`);
    }
  }
  const siteOpts: SiteCliOptions = {
    dir: opts.dir,
    out: opts.out,
    templates: opts.templates,
    maxTlp: opts.maxTlp,
  };
  for (const id of ids) checkIdShape(id, "incident");
  // One read of the repository serves the postmortems and the site.
  const input = await loadRenderInput(opts.dir, opts.templates, ctx);
  if (format === "html") return await siteCommand(siteOpts, input, ctx);
  // With both and --out DIR, DIR holds the site and DIR/postmortems the Markdown, so a published
  // site carries the Markdown too; those postmortems obey the site's TLP ceiling and are part of
  // the site's files. Without --out the postmortems sit next to their incidents, all of them.
  const withSite = format === "both" && opts.out !== undefined;
  const owned: string[] = [];
  const mdOut = withSite ? join(opts.out as string, "postmortems") : opts.out;
  const code = await renderCommand(
    ids,
    { ...opts, out: mdOut },
    input,
    withSite ? { maxTlp: opts.maxTlp ?? "amber+strict", owned } : undefined,
    ctx,
  );
  if (format === "md") return code;
  return Math.max(code, await siteCommand({ ...siteOpts, alsoOwned: owned }, input, ctx));
}

/** What rendering reads: the repository's config, its template folder and every valid record. */
interface RenderInput {
  root: string;
  config: Config;
  templateDir: string;
  records: RecordSet;
}

async function loadRenderInput(
  dir: string,
  templates: string | undefined,
  ctx: CommandContext,
): Promise<RenderInput> {
  const { cwd } = ctx;
  // Every field of every valid record (the records `incident stats` reads, unabridged).
  const records = await loadRecords({ dir: resolve(cwd, dir), full: true });
  const { root, config } = records;
  const configErrors = records.configDiagnostics.filter((d) => d.severity === "error");
  if (configErrors.length > 0) {
    throw new UserError(
      `incident.config.yaml has ${configErrors.length} error(s); run \`incident validate\` first`,
    );
  }
  const templateDir = templates ? resolve(cwd, templates) : join(root, config.paths.templates);
  if (templates && !existsSync(templateDir)) throw new UserError(`no template folder ${templates}`);
  // The first finding of each file left out, with its position (as `incident validate` gives it).
  const shown = new Set<string>();
  for (const d of records.invalid) {
    if (shown.has(d.file)) continue;
    shown.add(d.file);
    ctx.stderr.write(
      `incident: skipped ${safe(`${d.file}:${d.line}:${d.column}`)} ${d.code} ${safe(d.message)} (run \`incident validate\`)\n`,
    );
  }
  return { root, config, templateDir, records };
}

/**
 * The site's folder: anywhere but the repository root or a folder holding records (or inside
 * one), because the site writes incidents/ and problems/ folders of its own and prunes them.
 */
function checkSiteOut(root: string, config: Config, outDir: string): void {
  const recordDirs = [config.paths.incidents, config.paths.problems].map((p) => resolve(root, p));
  if (outDir === root || recordDirs.some((d) => isInside(outDir, d) || isInside(d, outDir))) {
    throw new UserError(
      `the site cannot be written to ${safe(outDir)}: it is the repository root or holds incident records; use a folder of its own such as _site`,
    );
  }
}

async function renderCommand(
  ids: string[],
  opts: RenderCliOptions,
  { root, config, templateDir, records }: RenderInput,
  site: { maxTlp: Tlp; owned: string[] } | undefined,
  ctx: CommandContext,
): Promise<number> {
  // By default each postmortem sits next to its incident (incidents/2026/INC-2026-0001.md), where
  // readers browsing the repository find it; --out collects them in one folder instead.
  const outDir = opts.out ? resolve(ctx.cwd, opts.out) : undefined;
  let selected = records.incidents;
  if (ids.length > 0) {
    const byId = new Map(records.incidents.map((i) => [i.id, i]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0)
      throw new UserError(`no valid incident ${missing.map((m) => `\`${m}\``).join(", ")}`);
    selected = [...new Set(ids)].map((id) => byId.get(id) as Incident);
  }
  if (site && outDir) {
    checkSiteOut(root, config, dirname(outDir));
    const { withinTlp } = await import("../site/build.js");
    selected = withinTlp(selected, site.maxTlp).published;
    // The site's manifest lists them, so the next build removes any that become withheld.
    for (const inc of selected) site.owned.push(`postmortems/${basename(inc.id)}.md`);
  }

  const { compileTemplates } = await import("../render/markdown.js");
  const { buildPostmortemModel } = await import("../render/model.js");
  const compiled = compileTemplates(readTemplates(templateDir));
  // The regulatory appendix stays out of the site's postmortems (see docs/render.md).
  const { repositoryRules } = await import("./obligations.js");
  const rules = site ? undefined : repositoryRules({ root, config }).rules;
  // Paths as seen from the repository root (where `-C` points), absolute when outside it.
  const show = (p: string) => {
    const rel = relative(root, p);
    return safe(rel.startsWith("..") || isAbsolute(rel) ? p : rel);
  };
  // Every write stays inside this folder and never goes through a link (a linked `<id>.md` would
  // otherwise overwrite whatever it points to): the repository, the --out folder, or the site's.
  const writeRoot = outDir ? (site ? dirname(outDir) : outDir) : root;
  const stale: string[] = [];
  let written = 0;
  for (const inc of selected) {
    const yamlFile = join(root, records.paths.get(inc.id) as string);
    const file = outDir ? join(outDir, `${basename(inc.id)}.md`) : yamlFile.replace(/\.ya?ml$/, ".md");
    const text = compiled.render(buildPostmortemModel(inc, config, records.problems, rules));
    const { text: current, link } = readInside(writeRoot, file);
    if (current === text) continue;
    if (opts.check) {
      stale.push(
        `${show(file)} ${link ? "(symbolic link)" : current === undefined ? "(missing)" : "(stale)"}`,
      );
      continue;
    }
    writeInside(writeRoot, file, text);
    written++;
    ctx.stdout.write(`wrote ${show(file)}\n`);
  }
  if (opts.check) {
    if (stale.length > 0) {
      ctx.stdout.write(`${stale.join("\n")}\n`);
      ctx.stderr.write(
        `incident: ${stale.length} postmortem(s) out of date; run \`incident render\` and commit them\n`,
      );
      return 1;
    }
    ctx.stdout.write(`${selected.length} postmortem(s) up to date\n`);
    return records.invalidFiles > 0 ? 1 : 0;
  }
  if (written === 0) ctx.stdout.write(`${selected.length} postmortem(s) already up to date\n`);
  return records.invalidFiles > 0 ? 1 : 0;
}

export interface SiteCliOptions {
  dir: string;
  out?: string;
  templates?: string;
  /** Incidents marked with a stricter TLP are left out of the site (default: amber+strict). */
  maxTlp?: Tlp;
  /** Files written into the site folder by the same build (`render --format both` postmortems). */
  alsoOwned?: string[];
  /** Incident pages (within the TLP ceiling) carry the regulatory appendix; off by default. */
  regulatory?: boolean;
  /** Modes the metrics page counts although config `metrics.exclude_modes` lists them. */
  includeModes?: string;
}

/**
 * `incident site`: builds the static HTML site (index, one page per incident and problem, metrics)
 * from every valid record into `--out` (default `_site`, relative to the current directory).
 */
export async function runSite(opts: SiteCliOptions, ctx: CommandContext = processContext()): Promise<number> {
  return await siteCommand(opts, await loadRenderInput(opts.dir, opts.templates, ctx), ctx);
}

async function siteCommand(
  opts: SiteCliOptions,
  { root, config, templateDir, records }: RenderInput,
  ctx: CommandContext,
): Promise<number> {
  const outDir = resolve(ctx.cwd, opts.out ?? "_site");
  checkSiteOut(root, config, outDir);
  const { siteFiles, readSiteTemplates, withinTlp, writeSite } = await import("../site/build.js");
  const maxTlp = opts.maxTlp ?? "amber+strict";
  const { parseIncludeModes } = await import("../metrics/modes.js");
  const includeModes = parseIncludeModes(opts.includeModes);
  // Regulatory deadlines are published only when asked for: a site is often public (Pages).
  let rules: RuleSet | undefined;
  if (opts.regulatory) {
    const { repositoryRules } = await import("./obligations.js");
    const merged = repositoryRules({ root, config });
    if (merged.diagnostics.length > 0) {
      for (const d of merged.diagnostics.slice(0, 20))
        ctx.stderr.write(`${safe(`${d.file}:${d.line}:${d.column}`)} ${d.code} ${safe(d.message)}\n`);
      ctx.stderr.write("incident: the regulatory rules in incident.config.yaml have errors\n");
      return 1;
    }
    rules = merged.rules;
  }
  const { published, withheld } = withinTlp(records.incidents, maxTlp);
  const files = siteFiles(
    {
      incidents: published,
      problems: records.problems,
      config,
      withheld: withheld.length,
      withheldIds: new Set(withheld.map((i) => i.id)),
      maxTlp,
      rules,
      includeModes,
    },
    readSiteTemplates(templateDir),
  );
  const n = writeSite(outDir, files, opts.alsoOwned, (m) => ctx.stderr.write(`incident: warning: ${m}\n`));
  ctx.stdout.write(
    `wrote ${n} file(s) for ${published.length} incident(s) and ${records.problems.length} problem(s) to ${safe(outDir)}\n`,
  );
  if (withheld.length > 0)
    ctx.stdout.write(
      `withheld ${withheld.length} incident(s) marked above TLP:${maxTlp.toUpperCase()}: ${withheld.map((i) => i.id).join(", ")}\n`,
    );
  return records.invalidFiles > 0 ? 1 : 0;
}
