import type { NextFunction, Request, Response } from 'express';
import { CommonErrorCode, CommonException } from '../errors/common.exception';

/** Deeper than any request this API takes; bounds the work of every later walk over a body. */
export const MAX_JSON_DEPTH = 16;

/** A NUL (PostgreSQL text cannot hold it) or a surrogate half without its pair (not encodable as UTF-8). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Names every object inherits (`constructor`, `toString`, `__proto__`…). No field has such a
 * name, and class-validator's whitelist takes them for declared properties, so they are refused here.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

function problemIn(value: unknown, where: string, depth: number): string | undefined {
  if (typeof value === 'string') {
    return UNSTORABLE.test(value) ? `${where} must not contain NUL characters or unpaired surrogates` : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return `${where.split(/[.[]/)[0]} is nested deeper than ${MAX_JSON_DEPTH} levels`;
  for (const key of Object.keys(value)) {
    const path = Array.isArray(value) ? `${where}[${key}]` : `${where}.${key}`;
    if (UNSTORABLE.test(key)) return `${where} has a field name with NUL characters or unpaired surrogates`;
    if (!Array.isArray(value) && INHERITED_NAMES.has(key)) return `property ${path} should not exist`;
    const found = problemIn((value as Record<string, unknown>)[key], path, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function decodedPath(req: Request): string {
  try {
    return decodeURIComponent(req.path);
  } catch {
    return ''; // The router answers a malformed escape with its own 400.
  }
}

/**
 * One check of everything a client sends that the app reads as text (the parsed JSON body, the
 * query string, the path), before any guard, pipe or SQL sees it: 400 VALIDATION_FAILED.
 */
export function inputScreen(req: Request, _res: Response, next: NextFunction): void {
  const problem =
    problemIn(req.body, 'body', 0) ??
    problemIn(req.query, 'query', 1) ??
    (UNSTORABLE.test(decodedPath(req)) ? 'the path must not contain NUL characters' : undefined);
  if (!problem) return next();
  next(Object.assign(new CommonException(CommonErrorCode.VALIDATION_FAILED, problem), { details: [problem] }));
}
