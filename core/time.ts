const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** YYYY-MM-DD of an instant in Asia/Shanghai (UTC+8, no DST): the calendar day reps report in. */
export function shanghaiDay(d: Date): string {
  return new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);
}

/** The calendar day after/before a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/** Shanghai wall-clock time for what people read (messages, reports): 2026-03-03 12:00. */
export function shanghaiTime(d: Date): string {
  return new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
}

/** ISO 8601 in Shanghai time, whole seconds, explicit offset: 2026-09-03T10:20:00+08:00. */
export function shanghaiIso(d: Date): string {
  return `${new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;
}

export function isDay(s: unknown): s is string {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && addDays(s, 0) === s;
}

export function addHours(d: Date, hours: number): Date {
  return new Date(d.getTime() + hours * HOUR);
}
