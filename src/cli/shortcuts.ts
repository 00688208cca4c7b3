// Command names that move an incident to a state: `incident triage ID` is `incident status ID triaged`.

export const SHORTCUTS: Readonly<Record<string, string>> = {
  triage: "triaged",
  start: "in_progress",
  hold: "on_hold",
  mitigate: "mitigated",
  resolve: "resolved",
  close: "closed",
  cancel: "canceled",
  reopen: "in_progress",
};
