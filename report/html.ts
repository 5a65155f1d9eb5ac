import { shanghaiTime } from '../core/time.ts';

/** Escaping and formatting shared by the report renderers. Every value from data passes through `esc`. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function pct(rate: number | null | undefined, digits = 0): string {
  if (rate == null || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

export function num(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return '—';
  return value.toFixed(digits).replace(/\.0+$/, '');
}

/** Hours as a short Chinese duration: "36 小时" below three days, "4.5 天" above. */
export function duration(hours: number | null | undefined): string {
  if (hours == null || !Number.isFinite(hours)) return '—';
  if (hours < 72) return `${Math.round(hours)} 小时`;
  return `${num(hours / 24, 1)} 天`;
}

export function money(yuan: number | null | undefined): string {
  if (yuan == null || !Number.isFinite(yuan)) return '—';
  if (Math.abs(yuan) >= 10_000) return `${num(yuan / 10_000, 1)} 万元`;
  return `${Math.round(yuan)} 元`;
}

/** "2026-11-03 14:30" in Asia/Shanghai, whatever the machine's time zone. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  return shanghaiTime(d);
}

export function clock(sec: number | null | undefined): string {
  if (sec == null || !Number.isFinite(sec)) return '';
  const s = Math.max(0, Math.floor(sec));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}
