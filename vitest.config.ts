import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
    // Several suites mostly wait (the local GitHub server's paced writes, git and CLI child
    // processes), so one more worker than the default keeps two cores busy: the suite takes about
    // half as long on the 2-CPU CI machine.
    maxWorkers: 3,
  },
});
