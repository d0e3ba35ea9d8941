/** RFC 9457 problems, normalised: every failed call becomes an ApiProblem with a stable `code`, the
 * field errors keyed by form field, and the request id for support. */

export interface FieldProblem {
  /** The JSON pointer the service sent, e.g. "/body/name". */
  pointer: string;
  /** The form field it names ("name", "items.0.code"), or null when it is not in the body. */
  field: string | null;
  code: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  instance?: string | null;
  code?: string;
  errors?: { pointer?: string; code?: string; message?: string }[] | null;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | null;
  readonly type: string | null;
  readonly errors: FieldProblem[];
  readonly requestId: string | null;

  constructor(init: {
    status: number;
    code: string;
    title?: string | null;
    detail?: string | null;
    type?: string | null;
    errors?: FieldProblem[];
    requestId?: string | null;
  }) {
    super(init.detail || init.title || init.code);
    this.name = "ApiProblem";
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? "";
    this.detail = init.detail ?? null;
    this.type = init.type ?? null;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId ?? null;
  }

  get fieldErrors(): FieldProblem[] {
    return this.errors.filter((e) => e.field !== null);
  }
}

/** "/body/name" -> "name"; "/body/items/0/code" -> "items.0.code"; anything outside the body -> null. */
export function pointerToField(pointer: string): string | null {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (parts[0] !== "body" || parts.length < 2) return null;
  return parts.slice(1).join(".");
}

const STATUS_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  412: "precondition_failed",
  413: "payload_too_large",
  422: "validation_failed",
  428: "precondition_required",
  429: "too_many_requests",
  500: "internal_error",
  502: "upstream_unavailable",
  503: "upstream_unavailable",
  504: "upstream_unavailable",
};

/** A problem from an HTTP answer: its parsed body (openapi-fetch's `error`), whatever shape it has. */
export function problemFromResponse(response: Response, body: unknown): ApiProblem {
  const requestId = response.headers.get("X-Request-ID");
  const status = response.status;
  const doc: ProblemBody = typeof body === "object" && body !== null ? (body as ProblemBody) : {};
  const errors: FieldProblem[] = Array.isArray(doc.errors)
    ? doc.errors.map((e) => {
        const pointer = typeof e.pointer === "string" ? e.pointer : "";
        return {
          pointer,
          field: pointerToField(pointer),
          code: typeof e.code === "string" ? e.code : "invalid",
          message: typeof e.message === "string" ? e.message : "",
        };
      })
    : [];
  return new ApiProblem({
    status,
    code: typeof doc.code === "string" && doc.code ? doc.code : (STATUS_CODES[status] ?? `http_${status}`),
    title: typeof doc.title === "string" ? doc.title : response.statusText,
    detail: typeof doc.detail === "string" ? doc.detail : null,
    type: typeof doc.type === "string" ? doc.type : null,
    errors,
    requestId,
  });
}

/** Any thrown value as a problem: network failures and an ended session get codes of their own. */
export function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof Error && error.name === "SessionExpiredError") {
    return new ApiProblem({ status: 401, code: "session_expired", detail: error.message });
  }
  if (error instanceof Error && error.name === "AbortError") {
    return new ApiProblem({ status: 0, code: "aborted", detail: error.message });
  }
  return new ApiProblem({
    status: 0,
    code: "network_error",
    detail: error instanceof Error ? error.message : String(error),
  });
}

export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an openapi-fetch call, or an ApiProblem thrown. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  return (await unwrapWithEtag(call)).data;
}

/** The data and the ETag (to send back as If-Match). */
export async function unwrapWithEtag<T>(
  call: Promise<FetchResult<T>>,
): Promise<{ data: T; etag: string | null }> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (exc) {
    throw toProblem(exc);
  }
  if (!result.response.ok || result.error !== undefined) {
    throw problemFromResponse(result.response, result.error);
  }
  return { data: result.data as T, etag: result.response.headers.get("ETag") };
}
