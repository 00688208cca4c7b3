// The incident, problem and config data model as TypeScript types. The JSON Schemas in
// schemas/ are the truth; test/model.test.ts checks that these types and the schemas agree.

export type Status =
  | "new"
  | "triaged"
  | "in_progress"
  | "on_hold"
  | "mitigated"
  | "resolved"
  | "closed"
  | "canceled";

export type ProblemStatus =
  | "new"
  | "assessed"
  | "root_cause_analysis"
  | "known_error"
  | "fix_in_progress"
  | "resolved"
  | "closed"
  | "canceled";

export type Mode = "standard" | "test" | "gameday" | "retrospective";
export type Determination = "suspected" | "confirmed" | "false_positive" | "duplicate" | "near_miss";
export type Level = "high" | "medium" | "low";
export type Priority = "P1" | "P2" | "P3" | "P4" | "P5";
export type Tlp = "clear" | "green" | "amber" | "amber+strict" | "red";

/** A person's handle as listed in config `people` (no leading `@`). */
export type Handle = string;
/** RFC 3339 date-time with an explicit offset, kept as a string. */
export type DateTime = string;

export interface Roles {
  incident_commander?: Handle;
  incident_manager?: Handle;
  responders?: Handle[];
  it_operators?: Handle[];
  analysts?: Handle[];
  comms_lead?: Handle;
  scribe?: Handle;
}

export interface Timestamps {
  impact_started_at?: DateTime;
  detected_at?: DateTime;
  declared_at?: DateTime;
  acknowledged_at?: DateTime;
  triaged_at?: DateTime;
  contained_at?: DateTime;
  mitigated_at?: DateTime;
  impact_ended_at?: DateTime;
  recovered_at?: DateTime;
  resolved_at?: DateTime;
  closed_at?: DateTime;
  canceled_at?: DateTime;
}

export type DetectionMethod =
  | "monitoring"
  | "alert"
  | "user_report"
  | "customer_report"
  | "partner_report"
  | "security_tool"
  | "threat_intel"
  | "audit"
  | "employee_report"
  | "third_party"
  | "other";

export interface Detection {
  method?: DetectionMethod;
  source?: string;
  alert_ids?: string[];
}

export type TimelineType =
  | "status_change"
  | "detection"
  | "note"
  | "action"
  | "decision"
  | "communication"
  | "escalation"
  | "finding"
  | "mitigation";

export interface TimelineEntry {
  at: DateTime;
  type: TimelineType;
  actor?: Handle;
  text: string;
  /** Only for `status_change`. */
  from?: Status;
  to?: Status;
}

export interface ImpactAssessment {
  summary?: string;
  users_affected?: number;
  customers_affected?: number;
  regions?: string[];
  slo_breached?: boolean;
  data_loss?: boolean;
  financial?: string;
}

export type ResolutionCode =
  | "fixed"
  | "rolled_back"
  | "workaround"
  | "config_change"
  | "capacity_added"
  | "vendor_fixed"
  | "self_resolved"
  | "contained"
  | "false_positive"
  | "duplicate"
  | "no_action";

export interface Resolution {
  code: ResolutionCode;
  summary: string;
}

export interface Lessons {
  went_well?: string[];
  went_wrong?: string[];
  lucky?: string[];
}

export type ActionClass = "detect" | "mitigate" | "prevent" | "process" | "repair";
export type ActionStatus = "open" | "in_progress" | "done" | "wont_do";

export interface ActionItem {
  id: string; // AI-1, AI-2, ...
  title: string;
  class: ActionClass;
  priority?: Priority;
  owner: Handle;
  due?: string; // YYYY-MM-DD
  status: ActionStatus;
  tracker?: string; // URL
  completed_at?: DateTime;
}

export interface SecurityBlock {
  actor?: { type: "external" | "insider" | "partner" | "unknown"; name?: string; motive?: string };
  techniques?: string[]; // MITRE ATT&CK ids, T1566 or T1566.002
  indicators?: Array<{
    type:
      | "ipv4"
      | "ipv6"
      | "domain"
      | "url"
      | "email"
      | "sha256"
      | "sha1"
      | "md5"
      | "file_name"
      | "user_agent"
      | "account"
      | "other";
    value: string;
    note?: string;
  }>;
  data_exposure?: {
    status: "none" | "suspected" | "confirmed" | "unknown";
    data_types?: string[];
    records?: number;
    description?: string;
  };
  notifications?: Array<{
    party: "regulator" | "customers" | "law_enforcement" | "partner" | "insurer" | "employees" | "other";
    name?: string;
    required: boolean;
    deadline?: DateTime;
    notified_at?: DateTime;
    reference?: string;
  }>;
}

export interface Related {
  duplicate_of?: string;
  parent?: string;
  related?: string[];
}

export interface ExternalRef {
  type: "alert" | "ticket" | "chat" | "doc" | "status_page" | "commit" | "pull_request" | "other";
  url: string;
  title?: string;
}

export interface Review {
  held_at?: DateTime;
  attendees?: Handle[];
  approved_by?: Handle;
  approved_at?: DateTime;
  document?: string; // URL
}

export interface Incident {
  schema_version: 1;
  id: string;
  title: string;
  summary?: string;
  /** Long-form Markdown in the documented prose subset. */
  narrative?: string;
  mode?: Mode;
  status: Status;
  determination?: Determination;
  severity?: string; // SEV1..SEV5 (ids from config)
  impact?: Level;
  urgency?: Level;
  priority?: Priority;
  priority_reason?: string; // required when priority differs from the matrix
  categories?: string[];
  services?: string[];
  tlp?: Tlp;
  roles?: Roles;
  timestamps: Timestamps;
  detection?: Detection;
  timeline: TimelineEntry[];
  impact_assessment?: ImpactAssessment;
  resolution?: Resolution;
  root_cause?: string;
  contributing_factors?: string[];
  lessons?: Lessons;
  action_items?: ActionItem[];
  security?: SecurityBlock;
  /** Regulatory obligations, clock triggers and filings (src/regulatory/types.ts). */
  regulatory?: import("../regulatory/types.js").RegulatoryRecord;
  problem_refs?: string[];
  related?: Related;
  external_refs?: ExternalRef[];
  review?: Review;
  /** Written by `incident import`: where the record came from. */
  provenance?: Provenance;
  [extension: `x-${string}`]: unknown;
}

export type ImportSource = "pagerduty" | "statuspage" | "markdown" | "csv" | "json";

export interface Provenance {
  source: ImportSource;
  source_id: string;
  url?: string;
  imported_at: DateTime;
  /** SHA-256 of the record as imported, without `provenance`. */
  record_sha256?: string;
  /** Record path (dotted) to the source key that fed it. */
  fields?: Record<string, string>;
}

export interface ProblemTimestamps {
  created_at?: DateTime;
  assessed_at?: DateTime;
  root_cause_identified_at?: DateTime;
  known_error_at?: DateTime;
  fix_started_at?: DateTime;
  resolved_at?: DateTime;
  closed_at?: DateTime;
  canceled_at?: DateTime;
}

export interface Problem {
  schema_version: 1;
  id: string;
  title: string;
  summary?: string;
  /** Long-form Markdown in the documented prose subset. */
  narrative?: string;
  status: ProblemStatus;
  owner?: Handle;
  services?: string[];
  categories?: string[];
  incident_refs?: string[];
  root_cause?: string;
  workaround?: string;
  fix?: string;
  timestamps: ProblemTimestamps;
  action_items?: ActionItem[];
  external_refs?: ExternalRef[];
  [extension: `x-${string}`]: unknown;
}
