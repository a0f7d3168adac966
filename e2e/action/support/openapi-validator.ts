import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validation of requests (and of our own mock responses) against GitHub's published OpenAPI
 * description, so that a test fails on any request the real API would reject, not only on
 * the ones a hand-written mock happens to check.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiSpec {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const SPEC_FILE = path.resolve(
  __dirname,
  '../../../node_modules/@octokit/openapi/generated/api.github.com.deref.json',
);
let cachedSpec: OpenApiSpec | undefined;

/**
 * Loads api.github.com.deref.json (73 MB, about 1 s) once per module registry, which jest
 * gives each test file: one load per test file. Only that file is read.
 */
export function loadGitHubSpec(): OpenApiSpec {
  cachedSpec ??= require(SPEC_FILE) as OpenApiSpec;
  return cachedSpec;
}

/**
 * OpenAPI 3.0 `nullable: true` is not JSON Schema: rewrite it into a type that admits null,
 * on a copy, so the shared spec object stays untouched.
 */
export function rewriteNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    // `example(s)` can be large and never matter for validation.
    if (k === 'nullable' || k === 'example' || k === 'examples') continue;
    out[k] =
      k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)
        ? mapValues(v, rewriteNullable)
        : rewriteNullable(v);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function mapValues(obj: { [key: string]: Json }, fn: (v: Json) => Json): { [key: string]: Json } {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

export interface RouteMatch {
  template: string;
  operation: Operation;
  params: Record<string, string>;
}

export interface RequestToValidate {
  method: string;
  /** Path with query string, as received (e.g. `/repos/o/r/check-runs?x=1`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text ('' when none). */
  body: string;
}

export interface ValidationResult {
  match?: RouteMatch;
  /** Parsed JSON body (undefined when there was none or it did not parse). */
  json?: unknown;
  errors: string[];
}

const COLUMN_RULE = 'start_column/end_column are only allowed when start_line == end_line';
const MAX_ANNOTATION_TEXT = 64 * 1024;

export class GitHubRequestValidator {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly spec: OpenApiSpec = loadGitHubSpec()) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    for (const name of ['timestamp', 'repo.nwo']) this.ajv.addFormat(name, true);
    this.routes = Object.keys(spec.paths)
      .map((template) => {
        const names: string[] = [];
        const pattern = template
          .split('/')
          .map((segment) =>
            segment.replace(/\{([^}]+)\}|[^{}]+/g, (m, name?: string) => {
              if (name) {
                names.push(name);
                return '([^/]+)';
              }
              return m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            }),
          )
          .join('/');
        const literalSegments = template.split('/').filter((s) => s && !s.includes('{')).length;
        return { template, regex: new RegExp(`^${pattern}$`), names, literalSegments };
      })
      // The most literal template wins (`/check-runs/{id}/annotations` over a bare `{param}`).
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Finds the operation for a method and a path (no query string). */
  match(method: string, pathname: string): RouteMatch | undefined {
    for (const route of this.routes) {
      const m = route.regex.exec(pathname);
      if (!m) continue;
      const operation = this.spec.paths[route.template]?.[method.toLowerCase()];
      if (!operation) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return { template: route.template, operation, params };
    }
    return undefined;
  }

  /** Every reason the real API would refuse this request; an empty list means it is valid. */
  validateRequest(request: RequestToValidate): ValidationResult {
    const url = new URL(request.url, 'http://127.0.0.1');
    const method = request.method.toUpperCase();
    const errors: string[] = [];
    const match = this.match(method, url.pathname);
    if (!match) return { errors: [`${method} ${url.pathname}: no such operation in GitHub's REST API`] };
    const where = `${method} ${match.template}`;
    if (!header(request.headers, 'user-agent'))
      errors.push(`${where}: missing User-Agent header (GitHub answers 403)`);
    const auth = header(request.headers, 'authorization');
    if (!auth || !/^(Bearer|token) \S+$/.test(auth))
      errors.push(`${where}: missing or malformed Authorization header`);

    for (const param of match.operation.parameters ?? []) {
      if (param.in !== 'path' && param.in !== 'query') continue;
      const raw =
        param.in === 'path' ? match.params[param.name] : (url.searchParams.get(param.name) ?? undefined);
      if (raw === undefined) {
        if (param.required) errors.push(`${where}: missing ${param.in} parameter ${param.name}`);
        continue;
      }
      if (param.schema) {
        const value = coerce(raw, param.schema);
        const validate = this.compile(`param:${where}:${param.name}`, param.schema);
        if (!validate(value)) errors.push(...formatErrors(`${where} ${param.in} ${param.name}`, validate));
      }
    }

    let json: unknown;
    const bodySchema = match.operation.requestBody?.content?.['application/json']?.schema;
    if (request.body.length > 0) {
      try {
        json = JSON.parse(request.body);
      } catch {
        errors.push(`${where}: body is not valid JSON`);
      }
    }
    if (bodySchema) {
      if (json === undefined && match.operation.requestBody?.required && request.body.length === 0) {
        errors.push(`${where}: request body is required`);
      } else if (json !== undefined) {
        const validate = this.compile(`body:${where}`, bodySchema);
        if (!validate(json)) errors.push(...formatErrors(`${where} body`, validate));
      }
    }
    if (json !== undefined && /\/check-runs/.test(match.template)) errors.push(...checkRunRules(where, json));
    return { match, json, errors };
  }

  /** Validates a response we are about to send, so the stand-in's answers stay realistic. */
  validateResponse(match: RouteMatch, method: string, status: number, body: unknown): string[] {
    const schema = match.operation.responses?.[String(status)]?.content?.['application/json']?.schema;
    if (!schema) return [];
    const validate = this.compile(`response:${method} ${match.template} ${status}`, schema);
    return validate(body) ? [] : formatErrors(`response ${status} of ${method} ${match.template}`, validate);
  }

  private compile(id: string, schema: Schema): ValidateFunction {
    let validate = this.compiled.get(id);
    if (!validate) {
      validate = this.ajv.compile(rewriteNullable(schema) as Schema);
      this.compiled.set(id, validate);
    }
    return validate;
  }
}

/**
 * Rules the Checks API documents in prose but its schema does not encode; the real API refuses
 * or silently mangles such requests.
 */
function checkRunRules(where: string, body: unknown): string[] {
  const errors: string[] = [];
  const run = body as { status?: unknown; completed_at?: unknown; conclusion?: unknown } | null;
  if (run && (run.status === 'completed' || run.completed_at !== undefined) && run.conclusion === undefined) {
    errors.push(
      `${where} body: must have required property 'conclusion' when status is completed or completed_at is set`,
    );
  }
  const annotations = (body as { output?: { annotations?: unknown } })?.output?.annotations;
  if (!Array.isArray(annotations)) return errors;
  annotations.forEach((a: Record<string, unknown>, i) => {
    const at = `${where} body/output/annotations/${i}`;
    const start = a.start_line as number;
    const end = a.end_line as number;
    if (typeof start === 'number' && typeof end === 'number') {
      if (start < 1) errors.push(`${at}: start_line must be >= 1`);
      if (end < start) errors.push(`${at}: end_line must be >= start_line`);
      if (start !== end && (a.start_column !== undefined || a.end_column !== undefined))
        errors.push(`${at}: ${COLUMN_RULE}`);
    }
    if (typeof a.title === 'string' && a.title.length > 255)
      errors.push(`${at}: title is longer than 255 characters`);
    for (const field of ['message', 'raw_details']) {
      const v = a[field];
      if (typeof v === 'string' && Buffer.byteLength(v) > MAX_ANNOTATION_TEXT)
        errors.push(`${at}: ${field} is larger than 64 KB`);
    }
  });
  return errors;
}

function header(headers: RequestToValidate['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function coerce(raw: string, schema: Schema): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw)))
    return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function formatErrors(where: string, validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${JSON.stringify(e.params)})` : '';
    const allowed =
      e.keyword === 'enum'
        ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
        : '';
    return `${where}${e.instancePath}: ${e.message}${allowed}${extra}`;
  });
}
