/** The structured logger every layer writes to (pino in production, the request's logger in the API). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
