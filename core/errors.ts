/**
 * Domain errors carry a stable snake_case `code` (part of the API and CLI output) and a message that tells the
 * user what to do. They are mapped to HTTP statuses in one place (api/) and to per-file results in the CLI.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, code = 'not_found') {
    super(code, `${what} not found / 未找到`, 404);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** The `{ code, message }` pair every surface (CLI JSON, API, recording rows) reports for a failure. */
export function errorInfo(err: unknown): { code: string; message: string } {
  if (isAppError(err)) return { code: err.code, message: err.message };
  return { code: 'internal_error', message: err instanceof Error ? err.message : String(err) };
}
