// Mutation testing (`npm run mutation`): how many changed operators and boundaries in the pure core
// the in-process tests notice. One file at a time: npx stryker run --mutate src/lifecycle/compare.ts
// The report is written to reports/mutation/; the incremental file there lets a re-run test only the
// mutants whose code or tests changed.

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  // Only the in-process tests of these modules (see vitest.mutation.config.ts): the CLI tests run
  // dist/ in a child process and cannot see a mutant.
  vitest: { configFile: "vitest.mutation.config.ts" },
  checkers: [],
  mutate: ["src/lifecycle/**/*.ts", "src/validate/semantic.ts", "src/metrics/compute.ts", "src/check/judge.ts"],
  coverageAnalysis: "perTest",
  // Static mutants (module-level constants: regular expressions, lookup tables) would each run every
  // test, which took most of a run's time for a few percent of the mutants; they are reported as
  // ignored. Run with --ignoreStatic false to include them.
  ignoreStatic: true,
  // The CI machine and the workstations this runs on have two cores.
  concurrency: 2,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  ignorePatterns: ["_site", "test-artifacts", "coverage", ".incident-cache", "reports"],
};
