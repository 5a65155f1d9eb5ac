/** The 12 categories of sales talk: ids and the Chinese names the product documents (lexicons/categories/*.json carry the same). */
export const CATEGORY_IDS = [
  'price_sensitivity',
  'delivery_time',
  'competitor',
  'budget',
  'decision_chain',
  'technical_spec',
  'after_sales',
  'payment_terms',
  'quality_concern',
  'contract_legal',
  'data_security',
  'use_case',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export const CATEGORY_LABELS: Record<CategoryId, string> = {
  price_sensitivity: '价格敏感',
  delivery_time: '交付周期',
  competitor: '竞品对比',
  budget: '预算范围',
  decision_chain: '决策链',
  technical_spec: '技术参数',
  after_sales: '售后服务',
  payment_terms: '付款条件',
  quality_concern: '质量顾虑',
  contract_legal: '合同法务',
  data_security: '数据安全',
  use_case: '应用场景',
};
