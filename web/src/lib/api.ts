/**
 * The one HTTP client of the console. Same-origin JSON under /api; the session
 * cookie authenticates, and every write echoes the session's CSRF token.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]>; requestId?: string };
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== "object" || v === null || !("error" in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

let csrfToken: string | null = null;
/** Kept from the login / me response; sent as `x-csrf-token` on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let onUnauthorized: (() => void) | null = null;
/** Called on any 401 (except a failed login): the app clears its cache and goes to /login. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

export function buildQuery(params?: QueryParams): string {
  if (!params) return "";
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export async function apiFetch<T>(path: string, opts: { method?: Method; body?: unknown; query?: QueryParams; signal?: AbortSignal } = {}): Promise<T> {
  const method = opts.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  // A Blob (a File) is sent as it is: the browser streams it from disk.
  const raw = opts.body instanceof Blob;
  if (opts.body !== undefined) headers["content-type"] = raw ? "application/octet-stream" : "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;

  let res: Response;
  try {
    res = await fetch(`/api${path}${buildQuery(opts.query)}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : raw ? (opts.body as Blob) : JSON.stringify(opts.body),
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "Could not reach the server. Check your connection and try again.");
  }

  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const requestId = res.headers.get("x-request-id") ?? undefined;
    if (res.status === 401 && path !== "/auth/login") {
      csrfToken = null;
      onUnauthorized?.();
    }
    if (isErrorBody(data)) {
      const e = data.error;
      throw new ApiError(res.status, e.code, e.message, e.fields, e.requestId ?? requestId);
    }
    throw new ApiError(res.status, `http_${res.status}`, res.statusText || `Request failed (${res.status})`, undefined, requestId);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => apiFetch<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiFetch<T>(path, { method: "POST", body }),
  /** POSTs a file as the raw request body, options in the query string. */
  upload: <T>(path: string, file: Blob, query?: QueryParams) => apiFetch<T>(path, { method: "POST", body: file, query }),
  patch: <T>(path: string, body: unknown) => apiFetch<T>(path, { method: "PATCH", body }),
  put: <T>(path: string, body: unknown) => apiFetch<T>(path, { method: "PUT", body }),
  del: <T>(path: string) => apiFetch<T>(path, { method: "DELETE" }),
};

/** Field errors of an API error, for showing next to form fields. */
export function fieldErrors(err: unknown): Record<string, string[]> {
  return err instanceof ApiError && err.fields ? err.fields : {};
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return "Something went wrong";
}
