// The tests `npm run mutation` runs against each mutant: only in-process tests of the mutated modules
// (lifecycle rules, semantic checks, metrics, the pull-request judge), none that run dist/ in a child
// process, since those cannot see a mutant and would make each run take minutes instead of seconds.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/lifecycle.test.ts",
      "test/lifecycle-mutants.test.ts",
      "test/transition.test.ts",
      "test/time.test.ts",
      "test/judge.test.ts",
      "test/judge-mutants.test.ts",
      "test/semantic-mutants.test.ts",
      "test/metrics.test.ts",
      "test/metrics-mutants.test.ts",
      "test/model.test.ts",
    ],
    testTimeout: 30_000,
  },
});
