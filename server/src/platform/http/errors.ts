import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { z } from "zod";

/** The one error shape every endpoint returns. */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
    requestId: z.string().optional(),
  }),
});

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);
export const forbidden = (message = "You do not have permission to do that") => new AppError(403, "forbidden", message);
export const conflict = (message: string, fields?: Record<string, string[]>) => new AppError(409, "conflict", message, fields);
export const badRequest = (message: string, fields?: Record<string, string[]>) =>
  new AppError(400, "validation_failed", message, fields);

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/**
 * Maps PostgreSQL constraint errors to client errors so bad input never becomes a 500.
 * Drizzle wraps driver errors, so the PostgreSQL error may be the `cause`.
 */
function fromPg(raw: PgError & { cause?: unknown }): AppError | null {
  const err = (raw.cause && typeof raw.cause === "object" && "code" in raw.cause ? raw.cause : raw) as PgError;
  switch (err.code) {
    case "23505":
      return conflict(`Conflicts with an existing record${err.constraint ? ` (${err.constraint})` : ""}`);
    case "23503":
      return conflict("Refers to a record that does not exist or is still in use");
    case "22P02":
    case "22003":
    case "22007":
    case "22008":
      return badRequest("Invalid value");
    default:
      return null;
  }
}

/** `spaIndexHtml`: when the web app is served, unknown GETs outside /api get index.html. */
export function registerErrorHandling(app: FastifyInstance, opts: { spaIndexHtml?: Buffer } = {}) {
  app.setErrorHandler((err: FastifyError & PgError, req, reply) => {
    const send = (status: number, code: string, message: string, fields?: Record<string, string[]>) =>
      reply.status(status).send({ error: { code, message, fields, requestId: req.id } });

    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return send(err.statusCode, err.code, err.message, err.fields);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields: Record<string, string[]> = {};
      for (const v of err.validation) {
        const key = v.instancePath.replace(/^\//, "").replaceAll("/", ".") || err.validationContext || "body";
        (fields[key] ??= []).push(v.message ?? "invalid");
      }
      return send(400, "validation_failed", "The request has invalid fields", fields);
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause }, "response did not match its schema");
      return send(500, "internal", "Internal error");
    }
    const pgErr = fromPg(err);
    if (pgErr) return send(pgErr.statusCode, pgErr.code, pgErr.message);
    switch (err.code) {
      case "FST_ERR_CTP_INVALID_JSON_BODY":
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return send(400, "invalid_json", "The request body is not valid JSON");
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return send(413, "body_too_large", "The request body is too large");
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return send(415, "unsupported_media_type", "Send JSON (Content-Type: application/json)");
      case "FST_ERR_RATE_LIMIT_EXCEEDED":
        return send(429, "too_many_requests", err.message);
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(err.statusCode, "bad_request", err.message);
    }
    req.log.error({ err }, "unhandled error");
    return send(500, "internal", "Internal error");
  });

  app.setNotFoundHandler((req, reply) => {
    if (opts.spaIndexHtml && req.method === "GET" && !req.url.startsWith("/api/")) {
      return reply.type("text/html").header("cache-control", "no-cache").send(opts.spaIndexHtml);
    }
    return reply.status(404).send({ error: { code: "not_found", message: `No route ${req.method} ${req.url}`, requestId: req.id } });
  });
}
