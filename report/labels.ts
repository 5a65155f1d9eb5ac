import { BEHAVIOR_LABELS } from '../core/behaviors.ts';
import { CATEGORY_LABELS, type CategoryId } from '../core/categories.ts';
import { PHI_LEVEL_LABELS, type PhiLevel } from '../leads/phi.ts';
import { STAGE_LABELS } from '../core/stages.ts';

/**
 * Chinese names and colours the report pages use. Category, behaviour and stage names come from the shared vocabulary (core/);
 * the colours are picked to stay apart for common colour-vision deficiencies, and every coloured mark also carries
 * its name as text, so colour is never the only signal.
 */
export const CATEGORY_STYLE: Record<CategoryId, { label: string; short: string; color: string }> = {
  price_sensitivity: { label: CATEGORY_LABELS.price_sensitivity, short: '价', color: '#d62728' },
  delivery_time: { label: CATEGORY_LABELS.delivery_time, short: '期', color: '#1f77b4' },
  competitor: { label: CATEGORY_LABELS.competitor, short: '竞', color: '#9467bd' },
  budget: { label: CATEGORY_LABELS.budget, short: '预', color: '#e377c2' },
  decision_chain: { label: CATEGORY_LABELS.decision_chain, short: '决', color: '#8c564b' },
  technical_spec: { label: CATEGORY_LABELS.technical_spec, short: '技', color: '#17becf' },
  after_sales: { label: CATEGORY_LABELS.after_sales, short: '售', color: '#2ca02c' },
  payment_terms: { label: CATEGORY_LABELS.payment_terms, short: '付', color: '#ff7f0e' },
  quality_concern: { label: CATEGORY_LABELS.quality_concern, short: '质', color: '#bcbd22' },
  contract_legal: { label: CATEGORY_LABELS.contract_legal, short: '法', color: '#7f7f7f' },
  data_security: { label: CATEGORY_LABELS.data_security, short: '安', color: '#393b79' },
  use_case: { label: CATEGORY_LABELS.use_case, short: '景', color: '#637939' },
};


export const PHI_LEVEL_STYLE: Record<PhiLevel, { label: string; color: string; bg: string }> = {
  healthy: { label: PHI_LEVEL_LABELS.healthy, color: '#1a7f37', bg: '#dafbe1' },
  sub_healthy: { label: PHI_LEVEL_LABELS.sub_healthy, color: '#9a6700', bg: '#fff8c5' },
  at_risk: { label: PHI_LEVEL_LABELS.at_risk, color: '#cf222e', bg: '#ffebe9' },
};

export const SPEAKER_LABEL = { rep: '销售', customer: '客户', unknown: '未识别' } as const;

export function behaviorLabel(id: string): string {
  return (BEHAVIOR_LABELS as Record<string, string>)[id] ?? id;
}

export function stageLabel(id: string): string {
  return (STAGE_LABELS as Record<string, string>)[id] ?? id;
}
