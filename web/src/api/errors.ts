/**
 * Errors from the API as the user should read them. The API answers RFC 9457 problem documents
 * (`title`, `detail`, `status`, and mixwise's `code` and `hint`); FastAPI's own validation errors
 * (`detail: [{loc, msg}]`) and network failures are mapped into the same shape.
 */

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly code?: string;
  readonly hint?: string;
  readonly fieldErrors: FieldError[];

  constructor(opts: { status: number; title: string; detail?: string; code?: string; hint?: string; fieldErrors?: FieldError[] }) {
    super(opts.detail || opts.title);
    this.name = "ApiError";
    this.status = opts.status;
    this.title = opts.title;
    this.detail = opts.detail ?? "";
    this.code = opts.code;
    this.hint = opts.hint;
    this.fieldErrors = opts.fieldErrors ?? [];
  }

  /** Build from a response status and its parsed JSON body (anything). */
  static fromBody(status: number, body: unknown): ApiError {
    const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    const fieldErrors: FieldError[] = [];
    const collect = (list: unknown) => {
      if (!Array.isArray(list)) return;
      for (const item of list) {
        if (!item || typeof item !== "object") continue;
        const it = item as Record<string, unknown>;
        const loc = Array.isArray(it.loc) ? it.loc.filter((x) => x !== "body").join(".") : str(it.field) ?? str(it.pointer) ?? "";
        fieldErrors.push({ field: loc, message: str(it.msg) ?? str(it.message) ?? str(it.detail) ?? JSON.stringify(it) });
      }
    };
    collect(b.errors);
    collect(b.findings);
    if (Array.isArray(b.detail)) collect(b.detail);
    const detail = str(b.detail) ?? (fieldErrors.length ? "Some fields are not valid." : typeof body === "string" ? body : "");
    const title = str(b.title) ?? defaultTitle(status);
    return new ApiError({ status, title, detail, code: str(b.code), hint: str(b.hint), fieldErrors });
  }

  /** Anything thrown -> an ApiError (network errors become status 0). */
  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    if (err instanceof Error) {
      return new ApiError({ status: 0, title: "Cannot reach the mixwise server", detail: err.message, hint: "Is `mixwise serve` running?" });
    }
    return new ApiError({ status: 0, title: "Something went wrong", detail: String(err) });
  }

  /** The message to show next to a form field, if the problem names one. */
  messageFor(field: string): string | undefined {
    return this.fieldErrors.find((f) => f.field === field || f.field.endsWith(`.${field}`))?.message;
  }
}

function defaultTitle(status: number): string {
  if (status === 401) return "Not signed in: the API key is missing or not valid";
  if (status === 403) return "Not allowed";
  if (status === 404) return "Not found";
  if (status === 409) return "Conflict";
  if (status === 413) return "The file is too large";
  if (status === 422) return "Some input is not valid";
  if (status >= 500) return "The server failed";
  return `Request failed (${status})`;
}
