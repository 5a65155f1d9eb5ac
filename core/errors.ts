import type { ErrorCode } from './error-codes.ts';

/**
 * Domain errors know their kind, never their transport: a stable `code` (part of the API and CLI output) and a
 * message that tells the user what to do, Chinese first. api/plugins/errors.ts maps kinds to HTTP statuses, the CLI
 * to per-file results, and workers decide from the kind whether a retry can help (isPermanent).
 */
export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export type ErrorKind =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'unsupported_media'
  | 'checkpoint'
  | 'configuration'
  | 'dependency_unavailable';

/** The request or file is malformed or out of range: fix it and send it again. */
export class InvalidInputError extends AppError {
  readonly kind = 'invalid_input';
}

/** No credentials, or credentials we do not accept. */
export class UnauthorizedError extends AppError {
  readonly kind = 'unauthorized';
}

/** Known caller, not allowed to do this. */
export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
}

/** The thing does not exist, or not for this caller (another tenant's id is not found, never forbidden). */
export class NotFoundError extends AppError {
  readonly kind = 'not_found';
}

/** The request is valid but the current state does not allow it (already decided, not analyzed yet …). */
export class ConflictError extends AppError {
  readonly kind = 'conflict';
}

/** Over a size or length limit. */
export class TooLargeError extends AppError {
  readonly kind = 'too_large';
}

/** The caller failed too often (keys, sign-ins): wait for the window to pass. */
export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited';
}

/** Content we recognise but cannot process (not audio, an unsupported codec, a damaged file). */
export class UnsupportedMediaError extends AppError {
  readonly kind = 'unsupported_media';
}

/** This installation lacks something (a model, a binary, a valid lexicon): retrying will not conjure it. */
export class ConfigurationError extends AppError {
  readonly kind = 'configuration';
}

/** Something we depend on (database, queue, network, an external process) failed or is down: retry later. */
export class DependencyUnavailableError extends AppError {
  readonly kind = 'dependency_unavailable';
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Bad input fails the same way on every retry; only an unavailable dependency (or an unknown error) may heal. */
export function isPermanent(err: unknown): boolean {
  return isAppError(err) && err.kind !== 'dependency_unavailable';
}

/** The `{ code, message }` pair every surface (CLI JSON, API, recording rows) reports for a failure. */
export function errorInfo(err: unknown): { code: ErrorCode; message: string } {
  if (isAppError(err)) return { code: err.code, message: err.message };
  return { code: 'internal_error', message: err instanceof Error ? err.message : String(err) };
}
