// Which reviews count as approvals: the latest decisive review of each reviewer, not dismissed, not
// by the pull request's author, and (unless config allows stale ones) given on the current head.

export interface Review {
  user: string;
  state: string; // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
  submittedAt?: string;
  commitId?: string;
}

export interface ApprovalPolicy {
  author: string;
  headSha: string;
  countStale: boolean;
}

/** Logins (lower case) whose approval stands. Reviews are in the order GitHub returns them (oldest first). */
export function validApprovers(reviews: readonly Review[], policy: ApprovalPolicy): Set<string> {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    // A comment does not change a reviewer's decision; a pending review is not submitted.
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.user.toLowerCase(), r);
  }
  const out = new Set<string>();
  for (const [user, r] of latest) {
    if (r.state !== "APPROVED") continue;
    if (user === policy.author.toLowerCase()) continue;
    // No commit id: the reviewed commit is gone (force-pushed away), so the approval is stale.
    if (!policy.countStale && r.commitId !== policy.headSha) continue;
    out.add(user);
  }
  return out;
}
