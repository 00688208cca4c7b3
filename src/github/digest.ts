// The one digest issue: which existing issue is ours, who is assigned, and what to change. Pure; the
// GitHub adapter (src/io/github.ts) lists, creates and edits issues as this module decides.

import type { PersonDef } from "../config/types.js";
import { DIGEST_MARKER } from "../reminders/render.js";

/** GitHub accepts at most 10 assignees on an issue. */
export const MAX_ASSIGNEES = 10;
/** GitHub's login syntax: letters, digits and single inner hyphens, at most 39 characters. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export interface IssueSummary {
  number: number;
  author: string;
  title: string;
  body: string;
  state: "open" | "closed";
  assignees: string[];
  /** Set for pull requests, which the issues API lists too. */
  isPullRequest: boolean;
}

export interface DesiredDigest {
  /** Whether anything is overdue: an open issue when true, closed (or none) when false. */
  overdue: boolean;
  title: string;
  body: string;
  assignees: string[];
}

export type IssuePlan =
  | { action: "create"; title: string; body: string; assignees: string[] }
  | {
      action: "update";
      number: number;
      title?: string;
      body?: string;
      assignees?: string[];
      state?: "open" | "closed";
    }
  | { action: "unchanged"; number: number }
  /** Nothing is overdue and there is no open digest issue: nothing to do. */
  | { action: "none" };

/**
 * GitHub logins of the owners, through config `people[].github`, in the owners' order: only valid
 * login syntax, no duplicates (case-insensitive), at most 10.
 */
export function assigneesFor(owners: readonly string[], people: readonly PersonDef[]): string[] {
  const byHandle = new Map(people.map((p) => [p.handle, p.github]));
  const out: string[] = [];
  for (const owner of owners) {
    const login = byHandle.get(owner);
    if (typeof login !== "string" || !LOGIN.test(login)) continue;
    if (out.some((l) => l.toLowerCase() === login.toLowerCase())) continue;
    out.push(login);
    if (out.length === MAX_ASSIGNEES) break;
  }
  return out;
}

/**
 * Our digest issue among `issues`: not a pull request, written by `self` (case-insensitive) and
 * carrying the marker; an issue by anyone else that copies the marker is ignored. With several,
 * an open one wins, then the oldest.
 */
export function findDigestIssue(issues: readonly IssueSummary[], self: string): IssueSummary | undefined {
  const me = self.toLowerCase();
  const ours = issues
    .filter((i) => !i.isPullRequest && i.author.toLowerCase() === me && i.body.includes(DIGEST_MARKER))
    .sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === "open" ? -1 : 1));
  return ours[0];
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const norm = (x: readonly string[]) => [...new Set(x.map((s) => s.toLowerCase()))].sort().join(",");
  return norm(a) === norm(b);
};

/**
 * What to do with the digest issue:
 * - something overdue, no issue yet: create it;
 * - something overdue, an issue exists: edit what differs (title, body, assignees) and reopen it if
 *   it was closed; nothing when all of it is already so;
 * - nothing overdue, the issue is open: write the all-clear body and close it;
 * - nothing overdue, the issue is closed or missing: nothing (no issue is created just to close it).
 */
export function planDigestIssue(existing: IssueSummary | undefined, want: DesiredDigest): IssuePlan {
  if (!want.overdue) {
    if (!existing || existing.state === "closed") return { action: "none" };
    return {
      action: "update",
      number: existing.number,
      state: "closed",
      ...(existing.title !== want.title ? { title: want.title } : {}),
      ...(existing.body !== want.body ? { body: want.body } : {}),
    };
  }
  if (!existing) return { action: "create", title: want.title, body: want.body, assignees: want.assignees };
  const patch = {
    ...(existing.title !== want.title ? { title: want.title } : {}),
    ...(existing.body !== want.body ? { body: want.body } : {}),
    ...(!sameSet(existing.assignees, want.assignees) ? { assignees: want.assignees } : {}),
    ...(existing.state === "closed" ? { state: "open" as const } : {}),
  };
  if (Object.keys(patch).length === 0) return { action: "unchanged", number: existing.number };
  return { action: "update", number: existing.number, ...patch };
}
