import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/* The served document as plain JSON. */
type Json = Record<string, any>;

/** What the service answers before any route is matched: body-parser errors and unknown routes. */
const BEFORE_ROUTING = new Set([400, 404, 413, 415]);
/** The Swagger module serves these itself; they are not operations of the document. */
const DOCS_PATH = /^\/docs(-json|-yaml)?(\/|$)/;
const SCHEMAS = '#/components/schemas/';

/** One response as a test received it. */
export interface ObservedResponse {
  method: string;
  /** A path, or a full URL; the query string is ignored. */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (anything for other media types). */
  body: unknown;
}

interface Route {
  template: string;
  pattern: RegExp;
  literals: number;
  item: Json;
}

/**
 * Checks responses against the OpenAPI 3.1 document the app serves: the status must be declared
 * for the operation, the media type must be one it declares, and a JSON body must match the
 * schema (JSON Schema 2020-12, formats included). Nothing is loosened: a response the document
 * does not describe is a failure.
 */
export class OpenApiValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly defs: Json;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.defs = JSON.parse(JSON.stringify(document.components?.schemas ?? {}).replaceAll(`"${SCHEMAS}`, '"#/$defs/'));
    this.routes = Object.entries<Json>(document.paths)
      .map(([template, item]) => ({
        template,
        item,
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
      }))
      .sort((a, b) => b.literals - a.literals);
  }

  /** What is wrong with the response; empty when the document describes it. */
  check(response: ObservedResponse): string[] {
    const method = response.method.toLowerCase();
    const path = new URL(response.url, 'http://test.invalid').pathname;
    const label = `${response.method.toUpperCase()} ${path} → ${response.status}`;
    if (DOCS_PATH.test(path)) return [];
    const route = this.routes.find((r) => r.pattern.test(path) && r.item[method]);
    if (!route) {
      if (!BEFORE_ROUTING.has(response.status)) return [`${label}: no operation in the OpenAPI document matches`];
      return this.checkBody(label, `unrouted ${response.status}`, { $ref: `${SCHEMAS}ErrorBody` }, response.body);
    }
    const operation: Json = route.item[method];
    const declared: Json | undefined =
      operation.responses?.[String(response.status)] ?? operation.responses?.[`${String(response.status)[0]}XX`] ?? operation.responses?.default;
    if (!declared) {
      const statuses = Object.keys(operation.responses ?? {}).join(', ');
      return [`${label}: status ${response.status} is not documented for ${method.toUpperCase()} ${route.template} (documented: ${statuses})`];
    }
    const contentType = header(response.headers, 'content-type')?.split(';')[0].trim().toLowerCase();
    const content: Json = declared.content ?? {};
    if (Object.keys(content).length === 0) {
      return contentType === 'application/json' ? [`${label}: a JSON body where the document declares none`] : [];
    }
    const media = contentType ? content[contentType] : undefined;
    if (!media) return [`${label}: content type ${contentType ?? '(none)'} is not one of ${Object.keys(content).join(', ')}`];
    if (contentType !== 'application/json') return [];
    return this.checkBody(label, `${method} ${route.template} ${response.status}`, media.schema ?? {}, response.body);
  }

  /** Throws with every problem, for use inside a supertest assertion. */
  assert(response: ObservedResponse): void {
    const problems = this.check(response);
    if (problems.length > 0) throw new Error(`response does not match the OpenAPI document:\n  ${problems.join('\n  ')}`);
  }

  private checkBody(label: string, key: string, schema: Json, body: unknown): string[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      const local = JSON.parse(JSON.stringify(schema).replaceAll(`"${SCHEMAS}`, '"#/$defs/'));
      validate = this.ajv.compile({ ...local, $defs: this.defs });
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    const shown = JSON.stringify(body);
    return (validate.errors ?? []).map(
      (e) => `${label}: body${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''} (body: ${shown.length > 300 ? `${shown.slice(0, 300)}…` : shown})`,
    );
  }
}

function header(headers: ObservedResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
