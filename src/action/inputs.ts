// The action's inputs, read in one place: the `with:` values (read through @actions/core's getInput
// by the entry), and the commits and pull request number from the event. Pure: an input reader and
// the event in, inputs or a reason to stop out. Event values are untrusted text until they match a
// commit id or a number.

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

/** The `with:` value of an input, trimmed ("" when unset): @actions/core's getInput in the action. */
export type InputReader = (name: string) => string;

/**
 * YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them, and a default when the
 * input is unset (getBooleanInput refuses an empty value); anything else is refused with a message.
 */
function booleanInput(getInput: InputReader, name: string, fallback: boolean): boolean | string {
  const raw = getInput(name);
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

/** The inputs from the `with:` values, the event payload and the event's name (GITHUB_EVENT_NAME). */
export function parseInputs(getInput: InputReader, event: unknown, eventName = ""): ParsedInputs {
  const report = booleanInput(getInput, "report", true);
  if (typeof report === "string") return { ok: false, message: report };
  const fetchHead = booleanInput(getInput, "fetch-head", true);
  if (typeof fetchHead === "string") return { ok: false, message: fetchHead };
  const e = (typeof event === "object" && event !== null ? event : {}) as EventShape;
  const name = eventName;

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
  const baseIn = getInput("base");
  const headIn = getInput("head");
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
      token: getInput("github-token") || undefined,
      report,
      dir: getInput("working-directory") || ".",
      base: baseIn || (base as string),
      head: headIn || (head as string),
      pr,
      fetchHead,
    },
  };
}
