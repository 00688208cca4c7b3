// Checks across files: unique ids, references that resolve, and incident <-> problem links that agree.
// Pure: works on the facts each file's validation produced.

import type { Finding } from "../diagnostics/diagnostic.js";
import type { RecordFacts } from "./semantic.js";

export interface FileFacts {
  file: string;
  facts: RecordFacts;
}

export function checkRepository(records: readonly FileFacts[]): Array<{ file: string; finding: Finding }> {
  const out: Array<{ file: string; finding: Finding }> = [];
  const byId = new Map<string, FileFacts[]>();
  for (const r of records) {
    const id = r.facts.id;
    if (id === undefined || r.facts.unparsed) continue;
    const list = byId.get(id);
    if (list) list.push(r);
    else byId.set(id, [r]);
  }
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    for (const r of list) {
      const others = list.filter((o) => o !== r).map((o) => o.file);
      out.push({
        file: r.file,
        finding: {
          code: "ID_DUPLICATE",
          message: `id \`${id}\` is also used by ${others.join(", ")}`,
          pointer: "/id",
        },
      });
    }
  }
  // A file that could not be parsed still exists under its name: references to it are not
  // reported as unresolved on top of its own findings.
  for (const r of records) {
    if (r.facts.unparsed && r.facts.id !== undefined && !byId.has(r.facts.id)) byId.set(r.facts.id, [r]);
  }
  for (const r of records) {
    for (const ref of r.facts.refs) {
      const target = byId.get(ref.id)?.[0];
      if (!target || target.facts.kind !== ref.kind) {
        out.push({
          file: r.file,
          finding: {
            code: "REF_UNRESOLVED",
            message: `${ref.kind} \`${ref.id}\` does not exist`,
            pointer: ref.pointer,
          },
        });
        continue;
      }
      // Incident <-> problem links are kept on both sides; both must agree.
      if (
        r.facts.kind !== ref.kind &&
        !target.facts.unparsed &&
        !target.facts.refs.some((back) => back.id === r.facts.id)
      ) {
        const field = ref.kind === "problem" ? "incident_refs" : "problem_refs";
        out.push({
          file: r.file,
          finding: {
            code: "REF_ASYMMETRIC",
            message: `${ref.id} does not list ${r.facts.id} in its \`${field}\`; add it there too`,
            pointer: ref.pointer,
          },
        });
      }
    }
  }
  return out;
}
