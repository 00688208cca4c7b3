// Where a record file may live: `<paths.incidents>/<year of the id>/<id>.yaml` for an incident and
// `<paths.problems>/<id>.yaml` for a problem, ids by the config's prefixes and digits. Pure: a
// repository-relative path and the config in, a verdict out; discovery and the pull-request check
// both ask it.

import type { Config } from "../config/types.js";
import type { RecordKind } from "./semantic.js";

/** A path where a record belongs: its kind and the id its file name carries. */
export interface RecordPlace {
  kind: RecordKind;
  id: string;
}

/**
 * A path where no record belongs. `RECORD_MISPLACED` is this module's own finding. `FILE_LOCATION`
 * (a year folder that is not the id's year) and `ID_PATTERN` (a file name in the right folder that is
 * not an id) are the findings the per-file judge already reports from the id inside the file, with
 * its position; a caller that also validates the file's content reports only `RECORD_MISPLACED`.
 */
export interface RecordMisplaced {
  code: "RECORD_MISPLACED" | "FILE_LOCATION" | "ID_PATTERN";
  message: string;
}

/** Strips `./` and trailing slashes, so `./incidents/` and `incidents` name the same folder. */
function folder(path: string): string {
  return path.replace(/^(?:\.\/)+/, "").replace(/\/+$/, "");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `^PREFIX-(YYYY)-N{digits,}$` for the configured prefix and digits; group 1 is the year. */
/** Compiled once per prefix and width: discovery asks for every file of a 10k-record repository. */
const idPatterns = new Map<string, RegExp>();
function idPattern(conf: { prefix: string; digits: number }): RegExp {
  const key = `${conf.prefix}\u0000${conf.digits}`;
  let re = idPatterns.get(key);
  if (!re) {
    re = new RegExp(`^${escapeRegExp(conf.prefix)}-(\\d{4})-\\d{${conf.digits},}$`);
    idPatterns.set(key, re);
  }
  return re;
}

const show = (s: string) => `\`${JSON.stringify(s).slice(1, -1)}\``;

/**
 * Checks that `path` (relative to the repository root, forward slashes) is where a record goes.
 * The file name must be exactly `<id>.yaml`: not `.yml`, not another case, so that one id has one
 * possible path and two files can never claim the same record by spelling.
 */
export function checkRecordPath(path: string, config: Config): RecordPlace | RecordMisplaced {
  const incidents = folder(config.paths.incidents);
  const problems = folder(config.paths.problems);
  const inc = idPattern(config.ids.incident);
  const prb = idPattern(config.ids.problem);
  const under = (dir: string) =>
    dir === "" ? path : path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
  const misplaced = (why: string, where?: string): RecordMisplaced => ({
    code: "RECORD_MISPLACED",
    message: `${show(path)} is not where a record goes: ${why}${where ? `; move it to ${show(where)}` : ""}`,
  });
  const incidentHome = (id: string, year: string) =>
    `${incidents === "" ? "" : `${incidents}/`}${year}/${id}.yaml`;
  const problemHome = (id: string) => `${problems === "" ? "" : `${problems}/`}${id}.yaml`;

  // The deeper folder first: by default problems live inside the incidents folder.
  const inProblems = under(problems);
  const inIncidents = under(incidents);
  const rest =
    inProblems !== undefined && (inIncidents === undefined || problems.length >= incidents.length)
      ? { kind: "problem" as const, rel: inProblems }
      : inIncidents !== undefined
        ? { kind: "incident" as const, rel: inIncidents }
        : undefined;
  if (!rest) return misplaced(`records live under ${show(incidents)} and ${show(problems)}`);

  const parts = rest.rel.split("/");
  const name = parts.at(-1) ?? "";
  const m = /^(.*)\.(yaml|yml|YAML|YML|Yaml|Yml)$/.exec(name);
  const stem = m ? (m[1] as string) : name;
  const incidentId = inc.exec(stem);
  const problemId = prb.exec(stem);

  if (rest.kind === "problem") {
    if (incidentId)
      return misplaced(
        "an incident is filed by the year of its id",
        incidentHome(stem, incidentId[1] as string),
      );
    if (parts.length !== 1)
      return misplaced(
        `a problem is ${show(`${problems}/<id>.yaml`)}, directly in that folder`,
        problemId ? problemHome(stem) : undefined,
      );
    if (m?.[2] !== "yaml")
      return misplaced("the file name must end in `.yaml`", problemId ? problemHome(stem) : undefined);
    if (!problemId)
      return {
        code: "ID_PATTERN",
        message: `file name ${show(name)} is not a problem id (${config.ids.problem.prefix}-YYYY-${"N".repeat(config.ids.problem.digits)})`,
      };
    return { kind: "problem", id: stem };
  }

  if (problemId) return misplaced(`a problem belongs in ${show(problems)}`, problemHome(stem));
  const home = incidentId ? incidentHome(stem, incidentId[1] as string) : undefined;
  if (parts.length !== 2 || !/^\d{4}$/.test(parts[0] as string))
    return misplaced(`an incident is ${show(`${incidents}/<year of the id>/<id>.yaml`)}`, home);
  if (m?.[2] !== "yaml") return misplaced("the file name must end in `.yaml`", home);
  if (!incidentId)
    return {
      code: "ID_PATTERN",
      message: `file name ${show(name)} is not an incident id (${config.ids.incident.prefix}-YYYY-${"N".repeat(config.ids.incident.digits)})`,
    };
  if (parts[0] !== incidentId[1])
    return {
      code: "FILE_LOCATION",
      message: `${show(stem)} belongs in the ${show(incidentId[1] as string)} folder, not ${show(parts[0] as string)}`,
    };
  return { kind: "incident", id: stem };
}
