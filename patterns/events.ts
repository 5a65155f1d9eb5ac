import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { type MalformedLine, type MiningEvent, type StepId } from './types.ts';
import { STAGE_IDS } from '../core/stages.ts';

/**
 * Step codes: behaviours 0..7, stages 8..15. Timelines sort by (time, code), so at one instant behaviours come
 * before stages — matching beforeStage's "at or before the stage" — and ties never depend on input order.
 */
export const STEP_IDS: readonly StepId[] = [...BEHAVIOR_IDS, ...STAGE_IDS];
export const STEP_COUNT = STEP_IDS.length;
export const STAGE_BASE = BEHAVIOR_IDS.length;
const STEP_CODE = new Map<string, number>(STEP_IDS.map((s, i) => [s, i]));
export const WON_CODE = STEP_CODE.get('won')!;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const HOUR_MS = 3_600_000;

/** Columnar, integer-encoded events: 1 M events fit in ~30 MB instead of 1 M objects. */
export interface EventTable {
  size: number;
  rep: Int32Array;
  lead: Int32Array;
  /** -1 when absent. */
  customerType: Int32Array;
  customerRole: Int32Array;
  /** Hours since the epoch. */
  time: Float64Array;
  step: Uint8Array;
  /** NaN unless a `won` event. */
  amount: Float64Array;
  reps: string[];
  leads: string[];
  customerTypes: string[];
  customerRoles: string[];
}

class Interner {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  id(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

type Checked = { ok: true; event: MiningEvent; time: number; step: number } | { ok: false; code: string; message: string };

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/** Validates one parsed JSON value as a mining event. */
export function checkEvent(value: unknown): Checked {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, code: 'not_an_object', message: '每行必须是一个 JSON 对象 / each line must be a JSON object' };
  }
  const e = value as Record<string, unknown>;
  for (const field of ['rep', 'lead', 'at', 'type', 'name'] as const) {
    if (!nonEmptyString(e[field])) {
      return { ok: false, code: 'missing_field', message: `缺少字段或不是非空字符串: ${field} / missing or empty field "${field}"` };
    }
  }
  for (const field of ['customerType', 'customerRole'] as const) {
    if (e[field] !== undefined && e[field] !== null && typeof e[field] !== 'string') {
      return { ok: false, code: 'invalid_field', message: `${field} 必须是字符串 / "${field}" must be a string` };
    }
  }
  const at = e.at as string;
  // A time without an offset is China time, not whatever zone the server runs in.
  const ms = ISO_TIME.test(at) ? Date.parse(HAS_OFFSET.test(at) ? at : `${at}+08:00`) : NaN;
  if (!Number.isFinite(ms)) {
    return { ok: false, code: 'invalid_time', message: `时间格式无效: ${at}，请使用 ISO 8601，如 2026-01-05T10:00:00+08:00 / "at" must be ISO 8601` };
  }
  const name = e.name as string;
  const code = STEP_CODE.get(name);
  if (e.type === 'stage') {
    if (code === undefined || code < STAGE_BASE) {
      return { ok: false, code: 'unknown_stage', message: `未知阶段: ${name}，可用: ${STAGE_IDS.join(', ')} / unknown stage` };
    }
  } else if (e.type === 'behavior') {
    if (code === undefined || code >= STAGE_BASE) {
      return { ok: false, code: 'unknown_behavior', message: `未知行为: ${name}，可用: ${BEHAVIOR_IDS.join(', ')} / unknown behaviour` };
    }
  } else {
    return { ok: false, code: 'unknown_type', message: `type 必须是 "behavior" 或 "stage"，收到 ${String(e.type)} / unknown type` };
  }
  if (code === WON_CODE && !(typeof e.amount === 'number' && Number.isFinite(e.amount) && e.amount >= 0)) {
    return { ok: false, code: 'invalid_amount', message: 'won 事件需要非负数字 amount / a "won" event needs a non-negative numeric "amount"' };
  }
  return { ok: true, event: e as unknown as MiningEvent, time: ms / HOUR_MS, step: code };
}

/** Accumulates events line by line (streaming-friendly) into an EventTable; bad lines are recorded, never thrown. */
export class EventTableBuilder {
  readonly malformed: MalformedLine[] = [];
  private size = 0;
  private cap: number;
  private rep: Int32Array;
  private lead: Int32Array;
  private ctype: Int32Array;
  private role: Int32Array;
  private time: Float64Array;
  private step: Uint8Array;
  private amount: Float64Array;
  private readonly reps = new Interner();
  private readonly leads = new Interner();
  private readonly ctypes = new Interner();
  private readonly roles = new Interner();

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.rep = new Int32Array(this.cap);
    this.lead = new Int32Array(this.cap);
    this.ctype = new Int32Array(this.cap);
    this.role = new Int32Array(this.cap);
    this.time = new Float64Array(this.cap);
    this.step = new Uint8Array(this.cap);
    this.amount = new Float64Array(this.cap);
  }

  /** Parses one JSONL line; blank lines are ignored. */
  addLine(text: string, line: number): void {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.malformed.push({ line, code: 'invalid_json', message: `JSON 解析失败 / invalid JSON: ${(err as Error).message}` });
      return;
    }
    this.addValue(value, line);
  }

  addValue(value: unknown, line: number): void {
    const c = checkEvent(value);
    if (!c.ok) {
      this.malformed.push({ line, code: c.code, message: c.message });
      return;
    }
    if (this.size === this.cap) this.grow();
    const i = this.size++;
    const e = c.event;
    this.rep[i] = this.reps.id(e.rep);
    this.lead[i] = this.leads.id(e.lead);
    this.ctype[i] = nonEmptyString(e.customerType) ? this.ctypes.id(e.customerType) : -1;
    this.role[i] = nonEmptyString(e.customerRole) ? this.roles.id(e.customerRole) : -1;
    this.time[i] = c.time;
    this.step[i] = c.step;
    this.amount[i] = c.step === WON_CODE ? (e.amount as number) : NaN;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.rep = g(this.rep);
    this.lead = g(this.lead);
    this.ctype = g(this.ctype);
    this.role = g(this.role);
    this.time = g(this.time);
    this.step = g(this.step);
    this.amount = g(this.amount);
  }

  build(): EventTable {
    const n = this.size;
    return {
      size: n,
      rep: this.rep.subarray(0, n),
      lead: this.lead.subarray(0, n),
      customerType: this.ctype.subarray(0, n),
      customerRole: this.role.subarray(0, n),
      time: this.time.subarray(0, n),
      step: this.step.subarray(0, n),
      amount: this.amount.subarray(0, n),
      reps: this.reps.names,
      leads: this.leads.names,
      customerTypes: this.ctypes.names,
      customerRoles: this.roles.names,
    };
  }
}

/** Parses a whole JSONL text. Malformed lines carry their 1-based line numbers. */
export function parseEventsJsonl(text: string): { table: EventTable; malformed: MalformedLine[] } {
  const b = new EventTableBuilder(Math.max(1024, text.length >> 7));
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    b.addLine(line === 1 ? raw.replace(/^\uFEFF/, '') : raw, line);
    start = end + 1;
    line++;
  }
  return { table: b.build(), malformed: b.malformed };
}

/** Encodes event objects (e.g. from the database); `line` in reports is the 1-based array position. */
export function tableFromEvents(events: readonly unknown[]): { table: EventTable; malformed: MalformedLine[] } {
  const b = new EventTableBuilder(events.length);
  events.forEach((e, i) => b.addValue(e, i + 1));
  return { table: b.build(), malformed: b.malformed };
}
