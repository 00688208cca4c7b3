// What a command may touch of the world besides its arguments: where it writes, the environment it
// reads, the clock and the working directory. `main.ts` builds the one real context from `process`;
// tests build their own (`memoryContext`) and read what a command printed without spying on
// `process`. A command never reaches for `process.stdout`, `process.env` or `new Date()` itself.

/** Somewhere text goes: a terminal, a pipe, or a buffer in a test. */
export interface TextSink {
  write(text: string): unknown;
  /** True when a person is likely reading (colour, progress). */
  readonly isTTY?: boolean;
  /** The terminal's width, when it is one (help text wraps to it). */
  readonly columns?: number;
}

export interface CommandContext {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock. Read it once per command, so every time in one run agrees. */
  now(): Date;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
  /** Where answers would be typed: prompts are offered only when it is a terminal. */
  readonly stdin?: { readonly isTTY?: boolean };
}

/** The context of a real run: the process's streams, environment, clock and directory. */
export function processContext(): CommandContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
    cwd: process.cwd(),
    stdin: process.stdin,
  };
}

/** A sink that keeps what is written, for tests and for output that is assembled before printing. */
export class BufferSink implements TextSink {
  private readonly parts: string[] = [];
  constructor(readonly isTTY = false) {}
  write(text: string): true {
    this.parts.push(text);
    return true;
  }
  get text(): string {
    return this.parts.join("");
  }
}

export interface MemoryContext extends CommandContext {
  readonly stdout: BufferSink;
  readonly stderr: BufferSink;
}

/** A context with buffered output, a fixed clock and the given environment. */
export function memoryContext(
  options: { env?: Record<string, string | undefined>; now?: Date | string; cwd?: string } = {},
): MemoryContext {
  const at = new Date(options.now ?? "2026-01-01T00:00:00Z");
  return {
    stdout: new BufferSink(),
    stderr: new BufferSink(),
    env: { ...options.env },
    now: () => new Date(at.getTime()),
    cwd: options.cwd ?? process.cwd(),
  };
}

/**
 * Whether text written to `sink` may carry colour: only for a terminal, never with NO_COLOR, and
 * (as picocolors judges it) with FORCE_COLOR, CI, or any terminal but a dumb one.
 */
export function colorsWanted(ctx: CommandContext, sink: TextSink): boolean {
  const { env } = ctx;
  if (sink.isTTY !== true || "NO_COLOR" in env) return false;
  return "FORCE_COLOR" in env || "CI" in env || env.TERM !== "dumb" || process.platform === "win32";
}

/** How wide help text may be: the terminal's width, or commander's default (80) when not a terminal. */
export function helpWidth(sink: TextSink): number {
  return (sink.isTTY ? sink.columns : undefined) ?? 80;
}
