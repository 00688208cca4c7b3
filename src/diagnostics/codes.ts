// The registry of stable diagnostic codes. Codes never change meaning; the README table is generated
// from this list (test/readme.test.ts keeps the two in step).

export type Severity = "error" | "warning";

export interface CodeInfo {
  severity: Severity;
  summary: string;
}

export const CODES = {
  // The file itself
  FILE_UNREADABLE: { severity: "error", summary: "The file could not be read." },
  FILE_TOO_LARGE: {
    severity: "error",
    summary: "The file is larger than `limits.max_file_bytes`; it is not parsed.",
  },
  FILE_EMPTY: { severity: "error", summary: "The file is empty or holds only comments." },
  FILE_NOT_TEXT: { severity: "error", summary: "The file is binary or not valid UTF-8." },
  FILE_BOM: {
    severity: "error",
    summary: "The file starts with a byte order mark; save it as UTF-8 without BOM.",
  },
  FILE_CRLF: { severity: "error", summary: "The file has CRLF line endings; use LF." },
  FILE_SYMLINK: {
    severity: "error",
    summary: "The path is a symbolic link; incident files must be regular files.",
  },
  PATH_OUTSIDE_REPO: { severity: "error", summary: "The path resolves outside the repository." },
  FILE_NAME_MISMATCH: { severity: "error", summary: "The file name differs from the `id` inside it." },
  FILE_LOCATION: {
    severity: "error",
    summary: "The file is in a year folder that differs from the year of its id.",
  },
  RECORD_MISPLACED: {
    severity: "error",
    summary:
      "A YAML file in the record folders is not at `<incidents>/<year of the id>/<id>.yaml` or `<problems>/<id>.yaml` (the folder root, another folder, a `.yml` name, a folder named like a record).",
  },
  // YAML
  YAML_SYNTAX: { severity: "error", summary: "The YAML is malformed." },
  PARSER_DISAGREEMENT: {
    severity: "error",
    summary:
      "Two YAML readers read the file differently (a quote or block scalar that the readers end in different places); the check refuses it so that no report can read another record than the check judged.",
  },
  YAML_DUPLICATE_KEY: { severity: "error", summary: "A mapping has the same key twice." },
  YAML_ANCHOR: { severity: "error", summary: "Anchors (`&a`) and aliases (`*a`) are not allowed." },
  YAML_TAG: { severity: "error", summary: "Tags (`!!binary`, `!custom`, ...) are not allowed." },
  YAML_DIRECTIVE: {
    severity: "error",
    summary: "Directives such as `%YAML 1.1` are not allowed; files are YAML 1.2.",
  },
  YAML_MULTIPLE_DOCUMENTS: { severity: "error", summary: "The file holds more than one YAML document." },
  YAML_MERGE_KEY: { severity: "error", summary: "Merge keys (`<<`) are not allowed." },
  YAML_UNSAFE_KEY: {
    severity: "error",
    summary: "A key such as `__proto__` or `constructor` is not allowed.",
  },
  YAML_NON_STRING_KEY: {
    severity: "error",
    summary: "A mapping key is not a plain string (a number, boolean, null or collection).",
  },
  YAML_TOO_DEEP: { severity: "error", summary: "The document nests deeper than allowed." },
  YAML_NOT_MAPPING: { severity: "error", summary: "The document is not a mapping of fields." },
  // Schema
  SCHEMA_REQUIRED: { severity: "error", summary: "A required field is missing." },
  SCHEMA_UNKNOWN_PROPERTY: {
    severity: "error",
    summary: "A field is not part of the schema (use an `x-` prefix for extensions).",
  },
  SCHEMA_TYPE: { severity: "error", summary: "A value has the wrong type." },
  SCHEMA_ENUM: { severity: "error", summary: "A value is not one of the allowed values." },
  SCHEMA_CONST: { severity: "error", summary: "A value differs from the only allowed value." },
  SCHEMA_FORMAT: {
    severity: "error",
    summary: "A value is not in the required format (RFC 3339 date-time, date, URL, e-mail).",
  },
  SCHEMA_PATTERN: { severity: "error", summary: "A value does not match the required pattern." },
  SCHEMA_LIMIT: { severity: "error", summary: "A value is too long, too short, too large or too small." },
  SCHEMA_INVALID: { severity: "error", summary: "A value breaks another schema rule." },
  // Lifecycle and semantics
  STATE_REQUIRED: { severity: "error", summary: "The incident's status requires a field that is missing." },
  POSTMORTEM_REQUIRED: {
    severity: "error",
    summary: "A closed incident whose severity requires a postmortem lacks a postmortem field.",
  },
  SECURITY_REQUIRED: {
    severity: "error",
    summary: "A confirmed security (`sec.*`) incident lacks the `security` block.",
  },
  DUPLICATE_TARGET_REQUIRED: {
    severity: "error",
    summary: "An incident determined a duplicate does not name `related.duplicate_of`.",
  },
  ID_PATTERN: { severity: "error", summary: "The id does not match the configured pattern." },
  ID_DUPLICATE: { severity: "error", summary: "Two files carry the same id." },
  TIMESTAMP_ORDER: {
    severity: "error",
    summary:
      "Timestamps are out of order (impact start, detection, acknowledgement, mitigation, resolution, closure).",
  },
  TIMELINE_ORDER: { severity: "error", summary: "A timeline entry is earlier than the entry before it." },
  TIME_INVALID: {
    severity: "error",
    summary:
      "A time that a rule reads (a timestamp, a timeline entry's `at`, an action item's `completed_at`, the resolution time a reopen is judged by) cannot be computed: it is not an RFC 3339 instant on a real date. The record or the change is refused rather than the rule skipped.",
  },
  TIMELINE_STATUS_MISMATCH: {
    severity: "error",
    summary: "The status_change entries of the timeline do not end at the current status.",
  },
  PRIORITY_MISMATCH: {
    severity: "error",
    summary: "The priority differs from the impact x urgency matrix and no `priority_reason` is given.",
  },
  UNKNOWN_SEVERITY: { severity: "error", summary: "The severity is not defined in the config." },
  UNKNOWN_CATEGORY: { severity: "error", summary: "The category is not in the config's taxonomy." },
  UNKNOWN_SERVICE: { severity: "error", summary: "The service is not in the config's service catalog." },
  UNKNOWN_PERSON: { severity: "error", summary: "The handle is not in the config's people." },
  ACTION_ITEM_DUPLICATE_ID: { severity: "error", summary: "Two action items share an id." },
  REF_UNRESOLVED: {
    severity: "error",
    summary: "A reference names an incident or problem that does not exist.",
  },
  REF_SELF: { severity: "error", summary: "A record refers to itself." },
  REF_ASYMMETRIC: {
    severity: "error",
    summary: "An incident and a problem disagree about their link (`problem_refs` vs `incident_refs`).",
  },
  // Transitions (the authoring CLI and the pull-request check)
  TRANSITION_FORBIDDEN: {
    severity: "error",
    summary: "The lifecycle has no edge from the old status to the new one.",
  },
  INCIDENT_FROZEN: {
    severity: "error",
    summary: "The incident is closed or canceled; it can no longer change.",
  },
  REOPEN_WINDOW_EXPIRED: {
    severity: "error",
    summary: "The incident was resolved longer ago than `lifecycle.reopen_window`; declare a new incident.",
  },
  UNKNOWN_STATE: { severity: "error", summary: "The status is not a state of the configured lifecycle." },
  TRANSITION_SKIPPED: {
    severity: "error",
    summary: "A status change jumps over states the lifecycle requires in between.",
  },
  STATUS_UNRECORDED: {
    severity: "error",
    summary: "The status changed without matching `status_change` timeline entries.",
  },
  FIELD_IMMUTABLE: {
    severity: "error",
    summary: "A pull request changed `id` or `timestamps.declared_at`, which never change.",
  },
  MODE_IMMUTABLE: {
    severity: "error",
    summary:
      "A pull request changed the `mode` of a record that exists on the base branch (the mode decides which presence rules hold and whether metrics count it).",
  },
  TIMELINE_REWRITTEN: {
    severity: "error",
    summary:
      "A pull request changed or removed timeline entries that were already merged (the timeline is append-only).",
  },
  INCIDENT_DELETED: { severity: "error", summary: "A pull request deletes an incident or problem file." },
  INCIDENT_RENAMED: {
    severity: "error",
    summary: "A pull request renames or moves an incident or problem file.",
  },
  ID_COLLISION: {
    severity: "error",
    summary: "A new file claims an id that exists in the base branch or in another new file.",
  },
  UNSAFE_PATH: {
    severity: "error",
    summary: "A pull request adds a symbolic link, a submodule or a non-regular file among the records.",
  },
  PROTECTED_CHANGE: {
    severity: "error",
    summary:
      "The pull request changes a file that changes how records are read or judged (`.gitattributes`, `.gitmodules`, the config, schemas, templates, `.incident/`, `.github/`) without an approval from the configured `reviews.protected_changes.role`.",
  },
  APPROVAL_MISSING: {
    severity: "error",
    summary: "A transition needs an approving review from a holder of the configured role.",
  },
  BASE_INVALID: {
    severity: "error",
    summary: "The base version of a changed record is not valid YAML, so the change cannot be judged.",
  },
  BASE_UNRESOLVED: {
    severity: "error",
    summary:
      "A revision could not be resolved to a commit (for example in a shallow clone); nothing was checked.",
  },
  // Regulatory reporting (the pull-request check)
  REGULATORY_REPORT_MISSING: {
    severity: "error",
    summary:
      "A pull request closes an incident while a regulatory obligation that applies has a report not yet filed (config `regulatory.close_requires_reports`).",
  },
  REGULATORY_UNDETERMINED: {
    severity: "error",
    summary:
      "An enabled regulatory regime is still undetermined (or not assessed) longer than `regulatory.undetermined_after` after the incident's first trigger.",
  },
  REGULATORY_REWRITTEN: {
    severity: "error",
    summary:
      "A pull request changed or removed a regulatory trigger time or filing that was already merged (they are append-only).",
  },
  // Config
  CONFIG_REFERENCE: {
    severity: "error",
    summary: "The config refers to a state, team, severity or role it does not define.",
  },
  SCHEMA_STALE: {
    severity: "error",
    summary:
      "A file in `.incident/schemas/` (config `paths.schemas`) differs from the effective schema of the config; run `incident schema --write`.",
  },
  // Import (`incident import`)
  IMPORT_SYNTAX: {
    severity: "error",
    summary: "An import input (JSON, CSV, Markdown front matter) or a mapping file is not well-formed.",
  },
  IMPORT_UNSAFE_KEY: {
    severity: "error",
    summary: "An import input or mapping file has a key such as `__proto__` or `constructor`.",
  },
  IMPORT_TOO_LARGE: {
    severity: "error",
    summary: "An import input is larger, nests deeper or holds more records than an import reads.",
  },
  IMPORT_SHAPE: {
    severity: "error",
    summary:
      "An import input is not in the shape its adapter reads (PagerDuty REST v2, Statuspage API v1, front matter, a list of records).",
  },
  IMPORT_MAPPING: { severity: "error", summary: "The import mapping file breaks the mapping schema." },
  IMPORT_EDITED: {
    severity: "error",
    summary:
      "A record imported before was edited since (its content no longer matches `provenance.record_sha256`); the import leaves it alone.",
  },
  // Migrations (`incident migrate`)
  SCHEMA_VERSION_NEWER: {
    severity: "error",
    summary:
      "The file's `schema_version` is newer than this toolkit knows: it was written for a later release; upgrade incident-as-code.",
  },
  MIGRATION_INVALID: {
    severity: "error",
    summary:
      "Migrating the file to the target `schema_version` would break that version's rules, or cannot be written into its text without changing what else it says; the file is left as it was.",
  },
  // Limits and usage
  TOO_MANY_FINDINGS: {
    severity: "error",
    summary: "A file has more findings than are reported per file (100); the rest are counted.",
  },
  INTERNAL_ERROR: { severity: "error", summary: "The tool failed on this file; please report it." },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
