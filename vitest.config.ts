import { defineConfig } from "vitest/config";

// The fast suites: in-process tests of the core, and of commands run through cli/main.ts's `run()`
// with a memory context (no child processes, git repositories, servers or browsers).
// `npm run test:fast` runs only these, for the inner loop; `npm test` runs everything.
const FAST = [
  "test/authoring-new.test.ts",
  "test/cli-context.test.ts",
  "test/corpus.test.ts",
  "test/invalid-fixtures.test.ts",
  "test/placement.test.ts",
  "test/regulatory-readme.test.ts",
  "test/remind.test.ts",
  "test/config.test.ts",
  "test/events.test.ts",
  "test/export.test.ts",
  "test/export-stix.test.ts",
  "test/fast-path.test.ts",
  "test/fast-path-fuzz.test.ts",
  "test/import-adapters.test.ts",
  "test/judge.test.ts",
  "test/judge-scenarios.test.ts",
  "test/labels.test.ts",
  "test/lifecycle*.test.ts",
  "test/*-mutants.test.ts",
  "test/metrics.test.ts",
  "test/migrate.test.ts",
  "test/model.test.ts",
  "test/prose*.test.ts",
  "test/readme.test.ts",
  "test/render*.test.ts",
  "test/report.test.ts",
  "test/schema-errors.test.ts",
  "test/time.test.ts",
  "test/transition.test.ts",
  "test/workflow-policy.test.ts",
];

export default defineConfig({
  test: {
    include: process.env.INCIDENT_TEST_FAST ? FAST : ["test/**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
    // Several suites mostly wait (the local GitHub server's paced writes, git and CLI child
    // processes), so one more worker than the default keeps two cores busy: the suite takes about
    // half as long on the 2-CPU CI machine.
    maxWorkers: 3,
  },
});
