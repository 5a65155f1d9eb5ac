import type { CoachingTemplates } from '../lexicons/coaching/load.ts';
import type { Finding, FindingText } from './types.ts';

type Labels = CoachingTemplates['labels'];

/**
 * The one formatter for mining figures. The CLI, the API's text fields, coaching messages and both report pages
 * print a figure through this, so the same finding never reads "2.3" in one place and "2.30" in another.
 */
export function formatFigure(unit: Finding['unit'], v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return unit === 'share' ? `${Math.round(v * 100)}%` : String(Math.round(v * 100) / 100);
}

export function stepLabel(labels: Labels, step: string): string {
  return (labels.behaviors as Record<string, string>)[step] ?? (labels.stages as Record<string, string>)[step] ?? step;
}

export const STATUS_TEXT: Record<Finding['status'], string> = {
  established: '已确认',
  significant: '显著，但尚不稳定',
  descriptive: '仅供参考，不具统计意义',
};

export function formatP(p: number): string {
  return String(Number(p.toPrecision(2)));
}

type Figure = Pick<
  Finding,
  | 'kind'
  | 'behaviors'
  | 'stage'
  | 'steps'
  | 'maxGapHours'
  | 'customerType'
  | 'unit'
  | 'top'
  | 'rest'
  | 'repsTop'
  | 'repsRest'
  | 'leadsTop'
  | 'leadsRest'
  | 'status'
  | 'qValue'
  | 'decidedBy'
>;

export function findingText(f: Figure, labels: Labels): FindingText {
  const top = formatFigure(f.unit, f.top);
  const rest = formatFigure(f.unit, f.rest);
  const scope = f.customerType ? `${f.customerType}客户` : '全部客户';
  const b = (i: number) => `「${stepLabel(labels, f.behaviors[i])}」`;
  let sentence: string;
  if (f.kind === 'before_stage') {
    sentence = `进入「${stepLabel(labels, f.stage!)}」之前，优秀组平均每条线索做 ${top} 次${b(0)}，其他销售 ${rest} 次（${scope}）`;
  } else {
    const within = f.maxGapHours === null ? '' : ` ${f.maxGapHours} 小时内`;
    const then = f.behaviors.length > 1 ? `，再${within}做${b(1)}` : '';
    sentence = f.stage
      ? `到达「${stepLabel(labels, f.stage)}」的线索中，之后${within}做${b(0)}${then}的：优秀组 ${top}，其他销售 ${rest}（${scope}）`
      : `${b(0)}之后${within}做${b(1)}的线索：优秀组 ${top}，其他销售 ${rest}（${scope}）`;
  }
  return {
    sentence,
    top,
    rest,
    scope,
    basis: `优秀组 ${f.repsTop} 人（${f.leadsTop} 条线索）· 其他 ${f.repsRest} 人（${f.leadsRest} 条线索）`,
    status: STATUS_TEXT[f.status],
    test: f.status === 'descriptive' || !f.decidedBy ? null : `q = ${formatP(f.qValue)}（${f.decidedBy === 'group' ? '组间比较' : '与业绩排名相关'}）`,
  };
}
