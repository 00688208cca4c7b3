// The action's inputs, read in one place: the `with:` values the runner passes as INPUT_* variables,
// and the commits and pull request number from the event. Pure: environment and event in, inputs or
// a reason to stop out. Event values are untrusted text until they match a commit id or a number.

export interface ActionInputs {
  /** Token for the API (reviews, comment, labels) and for fetching the pull request's head. */
  token: string | undefined;
  /** Keep the sticky comment and the labels (the check's annotations and summary are always written). */
  report: boolean;
  /** The repository's work tree (a clone with full history). */
  dir: string;
  base: string;
  head: string;
  /** The pull request, when the event names one (merge queues name it in their branch). */
  pr: number | undefined;
  /** Fetch refs/pull/<pr>/head when the head commit is not in the clone. */
  fetchHead: boolean;
}

export type ParsedInputs = { ok: true; inputs: ActionInputs } | { ok: false; message: string };

/** `with:` value of an input as the runner passes it (INPUT_<NAME>, spaces as underscores). */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them; anything else is refused. */
function booleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean | string {
  const raw = getInput(env, name);
  if (raw === "") return fallback;
  if (["true", "True", "TRUE"].includes(raw)) return true;
  if (["false", "False", "FALSE"].includes(raw)) return false;
  return `input ${name} must be true or false`;
}

const SHA = /^[0-9a-f]{40}$/;

interface EventShape {
  pull_request?: { number?: unknown; base?: { sha?: unknown }; head?: { sha?: unknown } };
  merge_group?: { base_sha?: unknown; head_sha?: unknown; head_ref?: unknown };
}

export function parseInputs(env: NodeJS.ProcessEnv, event: unknown): ParsedInputs {
  const report = booleanInput(env, "report", true);
  if (typeof report === "string") return { ok: false, message: report };
  const fetchHead = booleanInput(env, "fetch-head", true);
  if (typeof fetchHead === "string") return { ok: false, message: fetchHead };
  const e = (typeof event === "object" && event !== null ? event : {}) as EventShape;
  const name = env.GITHUB_EVENT_NAME ?? "";

  let base: unknown;
  let head: unknown;
  let pr: number | undefined;
  if (e.pull_request) {
    base = e.pull_request.base?.sha;
    head = e.pull_request.head?.sha;
    const n = e.pull_request.number;
    if (typeof n === "number" && Number.isInteger(n) && n > 0) pr = n;
  } else if (e.merge_group) {
    base = e.merge_group.base_sha;
    head = e.merge_group.head_sha;
    // gh-readonly-queue/<base>/pr-<N>-<sha>
    const m = /\/pr-([1-9][0-9]{0,9})-[0-9a-f]+$/.exec(String(e.merge_group.head_ref ?? ""));
    if (m) pr = Number(m[1]);
  }
  // Explicit inputs win; the check refuses anything that is not a plain revision name.
  const baseIn = getInput(env, "base");
  const headIn = getInput(env, "head");
  if (!baseIn && !(typeof base === "string" && SHA.test(base)))
    return {
      ok: false,
      message: `the ${name || "triggering"} event carries no base commit; run on pull_request_target or merge_group, or set the base input`,
    };
  if (!headIn && !(typeof head === "string" && SHA.test(head)))
    return {
      ok: false,
      message: `the ${name || "triggering"} event carries no head commit; run on pull_request_target or merge_group, or set the head input`,
    };
  return {
    ok: true,
    inputs: {
      token: getInput(env, "github-token") || undefined,
      report,
      dir: getInput(env, "working-directory") || ".",
      base: baseIn || (base as string),
      head: headIn || (head as string),
      pr,
      fetchHead,
    },
  };
}
