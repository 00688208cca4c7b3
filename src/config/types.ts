// The effective configuration: built-in defaults merged with the repository's incident.config.yaml.

import type { Level, Priority } from "../model/types.js";
import type { RegulatoryConfig } from "../regulatory/types.js";

export type { RegulatoryConfig };

/** ISO 8601 duration such as PT15M, PT4H, P5D. */
export type Duration = string;

export interface SeverityDef {
  id: string; // SEV1..SEV5
  name: string;
  description: string;
  /** Major incidents get a commander, frequent updates and a mandatory postmortem. */
  major: boolean;
  /** Response targets measured from detection. */
  targets?: { acknowledge?: Duration; mitigate?: Duration; resolve?: Duration; update_every?: Duration };
  postmortem: { required: boolean; due_business_days?: number };
}

export interface CategoryDef {
  id: string; // sec.phishing, ops.change, ...
  name: string;
  description: string;
}

export interface ServiceDef {
  id: string;
  name: string;
  description?: string;
  tier?: 1 | 2 | 3 | 4;
  team?: string;
}

export type RoleName =
  | "incident_commander"
  | "incident_manager"
  | "responder"
  | "it_operator"
  | "analyst"
  | "comms_lead"
  | "scribe"
  | "maintainer";

export interface PersonDef {
  handle: string;
  name: string;
  github?: string;
  email?: string;
  team?: string;
  roles?: RoleName[];
}

export interface TeamDef {
  id: string;
  name: string;
  description?: string;
}

export interface StateDef {
  id: string;
  title: string;
  description: string;
  /** Dotted paths that must be present (non-empty) in this state; later states inherit them. */
  requires: string[];
  /** The timestamp a move into this state sets. */
  timestamp?: string;
  /** The state whose requirements this one builds on; default: the state listed before it. */
  inherits?: string;
  initial?: boolean;
  terminal?: boolean;
}

export interface TransitionDef {
  from: string;
  to: string;
  /** Moving along this edge needs an approving review from someone with the role. */
  /**
   * Who must approve, and for which incidents: those whose severity is listed in `severities` or,
   * with `major: true`, marked `major` in the config. Neither given: every incident.
   */
  approval?: { role: RoleName; severities?: string[]; major?: boolean };
}

/** The incident modes other than `standard` (a real incident, judged by the live rules). */
export type ModeId = "test" | "gameday" | "retrospective";

/**
 * The presence rules for records of one mode. Consistency rules (timestamp order, formats, catalogs,
 * the priority matrix when the fields are given) hold in every mode; only what must be present follows
 * the mode.
 */
export interface ModeRules {
  /** Per state id: replaces that state's own `requires` for records of this mode (inheritance stays). */
  requires?: Record<string, string[]>;
  /** Closing a record of a severity that requires a postmortem needs the postmortem fields. Default true. */
  postmortem?: boolean;
  /** A confirmed `sec.*` incident needs the `security` block. Default true. */
  security?: boolean;
  /**
   * Every status is reached by `status_change` timeline entries. Default true. When false, a record
   * may sit in any state without entries (and a new one may arrive in any state); entries given are
   * still judged edge by edge.
   */
  status_changes?: boolean;
}

export interface LifecycleDef {
  /** States in order; requirements accumulate along `order`. */
  states: StateDef[];
  transitions: TransitionDef[];
  /** How long after resolution an incident can be reopened (resolved -> in_progress). */
  reopen_window?: Duration;
  /** Incident lifecycle only: the presence rules of records of a mode other than `standard`. */
  modes?: Partial<Record<ModeId, ModeRules>>;
}

/** What `incident remind` reports and how it counts time. */
export interface RemindersDef {
  /**
   * How long an incident may stay in a state before it is reported as stuck, per state id; `null`
   * turns the reminder off for that state. States without an entry are never reported.
   */
  stuck_after: Record<string, Duration | null>;
  /** Dates (YYYY-MM-DD, in `timezone`) that are not business days, besides Saturdays and Sundays. */
  holidays: string[];
  /** Incident modes left out of every reminder. */
  exclude_modes: string[];
}

/** The durations `incident stats` reports, each measured between two incident timestamps. */
export type MetricId = "ttd" | "tta" | "ttm" | "ttr" | "impact" | "review";

/** A metric as `end - start`, both keys of an incident's `timestamps`. */
export interface MetricDefinition {
  start: string;
  end: string;
}

export interface MetricsConfig {
  /** Incident modes left out of metrics unless asked for. */
  exclude_modes: string[];
  /** Which timestamps start and end each metric; a metric not given keeps its built-in definition. */
  definitions?: Partial<Record<MetricId, MetricDefinition>>;
}

export interface Config {
  schema_version: 1;
  timezone: string;
  ids: {
    incident: { prefix: string; digits: number };
    problem: { prefix: string; digits: number };
  };
  paths: { incidents: string; problems: string; schemas: string; templates: string };
  limits: { max_file_bytes: number };
  severities: SeverityDef[];
  priority_matrix: Record<Level, Record<Level, Priority>>;
  categories: CategoryDef[];
  services: ServiceDef[];
  teams: TeamDef[];
  people: PersonDef[];
  lifecycle: LifecycleDef;
  problem_lifecycle: LifecycleDef;
  metrics: MetricsConfig;
  reminders: RemindersDef;
  reviews: {
    count_stale_approvals: boolean;
    /** Who must approve a change to the files that change how records are read or judged. */
    protected_changes: { role: RoleName };
  };
  /** Regulatory notification clocks: enabled regimes, rule changes, holiday calendars, enforcement. */
  regulatory: RegulatoryConfig;
}
