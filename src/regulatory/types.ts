// The shapes of regulatory notification rules (templates/regulatory/rules.yaml) and of the
// `regulatory` block of an incident file. Rules are data: nothing here knows a regime by name.

/** A period in exactly one unit (see the header of templates/regulatory/rules.yaml). */
export type Within = { hours: number } | { days: number } | { business_days: number } | { months: number };

/** What starts a clock: a recorded trigger, or the latest filing of an earlier report. */
export type Anchor = { trigger: string; end_of_year?: boolean } | { report: string };

export interface ReportRule {
  id: string;
  name: string;
  description: string;
  from?: Anchor;
  within?: Within;
  on_request?: boolean;
  not_later_than?: { from: Anchor; within: Within };
  roll?: "none" | "noon_next_working_day";
  /** HH:MM local time at which a day-counted period ends; default the end of the day. */
  cutoff?: string;
  while_ongoing?: string;
  only_if_ongoing?: string;
  affected?: { at_least?: number; below?: number };
  undue_delay?: boolean;
}

export interface RegimeRule {
  id: string;
  name: string;
  jurisdiction: string;
  source: string;
  checked: string;
  not_legal_advice: true;
  status: "in_force" | "proposed";
  zone: string;
  calendar?: string;
  authority: string;
  undue_delay: boolean;
  description: string;
  reports: ReportRule[];
}

export type TriggerKind = "awareness" | "decision" | "event";

export interface TriggerDef {
  id: string;
  kind: TriggerKind;
  name: string;
  description: string;
}

export interface RuleSet {
  schema_version: 1;
  triggers: TriggerDef[];
  calendars: Record<string, string[]>;
  regimes: RegimeRule[];
}

/** The `regulatory` block of incident.config.yaml, after merging with the defaults. */
export interface RegulatoryConfig {
  /** Regime ids that apply to the organisation; none by default. */
  enabled: string[];
  /** Regimes changed (same id) or added, merged into the bundled rules. */
  rules: Array<Partial<RegimeRule> & { id: string }>;
  /** Triggers added for rules of one's own. */
  triggers: TriggerDef[];
  /** Holiday dates by calendar name, added to the bundled calendars. */
  calendars: Record<string, string[]>;
  /** Closing an incident needs every report of an obligation that applies (default true). */
  close_requires_reports: boolean;
  /** How long a regime may stay undetermined after the first trigger; null: no limit. */
  undetermined_after: string | null;
}

/** A recorded trigger in an incident file: when, who decided or noticed, and on what evidence. */
export interface TriggerRecord {
  at: string;
  by: string;
  evidence: string;
}

export interface ObligationRecord {
  regime: string;
  applies: "yes" | "no" | "undetermined";
  reason?: string;
  affected_individuals?: number;
}

export interface FilingRecord {
  regime: string;
  report: string;
  submitted_at: string;
  reference?: string;
  filed_by: string;
  late_reason?: string;
}

export interface RegulatoryRecord {
  obligations?: ObligationRecord[];
  triggers?: Record<string, TriggerRecord>;
  filings?: FilingRecord[];
}
