// Validates files on worker threads for cold runs over large repositories: parsing dominates and
// splits cleanly per file. The main thread reads and hashes files (cheap) and hands misses to the
// workers in batches, with back-pressure so that only a few batches of file contents are in memory.

import { Worker } from "node:worker_threads";
import type { Config } from "../config/types.js";
import type { SchemaName } from "../schema/ajv.js";
import type { FileResult } from "../validate/file.js";
import type { RecordKind } from "../validate/semantic.js";

export interface Job {
  index: number;
  file: string;
  kind: RecordKind;
  bytes: Uint8Array;
}

export interface WorkerInit {
  config: Config;
  schemaTexts: Record<SchemaName, string>;
  fullParse: boolean;
}

export interface JobResult {
  index: number;
  result: FileResult;
}

const BATCH = 32;

export class WorkerPool {
  private readonly all: Worker[] = [];
  private readonly idle: Worker[] = [];
  /** Flushes waiting for a free worker; called with undefined when the pool has failed. */
  private readonly waiting: Array<(w: Worker | undefined) => void> = [];
  private batch: Job[] = [];
  private inflight = 0;
  private readonly results: JobResult[] = [];
  private failure: Error | undefined;
  private terminating = false;
  private drained: (() => void) | undefined;

  constructor(
    threads: number,
    init: WorkerInit,
    private readonly workerUrl: URL = new URL("./worker.js", import.meta.url),
  ) {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(this.workerUrl, { workerData: init });
      this.all.push(w);
      w.on("message", (msg: JobResult[]) => {
        this.results.push(...msg);
        this.inflight--;
        this.release(w);
      });
      w.on("error", (err) => this.fail(err));
      // A worker that dies without an error event (out of memory, process.exit in a dependency)
      // must fail the run too: a pool that waits for it forever lets Node exit 0 with no output.
      w.on("exit", (code) => {
        if (!this.terminating) this.fail(new Error(`a validation worker stopped (exit code ${code})`));
      });
      this.idle.push(w);
    }
  }

  /** Queues a job; resolves once it is handed to a worker or buffered within the limit. */
  async add(job: Job): Promise<void> {
    this.batch.push(job);
    if (this.batch.length >= BATCH) await this.flush();
  }

  /** Waits for every queued job and returns the results in no particular order. */
  async drain(): Promise<JobResult[]> {
    if (this.batch.length > 0) await this.flush();
    if (this.inflight > 0 && !this.failure) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.close();
    if (this.failure) throw this.failure;
    return this.results;
  }

  /** Stops every worker, busy or idle. */
  async close(): Promise<void> {
    this.terminating = true;
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  /** The first failure wins; everyone waiting is woken so the run ends with the error. */
  private fail(err: Error): void {
    this.failure ??= err;
    this.inflight = 0;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    this.drained?.();
  }

  private async flush(): Promise<void> {
    const jobs = this.batch;
    this.batch = [];
    if (this.failure) throw this.failure;
    const worker =
      this.idle.pop() ?? (await new Promise<Worker | undefined>((resolve) => this.waiting.push(resolve)));
    if (this.failure || worker === undefined) {
      await this.close();
      throw this.failure ?? new Error("the validation workers stopped");
    }
    this.inflight++;
    worker.postMessage(
      jobs,
      jobs.map((j) => j.bytes.buffer as ArrayBuffer),
    );
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else {
      this.idle.push(w);
      if (this.inflight === 0) this.drained?.();
    }
  }
}
