import { type TagHit } from '../analyze/types.ts';
import { CATEGORY_IDS, type CategoryId } from '../core/categories.ts';
import { clock, dateTime, esc, num, pct } from './html.ts';
import { behaviorLabel, CATEGORY_STYLE, SPEAKER_LABEL } from './labels.ts';
import { page } from './layout.ts';
import type { RecordingPageVM, SegmentVM } from './view-models.ts';

const SOURCE_NOTE = {
  typed: '文字记录（销售上传的拜访记录）。',
  engine: '由本地语音识别（whisper.cpp）转写。',
  reference: '本机未配置语音识别模型，此段录音使用参考转写文本进行分析（配置模型：npx tingjian model pull small）。',
} as const;

/** Keyword hits wrapped in <mark> with the category's colour and its name as text; overlapping hits keep the first. */
export function highlight(text: string, tags: TagHit[]): string {
  const sorted = [...tags].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const t of sorted) {
    if (t.start < pos || t.end > text.length || t.end <= t.start) continue;
    const style = CATEGORY_STYLE[t.category];
    out += esc(text.slice(pos, t.start));
    out += `<mark class="kw" data-category="${t.category}" style="--c:${style.color}" title="${esc(style.label)}：${esc(t.keyword)}">${esc(text.slice(t.start, t.end))}<span class="cat" aria-label="（${esc(style.label)}）">${style.short}</span></mark>`;
    pos = t.end;
  }
  return out + esc(text.slice(pos));
}

function segmentRow(s: SegmentVM, playable: boolean): string {
  const marks = [
    ...s.behaviors.map((b) => `<span class="beh" data-behavior="${b}">行为：${esc(behaviorLabel(b))}</span>`),
    ...(s.commitment
      ? [
          `<span class="cmt${s.commitment.status === 'done' ? ' kept' : ''}">承诺${s.commitment.dueAt ? `，截止 ${dateTime(s.commitment.dueAt)}` : '（未说明时间）'}${s.commitment.status ? ` · ${commitmentStatus(s.commitment.status)}` : ''}</span>`,
        ]
      : []),
  ];
  const attrs = playable && s.start != null ? ` data-start="${s.start}" tabindex="0" role="button" aria-label="从 ${clock(s.start)} 播放"` : '';
  return `<div class="seg ${s.speaker}${playable && s.start != null ? ' playable' : ''}" id="seg-${s.index}"${attrs}>
<span class="t">${s.start != null ? clock(s.start) : `#${s.index + 1}`}</span><span class="who">${SPEAKER_LABEL[s.speaker]}</span>
<div><div class="text">${highlight(s.text, s.tags)}</div>${marks.length ? `<div class="marks">${marks.join('')}</div>` : ''}</div></div>`;
}

function commitmentStatus(s: NonNullable<NonNullable<SegmentVM['commitment']>['status']>): string {
  return { open: '待完成', overdue: '已逾期', done: '已兑现', done_late: '逾期兑现' }[s];
}

export function renderRecordingPage(vm: RecordingPageVM): string {
  const used = CATEGORY_IDS.filter((c) => (vm.tagCounts[c] ?? 0) > 0);
  const legend = `<div class="legend" role="list" aria-label="关键词类别图例">${CATEGORY_IDS.map((c: CategoryId) => {
    const s = CATEGORY_STYLE[c];
    const n = vm.tagCounts[c] ?? 0;
    return `<span role="listitem" class="${n ? '' : 'muted'}"><span class="sw" style="background:${s.color}"></span>${s.short}＝${esc(s.label)} ${n} 次</span>`;
  }).join('')}</div>`;
  const behaviorCounts = new Map<string, number>();
  for (const s of vm.segments) for (const b of s.behaviors) behaviorCounts.set(b, (behaviorCounts.get(b) ?? 0) + 1);
  const m = vm.metrics;
  const items: Array<[string, string]> = [
    ['销售说话占比', pct(m.repTalkShare)],
    ['销售提问数', String(m.repQuestions)],
    ['销售最长独白', m.longestRepMonologueSec == null ? '—' : `${num(m.longestRepMonologueSec, 0)} 秒`],
    ['客户最长陈述', m.longestCustomerStorySec == null ? '—' : `${num(m.longestCustomerStorySec, 0)} 秒`],
    ['每分钟话轮切换', num(m.interactivityPerMin, 1)],
    ['口头禅比例', pct(m.fillerRate, 1)],
    ['时长', vm.durationSec == null ? '—' : clock(vm.durationSec)],
    ['识别到的行为', [...behaviorCounts].map(([b, n]) => `${esc(behaviorLabel(b))} ${n}`).join('、') || '—'],
  ];
  // A definition list reflows from four columns to one on a phone, where a 4-column table would not fit.
  const metrics = `<dl class="metrics">${items.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
  const playable = vm.audioSrc != null;
  const player = playable
    ? `<div class="player"><audio id="player" controls preload="metadata" src="${esc(vm.audioSrc)}">您的浏览器不支持音频播放。</audio><div class="small muted">点击任意一句（或按回车）从该处播放。</div><button type="button" id="play-from" class="play-from" hidden>▶ 从该处开始播放</button></div>`
    : '';
  const body = `<h1>${esc(vm.title)}</h1>
<p class="lead">${vm.repHref ? `<a href="${esc(vm.repHref)}">${esc(vm.repName)}</a>` : esc(vm.repName)} 拜访 ${esc(vm.customerName)}${vm.customerType ? `（${esc(vm.customerType)}）` : ''} · ${dateTime(vm.recordedAt)}${vm.leadHref ? ` · <a href="${esc(vm.leadHref)}">查看线索</a>` : ''}</p>
<p class="small muted">${SOURCE_NOTE[vm.transcriptSource]} 词库版本 ${esc(vm.lexiconVersion)}。出现的类别：${used.map((c) => esc(CATEGORY_STYLE[c].label)).join('、') || '无'}。</p>
<section aria-labelledby="h-m"><h2 id="h-m">通话指标</h2>${metrics}</section>
<section aria-labelledby="h-t"><h2 id="h-t">对话原文</h2>${legend}
${player}
<div class="transcript">${vm.segments.map((s) => segmentRow(s, playable)).join('\n')}</div></section>`;
  return page(vm.meta, vm.title, body);
}
