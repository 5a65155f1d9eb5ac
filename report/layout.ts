import { esc } from './html.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import type { PageMeta } from './view-models.ts';

/**
 * The page shell every report page shares: inline CSS and the one page script only (no external fonts, scripts or
 * images, no inline event handlers), so a page works offline, opens from a file:// link, prints cleanly on A4 and
 * needs a single script hash under a Content-Security-Policy.
 *
 * Below 640 px (a phone) data tables become one card per row (each cell labelled from its column, `data-label`),
 * charts switch to their narrow drawing or scroll inside their own box, and nothing is wider than the screen.
 */
const CSS = `
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --accent:#0969da; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:#fff; line-height:1.55; font-size:15px;
  font-family: "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
  "WenQuanYi Micro Hei",system-ui,sans-serif; }
header.top { background:#24292f; color:#fff; padding:10px 24px; display:flex; gap:4px 18px; align-items:baseline; flex-wrap:wrap; }
header.top a { color:#fff; text-decoration:none; font-weight:600; }
header.top .sub { color:#d0d7de; font-size:13px; display:flex; flex-wrap:wrap; gap:0 14px; }
header.top .sub span { white-space:nowrap; }
main { max-width:1180px; margin:0 auto; padding:16px 24px 48px; }
p, li, td, dd, .note { overflow-wrap:anywhere; }
h1 { font-size:24px; margin:8px 0 4px; }
h2 { font-size:19px; margin:28px 0 8px; padding-bottom:4px; border-bottom:1px solid var(--line); }
h3 { font-size:16px; margin:16px 0 6px; }
p.lead { color:var(--muted); margin:0 0 12px; }
.note { background:#fff8c5; border:1px solid #d4a72c; border-radius:6px; padding:8px 12px; margin:10px 0; }
.muted { color:var(--muted); }
.small { font-size:13px; }
a { color:var(--accent); }
a:focus-visible, button:focus-visible, .seg:focus-visible { outline:3px solid #fb8f44; outline-offset:2px; }
section { break-inside:auto; }
.card-row { display:flex; gap:12px; flex-wrap:wrap; margin:12px 0; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:150px; background:var(--bg); }
.card.wide { flex:1 1 300px; max-width:460px; }
.card .v { font-size:24px; font-weight:700; }
.card .k { color:var(--muted); font-size:13px; }
.badge { display:inline-block; border-radius:10px; padding:0 8px; font-size:13px; font-weight:600; border:1px solid currentColor; white-space:nowrap; }
table { border-collapse:collapse; width:100%; margin:8px 0; font-size:14px; }
caption { text-align:left; }
th, td { border-bottom:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top; }
th { background:var(--bg); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr.overdue td { background:#fff5f5; }
table.narrow { width:auto; min-width:420px; }
svg { max-width:100%; height:auto; display:block; }
svg text { font-family:inherit; }
.chart-box { max-width:100%; overflow-x:auto; overscroll-behavior-x:contain; }
.chart-box svg.keep-size { max-width:none; }
.only-narrow { display:none; }
.chart { margin:8px 0 4px; }
.legend { display:flex; flex-wrap:wrap; gap:6px 14px; font-size:13px; margin:6px 0; }
.legend .sw { display:inline-block; width:12px; height:12px; border-radius:2px; vertical-align:-1px; margin-right:4px; border:1px solid #0003; }
ul.plain { padding-left:20px; margin:6px 0; }
.sugg { border:1px solid var(--line); border-left:4px solid var(--accent); border-radius:6px; padding:10px 14px; margin:10px 0; }
.sugg blockquote { margin:6px 0; padding:4px 10px; border-left:3px solid var(--line); color:#24292f; background:var(--bg); }
ul.evidence { list-style:none; padding:0; margin:6px 0; }
ul.evidence li { margin:4px 0; }
.listen { display:inline-block; font-size:12px; font-weight:600; color:#fff; background:#1a7f37; border-radius:10px; padding:0 8px; margin-right:4px; white-space:nowrap; }
dl.metrics { display:grid; grid-template-columns:repeat(auto-fill, minmax(210px, 1fr)); gap:6px 16px; margin:8px 0; }
dl.metrics div { display:flex; justify-content:space-between; gap:8px; border-bottom:1px solid var(--line); padding:4px 0; }
dl.metrics dt { color:var(--muted); }
dl.metrics dd { margin:0; font-weight:600; font-variant-numeric:tabular-nums; text-align:right; }
.transcript { margin:10px 0; }
.seg { display:grid; grid-template-columns:64px 56px 1fr; gap:8px; padding:6px 8px; border-bottom:1px solid #eaeef2; scroll-margin-top:96px; }
.seg.rep { background:#f6fbff; }
.seg:target { background:#fff8c5; box-shadow:inset 4px 0 0 #d4a72c; }
.seg.now { box-shadow:inset 4px 0 0 #1a7f37; }
.seg .t { color:var(--muted); font-variant-numeric:tabular-nums; font-size:13px; }
.seg .who { font-weight:600; font-size:13px; }
.seg.rep .who { color:#0550ae; } .seg.customer .who { color:#6e4000; }
.seg .marks { margin-top:3px; display:flex; flex-wrap:wrap; gap:4px; }
.seg.playable { cursor:pointer; }
mark.kw { background:transparent; color:inherit; border-bottom:3px solid var(--c); padding:0 1px; font-weight:600; }
mark.kw .cat { font-size:10px; color:#fff; background:var(--c); border-radius:3px; padding:0 2px; margin-left:1px; vertical-align:super; font-weight:400; }
.beh { font-size:12px; border:1px solid #8250df; color:#8250df; border-radius:10px; padding:0 6px; }
.cmt { font-size:12px; border:1px solid #bc4c00; color:#bc4c00; border-radius:10px; padding:0 6px; }
.cmt.kept { border-color:#1a7f37; color:#1a7f37; }
.player { position:sticky; top:0; background:#fff; padding:8px 0; border-bottom:1px solid var(--line); z-index:1; }
.player audio { width:100%; }
.play-from { margin-top:6px; font:inherit; font-weight:600; color:#fff; background:#1a7f37; border:0; border-radius:6px; padding:6px 14px; cursor:pointer; }
.play-from[hidden] { display:none; }
@media (max-width: 640px) {
  header.top { padding:8px 12px; }
  main { padding:12px 12px 40px; }
  h1 { font-size:20px; }
  h2 { font-size:17px; }
  .card { min-width:0; flex:1 1 140px; padding:8px 12px; }
  .card.wide { flex-basis:100%; max-width:none; }
  .card .v { font-size:21px; }
  .only-wide { display:none; }
  .only-narrow { display:block; }
  table.narrow { min-width:0; width:100%; }
  table.cards, table.cards tbody, table.cards tr { display:block; width:100%; }
  table.cards thead { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
  table.cards tr { border:1px solid var(--line); border-radius:8px; margin:0 0 10px; padding:6px 10px; }
  table.cards tr.overdue { background:#fff5f5; border-color:#f5c2c0; }
  table.cards td { display:grid; grid-template-columns:5.5em minmax(0, 1fr); gap:8px; border:0; padding:3px 0;
    text-align:left; white-space:normal; background:none !important; }
  table.cards td::before { content:attr(data-label); color:var(--muted); font-size:13px; font-weight:400; }
  table.cards td.card-title { display:block; font-weight:600; font-size:15px; }
  table.cards td.card-title::before { content:none; }
  table.cards caption { display:block; }
  table.cards.compact td:not(.card-title) { display:inline-block; max-width:100%; margin-right:14px; font-size:14px; }
  table.cards.compact td:not(.card-title)::before { content:attr(data-label) '：'; }
  .seg { grid-template-columns:auto 1fr; gap:2px 10px; padding:6px 4px; }
  .seg > div { grid-column:1 / -1; }
  dl.metrics { grid-template-columns:repeat(2, minmax(0, 1fr)); gap:4px 12px; }
  dl.metrics div { flex-wrap:wrap; }
}
@media print {
  header.top { background:none; color:#000; border-bottom:2px solid #000; }
  header.top a, header.top .sub { color:#000; }
  main { max-width:none; padding:0; }
  a { color:inherit; text-decoration:none; }
  .player, .noprint, .only-narrow { display:none; }
  .only-wide { display:block; }
  h2 { break-after:avoid; }
  .chart, .sugg, tr, .seg { break-inside:avoid; }
  body { font-size:12px; }
}
`;

export function page(meta: PageMeta, title: string, body: string): string {
  const notes = meta.notes.map((n) => `<p class="note" role="note">${esc(n)}</p>`).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · 听见</title>
<style>${CSS}</style>
</head>
<body>
<header class="top"><a href="${esc(meta.homeHref)}">听见 · 销售过程报告</a>
<span class="sub"><span>${esc(meta.tenantName)}</span><span>数据区间 ${esc(meta.period.from)} 至 ${esc(meta.period.to)}</span><span title="逾期、停留时长与跟进状态都计算到这一刻">统计截至 ${esc(meta.asOf)}</span></span></header>
<main>
${notes}
${body}
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
