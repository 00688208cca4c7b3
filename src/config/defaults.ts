// Built-in defaults: the founding guide's five severities, the ITIL priority matrix, a security and
// operations category taxonomy and the default lifecycle. incident.config.yaml extends or overrides them.

import type { Config, LifecycleDef, TransitionDef } from "./types.js";

// Closing a major incident needs an incident manager's sign-off, and so does canceling one: otherwise
// canceling would be the way around the sign-off. A team's own `transitions` list replaces these.
// It follows the `major` flag, not severity ids, so a team that renames or adds severities keeps the
// sign-off on exactly the incidents it calls major.
const MAJOR_SIGN_OFF = {
  role: "incident_manager",
  major: true,
} as const satisfies TransitionDef["approval"];

const incidentLifecycle: LifecycleDef = {
  states: [
    {
      id: "new",
      title: "New",
      description: "Declared and logged: something abnormal was detected and a record exists.",
      requires: ["timestamps.declared_at", "timestamps.detected_at"],
      timestamp: "declared_at",
      initial: true,
    },
    {
      id: "triaged",
      title: "Triaged",
      description: "Categorised and prioritised, with a commander named.",
      requires: [
        "summary",
        "severity",
        "impact",
        "urgency",
        "priority",
        "categories",
        "roles.incident_commander",
        "timestamps.triaged_at",
      ],
      timestamp: "triaged_at",
    },
    {
      id: "in_progress",
      title: "In progress",
      description: "Responders are investigating, containing and restoring service.",
      requires: ["timestamps.acknowledged_at"],
      timestamp: "acknowledged_at",
    },
    {
      id: "on_hold",
      title: "On hold",
      description: "Work is paused, waiting on a vendor, a customer or a change window.",
      requires: [],
    },
    {
      id: "mitigated",
      title: "Mitigated",
      description: "User impact has stopped; the underlying cause may remain.",
      requires: ["timestamps.mitigated_at"],
      timestamp: "mitigated_at",
    },
    {
      id: "resolved",
      title: "Resolved",
      description: "Service is restored and the immediate cause is fixed or worked around.",
      requires: ["timestamps.resolved_at", "determination", "resolution"],
      timestamp: "resolved_at",
    },
    {
      id: "closed",
      title: "Closed",
      description: "The post-incident review is done; root cause, lessons and action items are recorded.",
      requires: ["timestamps.closed_at", "impact_assessment"],
      timestamp: "closed_at",
      terminal: true,
    },
    {
      id: "canceled",
      title: "Canceled",
      description: "Not an incident after all: a false positive, a duplicate, or declared in error.",
      requires: ["timestamps.canceled_at", "determination", "resolution"],
      timestamp: "canceled_at",
      inherits: "new",
      terminal: true,
    },
  ],
  transitions: [
    { from: "new", to: "triaged" },
    { from: "new", to: "in_progress" },
    { from: "new", to: "canceled", approval: MAJOR_SIGN_OFF },
    { from: "triaged", to: "in_progress" },
    { from: "triaged", to: "canceled", approval: MAJOR_SIGN_OFF },
    { from: "in_progress", to: "on_hold" },
    { from: "in_progress", to: "mitigated" },
    { from: "in_progress", to: "resolved" },
    { from: "in_progress", to: "canceled", approval: MAJOR_SIGN_OFF },
    { from: "on_hold", to: "in_progress" },
    { from: "on_hold", to: "mitigated" },
    { from: "on_hold", to: "canceled", approval: MAJOR_SIGN_OFF },
    { from: "mitigated", to: "in_progress" },
    { from: "mitigated", to: "resolved" },
    { from: "resolved", to: "in_progress" },
    { from: "resolved", to: "closed", approval: MAJOR_SIGN_OFF },
  ],
  reopen_window: "P14D",
  modes: {
    // A record backfilled from a public postmortem or a pager export: it needs what such a source
    // really has (a title, and the resolution time once resolved), never invented commanders, triage
    // times, priorities or postmortem fields. Metrics leave these records out unless included.
    retrospective: {
      requires: {
        new: ["title"],
        triaged: [],
        in_progress: [],
        on_hold: [],
        mitigated: [],
        resolved: ["timestamps.resolved_at"],
        closed: [],
        canceled: [],
      },
      postmortem: false,
      security: false,
      status_changes: false,
    },
  },
};

const problemLifecycle: LifecycleDef = {
  states: [
    {
      id: "new",
      title: "New",
      description: "A suspected common cause behind one or more incidents.",
      requires: ["timestamps.created_at"],
      timestamp: "created_at",
      initial: true,
    },
    {
      id: "assessed",
      title: "Assessed",
      description: "Accepted as a problem worth working, with an owner.",
      requires: ["owner", "incident_refs", "timestamps.assessed_at"],
      timestamp: "assessed_at",
    },
    {
      id: "root_cause_analysis",
      title: "Root cause analysis",
      description: "The owner is investigating the cause.",
      requires: [],
      timestamp: "root_cause_identified_at",
    },
    {
      id: "known_error",
      title: "Known error",
      description: "The root cause is understood and a workaround is documented.",
      requires: ["root_cause", "workaround", "timestamps.known_error_at"],
      timestamp: "known_error_at",
    },
    {
      id: "fix_in_progress",
      title: "Fix in progress",
      description: "A permanent fix is being built.",
      requires: ["fix", "timestamps.fix_started_at"],
      timestamp: "fix_started_at",
    },
    {
      id: "resolved",
      title: "Resolved",
      description: "The fix is deployed; no recurrence is expected.",
      requires: ["timestamps.resolved_at"],
      timestamp: "resolved_at",
    },
    {
      id: "closed",
      title: "Closed",
      description: "Verified over time; the record is final.",
      requires: ["timestamps.closed_at"],
      timestamp: "closed_at",
      terminal: true,
    },
    {
      id: "canceled",
      title: "Canceled",
      description: "Not a problem after all.",
      requires: ["timestamps.canceled_at"],
      timestamp: "canceled_at",
      inherits: "new",
      terminal: true,
    },
  ],
  transitions: [
    { from: "new", to: "assessed" },
    { from: "new", to: "canceled" },
    { from: "assessed", to: "root_cause_analysis" },
    { from: "assessed", to: "canceled" },
    { from: "root_cause_analysis", to: "known_error" },
    { from: "root_cause_analysis", to: "canceled" },
    { from: "known_error", to: "fix_in_progress" },
    { from: "fix_in_progress", to: "resolved" },
    { from: "resolved", to: "closed" },
    { from: "resolved", to: "fix_in_progress" },
  ],
};

export const defaultConfig: Config = {
  schema_version: 1,
  timezone: "UTC",
  ids: {
    incident: { prefix: "INC", digits: 4 },
    problem: { prefix: "PRB", digits: 4 },
  },
  paths: {
    incidents: "incidents",
    problems: "incidents/problems",
    schemas: ".incident/schemas",
    templates: "templates",
  },
  limits: { max_file_bytes: 1_048_576 },
  severities: [
    {
      id: "SEV1",
      name: "Critical",
      description: "A critical incident that affects users in production.",
      major: true,
      targets: { acknowledge: "PT5M", mitigate: "PT1H", resolve: "PT4H", update_every: "PT30M" },
      postmortem: { required: true, due_business_days: 5 },
    },
    {
      id: "SEV2",
      name: "Significant",
      description: "A significant problem that affects limited users in production.",
      major: true,
      targets: { acknowledge: "PT15M", mitigate: "PT4H", resolve: "PT24H", update_every: "PT1H" },
      postmortem: { required: true, due_business_days: 10 },
    },
    {
      id: "SEV3",
      name: "Incident",
      description: "Errors, minor issues, or a heavy system load.",
      major: false,
      targets: { acknowledge: "PT1H", mitigate: "PT24H", resolve: "P3D" },
      postmortem: { required: false, due_business_days: 15 },
    },
    {
      id: "SEV4",
      name: "Minor",
      description: "Affects the service but does not seriously impact users.",
      major: false,
      targets: { acknowledge: "PT4H", resolve: "P10D" },
      postmortem: { required: false },
    },
    {
      id: "SEV5",
      name: "Low-level deficiency",
      description: "Minor problems: cosmetic defects, tooling gaps, noise.",
      major: false,
      targets: { acknowledge: "P1D", resolve: "P30D" },
      postmortem: { required: false },
    },
  ],
  // ITIL: priority = f(impact, urgency); rows are impact, columns urgency.
  priority_matrix: {
    high: { high: "P1", medium: "P2", low: "P3" },
    medium: { high: "P2", medium: "P3", low: "P4" },
    low: { high: "P3", medium: "P4", low: "P5" },
  },
  categories: [
    {
      id: "sec.phishing",
      name: "Phishing",
      description: "Deceptive messages that lure people into giving up credentials or running code.",
    },
    {
      id: "sec.account_compromise",
      name: "Account compromise",
      description: "An account used by someone other than its owner.",
    },
    {
      id: "sec.credential_stuffing",
      name: "Credential stuffing",
      description: "Automated login attempts with credentials leaked elsewhere.",
    },
    {
      id: "sec.malware",
      name: "Malware",
      description: "Malicious code on an endpoint or server, including ransomware.",
    },
    { id: "sec.intrusion", name: "Intrusion", description: "Unauthorised access to systems or networks." },
    {
      id: "sec.data_exposure",
      name: "Data exposure",
      description: "Confidential data disclosed, leaked or reachable by the wrong people.",
    },
    {
      id: "sec.dos",
      name: "Denial of service",
      description: "Traffic or requests aimed at exhausting capacity (DoS, DDoS).",
    },
    {
      id: "sec.insider",
      name: "Insider misuse",
      description: "Misuse of legitimate access by an employee or contractor.",
    },
    {
      id: "sec.vulnerability",
      name: "Vulnerability",
      description: "An exploitable weakness under active exploitation or disclosure.",
    },
    {
      id: "sec.policy_violation",
      name: "Policy violation",
      description: "A breach of security policy without known compromise.",
    },
    {
      id: "ops.change",
      name: "Change",
      description: "A deploy, migration or configuration change that caused impact.",
    },
    {
      id: "ops.capacity",
      name: "Capacity",
      description: "Load beyond provisioned capacity: CPU, memory, disk, connections, quotas.",
    },
    {
      id: "ops.dependency",
      name: "Dependency",
      description: "An outage or degradation of a third-party or cloud provider.",
    },
    {
      id: "ops.infrastructure",
      name: "Infrastructure",
      description: "Hardware, network, database or platform failure.",
    },
    {
      id: "ops.certificate",
      name: "Certificate",
      description: "An expired, revoked or misissued TLS certificate or key.",
    },
    { id: "ops.data", name: "Data", description: "Corrupt, lost or inconsistent data." },
    {
      id: "ops.performance",
      name: "Performance",
      description: "Latency or throughput degradation without an outage.",
    },
    {
      id: "ops.monitoring",
      name: "Monitoring",
      description: "Missing, broken or noisy alerting and observability.",
    },
  ],
  services: [],
  teams: [],
  people: [],
  lifecycle: incidentLifecycle,
  problem_lifecycle: problemLifecycle,
  metrics: {
    exclude_modes: ["test", "gameday", "retrospective"],
    // The usual definitions (DOMAIN.md); `ttr` is time to resolve, not to recover.
    definitions: {
      ttd: { start: "impact_started_at", end: "detected_at" },
      tta: { start: "detected_at", end: "acknowledged_at" },
      ttm: { start: "detected_at", end: "mitigated_at" },
      ttr: { start: "detected_at", end: "resolved_at" },
      impact: { start: "impact_started_at", end: "impact_ended_at" },
      review: { start: "resolved_at", end: "closed_at" },
    },
  },
  reminders: {
    // An untriaged incident has no commander yet: an hour is already long. Later states get the
    // time their work usually takes before someone should look again.
    stuck_after: {
      new: "PT1H",
      triaged: "P1D",
      in_progress: "P3D",
      on_hold: "P7D",
      mitigated: "P7D",
      resolved: "P14D",
    },
    holidays: [],
    exclude_modes: ["test", "gameday", "retrospective"],
  },
  reviews: { count_stale_approvals: false, protected_changes: { role: "maintainer" } },
  // No regime applies until a repository says so: which laws bind an organisation is its own call.
  regulatory: {
    enabled: [],
    rules: [],
    triggers: [],
    calendars: {},
    close_requires_reports: true,
    undetermined_after: "PT72H",
  },
};
