// Pull-request scenarios in memory: the fixture repository's files as the base, edits for the head,
// judged by the pure judge exactly as `incident check` judges git blobs (without GitHub context, so
// every approval a change needs is missing). No git, no child process: each scenario takes
// milliseconds. test/check.test.ts keeps the end-to-end git scenarios.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  type JudgeInput,
  judgeApprovals,
  judgeLinks,
  judgePullRequest,
  type RecordChange,
} from "../../src/check/judge.js";
import type { LoadedConfig } from "../../src/config/load.js";
import { loadRepoConfig } from "../../src/config/load.js";
import { repoRoot } from "./cli.js";

export const fixtureRepo = join(repoRoot, "test/fixtures/repo");

export interface ScenarioReport {
  ok: boolean;
  diagnostics: Array<{
    code: string;
    file: string;
    line: number;
    column: number;
    message: string;
    pointer: string;
  }>;
}

let loaded: Promise<LoadedConfig> | undefined;
/** The fixture repository's config and validators, loaded once per test file. */
export function fixtureRules(): Promise<LoadedConfig> {
  loaded ??= loadRepoConfig(fixtureRepo);
  return loaded;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...listFiles(abs));
    else out.push(relative(fixtureRepo, abs).split("\\").join("/"));
  }
  return out;
}

const idOf = (path: string) => path.slice(path.lastIndexOf("/") + 1).replace(/\.ya?ml$/i, "");

/** A base (the fixture repository, shaped by `setup`) and a head that the scenario edits. */
export class Scenario {
  readonly base = new Map<string, string>();
  readonly head = new Map<string, string>();

  constructor(setup?: (s: Scenario) => void) {
    for (const file of listFiles(fixtureRepo))
      this.head.set(file, readFileSync(join(fixtureRepo, file), "utf8"));
    setup?.(this);
    for (const [k, v] of this.head) this.base.set(k, v);
  }

  read(file: string): string {
    const text = this.head.get(file);
    if (text === undefined) throw new Error(`no ${file} in the head`);
    return text;
  }

  write(file: string, text: string): void {
    this.head.set(file, text);
  }

  edit(file: string, change: (text: string) => string): void {
    const before = this.read(file);
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing`);
    this.head.set(file, after);
  }

  /** Appends YAML lines to the end of a record (its timeline is the last block in these files). */
  append(file: string, yaml: string): void {
    this.edit(file, (t) => `${t.trimEnd()}\n${yaml}`);
  }

  remove(file: string): void {
    this.head.delete(file);
  }

  /** Judges head against base at `now`, the way `incident check --format json` reports it. */
  async check(now = new Date()): Promise<{ status: number; report: ScenarioReport }> {
    const { config, validators } = await fixtureRules();
    const changes: RecordChange[] = [];
    for (const file of new Set([...this.base.keys(), ...this.head.keys()])) {
      const before = this.base.get(file);
      const after = this.head.get(file);
      if (before === after) continue;
      changes.push({
        status: before === undefined ? "A" : after === undefined ? "D" : "M",
        path: file,
        oldMode: before === undefined ? "000000" : "100644",
        newMode: after === undefined ? "000000" : "100644",
        head: after !== undefined ? { bytes: Buffer.from(after) } : undefined,
        mergeBase: before !== undefined ? { bytes: Buffer.from(before) } : undefined,
      });
    }
    const ids = (files: Map<string, string>) =>
      new Map(
        [...files.keys()]
          .filter((f) => f.startsWith("incidents/") && /\.ya?ml$/i.test(f))
          .map((f) => [idOf(f), f]),
      );
    const headIds = ids(this.head);
    const input: JudgeInput = {
      config,
      validators,
      changes,
      baseIds: ids(this.base),
      headIds,
      baseMoved: false,
      now,
    };
    const judged = judgePullRequest(input);
    const linked = new Map<string, { file: string; bytes: Uint8Array }>();
    for (const id of judged.linkedIds) {
      const file = headIds.get(id);
      const text = file ? this.head.get(file) : undefined;
      if (file && text !== undefined) linked.set(id, { file, bytes: Buffer.from(text) });
    }
    const diagnostics = [
      ...judged.diagnostics,
      ...judgeLinks(judged.links, linked, config, validators),
      ...judgeApprovals(judged.approvals, config, undefined),
    ];
    const errors = diagnostics.some((d) => d.severity === "error");
    return { status: errors ? 1 : 0, report: { ok: !errors, diagnostics } };
  }
}
