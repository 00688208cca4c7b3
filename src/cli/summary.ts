// The one-screen summary `npm start` prints: files, incidents by status and severity, problems, findings.

import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { FileResult } from "../validate/file.js";
import type { Colors } from "./report.js";

export function formatSummary(
  results: readonly FileResult[],
  diags: readonly Diagnostic[],
  config: Config,
  ms: number,
  c: Colors,
): string {
  const incidents = results.filter((r) => r.kind === "incident" && r.facts);
  const problems = results.filter((r) => r.kind === "problem" && r.facts);
  const sevs = config.severities.map((s) => s.id);
  // A column for incidents without a severity (new ones), only when there are any.
  if (incidents.some((r) => r.facts?.severity === undefined)) sevs.push("-");
  const states = config.lifecycle.states.map((s) => s.id);
  const grid = new Map<string, number>();
  for (const r of incidents) {
    const key = `${r.facts?.status}\u0000${r.facts?.severity ?? "-"}`;
    grid.set(key, (grid.get(key) ?? 0) + 1);
  }
  const out: string[] = [];
  out.push(
    c.bold(
      `Validated ${results.length} files: ${incidents.length} incidents, ${problems.length} problems (${Math.round(ms)} ms)`,
    ),
    "",
  );
  const w = Math.max(12, ...states.map((s) => s.length)) + 2;
  out.push(`${"status".padEnd(w)}${sevs.map((s) => s.padStart(6)).join("")}${"total".padStart(7)}`);
  for (const st of states) {
    const counts = sevs.map((sv) => grid.get(`${st}\u0000${sv}`) ?? 0);
    const total = counts.reduce((a, b) => a + b, 0);
    out.push(
      `${st.padEnd(w)}${counts.map((n) => (n ? String(n).padStart(6) : c.dim(".".padStart(6)))).join("")}${String(total).padStart(7)}`,
    );
  }
  const totals = sevs.map((sv) => incidents.filter((r) => (r.facts?.severity ?? "-") === sv).length);
  out.push(
    `${"total".padEnd(w)}${totals.map((n) => String(n).padStart(6)).join("")}${String(incidents.length).padStart(7)}`,
  );
  const byStatus = new Map<string, number>();
  for (const p of problems)
    byStatus.set(p.facts?.status ?? "?", (byStatus.get(p.facts?.status ?? "?") ?? 0) + 1);
  out.push(
    "",
    `Problems: ${problems.length === 0 ? "none" : [...byStatus].map(([s, n]) => `${s} ${n}`).join(", ")}`,
  );
  const errors = diags.filter((d) => d.severity === "error").length;
  const files = new Set(diags.map((d) => d.file)).size;
  out.push(
    errors === 0
      ? c.bold("Findings: none, all files are valid")
      : c.red(`Findings: ${errors} error(s) in ${files} file(s)`),
  );
  return out.join("\n");
}
