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
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];
  private batch: Job[] = [];
  private inflight = 0;
  private readonly results: JobResult[] = [];
  private failure: Error | undefined;
  private drained: (() => void) | undefined;

  constructor(
    threads: number,
    init: WorkerInit,
    private readonly workerUrl: URL = new URL("./worker.js", import.meta.url),
  ) {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(this.workerUrl, { workerData: init });
      w.on("message", (msg: JobResult[]) => {
        this.results.push(...msg);
        this.inflight--;
        this.release(w);
      });
      w.on("error", (err) => {
        this.failure = err;
        this.inflight = 0;
        this.drained?.();
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
    await Promise.all([...this.idle].map((w) => w.terminate()));
    if (this.failure) throw this.failure;
    return this.results;
  }

  private async flush(): Promise<void> {
    const jobs = this.batch;
    this.batch = [];
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    if (this.failure) throw this.failure;
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
