// Worker thread for WorkerPool: validates batches of files with the same code as the main thread.

import { parentPort, workerData } from "node:worker_threads";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { loadValidators } from "../schema/load.js";
import { validateRecordBytes } from "../validate/file.js";
import type { Job, JobResult, WorkerInit } from "./pool.js";

const init = workerData as WorkerInit;
const validators = await loadValidators(init.schemaTexts);

parentPort?.on("message", (jobs: Job[]) => {
  const out: JobResult[] = jobs.map((job) => {
    try {
      return {
        index: job.index,
        result: validateRecordBytes(job.file, job.kind, job.bytes, {
          config: init.config,
          validators,
          fullParse: init.fullParse,
        }),
      };
    } catch (err) {
      return {
        index: job.index,
        result: {
          file: job.file,
          kind: job.kind,
          parser: "none",
          diagnostics: [
            makeDiagnostic("INTERNAL_ERROR", `validation failed: ${(err as Error).message}`, job.file, {
              line: 1,
              column: 1,
            }),
          ],
        },
      };
    }
  });
  parentPort?.postMessage(out);
});
