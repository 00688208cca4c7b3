// A minimal LSP client for tests: speaks Content-Length framed JSON-RPC over stdio to a real
// yaml-language-server (the server behind VS Code's YAML extension), answering its configuration
// requests from the settings given, as VS Code does.

import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity?: number;
}

export interface CompletionItem {
  label: string;
  documentation?: unknown;
}

export class LspClient {
  private buf = Buffer.alloc(0);
  private nextId = 0;
  private pending = new Map<number, (r: unknown) => void>();
  private waiting = new Map<string, (d: LspDiagnostic[]) => void>();
  readonly stderr: string[] = [];

  constructor(
    private readonly server: ChildProcess,
    private readonly settings: Record<string, unknown>,
  ) {
    server.stdout?.on("data", (chunk: Buffer) => this.receive(chunk));
    server.stderr?.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  private send(msg: Record<string, unknown>): void {
    const text = JSON.stringify({ jsonrpc: "2.0", ...msg });
    this.server.stdin?.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (r: unknown) => void);
      this.send({ id, method, params });
    });
  }

  /** The next diagnostics the server publishes for `uri`. */
  diagnosticsFor(uri: string): Promise<LspDiagnostic[]> {
    return new Promise((resolve) => this.waiting.set(uri, resolve));
  }

  private receive(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const sep = this.buf.indexOf("\r\n\r\n");
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, sep).toString())?.[1]);
      if (this.buf.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(sep + 4, sep + 4 + len).toString()) as {
        id?: number;
        method?: string;
        params?: { uri?: string; diagnostics?: LspDiagnostic[]; items?: Array<{ section?: string }> };
        result?: unknown;
        error?: unknown;
      };
      this.buf = this.buf.subarray(sep + 4 + len);
      if (msg.id !== undefined && msg.method === undefined) {
        this.pending.get(msg.id)?.(msg.result ?? msg.error);
        this.pending.delete(msg.id);
      } else if (msg.method === "workspace/configuration") {
        const items = msg.params?.items ?? [];
        this.send({ id: msg.id, result: items.map((i) => this.settings[i.section ?? ""] ?? null) });
      } else if (msg.method === "textDocument/publishDiagnostics") {
        const uri = msg.params?.uri ?? "";
        const resolve = this.waiting.get(uri);
        this.waiting.delete(uri);
        resolve?.(msg.params?.diagnostics ?? []);
      } else if (msg.id !== undefined) this.send({ id: msg.id, result: null });
    }
  }
}

const require = createRequire(import.meta.url);
const serverBin = join(require.resolve("yaml-language-server/package.json"), "../bin/yaml-language-server");

/** The YAML extension's settings as VS Code sends them; `schemas` as in .vscode/settings.json. */
export function yamlSettings(schemas: Record<string, unknown> = {}) {
  return {
    validate: true,
    completion: true,
    hover: true,
    yamlVersion: "1.2",
    customTags: [],
    schemas,
    schemaStore: { enable: false },
  };
}

/** Starts yaml-language-server on `dir` as a workspace folder and initialises it. */
export async function startYamlServer(
  dir: string,
  yaml: Record<string, unknown> = yamlSettings(),
): Promise<{ client: LspClient; server: ChildProcess }> {
  const server = spawn(process.execPath, [serverBin, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  const client = new LspClient(server, { yaml });
  const root = pathToFileURL(dir).href;
  await client.request("initialize", {
    processId: process.pid,
    rootUri: root,
    workspaceFolders: [{ uri: root, name: "repo" }],
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
      textDocument: {
        completion: { completionItem: { documentationFormat: ["markdown", "plaintext"] } },
        publishDiagnostics: {},
      },
    },
  });
  client.notify("initialized", {});
  client.notify("workspace/didChangeConfiguration", { settings: { yaml } });
  return { client, server };
}

/** Opens `text` as the document at `uri`, waits for its diagnostics and asks for completion at a position. */
export async function openAndComplete(
  client: LspClient,
  uri: string,
  text: string,
  position: { line: number; character: number },
): Promise<{ diagnostics: LspDiagnostic[]; items: CompletionItem[] }> {
  const published = client.diagnosticsFor(uri);
  client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
  const diagnostics = await published;
  const result = await client.request<{ items: CompletionItem[] } | CompletionItem[]>(
    "textDocument/completion",
    { textDocument: { uri }, position },
  );
  client.notify("textDocument/didClose", { textDocument: { uri } });
  return { diagnostics, items: Array.isArray(result) ? result : result.items };
}

/** An item's documentation as text (a string or MarkupContent). */
export function docOf(item: CompletionItem | undefined): string {
  const d = item?.documentation;
  return typeof d === "string" ? d : String((d as { value?: string } | undefined)?.value ?? "");
}
