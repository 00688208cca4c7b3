// A local stand-in for the GitHub REST API, for testing `incident check`'s GitHub side. It listens on
// 127.0.0.1 only (port 0: the OS picks a free one), records every request, checks each against GitHub's
// published OpenAPI description (@octokit/openapi: the operation exists for the method and path, the
// path and query parameters and the JSON body match their schemas), and serves an in-memory model of
// one pull request: its metadata, reviews, issue comments and labels, plus `GET /user`, and the
// repository's issues (list, get, create, update; the list includes the pull request, as GitHub's
// does). Faults can
// programmed per route: the next N responses are a 5xx, a read-only token's 403, or a rate limit.

import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// The OpenAPI description, loaded once per process (it is 13 MB).

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Json;
}

interface Operation {
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  names: string[];
  literals: number;
  parameters: Parameter[];
  body?: { required: boolean; schema?: Json; contentTypes: string[] };
}

interface OpenApi {
  operations: Operation[];
  ajv: InstanceType<typeof Ajv.default>;
  coercing: InstanceType<typeof Ajv.default>;
  bodyValidators: Map<Operation, ValidateFunction>;
  paramValidators: Map<Json, ValidateFunction>;
}

let openApi: OpenApi | undefined;

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"];

/**
 * `$ref: "#/components/..."` made absolute against the components document added as `gh`, and
 * OpenAPI 3.0's `nullable` without a `type` (ajv only understands it next to one; the issue
 * bodies' `milestone` uses it beside `oneOf`) written as `anyOf: [schema, {type: "null"}]`.
 */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `gh${v}` : rebase(v);
  }
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _, ...rest } = out;
    return { anyOf: [rest, { type: "null" }] };
  }
  return out;
}

function loadOpenApi(): OpenApi {
  if (openApi) return openApi;
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as {
    paths: Record<string, Record<string, Json>>;
    components: Json & { parameters: Record<string, Json>; requestBodies?: Record<string, Json> };
  };
  const deref = <T>(v: T): T => {
    let cur = v as Json;
    while (cur && typeof cur.$ref === "string") {
      const parts = (cur.$ref as string).replace(/^#\//, "").split("/");
      let next: unknown = spec;
      for (const p of parts) next = (next as Json)[p.replace(/~1/g, "/").replace(/~0/g, "~")];
      cur = next as Json;
    }
    return cur as T;
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const shared = ((item.parameters as unknown as Json[]) ?? []).map(
      (p) => deref(p) as unknown as Parameter,
    );
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const names: string[] = [];
      const segments = template.split("/").slice(1);
      const pattern = segments
        .map((s) => {
          const m = /^\{([^}]+)\}$/.exec(s);
          if (m) {
            names.push(m[1] as string);
            return "([^/]+)";
          }
          return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      const own = ((op.parameters as Json[]) ?? []).map((p) => deref(p) as unknown as Parameter);
      const parameters = [
        ...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)),
        ...own,
      ];
      const rb = op.requestBody ? deref(op.requestBody as Json) : undefined;
      const content = (rb?.content ?? {}) as Record<string, { schema?: Json }>;
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: String(op.operationId),
        regex: new RegExp(`^/${pattern}$`),
        names,
        literals: segments.filter((s) => !s.startsWith("{")).length,
        parameters,
        body: rb
          ? {
              required: rb.required === true,
              schema: content["application/json"]?.schema,
              contentTypes: Object.keys(content),
            }
          : undefined,
      });
    }
  }
  // The most specific template first: `/issues/comments/{comment_id}` before `/issues/{issue_number}`.
  operations.sort((a, b) => b.literals - a.literals);
  const make = (coerceTypes: boolean) => {
    // OpenAPI 3.0 schemas: `nullable` is understood by ajv 8; `example`, `x-github` and the like are
    // ignored with strict off; unknown formats (int32, binary, ...) are not checked.
    const ajv = new Ajv.default({ strict: false, allErrors: true, logger: false, coerceTypes });
    addFormats.default(ajv);
    ajv.addSchema({ $id: "gh", components: rebase(spec.components) });
    return ajv;
  };
  openApi = {
    operations,
    ajv: make(false),
    coercing: make(true),
    bodyValidators: new Map(),
    paramValidators: new Map(),
  };
  return openApi;
}

/** The operation for a method and path, or undefined when GitHub has none. */
export function findOperation(
  method: string,
  path: string,
): { op: Operation; params: Record<string, string> } | undefined {
  const api = loadOpenApi();
  for (const op of api.operations) {
    if (op.method !== method) continue;
    const m = op.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    op.names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1] as string);
    });
    return { op, params };
  }
  return undefined;
}

/** Every way the request departs from the OpenAPI description (empty when it conforms). */
export function checkAgainstOpenApi(
  method: string,
  url: URL,
  contentType: string | undefined,
  rawBody: string,
): { problems: string[]; op?: Operation; params: Record<string, string> } {
  const api = loadOpenApi();
  const found = findOperation(method, url.pathname);
  if (!found) return { problems: [`no operation for ${method} ${url.pathname}`], params: {} };
  const { op, params } = found;
  const problems: string[] = [];
  const checkParam = (p: Parameter, value: string) => {
    if (!p.schema) return;
    let v = api.paramValidators.get(p.schema);
    if (!v) {
      v = api.coercing.compile({ type: "object", properties: { v: rebase(p.schema) } });
      api.paramValidators.set(p.schema, v);
    }
    if (!v({ v: value })) {
      problems.push(
        `${p.in} parameter ${p.name}=${JSON.stringify(value)}: ${api.coercing.errorsText(v.errors)}`,
      );
    }
  };
  for (const [name, value] of Object.entries(params)) {
    const p = op.parameters.find((x) => x.in === "path" && x.name === name);
    if (!p) problems.push(`path parameter ${name} is not declared`);
    else checkParam(p, value);
  }
  for (const [name, value] of url.searchParams) {
    const p = op.parameters.find((x) => x.in === "query" && x.name === name);
    if (!p) problems.push(`query parameter ${name} is not declared for ${op.operationId}`);
    else checkParam(p, value);
  }
  for (const p of op.parameters) {
    if (p.in === "query" && p.required && !url.searchParams.has(p.name))
      problems.push(`required query parameter ${p.name} is missing`);
  }
  const hasBody = rawBody.length > 0;
  if (!op.body) {
    if (hasBody) problems.push(`${op.operationId} takes no request body`);
  } else if (!hasBody) {
    if (op.body.required) problems.push(`${op.operationId} requires a request body`);
  } else {
    const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!op.body.contentTypes.includes(type))
      problems.push(`content-type ${type || "(none)"} is not one of ${op.body.contentTypes.join(", ")}`);
    let data: unknown;
    try {
      data = JSON.parse(rawBody);
    } catch {
      problems.push("the request body is not JSON");
    }
    if (data !== undefined && op.body.schema) {
      let v = api.bodyValidators.get(op);
      if (!v) {
        v = api.ajv.compile(rebase(op.body.schema) as Json);
        api.bodyValidators.set(op, v);
      }
      if (!v(data)) problems.push(`request body: ${api.ajv.errorsText(v.errors)}`);
    }
  }
  return { problems, op, params };
}

// ---------------------------------------------------------------------------------------------
// The model of one pull request.

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  /** The OpenAPI path template and operation id, when one matched. */
  template?: string;
  operationId?: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  token?: string;
  status: number;
  at: number;
}

export interface Violation {
  method: string;
  url: string;
  problems: string[];
}

export interface ModelReview {
  id: number;
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commitId: string | null;
  submittedAt: string;
}

export interface ModelComment {
  id: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface ModelIssue {
  number: number;
  user: string;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** GitHub's 422 for a comment or issue body over its 65,536-character limit. */
function bodyTooLong(resource: "Issue" | "IssueComment", code: "custom" | "invalid"): Json {
  return {
    message: "Validation Failed",
    errors: [{ resource, code, field: "body", message: "body is too long (maximum is 65536 characters)" }],
    documentation_url: "https://docs.github.com/rest",
  };
}

/** What a token is: its user (null for an Actions GITHUB_TOKEN, which cannot read `/user`) and whether it can write. */
export interface TokenInfo {
  login: string | null;
  readOnly?: boolean;
  /** For an installation token (login null): the bot account it writes as (default github-actions[bot]). */
  bot?: string;
}

export type Fault =
  | { kind: "error"; status: 500 | 502 | 503 }
  /** A token without write access: 403 "Resource not accessible by integration". */
  | { kind: "read-only" }
  /** The primary rate limit: 403 or 429 with x-ratelimit-remaining 0 and a reset of now. */
  | { kind: "rate-limit"; status: 403 | 429 }
  /** A secondary rate limit: 403 or 429, "secondary rate limit" in the message, retry-after 0. */
  | { kind: "secondary-rate-limit"; status: 403 | 429 };

export interface ServerOptions {
  owner?: string;
  repo?: string;
  number?: number;
  author?: string;
  headSha?: string;
  /** Tokens the server knows; default `t` (user incident-bot), `ro` (read-only), `ghs_actions` (GITHUB_TOKEN). */
  tokens?: Record<string, TokenInfo>;
}

const ACTIONS_BOT = "github-actions[bot]";
const GITHUB_LIMIT = 65_536;

export class GitHubServer {
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  /** Requests for an operation GitHub has but this model does not serve. */
  readonly unmodelled: string[] = [];
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  author: string;
  headSha: string;
  title = "Close INC-2026-0001";
  /** The pull request's description, as the issues list shows it. */
  prBody = "";
  reviews: ModelReview[] = [];
  comments: ModelComment[] = [];
  labels: string[] = [];
  issues: ModelIssue[] = [];
  /** Logins that can be assigned to issues; undefined: anyone. */
  assignable: Set<string> | undefined;
  tokens: Record<string, TokenInfo>;
  private faults: Array<{ route: string; remaining: number; fault: Fault }> = [];
  /** When set, `GET /repos/{owner}/{repo}/issues?creator=...` lists nothing. */
  creatorFilterMisses = false;
  private nextId = 1000;
  private clock = Date.parse("2026-03-11T15:00:00Z");

  private constructor(
    private readonly server: Server,
    opts: ServerOptions,
  ) {
    this.owner = opts.owner ?? "o";
    this.repo = opts.repo ?? "r";
    this.number = opts.number ?? 1;
    this.author = opts.author ?? "pr-author";
    this.headSha = opts.headSha ?? "a".repeat(40);
    this.tokens = opts.tokens ?? {
      t: { login: "incident-bot" },
      ro: { login: "incident-bot", readOnly: true },
      ghs_actions: { login: null },
      ghs_app: { login: null, bot: "incident-app[bot]" },
    };
  }

  static async start(opts: ServerOptions = {}): Promise<GitHubServer> {
    loadOpenApi();
    const server = createServer();
    const gh = new GitHubServer(server, opts);
    server.on("request", (req, res) => {
      gh.handle(req, res).catch((err: unknown) => {
        gh.violations.push({
          method: req.method ?? "",
          url: req.url ?? "",
          problems: [`server error: ${err}`],
        });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return gh;
  }

  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets requests, violations, faults and the model, keeping the tokens and the port. */
  reset(opts: { author?: string; headSha?: string } = {}): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.unmodelled.length = 0;
    this.faults = [];
    this.creatorFilterMisses = false;
    this.reviews = [];
    this.comments = [];
    this.labels = [];
    this.issues = [];
    this.assignable = undefined;
    this.prBody = "";
    if (opts.author) this.author = opts.author;
    if (opts.headSha) this.headSha = opts.headSha;
  }

  /**
   * The next `times` responses for `route` fail with `fault`. A route is "METHOD /template" as in the
   * OpenAPI description (e.g. "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"),
   * "METHOD *" for every path, or "*" for every request.
   */
  fail(route: string, times: number, fault: Fault): void {
    this.faults.push({ route, remaining: times, fault });
  }

  review(user: string, state: ModelReview["state"], commitId: string | null = this.headSha): ModelReview {
    const r: ModelReview = { id: this.nextId++, user, state, commitId, submittedAt: this.tick() };
    this.reviews.push(r);
    return r;
  }

  /** Dismisses a review the way GitHub does: its state becomes DISMISSED. */
  dismiss(review: ModelReview): void {
    review.state = "DISMISSED";
  }

  comment(user: string, body: string): ModelComment {
    const at = this.tick();
    const c: ModelComment = { id: this.nextId++, user, body, createdAt: at, updatedAt: at };
    this.comments.push(c);
    return c;
  }

  /** Adds an issue as `user` would have opened it (numbers follow the pull request's). */
  issue(
    user: string,
    title: string,
    body: string,
    opts: { state?: "open" | "closed"; assignees?: string[] } = {},
  ): ModelIssue {
    const at = this.tick();
    const number = Math.max(this.number, ...this.issues.map((i) => i.number)) + 1;
    const closed = opts.state === "closed";
    const issue: ModelIssue = {
      number,
      user,
      title,
      body,
      state: closed ? "closed" : "open",
      stateReason: closed ? "completed" : null,
      assignees: opts.assignees ?? [],
      createdAt: at,
      updatedAt: at,
      closedAt: closed ? at : null,
    };
    this.issues.push(issue);
    return issue;
  }

  /** Requests made for one operation id, e.g. "issues/create-comment". */
  calls(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  private tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  private user(login: string) {
    const bot = login.endsWith("[bot]");
    const id = [...login].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1_000_000, 7);
    return {
      login,
      id,
      node_id: `U_${id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${id}`,
      url: `https://api.github.com/users/${encodeURIComponent(login)}`,
      html_url: `https://github.com/${encodeURIComponent(login)}`,
      type: bot ? "Bot" : "User",
      site_admin: false,
    };
  }

  private label(name: string) {
    const id = [...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1_000_000, 11);
    return {
      id,
      node_id: `LA_${id}`,
      url: `https://api.github.com/repos/${this.owner}/${this.repo}/labels/${encodeURIComponent(name)}`,
      name,
      description: null,
      color: "ededed",
      default: false,
    };
  }

  private commentJson(c: ModelComment) {
    const repoUrl = `https://api.github.com/repos/${this.owner}/${this.repo}`;
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${repoUrl}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${this.number}#issuecomment-${c.id}`,
      issue_url: `${repoUrl}/issues/${this.number}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.endsWith("[bot]") ? "NONE" : "MEMBER",
    };
  }

  private issueJson(i: ModelIssue) {
    const repoUrl = `https://api.github.com/repos/${this.owner}/${this.repo}`;
    const assignees = i.assignees.map((a) => this.user(a));
    return {
      id: 900_000 + i.number,
      node_id: `I_${i.number}`,
      url: `${repoUrl}/issues/${i.number}`,
      repository_url: repoUrl,
      labels_url: `${repoUrl}/issues/${i.number}/labels{/name}`,
      comments_url: `${repoUrl}/issues/${i.number}/comments`,
      events_url: `${repoUrl}/issues/${i.number}/events`,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.stateReason,
      title: i.title,
      body: i.body,
      user: this.user(i.user),
      labels: [],
      assignee: assignees[0] ?? null,
      assignees,
      milestone: null,
      locked: false,
      comments: 0,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      author_association: i.user.endsWith("[bot]") ? "NONE" : "MEMBER",
    };
  }

  /** The pull request as the issues list shows it: an issue with a `pull_request` member. */
  private prAsIssueJson() {
    const pr = this.issueJson({
      number: this.number,
      user: this.author,
      title: this.title,
      body: this.prBody,
      state: "open",
      stateReason: null,
      assignees: [],
      createdAt: "2026-03-11T14:00:00Z",
      updatedAt: "2026-03-11T14:00:00Z",
      closedAt: null,
    });
    const web = `https://github.com/${this.owner}/${this.repo}/pull/${this.number}`;
    return {
      ...pr,
      html_url: web,
      pull_request: {
        url: `https://api.github.com/repos/${this.owner}/${this.repo}/pulls/${this.number}`,
        html_url: web,
        diff_url: `${web}.diff`,
        patch_url: `${web}.patch`,
      },
    };
  }

  /** GitHub's 422 for an issue write it refuses, or undefined when the write is acceptable. */
  private refuseIssueWrite(b: Json): Json | undefined {
    const invalid = (field: string, message: string, value?: unknown) => ({
      message: "Validation Failed",
      errors: [{ resource: "Issue", code: "invalid", field, message, ...(value ? { value } : {}) }],
      documentation_url: "https://docs.github.com/rest/issues/issues",
    });
    if (typeof b.body === "string" && b.body.length > GITHUB_LIMIT) return bodyTooLong("Issue", "invalid");
    if (Array.isArray(b.assignees)) {
      if (b.assignees.length > 10) return invalid("assignees", "too many assignees (maximum is 10)");
      const refused = (b.assignees as string[]).find((a) => this.assignable && !this.assignable.has(a));
      if (refused) return invalid("assignees", "cannot be assigned", refused);
    }
    return undefined;
  }

  private reviewJson(r: ModelReview) {
    const html = `https://github.com/${this.owner}/${this.repo}/pull/${this.number}#pullrequestreview-${r.id}`;
    return {
      id: r.id,
      node_id: `PRR_${r.id}`,
      user: this.user(r.user),
      body: "",
      state: r.state,
      html_url: html,
      pull_request_url: `https://api.github.com/repos/${this.owner}/${this.repo}/pulls/${this.number}`,
      author_association: "MEMBER",
      _links: { html: { href: html }, pull_request: { href: `https://api.github.com/repos/o/r/pulls/1` } },
      ...(r.state === "PENDING" ? {} : { submitted_at: r.submittedAt }),
      commit_id: r.commitId,
    };
  }

  private prJson() {
    const repoJson = { id: 1, name: this.repo, full_name: `${this.owner}/${this.repo}`, private: false };
    return {
      id: 4242,
      node_id: "PR_4242",
      number: this.number,
      state: "open",
      locked: false,
      title: this.title,
      user: this.user(this.author),
      body: null,
      draft: false,
      merged: false,
      head: {
        label: `${this.author}:pr`,
        ref: "pr",
        sha: this.headSha,
        user: this.user(this.author),
        repo: repoJson,
      },
      base: {
        label: `${this.owner}:main`,
        ref: "main",
        sha: "b".repeat(40),
        user: this.user(this.owner),
        repo: repoJson,
      },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", this.url);
    const { problems, op, params } = checkAgainstOpenApi(method, url, req.headers["content-type"], rawBody);
    if (problems.length > 0) this.violations.push({ method, url: req.url ?? "", problems });
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = rawBody;
    }
    const auth = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? "");
    const token = auth?.[1];
    const record: RecordedRequest = {
      method,
      url: req.url ?? "",
      path: url.pathname,
      template: op?.template,
      operationId: op?.operationId,
      params,
      query: Object.fromEntries(url.searchParams),
      body,
      token,
      status: 0,
      at: Date.now(),
    };
    this.requests.push(record);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const reset = Math.floor(Date.now() / 1000) + 3600;
      const text = data === undefined ? "" : JSON.stringify(data);
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-github-api-version-selected": "2022-11-28",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-reset": String(reset),
        "x-ratelimit-used": "1",
        "x-ratelimit-resource": "core",
        ...headers,
      });
      res.end(text);
    };
    const docs = "https://docs.github.com/rest";

    // Programmed faults come first, as a flaky or limiting GitHub would send them.
    const route = op ? `${method} ${op.template}` : `${method} ${url.pathname}`;
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.route === "*" || f.route === route || f.route === `${method} *`),
    );
    if (fault) {
      fault.remaining--;
      const f = fault.fault;
      const nowSeconds = String(Math.floor(Date.now() / 1000));
      if (f.kind === "error") return send(f.status, { message: "Server Error" });
      if (f.kind === "read-only")
        return send(403, {
          message: "Resource not accessible by integration",
          documentation_url: docs,
          status: "403",
        });
      if (f.kind === "rate-limit")
        return send(
          f.status,
          { message: "API rate limit exceeded for installation ID 1.", documentation_url: docs },
          {
            "retry-after": "0",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": nowSeconds,
          },
        );
      return send(
        f.status,
        {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url: docs,
        },
        { "retry-after": "0", "x-ratelimit-remaining": "0", "x-ratelimit-reset": nowSeconds },
      );
    }

    const who = token !== undefined ? this.tokens[token] : undefined;
    if (!who) return send(401, { message: "Bad credentials", documentation_url: docs, status: "401" });
    if (!op) return send(404, { message: "Not Found", documentation_url: docs, status: "404" });
    const actor = who.login ?? who.bot ?? ACTIONS_BOT;
    const write = method !== "GET" && method !== "HEAD";
    const notFound = () => send(404, { message: "Not Found", documentation_url: docs, status: "404" });

    if (op.operationId === "users/get-authenticated") {
      // An installation token (GITHUB_TOKEN) has no user: GitHub answers 403.
      if (who.login === null)
        return send(403, {
          message: "Resource not accessible by integration",
          documentation_url: docs,
          status: "403",
        });
      return send(200, { ...this.user(who.login), name: who.login, public_repos: 0, followers: 0 });
    }
    if (params.owner !== this.owner || params.repo !== this.repo) return notFound();
    const issueOp = op.operationId === "issues/get" || op.operationId === "issues/update";
    for (const key of ["pull_number", "issue_number"]) {
      if (issueOp && key === "issue_number") continue;
      if (params[key] !== undefined && params[key] !== String(this.number)) return notFound();
    }
    if (write && who.readOnly)
      return send(403, {
        message: "Resource not accessible by integration",
        documentation_url: docs,
        status: "403",
      });

    const page = <T>(items: T[]) => {
      const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30) || 30, 100);
      const n = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
      const slice = items.slice((n - 1) * perPage, n * perPage);
      const last = Math.max(Math.ceil(items.length / perPage), 1);
      const link = (p: number, rel: string) => {
        const u = new URL(url.toString());
        u.searchParams.set("per_page", String(perPage));
        u.searchParams.set("page", String(p));
        return `<${u.toString()}>; rel="${rel}"`;
      };
      const links: string[] = [];
      if (n < last) links.push(link(n + 1, "next"), link(last, "last"));
      if (n > 1) links.push(link(1, "first"), link(n - 1, "prev"));
      return send(200, slice, links.length > 0 ? { link: links.join(", ") } : {});
    };

    const b = (body ?? {}) as Json;
    switch (op.operationId) {
      case "pulls/get":
        return send(200, this.prJson());
      case "pulls/list-reviews":
        return page(this.reviews.filter((r) => r.state !== "PENDING").map((r) => this.reviewJson(r)));
      case "issues/list-comments":
        return page(this.comments.map((c) => this.commentJson(c)));
      case "issues/create-comment": {
        if (typeof b.body !== "string")
          return send(422, { message: "Invalid request", documentation_url: docs });
        if (b.body.length > GITHUB_LIMIT) return send(422, bodyTooLong("IssueComment", "custom"));
        return send(201, this.commentJson(this.comment(actor, b.body)), {
          location: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${this.nextId - 1}`,
        });
      }
      case "issues/update-comment": {
        const c = this.comments.find((x) => String(x.id) === params.comment_id);
        if (!c) return notFound();
        if (typeof b.body !== "string")
          return send(422, { message: "Invalid request", documentation_url: docs });
        if (b.body.length > GITHUB_LIMIT) return send(422, bodyTooLong("IssueComment", "custom"));
        c.body = b.body;
        c.updatedAt = this.tick();
        return send(200, this.commentJson(c));
      }
      case "issues/list-labels-on-issue":
        return page(this.labels.map((l) => this.label(l)));
      case "issues/add-labels": {
        const raw = Array.isArray(body) ? body : Array.isArray(b.labels) ? b.labels : [];
        const names = (raw as unknown[]).map((l) => (typeof l === "string" ? l : String((l as Json)?.name)));
        for (const n of names) if (!this.labels.includes(n)) this.labels.push(n);
        return send(
          200,
          this.labels.map((l) => this.label(l)),
        );
      }
      case "issues/remove-label": {
        const name = params.name as string;
        if (!this.labels.includes(name))
          return send(404, { message: "Label does not exist", documentation_url: docs, status: "404" });
        this.labels = this.labels.filter((l) => l !== name);
        return send(
          200,
          this.labels.map((l) => this.label(l)),
        );
      }
      case "issues/list-for-repo": {
        const state = url.searchParams.get("state") ?? "open";
        const creator = url.searchParams.get("creator")?.toLowerCase();
        // A GitHub whose creator filter misses the bot account (the REST and GraphQL listings have
        // disagreed on how they name it): the filtered listing comes back empty.
        if (creator && this.creatorFilterMisses) return page([]);
        const items = [
          { number: this.number, state: "open", user: this.author, json: this.prAsIssueJson() as Json },
          ...this.issues.map((i) => ({
            number: i.number,
            state: i.state,
            user: i.user,
            json: this.issueJson(i) as Json,
          })),
        ].filter(
          (i) => (state === "all" || i.state === state) && (!creator || i.user.toLowerCase() === creator),
        );
        const asc = url.searchParams.get("direction") === "asc";
        items.sort((a, b) => (asc ? a.number - b.number : b.number - a.number));
        return page(items.map((i) => i.json));
      }
      case "issues/get": {
        const i = this.issues.find((x) => String(x.number) === params.issue_number);
        if (i) return send(200, this.issueJson(i));
        if (params.issue_number === String(this.number)) return send(200, this.prAsIssueJson());
        return notFound();
      }
      case "issues/create": {
        if (typeof b.title !== "string" || b.title === "")
          return send(422, { message: "Invalid request", documentation_url: docs });
        const refused = this.refuseIssueWrite(b);
        if (refused) return send(422, refused);
        const issue = this.issue(actor, b.title, typeof b.body === "string" ? b.body : "", {
          assignees: Array.isArray(b.assignees) ? (b.assignees as string[]) : [],
        });
        return send(201, this.issueJson(issue), {
          location: `${this.url}/repos/${this.owner}/${this.repo}/issues/${issue.number}`,
        });
      }
      case "issues/update": {
        const i = this.issues.find((x) => String(x.number) === params.issue_number);
        if (!i) return notFound();
        const refused = this.refuseIssueWrite(b);
        if (refused) return send(422, refused);
        if (typeof b.title === "string") i.title = b.title;
        if (typeof b.body === "string") i.body = b.body;
        if (Array.isArray(b.assignees)) i.assignees = b.assignees as string[];
        if (b.state === "closed" && i.state === "open") {
          i.state = "closed";
          i.stateReason = b.state_reason === "not_planned" ? "not_planned" : "completed";
          i.closedAt = this.tick();
        } else if (b.state === "open" && i.state === "closed") {
          i.state = "open";
          i.stateReason = "reopened";
          i.closedAt = null;
        }
        i.updatedAt = this.tick();
        return send(200, this.issueJson(i));
      }
      default:
        this.unmodelled.push(`${method} ${op.template} (${op.operationId})`);
        return notFound();
    }
  }
}
