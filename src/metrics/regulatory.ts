// Regulatory reports per regime for `incident stats`: of the reports with an outer limit, how many
// were filed on time, filed late, are missing (past the limit, not filed) or still pending at `now`.
// Pure: the incidents, the rules, the config and `now` in.

import type { Config } from "../config/types.js";
import type { Incident } from "../model/types.js";
import { computeObligations } from "../regulatory/compute.js";
import type { RuleSet } from "../regulatory/types.js";

export interface RegimeStats {
  regime: string;
  name: string;
  /** Incidents where the regime applies or is still undetermined. */
  incidents: number;
  /** Reports with an outer limit whose clock has started. */
  reports: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
}

/**
 * Per regime, in the order the rules list them; undefined when no incident has a `regulatory`
 * block, so the output of a repository without regulatory data stays as it was.
 */
export function regulatoryStats(
  incidents: readonly Incident[],
  rules: RuleSet,
  config: Config,
  now: Date,
): RegimeStats[] | undefined {
  const withBlock = incidents.filter((i) => i.regulatory && typeof i.regulatory === "object");
  if (withBlock.length === 0) return undefined;
  const byRegime = new Map<string, RegimeStats>();
  for (const inc of withBlock) {
    for (const o of computeObligations(inc, rules, config, now)) {
      if (o.applies === "no") continue;
      let s = byRegime.get(o.regime);
      if (!s) {
        s = {
          regime: o.regime,
          name: o.name,
          incidents: 0,
          reports: 0,
          onTime: 0,
          late: 0,
          missing: 0,
          pending: 0,
        };
        byRegime.set(o.regime, s);
      }
      s.incidents++;
      for (const r of o.reports) {
        if (r.deadline === undefined) continue;
        s.reports++;
        if (r.state === "filed_on_time") s.onTime++;
        else if (r.state === "filed_late") s.late++;
        else if (r.state === "overdue") s.missing++;
        else if (r.state === "due") s.pending++;
        else s.reports--;
      }
    }
  }
  const order = new Map(rules.regimes.map((r, i) => [r.id, i]));
  return [...byRegime.values()].sort(
    (a, b) => (order.get(a.regime) ?? 0) - (order.get(b.regime) ?? 0) || a.regime.localeCompare(b.regime),
  );
}
