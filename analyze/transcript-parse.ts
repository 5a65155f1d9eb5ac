import { InvalidInputError } from '../core/errors.ts';
import type { Segment, Speaker } from './types.ts';
import { inferLabelRoles } from './speakers.ts';

/**
 * Transcript files → segments, in order. Formats (full description with examples: docs/transcript-format.md):
 * - .txt: one utterance per non-empty line; optional start time `[mm:ss]`/`[hh:mm:ss]` (fractions allowed, 【】 too);
 *   optional speaker prefix before `：`/`:` — a role word (销售/客户/S/C/rep/customer …) or a name, mapped to a role by
 *   a header line `# 角色: 小宋=销售, 马院长=客户` (also `# speakers: …`). Other lines starting with `#` are comments.
 *   An unmapped name counts as a speaker only if it prefixes at least two lines (so "注意：…" stays text); its role
 *   is then inferred from everything that name said.
 * - .srt / .vtt: cue times; a prefix inside the cue text or a WebVTT voice tag `<v 销售>` names the speaker.
 * - .json: `{ "format": "tingjian-transcript", "version": 1, "speakers"?: {name: role}, "segments": [...] }`, a bare
 *   segment array, or whisper.cpp's `-oj` output.
 * Without explicit ends, a segment ends where the next one starts; the last one's end stays null. Speakers not
 * named here are 'unknown' and inferred later from the words (analyze/speakers.ts).
 */

/** Longer "lines" are not utterances but a whole call pasted without line breaks, or not a transcript at all. */
export const MAX_LINE_CHARS = 20_000;

/** Lower-cased extension with its dot (".txt"), or '' when the name has none; ingest/sniff.ts uses it too. */
export function extensionOf(fileName: string): string {
  const m = /\.[^./\\]+$/.exec(fileName);
  return m ? m[0].toLowerCase() : '';
}

export function parseTranscript(fileName: string, text: string): Segment[] {
  const ext = extensionOf(fileName);
  const body = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  let segments: Segment[];
  if (ext === '.txt') segments = parseTxt(body);
  else if (ext === '.srt' || ext === '.vtt') segments = parseCues(body, ext);
  else if (ext === '.json') segments = parseJson(body);
  else {
    throw new InvalidInputError(
      'unknown_extension',
      `不支持的文件类型 "${ext || '(无扩展名)'}" / unsupported file type: use .txt, .srt, .vtt, .json or an audio file`,
    );
  }
  if (segments.length === 0) {
    throw new InvalidInputError('empty_transcript', '转写文件里没有任何话语 / the transcript contains no utterances');
  }
  return segments;
}

// ---------- roles and prefixes ----------

const ROLE_WORDS: Record<string, Speaker> = {
  销售: 'rep', 销售员: 'rep', 销售顾问: 'rep', 业务员: 'rep', 业务: 'rep', 我方: 'rep',
  s: 'rep', rep: 'rep', sales: 'rep', seller: 'rep', agent: 'rep',
  客户: 'customer', 顾客: 'customer', 客人: 'customer', 买方: 'customer', 甲方: 'customer',
  c: 'customer', customer: 'customer', client: 'customer', buyer: 'customer',
  未知: 'unknown', 其他: 'unknown', unknown: 'unknown', other: 'unknown',
};

const ROLE_MAP = new Map(Object.entries(ROLE_WORDS));

/** Role named by a prefix or header word (销售, 客户, S, customer …); a Map so "constructor:" is just a name. */
export function roleWord(word: string): Speaker | undefined {
  return ROLE_MAP.get(word) ?? ROLE_MAP.get(word.trim().toLowerCase());
}

const HEADER = /^#\s*(角色|说话人|发言人|speakers?|roles?)\s*[:：]\s*(.+)$/i;
const PREFIX = /^([\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z0-9_·.\- ]{0,11}?)\s*[：:]\s*/u;
const TIME = /^[[【]\s*(?:(\d{1,2}):)?(\d{1,3}):(\d{2}(?:[.,]\d{1,3})?)\s*[\]】]\s*/;

function parseHeader(value: string, map: Map<string, Speaker>, lineNo: number): void {
  for (const pair of value.split(/[,，、;；]/)) {
    if (!pair.trim()) continue;
    const m = /^\s*(.+?)\s*[=＝]\s*(.+?)\s*$/.exec(pair);
    const role = m ? roleWord(m[2]) : undefined;
    if (!m || !role) {
      throw new InvalidInputError(
        'invalid_transcript',
        `第${lineNo}行角色说明无法识别 "${pair.trim()}" / line ${lineNo}: write roles as "# 角色: 小王=销售, 李总=客户"`,
      );
    }
    map.set(m[1], role);
  }
}

interface Raw {
  start: number | null;
  end: number | null;
  label: string | null;
  text: string;
  voice?: string;
}

/** Resolve labels: role words and header-mapped names directly, other names by what they said. */
function resolve(raws: Raw[], header: Map<string, Speaker>): Segment[] {
  const unmapped = new Map<string, string[]>();
  for (const r of raws) {
    if (r.label && !header.has(r.label) && !roleWord(r.label)) {
      const list = unmapped.get(r.label) ?? [];
      list.push(r.text);
      unmapped.set(r.label, list);
    }
  }
  const inferred = inferLabelRoles(unmapped);
  return raws.map((r) => {
    let speaker: Speaker = 'unknown';
    if (r.label) speaker = header.get(r.label) ?? roleWord(r.label) ?? inferred.get(r.label) ?? 'unknown';
    return { start: r.start, end: r.end, speaker, text: r.text, ...(r.voice ? { voice: r.voice } : {}) };
  });
}

/** Ends from the next start where the file gives none. */
function fillEnds(raws: Raw[]): void {
  for (let i = 0; i < raws.length; i++) {
    const next = raws[i + 1];
    if (raws[i].end === null && raws[i].start !== null && next && next.start !== null && next.start >= raws[i].start!) {
      raws[i].end = next.start;
    }
  }
}

// ---------- .txt ----------

function parseTxt(body: string): Segment[] {
  const header = new Map<string, Speaker>();
  const lines: Array<{ no: number; start: number | null; rest: string; prefix: RegExpExecArray | null }> = [];
  body.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (!t) return;
    if (t.length > MAX_LINE_CHARS) {
      throw new InvalidInputError(
        'line_too_long',
        `第${i + 1}行有${t.length}个字符，超过单行上限${MAX_LINE_CHARS} / line ${i + 1} is ${t.length} characters long (limit ${MAX_LINE_CHARS}): put one utterance per line`,
      );
    }
    if (t.startsWith('#')) {
      const h = HEADER.exec(t);
      if (h) parseHeader(h[2], header, i + 1);
      return;
    }
    const tm = TIME.exec(t);
    const start = tm ? Number(tm[1] ?? 0) * 3600 + Number(tm[2]) * 60 + Number(tm[3].replace(',', '.')) : null;
    const rest = tm ? t.slice(tm[0].length) : t;
    lines.push({ no: i + 1, start, rest, prefix: PREFIX.exec(rest) });
  });

  // A name is a speaker label when the header maps it, it is a role word, or it prefixes two or more lines.
  const prefixCounts = new Map<string, number>();
  for (const { prefix: p } of lines) {
    if (p) prefixCounts.set(p[1].trim(), (prefixCounts.get(p[1].trim()) ?? 0) + 1);
  }
  const isLabel = (name: string) => header.has(name) || !!roleWord(name) || (prefixCounts.get(name) ?? 0) >= 2;

  const raws: Raw[] = [];
  for (const l of lines) {
    const p = l.prefix;
    const label = p && isLabel(p[1].trim()) ? p[1].trim() : null;
    const text = label ? l.rest.slice(p![0].length).trim() : l.rest;
    if (!text) continue;
    raws.push({ start: l.start, end: null, label, text });
  }
  fillEnds(raws);
  return resolve(raws, header);
}

// ---------- .srt / .vtt ----------

const CUE_TIME =
  /^\s*((?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})/;

function cueSeconds(s: string): number {
  const parts = s.replace(',', '.').split(':').map(Number);
  return parts.reduce((acc, v) => acc * 60 + v, 0);
}

function parseCues(body: string, ext: '.srt' | '.vtt'): Segment[] {
  const blocks = body.split(/\n\s*\n/);
  if (ext === '.vtt' && !/^WEBVTT/.test(body.trimStart())) {
    throw new InvalidInputError('invalid_transcript', 'WebVTT 文件必须以 WEBVTT 开头 / a .vtt file must start with "WEBVTT"');
  }
  const raws: Raw[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const timeIdx = lines.findIndex((l) => CUE_TIME.test(l));
    if (timeIdx < 0) continue; // WEBVTT header, NOTE, STYLE, REGION, stray numbers
    if (/^(NOTE|STYLE|REGION)\b/.test(lines[0])) continue;
    const m = CUE_TIME.exec(lines[timeIdx])!;
    let label: string | null = null;
    let text = lines
      .slice(timeIdx + 1)
      .map((l) => l.trim())
      .join(' ');
    const voice = /<v(?:\.[^\s>]+)?\s+([^>]+)>/.exec(text);
    if (voice) label = voice[1].trim();
    text = text.replace(/<[^>]*>/g, '').replace(/\{\\[^}]*\}/g, '').trim();
    if (!text) continue;
    raws.push({ start: cueSeconds(m[1]), end: cueSeconds(m[2]), label, text });
  }
  // Same rule as .txt: a prefix is a speaker when it is a role word or names two or more cues.
  const prefixed = raws.map((r) => (r.label ? null : PREFIX.exec(r.text)));
  const counts = new Map<string, number>();
  for (const p of prefixed) if (p) counts.set(p[1].trim(), (counts.get(p[1].trim()) ?? 0) + 1);
  raws.forEach((r, i) => {
    const p = prefixed[i];
    if (!p) return;
    const name = p[1].trim();
    if (!roleWord(name) && (counts.get(name) ?? 0) < 2) return;
    const rest = r.text.slice(p[0].length).trim();
    if (rest) (r.label = name), (r.text = rest);
  });
  if (raws.length === 0 && blocks.some((b) => b.trim())) {
    throw new InvalidInputError('invalid_transcript', `没有找到任何字幕时间轴 / no cue timings found in this ${ext} file`);
  }
  return resolve(raws, new Map());
}

// ---------- .json ----------

function parseJson(body: string): Segment[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new InvalidInputError('invalid_json', `JSON 格式错误 / invalid JSON: ${(err as Error).message}`);
  }
  const header = new Map<string, Speaker>();
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (doc && typeof doc === 'object' && Array.isArray((doc as any).segments)) {
    items = (doc as any).segments;
    const speakers = (doc as any).speakers;
    if (speakers && typeof speakers === 'object') {
      for (const [name, role] of Object.entries(speakers)) {
        const r = typeof role === 'string' ? roleWord(role) ?? (role as Speaker) : undefined;
        if (r !== 'rep' && r !== 'customer' && r !== 'unknown') {
          throw new InvalidInputError('invalid_transcript', `speakers.${name} 必须是 rep/customer/unknown / must be rep, customer or unknown`);
        }
        header.set(name, r);
      }
    }
  } else if (doc && typeof doc === 'object' && Array.isArray((doc as any).transcription)) {
    // whisper.cpp -oj: offsets in milliseconds.
    items = (doc as any).transcription.map((t: any) => ({
      start: t?.offsets?.from / 1000,
      end: t?.offsets?.to / 1000,
      text: t?.text,
    }));
  } else {
    throw new InvalidInputError(
      'invalid_transcript',
      'JSON 转写文件需要 "segments" 数组 / a JSON transcript needs a "segments" array (see docs/transcript-format.md)',
    );
  }
  const raws: Raw[] = items.map((it, i) => {
    const s = it as Record<string, unknown>;
    if (!s || typeof s !== 'object' || typeof s.text !== 'string') {
      throw new InvalidInputError('invalid_transcript', `segments[${i}].text 必须是字符串 / segments[${i}].text must be a string`);
    }
    const time = (v: unknown, key: string): number | null => {
      if (v === undefined || v === null) return null;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new InvalidInputError('invalid_transcript', `segments[${i}].${key} 必须是非负秒数 / must be seconds ≥ 0 or null`);
      }
      return v;
    };
    const label = typeof s.speaker === 'string' && s.speaker.trim() ? s.speaker.trim() : null;
    // A diarization label (S1, S2 …): lines of one voice share a role (analyze/roles.ts).
    const voice = typeof s.voice === 'string' && s.voice.trim() && s.voice.length <= 32 ? s.voice.trim() : undefined;
    return { start: time(s.start, 'start'), end: time(s.end, 'end'), label, text: s.text.trim(), ...(voice ? { voice } : {}) };
  });
  const kept = raws.filter((r) => r.text);
  for (const r of kept) if (r.end !== null && r.start !== null && r.end < r.start) r.end = r.start;
  fillEnds(kept);
  return resolve(kept, header);
}
