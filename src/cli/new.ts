// `incident new` and `incident problem new`: asks for missing answers when a person is at the
// terminal, then hands over to the createRecord use case, which allocates the id and writes the file.

import type { Config } from "../config/types.js";
import { openRepo, RefusedError } from "../usecases/editRecord.js";
import { createRecord, type NewRecordOptions } from "../usecases/newRecord.js";
import type { RecordKind } from "../validate/semantic.js";

export { nextId } from "../usecases/newRecord.js";

export interface NewOptions extends NewRecordOptions {
  dir: string;
  json?: boolean;
  /** Ask for missing answers (a person at a terminal). */
  interactive?: boolean;
}

async function ask(opts: NewOptions, config: Config, kind: RecordKind): Promise<NewOptions> {
  const p = await import("@clack/prompts");
  const cancelled = (v: unknown): never | undefined => {
    if (p.isCancel(v)) throw new RefusedError("canceled; nothing was written");
    return undefined;
  };
  p.intro(kind === "incident" ? "Declare an incident" : "Open a problem record");
  const title = await p.text({
    message: "Title (what is broken, for whom)",
    validate: (v) =>
      !v || v.trim().length === 0
        ? "a title is required"
        : v.length > 200
          ? "at most 200 characters"
          : undefined,
  });
  cancelled(title);
  const out: NewOptions = { ...opts, title: String(title) };
  if (kind === "problem") {
    if (!opts.owner && config.people.length > 0) {
      const owner = await p.select({
        message: "Owner",
        options: config.people.map((x) => ({ value: x.handle, label: `${x.handle} (${x.name})` })),
      });
      cancelled(owner);
      out.owner = String(owner);
    }
    p.outro("Writing the problem record");
    return out;
  }
  if (!opts.severity) {
    const sev = await p.select({
      message: "Severity",
      options: config.severities.map((s) => ({
        value: s.id,
        label: `${s.id} ${s.name}`,
        hint: s.description,
      })),
    });
    cancelled(sev);
    out.severity = String(sev);
  }
  if (!opts.category?.length) {
    const cats = await p.multiselect({
      message: "Categories (space to select)",
      options: config.categories.map((c) => ({ value: c.id, label: c.id, hint: c.name })),
      required: false,
    });
    cancelled(cats);
    out.category = cats as string[];
  }
  if (!opts.service?.length && config.services.length > 0) {
    const svcs = await p.multiselect({
      message: "Affected services",
      options: config.services.map((s) => ({ value: s.id, label: s.id, hint: s.name })),
      required: false,
    });
    cancelled(svcs);
    out.service = svcs as string[];
  }
  if (!opts.commander && config.people.length > 0) {
    const ic = await p.select({
      message: "Incident commander",
      options: [
        { value: "", label: "not yet named" },
        ...config.people
          .filter((x) => !x.roles || x.roles.includes("incident_commander"))
          .map((x) => ({ value: x.handle, label: `${x.handle} (${x.name})` })),
      ],
    });
    cancelled(ic);
    if (ic) out.commander = String(ic);
  }
  p.outro("Writing the incident");
  return out;
}

export async function runNew(
  kind: RecordKind,
  input: NewOptions,
): Promise<{ id: string; path: string; text: string }> {
  const repo = await openRepo(input.dir);
  const opts = !input.title && input.interactive ? await ask(input, repo.config, kind) : input;
  return createRecord(kind, repo, opts);
}
