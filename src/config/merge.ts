// Merges a repository's incident.config.yaml into the built-in defaults and checks the references
// inside it. Pure: takes the parsed file value, returns the effective config and findings.

import type { Finding } from "../diagnostics/diagnostic.js";
import { defaultConfig } from "./defaults.js";
import type { Config, LifecycleDef } from "./types.js";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Lists merged by key: an entry with a known key updates the default entry, a new key is appended. */
const KEYED_LISTS: Record<string, string> = {
  severities: "id",
  categories: "id",
  services: "id",
  teams: "id",
  people: "handle",
};

export function mergeConfig(file: unknown, base: Config = defaultConfig): Config {
  if (!isObj(file)) return structuredClone(base);
  const out = structuredClone(base) as unknown as Obj;
  for (const [key, value] of Object.entries(file)) {
    const keyField = KEYED_LISTS[key];
    if (keyField && Array.isArray(value)) out[key] = mergeKeyed(out[key] as Obj[], value, keyField);
    else if (key === "lifecycle" || key === "problem_lifecycle")
      out[key] = mergeLifecycle(out[key] as LifecycleDef, value);
    else if (isObj(value) && isObj(out[key])) out[key] = deepMerge(out[key] as Obj, value);
    else out[key] = structuredClone(value);
  }
  // Severities read from most to least severe wherever they are listed (stats, the site, the
  // editor's completions): a team that adds SEV0 sees it first, not after the built-in SEV5.
  if (Array.isArray(out.severities))
    out.severities = [...(out.severities as Obj[])].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const config = out as unknown as Config;
  // One spelling of each folder (`./incidents/` is `incidents`), so every path comparison in the
  // toolkit (the check, discovery, placement, protected files) sees the same folder.
  for (const k of Object.keys(config.paths) as Array<keyof Config["paths"]>)
    if (typeof config.paths[k] === "string") config.paths[k] = normalizeFolder(config.paths[k]);
  return config;
}

/** `./a/b/` and `a//b` as `a/b`; `.` and `./` as the empty string (the repository root). */
export function normalizeFolder(path: string): string {
  return path
    .split("/")
    .filter((seg) => seg !== "" && seg !== ".")
    .join("/");
}

function mergeKeyed(base: Obj[], over: unknown[], keyField: string): Obj[] {
  const out = base.map((e) => ({ ...e }));
  for (const entry of over) {
    if (!isObj(entry)) continue;
    const i = out.findIndex((e) => e[keyField] === entry[keyField]);
    if (i >= 0) out[i] = { ...out[i], ...structuredClone(entry) };
    else out.push(structuredClone(entry));
  }
  return out;
}

// States merge by id; a `transitions` list in the file replaces the default graph as a whole, so a
// team can remove an edge (the graph is easier to review whole than as a patch).
function mergeLifecycle(base: LifecycleDef, over: unknown): LifecycleDef {
  if (!isObj(over)) return base;
  const out: LifecycleDef = { ...base };
  if (Array.isArray(over.states))
    out.states = mergeKeyed(base.states as unknown as Obj[], over.states, "id") as never;
  if (Array.isArray(over.transitions)) out.transitions = structuredClone(over.transitions) as never;
  if (typeof over.reopen_window === "string") out.reopen_window = over.reopen_window;
  // Mode rules merge key by key: a state listed under a mode's `requires` replaces that state's list
  // for the mode, the other states keep the built-in mode's lists.
  if (isObj(over.modes)) out.modes = deepMerge((base.modes ?? {}) as Obj, over.modes) as never;
  return out;
}

function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isObj(v) && isObj(a[k]) ? deepMerge(a[k] as Obj, v) : structuredClone(v);
  return out;
}

/** References inside the config file that the effective config does not define. */
export function checkConfigReferences(file: unknown, config: Config): Finding[] {
  if (!isObj(file)) return [];
  const out: Finding[] = [];
  const teams = new Set(config.teams.map((t) => t.id));
  const severities = new Set(config.severities.map((s) => s.id));
  const ref = (pointer: string, message: string) => out.push({ code: "CONFIG_REFERENCE", message, pointer });
  if (typeof file.timezone === "string" && !isTimeZone(file.timezone)) {
    ref(
      "/timezone",
      `time zone \`${file.timezone}\` is not an IANA time zone name such as Europe/Berlin or UTC`,
    );
  }
  listOf(file.people).forEach((p, i) => {
    if (typeof p.team === "string" && !teams.has(p.team))
      ref(`/people/${i}/team`, `team \`${p.team}\` is not defined in \`teams\``);
  });
  listOf(file.services).forEach((s, i) => {
    if (typeof s.team === "string" && !teams.has(s.team))
      ref(`/services/${i}/team`, `team \`${s.team}\` is not defined in \`teams\``);
  });
  for (const key of ["lifecycle", "problem_lifecycle"] as const) {
    const lc = file[key];
    if (!isObj(lc)) continue;
    const states = new Set(config[key].states.map((s) => s.id));
    listOf(lc.states).forEach((s, i) => {
      if (typeof s.inherits === "string" && !states.has(s.inherits)) {
        ref(`/${key}/states/${i}/inherits`, `state \`${s.inherits}\` is not defined in \`${key}.states\``);
      }
    });
    listOf(lc.transitions).forEach((t, i) => {
      for (const end of ["from", "to"] as const) {
        const v = t[end];
        if (typeof v === "string" && !states.has(v)) {
          ref(`/${key}/transitions/${i}/${end}`, `state \`${v}\` is not defined in \`${key}.states\``);
        }
      }
      const approval = t.approval;
      const sevs = isObj(approval) && Array.isArray(approval.severities) ? approval.severities : [];
      sevs.forEach((sev, j) => {
        if (typeof sev === "string" && !severities.has(sev)) {
          ref(
            `/${key}/transitions/${i}/approval/severities/${j}`,
            `severity \`${sev}\` is not defined in \`severities\``,
          );
        }
      });
    });
  }
  return out;
}

function listOf(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map((e) => (isObj(e) ? e : {})) : [];
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
