// The schema_version steps this toolkit knows: one migration per step N -> N+1, each a pure function
// from a parsed file to the edits that bring it to the next version. The last version reached is the
// one this toolkit's schemas describe (schemas/*.schema.json `schema_version`), so a release that
// changes the file format adds its step here and bumps the schemas in the same commit.

import type { PathKey } from "../yaml/edit.js";

/** The files that carry a schema_version: records and the config share one version number. */
export type FileKind = "incident" | "problem" | "config";

/**
 * One change to a file, applied to its text so that comments and formatting stay:
 * - set: write a value at a path (parents created, the key placed where the schema lists it);
 * - remove: delete a key (or a list item) and its value;
 * - rename: give a key another name in place (its value, comments and position stay);
 * - move: the value at `path` goes to `to` (set there, then removed here).
 */
export type MigrationEdit =
  | { op: "set"; path: readonly PathKey[]; value: unknown }
  | { op: "remove"; path: readonly PathKey[] }
  | { op: "rename"; path: readonly PathKey[]; to: string }
  | { op: "move"; path: readonly PathKey[]; to: readonly PathKey[] };

export interface Migration {
  /** The version this step reads; it writes `from + 1`. */
  from: number;
  /** One line for the release notes and the command's output. */
  summary: string;
  /**
   * The edits that bring `value` (a file of this kind at version `from`, as parsed) to `from + 1`.
   * schema_version itself is set by the runner, not here. Pure: never mutate `value`.
   */
  edits(kind: FileKind, value: Readonly<Record<string, unknown>>): MigrationEdit[];
}

export interface Registry {
  /** Steps in order, the first from version 1, each from the version the one before writes. */
  readonly migrations: readonly Migration[];
}

/** The steps of this release. Empty while schema_version 1 is the only version there has been. */
export const REGISTRY: Registry = { migrations: [] };

/** The newest schema_version a registry reaches: 1 plus one per step. */
export function latestVersion(registry: Registry): number {
  return 1 + registry.migrations.length;
}

/** The schema_version this toolkit reads and writes. */
export const CURRENT_SCHEMA_VERSION = latestVersion(REGISTRY);

/** Throws when the steps do not run 1 -> 2 -> ... without a gap (a registry is code: a bug, not input). */
export function checkRegistry(registry: Registry): void {
  registry.migrations.forEach((m, i) => {
    if (m.from !== i + 1) throw new Error(`migration ${i} reads schema_version ${m.from}, expected ${i + 1}`);
  });
}
