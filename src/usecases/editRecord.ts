// Use case: change one incident or problem file. The change is computed on the text (splices, so
// untouched bytes stay identical), the result is validated like `incident validate` would, and it is
// written atomically only if the file did not change meanwhile. A dry run returns the diff instead.

import { readFileSync } from "node:fs";
import { createTwoFilesPatch } from "diff";
import { findRoot, loadRepoConfig } from "../config/load.js";
import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { UserError } from "../diagnostics/errors.js";
import { findRecord, StoreError, writeRecord } from "../io/store.js";
import type { Validators } from "../schema/load.js";
import { bundledSchemas } from "../schema/load.js";
import { keyOrderFrom } from "../schema/order.js";
import { readOptions, validateRecord, validateRecordBytes } from "../validate/file.js";
import { readRecord } from "../validate/read.js";
import type { RecordKind } from "../validate/semantic.js";
import type { KeyOrder } from "../yaml/edit.js";

export class RefusedError extends UserError {}

export interface EditContext {
  root: string;
  config: Config;
  validators: Validators;
  file: string;
  id: string;
  /** The record as it is now (parsed, plain values). */
  before: Record<string, unknown>;
  text: string;
  /** Where new fields go: the order the schema lists them in. */
  order: KeyOrder;
}

export interface EditResult {
  file: string;
  text: string;
  /** Unified diff, for --dry-run. */
  diff: string;
  written: boolean;
  notes: string[];
}

export interface Change {
  text: string;
  notes?: string[];
}

export async function openRepo(
  dir: string,
): Promise<{ root: string; config: Config; validators: Validators }> {
  const root = findRoot(dir);
  const loaded = await loadRepoConfig(root);
  if (loaded.diagnostics.length > 0) {
    throw new RefusedError(
      "incident.config.yaml has problems; fix them first",
      loaded.diagnostics.map(formatDiagnostic),
    );
  }
  return { root, config: loaded.config, validators: loaded.validators };
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`;
}

export async function editRecord(
  dir: string,
  id: string,
  kind: RecordKind,
  opts: { dryRun?: boolean; allowFinal?: boolean },
  change: (ctx: EditContext) => Change,
): Promise<EditResult> {
  const { root, config, validators } = await openRepo(dir);
  const found = findRecord(root, config, id, kind);
  const bytes = readFileSync(found.abs);
  const text = bytes.toString("utf8");
  // The editor reads with both parsers, like the check: it never edits, nor writes, a text that two
  // readers would read differently.
  const fileCtx = { config, validators, mode: "both" as const };
  const read = readRecord(bytes, readOptions(fileCtx));
  const current = validateRecord(found.file, kind, read, fileCtx);
  if (
    read.value === undefined ||
    current.diagnostics.some((d) => d.code.startsWith("YAML_") || d.code.startsWith("FILE_"))
  ) {
    throw new RefusedError(
      `${found.file} cannot be edited until it is valid YAML`,
      current.diagnostics.map(formatDiagnostic),
    );
  }
  // Closed and canceled records are final; `status` explains its own refusal (reopen windows).
  const lifecycle = kind === "incident" ? config.lifecycle : config.problem_lifecycle;
  const status = (read.value as { status?: unknown }).status;
  if (!opts.allowFinal && lifecycle.states.some((s) => s.terminal && s.id === status)) {
    throw new RefusedError(
      `${id} is \`${String(status)}\`, which is final; record a recurrence as a new ${kind} linked to this one`,
    );
  }
  // Key order comes from the toolkit's bundled schemas: a stale or broken generated file in the
  // repository cannot change how a record is edited.
  const schema = bundledSchemas()[kind];
  const result = change({
    root,
    config,
    validators,
    file: found.file,
    id,
    before: read.value as Record<string, unknown>,
    text,
    order: keyOrderFrom(schema),
  });
  if (result.text === text) {
    return {
      file: found.file,
      text,
      diff: "",
      written: false,
      notes: [...(result.notes ?? []), "nothing to change"],
    };
  }
  const after = validateRecordBytes(found.file, kind, Buffer.from(result.text), fileCtx);
  if (after.diagnostics.length > 0) {
    throw new RefusedError(
      `the change would leave ${found.file} invalid; nothing was written`,
      after.diagnostics.map(formatDiagnostic),
    );
  }
  const diff = createTwoFilesPatch(
    `a/${found.file}`,
    `b/${found.file}`,
    text,
    result.text,
    undefined,
    undefined,
    { context: 3 },
  );
  if (opts.dryRun)
    return { file: found.file, text: result.text, diff, written: false, notes: result.notes ?? [] };
  try {
    await writeRecord(found.abs, bytes, result.text);
  } catch (err) {
    if (err instanceof StoreError) throw new RefusedError(err.message);
    throw err;
  }
  return { file: found.file, text: result.text, diff, written: true, notes: result.notes ?? [] };
}
