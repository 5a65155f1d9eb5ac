import { describe, expect, it } from 'vitest';
import { attitudeHeatmap, funnelChart, phiChart } from './charts.ts';
import { safeId } from './links.ts';
import { highlight, renderRecordingPage } from './recording-page.ts';
import { renderTeamOverview } from './team-overview.ts';
import type { PageMeta, RecordingPageVM, RepRowVM, TeamOverviewVM } from './view-models.ts';

const meta: PageMeta = { tenantName: '测试<公司>', asOf: '2026-11-30 09:00', period: { from: '2026-09-01', to: '2026-11-29' }, notes: [], homeHref: 'index.html' };

function rep(id: string, name: string, phi: RepRowVM['phi']): RepRowVM {
  return { id, name, team: '一组', phi, isTop: false, wonAmount: 0, wonLeads: 0, overdueFollowUps: 0, href: `rep-${id}.html` };
}

const emptyTeam: TeamOverviewVM = {
  meta,
  tenantPhi: null,
  teams: [],
  reps: [],
  topGroup: [],
  funnel: [],
  lostLeads: 0,
  attitude: { days: [], rows: [], hiddenRows: 0 },
  followUps: { open: 0, overdue: 0, items: [] },
  mining: { method: '以销售本人为单位比较', note: null, descriptiveOnly: false, findings: [] },
  counts: { recordings: 0, leads: 0, customers: 0, audioRecordings: 0 },
};

const scriptOf = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);

describe('report renderers', () => {
  it('escapes every value from data, so a name cannot inject markup or script', () => {
    const vm: TeamOverviewVM = {
      meta,
      tenantPhi: null,
      teams: [],
      reps: [rep('r"1', '<script>alert(1)</script>', null)],
      topGroup: [],
      funnel: [],
      lostLeads: 0,
      attitude: { days: [], rows: [], hiddenRows: 0 },
      followUps: { open: 0, overdue: 0, items: [] },
      mining: { method: '以销售本人为单位比较', note: '<b>分组</b>优秀组只有 <b>2</b> 人', descriptiveOnly: true, findings: [] },
      counts: { recordings: 0, leads: 0, customers: 0, audioRecordings: 0 },
    };
    const html = renderTeamOverview(vm);
    expect(html).toContain('&lt;b&gt;分组&lt;/b&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('测试&lt;公司&gt;');
    expect(html).toContain('优秀组只有 &lt;b&gt;2&lt;/b&gt; 人');
    expect(html).toContain('data-rep="r&quot;1"');
    expect(html.match(/<script[\s>]/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]*src=/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('stacks the PHI components to the score even when one component had nothing to measure', () => {
    const svg = phiChart([
      rep('r1', '甲', {
        score: 80,
        level: 'sub_healthy',
        withheld: null,
        stageOnTime: 0.75,
        collabOnTime: null,
        traceRate: 0.8667,
        counts: { stageOnTime: '3/4 条线索', collabOnTime: null, traceRate: '13/15 次互动' },
        basis: '基于阶段达标率 3/4 条线索、触点留痕率 13/15 次互动；协同准时率本期无数据，不计入，其权重按比例分给其余两项',
        partial: true,
      }),
    ]);
    const widths = [...svg.matchAll(/<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="16" fill="#/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    const total = widths.reduce((a, b) => a + b, 0);
    // 440 px stand for 100 points: (0.4·0.75 + 0.3·0.8667) / 0.7 = 0.8 → 352 px.
    expect(total).toBeCloseTo(352, 0);
    expect(svg).toContain('亚健康');
    expect(svg).toContain('本期无数据（不计入）');
    // The score says it rests on two components.
    expect(svg).toContain('* 仅 2 项有数据');
    expect(svg).toContain('协同准时率本期无数据，不计入');
  });

  it('draws no bar for a withheld score, only what data there was', () => {
    const withheld = rep('r2', '乙', {
      score: null,
      level: null,
      withheld: '数据不足',
      stageOnTime: 1,
      collabOnTime: null,
      traceRate: null,
      counts: { stageOnTime: '5/5 条线索', collabOnTime: null, traceRate: null },
      basis: '数据不足，不计分：只有阶段达标率 5/5 条线索，至少需要两项有数据（协同准时率、触点留痕率本期无数据）',
      partial: false,
    });
    const svg = phiChart([withheld]);
    expect(svg).toContain('data-withheld="true"');
    expect(svg).not.toContain('data-level');
    expect(svg).toContain('数据不足：只有阶段达标率有数据，不计分');
    expect(svg.match(/<g class="phi-rep"[\s\S]*?<\/g>/)![0]).not.toMatch(/健康|风险/);
    const page = renderTeamOverview({ ...emptyTeam, reps: [{ ...withheld, isTop: false }] });
    expect(page).toContain('数据不足不计分：乙');
    const row = page.match(/<tr data-rep="r2">[\s\S]*?<\/tr>/)![0];
    expect(row).toContain('>数据不足</span>');
    expect(row).toContain('无数据');
    expect(row).not.toMatch(/健康|风险/);
  });

  it('marks a stage whose median dwell exceeds its standard in words, not only in red', () => {
    const svg = funnelChart([
      { stage: 'new_lead', label: '新线索', leads: 10, current: 1, medianDwellHours: 30, standardHours: 48, overdue: 0 },
      { stage: 'needs_confirmed', label: '需求确认', leads: 8, current: 2, medianDwellHours: 200, standardHours: 168, overdue: 5 },
      { stage: 'won', label: '签约', leads: 3, current: 3, medianDwellHours: null, standardHours: null, overdue: 0 },
    ]);
    expect(svg.match(/class="funnel-stage"/g)).toHaveLength(3);
    expect(svg).toContain('30 小时 达标');
    expect(svg).toContain('8.3 天 超标');
    expect(svg).toContain('标准 7 天 · 5 条超时');
    expect(svg).toContain('终点阶段');
  });

  it('frames each red run in the attitude heat map and labels the row', () => {
    const svg = attitudeHeatmap({
      days: ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'],
      rows: [
        { customerId: 'c1', customerName: '甲公司', customerType: '主机厂', repName: '王', scores: [2, 1, 2, 4], redRuns: [{ from: 0, to: 2 }], leadHref: 'lead-L1.html' },
        { customerId: 'c2', customerName: '乙公司', customerType: '经销商', repName: '李', scores: [null, 3, null, 5], redRuns: [], leadHref: null },
      ],
      hiddenRows: 0,
    });
    expect(svg.match(/class="red-run"/g)).toHaveLength(1);
    expect(svg).toContain('连续 3 天 ≤ 2 分');
    expect(svg.match(/⚠ 连续低分/g)).toHaveLength(1);
    expect(svg).toContain('无日报');
  });

  it('highlights keyword hits at their offsets, keeps the text around them and drops overlapping hits', () => {
    const text = '价格能不能便宜点，交期多久？';
    const html = highlight(text, [
      { category: 'price_sensitivity', keyword: '价格', start: 0, end: 2 },
      { category: 'price_sensitivity', keyword: '便宜点', start: 5, end: 8 },
      { category: 'budget', keyword: '宜点', start: 6, end: 8 },
      { category: 'delivery_time', keyword: '交期', start: 9, end: 11 },
    ]);
    expect(html.match(/<mark /g)).toHaveLength(3);
    expect(html.replace(/<span class="cat"[^>]*>.<\/span>/g, '').replace(/<[^>]+>/g, '')).toBe(text);
    expect(html).toContain('title="交付周期：交期"');
  });

  it('recording page: a player and seekable segments only when there is audio', () => {
    const base: RecordingPageVM = {
      meta,
      id: 'x',
      title: '拜访记录',
      repName: '王',
      repHref: null,
      customerName: '甲',
      customerType: null,
      leadHref: null,
      recordedAt: '2026-11-03T07:00:00Z',
      kind: 'transcript',
      transcriptSource: 'typed',
      audioSrc: null,
      durationSec: 20,
      lexiconVersion: 'v1',
      metrics: { repTalkShare: 0.5, longestRepMonologueSec: 5, longestCustomerStorySec: 4, repQuestions: 1, interactivityPerMin: 3, fillerRate: 0 },
      tagCounts: {},
      segments: [{ index: 0, start: 1.5, end: 4, speaker: 'rep', text: '我明天上午把报价单发给您', tags: [], behaviors: ['commitment'], commitment: { dueAt: '2026-11-04T04:00:00Z', status: 'overdue' } }],
    };
    const typed = renderRecordingPage(base);
    expect(typed).not.toContain('<audio');
    expect(typed).not.toContain('data-start="');
    // Every page carries the same one script (a CSP allows it by hash) and no inline handlers.
    expect(scriptOf(typed)).toEqual(scriptOf(renderTeamOverview(emptyTeam)));
    expect(typed).not.toMatch(/\son[a-z]+=/i);
    expect(typed).toContain('id="seg-0"');
    expect(typed).toContain('承诺，截止 2026-11-04 12:00 · 已逾期');
    const audio = renderRecordingPage({ ...base, kind: 'audio', transcriptSource: 'reference', audioSrc: 'audio/x.wav' });
    expect(audio).toContain('<audio id="player"');
    expect(audio).toContain('data-start="1.5"');
    expect(audio).toContain('参考转写');
  });

  it('turns any CRM id into a file name that stays in the folder', () => {
    expect(safeId('r01')).toBe('r01');
    expect(safeId('../../etc/passwd')).not.toMatch(/[/]/);
    expect(safeId('../../etc/passwd')).not.toContain('..');
    expect(safeId('客户 A')).not.toBe(safeId('客户_A'));
  });
});
